/**
 * Pins the exact observable behaviour of core/cedar/authorize.ts and core/cedar/request.ts that the
 * broader authorize tests left loose: TaskLedger ordering and empty answers, the default clock, the
 * fallback-also-failed path, authorizeSync (invalid call, engine error, absence for async engines),
 * evaluation errors on a deny, a failing sink on a deny, the event fields of invalid / db / http
 * calls, durationMs rounding, the exact InvalidToolCall messages of each malformed input, target
 * labels, HTTP default ports, and the request context (empty taskId, no prior actions).
 */
import {
  authorize,
  compileToolPolicies,
  createAuthorizer,
  InvalidToolCall,
  localCedarEngine,
  TaskLedger,
  targetEntity,
  toCedarRequest,
  type CallTarget,
  type DecisionEngine,
  type EngineAnswer,
  type ToolCallEvent,
  type ToolCallRequest,
} from "../../../core/cedar";
import type { CedarRequest } from "../../../core/cedar/request";
import { DATA_ANALYST, PR_REVIEWER } from "./examples";

const NOW = new Date("2026-06-01T12:00:00Z");
const NOW_EPOCH = 1780315200;
const bundle = compileToolPolicies(PR_REVIEWER);
const local = localCedarEngine(bundle);
const analyst = compileToolPolicies(DATA_ANALYST);
const comment: ToolCallRequest = { assistant: "pr-reviewer", action: "github:comment", target: { repository: "acme/app" }, taskId: "t-1", sessionAgeSeconds: 30 };

/** An engine that always throws. */
const failing = (name: string, message: string): DecisionEngine => ({
  name,
  decide: async () => Promise.reject(new Error(message)),
});

/** An async-only engine (no decideSync) that returns a fixed answer and counts its calls. */
function fixed(answer: EngineAnswer) {
  const seen: CedarRequest[] = [];
  const engine: DecisionEngine = { name: "fixed", decide: (r) => (seen.push(r), answer) };
  return { engine, seen };
}

/** The InvalidToolCall toCedarRequest throws for a request (fails the test if it does not throw). */
function invalidOf(req: ToolCallRequest): { name: string; message: string; isInvalidToolCall: boolean } {
  try {
    toCedarRequest(req, NOW);
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message, isInvalidToolCall: e instanceof InvalidToolCall };
  }
  throw new Error("expected toCedarRequest to throw");
}

/** An event without its durationMs (timing is pinned separately). */
function withoutDuration(e: ToolCallEvent): Omit<ToolCallEvent, "durationMs"> {
  const { durationMs: _d, ...rest } = e;
  return rest;
}

afterEach(() => {
  jest.restoreAllMocks();
  jest.useRealTimers();
});

// ---------------------------------------------------------------------------------------------
// TaskLedger
// ---------------------------------------------------------------------------------------------

describe("TaskLedger", () => {
  test("priorActions of a task never recorded is an empty list", () => {
    const ledger = new TaskLedger();
    ledger.record("A", "github:read");
    expect(ledger.priorActions("never-seen")).toEqual([]);
  });

  test("a call without a task (undefined or empty task id) has no prior actions, even after recording without one", () => {
    const ledger = new TaskLedger();
    ledger.record(undefined, "secret:read");
    ledger.record("", "secret:read");
    expect([ledger.priorActions(undefined), ledger.priorActions("")]).toEqual([[], []]);
  });

  test("priorActions are sorted and deduplicated, whatever the order they were recorded in", () => {
    const ledger = new TaskLedger();
    ledger.record("A", "secret:read");
    ledger.record("A", "github:read");
    ledger.record("A", "http:call");
    ledger.record("A", "github:read");
    expect(ledger.priorActions("A")).toEqual(["github:read", "http:call", "secret:read"]);
  });
});

// ---------------------------------------------------------------------------------------------
// createAuthorizer: clock, fallback, authorizeSync
// ---------------------------------------------------------------------------------------------

describe("createAuthorizer without a clock uses the system clock", () => {
  test("the decision time and the request's now come from new Date()", () => {
    jest.useFakeTimers({ now: NOW });
    const events: ToolCallEvent[] = [];
    const seen: CedarRequest[] = [];
    const spy = { name: "cedar-wasm" as const, decideSync: (r: CedarRequest) => (seen.push(r), local.decideSync(r)), decide: async (r: CedarRequest) => local.decideSync(r) };
    const authz = createAuthorizer({ engine: spy, policies: bundle.policies, sink: (e) => events.push(e) });
    const res = authz.authorizeSync!(comment);
    expect(res).toEqual({ decision: "allow", reasons: ["github:comment on acme/app is declared for pr-reviewer: review comments on pull requests"], policyIds: ["permit-github-comment-acme-app"] });
    expect(events.map((e) => e.time)).toEqual(["2026-06-01T12:00:00.000Z"]);
    expect(seen.map((r) => r.context.now)).toEqual([NOW_EPOCH]);
  });
});

describe("fallback engine", () => {
  test("when the fallback also throws, both failures are the reason and the event names both engines", async () => {
    const events: ToolCallEvent[] = [];
    const res = await authorize(comment, {
      engine: failing("verified-permissions", "ECONNRESET"),
      fallback: failing("cedar-wasm", "bundle missing"),
      policies: bundle.policies,
      sink: (e) => events.push(e),
      clock: () => NOW,
    });
    expect(res).toEqual({
      decision: "deny",
      reasons: ["decision engine verified-permissions failed: ECONNRESET; fallback cedar-wasm failed: bundle missing"],
      policyIds: [],
    });
    expect(events.map(withoutDuration)).toEqual([
      {
        stream: "tool-call",
        version: 1,
        time: "2026-06-01T12:00:00.000Z",
        assistant: "pr-reviewer",
        action: "github:comment",
        target: "acme/app",
        taskId: "t-1",
        decision: "deny",
        reasons: ["decision engine verified-permissions failed: ECONNRESET; fallback cedar-wasm failed: bundle missing"],
        policyIds: [],
        errors: [],
        engine: "verified-permissions→cedar-wasm",
        sessionAgeSeconds: 30,
        priorActions: [],
        approver: null,
        method: null,
        readOnly: null,
      },
    ]);
  });
});

describe("authorizeSync", () => {
  test("is only offered for an engine with decideSync", () => {
    expect(createAuthorizer({ engine: fixed({ decision: "allow", policyIds: [], errors: [] }).engine }).authorizeSync).toBeUndefined();
    expect(typeof createAuthorizer({ engine: local }).authorizeSync).toBe("function");
  });

  test("an invalid call is denied without asking the engine, and logged with engine none", () => {
    let asked = 0;
    const spy = { name: "cedar-wasm" as const, decideSync: (r: CedarRequest) => (asked++, local.decideSync(r)), decide: async (r: CedarRequest) => local.decideSync(r) };
    const events: ToolCallEvent[] = [];
    const authz = createAuthorizer({ engine: spy, sink: (e) => events.push(e), clock: () => NOW });
    const res = authz.authorizeSync!({ ...comment, assistant: "" });
    expect(res).toEqual({ decision: "deny", reasons: ['invalid tool call: must give assistant as a non-empty string; got ""'], policyIds: [] });
    expect(asked).toBe(0);
    expect(events.map((e) => [e.decision, e.engine])).toEqual([["deny", "none"]]);
  });

  test("a decideSync that throws gives a deny whose reason names the engine and its error", () => {
    const events: ToolCallEvent[] = [];
    const broken = {
      name: "cedar-wasm" as const,
      decideSync: (): EngineAnswer => {
        throw new Error("wasm trap");
      },
      decide: async (): Promise<EngineAnswer> => Promise.reject(new Error("unused")),
    };
    const authz = createAuthorizer({ engine: broken, sink: (e) => events.push(e), clock: () => NOW });
    const res = authz.authorizeSync!(comment);
    expect(res).toEqual({ decision: "deny", reasons: ["decision engine cedar-wasm failed: wasm trap"], policyIds: [] });
    expect(events.map((e) => [e.decision, e.engine, e.reasons])).toEqual([["deny", "cedar-wasm", ["decision engine cedar-wasm failed: wasm trap"]]]);
  });
});

// ---------------------------------------------------------------------------------------------
// conclude: reasons and the failing sink
// ---------------------------------------------------------------------------------------------

describe("reasons", () => {
  test("an evaluation error on a deny keeps the determining policies' descriptions after the errors", async () => {
    const { engine } = fixed({ decision: "deny", policyIds: ["chain-x"], errors: ["task-id-x: attribute not found"] });
    const res = await authorize(comment, { engine, policies: [{ id: "chain-x", description: "forbidden chain x" }], clock: () => NOW });
    expect(res).toEqual({ decision: "deny", reasons: ["evaluation error: task-id-x: attribute not found", "forbidden chain x"], policyIds: ["chain-x"] });
  });

  test("a sink that fails on a deny keeps the deny's reasons before the recording failure", async () => {
    const res = await authorize(
      { ...comment, target: { repository: "acme/other" } },
      {
        engine: local,
        policies: bundle.policies,
        sink: () => {
          throw new Error("disk full");
        },
        clock: () => NOW,
      },
    );
    expect(res).toEqual({
      decision: "deny",
      reasons: ["no permit: github:comment on acme/other is not declared for pr-reviewer", "the decision could not be recorded: disk full"],
      policyIds: [],
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Decision events
// ---------------------------------------------------------------------------------------------

describe("decision event fields", () => {
  test("an invalid call's event has no target, task, prior actions, errors, method or readOnly, but keeps the approver", async () => {
    const events: ToolCallEvent[] = [];
    const res = await authorize(
      { ...comment, action: "http:call", target: { url: "not a url" }, method: "GET", priorActions: ["github:read"], approval: { approver: "alice", taskId: "t-1" } },
      { engine: local, sink: (e) => events.push(e), clock: () => NOW },
    );
    expect(res).toEqual({ decision: "deny", reasons: ['invalid tool call: must give target.url as an absolute URL; got "not a url"'], policyIds: [] });
    expect(events.map(withoutDuration)).toEqual([
      {
        stream: "tool-call",
        version: 1,
        time: "2026-06-01T12:00:00.000Z",
        assistant: "pr-reviewer",
        action: "http:call",
        target: null,
        taskId: null,
        decision: "deny",
        reasons: ['invalid tool call: must give target.url as an absolute URL; got "not a url"'],
        policyIds: [],
        errors: [],
        engine: "none",
        sessionAgeSeconds: 30,
        priorActions: [],
        approver: "alice",
        method: null,
        readOnly: null,
      },
    ]);
  });

  test("an http:call event records the upper-cased method and no readOnly", async () => {
    const events: ToolCallEvent[] = [];
    await authorize(
      { ...comment, action: "http:call", target: { url: "https://api.sonar.example/v1/issues" }, method: "get" },
      { engine: local, sink: (e) => events.push(e), clock: () => NOW },
    );
    expect(events.map((e) => [e.decision, e.target, e.method, e.readOnly])).toEqual([["allow", "https://api.sonar.example/v1/issues", "GET", null]]);
  });

  test("a db:query event records readOnly (false when not given), the database label and no method", async () => {
    const events: ToolCallEvent[] = [];
    const engine = localCedarEngine(analyst);
    const base: ToolCallRequest = { assistant: "data-analyst", action: "db:query", target: { database: "analytics" }, taskId: "t-9", sessionAgeSeconds: 5 };
    await authorize({ ...base, readOnly: true }, { engine, sink: (e) => events.push(e), clock: () => NOW });
    await authorize(base, { engine, sink: (e) => events.push(e), clock: () => NOW });
    expect(events.map((e) => [e.decision, e.target, e.readOnly, e.method])).toEqual([
      ["allow", "database analytics", true, null],
      ["deny", "database analytics", false, null],
    ]);
  });

  test("a secret:read event's target is the secret label", async () => {
    const events: ToolCallEvent[] = [];
    await authorize(
      { ...comment, action: "secret:read", target: { secret: "ci/sonar-token" }, approval: { approver: "alice", taskId: "t-1" } },
      { engine: local, sink: (e) => events.push(e), clock: () => NOW },
    );
    expect(events.map((e) => [e.decision, e.target, e.approver])).toEqual([["allow", "secret ci/sonar-token", "alice"]]);
  });

  test("durationMs is the elapsed performance.now() time in milliseconds, rounded to the microsecond", async () => {
    const ticks = [2, 2.0078125];
    jest.spyOn(performance, "now").mockImplementation(() => (ticks.length > 1 ? ticks.shift()! : ticks[0]));
    const events: ToolCallEvent[] = [];
    await authorize(comment, { engine: fixed({ decision: "allow", policyIds: [], errors: [] }).engine, sink: (e) => events.push(e), clock: () => NOW });
    expect(events.map((e) => e.durationMs)).toEqual([0.008]);
  });
});

// ---------------------------------------------------------------------------------------------
// request.ts: InvalidToolCall messages
// ---------------------------------------------------------------------------------------------

describe("InvalidToolCall", () => {
  test("is an Error named InvalidToolCall", () => {
    const e = new InvalidToolCall("x");
    expect([e instanceof Error, e.name, e.message]).toEqual([true, "InvalidToolCall", "x"]);
  });

  test.each<[string, ToolCallRequest, string]>([
    ["empty assistant", { ...comment, assistant: "" }, 'must give assistant as a non-empty string; got ""'],
    ["missing bucket", { ...comment, action: "s3:read", target: { key: "coverage/a" } as unknown as CallTarget }, "must give target.bucket as a non-empty string; got undefined"],
    ["empty key", { ...comment, action: "s3:read", target: { bucket: "acme-ci-reports", key: "" } }, 'must give target.key as a non-empty string; got ""'],
    ["'.' key segment", { ...comment, action: "s3:read", target: { bucket: "acme-ci-reports", key: "coverage/./a" } }, "must give target.key without '.' or '..' segments; got \"coverage/./a\""],
    ["'.' whole key", { ...comment, action: "s3:read", target: { bucket: "acme-ci-reports", key: "." } }, "must give target.key without '.' or '..' segments; got \".\""],
    ["empty database", { ...comment, action: "db:query", target: { database: "" } }, 'must give target.database as a non-empty string; got ""'],
    ["non-string url", { ...comment, action: "http:call", target: { url: 42 } as unknown as CallTarget, method: "GET" }, "must give target.url as a non-empty string; got 42"],
    ["url with a user only", { ...comment, action: "http:call", target: { url: "https://bot@api.sonar.example/v1/x" }, method: "GET" }, "must give target.url without userinfo (user:password@)"],
    ["url with a password only", { ...comment, action: "http:call", target: { url: "https://:pw@api.sonar.example/v1/x" }, method: "GET" }, "must give target.url without userinfo (user:password@)"],
    ["null secret", { ...comment, action: "secret:read", target: { secret: null } as unknown as CallTarget }, "must give target.secret as a non-empty string; got null"],
    ["empty approver", { ...comment, approval: { approver: "", taskId: "t-1" } }, 'must give approval.approver as a non-empty string; got ""'],
    ["missing approval task id", { ...comment, approval: { approver: "alice" } as unknown as { approver: string; taskId: string } }, "must give approval.taskId as a non-empty string; got undefined"],
    ["invalid now", { ...comment, now: new Date("not a date") }, "must give now as a valid date"],
  ])("%s", (_n, req, message) => {
    expect(invalidOf(req)).toEqual({ name: "InvalidToolCall", message, isInvalidToolCall: true });
  });
});

// ---------------------------------------------------------------------------------------------
// request.ts: target entities and the request context
// ---------------------------------------------------------------------------------------------

describe("targetEntity", () => {
  test("an empty key segment is allowed (only '.' and '..' are refused)", () => {
    expect(targetEntity("s3:read", { bucket: "acme-ci-reports", key: "coverage//a" })).toEqual({
      entity: { uid: { type: "AssistantTools::S3Object", id: "s3://acme-ci-reports/coverage//a" }, attrs: { bucket: "acme-ci-reports", key: "coverage//a" }, parents: [] },
      label: "s3://acme-ci-reports/coverage//a",
    });
  });

  test("database and secret targets are labelled with their kind", () => {
    expect(targetEntity("db:query", { database: "analytics" })).toEqual({
      entity: { uid: { type: "AssistantTools::Database", id: "analytics" }, attrs: {}, parents: [] },
      label: "database analytics",
    });
    expect(targetEntity("secret:read", { secret: "ci/npm-token" })).toEqual({
      entity: { uid: { type: "AssistantTools::Secret", id: "ci/npm-token" }, attrs: {}, parents: [] },
      label: "secret ci/npm-token",
    });
  });

  test.each<[string, string, number]>([
    ["https without a port", "https://api.example/v1/x", 443],
    ["http without a port", "http://api.example/v1/x", 80],
    ["another scheme without a port", "ssh://git.example/repo", 0],
    ["an explicit port", "http://api.example:8080/v1/x", 8080],
  ])("http:call port attribute: %s", (_n, url, port) => {
    const { entity } = targetEntity("http:call", { url });
    expect(entity.attrs.port).toBe(port);
  });

  test("an http URL's entity has scheme, host, port and path, and a label without the query", () => {
    expect(targetEntity("http:call", { url: "http://API.example/v1/x?q=1" })).toEqual({
      entity: { uid: { type: "AssistantTools::HttpEndpoint", id: "http://api.example/v1/x" }, attrs: { scheme: "http", host: "api.example", port: 80, path: "/v1/x" }, parents: [] },
      label: "http://api.example/v1/x",
    });
  });
});

describe("toCedarRequest context", () => {
  test("an empty taskId and absent priorActions give a context without taskId and with no prior actions", () => {
    const { request, targetLabel } = toCedarRequest({ ...comment, taskId: "" }, NOW);
    expect(targetLabel).toBe("acme/app");
    expect(request.context).toEqual({ now: NOW_EPOCH, sessionAgeSeconds: 30, priorActions: [] });
  });

  test("an empty taskId is logged as no task", async () => {
    const events: ToolCallEvent[] = [];
    await authorize({ ...comment, taskId: "" }, { engine: local, sink: (e) => events.push(e), clock: () => NOW });
    expect(events.map((e) => [e.taskId, e.priorActions])).toEqual([[null, []]]);
  });
});


describe("fail closed on malformed calls (found by the mutation review): a logged deny, never a rejection", () => {
  const NOW_D = new Date("2026-06-01T12:00:00Z");
  const engine = localCedarEngine(compileToolPolicies(PR_REVIEWER));
  const comment: ToolCallRequest = { assistant: "pr-reviewer", action: "github:comment", target: { repository: "acme/app" }, taskId: "t-1", sessionAgeSeconds: 30 };
  const NOW = NOW_D;
  const local = engine;
  test.each<[string, ToolCallRequest, () => Date, string, string]>([
    ["invalid request now", { ...comment, now: new Date("x") }, () => NOW, "must give now as a valid date", "2026-06-01T12:00:00.000Z"],
    ["invalid gateway clock", comment, () => new Date(Number.NaN), "must give now as a valid date", "Invalid Date"],
    ["string now", { ...comment, now: "2026-06-01T12:00:00Z" } as unknown as ToolCallRequest, () => NOW, "must give now as a valid date", "2026-06-01T12:00:00.000Z"],
    ["null target", { ...comment, target: null } as unknown as ToolCallRequest, () => NOW, "must give target as an object; got null", "2026-06-01T12:00:00.000Z"],
    ["numeric priorActions", { ...comment, priorActions: 5 } as unknown as ToolCallRequest, () => NOW, "must give priorActions as a list of actions; got 5", "2026-06-01T12:00:00.000Z"],
  ])("%s is a logged deny", async (_n, req, clock, msg, time) => {
    const events: ToolCallEvent[] = [];
    const res = await authorize(req, { engine: local, clock, sink: (e) => events.push(e) });
    expect(res).toEqual({ decision: "deny", reasons: [`invalid tool call: ${msg}`], policyIds: [] });
    expect(events.map((e) => [e.decision, e.engine, e.time])).toEqual([["deny", "none", time]]);
  });
  test("an engine that answers nothing is a deny that says so", async () => {
    const silent = { name: "silent", decide: async () => undefined as unknown as EngineAnswer } as DecisionEngine;
    const res = await authorize(comment, { engine: silent, clock: () => NOW });
    expect(res).toEqual({ decision: "deny", reasons: ["decision engine silent gave no answer"], policyIds: [] });
  });
});
