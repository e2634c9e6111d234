/**
 * Compile an assistant's `tools` section into Cedar policies.
 *
 * Shape of the policy set (deny wins in Cedar; anything not permitted is denied):
 *  - `permit-<tool>`      one per declared tool: this principal, this action, this target only.
 *  - `task-id-<tool>`     forbid the tool's calls that carry no task id (requiresTaskId).
 *  - `approval-<tool>`    forbid the tool's calls without an approval bound to the same task id (requiresApproval).
 *  - `read-only-<tool>`   forbid a read-only database's queries not run read-only.
 *  - `chain-<name>`       forbid the `then` actions once every `after` action happened earlier in the task.
 *  - `session-age`        forbid every call from a session older than maxSessionAgeSeconds (or with a negative age).
 *  - `expired`            forbid every call at or after 00:00Z of the expiry date (context.now).
 *  - `revoked`            forbid every call of a revoked assistant (kill switch), present only when revoked.
 *
 * Guards are forbids, not permit conditions, so a denial names the guard that fired. When two
 * declared tools overlap (same action, a prefix inside another), the stricter guard wins.
 */
import { createHash } from "crypto";
import { ACTION_TARGET, type AssistantTools, type Tool, type ToolAction, type ToolAssistant } from "../spec/tools";
import { actionRef, cedarPrefixPattern, cedarSchema, cedarString, ENTITY_TYPE, entityRef, NAMESPACE, qualified, type CedarSchemaJson } from "./model";

export interface CedarPolicy {
  /** Stable id: the key in cedar-wasm policy sets, the Pulumi resource name suffix, the reason lookup. */
  id: string;
  effect: "permit" | "forbid";
  /** Cedar policy text (one policy). */
  statement: string;
  /** One sentence (≤150 characters: the Verified Permissions description limit), used as the decision reason. */
  description: string;
}

export interface CedarBundle {
  namespace: string;
  /** The assistant as Cedar principal. */
  principal: { type: string; id: string };
  schema: CedarSchemaJson;
  policies: CedarPolicy[];
}

const MAX_ID = 64;
const DESCRIPTION_MAX = 150;

function describe(s: string): string {
  return s.length <= DESCRIPTION_MAX ? s : `${s.slice(0, DESCRIPTION_MAX - 1)}…`;
}

/** What a declared tool's target is, in a reason or event: `acme/app`, `s3://b/p`, `https://h/p`. */
export function declaredTargetLabel(t: Tool): string {
  switch (t.action) {
    case "github:read":
    case "github:comment":
    case "github:create-pull-request":
    case "github:push":
      return t.target.repository;
    case "s3:read":
    case "s3:write":
      return `s3://${t.target.bucket}/${t.target.prefix}*`;
    case "db:query":
      return `database ${t.target.database}`;
    case "http:call":
      return `${t.target.url}*`;
    case "secret:read":
      return `secret ${t.target.secret}`;
  }
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * `github-comment-acme-app`; long ones are cut and suffixed with a digest of the full key, and so are
 * ones another declared tool's slug meets (`withDigest`: `api.x.example` and `api-x.example`).
 */
export function toolSlug(t: Tool, withDigest = false): string {
  const raw = `${t.action}-${declaredTargetLabel(t).replace(/^(s3:\/\/|https:\/\/|database |secret )/, "")}`;
  const s = slug(raw);
  if (s.length <= MAX_ID - 10 && !withDigest) return s;
  const digest = createHash("sha256").update(raw).digest("hex").slice(0, 8);
  return `${s.slice(0, MAX_ID - 10 - 9).replace(/-+$/, "")}-${digest}`;
}

/** The resource scope and `when` conditions that make a policy apply to exactly this declared target. */
function targetMatch(t: Tool): { scope: string; conditions: string[] } {
  const type = ENTITY_TYPE[ACTION_TARGET[t.action]];
  switch (t.action) {
    case "github:read":
    case "github:comment":
    case "github:create-pull-request":
    case "github:push":
      return { scope: `resource == ${entityRef(type, t.target.repository)}`, conditions: [] };
    case "s3:read":
    case "s3:write": {
      const conditions = [`resource.bucket == ${cedarString(t.target.bucket)}`];
      if (t.target.prefix !== "") conditions.push(`resource.key like ${cedarPrefixPattern(t.target.prefix)}`);
      return { scope: `resource is ${qualified(type)}`, conditions };
    }
    case "db:query":
      return { scope: `resource == ${entityRef(type, t.target.database)}`, conditions: [] };
    case "http:call": {
      const u = new URL(t.target.url);
      const port = u.port === "" ? 443 : Number(u.port);
      const conditions = [
        `resource.scheme == "https"`,
        `resource.host == ${cedarString(u.hostname)}`,
        `resource.port == ${port}`,
        `resource.path like ${cedarPrefixPattern(u.pathname)}`,
      ];
      if (t.target.methods) conditions.push(`[${t.target.methods.map(cedarString).join(", ")}].contains(context.method)`);
      return { scope: `resource is ${qualified(type)}`, conditions };
    }
    case "secret:read":
      return { scope: `resource == ${entityRef(type, t.target.secret)}`, conditions: [] };
  }
}

function statement(effect: "permit" | "forbid", principal: string, action: string, resource: string, when: string[], unless: string[] = []): string {
  let s = `${effect} (\n  principal == ${principal},\n  ${action},\n  ${resource}\n)`;
  if (when.length) s += `\nwhen { ${when.join(" && ")} }`;
  if (unless.length) s += `\nunless { ${unless.join(" && ")} }`;
  return `${s};`;
}

/** 00:00:00Z of the expiry date, in Unix epoch seconds: from then on every call is denied. */
export function expiryEpochSeconds(expires: string): number {
  const ms = Date.parse(`${expires}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(expires) || Number.isNaN(ms)) throw new Error(`expires must be YYYY-MM-DD; got ${JSON.stringify(expires)}`);
  return ms / 1000;
}

/** The Cedar schema and policies for one assistant. Pure: same assistant in, same bundle out. */
export function compileToolPolicies(assistant: ToolAssistant): CedarBundle {
  const principal = { type: qualified(ENTITY_TYPE.assistant), id: assistant.name };
  const p = entityRef(ENTITY_TYPE.assistant, assistant.name);
  const tools: AssistantTools | undefined = assistant.tools;
  const policies: CedarPolicy[] = [];
  const ids = new Set<string>();
  const add = (pol: CedarPolicy) => {
    if (ids.has(pol.id)) throw new Error(`two generated Cedar policies share the id ${pol.id}: declare each action and target once`);
    ids.add(pol.id);
    policies.push(pol);
  };

  // Slugs fold punctuation: two distinct targets may meet on one; those get a digest of their own key.
  const slugUses = new Map<string, number>();
  for (const t of tools?.tools ?? []) {
    const slug = toolSlug(t);
    slugUses.set(slug, (slugUses.get(slug) ?? 0) + 1);
  }
  for (const t of tools?.tools ?? []) {
    const plain = toolSlug(t);
    const s = slugUses.get(plain)! > 1 ? toolSlug(t, true) : plain;
    const label = declaredTargetLabel(t);
    const { scope, conditions } = targetMatch(t);
    const act = `action == ${actionRef(t.action)}`;
    const methods = t.action === "http:call" && t.target.methods ? ` (${t.target.methods.join(", ")})` : "";
    add({
      id: `permit-${s}`,
      effect: "permit",
      statement: statement("permit", p, act, scope, conditions),
      description: describe(`${t.action} on ${label}${methods} is declared for ${assistant.name}${t.description ? `: ${t.description}` : ""}`),
    });
    if (t.requiresTaskId) {
      add({
        id: `task-id-${s}`,
        effect: "forbid",
        statement: statement("forbid", p, act, scope, conditions, [`context has taskId`, `context.taskId != ""`]),
        description: describe(`${t.action} on ${label} requires a task id; the call carried none`),
      });
    }
    if (t.requiresApproval) {
      add({
        id: `approval-${s}`,
        effect: "forbid",
        statement: statement("forbid", p, act, scope, conditions, [
          `context has taskId`,
          `context has approval`,
          `context.approval.taskId == context.taskId`,
          `context.approval.approver != ""`,
        ]),
        description: describe(`${t.action} on ${label} requires a human approval for this task id; the call carried none`),
      });
    }
    if (t.action === "db:query" && t.target.access === "read-only") {
      add({
        id: `read-only-${s}`,
        effect: "forbid",
        statement: statement("forbid", p, act, scope, conditions, [`context.readOnly`]),
        description: describe(`${t.action} on ${label} is read-only; the query was not run read-only`),
      });
    }
  }

  for (const c of tools?.forbiddenChains ?? []) {
    const after = [...new Set(c.after)];
    const then = [...new Set(c.then)] as ToolAction[];
    add({
      id: `chain-${c.name}`,
      effect: "forbid",
      statement: statement(
        "forbid",
        p,
        then.length === 1 ? `action == ${actionRef(then[0])}` : `action in [${then.map(actionRef).join(", ")}]`,
        "resource",
        [`context.priorActions.containsAll([${after.map(cedarString).join(", ")}])`],
      ),
      description: describe(`forbidden chain ${c.name}: ${then.join(", ")} after ${after.join(" and ")} in the same task${c.reason ? ` (${c.reason})` : ""}`),
    });
  }

  const maxAge = tools?.maxSessionAgeSeconds ?? 3600;
  add({
    id: "session-age",
    effect: "forbid",
    statement: statement("forbid", p, "action", "resource", [`context.sessionAgeSeconds > ${maxAge} || context.sessionAgeSeconds < 0`]),
    description: describe(`calls from a session older than ${maxAge} s are denied; start a new session`),
  });
  add({
    id: "expired",
    effect: "forbid",
    statement: statement("forbid", p, "action", "resource", [`context.now >= ${expiryEpochSeconds(assistant.expires)}`]),
    description: describe(`${assistant.name} expired: access ended at ${assistant.expires}T00:00:00Z`),
  });
  if (assistant.revoked) {
    add({
      id: "revoked",
      effect: "forbid",
      statement: statement("forbid", p, "action", "resource", []),
      description: describe(`${assistant.name} is revoked (kill switch): every tool call is denied`),
    });
  }
  return { namespace: NAMESPACE, principal, schema: cedarSchema(), policies };
}

/** The policy set as cedar-wasm takes it: `{ id: text }`. */
export function staticPolicySet(bundle: CedarBundle): Record<string, string> {
  return Object.fromEntries(bundle.policies.map((p) => [p.id, p.statement]));
}
