/**
 * authorize(): what a tool gateway calls before each tool call.
 *
 * ```ts
 * const bundle = compileToolPolicies(assistant);              // or load the bundle shipped with the agent
 * const authz = createAuthorizer({ engine: localCedarEngine(bundle), policies: bundle.policies, sink: jsonLinesSink(line => process.stdout.write(line)) });
 * const { decision, reasons } = await authz.authorize({
 *   assistant: "pr-reviewer", action: "github:comment", target: { repository: "acme/app" },
 *   taskId, sessionAgeSeconds, priorActions: ledger.priorActions(taskId),
 * });
 * if (decision !== "allow") throw new Error(reasons.join("; "));
 * ```
 *
 * Fail closed: a malformed call, an engine error, an evaluation error or a sink that cannot record
 * the decision all give `deny`. Every decision is emitted as one JSON event on the `tool-call`
 * stream; secret-access events (the secret broker's retrievals) are a separate stream and never
 * share a sink by accident (see routeByStream).
 */
import type { ToolAction } from "../spec/tools";
import type { DecisionEngine, EngineAnswer } from "./engine";
import type { LocalCedarEngine } from "./local";
import { InvalidToolCall, toCedarRequest, type CedarRequest, type ToolCallRequest } from "./request";

export { localCedarEngine, validateBundle, type LocalCedarEngine } from "./local";
export { verifiedPermissionsEngine, type VerifiedPermissionsClient, type AvpIsAuthorizedInput, type AvpIsAuthorizedOutput } from "./avp";
export type { DecisionEngine, EngineAnswer } from "./engine";
export type { ToolCallRequest, CallTarget } from "./request";

export const TOOL_CALL_STREAM = "tool-call";
export const SECRET_ACCESS_STREAM = "secret-access";

export interface AuthorizationResult {
  decision: "allow" | "deny";
  /** Why: the determining policies' descriptions, or what made the call invalid or undecidable. */
  reasons: string[];
  /** Determining policies (generated ids). */
  policyIds: string[];
}

/** One decision, as a structured event. Never carries call arguments or secret values. */
export interface ToolCallEvent {
  stream: typeof TOOL_CALL_STREAM;
  version: 1;
  /** Decision time (the gateway's clock), ISO 8601. */
  time: string;
  assistant: string;
  action: string;
  /** The concrete target, e.g. `acme/app`, `s3://bucket/key`, `https://host/path` (no query string). */
  target: string | null;
  taskId: string | null;
  decision: "allow" | "deny";
  reasons: string[];
  policyIds: string[];
  errors: string[];
  /** cedar-wasm, verified-permissions, `<primary>→<fallback>`, or none (invalid call). */
  engine: string;
  sessionAgeSeconds: number | null;
  priorActions: string[];
  approver: string | null;
  method: string | null;
  readOnly: boolean | null;
  durationMs: number;
}

/** The secret broker's own events: another stream, another sink. Only the discriminant is fixed here. */
export interface SecretAccessEvent {
  stream: typeof SECRET_ACCESS_STREAM;
  [field: string]: unknown;
}

export type EventSink = (event: ToolCallEvent) => void;

/** One JSON object per line (for stdout, a file, or a log shipper). */
export function jsonLinesSink<E extends { stream: string } = ToolCallEvent>(write: (line: string) => void): (event: E) => void {
  return (e) => write(`${JSON.stringify(e)}\n`);
}

/**
 * Route mixed events to their own sinks by `stream`; an event of any other stream throws
 * (it is never silently dropped into the wrong log).
 */
export function routeByStream(sinks: { "tool-call": (e: ToolCallEvent) => void; "secret-access": (e: SecretAccessEvent) => void }): (e: ToolCallEvent | SecretAccessEvent) => void {
  return (e) => {
    if (e.stream === TOOL_CALL_STREAM) sinks["tool-call"](e as ToolCallEvent);
    else if (e.stream === SECRET_ACCESS_STREAM) sinks["secret-access"](e as SecretAccessEvent);
    else throw new Error(`unknown event stream ${JSON.stringify((e as { stream: unknown }).stream)}`);
  };
}

/** Actions performed per task, for `priorActions`. In-memory; a gateway with several replicas keeps this in a shared store. */
export class TaskLedger {
  private readonly tasks = new Map<string, Set<string>>();
  priorActions(taskId: string | undefined): string[] {
    return taskId ? [...(this.tasks.get(taskId) ?? [])].sort() : [];
  }
  /** Record an action after the gateway performed it. */
  record(taskId: string | undefined, action: ToolAction): void {
    if (!taskId) return;
    const s = this.tasks.get(taskId) ?? new Set<string>();
    s.add(action);
    this.tasks.set(taskId, s);
  }
  end(taskId: string): void {
    this.tasks.delete(taskId);
  }
}

export interface AuthorizerOptions {
  engine: DecisionEngine;
  /** The generated policies (id, description): determining policies become reasons. */
  policies?: readonly { id: string; description: string }[];
  /** Receives every decision. If it throws, the call is denied. */
  sink?: EventSink;
  /** The gateway clock (default: system clock). */
  clock?: () => Date;
  /**
   * Used only when `engine` throws (e.g. Verified Permissions unreachable). A local engine built
   * from the bundle the gateway was deployed with: it does not see a revocation made after that
   * deployment, so use it only where availability outranks that risk.
   */
  fallback?: DecisionEngine;
}

export interface Authorizer {
  authorize(request: ToolCallRequest): Promise<AuthorizationResult>;
}

interface Prepared {
  request?: CedarRequest;
  target: string | null;
  invalid?: string;
}

function prepare(req: ToolCallRequest, now: Date): Prepared {
  try {
    const { request, targetLabel } = toCedarRequest(req, now);
    return { request, target: targetLabel };
  } catch (e) {
    if (e instanceof InvalidToolCall) return { target: null, invalid: e.message };
    throw e;
  }
}

const isValidDate = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime());

function describeTarget(p: Prepared, req: ToolCallRequest): string {
  return p.target ?? JSON.stringify(req.target);
}

function conclude(
  opts: AuthorizerOptions,
  reasonsById: Map<string, string>,
  req: ToolCallRequest,
  p: Prepared,
  answer: EngineAnswer | null,
  engine: string,
  failure: string | null,
  now: Date,
  started: number,
): AuthorizationResult {
  let decision: "allow" | "deny" = "deny";
  let reasons: string[] = [];
  let policyIds: string[] = [];
  let errors: string[] = [];
  if (p.invalid) {
    reasons = [`invalid tool call: ${p.invalid}`];
  } else if (failure) {
    reasons = [failure];
  } else if (answer) {
    policyIds = answer.policyIds;
    errors = answer.errors;
    const described = policyIds.map((id) => reasonsById.get(id) ?? `policy ${id}`);
    if (errors.length) {
      // Cedar skips a policy that errors; a skipped forbid must not turn into an allow.
      reasons = [...errors.map((e) => `evaluation error: ${e}`), ...(answer.decision === "deny" ? described : [])];
    } else if (answer.decision === "allow") {
      decision = "allow";
      reasons = described;
    } else {
      reasons = described.length ? described : [`no permit: ${req.action} on ${describeTarget(p, req)} is not declared for ${req.assistant}`];
    }
  } else {
    reasons = [`decision engine ${engine} gave no answer`];
  }
  const ctx = p.request?.context;
  const event: ToolCallEvent = {
    stream: TOOL_CALL_STREAM,
    version: 1,
    // An invalid request clock falls back to the gateway's; the event must still be written.
    time: isValidDate(req.now) ? req.now.toISOString() : isValidDate(now) ? now.toISOString() : String(req.now ?? now),
    assistant: String(req.assistant),
    action: String(req.action),
    target: p.target,
    taskId: typeof ctx?.taskId === "string" ? ctx.taskId : null,
    decision,
    reasons,
    policyIds,
    errors,
    engine,
    sessionAgeSeconds: Number.isSafeInteger(req.sessionAgeSeconds) ? req.sessionAgeSeconds : null,
    priorActions: Array.isArray(ctx?.priorActions) ? (ctx!.priorActions as string[]) : [],
    approver: req.approval?.approver ?? null,
    method: typeof ctx?.method === "string" ? ctx.method : null,
    readOnly: typeof ctx?.readOnly === "boolean" ? ctx.readOnly : null,
    durationMs: Math.round((performance.now() - started) * 1000) / 1000,
  };
  if (opts.sink) {
    try {
      opts.sink(event);
    } catch (e) {
      return { decision: "deny", reasons: [...(decision === "deny" ? reasons : []), `the decision could not be recorded: ${(e as Error).message}`], policyIds };
    }
  }
  return { decision, reasons, policyIds };
}

export function createAuthorizer(opts: AuthorizerOptions): Authorizer & { authorizeSync?: (request: ToolCallRequest) => AuthorizationResult } {
  const reasonsById = new Map((opts.policies ?? []).map((p) => [p.id, p.description]));
  const clock = opts.clock ?? (() => new Date());

  const authorize = async (req: ToolCallRequest): Promise<AuthorizationResult> => {
    const started = performance.now();
    const now = clock();
    const p = prepare(req, now);
    if (!p.request) return conclude(opts, reasonsById, req, p, null, "none", null, now, started);
    try {
      const answer = await opts.engine.decide(p.request);
      return conclude(opts, reasonsById, req, p, answer, opts.engine.name, null, now, started);
    } catch (e) {
      const primaryError = `decision engine ${opts.engine.name} failed: ${(e as Error).message}`;
      if (opts.fallback) {
        try {
          const answer = await opts.fallback.decide(p.request);
          return conclude(opts, reasonsById, req, p, answer, `${opts.engine.name}→${opts.fallback.name}`, null, now, started);
        } catch (e2) {
          return conclude(opts, reasonsById, req, p, null, `${opts.engine.name}→${opts.fallback.name}`, `${primaryError}; fallback ${opts.fallback.name} failed: ${(e2 as Error).message}`, now, started);
        }
      }
      return conclude(opts, reasonsById, req, p, null, opts.engine.name, primaryError, now, started);
    }
  };

  const local = opts.engine as Partial<LocalCedarEngine>;
  const authorizeSync =
    typeof local.decideSync === "function"
      ? (req: ToolCallRequest): AuthorizationResult => {
          const started = performance.now();
          const now = clock();
          const p = prepare(req, now);
          if (!p.request) return conclude(opts, reasonsById, req, p, null, "none", null, now, started);
          try {
            return conclude(opts, reasonsById, req, p, local.decideSync!(p.request), opts.engine.name, null, now, started);
          } catch (e) {
            return conclude(opts, reasonsById, req, p, null, opts.engine.name, `decision engine ${opts.engine.name} failed: ${(e as Error).message}`, now, started);
          }
        }
      : undefined;

  return { authorize, authorizeSync };
}

/** One-shot form: `authorize(request, { engine, policies, sink })`. */
export function authorize(request: ToolCallRequest, options: AuthorizerOptions): Promise<AuthorizationResult> {
  return createAuthorizer(options).authorize(request);
}
