/**
 * The Cedar model of tool calls: one namespace, the assistant as principal, one entity type per
 * kind of target, one action per catalogue action (core/spec/tools.ts), and the request context
 * (clock, session age, task id, the task's prior actions, approval, and per-action extras).
 *
 * The schema is the same for every assistant (only policies differ), written in Cedar's JSON
 * schema format, which is what Amazon Verified Permissions' `PutSchema` takes.
 */
import { createHash } from "crypto";
import { ACTION_TARGET, TOOL_ACTIONS, type TargetKind, type ToolAction } from "../spec/tools";

export const NAMESPACE = "AssistantTools";

/** Cedar entity type (without namespace) for each kind of target. */
export const ENTITY_TYPE: Record<TargetKind | "assistant", string> = {
  assistant: "Assistant",
  "github-repository": "GithubRepository",
  "s3-prefix": "S3Object",
  database: "Database",
  "http-endpoint": "HttpEndpoint",
  secret: "Secret",
};

/** Fully qualified names as they appear in policies and requests, e.g. `AssistantTools::S3Object`. */
export const qualified = (t: string) => `${NAMESPACE}::${t}`;
export const ACTION_TYPE = qualified("Action");

/** Amazon Verified Permissions entity ids are 1-200 characters; longer ids are replaced by a digest (policies match attributes, not ids). */
export const MAX_ENTITY_ID = 200;

// ---------------------------------------------------------------------------------------------
// Cedar JSON schema (types as in @cedar-policy/cedar-wasm, kept local so core stays plain data)
// ---------------------------------------------------------------------------------------------

export type CedarType =
  | { type: "String" }
  | { type: "Long" }
  | { type: "Boolean" }
  | { type: "Set"; element: CedarType }
  | { type: "Record"; attributes: Record<string, CedarType & { required?: boolean }> }
  | { type: "Entity"; name: string };

export interface CedarEntityTypeDef {
  shape?: { type: "Record"; attributes: Record<string, CedarType & { required?: boolean }> };
  memberOfTypes?: string[];
}
export interface CedarActionDef {
  appliesTo: { principalTypes: string[]; resourceTypes: string[]; context: { type: "Record"; attributes: Record<string, CedarType & { required?: boolean }> } };
}
export type CedarSchemaJson = Record<string, { entityTypes: Record<string, CedarEntityTypeDef>; actions: Record<string, CedarActionDef> }>;

const STR: CedarType = { type: "String" };
const LONG: CedarType = { type: "Long" };
const BOOL: CedarType = { type: "Boolean" };

/** Attributes of the target entity a gateway sends with the request (none for exact-id targets). */
const TARGET_SHAPE: Partial<Record<TargetKind, Record<string, CedarType>>> = {
  "s3-prefix": { bucket: STR, key: STR },
  "http-endpoint": { scheme: STR, host: STR, port: LONG, path: STR },
};

/** Context every action carries. */
function baseContext(): Record<string, CedarType & { required?: boolean }> {
  return {
    /** Gateway clock, Unix epoch seconds (never the model's). */
    now: LONG,
    /** Seconds since the assistant's session (its credentials) was issued. */
    sessionAgeSeconds: LONG,
    /** Actions already performed in this task, e.g. ["secret:read"]. */
    priorActions: { type: "Set", element: STR },
    /** The task the call serves, issued by the orchestrator. Absent = no task. */
    taskId: { type: "String", required: false },
    /** A human approval the gateway verified, bound to a task id. */
    approval: { type: "Record", attributes: { approver: STR, taskId: STR }, required: false },
  };
}

/** Context attributes specific to an action. */
const ACTION_CONTEXT: Partial<Record<ToolAction, Record<string, CedarType>>> = {
  /** The gateway runs the statement in a read-only transaction (or classified it read-only). */
  "db:query": { readOnly: BOOL },
  /** Upper-case HTTP method of the call. */
  "http:call": { method: STR },
};

/** The Cedar schema (JSON format) shared by every assistant's policy store. */
export function cedarSchema(): CedarSchemaJson {
  const entityTypes: Record<string, CedarEntityTypeDef> = { [ENTITY_TYPE.assistant]: {} };
  for (const kind of Object.keys(ENTITY_TYPE) as (TargetKind | "assistant")[]) {
    if (kind === "assistant") continue;
    const shape = TARGET_SHAPE[kind];
    entityTypes[ENTITY_TYPE[kind]] = shape ? { shape: { type: "Record", attributes: { ...shape } } } : {};
  }
  const actions: Record<string, CedarActionDef> = {};
  for (const a of TOOL_ACTIONS) {
    actions[a] = {
      appliesTo: {
        principalTypes: [ENTITY_TYPE.assistant],
        resourceTypes: [ENTITY_TYPE[ACTION_TARGET[a]]],
        context: { type: "Record", attributes: { ...baseContext(), ...(ACTION_CONTEXT[a] ?? {}) } },
      },
    };
  }
  return { [NAMESPACE]: { entityTypes, actions } };
}

/** The schema as the JSON string Verified Permissions stores (stable key order). */
export function cedarSchemaText(): string {
  return JSON.stringify(cedarSchema());
}

// ---------------------------------------------------------------------------------------------
// Cedar text helpers
// ---------------------------------------------------------------------------------------------

/** A Cedar string literal. Control characters are written as \u{…}. */
export function cedarString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (cp < 0x20 || cp === 0x7f) out += `\\u{${cp.toString(16)}}`;
    else out += ch;
  }
  return out + '"';
}

/** A Cedar `like` pattern matching strings that start with `prefix` (a literal '*' is escaped). */
export function cedarPrefixPattern(prefix: string): string {
  const lit = cedarString(prefix).slice(1, -1).replace(/\*/g, "\\*");
  return `"${lit}*"`;
}

/** `AssistantTools::Type::"id"` */
export function entityRef(type: string, id: string): string {
  return `${qualified(type)}::${cedarString(id)}`;
}

export function actionRef(a: ToolAction): string {
  return `${ACTION_TYPE}::${cedarString(a)}`;
}

/** An entity id that fits Verified Permissions' 200-character limit. */
export function boundedId(id: string): string {
  return id.length <= MAX_ENTITY_ID ? id : `sha256:${createHash("sha256").update(id).digest("hex")}`;
}
