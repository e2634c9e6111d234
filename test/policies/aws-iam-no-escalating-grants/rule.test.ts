/**
 * Pins the behaviour of policies/rules/aws-iam-no-escalating-grants.ts that its fixtures leave loose:
 * - the exported helpers: peekString/knownIds (strings only), ownDocuments (which props hold a
 *   document, the exact "not a list" error), located/asFinding (how a core finding's location is
 *   moved from its message to its path; absent optional fields stay absent);
 * - roleGrants, the identity graph the trust and role-passing rules read: every attachment kind,
 *   stack order, stack policies resolved to their documents (by dependency, ARN or written-out
 *   ARN), what marks the grants incomplete, and that it is computed once per stack run;
 * - the stack rule through the harness: exact messages (location stripped), which references make
 *   a policy boundary-only (Role/User permissionsBoundary only, default path "/", string values only)
 *   and that only aws.iam.Policy can be skipped as a boundary.
 */
import { asFinding, knownIds, located, ownDocuments, peekString, roleGrants, type RoleGrants } from "../../../policies/rules/aws-iam-no-escalating-grants";
import { deserializeProps, isUnknownValueError, unknownCheckingProxy, UNKNOWN } from "../../../policies/engine";
import { policies } from "../../../policies/list";
import { runPolicies, type InputResource, type Violation } from "../../../policies/harness";
import type { IamFinding } from "../../../core/iam";
import type { RuleContext, RuleResource } from "../../../policies/rule";

const RULE_ID = "aws-iam-no-escalating-grants";
const ONLY_THIS_RULE = policies.filter((p) => p.name === RULE_ID);

const T = {
  role: "aws:iam/role:Role",
  user: "aws:iam/user:User",
  policy: "aws:iam/policy:Policy",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  userPolicyAttachment: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
  policyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
  exclusive: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
} as const;

const urnOf = (type: string, name: string) => `urn:pulumi:dev::app::${type}::${name}`;

/** A resource as the engine hands it to a stack rule: props deserialised and behind the unknown-checking proxy. */
function res(type: string, name: string, props: Record<string, unknown> = {}, propertyDependencies: Record<string, RuleResource[]> = {}): RuleResource {
  return { type, name, urn: urnOf(type, name), props: unknownCheckingProxy(deserializeProps(props)), dependencies: [], propertyDependencies };
}

/** A stack rule's context as policies/policy.ts builds it: `peek` turns an unknown read into undefined. */
const ctx: RuleContext<unknown> = {
  config: {} as RuleContext<unknown>["config"],
  now: new Date("2026-11-15T12:00:00Z"),
  guard<T>(_r: RuleResource, fn: () => T): T | undefined {
    return ctx.peek(fn);
  },
  peek<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (isUnknownValueError(e)) return undefined;
      throw e;
    }
  },
};

/** A one-statement Allow document on a scoped resource (as written in a program) ... */
const allowDoc = (action: string) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "arn:aws:s3:::b/*" }] });
/** ... and as core/iam normalises it (lists everywhere). */
const parsedDoc = (action: string) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: [action], Resource: ["arn:aws:s3:::b/*"] }] });
const ADMIN = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/** roleGrants in a comparable shape: each document by holder, prop path and actions. */
function summary(g: RoleGrants) {
  return {
    docs: g.docs.map((d) => ({ from: d.resource.name, path: d.path, actions: d.doc.Statement.flatMap((s) => s.Action ?? []) })),
    managedArns: g.managedArns,
    incomplete: g.incomplete,
  };
}

// ---- harness (the whole engine path, this rule only) ----

const DESCRIPTION =
  "Flags aws.iam.Policy (unless used only as a permissions boundary), RolePolicy, UserPolicy, GroupPolicy and Role inlinePolicies " +
  "documents that allow every action, use Allow with NotAction/NotResource, use wildcards that expand to IAM or escalation actions, " +
  "grant escalation actions (iam:PassRole, sts:AssumeRole, iam:CreateAccessKey, …) on every resource, read secrets on every resource, " +
  'or write on Resource "*".';
const WHY =
  "Why it matters: An assistant or CI identity that can attach policies, pass roles or read every secret is one prompt injection or leaked token " +
  "away from the whole account; wildcards also grow silently as AWS adds actions.";
const STANDARDS = "Standards: OWASP NHI5 Overprivileged NHI; OWASP ASI03 Identity and Privilege Abuse; OWASP ASI02 Tool Misuse and Exploitation; MAESTRO L4; MAESTRO L6; NIST CSF PR.AA-05.";

/** The full text the engine prints for one finding of this rule. */
const engineMessage = (where: string, message: string, fix: string, key: string) => `${DESCRIPTION}\n${where}: ${message}. ${WHY} Fix: ${fix}. Finding key: ${key}. ${STANDARDS}`;

const WILDCARD_FIX = "List the exact actions this identity needs";
const NOT_ACTION_FIX = "List the allowed actions in Action; express exclusions as a separate Deny statement";

async function run(resources: InputResource[]): Promise<Violation[]> {
  const all = await runPolicies(ONLY_THIS_RULE, resources, { now: new Date("2026-11-15T12:00:00Z") });
  return all.filter((v) => v.ruleId === RULE_ID);
}

/** Each violation as resource name, finding key and path, outcome and level. */
function brief(vs: Violation[], input: InputResource[]) {
  return vs.map((v) => ({
    resource: input.find((r) => (r.urn ?? `urn:pulumi:stack::project::${r.type}::${r.name}`) === v.urn)?.name,
    key: v.finding?.key,
    path: v.finding?.path,
    outcome: v.outcome,
    enforcementLevel: v.enforcementLevel,
  }));
}

const TRUST = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] };
const POLICY_URN = "urn:pulumi:dev::app::aws:iam/policy:Policy::boundary";
/** A broad policy meant as a permissions boundary (name known, path default). */
const boundaryPolicy = (extra: Record<string, unknown> = {}): InputResource => ({
  urn: POLICY_URN,
  type: T.policy,
  name: "boundary",
  props: { name: "ai-boundary", policy: ADMIN, ...extra },
});
const ADMIN_FINDING_ON_BOUNDARY = { resource: "boundary", key: "wildcard-action", path: "policy.Statement[0].Action[0]", outcome: "finding", enforcementLevel: "mandatory" };

describe("peekString and knownIds: string props only", () => {
  test("peekString returns a known string and undefined for a number, an object, an unknown and an absent prop", () => {
    const r = res(T.role, "agent", { name: "ai-agent", path: 7, tags: { team: "ai" }, arn: UNKNOWN });
    expect(peekString(r, "name")).toBe("ai-agent");
    expect(peekString(r, "path")).toBeUndefined();
    expect(peekString(r, "tags")).toBeUndefined();
    expect(peekString(r, "arn")).toBeUndefined();
    expect(peekString(r, "description")).toBeUndefined();
  });

  test("knownIds holds the known name, id and arn, and nothing for an unknown or absent one", () => {
    expect([...knownIds(res(T.role, "a", { name: "ai-agent", id: "AROAEXAMPLEID", arn: UNKNOWN }))]).toEqual(["ai-agent", "AROAEXAMPLEID"]);
    expect([...knownIds(res(T.role, "b", { id: "AROAEXAMPLEID", arn: "arn:aws:iam::123456789012:role/b" }))]).toEqual(["AROAEXAMPLEID", "arn:aws:iam::123456789012:role/b"]);
    expect([...knownIds(res(T.role, "c", { name: 42 }))]).toEqual([]);
  });
});

describe("ownDocuments: the documents a resource carries itself", () => {
  test("a Policy, RolePolicy or UserPolicy without a document carries none", () => {
    expect(ownDocuments(res(T.policy, "p"))).toStrictEqual([]);
    expect(ownDocuments(res(T.rolePolicy, "rp", { role: "agent", policy: "" }))).toStrictEqual([]);
    expect(ownDocuments(res("aws:iam/userPolicy:UserPolicy", "up", { user: "bot", policy: null }))).toStrictEqual([]);
  });

  test("a Policy's document is at path policy", () => {
    expect(ownDocuments(res(T.policy, "p", { policy: allowDoc("s3:GetObject") }))).toStrictEqual([{ path: "policy", parsed: { ok: true, doc: parsedDoc("s3:GetObject") } }]);
  });

  test("a Role with inlinePolicies absent or null carries none", () => {
    expect(ownDocuments(res(T.role, "r1"))).toStrictEqual([]);
    expect(ownDocuments(res(T.role, "r2", { inlinePolicies: null }))).toStrictEqual([]);
  });

  test("inlinePolicies that is not a list is one unparseable entry at path inlinePolicies naming the type it got", () => {
    expect(ownDocuments(res(T.role, "r1", { inlinePolicies: { name: "x", policy: allowDoc("s3:GetObject") } }))).toStrictEqual([
      { path: "inlinePolicies", parsed: { ok: false, error: "must be a list of { name, policy }; got object" } },
    ]);
    expect(ownDocuments(res(T.role, "r2", { inlinePolicies: "[]" }))).toStrictEqual([{ path: "inlinePolicies", parsed: { ok: false, error: "must be a list of { name, policy }; got string" } }]);
  });

  test("inline entries without a document (null entry, no policy, policy null or empty) are skipped and keep the others' index", () => {
    const r = res(T.role, "r", {
      inlinePolicies: [null, { name: "a" }, { name: "b", policy: null }, { name: "c", policy: "" }, { name: "d", policy: allowDoc("s3:GetObject") }],
    });
    expect(ownDocuments(r)).toStrictEqual([{ path: "inlinePolicies[4].policy", parsed: { ok: true, doc: parsedDoc("s3:GetObject") } }]);
  });

  test("attachments, users and other types carry no document of their own", () => {
    expect(ownDocuments(res(T.rolePolicyAttachment, "att", { role: "agent", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }))).toStrictEqual([]);
    expect(ownDocuments(res(T.user, "bot", { name: "bot" }))).toStrictEqual([]);
    expect(ownDocuments(res("aws:s3/bucketPolicy:BucketPolicy", "bp", { policy: ADMIN }))).toStrictEqual([]);
  });
});

describe("roleGrants: what the stack grants a role", () => {
  test("inline, RolePolicy, RolePolicyAttachment, PolicyAttachment, RolePolicyAttachmentsExclusive and managedPolicyArns are all read; user attachments are not", () => {
    const role = res(T.role, "agent", {
      name: "agent",
      inlinePolicies: [{ name: "own", policy: allowDoc("s3:GetObject") }],
      managedPolicyArns: ["arn:aws:iam::aws:policy/AWSLambdaExecute"],
    });
    const stack = [
      role,
      res(T.rolePolicyAttachment, "att", { role: "agent", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }),
      res(T.rolePolicy, "rp", { role: "agent", policy: allowDoc("s3:PutObject") }),
      res(T.policyAttachment, "pa", { roles: ["agent"], policyArn: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" }),
      res(T.exclusive, "excl", { roleName: "agent", policyArns: ["arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess", "arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess"] }),
      res(T.userPolicyAttachment, "user-att", { user: "agent", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
    ];
    expect(summary(roleGrants(ctx, role, stack))).toEqual({
      docs: [
        { from: "agent", path: "inlinePolicies[0].policy", actions: ["s3:GetObject"] },
        { from: "rp", path: "policy", actions: ["s3:PutObject"] },
      ],
      managedArns: [
        "arn:aws:iam::aws:policy/AWSLambdaExecute",
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess",
        "arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess",
      ],
      incomplete: false,
    });
  });

  test("every RolePolicy naming the role is read, not only the last one", () => {
    const role = res(T.role, "agent", { name: "agent" });
    const stack = [role, res(T.rolePolicy, "one", { role: "agent", policy: allowDoc("s3:GetObject") }), res(T.rolePolicy, "two", { role: "agent", policy: allowDoc("s3:PutObject") })];
    expect(summary(roleGrants(ctx, role, stack)).docs).toEqual([
      { from: "one", path: "policy", actions: ["s3:GetObject"] },
      { from: "two", path: "policy", actions: ["s3:PutObject"] },
    ]);
  });

  test("grants are read in stack order, whether they name the role by dependency or by name", () => {
    const role = res(T.role, "agent", { name: "agent" });
    const byName = res(T.rolePolicy, "by-name", { role: "agent", policy: allowDoc("s3:GetObject") });
    const byDependency = res(T.rolePolicy, "by-dependency", { role: "agent", policy: allowDoc("s3:PutObject") }, { role: [role] });
    expect(summary(roleGrants(ctx, role, [byName, role, byDependency])).docs.map((d) => d.from)).toEqual(["by-name", "by-dependency"]);
  });

  test("managed ARNs naming a stack policy (by its ARN, or by a written-out ARN matching its path and name) yield its document, not the ARN", () => {
    const byArn = res(T.policy, "by-arn", { arn: "arn:aws:iam::123456789012:policy/legacy", policy: allowDoc("s3:GetObject") });
    const byName = res(T.policy, "by-name", { name: "app", path: "/team/", arn: UNKNOWN, policy: allowDoc("s3:PutObject") });
    const role = res(T.role, "agent", {
      name: "agent",
      managedPolicyArns: ["arn:aws:iam::123456789012:policy/legacy", "arn:aws:iam::123456789012:policy/team/app", "arn:aws:iam::aws:policy/ReadOnlyAccess"],
    });
    expect(summary(roleGrants(ctx, role, [byArn, byName, role]))).toEqual({
      docs: [
        { from: "by-arn", path: "policy", actions: ["s3:GetObject"] },
        { from: "by-name", path: "policy", actions: ["s3:PutObject"] },
      ],
      managedArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
      incomplete: false,
    });
  });

  test("an attachment depending on a stack policy whose ARN is written out yields the document once and no ARN", () => {
    const policy = res(T.policy, "app", { name: "app", arn: "arn:aws:iam::123456789012:policy/app", policy: allowDoc("s3:GetObject") });
    const role = res(T.role, "agent", { name: "agent" });
    const att = res(T.rolePolicyAttachment, "att", { role: "agent", policyArn: "arn:aws:iam::123456789012:policy/app" }, { policyArn: [policy] });
    expect(summary(roleGrants(ctx, role, [policy, role, att]))).toEqual({
      docs: [{ from: "app", path: "policy", actions: ["s3:GetObject"] }],
      managedArns: [],
      incomplete: false,
    });
  });

  test("a managed-ARN prop depending on another role (not a Policy) does not pull that role's documents in", () => {
    const base = res(T.role, "base", { name: "base", inlinePolicies: [{ name: "admin", policy: ADMIN }] });
    const role = res(T.role, "agent", { name: "agent", managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }, { managedPolicyArns: [base] });
    expect(summary(roleGrants(ctx, role, [base, role]))).toEqual({ docs: [], managedArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], incomplete: false });
  });

  test("non-string entries of a managed-ARN list are dropped", () => {
    const role = res(T.role, "agent", { name: "agent", managedPolicyArns: [null, 42, "arn:aws:iam::aws:policy/ReadOnlyAccess"] });
    expect(summary(roleGrants(ctx, role, [role]))).toEqual({ docs: [], managedArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], incomplete: false });
  });

  test("only a whole policy ARN names a stack policy by path and name (a prefixed value or a trailing newline does not)", () => {
    const policy = res(T.policy, "app", { name: "app", arn: UNKNOWN, policy: allowDoc("s3:GetObject") });
    const role = res(T.role, "agent", { name: "agent", managedPolicyArns: ["x-arn:aws:iam::123456789012:policy/app", "arn:aws:iam::123456789012:policy/app\n"] });
    expect(summary(roleGrants(ctx, role, [policy, role]))).toEqual({
      docs: [],
      managedArns: ["x-arn:aws:iam::123456789012:policy/app", "arn:aws:iam::123456789012:policy/app\n"],
      incomplete: false,
    });
  });

  test("a RolePolicy whose document is unknown at preview makes the grants incomplete", () => {
    const role = res(T.role, "agent", { name: "agent" });
    const stack = [role, res(T.rolePolicy, "computed", { role: "agent", policy: UNKNOWN }), res(T.rolePolicy, "known", { role: "agent", policy: allowDoc("s3:GetObject") })];
    expect(summary(roleGrants(ctx, role, stack))).toEqual({ docs: [{ from: "known", path: "policy", actions: ["s3:GetObject"] }], managedArns: [], incomplete: true });
  });

  test("a managed-ARN list with an unknown entry and no stack-policy dependency makes the grants incomplete, even when later grants are complete", () => {
    const role = res(T.role, "agent", { name: "agent", managedPolicyArns: [UNKNOWN] });
    const att = res(T.rolePolicyAttachment, "att", { role: "agent", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" });
    expect(summary(roleGrants(ctx, role, [role, att]))).toEqual({ docs: [], managedArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], incomplete: true });
  });

  test("an unknown managed-ARN entry that depends on a stack policy is that policy: its document is read and the grants are complete", () => {
    const policy = res(T.policy, "app", { name: "app", policy: allowDoc("s3:GetObject") });
    const role = res(T.role, "agent", { name: "agent", managedPolicyArns: [UNKNOWN] }, { managedPolicyArns: [policy] });
    expect(summary(roleGrants(ctx, role, [policy, role]))).toEqual({ docs: [{ from: "app", path: "policy", actions: ["s3:GetObject"] }], managedArns: [], incomplete: false });
  });

  // Defect found by the mutation review: an unknown prop was read through the unknown-checking proxy,
  // so a wholly unknown `policyArn` threw out of roleGrants (the whole stack rule lost every finding),
  // and one unknown entry hid the known entries of the same list (AdministratorAccess fell out).
  test("a wholly unknown policyArn depending on a stack policy is that policy (no throw, grants complete)", () => {
    const policy = res(T.policy, "app", { name: "app", arn: UNKNOWN, policy: allowDoc("iam:PassRole") });
    const role = res(T.role, "agent", { name: "agent" });
    const att = res(T.rolePolicyAttachment, "att", { role: "agent", policyArn: UNKNOWN }, { policyArn: [policy] });
    expect(summary(roleGrants(ctx, role, [policy, role, att]))).toEqual({ docs: [{ from: "app", path: "policy", actions: ["iam:PassRole"] }], managedArns: [], incomplete: false });
  });

  test("a wholly unknown managedPolicyArns with no stack-policy dependency makes the grants incomplete (no throw)", () => {
    const role = res(T.role, "agent", { name: "agent", managedPolicyArns: UNKNOWN });
    expect(summary(roleGrants(ctx, role, [role]))).toEqual({ docs: [], managedArns: [], incomplete: true });
  });

  test("the known entries of a list beside an unknown one are kept: AdministratorAccess next to a new stack policy's ARN", () => {
    const policy = res(T.policy, "app", { name: "app", arn: UNKNOWN, policy: allowDoc("s3:GetObject") });
    const role = res(T.role, "agent", { name: "agent", managedPolicyArns: [UNKNOWN, "arn:aws:iam::aws:policy/AdministratorAccess"] }, { managedPolicyArns: [policy] });
    expect(summary(roleGrants(ctx, role, [policy, role]))).toEqual({
      docs: [{ from: "app", path: "policy", actions: ["s3:GetObject"] }],
      managedArns: ["arn:aws:iam::aws:policy/AdministratorAccess"],
      incomplete: false,
    });
  });

  test("more unknown entries than stack policies the prop depends on (and does not name) make the grants incomplete", () => {
    const named = res(T.policy, "named", { name: "named", arn: "arn:aws:iam::123456789012:policy/named", policy: allowDoc("s3:GetObject") });
    const fresh = res(T.policy, "fresh", { name: "fresh", arn: UNKNOWN, policy: allowDoc("s3:PutObject") });
    const twoUnknown = res(T.role, "two", { name: "two", managedPolicyArns: [UNKNOWN, UNKNOWN] }, { managedPolicyArns: [fresh] });
    expect(summary(roleGrants(ctx, twoUnknown, [fresh, twoUnknown]))).toMatchObject({ docs: [{ from: "fresh" }], incomplete: true });
    // The dependency on `named` is explained by its written-out ARN, so the unknown entry is unexplained.
    const namedAndUnknown = res(T.role, "mixed", { name: "mixed", managedPolicyArns: ["arn:aws:iam::123456789012:policy/named", UNKNOWN] }, { managedPolicyArns: [named] });
    expect(summary(roleGrants(ctx, namedAndUnknown, [named, namedAndUnknown]))).toEqual({ docs: [{ from: "named", path: "policy", actions: ["s3:GetObject"] }], managedArns: [], incomplete: true });
  });

  test("a role's grants are computed once per stack run and shared (the same object for every caller)", () => {
    const role = res(T.role, "agent", { name: "agent" });
    const stack = [role, res(T.rolePolicy, "rp", { role: "agent", policy: allowDoc("s3:GetObject") })];
    const first = roleGrants(ctx, role, stack);
    expect(roleGrants(ctx, role, stack)).toBe(first);
  });
});

describe("located: a core finding's location moves from its message to its path", () => {
  const base = { category: "wildcard-action", severity: "critical", fix: "f", key: "k" } as const;

  test("a message starting with the finding's own path loses it; the path gets the prefix", () => {
    expect(located({ ...base, path: "Statement[0].Action[0]", message: 'Statement[0].Action[0] must not Allow every action; got "*"' }, "policy")).toStrictEqual({
      ...base,
      path: "policy.Statement[0].Action[0]",
      message: 'must not Allow every action; got "*"',
    });
  });

  test("an own path that is not a statement path is dropped too", () => {
    expect(located({ ...base, path: "Version", message: 'Version must be "2012-10-17"' }, "inlinePolicies[1].policy")).toStrictEqual({
      ...base,
      path: "inlinePolicies[1].policy.Version",
      message: 'must be "2012-10-17"',
    });
  });

  test("a message starting with its statement's location (not its own path) loses the statement location", () => {
    expect(located({ ...base, path: "Statement[12].NotAction", message: "Statement[12] must not Allow with NotAction" }, "policy")).toStrictEqual({
      ...base,
      path: "policy.Statement[12].NotAction",
      message: "must not Allow with NotAction",
    });
    expect(located({ ...base, message: "Statement[3].Condition must pin a subject" }, "policy")).toStrictEqual({ ...base, path: "policy", message: "must pin a subject" });
    expect(located({ ...base, message: "the policy document must have a Statement" }, "policy")).toStrictEqual({ ...base, path: "policy", message: "must have a Statement" });
  });

  test("a message that does not start with a location is kept whole, even when it names a statement later", () => {
    expect(located({ ...base, message: "duplicate Sid: Statement[1] must be unique" }, "policy")).toStrictEqual({ ...base, path: "policy", message: "duplicate Sid: Statement[1] must be unique" });
    expect(located({ ...base, path: "Statement[0].Action[1]", message: "Statement[0].Action[1] is fine" }, "policy")).toStrictEqual({
      ...base,
      path: "policy.Statement[0].Action[1]",
      message: "Statement[0].Action[1] is fine",
    });
  });
});

describe("asFinding: category and severity dropped, absent optional fields stay absent", () => {
  test("only message and fix when the core finding has no path, value or key", () => {
    const f = asFinding({ category: "wildcard-action", severity: "critical", message: "m", fix: "f" } as IamFinding);
    expect(f).toStrictEqual({ message: "m", fix: "f" });
    expect(Object.keys(f)).toEqual(["message", "fix"]);
  });

  test("path, value and key are carried when present", () => {
    expect(asFinding({ category: "wildcard-action", severity: "critical", message: "m", fix: "f", path: "p", value: 0, key: "k", conditioned: true })).toStrictEqual({
      message: "m",
      fix: "f",
      path: "p",
      value: 0,
      key: "k",
    });
  });
});

describe("the rule through the engine", () => {
  test("messages drop the core location: an own-path finding and a statement-located one (Statement[10])", async () => {
    const statements = [
      ...Array.from({ length: 10 }, () => ({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" })),
      { Effect: "Allow", NotAction: ["iam:*"], Resource: "*" },
    ];
    const input: InputResource[] = [
      { type: T.policy, name: "broad", props: { policy: { Version: "2012-10-17", Statement: statements } } },
      { type: T.rolePolicy, name: "admin", props: { role: "agent", policy: ADMIN } },
    ];
    const vs = await run(input);
    expect(vs.map((v) => v.message)).toEqual([
      engineMessage(
        "aws:iam/policy:Policy 'broad' at policy.Statement[10].NotAction",
        'must not Allow with NotAction (it grants every other action, including ones AWS adds later); got NotAction ["iam:*"]',
        NOT_ACTION_FIX,
        "not-action-allow",
      ),
      engineMessage("aws:iam/rolePolicy:RolePolicy 'admin' at policy.Statement[0].Action[0]", 'must not Allow every action; got "*"', WILDCARD_FIX, "wildcard-action"),
    ]);
    expect(vs.map((v) => v.finding)).toStrictEqual([
      {
        message: 'must not Allow with NotAction (it grants every other action, including ones AWS adds later); got NotAction ["iam:*"]',
        fix: "List the allowed actions in Action; express exclusions as a separate Deny statement.",
        path: "policy.Statement[10].NotAction",
        value: ["iam:*"],
        key: "not-action-allow",
      },
      { message: 'must not Allow every action; got "*"', fix: "List the exact actions this identity needs.", path: "policy.Statement[0].Action[0]", value: "*", key: "wildcard-action" },
    ]);
  });

  test("inlinePolicies that is not a list is a mandatory invalid-document finding at inlinePolicies", async () => {
    const input: InputResource[] = [{ type: T.role, name: "agent", props: { assumeRolePolicy: TRUST, inlinePolicies: { name: "admin", policy: ADMIN } } }];
    const vs = await run(input);
    expect(brief(vs, input)).toEqual([{ resource: "agent", key: "invalid-document", path: "inlinePolicies", outcome: "finding", enforcementLevel: "mandatory" }]);
    expect(vs[0].message).toBe(
      engineMessage(
        "aws:iam/role:Role 'agent' at inlinePolicies",
        "must be a list of { name, policy }; got object",
        "Write the policy as an AWS policy document (Version, Statement with Effect/Action/Resource)",
        "invalid-document",
      ),
    );
    expect(vs[0].finding).toStrictEqual({
      message: "must be a list of { name, policy }; got object",
      fix: "Write the policy as an AWS policy document (Version, Statement with Effect/Action/Resource).",
      path: "inlinePolicies",
      key: "invalid-document",
    });
  });

  test("a Role with inlinePolicies null has nothing to judge", async () => {
    expect(await run([{ type: T.role, name: "agent", props: { assumeRolePolicy: TRUST, inlinePolicies: null } }])).toEqual([]);
  });

  test("a boundary policy that an attachment also names (by one of its several keys) is judged", async () => {
    const input: InputResource[] = [
      boundaryPolicy({ arn: UNKNOWN }),
      { type: T.role, name: "agent", props: { name: "agent", assumeRolePolicy: TRUST, permissionsBoundary: UNKNOWN }, propertyDependencies: { permissionsBoundary: [POLICY_URN] } },
      { type: T.rolePolicyAttachment, name: "att", props: { role: "agent", policyArn: UNKNOWN }, propertyDependencies: { policyArn: [POLICY_URN] } },
    ];
    expect(brief(await run(input), input)).toEqual([ADMIN_FINDING_ON_BOUNDARY]);
  });

  // Every resource type that attaches a managed policy by ARN, naming the boundary by its ARN (known)
  // or depending on it (preview): the policy is then a grant too, and judged.
  const ARN = "arn:aws:iam::123456789012:policy/ai-boundary";
  test.each([
    ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "agent", policyArn: ARN }],
    ["aws:iam/userPolicyAttachment:UserPolicyAttachment", { user: "bot", policyArn: ARN }],
    ["aws:iam/groupPolicyAttachment:GroupPolicyAttachment", { group: "bots", policyArn: ARN }],
    ["aws:iam/policyAttachment:PolicyAttachment", { name: "att", users: ["bot"], policyArn: ARN }],
    ["aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", { roleName: "agent", policyArns: [ARN] }],
    ["aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive", { userName: "bot", policyArns: [ARN] }],
    ["aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive", { groupName: "bots", policyArns: [ARN] }],
    ["aws:iam/role:Role", { name: "other", assumeRolePolicy: TRUST, managedPolicyArns: [ARN] }],
  ])("a boundary policy that a %s also attaches is judged as a grant", async (type, props) => {
    const input: InputResource[] = [
      boundaryPolicy({ arn: ARN }),
      { type: T.role, name: "agent", props: { name: "agent", assumeRolePolicy: TRUST, permissionsBoundary: ARN } },
      { type, name: "attaches", props },
    ];
    expect(brief(await run(input), input)).toEqual([ADMIN_FINDING_ON_BOUNDARY]);
    // Without the attachment it is a boundary only: not judged.
    expect(await run(input.slice(0, 2))).toEqual([]);
  });

  test("a boundary ARN written without a path names the policy at the default path /", async () => {
    const input: InputResource[] = [
      boundaryPolicy({ arn: UNKNOWN }),
      { type: T.role, name: "agent", props: { name: "agent", assumeRolePolicy: TRUST, permissionsBoundary: "arn:aws:iam::123456789012:policy/ai-boundary" } },
    ];
    expect(await run(input)).toEqual([]);
  });

  test("only a Role's or User's permissionsBoundary marks a boundary: the same prop on another type does not", async () => {
    const input: InputResource[] = [
      boundaryPolicy(),
      { type: "acme:index:AgentRole", name: "component", props: { permissionsBoundary: UNKNOWN }, propertyDependencies: { permissionsBoundary: [POLICY_URN] } },
    ];
    expect(brief(await run(input), input)).toEqual([ADMIN_FINDING_ON_BOUNDARY]);
  });

  test("a boundary value that is not a string (a nested list) names no policy", async () => {
    const input: InputResource[] = [
      boundaryPolicy(),
      { type: T.user, name: "bot", props: { name: "bot", permissionsBoundary: [["arn:aws:iam::123456789012:policy/ai-boundary"]] } },
    ];
    expect(brief(await run(input), input)).toEqual([ADMIN_FINDING_ON_BOUNDARY]);
  });

  test("only an aws.iam.Policy is skipped as boundary-only: a Role that another role's permissionsBoundary depends on is still judged", async () => {
    const baseUrn = urnOf(T.role, "base");
    const input: InputResource[] = [
      { urn: baseUrn, type: T.role, name: "base", props: { name: "base", assumeRolePolicy: TRUST, inlinePolicies: [{ name: "admin", policy: ADMIN }] } },
      { type: T.role, name: "agent", props: { name: "agent", assumeRolePolicy: TRUST, permissionsBoundary: UNKNOWN }, propertyDependencies: { permissionsBoundary: [baseUrn] } },
    ];
    expect(brief(await run(input), input)).toEqual([{ resource: "base", key: "wildcard-action", path: "inlinePolicies[0].policy.Statement[0].Action[0]", outcome: "finding", enforcementLevel: "mandatory" }]);
  });
});
