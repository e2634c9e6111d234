/**
 * A tool call as the gateway sees it, and its Cedar request (principal, action, resource entity,
 * context). Both engines (local cedar-wasm, Verified Permissions) receive the same CedarRequest.
 */
import { ACTION_TARGET, TOOL_ACTIONS, type ToolAction } from "../spec/tools";
import { ACTION_TYPE, boundedId, ENTITY_TYPE, qualified } from "./model";

/** The concrete target of one call (not the declared prefix). */
export type CallTarget =
  | { repository: string } // github:*
  | { bucket: string; key: string } // s3:*
  | { database: string } // db:query
  | { url: string } // http:call (the full URL the gateway is about to call)
  | { secret: string }; // secret:read

export interface ToolCallRequest {
  /** The assistant's name (the Cedar principal id). */
  assistant: string;
  action: ToolAction;
  target: CallTarget;
  /** The task the call serves, issued by the orchestrator (not chosen by the model). */
  taskId?: string;
  /** Seconds since the assistant's session credentials were issued. */
  sessionAgeSeconds: number;
  /** Actions already performed in this task (TaskLedger keeps them). */
  priorActions?: readonly string[];
  /** An approval the gateway verified (signature, approver identity) before asking. */
  approval?: { approver: string; taskId: string };
  /** db:query: the gateway runs the statement read-only (READ ONLY transaction / read replica role). Missing = false. */
  readOnly?: boolean;
  /** http:call: the HTTP method (required for http:call). */
  method?: string;
  /** The gateway's clock for this decision (default: the authorizer's clock). */
  now?: Date;
}

export type CedarValue = string | number | boolean | CedarValue[] | { [k: string]: CedarValue } | { __entity: { type: string; id: string } };

export interface CedarEntity {
  uid: { type: string; id: string };
  attrs: Record<string, CedarValue>;
  parents: { type: string; id: string }[];
}

export interface CedarRequest {
  principal: { type: string; id: string };
  action: { type: string; id: string };
  resource: { type: string; id: string };
  context: Record<string, CedarValue>;
  /** The resource entity with its attributes (the principal has none). */
  entities: CedarEntity[];
}

/** A request that cannot be put to the engine (it is denied, and the event says why). */
export class InvalidToolCall extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidToolCall";
  }
}

function str(v: unknown, what: string): string {
  if (typeof v !== "string" || v === "") throw new InvalidToolCall(`must give ${what} as a non-empty string; got ${JSON.stringify(v)}`);
  return v;
}

/** The target entity and a human label for events. */
export function targetEntity(action: ToolAction, target: CallTarget): { entity: CedarEntity; label: string } {
  const kind = ACTION_TARGET[action];
  const type = qualified(ENTITY_TYPE[kind]);
  if (typeof target !== "object" || target === null) throw new InvalidToolCall(`must give target as an object; got ${JSON.stringify(target)}`);
  const t = target as Record<string, unknown>;
  switch (kind) {
    case "github-repository": {
      const id = str(t.repository, "target.repository");
      return { entity: { uid: { type, id }, attrs: {}, parents: [] }, label: id };
    }
    case "s3-prefix": {
      const bucket = str(t.bucket, "target.bucket");
      const key = str(t.key, "target.key");
      // S3 keys are literal, but HTTP layers between the gateway and S3 may resolve dot segments:
      // refuse them rather than judge one key and fetch another.
      if (key.split("/").some((seg) => seg === "." || seg === "..")) throw new InvalidToolCall(`must give target.key without '.' or '..' segments; got ${JSON.stringify(key)}`);
      const label = `s3://${bucket}/${key}`;
      return { entity: { uid: { type, id: boundedId(label) }, attrs: { bucket, key }, parents: [] }, label };
    }
    case "database": {
      const id = str(t.database, "target.database");
      return { entity: { uid: { type, id }, attrs: {}, parents: [] }, label: `database ${id}` };
    }
    case "http-endpoint": {
      const raw = str(t.url, "target.url");
      let u: URL;
      try {
        u = new URL(raw);
      } catch {
        throw new InvalidToolCall(`must give target.url as an absolute URL; got ${JSON.stringify(raw)}`);
      }
      if (u.username || u.password) throw new InvalidToolCall("must give target.url without userinfo (user:password@)");
      const scheme = u.protocol.replace(/:$/, "");
      const port = u.port !== "" ? Number(u.port) : scheme === "https" ? 443 : scheme === "http" ? 80 : 0;
      // WHATWG parsing lowercases the host and resolves '.', '..' and their %2e forms in the path.
      const label = `${scheme}://${u.host}${u.pathname}`;
      return {
        entity: { uid: { type, id: boundedId(label) }, attrs: { scheme, host: u.hostname, port, path: u.pathname }, parents: [] },
        label,
      };
    }
    case "secret": {
      const id = str(t.secret, "target.secret");
      return { entity: { uid: { type, id }, attrs: {}, parents: [] }, label: `secret ${id}` };
    }
  }
}

function epochSeconds(d: Date): number {
  const ms = d instanceof Date ? d.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new InvalidToolCall("must give now as a valid date");
  return Math.floor(ms / 1000);
}

/** Build the Cedar request. Throws InvalidToolCall for a malformed call. */
export function toCedarRequest(req: ToolCallRequest, now: Date): { request: CedarRequest; targetLabel: string } {
  if (!(TOOL_ACTIONS as readonly string[]).includes(req.action)) throw new InvalidToolCall(`must call a catalogue action; got ${JSON.stringify(req.action)}`);
  const assistant = str(req.assistant, "assistant");
  if (!Number.isSafeInteger(req.sessionAgeSeconds)) throw new InvalidToolCall(`must give sessionAgeSeconds as whole seconds; got ${JSON.stringify(req.sessionAgeSeconds)}`);
  const { entity, label } = targetEntity(req.action, req.target);
  if (req.priorActions !== undefined && !Array.isArray(req.priorActions)) throw new InvalidToolCall(`must give priorActions as a list of actions; got ${JSON.stringify(req.priorActions)}`);
  const prior = [...new Set(req.priorActions ?? [])];
  const context: Record<string, CedarValue> = {
    now: epochSeconds(req.now ?? now),
    sessionAgeSeconds: req.sessionAgeSeconds,
    priorActions: prior,
  };
  if (req.taskId !== undefined && req.taskId !== "") context.taskId = req.taskId;
  if (req.approval) {
    context.approval = { approver: str(req.approval.approver, "approval.approver"), taskId: str(req.approval.taskId, "approval.taskId") };
  }
  if (req.action === "db:query") context.readOnly = req.readOnly === true;
  if (req.action === "http:call") {
    const m = str(req.method, "method for http:call");
    context.method = m.toUpperCase();
  }
  return {
    request: {
      principal: { type: qualified(ENTITY_TYPE.assistant), id: assistant },
      action: { type: ACTION_TYPE, id: req.action },
      resource: entity.uid,
      context,
      entities: [entity],
    },
    targetLabel: label,
  };
}
