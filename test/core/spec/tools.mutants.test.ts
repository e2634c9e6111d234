/**
 * Pins the exact observable behaviour of core/spec/tools.ts left loose by the broader spec tests:
 * every schema's exact issue (code, path, message) for bad targets, anchored regexes (no leading or
 * trailing junk), defaults (prefix "", access read-only, forbiddenChains []), the catalogue of
 * actions, the superRefine issue codes, and toolKey for every action.
 * The schemas are built at import, so each test loads the module inside jest.isolateModules.
 */
export {};

type ToolsModule = typeof import("../../../core/spec/tools");

const load = (): ToolsModule => {
  let m: ToolsModule | undefined;
  jest.isolateModules(() => {
    m = require("../../../core/spec/tools") as ToolsModule;
  });
  return m!;
};

type Issue = { code: string; path: PropertyKey[]; message: string };
const issuesOf = (r: { success: boolean; error?: { issues: Issue[] } }) =>
  r.success ? [] : r.error!.issues.map((i) => ({ code: i.code, path: i.path, message: i.message }));

const REPO_MSG = "expected OWNER/REPO with no wildcard (e.g. acme/app)";
const BUCKET_MSG = "expected an S3 bucket name (3-63 of a-z 0-9 . -, no wildcard)";
const PREFIX_MSG = "expected an S3 key prefix without '*', '?', quotes, backslashes or spaces (e.g. reports/)";
const DB_MSG = "expected a database name (letters, digits, _ . / -; no wildcard)";
const URL_MSG =
  "expected an https URL prefix with an exact lowercase host and a path ending the prefix, e.g. https://api.vendor.example/v1/ (no query, wildcard or userinfo)";
const SECRET_MSG = "expected a secret name (no wildcard)";
const SLUG_MSG = "expected a lowercase slug, e.g. secret-then-egress";

describe("targets: exact issues and anchored patterns", () => {
  test.each<[string, string]>([
    ["-acme/app", "leading junk"],
    ["acme/app*", "trailing wildcard"],
  ])("repository %p is rejected (%s) with the OWNER/REPO message", (repository) => {
    const { GithubRepositoryTarget } = load();
    expect(issuesOf(GithubRepositoryTarget.safeParse({ repository }))).toEqual([{ code: "invalid_format", path: ["repository"], message: REPO_MSG }]);
  });

  test.each(["-bucket", "bucket-"])("bucket %p is rejected with the S3 bucket message", (bucket) => {
    const { S3PrefixTarget } = load();
    expect(issuesOf(S3PrefixTarget.safeParse({ bucket, prefix: "r/" }))).toEqual([{ code: "invalid_format", path: ["bucket"], message: BUCKET_MSG }]);
  });

  test("prefix with a wildcard is rejected with the key-prefix message", () => {
    const { S3PrefixTarget } = load();
    expect(issuesOf(S3PrefixTarget.safeParse({ bucket: "acme-reports", prefix: "reports/*" }))).toEqual([
      { code: "invalid_format", path: ["prefix"], message: PREFIX_MSG },
    ]);
  });

  test("prefix with a leading '/' is rejected with its own message", () => {
    const { S3PrefixTarget } = load();
    expect(issuesOf(S3PrefixTarget.safeParse({ bucket: "acme-reports", prefix: "/reports/" }))).toEqual([
      { code: "custom", path: ["prefix"], message: "expected a key prefix without a leading '/'" },
    ]);
  });

  test.each(["./reports/", "reports/../x/"])("prefix %p with a dot segment is rejected", (prefix) => {
    const { S3PrefixTarget } = load();
    expect(issuesOf(S3PrefixTarget.safeParse({ bucket: "acme-reports", prefix }))).toEqual([
      { code: "custom", path: ["prefix"], message: "expected a key prefix without '.' or '..' segments" },
    ]);
  });

  test("prefix defaults to the empty string", () => {
    const { S3PrefixTarget } = load();
    expect(S3PrefixTarget.parse({ bucket: "acme-reports" })).toEqual({ bucket: "acme-reports", prefix: "" });
  });

  test.each(["-db", "db*"])("database %p is rejected with the database-name message", (database) => {
    const { DatabaseTarget } = load();
    expect(issuesOf(DatabaseTarget.safeParse({ database }))).toEqual([{ code: "invalid_format", path: ["database"], message: DB_MSG }]);
  });

  test("database access defaults to read-only and accepts read-only explicitly", () => {
    const { DatabaseTarget } = load();
    expect(DatabaseTarget.parse({ database: "analytics" })).toEqual({ database: "analytics", access: "read-only" });
    expect(DatabaseTarget.parse({ database: "analytics", access: "read-only" })).toEqual({ database: "analytics", access: "read-only" });
  });

  test("an unknown database access is rejected with the access message", () => {
    const { DatabaseTarget } = load();
    expect(issuesOf(DatabaseTarget.safeParse({ database: "analytics", access: "admin" }))).toEqual([
      { code: "invalid_value", path: ["access"], message: "expected access to be read-only or read-write" },
    ]);
  });

  test.each(["xhttps://api.vendor.example/v1/", "https://api.vendor.example/v1/?q=1"])("url %p is rejected with the URL message", (url) => {
    const { HttpEndpointTarget } = load();
    expect(issuesOf(HttpEndpointTarget.safeParse({ url }))).toEqual([{ code: "invalid_format", path: ["url"], message: URL_MSG }]);
  });

  test.each([
    "https://a.vendor.example/v1/", // one-character first label
    "https://abcd.vendor.example/v1/", // four-character first label
    "https://api.b.example/v1/", // one-character later label
    "https://api.vendor.example:8443/v1/", // multi-digit port
  ])("url %p is accepted", (url) => {
    const { HttpEndpointTarget } = load();
    expect(HttpEndpointTarget.safeParse({ url })).toEqual({ success: true, data: { url } });
  });

  test.each(["https://api.vendor.example/v1/../admin/", "https://api.vendor.example/./v1/", "https://api.vendor.example/../"])(
    "url %p with a dot segment is rejected",
    (url) => {
      const { HttpEndpointTarget } = load();
      expect(issuesOf(HttpEndpointTarget.safeParse({ url }))).toEqual([
        { code: "custom", path: ["url"], message: "expected a URL path without '.' or '..' segments" },
      ]);
    },
  );

  test("an unknown HTTP method is rejected with the method list", () => {
    const { HttpEndpointTarget } = load();
    expect(issuesOf(HttpEndpointTarget.safeParse({ url: "https://api.vendor.example/v1/", methods: ["TRACE"] }))).toEqual([
      { code: "invalid_value", path: ["methods", 0], message: "expected an HTTP method (GET, HEAD, POST, PUT, PATCH, DELETE)" },
    ]);
  });

  test("an empty methods list is rejected", () => {
    const { HttpEndpointTarget } = load();
    expect(issuesOf(HttpEndpointTarget.safeParse({ url: "https://api.vendor.example/v1/", methods: [] }))).toEqual([
      { code: "too_small", path: ["methods"], message: "Too small: expected array to have >=1 items" },
    ]);
  });

  test.each(["*ci/npm-token", "ci/npm-token*"])("secret %p is rejected with the secret message", (secret) => {
    const { SecretTarget } = load();
    expect(issuesOf(SecretTarget.safeParse({ secret }))).toEqual([{ code: "invalid_format", path: ["secret"], message: SECRET_MSG }]);
  });
});

describe("Tool: the action catalogue", () => {
  test.each(["github:create-pull-request", "github:push"])("%s is a declarable action on a repository", (action) => {
    const { Tool } = load();
    expect(Tool.parse({ action, target: { repository: "acme/app" } })).toEqual({
      action,
      target: { repository: "acme/app" },
      requiresTaskId: true,
      requiresApproval: false,
    });
  });

  test("an unknown action is rejected with the catalogue message", () => {
    const { Tool } = load();
    expect(issuesOf(Tool.safeParse({ action: "github:delete", target: { repository: "acme/app" } }))).toEqual([
      {
        code: "invalid_union",
        path: ["action"],
        message:
          "expected tool.action to be one of github:read, github:comment, github:create-pull-request, github:push, s3:read, s3:write, db:query, http:call, secret:read",
      },
    ]);
  });
});

describe("ForbiddenChain: exact issues", () => {
  const chain = (over: object = {}) => ({ name: "secret-then-egress", after: ["secret:read"], then: ["http:call"], ...over });

  test.each(["1chain", "chain-"])("name %p is rejected with the slug message", (name) => {
    const { ForbiddenChain } = load();
    expect(issuesOf(ForbiddenChain.safeParse(chain({ name })))).toEqual([{ code: "invalid_format", path: ["name"], message: SLUG_MSG }]);
  });

  test("an unknown action in after is rejected with the action list", () => {
    const { ForbiddenChain } = load();
    expect(issuesOf(ForbiddenChain.safeParse(chain({ after: ["nope"] })))).toEqual([
      {
        code: "invalid_value",
        path: ["after", 0],
        message:
          "expected an action such as github:comment (one of github:read, github:comment, github:create-pull-request, github:push, s3:read, s3:write, db:query, http:call, secret:read)",
      },
    ]);
  });

  test("empty after / then and a short reason are rejected with their messages", () => {
    const { ForbiddenChain } = load();
    expect(issuesOf(ForbiddenChain.safeParse(chain({ after: [], then: [], reason: "short" })))).toEqual([
      { code: "too_small", path: ["after"], message: "expected at least one prior action" },
      { code: "too_small", path: ["then"], message: "expected at least one forbidden follow-up action" },
      { code: "too_small", path: ["reason"], message: "expected a reason of at least 10 characters" },
    ]);
  });
});

describe("AssistantTools: section-level issues and defaults", () => {
  const repoTool = (over: object = {}) => ({ action: "github:comment", target: { repository: "acme/app" }, ...over });

  test("defaults: no forbidden chains and a one-hour session", () => {
    const { AssistantTools } = load();
    expect(AssistantTools.parse({ tools: [repoTool()] })).toEqual({
      tools: [{ action: "github:comment", target: { repository: "acme/app" }, requiresTaskId: true, requiresApproval: false }],
      forbiddenChains: [],
      maxSessionAgeSeconds: 3600,
    });
  });

  test("an empty tools list is rejected with the omit-the-section message", () => {
    const { AssistantTools } = load();
    expect(issuesOf(AssistantTools.safeParse({ tools: [] }))).toEqual([
      { code: "too_small", path: ["tools"], message: "expected at least one declared tool (omit the tools section to declare none)" },
    ]);
  });

  test("session age bounds have their own messages", () => {
    const { AssistantTools } = load();
    expect(issuesOf(AssistantTools.safeParse({ tools: [repoTool()], maxSessionAgeSeconds: 59 }))).toEqual([
      { code: "too_small", path: ["maxSessionAgeSeconds"], message: "expected at least 60 seconds" },
    ]);
    expect(issuesOf(AssistantTools.safeParse({ tools: [repoTool()], maxSessionAgeSeconds: 43201 }))).toEqual([
      { code: "too_big", path: ["maxSessionAgeSeconds"], message: "expected at most 43200 seconds (12 h)" },
    ]);
  });

  test("a duplicate tool and approval without task id are custom issues", () => {
    const { AssistantTools } = load();
    expect(issuesOf(AssistantTools.safeParse({ tools: [repoTool(), repoTool({ requiresApproval: true, requiresTaskId: false })] }))).toEqual([
      { code: "custom", path: ["tools", 1], message: "must declare each action and target once; got github:comment github:acme/app again (first at tools[0])" },
      {
        code: "custom",
        path: ["tools", 1, "requiresTaskId"],
        message: "must require a task id when approval is required (the approval is bound to the task id); got requiresTaskId: false",
      },
    ]);
  });

  test("chain issues (duplicate name, undeclared then, then-action without task id) are custom issues", () => {
    const { AssistantTools } = load();
    const input = {
      tools: [repoTool({ requiresTaskId: false }), { action: "secret:read", target: { secret: "ci/npm-token" } }],
      forbiddenChains: [
        { name: "leak", after: ["secret:read"], then: ["github:comment"] },
        { name: "leak", after: ["secret:read"], then: ["http:call"] },
      ],
    };
    expect(issuesOf(AssistantTools.safeParse(input))).toEqual([
      {
        code: "custom",
        path: ["tools", 0, "requiresTaskId"],
        message: "must require a task id for github:comment: forbidden chain leak is judged on the task's prior actions; got requiresTaskId: false",
      },
      { code: "custom", path: ["forbiddenChains", 1, "name"], message: "must name each chain once; got leak again" },
      {
        code: "custom",
        path: ["forbiddenChains", 1, "then", 0],
        message: "must forbid an action the assistant declares; got http:call, which no tool declares (the chain could never apply)",
      },
    ]);
  });
});

describe("toolKey", () => {
  test.each<[object, string]>([
    [{ action: "github:create-pull-request", target: { repository: "acme/app" } }, "github:create-pull-request github:acme/app"],
    [{ action: "github:push", target: { repository: "acme/app" } }, "github:push github:acme/app"],
    [{ action: "s3:write", target: { bucket: "acme-reports", prefix: "out/" } }, "s3:write s3://acme-reports/out/"],
  ])("%j → %p", (t, expected) => {
    const { toolKey } = load();
    expect(toolKey(t as Parameters<typeof toolKey>[0])).toBe(expected);
  });
});
