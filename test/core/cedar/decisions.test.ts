/**
 * Decision tables: each example assistant's generated policies, evaluated by the real Cedar
 * engine (cedar-wasm) through authorize(). Expected decisions follow from the spec in
 * ./examples.ts; determining policies say which rule decided.
 */
import { compileToolPolicies, createAuthorizer, localCedarEngine, type ToolCallRequest } from "../../../core/cedar";
import type { ToolAssistant } from "../../../core/spec/tools";
import { DATA_ANALYST, PR_REVIEWER } from "./examples";

const NOW = new Date("2026-06-01T12:00:00Z");

function authorizerFor(a: ToolAssistant) {
  const bundle = compileToolPolicies(a);
  const events: unknown[] = [];
  const authz = createAuthorizer({ engine: localCedarEngine(bundle), policies: bundle.policies, sink: (e) => events.push(e), clock: () => NOW });
  return { authz, events, bundle };
}

interface Row {
  name: string;
  req: Partial<ToolCallRequest> & Pick<ToolCallRequest, "action" | "target">;
  decision: "allow" | "deny";
  /** Determining policies, exactly (sorted). */
  policyIds: string[];
}

function run(a: ToolAssistant, base: Omit<ToolCallRequest, "action" | "target">, rows: Row[]) {
  const { authz, events } = authorizerFor(a);
  test.each(rows.map((r) => [r.name, r] as const))("%s", (_n, r) => {
    const before = events.length;
    const res = authz.authorizeSync!({ ...base, ...r.req } as ToolCallRequest);
    expect({ decision: res.decision, policyIds: res.policyIds }).toEqual({ decision: r.decision, policyIds: [...r.policyIds].sort() });
    expect(res.reasons.length).toBeGreaterThan(0);
    // One event per decision, on the tool-call stream, agreeing with the result.
    expect(events.length).toBe(before + 1);
    expect(events[before]).toMatchObject({ stream: "tool-call", decision: r.decision, policyIds: res.policyIds, assistant: r.req.assistant ?? base.assistant, action: r.req.action });
  });
}

describe("pr-reviewer decision table (cedar-wasm)", () => {
  const T = "task-42";
  const base = { assistant: "pr-reviewer", taskId: T, sessionAgeSeconds: 600, priorActions: [] as string[] };
  const approval = { approver: "alice@acme.example", taskId: T };
  run(PR_REVIEWER, base, [
    { name: "allowed: github:comment on the declared repository", req: { action: "github:comment", target: { repository: "acme/app" } }, decision: "allow", policyIds: ["permit-github-comment-acme-app"] },
    { name: "allowed: github:read on the declared repository", req: { action: "github:read", target: { repository: "acme/app" } }, decision: "allow", policyIds: ["permit-github-read-acme-app"] },
    { name: "denied: github:comment on another repository", req: { action: "github:comment", target: { repository: "acme/payments" } }, decision: "deny", policyIds: [] },
    { name: "denied: a repository name that only differs in case", req: { action: "github:comment", target: { repository: "Acme/App" } }, decision: "deny", policyIds: [] },
    { name: "denied: an undeclared action on the declared repository", req: { action: "github:push", target: { repository: "acme/app" } }, decision: "deny", policyIds: [] },
    { name: "denied: call without task id", req: { action: "github:comment", target: { repository: "acme/app" }, taskId: undefined }, decision: "deny", policyIds: ["task-id-github-comment-acme-app"] },
    { name: "denied: call with an empty task id", req: { action: "github:comment", target: { repository: "acme/app" }, taskId: "" }, decision: "deny", policyIds: ["task-id-github-comment-acme-app"] },
    { name: "allowed: s3:read inside the declared prefix", req: { action: "s3:read", target: { bucket: "acme-ci-reports", key: "coverage/app/lcov.info" } }, decision: "allow", policyIds: ["permit-s3-read-acme-ci-reports-coverage"] },
    { name: "denied: s3:read outside the prefix in the same bucket", req: { action: "s3:read", target: { bucket: "acme-ci-reports", key: "secrets/coverage/x" } }, decision: "deny", policyIds: [] },
    { name: "denied: s3:read of a key that only shares the prefix's letters", req: { action: "s3:read", target: { bucket: "acme-ci-reports", key: "coverage-old/x" } }, decision: "deny", policyIds: [] },
    { name: "denied: s3:read of the same prefix in another bucket", req: { action: "s3:read", target: { bucket: "acme-ci-reports-2", key: "coverage/x" } }, decision: "deny", policyIds: [] },
    { name: "allowed: http:call GET under the declared URL prefix", req: { action: "http:call", target: { url: "https://api.sonar.example/v1/issues?project=app" }, method: "GET" }, decision: "allow", policyIds: ["permit-http-call-api-sonar-example-v1"] },
    { name: "denied: http:call with an undeclared method", req: { action: "http:call", target: { url: "https://api.sonar.example/v1/issues" }, method: "POST" }, decision: "deny", policyIds: [] },
    { name: "denied: http:call outside the path prefix", req: { action: "http:call", target: { url: "https://api.sonar.example/v2/issues" }, method: "GET" }, decision: "deny", policyIds: [] },
    { name: "denied: http:call escaping the prefix with ..", req: { action: "http:call", target: { url: "https://api.sonar.example/v1/../admin" }, method: "GET" }, decision: "deny", policyIds: [] },
    { name: "denied: http:call escaping the prefix with %2e%2e", req: { action: "http:call", target: { url: "https://api.sonar.example/v1/%2e%2e/admin" }, method: "GET" }, decision: "deny", policyIds: [] },
    { name: "denied: http:call over plain http", req: { action: "http:call", target: { url: "http://api.sonar.example/v1/issues" }, method: "GET" }, decision: "deny", policyIds: [] },
    { name: "denied: http:call to a look-alike host", req: { action: "http:call", target: { url: "https://api.sonar.example.evil.test/v1/issues" }, method: "GET" }, decision: "deny", policyIds: [] },
    { name: "denied: http:call to another port", req: { action: "http:call", target: { url: "https://api.sonar.example:8443/v1/issues" }, method: "GET" }, decision: "deny", policyIds: [] },
    { name: "allowed: secret:read with an approval bound to the task", req: { action: "secret:read", target: { secret: "ci/sonar-token" }, approval }, decision: "allow", policyIds: ["permit-secret-read-ci-sonar-token"] },
    { name: "denied: secret:read needing approval without it", req: { action: "secret:read", target: { secret: "ci/sonar-token" } }, decision: "deny", policyIds: ["approval-secret-read-ci-sonar-token"] },
    { name: "denied: secret:read with an approval for another task", req: { action: "secret:read", target: { secret: "ci/sonar-token" }, approval: { approver: "alice@acme.example", taskId: "task-7" } }, decision: "deny", policyIds: ["approval-secret-read-ci-sonar-token"] },
    {
      name: "denied: secret:read with neither task id nor approval (both guards fire)",
      req: { action: "secret:read", target: { secret: "ci/sonar-token" }, taskId: undefined },
      decision: "deny",
      policyIds: ["approval-secret-read-ci-sonar-token", "task-id-secret-read-ci-sonar-token"],
    },
    { name: "denied: forbidden chain, http:call after secret:read in the task", req: { action: "http:call", target: { url: "https://api.sonar.example/v1/issues" }, method: "GET", priorActions: ["secret:read"] }, decision: "deny", policyIds: ["chain-secret-then-egress"] },
    { name: "denied: forbidden chain, github:comment after secret:read in the task", req: { action: "github:comment", target: { repository: "acme/app" }, priorActions: ["github:read", "secret:read"] }, decision: "deny", policyIds: ["chain-secret-then-egress"] },
    { name: "allowed: github:read after secret:read (not in the chain)", req: { action: "github:read", target: { repository: "acme/app" }, priorActions: ["secret:read"] }, decision: "allow", policyIds: ["permit-github-read-acme-app"] },
    { name: "allowed: http:call after other actions", req: { action: "http:call", target: { url: "https://api.sonar.example/v1/x" }, method: "get", priorActions: ["github:read", "s3:read"] }, decision: "allow", policyIds: ["permit-http-call-api-sonar-example-v1"] },
    { name: "allowed: the last second before expiry", req: { action: "github:comment", target: { repository: "acme/app" }, now: new Date("2026-12-31T23:59:59Z") }, decision: "allow", policyIds: ["permit-github-comment-acme-app"] },
    { name: "denied: a call at expiry (00:00Z of the expiry date)", req: { action: "github:comment", target: { repository: "acme/app" }, now: new Date("2027-01-01T00:00:00Z") }, decision: "deny", policyIds: ["expired"] },
    { name: "denied: a call after expiry", req: { action: "github:read", target: { repository: "acme/app" }, now: new Date("2027-03-01T08:00:00Z") }, decision: "deny", policyIds: ["expired"] },
    { name: "allowed: session exactly at its maximum age", req: { action: "github:read", target: { repository: "acme/app" }, sessionAgeSeconds: 3600 }, decision: "allow", policyIds: ["permit-github-read-acme-app"] },
    { name: "denied: session older than its maximum age", req: { action: "github:read", target: { repository: "acme/app" }, sessionAgeSeconds: 3601 }, decision: "deny", policyIds: ["session-age"] },
    { name: "denied: negative session age", req: { action: "github:read", target: { repository: "acme/app" }, sessionAgeSeconds: -5 }, decision: "deny", policyIds: ["session-age"] },
    { name: "denied: another assistant using this policy set", req: { action: "github:read", target: { repository: "acme/app" }, assistant: "other-bot" } as Row["req"], decision: "deny", policyIds: [] },
  ]);
});

describe("pr-reviewer after revocation", () => {
  const revoked = { ...PR_REVIEWER, revoked: true };
  const base = { assistant: "pr-reviewer", taskId: "t1", sessionAgeSeconds: 60 };
  run(revoked, base, [
    { name: "denied: a call that was allowed before revocation", req: { action: "github:comment", target: { repository: "acme/app" } }, decision: "deny", policyIds: ["revoked"] },
    { name: "denied: approved secret read", req: { action: "secret:read", target: { secret: "ci/sonar-token" }, approval: { approver: "alice@acme.example", taskId: "t1" } }, decision: "deny", policyIds: ["revoked"] },
  ]);
  test("only the revoked policy differs from the live assistant's set", () => {
    const live = compileToolPolicies(PR_REVIEWER).policies.map((p) => p.id);
    const dead = compileToolPolicies(revoked).policies.map((p) => p.id);
    expect(dead).toEqual([...live, "revoked"]);
  });
});

describe("data-analyst decision table (cedar-wasm)", () => {
  const T = "task-9";
  const base = { assistant: "data-analyst", taskId: T, sessionAgeSeconds: 120, priorActions: [] as string[] };
  const approval = { approver: "bob@acme.example", taskId: T };
  run(DATA_ANALYST, base, [
    { name: "allowed: read-only query on the read-only database", req: { action: "db:query", target: { database: "analytics" }, readOnly: true }, decision: "allow", policyIds: ["permit-db-query-analytics"] },
    { name: "denied: read-write query on the read-only database", req: { action: "db:query", target: { database: "analytics" }, readOnly: false }, decision: "deny", policyIds: ["read-only-db-query-analytics"] },
    { name: "denied: query whose read-only mode is not stated", req: { action: "db:query", target: { database: "analytics" } }, decision: "deny", policyIds: ["read-only-db-query-analytics"] },
    { name: "allowed: write query on the read-write scratch database without task id", req: { action: "db:query", target: { database: "scratch" }, readOnly: false, taskId: undefined }, decision: "allow", policyIds: ["permit-db-query-scratch"] },
    { name: "denied: query on another database", req: { action: "db:query", target: { database: "orders" }, readOnly: true }, decision: "deny", policyIds: [] },
    { name: "denied: query on the read-only database without task id", req: { action: "db:query", target: { database: "analytics" }, readOnly: true, taskId: undefined }, decision: "deny", policyIds: ["task-id-db-query-analytics"] },
    { name: "allowed: approved s3:write in the export prefix", req: { action: "s3:write", target: { bucket: "acme-analytics-exports", key: "reports/daily/2026-06-01.csv" }, approval }, decision: "allow", policyIds: ["permit-s3-write-acme-analytics-exports-reports-daily"] },
    { name: "denied: s3:write needing approval without it", req: { action: "s3:write", target: { bucket: "acme-analytics-exports", key: "reports/daily/2026-06-01.csv" } }, decision: "deny", policyIds: ["approval-s3-write-acme-analytics-exports-reports-daily"] },
    { name: "denied: approved s3:write outside the prefix", req: { action: "s3:write", target: { bucket: "acme-analytics-exports", key: "reports/weekly/x.csv" }, approval }, decision: "deny", policyIds: [] },
    { name: "allowed: s3:read anywhere in the bucket (empty prefix)", req: { action: "s3:read", target: { bucket: "acme-analytics-exports", key: "any/where.csv" } }, decision: "allow", policyIds: ["permit-s3-read-acme-analytics-exports"] },
    { name: "allowed: approved s3:write after only one of the chain's actions", req: { action: "s3:write", target: { bucket: "acme-analytics-exports", key: "reports/daily/a.csv" }, approval, priorActions: ["db:query"] }, decision: "allow", policyIds: ["permit-s3-write-acme-analytics-exports-reports-daily"] },
    { name: "denied: forbidden chain, s3:write after db:query and s3:read", req: { action: "s3:write", target: { bucket: "acme-analytics-exports", key: "reports/daily/a.csv" }, approval, priorActions: ["s3:read", "db:query"] }, decision: "deny", policyIds: ["chain-query-then-export"] },
    { name: "denied: session older than 1800 s", req: { action: "db:query", target: { database: "analytics" }, readOnly: true, sessionAgeSeconds: 1801 }, decision: "deny", policyIds: ["session-age"] },
    { name: "denied: a call after expiry (2026-12-01)", req: { action: "db:query", target: { database: "analytics" }, readOnly: true, now: new Date("2026-12-01T00:00:01Z") }, decision: "deny", policyIds: ["expired"] },
    { name: "denied: an action this assistant does not declare", req: { action: "secret:read", target: { secret: "db/password" } }, decision: "deny", policyIds: [] },
  ]);
});

describe("an assistant with no tools section", () => {
  const bare: ToolAssistant = { name: "bare-bot", environment: "dev", expires: "2027-01-01", revoked: false };
  const base = { assistant: "bare-bot", taskId: "t", sessionAgeSeconds: 1 };
  run(bare, base, [{ name: "denied: everything (default deny)", req: { action: "github:read", target: { repository: "acme/app" } }, decision: "deny", policyIds: [] }]);
});
