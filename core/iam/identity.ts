/**
 * Identity-policy analysis: what an Allow grants, judged on its actions (expanded against
 * iam-data) and resources. Pure; no @pulumi import.
 *
 * Choices, on purpose:
 * - Explicit Deny statements are never flagged (they only take away).
 * - An Allow is judged on its actions and resources even when it has a Condition: conditions are
 *   easy to get wrong (IfExists, set operators, keys absent for some callers) and cannot be
 *   proven harmless statically. Such findings carry `conditioned: true` so a rule may soften them.
 * - A resource "reaches other principals" (is broad) when it is "*" or an ARN whose resource part
 *   is only wildcards after its type (`role/*`, `secret:*`, `arn:aws:s3:::*`). A prefix such as
 *   `role/app-*` is a deliberate scope and is not broad.
 * - Actions that need iam:PassRole to escalate (ec2:RunInstances, lambda:CreateFunction, …) count
 *   as escalation only when the same document allows iam:PassRole on a broad resource; a PassRole
 *   scoped to named roles is the whole-stack rule's job (it can see those roles).
 */
import { actionSupportsResourceArns, canonicalAction, expandActionPatternShared, expandedLowerSet, hasWildcard, isMutatingAction, isPermissionsManagementAction, resourceArnPrefixes, wildcardRegex } from "./actions";
import { parsePolicyDocument, type PolicyDocument, type Statement } from "./document";
import { escalationMethod, isCredentialExposureAction, isEscalationAction } from "./escalation";
import { memoised } from "./memo";
import { finding, SEVERITY_BY_CATEGORY, type IamCategory, type IamFinding, type IdentityCategory } from "./finding";

export interface IdentityAnalysisOptions {
  /** Actions (canonical names or IAM wildcards, case-insensitive) that are accepted exceptions. */
  allowActions?: readonly string[];
  ignoreCategories?: readonly IamCategory[];
}

const MAX_NAMED = 5;

/** "*" or "*:*". */
export function isFullWildcardAction(a: string): boolean {
  const t = a.trim();
  return t === "*" || t === "*:*";
}

/** True when a resource pattern reaches every resource of its type (see the module comment). */
export function isBroadResource(resource: string): boolean {
  // Without `*` or `?` a pattern matches one ARN, literally: never broad. Not memoised: nearly every
  // resource of a large stack is a distinct ARN, and the judgement costs less than a memo's churn.
  return hasWildcard(resource) && judgeBroadness(resource);
}

function judgeBroadness(resource: string): boolean {
  const r = resource.trim();
  if (ONLY_WILDCARDS.test(r)) return true;
  // Colon positions and character tests instead of split/join/slice: a large stack has tens of
  // thousands of distinct wildcard ARNs (`arn:aws:s3:::bucket/*`), judged without allocating.
  const c0 = r.indexOf(":");
  const c1 = c0 < 0 ? -1 : r.indexOf(":", c0 + 1);
  const c2 = c1 < 0 ? -1 : r.indexOf(":", c1 + 1);
  const c3 = c2 < 0 ? -1 : r.indexOf(":", c2 + 1);
  const c4 = c3 < 0 ? -1 : r.indexOf(":", c3 + 1);
  const isArn = ARN_HEAD.test(r);
  if (isArn && c4 < 0) return wildcardIn(r, r.lastIndexOf(":") + 1, r.length); // `arn:aws:*`, `arn:aws:iam::*`: the wildcard spans the resource part
  if (c4 < 0 || !isArn) return hasWildcard(r) && /^[*?/:]+$/.test(r);
  if (onlyFrom(r, c4 + 1)) return true;
  // S3 ARNs have no type prefix: `bucket/*` is one bucket.
  if ((c2 - c1 === 3 && (r.charCodeAt(c1 + 1) | 32) === 115 && r.charCodeAt(c1 + 2) === 51) || wildcardIn(r, c1 + 1, c2)) return false;
  const rest = r.slice(c4 + 1);
  // A wildcard inside the resource type (`role*`, `ro?e/*`) reaches every resource of that type.
  const star = rest.search(/[*?]/);
  if (star >= 0 && resourceArnPrefixes(r.slice(c1 + 1, c2).toLowerCase()).some((p) => p.length > star && p.startsWith(rest.slice(0, star)))) return true;
  const m = /^[A-Za-z0-9_.-]+[/:](.*)$/.exec(rest);
  return m !== null && /^[*?/:]+$/.test(m[1]);
}

const ONLY_WILDCARDS = /^[*?]+$/;
/** The part before the first colon (or the whole string) is "arn", in any case. */
const ARN_HEAD = /^arn(?::|$)/i;

/** Whether `s` has `*` or `?` in [from, to). */
function wildcardIn(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 42 || c === 63) return true;
  }
  return false;
}

/** Whether `s` from `from` on is non-empty and only `*`, `?` and `/`. */
function onlyFrom(s: string, from: number): boolean {
  if (from >= s.length) return false;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 42 && c !== 63 && c !== 47) return false;
  }
  return true;
}

function quoteList(actions: readonly string[]): string {
  const named = actions.slice(0, MAX_NAMED).join(", ");
  return actions.length > MAX_NAMED ? `${named} and ${actions.length - MAX_NAMED} more` : named;
}

/**
 * Compiled allowActions matcher of an option set, from its key (`analyzeIdentityPolicy`'s JSON of
 * [allowActions, ignoreCategories]): one per option set, since the same options judge every document.
 */
const exceptionMatcher = memoised((optionsKey): ((action: string) => boolean) => {
  const allow = (JSON.parse(optionsKey) as [string[], unknown])[0];
  if (allow.length === 0) return () => false;
  const res = allow.map((p) => wildcardRegex(p.trim()));
  return (action) => res.some((re) => re.test(action));
}, 64);

/** Whether a statement's resources reach other principals: NotResource, no Resource, or a broad pattern. */
function statementIsBroad(s: Statement): boolean {
  return s.NotResource !== undefined || s.Resource === undefined || s.Resource.some(isBroadResource);
}

/** Whether an Allow statement (with its broadness precomputed) allows iam:PassRole on a broad resource. */
function allowsPassRoleBroadly(doc: PolicyDocument, broad: readonly boolean[]): boolean {
  return doc.Statement.some((s, i) => {
    if (s.Effect !== "Allow" || !broad[i]) return false;
    if (s.NotAction) return !s.NotAction.some((p) => expandedLowerSet(p).has("iam:passrole"));
    return (s.Action ?? []).some((p) => isFullWildcardAction(p) || expandedLowerSet(p).has("iam:passrole"));
  });
}

interface Ctx {
  /** The option set's key (allowActions and ignored categories). */
  key: string;
  excepted: (action: string) => boolean;
  passRoleBroad: boolean;
}

/** Escalation on its own, or with the document's broad iam:PassRole for the actions that need it. */
function escalates(action: string, ctx: Ctx): boolean {
  const m = escalationMethod(action);
  return m !== undefined && (!m.needsPassRole || ctx.passRoleBroad);
}

/** The actions of a wildcard's expansion that matter to the judgement, classified once per pattern. */
interface PatternClass {
  /** Permissions management, or escalation on its own; escalation that needs a broad PassRole. */
  bad: string[];
  badWithPassRole: string[];
  creds: string[];
  writes: string[];
}
const classify = memoised((pattern): PatternClass => {
  const c: PatternClass = { bad: [], badWithPassRole: [], creds: [], writes: [] };
  for (const a of expandActionPatternShared(pattern)) {
    const m = escalationMethod(a);
    if (isPermissionsManagementAction(a) || (m && !m.needsPassRole)) c.bad.push(a);
    if (isPermissionsManagementAction(a) || m) c.badWithPassRole.push(a);
    const arns = actionSupportsResourceArns(a);
    const cred = isCredentialExposureAction(a);
    if (cred && arns) c.creds.push(a);
    if (!cred && arns && isMutatingAction(a)) c.writes.push(a);
  }
  return c;
});

/**
 * What one Action entry is found to grant, without where it sits: a finding's message is
 * `<path> <body>`. It depends only on the entry, the statement's broadness, the document's broad
 * PassRole and the options, so it is worked out once per such combination (documents repeat the
 * same few patterns thousands of times across a stack).
 */
interface Verdict {
  category: IdentityCategory;
  value: unknown;
  key: string;
  body: string;
  fix: string;
}

const NO_VERDICTS: readonly Verdict[] = Object.freeze([]);
const MAX_VERDICTS = 20_000;

/** A verdict list frozen whole (values included): it is shared by every finding made from it. */
function frozen(v: Verdict[]): readonly Verdict[] {
  if (v.length === 0) return NO_VERDICTS;
  for (const x of v) {
    if (typeof x.value === "object" && x.value !== null) {
      for (const inner of Object.values(x.value)) if (Array.isArray(inner)) Object.freeze(inner);
      Object.freeze(x.value);
    }
    Object.freeze(x);
  }
  return Object.freeze(v);
}

/**
 * The memoised judge of Action entries for one context, keyed `<broad 0|1><broad PassRole 0|1><option
 * set key>`: everything a verdict depends on besides the entry itself is in that key.
 */
const judgeFor = memoised((contextKey) => {
  const key = contextKey.slice(2);
  const ctx: Ctx = { key, excepted: exceptionMatcher(key), passRoleBroad: contextKey[1] === "1" };
  const broad = contextKey[0] === "1";
  return memoised((raw) => frozen(judgeEntry(raw, broad, ctx)), MAX_VERDICTS);
}, 256);

function judgeEntry(raw: string, broad: boolean, ctx: Ctx): Verdict[] {
  if (isFullWildcardAction(raw)) {
    if (ctx.excepted(raw.trim())) return [];
    return [{ category: "wildcard-action", value: raw, key: "wildcard-action", body: `must not Allow every action; got ${JSON.stringify(raw)}`, fix: "List the exact actions this identity needs." }];
  }
  return hasWildcard(raw) ? judgeWildcardEntry(raw, broad, ctx) : judgeExactEntry(raw, broad, ctx);
}

function judgeWildcardEntry(pattern: string, broad: boolean, ctx: Ctx): Verdict[] {
  const c = classify(pattern);
  const bad = (ctx.passRoleBroad ? c.badWithPassRole : c.bad).filter((a) => !ctx.excepted(a));
  if (bad.length > 0) {
    return [
      {
        category: "service-wildcard-escalation",
        value: { pattern, actions: bad },
        key: `service-wildcard-escalation::${pattern}`,
        body: `must not use a wildcard that grants permissions-management or escalation actions; got ${JSON.stringify(pattern)}, which expands to ${quoteList(bad)}`,
        fix: "List the exact actions needed; keep IAM and escalation actions out of wildcards (or move them to a separate, resource-scoped statement).",
      },
    ];
  }
  if (!broad) return [];
  const out: Verdict[] = [];
  const creds = c.creds.filter((a) => !ctx.excepted(a));
  if (creds.length > 0) out.push(credentialVerdict(pattern, creds));
  const writes = c.writes.filter((a) => !ctx.excepted(a));
  if (writes.length > 0) out.push(writeVerdict(pattern, writes));
  return out;
}

function credentialVerdict(entry: string, actions: readonly string[]): Verdict {
  return {
    category: "credential-exposure",
    value: { action: entry, actions },
    key: `credential-exposure::${entry}`,
    body: `must not read credentials or secrets on every resource; got ${quoteList(actions)} on a wildcard resource`,
    fix: "Name the exact secret, parameter or key ARNs (Secrets Manager: the name followed by -??????).",
  };
}

function writeVerdict(entry: string, actions: readonly string[]): Verdict {
  return {
    category: "wildcard-resource-write",
    value: { action: entry, actions },
    key: `wildcard-resource-write::${entry}`,
    body: `must scope write actions to resource ARNs; got ${quoteList(actions)} on a wildcard resource`,
    fix: "Replace the wildcard resource with the ARNs (or an ARN prefix) of the resources this identity owns.",
  };
}

function judgeExactEntry(raw: string, broad: boolean, ctx: Ctx): Verdict[] {
  const action = canonicalAction(raw);
  if (action === undefined || ctx.excepted(action) || !broad) return [];
  if (escalates(action, ctx)) {
    return [
      {
        category: "escalation-action",
        value: action,
        key: `escalation-action::${action}`,
        body: `must not grant ${action} on resources that reach other principals; got ${action} on a wildcard resource (it ${escalationMethod(action)!.method})`,
        fix:
          action === "iam:PassRole"
            ? "Name the exact role ARNs to pass and add an iam:PassedToService condition."
            : escalationMethod(action)!.needsPassRole
              ? `Scope iam:PassRole in this document to named roles (with iam:PassedToService), or remove ${action}.`
              : `Name the exact ${action.split(":")[0]} resource ARNs this identity owns, or remove ${action}.`,
      },
    ];
  }
  if (isCredentialExposureAction(action) && actionSupportsResourceArns(action)) return [credentialVerdict(action, [action])];
  if (isMutatingAction(action) && actionSupportsResourceArns(action)) return [writeVerdict(action, [action])];
  return [];
}

function judgeStatement(s: Statement, i: number, broad: boolean, ctx: Ctx, out: IamFinding[]): void {
  if (s.Effect !== "Allow") return;
  const conditioned = s.Condition !== undefined && Object.keys(s.Condition).length > 0;
  const c = conditioned ? { conditioned: true } : {};
  if (s.NotAction) {
    out.push(
      finding("not-action-allow", {
        path: `Statement[${i}].NotAction`,
        value: s.NotAction,
        key: "not-action-allow",
        ...c,
        message: `Statement[${i}] must not Allow with NotAction (it grants every other action, including ones AWS adds later); got NotAction ${JSON.stringify(s.NotAction)}`,
        fix: "List the allowed actions in Action; express exclusions as a separate Deny statement.",
      }),
    );
  }
  if (s.NotResource) {
    out.push(
      finding("not-resource-allow", {
        path: `Statement[${i}].NotResource`,
        value: s.NotResource,
        key: "not-resource-allow",
        ...c,
        message: `Statement[${i}] must not Allow with NotResource (it grants every other resource); got NotResource ${JSON.stringify(s.NotResource)}`,
        fix: "List the allowed resources in Resource; express exclusions as a separate Deny statement.",
      }),
    );
  }
  const actions = s.Action ?? [];
  const judge = judgeFor(`${broad ? 1 : 0}${ctx.passRoleBroad ? 1 : 0}${ctx.key}`);
  for (let j = 0; j < actions.length; j++) {
    const found = judge(actions[j]);
    if (found.length === 0) continue;
    const path = `Statement[${i}].Action[${j}]`;
    for (const v of found) out.push({ category: v.category, severity: SEVERITY_BY_CATEGORY[v.category], path, ...c, value: v.value, key: v.key, message: `${path} ${v.body}`, fix: v.fix });
  }
}

/**
 * Findings for an identity policy (a parsed document, or anything `parsePolicyDocument` accepts;
 * an unparseable input gives one "invalid-document" finding).
 */
export function analyzeIdentityPolicy(input: PolicyDocument | unknown, opts: IdentityAnalysisOptions = {}): IamFinding[] {
  return identityFindingsShared(input, opts).map((f) => ({ ...f }));
}

/**
 * `analyzeIdentityPolicy` without the copies: the findings list the memo holds, frozen with each
 * finding in it. For callers that only read them (the rules copy what they report anyway).
 */
export function identityFindingsShared(input: PolicyDocument | unknown, opts: IdentityAnalysisOptions = {}): readonly IamFinding[] {
  const parsed = parsePolicyDocument(input);
  if (!parsed.ok) return Object.freeze([Object.freeze(invalidDocument(parsed.error, parsed.path))]);
  const doc = parsed.doc;
  // Parsed documents are frozen and shared (the parse cache): several rules judge the same document
  // in one stack run, so its findings are computed once per option set.
  const allow = opts.allowActions ?? [];
  const ignore = opts.ignoreCategories ?? [];
  const key = allow.length === 0 && ignore.length === 0 ? NO_OPTIONS_KEY : JSON.stringify([allow, ignore]);
  let byOpts = analyses.get(doc);
  if (!byOpts) analyses.set(doc, (byOpts = new Map()));
  const hit = byOpts.get(key);
  if (hit) return hit;
  const broad = doc.Statement.map(statementIsBroad);
  const ctx: Ctx = { key, excepted: exceptionMatcher(key), passRoleBroad: allowsPassRoleBroadly(doc, broad) };
  const all: IamFinding[] = [];
  doc.Statement.forEach((s, i) => judgeStatement(s, i, broad[i], ctx, all));
  const ignored = new Set(ignore);
  const findings = ignored.size ? all.filter((f) => !ignored.has(f.category)) : all;
  for (const f of findings) Object.freeze(f);
  Object.freeze(findings);
  byOpts.set(key, findings);
  return findings;
}

/** The option-set key of no options (`JSON.stringify([[], []])`), the common case, without building it. */
const NO_OPTIONS_KEY = "[[],[]]";
const analyses = new WeakMap<object, Map<string, readonly IamFinding[]>>();

export function invalidDocument(error: string, path?: string): IamFinding {
  return finding("invalid-document", {
    ...(path !== undefined ? { path } : {}),
    key: "invalid-document",
    message: `${path ? path : "the policy document"} ${error}`,
    fix: "Write the policy as an AWS policy document (Version, Statement with Effect/Action/Resource).",
  });
}

function rawActionFindings(s: Statement, i: number): IamFinding[] {
  const out: IamFinding[] = [];
  const resources = s.Resource ?? ["*"];
  const broadResources = resources.filter(isBroadResource);
  (s.Action ?? []).forEach((raw, j) => {
    const path = `Statement[${i}].Action[${j}]`;
    if (isFullWildcardAction(raw)) {
      out.push(finding("wildcard-action", { path, value: raw, key: "wildcard-action", message: `${path} must not allow every action; got ${JSON.stringify(raw)}`, fix: "List the exact actions needed." }));
      return;
    }
    const expanded = expandActionPatternShared(raw);
    if (expanded.length === 0) {
      out.push(finding("unknown-action", { path, value: raw, key: `unknown-action::${raw}`, message: `${path} must name an action AWS defines; got ${JSON.stringify(raw)}`, fix: "Fix the spelling (service:ActionName) or remove the action." }));
      return;
    }
    const privileged = expanded.filter((a) => isPermissionsManagementAction(a) || isEscalationAction(a));
    if (privileged.length > 0) {
      out.push(
        finding("privileged-action", {
          path,
          value: { action: raw, actions: privileged },
          key: `privileged-action::${raw}`,
          message: `${path} must not grant permissions-management or escalation actions through a raw statement; got ${JSON.stringify(raw)} (${quoteList(privileged)})`,
          fix: "Use the component's typed grants for IAM and compute-with-role actions; raw statements are for plain data-plane access.",
        }),
      );
    }
    const withArns = expanded.filter(actionSupportsResourceArns);
    if (broadResources.length > 0 && withArns.length > 0) {
      out.push(
        finding("wildcard-resource", {
          path,
          value: { action: raw, resources: broadResources },
          key: `wildcard-resource::${raw}`,
          message: `${path} must be scoped to resource ARNs (it supports them); got ${JSON.stringify(raw)} on ${JSON.stringify(broadResources)}`,
          fix: "Name the resource ARNs; only actions that support no ARN (e.g. ecr:GetAuthorizationToken) may use Resource \"*\".",
        }),
      );
    }
  });
  return out;
}

/**
 * The components' escape hatch, failing closed: rejects "*" actions, wildcard resources on
 * actions that support ARNs, NotAction/NotResource, unknown actions, and any action that after
 * expansion is permissions-management or escalation, whatever its resource. Deny statements pass.
 * Accepts a statement, an array of statements or a whole document.
 */
export function judgeRawStatements(statements: unknown): IamFinding[] {
  const input = typeof statements === "object" && statements !== null && !Array.isArray(statements) && "Statement" in statements ? statements : { Statement: statements };
  const parsed = parsePolicyDocument(input);
  if (!parsed.ok) return [invalidDocument(parsed.error, parsed.path)];
  return parsed.doc.Statement.flatMap((s, i) => {
    if (s.Effect !== "Allow") return [];
    const out: IamFinding[] = [];
    if (s.NotAction) out.push(finding("not-action-allow", { path: `Statement[${i}].NotAction`, value: s.NotAction, key: "not-action-allow", message: `Statement[${i}] must not Allow with NotAction; got ${JSON.stringify(s.NotAction)}`, fix: "List the allowed actions in Action." }));
    if (s.NotResource) out.push(finding("not-resource-allow", { path: `Statement[${i}].NotResource`, value: s.NotResource, key: "not-resource-allow", message: `Statement[${i}] must not Allow with NotResource; got ${JSON.stringify(s.NotResource)}`, fix: "List the allowed resources in Resource." }));
    return [...out, ...rawActionFindings(s, i)];
  });
}
