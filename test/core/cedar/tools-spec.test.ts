/** The `tools` section schema (core/spec/tools.ts). */
import { AssistantTools, toolKey } from "../../../core/spec/tools";
import { DATA_ANALYST_TOOLS, PR_REVIEWER_TOOLS } from "./examples";

const issues = (input: unknown) => {
  const r = AssistantTools.safeParse(input);
  if (r.success) return [];
  return r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("AssistantTools", () => {
  test("the examples parse, with defaults applied", () => {
    const t = AssistantTools.parse(PR_REVIEWER_TOOLS);
    expect(t.tools[0]).toEqual({ action: "github:read", target: { repository: "acme/app" }, requiresTaskId: true, requiresApproval: false });
    expect(t.tools[2]).toMatchObject({ target: { bucket: "acme-ci-reports", prefix: "coverage/" } });
    const d = AssistantTools.parse(DATA_ANALYST_TOOLS);
    expect(d.tools[0]).toMatchObject({ target: { database: "analytics", access: "read-only" } });
    expect(d.tools[3]).toMatchObject({ target: { bucket: "acme-analytics-exports", prefix: "" } });
    expect(AssistantTools.parse({ tools: [{ action: "github:read", target: { repository: "a/b" } }] })).toEqual({
      tools: [{ action: "github:read", target: { repository: "a/b" }, requiresTaskId: true, requiresApproval: false }],
      forbiddenChains: [],
      maxSessionAgeSeconds: 3600,
    });
  });

  test.each([
    ["unknown action", { tools: [{ action: "shell:exec", target: {} }] }, /expected tool.action to be one of/],
    ["target of another action's shape", { tools: [{ action: "github:comment", target: { bucket: "b-1" } }] }, /tools.0.target/],
    ["wildcard repository", { tools: [{ action: "github:comment", target: { repository: "acme/*" } }] }, /OWNER\/REPO/],
    ["wildcard S3 prefix", { tools: [{ action: "s3:read", target: { bucket: "acme-b", prefix: "reports/*" } }] }, /without '\*'/],
    ["dot-dot S3 prefix", { tools: [{ action: "s3:read", target: { bucket: "acme-b", prefix: "a/../b/" } }] }, /'\.\.' segments/],
    ["http (not https) endpoint", { tools: [{ action: "http:call", target: { url: "http://api.x.example/" } }] }, /https URL prefix/],
    ["endpoint with a query", { tools: [{ action: "http:call", target: { url: "https://api.x.example/v1?x=1" } }] }, /https URL prefix/],
    ["endpoint with wildcard host", { tools: [{ action: "http:call", target: { url: "https://*.x.example/" } }] }, /https URL prefix/],
    ["endpoint with userinfo", { tools: [{ action: "http:call", target: { url: "https://u@api.x.example/" } }] }, /https URL prefix/],
    ["unknown method", { tools: [{ action: "http:call", target: { url: "https://api.x.example/", methods: ["TRACE"] } }] }, /HTTP method/],
    ["empty tools", { tools: [] }, /at least one declared tool/],
    ["unknown field", { tools: [{ action: "github:read", target: { repository: "a/b" }, extra: 1 }] }, /tools.0/],
    ["session age over 12 h", { tools: [{ action: "github:read", target: { repository: "a/b" } }], maxSessionAgeSeconds: 86400 }, /at most 43200/],
    [
      "duplicate action and target",
      { tools: [{ action: "github:read", target: { repository: "a/b" } }, { action: "github:read", target: { repository: "a/b" }, requiresApproval: true }] },
      /tools.1: must declare each action and target once; got github:read github:a\/b again \(first at tools\[0\]\)/,
    ],
    [
      "approval without task id",
      { tools: [{ action: "secret:read", target: { secret: "x" }, requiresApproval: true, requiresTaskId: false }] },
      /tools.0.requiresTaskId: must require a task id when approval is required/,
    ],
    [
      "chain forbidding an undeclared action",
      { tools: [{ action: "secret:read", target: { secret: "x" } }], forbiddenChains: [{ name: "c1", after: ["secret:read"], then: ["http:call"] }] },
      /forbiddenChains.0.then.0: must forbid an action the assistant declares; got http:call/,
    ],
    [
      "chain guarding a tool that needs no task id",
      {
        tools: [{ action: "secret:read", target: { secret: "x" } }, { action: "http:call", target: { url: "https://a.example/" }, requiresTaskId: false }],
        forbiddenChains: [{ name: "c1", after: ["secret:read"], then: ["http:call"] }],
      },
      /tools.1.requiresTaskId: must require a task id for http:call: forbidden chain c1/,
    ],
    [
      "duplicate chain names",
      {
        tools: [{ action: "github:read", target: { repository: "a/b" } }],
        forbiddenChains: [{ name: "c1", after: ["secret:read"], then: ["github:read"] }, { name: "c1", after: ["s3:read"], then: ["github:read"] }],
      },
      /forbiddenChains.1.name: must name each chain once/,
    ],
  ])("rejects %s", (_n, input, re) => {
    const got = issues(input);
    expect(got.length).toBeGreaterThan(0);
    expect(got.join("\n")).toMatch(re);
  });

  test("toolKey tells targets apart", () => {
    const t = AssistantTools.parse(PR_REVIEWER_TOOLS).tools.map(toolKey);
    expect(t).toEqual([
      "github:read github:acme/app",
      "github:comment github:acme/app",
      "s3:read s3://acme-ci-reports/coverage/",
      "secret:read secret:ci/sonar-token",
      "http:call https://api.sonar.example/v1/",
    ]);
  });
});
