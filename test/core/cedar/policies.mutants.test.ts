/**
 * Pins the exact output of core/cedar/policies.ts that the decision tables leave loose (they
 * compile at describe level and only look at decisions): every generated policy's id, effect,
 * Cedar text and description for each action kind, the guards (task id, approval, read-only,
 * chains, session age, expiry, kill switch), the target labels, the tool slug (including the
 * cut-and-digest form of long slugs), the 150-character description cut, expiry parsing, and the
 * duplicate-id refusal. Everything is compiled inside the tests.
 */
import { compileToolPolicies, declaredTargetLabel, expiryEpochSeconds, staticPolicySet, toolSlug, type CedarBundle, type CedarPolicy } from "../../../core/cedar/policies";
import { validateBundle } from "../../../core/cedar";
import { AssistantTools, Tool, type AssistantToolsInput, type ToolAssistant } from "../../../core/spec/tools";

const PRINCIPAL = `AssistantTools::Assistant::"tool-bot"`;

/** One assistant declaring every action kind, with every guard. */
const TOOL_BOT_TOOLS: AssistantToolsInput = {
  maxSessionAgeSeconds: 900,
  tools: [
    { action: "github:read", target: { repository: "acme/app" }, description: "reads the code" },
    { action: "github:create-pull-request", target: { repository: "acme/app" }, requiresTaskId: false },
    { action: "github:push", target: { repository: "acme/app" }, requiresApproval: true },
    { action: "s3:write", target: { bucket: "acme-out", prefix: "exports/daily/" }, requiresApproval: true },
    { action: "s3:read", target: { bucket: "acme-out" }, requiresTaskId: false },
    { action: "db:query", target: { database: "analytics" }, requiresTaskId: false },
    { action: "db:query", target: { database: "scratch", access: "read-write" }, requiresTaskId: false },
    { action: "http:call", target: { url: "https://api.vendor.example/v1/", methods: ["GET", "POST"] }, requiresTaskId: false, description: "vendor api" },
    { action: "http:call", target: { url: "https://hooks.vendor.example:8443/in/" }, requiresTaskId: false },
    { action: "secret:read", target: { secret: "ci/npm-token" }, requiresApproval: true },
  ],
  forbiddenChains: [
    { name: "push-after-secret", after: ["secret:read"], then: ["github:push"], reason: "a secret read must not be pushed to the repository" },
    { name: "query-then-export", after: ["db:query", "secret:read", "db:query"], then: ["s3:write", "github:read"] },
  ],
};

function toolBot(over: Partial<ToolAssistant> = {}, tools: AssistantToolsInput = TOOL_BOT_TOOLS): ToolAssistant {
  return { name: "tool-bot", environment: "prod", expires: "2027-01-01", revoked: false, tools: AssistantTools.parse(tools), ...over };
}

function byId(bundle: CedarBundle, id: string): CedarPolicy {
  const p = bundle.policies.find((x) => x.id === id);
  if (!p) throw new Error(`no policy ${id} in ${bundle.policies.map((x) => x.id).join(", ")}`);
  return p;
}

const tool = (input: unknown): Tool => Tool.parse(input);

describe("compileToolPolicies: the bundle", () => {
  test("names the namespace and the assistant as Cedar principal", () => {
    const bundle = compileToolPolicies(toolBot());
    expect(bundle.namespace).toBe("AssistantTools");
    expect(bundle.principal).toEqual({ type: "AssistantTools::Assistant", id: "tool-bot" });
  });

  test("emits exactly these policy ids, in declaration order, with these effects", () => {
    const bundle = compileToolPolicies(toolBot());
    expect(bundle.policies.map((p) => `${p.effect} ${p.id}`)).toEqual([
      "permit permit-github-read-acme-app",
      "forbid task-id-github-read-acme-app",
      "permit permit-github-create-pull-request-acme-app",
      "permit permit-github-push-acme-app",
      "forbid task-id-github-push-acme-app",
      "forbid approval-github-push-acme-app",
      "permit permit-s3-write-acme-out-exports-daily",
      "forbid task-id-s3-write-acme-out-exports-daily",
      "forbid approval-s3-write-acme-out-exports-daily",
      "permit permit-s3-read-acme-out",
      "permit permit-db-query-analytics",
      "forbid read-only-db-query-analytics",
      "permit permit-db-query-scratch",
      "permit permit-http-call-api-vendor-example-v1",
      "permit permit-http-call-hooks-vendor-example-8443-in",
      "permit permit-secret-read-ci-npm-token",
      "forbid task-id-secret-read-ci-npm-token",
      "forbid approval-secret-read-ci-npm-token",
      "forbid chain-push-after-secret",
      "forbid chain-query-then-export",
      "forbid session-age",
      "forbid expired",
    ]);
    // The pinned texts below are real Cedar: they validate strictly against the generated schema.
    expect(validateBundle(bundle)).toEqual([]);
    expect(Object.keys(staticPolicySet(bundle))).toEqual(bundle.policies.map((p) => p.id));
  });

  test("an assistant without a tools section gets only the session-age (default 3600 s) and expiry forbids", () => {
    const bundle = compileToolPolicies({ name: "tool-bot", environment: "dev", expires: "2026-12-01", revoked: false });
    expect(bundle.policies).toEqual([
      {
        id: "session-age",
        effect: "forbid",
        statement: `forbid (\n  principal == ${PRINCIPAL},\n  action,\n  resource\n)\nwhen { context.sessionAgeSeconds > 3600 || context.sessionAgeSeconds < 0 };`,
        description: "calls from a session older than 3600 s are denied; start a new session",
      },
      {
        id: "expired",
        effect: "forbid",
        statement: `forbid (\n  principal == ${PRINCIPAL},\n  action,\n  resource\n)\nwhen { context.now >= 1796083200 };`,
        description: "tool-bot expired: access ended at 2026-12-01T00:00:00Z",
      },
    ]);
  });
});

describe("compileToolPolicies: GitHub tools", () => {
  test("github:read: a permit on the exact repository with the tool's description, and a task-id forbid", () => {
    const bundle = compileToolPolicies(toolBot());
    expect(byId(bundle, "permit-github-read-acme-app")).toEqual({
      id: "permit-github-read-acme-app",
      effect: "permit",
      statement: `permit (\n  principal == ${PRINCIPAL},\n  action == AssistantTools::Action::"github:read",\n  resource == AssistantTools::GithubRepository::"acme/app"\n);`,
      description: "github:read on acme/app is declared for tool-bot: reads the code",
    });
    expect(byId(bundle, "task-id-github-read-acme-app")).toEqual({
      id: "task-id-github-read-acme-app",
      effect: "forbid",
      statement: `forbid (\n  principal == ${PRINCIPAL},\n  action == AssistantTools::Action::"github:read",\n  resource == AssistantTools::GithubRepository::"acme/app"\n)\nunless { context has taskId && context.taskId != "" };`,
      description: "github:read on acme/app requires a task id; the call carried none",
    });
  });

  test("github:create-pull-request without requiresTaskId: only a permit, described without a suffix", () => {
    const bundle = compileToolPolicies(toolBot());
    expect(byId(bundle, "permit-github-create-pull-request-acme-app")).toEqual({
      id: "permit-github-create-pull-request-acme-app",
      effect: "permit",
      statement: `permit (\n  principal == ${PRINCIPAL},\n  action == AssistantTools::Action::"github:create-pull-request",\n  resource == AssistantTools::GithubRepository::"acme/app"\n);`,
      description: "github:create-pull-request on acme/app is declared for tool-bot",
    });
    expect(bundle.policies.map((p) => p.id)).not.toContain("task-id-github-create-pull-request-acme-app");
  });

  test("github:push with requiresApproval: permit, task-id forbid and an approval forbid bound to the task id", () => {
    const bundle = compileToolPolicies(toolBot());
    const scope = `  action == AssistantTools::Action::"github:push",\n  resource == AssistantTools::GithubRepository::"acme/app"\n)`;
    expect(byId(bundle, "permit-github-push-acme-app")).toEqual({
      id: "permit-github-push-acme-app",
      effect: "permit",
      statement: `permit (\n  principal == ${PRINCIPAL},\n${scope};`,
      description: "github:push on acme/app is declared for tool-bot",
    });
    expect(byId(bundle, "task-id-github-push-acme-app").statement).toBe(`forbid (\n  principal == ${PRINCIPAL},\n${scope}\nunless { context has taskId && context.taskId != "" };`);
    expect(byId(bundle, "approval-github-push-acme-app")).toEqual({
      id: "approval-github-push-acme-app",
      effect: "forbid",
      statement:
        `forbid (\n  principal == ${PRINCIPAL},\n${scope}\n` +
        `unless { context has taskId && context has approval && context.approval.taskId == context.taskId && context.approval.approver != "" };`,
      description: "github:push on acme/app requires a human approval for this task id; the call carried none",
    });
  });
});

describe("compileToolPolicies: S3 tools", () => {
  test("s3:write with a prefix: bucket and key-prefix conditions on every policy, labelled s3://bucket/prefix*", () => {
    const bundle = compileToolPolicies(toolBot());
    const head = `  principal == ${PRINCIPAL},\n  action == AssistantTools::Action::"s3:write",\n  resource is AssistantTools::S3Object\n)\nwhen { resource.bucket == "acme-out" && resource.key like "exports/daily/*" }`;
    expect(byId(bundle, "permit-s3-write-acme-out-exports-daily")).toEqual({
      id: "permit-s3-write-acme-out-exports-daily",
      effect: "permit",
      statement: `permit (\n${head};`,
      description: "s3:write on s3://acme-out/exports/daily/* is declared for tool-bot",
    });
    expect(byId(bundle, "task-id-s3-write-acme-out-exports-daily")).toEqual({
      id: "task-id-s3-write-acme-out-exports-daily",
      effect: "forbid",
      statement: `forbid (\n${head}\nunless { context has taskId && context.taskId != "" };`,
      description: "s3:write on s3://acme-out/exports/daily/* requires a task id; the call carried none",
    });
    expect(byId(bundle, "approval-s3-write-acme-out-exports-daily")).toEqual({
      id: "approval-s3-write-acme-out-exports-daily",
      effect: "forbid",
      statement: `forbid (\n${head}\nunless { context has taskId && context has approval && context.approval.taskId == context.taskId && context.approval.approver != "" };`,
      description: "s3:write on s3://acme-out/exports/daily/* requires a human approval for this task id; the call carried none",
    });
  });

  test("s3:read with an empty prefix: the bucket condition only (no key pattern)", () => {
    const bundle = compileToolPolicies(toolBot());
    expect(byId(bundle, "permit-s3-read-acme-out")).toEqual({
      id: "permit-s3-read-acme-out",
      effect: "permit",
      statement: `permit (\n  principal == ${PRINCIPAL},\n  action == AssistantTools::Action::"s3:read",\n  resource is AssistantTools::S3Object\n)\nwhen { resource.bucket == "acme-out" };`,
      description: "s3:read on s3://acme-out/* is declared for tool-bot",
    });
  });
});

describe("compileToolPolicies: database tools", () => {
  test("a read-only database gets a read-only forbid unless context.readOnly", () => {
    const bundle = compileToolPolicies(toolBot());
    const scope = `  principal == ${PRINCIPAL},\n  action == AssistantTools::Action::"db:query",\n  resource == AssistantTools::Database::"analytics"\n)`;
    expect(byId(bundle, "permit-db-query-analytics")).toEqual({
      id: "permit-db-query-analytics",
      effect: "permit",
      statement: `permit (\n${scope};`,
      description: "db:query on database analytics is declared for tool-bot",
    });
    expect(byId(bundle, "read-only-db-query-analytics")).toEqual({
      id: "read-only-db-query-analytics",
      effect: "forbid",
      statement: `forbid (\n${scope}\nunless { context.readOnly };`,
      description: "db:query on database analytics is read-only; the query was not run read-only",
    });
  });

  test("a read-write database gets only its permit", () => {
    const bundle = compileToolPolicies(toolBot());
    expect(byId(bundle, "permit-db-query-scratch")).toEqual({
      id: "permit-db-query-scratch",
      effect: "permit",
      statement: `permit (\n  principal == ${PRINCIPAL},\n  action == AssistantTools::Action::"db:query",\n  resource == AssistantTools::Database::"scratch"\n);`,
      description: "db:query on database scratch is declared for tool-bot",
    });
    expect(bundle.policies.filter((p) => p.id.endsWith("-db-query-scratch")).map((p) => p.id)).toEqual(["permit-db-query-scratch"]);
  });
});

describe("compileToolPolicies: HTTP tools", () => {
  test("declared methods: port 443 by default, a method condition, and the methods in the description", () => {
    const bundle = compileToolPolicies(toolBot());
    expect(byId(bundle, "permit-http-call-api-vendor-example-v1")).toEqual({
      id: "permit-http-call-api-vendor-example-v1",
      effect: "permit",
      statement:
        `permit (\n  principal == ${PRINCIPAL},\n  action == AssistantTools::Action::"http:call",\n  resource is AssistantTools::HttpEndpoint\n)\n` +
        `when { resource.scheme == "https" && resource.host == "api.vendor.example" && resource.port == 443 && resource.path like "/v1/*" && ["GET", "POST"].contains(context.method) };`,
      description: "http:call on https://api.vendor.example/v1/* (GET, POST) is declared for tool-bot: vendor api",
    });
  });

  test("no methods and an explicit port: the port is matched and no method condition or list appears", () => {
    const bundle = compileToolPolicies(toolBot());
    expect(byId(bundle, "permit-http-call-hooks-vendor-example-8443-in")).toEqual({
      id: "permit-http-call-hooks-vendor-example-8443-in",
      effect: "permit",
      statement:
        `permit (\n  principal == ${PRINCIPAL},\n  action == AssistantTools::Action::"http:call",\n  resource is AssistantTools::HttpEndpoint\n)\n` +
        `when { resource.scheme == "https" && resource.host == "hooks.vendor.example" && resource.port == 8443 && resource.path like "/in/*" };`,
      description: "http:call on https://hooks.vendor.example:8443/in/* is declared for tool-bot",
    });
  });
});

describe("compileToolPolicies: secret tools", () => {
  test("secret:read with approval: exact-secret scope on permit, task-id and approval forbids", () => {
    const bundle = compileToolPolicies(toolBot());
    const scope = `  principal == ${PRINCIPAL},\n  action == AssistantTools::Action::"secret:read",\n  resource == AssistantTools::Secret::"ci/npm-token"\n)`;
    expect(bundle.policies.filter((p) => p.id.endsWith("-secret-read-ci-npm-token"))).toEqual([
      { id: "permit-secret-read-ci-npm-token", effect: "permit", statement: `permit (\n${scope};`, description: "secret:read on secret ci/npm-token is declared for tool-bot" },
      {
        id: "task-id-secret-read-ci-npm-token",
        effect: "forbid",
        statement: `forbid (\n${scope}\nunless { context has taskId && context.taskId != "" };`,
        description: "secret:read on secret ci/npm-token requires a task id; the call carried none",
      },
      {
        id: "approval-secret-read-ci-npm-token",
        effect: "forbid",
        statement: `forbid (\n${scope}\nunless { context has taskId && context has approval && context.approval.taskId == context.taskId && context.approval.approver != "" };`,
        description: "secret:read on secret ci/npm-token requires a human approval for this task id; the call carried none",
      },
    ]);
  });
});

describe("compileToolPolicies: forbidden chains", () => {
  test("one forbidden action: `action ==`, the prior actions, and the reason in the description", () => {
    const bundle = compileToolPolicies(toolBot());
    expect(byId(bundle, "chain-push-after-secret")).toEqual({
      id: "chain-push-after-secret",
      effect: "forbid",
      statement: `forbid (\n  principal == ${PRINCIPAL},\n  action == AssistantTools::Action::"github:push",\n  resource\n)\nwhen { context.priorActions.containsAll(["secret:read"]) };`,
      description: "forbidden chain push-after-secret: github:push after secret:read in the same task (a secret read must not be pushed to the repository)",
    });
  });

  test("several forbidden actions: `action in [...]`, de-duplicated prior actions joined with 'and', no reason", () => {
    const bundle = compileToolPolicies(toolBot());
    expect(byId(bundle, "chain-query-then-export")).toEqual({
      id: "chain-query-then-export",
      effect: "forbid",
      statement:
        `forbid (\n  principal == ${PRINCIPAL},\n  action in [AssistantTools::Action::"s3:write", AssistantTools::Action::"github:read"],\n  resource\n)\n` +
        `when { context.priorActions.containsAll(["db:query", "secret:read"]) };`,
      description: "forbidden chain query-then-export: s3:write, github:read after db:query and secret:read in the same task",
    });
  });
});

describe("compileToolPolicies: assistant-wide guards", () => {
  test("session-age uses the declared maximum and also denies a negative age", () => {
    const bundle = compileToolPolicies(toolBot());
    expect(byId(bundle, "session-age")).toEqual({
      id: "session-age",
      effect: "forbid",
      statement: `forbid (\n  principal == ${PRINCIPAL},\n  action,\n  resource\n)\nwhen { context.sessionAgeSeconds > 900 || context.sessionAgeSeconds < 0 };`,
      description: "calls from a session older than 900 s are denied; start a new session",
    });
  });

  test("expired forbids every call from 00:00Z of the expiry date, in epoch seconds", () => {
    const bundle = compileToolPolicies(toolBot());
    expect(byId(bundle, "expired")).toEqual({
      id: "expired",
      effect: "forbid",
      statement: `forbid (\n  principal == ${PRINCIPAL},\n  action,\n  resource\n)\nwhen { context.now >= 1798761600 };`,
      description: "tool-bot expired: access ended at 2027-01-01T00:00:00Z",
    });
  });

  test("a revoked assistant gets an unconditional revoked forbid, last", () => {
    const bundle = compileToolPolicies(toolBot({ revoked: true }));
    expect(bundle.policies[bundle.policies.length - 1]).toEqual({
      id: "revoked",
      effect: "forbid",
      statement: `forbid (\n  principal == ${PRINCIPAL},\n  action,\n  resource\n);`,
      description: "tool-bot is revoked (kill switch): every tool call is denied",
    });
  });

  test("two policies with the same id are refused with the id in the message", () => {
    // The schema rejects a repeated chain name; built directly, the compiler is the last line of defence.
    const parsed = AssistantTools.parse({ tools: [{ action: "github:read", target: { repository: "acme/app" } }] });
    const chain = { name: "read-after-secret", after: ["secret:read" as const], then: ["github:read" as const] };
    const a: ToolAssistant = { name: "tool-bot", environment: "prod", expires: "2027-01-01", revoked: false, tools: { ...parsed, forbiddenChains: [chain, chain] } };
    expect(() => compileToolPolicies(a)).toThrow(new Error("two generated Cedar policies share the id chain-read-after-secret: declare each action and target once"));
  });
});

describe("policy descriptions are cut to the 150-character Verified Permissions limit", () => {
  // "github:read on acme/app is declared for tool-bot: " is 50 characters.
  const PREFIX = "github:read on acme/app is declared for tool-bot: ";
  const withDescription = (description: string) => toolBot({}, { tools: [{ action: "github:read", target: { repository: "acme/app" }, requiresTaskId: false, description }] });

  test("exactly 150 characters are kept whole", () => {
    const d = compileToolPolicies(withDescription("d".repeat(100))).policies[0].description;
    expect(d).toBe(`${PREFIX}${"d".repeat(100)}`);
    expect(d).toHaveLength(150);
  });

  test("151 characters become the first 149 and an ellipsis", () => {
    const d = compileToolPolicies(withDescription("d".repeat(101))).policies[0].description;
    expect(d).toBe(`${PREFIX}${"d".repeat(99)}…`);
    expect(d).toHaveLength(150);
  });
});

describe("declaredTargetLabel", () => {
  test.each<[string, unknown, string]>([
    ["github:read", { action: "github:read", target: { repository: "acme/app" } }, "acme/app"],
    ["github:comment", { action: "github:comment", target: { repository: "acme/app" } }, "acme/app"],
    ["github:create-pull-request", { action: "github:create-pull-request", target: { repository: "acme/app" } }, "acme/app"],
    ["github:push", { action: "github:push", target: { repository: "acme/web" } }, "acme/web"],
    ["s3:read", { action: "s3:read", target: { bucket: "acme-in", prefix: "raw/" } }, "s3://acme-in/raw/*"],
    ["s3:write", { action: "s3:write", target: { bucket: "acme-out", prefix: "exports/" } }, "s3://acme-out/exports/*"],
    ["db:query", { action: "db:query", target: { database: "orders-pg/orders" } }, "database orders-pg/orders"],
    ["http:call", { action: "http:call", target: { url: "https://api.vendor.example/v1/" } }, "https://api.vendor.example/v1/*"],
    ["secret:read", { action: "secret:read", target: { secret: "ci/npm-token" } }, "secret ci/npm-token"],
  ])("%s", (_n, input, expected) => {
    expect(declaredTargetLabel(tool(input))).toBe(expected);
  });
});

describe("toolSlug", () => {
  test.each<[string, unknown, string]>([
    ["the s3:// scheme is dropped and the trailing '/*' trimmed", { action: "s3:write", target: { bucket: "acme-out", prefix: "exports/daily/" } }, "s3-write-acme-out-exports-daily"],
    ["the https:// scheme is dropped", { action: "http:call", target: { url: "https://api.vendor.example/v1/" } }, "http-call-api-vendor-example-v1"],
    ["the 'database ' label word is dropped", { action: "db:query", target: { database: "orders-pg/orders" } }, "db-query-orders-pg-orders"],
    ["the 'secret ' label word is dropped", { action: "secret:read", target: { secret: "ci/npm-token" } }, "secret-read-ci-npm-token"],
    ["lower-cased, and a run of punctuation becomes one dash", { action: "github:push", target: { repository: "Acme/App_.Legacy" } }, "github-push-acme-app-legacy"],
  ])("%s", (_n, input, expected) => {
    expect(toolSlug(tool(input))).toBe(expected);
  });

  test("a 54-character slug (the longest that still fits 'read-only-' + slug in 64) is kept whole", () => {
    const s = toolSlug(tool({ action: "github:read", target: { repository: `acme/${"x".repeat(37)}` } }));
    expect(s).toBe(`github-read-acme-${"x".repeat(37)}`);
    expect(s).toHaveLength(54);
  });

  test("a 55-character slug is cut to 45, loses the dash at the cut, and gets the first 8 hex of sha256(action-target)", () => {
    // sha256("github:read-acme/" + "a"*27 + "-bbbbbbbbbb") = febf920cb626d964…
    const s = toolSlug(tool({ action: "github:read", target: { repository: `acme/${"a".repeat(27)}-${"b".repeat(10)}` } }));
    expect(s).toBe(`github-read-acme-${"a".repeat(27)}-febf920c`);
  });

  test("a long S3 slug is cut mid-word and suffixed with its digest", () => {
    // sha256("s3:write-acme-analytics-exports-eu-west-1/reports/daily/finance/quarterly/*") = 70098f3a…
    const t = tool({ action: "s3:write", target: { bucket: "acme-analytics-exports-eu-west-1", prefix: "reports/daily/finance/quarterly/" } });
    expect(toolSlug(t)).toBe("s3-write-acme-analytics-exports-eu-west-1-rep-70098f3a");
    const ids = compileToolPolicies(toolBot({}, { tools: [{ action: "s3:write", target: { bucket: "acme-analytics-exports-eu-west-1", prefix: "reports/daily/finance/quarterly/" } }] })).policies.map((p) => p.id);
    expect(ids.slice(0, 2)).toEqual(["permit-s3-write-acme-analytics-exports-eu-west-1-rep-70098f3a", "task-id-s3-write-acme-analytics-exports-eu-west-1-rep-70098f3a"]);
  });
});

describe("expiryEpochSeconds", () => {
  test("is 00:00:00Z of the date in Unix epoch seconds", () => {
    expect(expiryEpochSeconds("2027-01-01")).toBe(1798761600);
  });

  test.each([
    ["a date without zero padding", "2027-1-1"],
    ["an expanded-year date Date.parse accepts", "+002027-01-01"],
    ["a date followed by text Date.parse reads as June", "2027-01-01 junk"],
  ])("rejects %s with the value in the message", (_n, expires) => {
    expect(() => expiryEpochSeconds(expires)).toThrow(new Error(`expires must be YYYY-MM-DD; got ${JSON.stringify(expires)}`));
  });

  test("compileToolPolicies refuses an assistant whose expiry is not YYYY-MM-DD", () => {
    expect(() => compileToolPolicies(toolBot({ expires: "2027/01/01" }))).toThrow(new Error('expires must be YYYY-MM-DD; got "2027/01/01"'));
  });
});

describe("tool slugs that meet (found by the mutation review)", () => {
  test("api.x.example and api-x.example fold to one slug: both get a digest suffix, the compile succeeds and validates; other ids are unchanged", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { compileToolPolicies: compile, validateBundle: validate } = require("../../../core/cedar") as typeof import("../../../core/cedar");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { assistant: mk } = require("./examples") as typeof import("./examples");
    const bundle = compile(
      mk("x", {
        tools: [
          { action: "http:call", target: { url: "https://api.x.example/v1/", methods: ["GET"] } },
          { action: "http:call", target: { url: "https://api-x.example/v1/", methods: ["GET"] } },
          { action: "http:call", target: { url: "https://api.y.example/v1/", methods: ["GET"] } },
        ],
      } as never),
    );
    expect(bundle.policies.map((p) => p.id)).toStrictEqual([
      "permit-http-call-api-x-example-v1-a82e2720",
      "task-id-http-call-api-x-example-v1-a82e2720",
      "permit-http-call-api-x-example-v1-3066cacd",
      "task-id-http-call-api-x-example-v1-3066cacd",
      "permit-http-call-api-y-example-v1",
      "task-id-http-call-api-y-example-v1",
      "session-age",
      "expired",
    ]);
    expect(validate(bundle)).toStrictEqual([]);
  });
});
