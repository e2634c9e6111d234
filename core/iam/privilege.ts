/**
 * Whole-identity privilege: a coarse rank over everything a role is granted (its documents and its
 * managed policy ARNs), who it may pass or assume, and whether a role ARN pattern names a role.
 * Used by the stack rule that finds roles able to pass or assume a more privileged role. Pure.
 */
import { expandedLowerSet, hasWildcard, patternMutates, wildcardRegex } from "./actions";
import type { PolicyDocument, Statement } from "./document";
import { adminEquivalentReason, awsManagedPolicyName } from "./escalation";
import { identityFindingsShared, isFullWildcardAction } from "./identity";
import { memoised } from "./memo";

/** 0 nothing, 1 read, 2 write, 3 escalation (can grant itself more), 4 admin-equivalent. */
export type PrivilegeRank = 0 | 1 | 2 | 3 | 4;

export const RANK_NAMES: Readonly<Record<PrivilegeRank, string>> = { 0: "no grants", 1: "read", 2: "write", 3: "escalation", 4: "admin" };

export interface Privilege {
  rank: PrivilegeRank;
  /** Why, for messages. */
  reason: string;
}

/** Managed policies AWS publishes that only read (rank 1 when attached). */
const READ_ONLY_MANAGED = /^(ReadOnlyAccess|SecurityAudit|job-function\/ViewOnlyAccess|.*ReadOnly.*)$/i;

function allowsAnything(doc: PolicyDocument): boolean {
  return doc.Statement.some((s) => s.Effect === "Allow");
}

function writes(s: Statement): boolean {
  if (s.NotAction) return true;
  return (s.Action ?? []).some((p) => isFullWildcardAction(p) || patternMutates(p));
}

/** The rank of an identity holding these documents and managed policies. */
export function privilegeOf(docs: readonly PolicyDocument[], managedArns: readonly string[] = []): Privilege {
  for (const arn of managedArns) {
    const why = adminEquivalentReason(arn);
    if (why) return { rank: 4, reason: `${arn} ${why}` };
  }
  const findings = docs.flatMap((d) => identityFindingsShared(d));
  const admin = findings.find((f) => f.category === "wildcard-action" || f.category === "not-action-allow");
  if (admin) return { rank: 4, reason: admin.message };
  const esc = findings.find((f) => f.category === "escalation-action" || f.category === "service-wildcard-escalation");
  if (esc) return { rank: 3, reason: esc.message };
  const customerManaged = managedArns.filter((a) => awsManagedPolicyName(a) === undefined);
  const awsManaged = managedArns.filter((a) => awsManagedPolicyName(a) !== undefined);
  if (docs.some((d) => d.Statement.some((s) => s.Effect === "Allow" && writes(s)))) return { rank: 2, reason: "grants write actions" };
  const writerManaged = awsManaged.find((a) => !READ_ONLY_MANAGED.test(awsManagedPolicyName(a)!));
  if (writerManaged) return { rank: 2, reason: `${writerManaged} grants write actions` };
  if (customerManaged.length > 0) return { rank: 2, reason: `${customerManaged[0]} is a customer policy this analysis cannot read` };
  if (awsManaged.length > 0 || docs.some(allowsAnything)) return { rank: 1, reason: "grants read actions only" };
  return { rank: 0, reason: "grants nothing" };
}

export interface Grant {
  /** Resource patterns the action is allowed on ("*" for NotResource statements). */
  resources: string[];
  /** Path of the granting statement inside its document. */
  path: string;
  conditioned: boolean;
}

/** Whether a statement's actions cover one exact action: an Action pattern naming it, or a NotAction that spares it. Effect is not read. */
export function statementCoversAction(s: Statement, action: string): boolean {
  const want = action.toLowerCase();
  return coversWith(s, want, serviceOf(want));
}

/** The service part of a lowercased action (`iam` of `iam:passrole`). */
function serviceOf(want: string): string {
  return want.slice(0, want.indexOf(":"));
}

/** `statementCoversAction` with the action already lowercased (`service:name`) and its service. */
function coversWith(s: Statement, want: string, service: string): boolean {
  // A NotAction statement covers the action unless one of its patterns names it.
  for (const p of s.NotAction ?? s.Action ?? []) if (patternNames(p, want, service)) return !s.NotAction;
  return !!s.NotAction;
}

function patternNames(p: string, want: string, service: string): boolean {
  if (isFullWildcardAction(p)) return true;
  const ps = patternService(p);
  return (ps === ANY_SERVICE || ps === service) && expandedLowerSet(p).has(want);
}

/** Where a document allows one exact action (through Action patterns or a NotAction that spares it). */
export function grantsOf(doc: PolicyDocument, action: string): Grant[] {
  const out: Grant[] = [];
  const want = action.toLowerCase();
  const service = serviceOf(want);
  const statements = doc.Statement;
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i];
    if (s.Effect !== "Allow" || !coversWith(s, want, service)) continue;
    out.push({ resources: s.NotResource || !s.Resource ? ["*"] : [...s.Resource], path: `Statement[${i}]`, conditioned: s.Condition !== undefined });
  }
  return out;
}

/** `patternService`'s answer for a pattern whose service part may name any service. */
const ANY_SERVICE = "*";

/**
 * The service an Action pattern can name, lowercase (memoised: documents repeat the same patterns),
 * or ANY_SERVICE when its service part has a wildcard or it has no `:`: a cheap test that skips
 * expanding `s3:Get*` when asking about iam:PassRole. A literal service part expands only within
 * that service; anything else is left to the expansion.
 */
const patternService = memoised((pattern): string => {
  const i = pattern.indexOf(":");
  if (i < 0) return ANY_SERVICE;
  const s = pattern.slice(0, i).trim().toLowerCase();
  return hasWildcard(s) ? ANY_SERVICE : s;
});

export interface RoleName {
  /** The role's ARN when known. */
  arn?: string;
  /** Its name when known (`name` input). */
  name?: string;
  /** Its path, default "/". */
  path?: string;
}

/**
 * Whether an IAM resource pattern (from an iam:PassRole or sts:AssumeRole grant) can name this
 * role. With only a name, the role is taken to be in the partition and account the pattern names
 * (same account); where the pattern leaves them open (`*`, `?`, or no ARN prefix at all) any value
 * it admits will do. With neither ARN nor name (auto-named at preview), only patterns that name
 * every role of its path match.
 */
export function rolePatternMatches(pattern: string, role: RoleName): boolean {
  const p = pattern.trim();
  const re = wildcardRegex(p);
  if (role.arn !== undefined) return re.test(role.arn);
  // A concrete value a pattern's field admits: `*` matches the empty string, `?` any one character.
  const witness = (field: string | undefined, fallback: string) => (field === undefined ? fallback : field.replace(/\*/g, "").replace(/\?/g, "0") || fallback);
  const partition = witness(/arn:([^:]*):iam::/i.exec(p)?.[1], "aws");
  const account = witness(/:iam::([^:]*):/i.exec(p)?.[1], "000000000000");
  const arnOf = (name: string) => `arn:${partition}:iam::${account}:role${role.path ?? "/"}${name}`;
  if (role.name !== undefined) return re.test(arnOf(role.name));
  return re.test(arnOf("zz-unnamed-role-7f3a")) && re.test(arnOf("another-name"));
}
