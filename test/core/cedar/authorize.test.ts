/** authorize(): events, stream separation, fail-closed paths, and the Verified Permissions adapter. */
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import {
  authorize,
  compileToolPolicies,
  createAuthorizer,
  jsonLinesSink,
  localCedarEngine,
  routeByStream,
  TaskLedger,
  toIsAuthorizedInput,
  toCedarRequest,
  verifiedPermissionsEngine,
  type AvpIsAuthorizedInput,
  type AvpIsAuthorizedOutput,
  type DecisionEngine,
  type SecretAccessEvent,
  type ToolCallEvent,
  type ToolCallRequest,
} from "../../../core/cedar";
import type { AvpAttributeValue } from "../../../core/cedar/avp";
import { PR_REVIEWER } from "./examples";

const NOW = new Date("2026-06-01T12:00:00Z");
const bundle = compileToolPolicies(PR_REVIEWER);
const local = localCedarEngine(bundle);
const comment: ToolCallRequest = { assistant: "pr-reviewer", action: "github:comment", target: { repository: "acme/app" }, taskId: "t-1", sessionAgeSeconds: 30 };

describe("decision events", () => {
  test("an allow is one tool-call event with the decision, reasons and context, and no call arguments", async () => {
    const events: ToolCallEvent[] = [];
    const res = await authorize({ ...comment, priorActions: ["github:read"] }, { engine: local, policies: bundle.policies, sink: (e) => events.push(e), clock: () => NOW });
    expect(res).toEqual({ decision: "allow", reasons: ["github:comment on acme/app is declared for pr-reviewer: review comments on pull requests"], policyIds: ["permit-github-comment-acme-app"] });
    expect(events).toHaveLength(1);
    const { durationMs, ...rest } = events[0];
    expect(durationMs).toBeGreaterThanOrEqual(0);
    expect(rest).toEqual({
      stream: "tool-call",
      version: 1,
      time: "2026-06-01T12:00:00.000Z",
      assistant: "pr-reviewer",
      action: "github:comment",
      target: "acme/app",
      taskId: "t-1",
      decision: "allow",
      reasons: res.reasons,
      policyIds: res.policyIds,
      errors: [],
      engine: "cedar-wasm",
      sessionAgeSeconds: 30,
      priorActions: ["github:read"],
      approver: null,
      method: null,
      readOnly: null,
    });
  });

  test("an http:call event records the URL without its query string", async () => {
    const events: ToolCallEvent[] = [];
    await authorize(
      { assistant: "pr-reviewer", action: "http:call", target: { url: "https://api.sonar.example/v1/issues?token=SECRET" }, method: "GET", taskId: "t", sessionAgeSeconds: 1 },
      { engine: local, sink: (e) => events.push(e), clock: () => NOW },
    );
    expect(events[0].target).toBe("https://api.sonar.example/v1/issues");
    expect(JSON.stringify(events[0])).not.toContain("SECRET");
  });

  test("jsonLinesSink writes one parseable JSON line per decision", async () => {
    const lines: string[] = [];
    const authz = createAuthorizer({ engine: local, policies: bundle.policies, sink: jsonLinesSink((l) => lines.push(l)), clock: () => NOW });
    await authz.authorize(comment);
    await authz.authorize({ ...comment, target: { repository: "acme/other" } });
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.endsWith("\n") && !l.slice(0, -1).includes("\n"))).toBe(true);
    expect(lines.map((l) => JSON.parse(l).decision)).toEqual(["allow", "deny"]);
    expect(JSON.parse(lines[1]).reasons).toEqual(["no permit: github:comment on acme/other is not declared for pr-reviewer"]);
  });

  test("routeByStream keeps tool-call and secret-access events in their own sinks and rejects unknown streams", async () => {
    const toolCalls: ToolCallEvent[] = [];
    const secretAccess: SecretAccessEvent[] = [];
    const route = routeByStream({ "tool-call": (e) => toolCalls.push(e), "secret-access": (e) => secretAccess.push(e) });
    await authorize({ ...comment, action: "secret:read", target: { secret: "ci/sonar-token" }, approval: { approver: "alice", taskId: "t-1" } }, { engine: local, sink: route, clock: () => NOW });
    route({ stream: "secret-access", secret: "ci/sonar-token", broker: "vault" });
    expect(toolCalls.map((e) => [e.stream, e.action, e.decision])).toEqual([["tool-call", "secret:read", "allow"]]);
    expect(secretAccess).toEqual([{ stream: "secret-access", secret: "ci/sonar-token", broker: "vault" }]);
    expect(() => route({ stream: "audit" } as unknown as SecretAccessEvent)).toThrow(/unknown event stream "audit"/);
    const lines: string[] = [];
    const toLines = routeByStream({ "tool-call": jsonLinesSink((l) => lines.push(`T ${l}`)), "secret-access": jsonLinesSink<SecretAccessEvent>((l) => lines.push(`S ${l}`)) });
    toLines({ stream: "secret-access", secret: "x" });
    await authorize(comment, { engine: local, sink: toLines, clock: () => NOW });
    expect(lines.map((l) => l.slice(0, 2) + JSON.parse(l.slice(2)).stream)).toEqual(["S secret-access", "T tool-call"]);
  });
});

describe("fail closed", () => {
  test("a malformed call is denied without asking the engine, and still logged", async () => {
    const events: ToolCallEvent[] = [];
    let asked = 0;
    const spy: DecisionEngine = { name: "spy", decide: (r) => (asked++, local.decideSync(r)) };
    const cases: [ToolCallRequest, RegExp][] = [
      [{ ...comment, target: { bucket: "b", key: "k" } }, /target.repository/],
      [{ ...comment, action: "http:call", target: { url: "not a url" }, method: "GET" }, /absolute URL/],
      [{ ...comment, action: "http:call", target: { url: "https://api.sonar.example/v1/x" } }, /method for http:call/],
      [{ ...comment, action: "http:call", target: { url: "https://u:p@api.sonar.example/v1/x" }, method: "GET" }, /userinfo/],
      [{ ...comment, action: "shell:exec" as never }, /catalogue action/],
      [{ ...comment, sessionAgeSeconds: 1.5 }, /whole seconds/],
      [{ ...comment, action: "s3:read", target: { bucket: "acme-ci-reports", key: "coverage/../private/x" } }, /'\.\.' segments/],
    ];
    for (const [req, re] of cases) {
      const res = await authorize(req, { engine: spy, sink: (e) => events.push(e), clock: () => NOW });
      expect(res.decision).toBe("deny");
      expect(res.reasons.join()).toMatch(re);
    }
    expect(asked).toBe(0);
    expect(events.map((e) => [e.decision, e.engine])).toEqual(cases.map(() => ["deny", "none"]));
  });

  test("an engine that throws gives deny; a fallback engine answers instead when configured", async () => {
    const down: DecisionEngine = { name: "verified-permissions", decide: async () => Promise.reject(new Error("ECONNRESET")) };
    const events: ToolCallEvent[] = [];
    const res = await authorize(comment, { engine: down, sink: (e) => events.push(e), clock: () => NOW });
    expect(res).toEqual({ decision: "deny", reasons: ["decision engine verified-permissions failed: ECONNRESET"], policyIds: [] });
    const res2 = await authorize(comment, { engine: down, fallback: local, policies: bundle.policies, sink: (e) => events.push(e), clock: () => NOW });
    expect(res2.decision).toBe("allow");
    expect(events.map((e) => e.engine)).toEqual(["verified-permissions", "verified-permissions→cedar-wasm"]);
  });

  test("an evaluation error turns an allow into a deny (a skipped forbid must not allow)", async () => {
    const erring: DecisionEngine = { name: "x", decide: () => ({ decision: "allow", policyIds: ["permit-github-comment-acme-app"], errors: ["chain-x: attribute not found"] }) };
    const res = await authorize(comment, { engine: erring, policies: bundle.policies, clock: () => NOW });
    expect(res.decision).toBe("deny");
    expect(res.reasons).toEqual(["evaluation error: chain-x: attribute not found"]);
  });

  test("a sink that cannot record the decision turns it into a deny", async () => {
    const res = await authorize(comment, { engine: local, policies: bundle.policies, sink: () => { throw new Error("disk full"); }, clock: () => NOW });
    expect(res).toEqual({ decision: "deny", reasons: ["the decision could not be recorded: disk full"], policyIds: ["permit-github-comment-acme-app"] });
  });

  test("a request whose context does not match the schema is denied by the engine's request validation", () => {
    const { request } = toCedarRequest(comment, NOW);
    const answer = local.decideSync({ ...request, context: { ...request.context, sessionAgeSeconds: "30" } });
    expect(answer.decision).toBe("deny");
    expect(answer.errors.join()).toMatch(/sessionAgeSeconds|context/);
  });
});

describe("TaskLedger feeds priorActions so chains are enforced across calls", () => {
  test("secret:read then http:call in one task: the second call is denied; in another task it is allowed", async () => {
    const ledger = new TaskLedger();
    const authz = createAuthorizer({ engine: local, policies: bundle.policies, clock: () => NOW });
    const call = (taskId: string, r: Partial<ToolCallRequest>) =>
      authz.authorize({ assistant: "pr-reviewer", sessionAgeSeconds: 5, taskId, priorActions: ledger.priorActions(taskId), ...r } as ToolCallRequest);
    const s = await call("A", { action: "secret:read", target: { secret: "ci/sonar-token" }, approval: { approver: "alice", taskId: "A" } });
    expect(s.decision).toBe("allow");
    ledger.record("A", "secret:read");
    const h = await call("A", { action: "http:call", target: { url: "https://api.sonar.example/v1/x" }, method: "GET" });
    expect(h).toMatchObject({ decision: "deny", policyIds: ["chain-secret-then-egress"] });
    expect(h.reasons[0]).toMatch(/^forbidden chain secret-then-egress/);
    const other = await call("B", { action: "http:call", target: { url: "https://api.sonar.example/v1/x" }, method: "GET" });
    expect(other.decision).toBe("allow");
    ledger.end("A");
    expect(ledger.priorActions("A")).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Verified Permissions adapter, against a fake client that evaluates the IsAuthorized input with
// cedar-wasm under store-assigned policy ids (as the real service does).
// ---------------------------------------------------------------------------------------------

function fromAttr(v: AvpAttributeValue): cedar.CedarValueJson {
  if ("boolean" in v) return v.boolean;
  if ("long" in v) return v.long;
  if ("string" in v) return v.string;
  if ("set" in v) return v.set.map(fromAttr);
  if ("record" in v) return Object.fromEntries(Object.entries(v.record).map(([k, x]) => [k, fromAttr(x)]));
  return { __entity: { type: v.entityIdentifier.entityType, id: v.entityIdentifier.entityId } };
}

function fakeAvp(storeIds: Record<string, string>) {
  const calls: AvpIsAuthorizedInput[] = [];
  const policies = Object.fromEntries(bundle.policies.map((p) => [storeIds[p.id], p.statement]));
  return {
    calls,
    client: {
      async isAuthorized(i: AvpIsAuthorizedInput): Promise<AvpIsAuthorizedOutput> {
        calls.push(i);
        expect(i.policyStoreId).toBe("PSstore123");
        const a = cedar.isAuthorized({
          principal: { type: i.principal.entityType, id: i.principal.entityId },
          action: { type: i.action.actionType, id: i.action.actionId },
          resource: { type: i.resource.entityType, id: i.resource.entityId },
          context: Object.fromEntries(Object.entries(i.context.contextMap).map(([k, v]) => [k, fromAttr(v)])),
          entities: i.entities.entityList.map((e) => ({
            uid: { type: e.identifier.entityType, id: e.identifier.entityId },
            attrs: Object.fromEntries(Object.entries(e.attributes).map(([k, v]) => [k, fromAttr(v)])),
            parents: [],
          })),
          schema: bundle.schema as cedar.Schema,
          validateRequest: true,
          policies: { staticPolicies: policies },
        });
        if (a.type === "failure") return { decision: "DENY", determiningPolicies: [], errors: a.errors.map((e) => ({ errorDescription: e.message })) };
        return {
          decision: a.response.decision === "allow" ? "ALLOW" : "DENY",
          determiningPolicies: a.response.diagnostics.reason.map((policyId) => ({ policyId })),
          errors: [],
        };
      },
    },
  };
}

describe("verifiedPermissionsEngine", () => {
  const storeIds = Object.fromEntries(bundle.policies.map((p, i) => [p.id, `SPavp${String(i).padStart(4, "0")}`]));

  test("sends exactly the IsAuthorized input for an http:call", () => {
    const { request } = toCedarRequest(
      { assistant: "pr-reviewer", action: "http:call", target: { url: "https://api.sonar.example/v1/issues" }, method: "get", taskId: "t-1", sessionAgeSeconds: 30, priorActions: ["github:read"], approval: { approver: "alice", taskId: "t-1" } },
      NOW,
    );
    expect(toIsAuthorizedInput("PSstore123", request)).toEqual({
      policyStoreId: "PSstore123",
      principal: { entityType: "AssistantTools::Assistant", entityId: "pr-reviewer" },
      action: { actionType: "AssistantTools::Action", actionId: "http:call" },
      resource: { entityType: "AssistantTools::HttpEndpoint", entityId: "https://api.sonar.example/v1/issues" },
      context: {
        contextMap: {
          now: { long: 1780315200 },
          sessionAgeSeconds: { long: 30 },
          priorActions: { set: [{ string: "github:read" }] },
          taskId: { string: "t-1" },
          approval: { record: { approver: { string: "alice" }, taskId: { string: "t-1" } } },
          method: { string: "GET" },
        },
      },
      entities: {
        entityList: [
          {
            identifier: { entityType: "AssistantTools::HttpEndpoint", entityId: "https://api.sonar.example/v1/issues" },
            attributes: { scheme: { string: "https" }, host: { string: "api.sonar.example" }, port: { long: 443 }, path: { string: "/v1/issues" } },
            parents: [],
          },
        ],
      },
    });
  });

  test("long targets get a digest id within the 200-character entity id limit, attributes unchanged", () => {
    const key = `coverage/${"x".repeat(300)}`;
    const { request } = toCedarRequest({ assistant: "pr-reviewer", action: "s3:read", target: { bucket: "acme-ci-reports", key }, taskId: "t", sessionAgeSeconds: 1 }, NOW);
    expect(request.resource.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(request.entities[0].attrs).toEqual({ bucket: "acme-ci-reports", key });
    expect(local.decideSync(request).decision).toBe("allow");
  });

  test.each<[string, ToolCallRequest]>([
    ["allowed comment", comment],
    ["comment elsewhere", { ...comment, target: { repository: "acme/other" } }],
    ["no task id", { ...comment, taskId: undefined }],
    ["chain", { ...comment, priorActions: ["secret:read"] }],
    ["expired", { ...comment, now: new Date("2027-02-01T00:00:00Z") }],
    ["approval missing", { ...comment, action: "secret:read", target: { secret: "ci/sonar-token" } }],
    ["http allowed", { ...comment, action: "http:call", target: { url: "https://api.sonar.example/v1/a" }, method: "GET" }],
    ["s3 allowed", { ...comment, action: "s3:read", target: { bucket: "acme-ci-reports", key: "coverage/a" } }],
  ])("gives the same decision and policy ids as the local engine: %s", async (_n, req) => {
    const { client, calls } = fakeAvp(storeIds);
    const online = await authorize(req, { engine: verifiedPermissionsEngine({ client, policyStoreId: "PSstore123", policyIds: storeIds }), policies: bundle.policies, clock: () => NOW });
    const offline = await authorize(req, { engine: local, policies: bundle.policies, clock: () => NOW });
    expect(calls).toHaveLength(1);
    expect(online).toEqual(offline);
  });

  test("without the id map, store policy ids are reported as they are", async () => {
    const { client } = fakeAvp(storeIds);
    const res = await authorize(comment, { engine: verifiedPermissionsEngine({ client, policyStoreId: "PSstore123" }), policies: bundle.policies, clock: () => NOW });
    expect(res).toEqual({ decision: "allow", reasons: [`policy ${storeIds["permit-github-comment-acme-app"]}`], policyIds: [storeIds["permit-github-comment-acme-app"]] });
  });

  test("anything but ALLOW is a deny, and service errors are reasons", async () => {
    const client = { isAuthorized: async (): Promise<AvpIsAuthorizedOutput> => ({ decision: undefined, errors: [{ errorDescription: "schema mismatch" }] }) };
    const res = await authorize(comment, { engine: verifiedPermissionsEngine({ client, policyStoreId: "PSstore123" }), clock: () => NOW });
    expect(res).toEqual({ decision: "deny", reasons: ["evaluation error: schema mismatch"], policyIds: [] });
  });
});
