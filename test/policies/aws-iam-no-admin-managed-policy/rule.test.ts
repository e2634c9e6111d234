/**
 * Pins the exact observable behaviour of policies/rules/aws-iam-no-admin-managed-policy.ts that the
 * fixtures leave loose: the full violation (finding message, fix, key, path, value, level, outcome,
 * engine message) of an admin-equivalent attachment; which preview-unknown ARNs are skipped as
 * customer policies of the stack (only when EVERY dependency of the prop is an aws.iam.Policy) and
 * which fail closed; and that resources of other types are never read.
 */
import { policies } from "../../../policies/list";
import { runPolicies, type InputResource, type Violation } from "../../../policies/harness";
import { UNKNOWN } from "../../../policies/engine";

const RULE = "aws-iam-no-admin-managed-policy";
const NOW = new Date("2026-11-15T12:00:00Z");

const DESCRIPTION =
  "Flags attachments of AWS managed policies whose grants reach admin or a known escalation path (AdministratorAccess, PowerUserAccess, " +
  "IAMFullAccess, AWSOrganizationsFullAccess, AWSLambda_FullAccess, AmazonSSMFullAccess, …) through RolePolicyAttachment, " +
  "UserPolicyAttachment, GroupPolicyAttachment, PolicyAttachment, the *PolicyAttachmentsExclusive resources or Role managedPolicyArns, " +
  "in any partition.";
const WHY =
  "Why it matters: Managed admin policies are the most common shortcut in OIDC examples (Pulumi's own suggests AdministratorAccess); " +
  "on an assistant's identity they turn any stolen token or injected prompt into control of the account.";
const STANDARDS = "Standards: OWASP NHI5 Overprivileged NHI; OWASP ASI03 Identity and Privilege Abuse; MAESTRO L4; NIST CSF PR.AA-05.";
const TAGS = ["OWASP-NHI5", "OWASP-ASI03", "MAESTRO-L4", "NIST-CSF-PR.AA-05"];

const ADMIN_FIX = "replace it with a customer policy of exact actions on exact resources (and a permissions boundary)";
const UNKNOWN_FIX =
  "make the value known at preview (a literal or a value computed from known inputs instead of another resource's output), " +
  "or run the gate again on `pulumi up`/`pulumi stack export`, or set unknownValues: advisory for this policy";
const UNKNOWN_POLICY_ARN =
  "cannot be verified at preview: policyArn is unknown (string value at .policyArn can't be known during preview); " +
  "unknown values are treated as failures (unknownValues: fail)";

const T = {
  rpa: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  role: "aws:iam/role:Role",
  policy: "aws:iam/policy:Policy",
  parameter: "aws:ssm/parameter:Parameter",
  bucket: "aws:s3/bucket:Bucket",
};
const urnOf = (type: string, name: string) => `urn:pulumi:stack::project::${type}::${name}`;

const TRUST = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
};

/** A customer policy and an SSM parameter: the two kinds of resource an unknown ARN can come from. */
const customerPolicy: InputResource = {
  type: T.policy,
  name: "app",
  props: { policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] } },
};
const parameter: InputResource = { type: T.parameter, name: "arn-param", props: { name: "/app/policy-arn", type: "String", value: "x" } };

/** An attachment whose policyArn is unknown at preview and depends on the given resources. */
const unknownAttachment = (name: string, deps: InputResource[]): InputResource => ({
  type: T.rpa,
  name,
  props: { role: "ci", policyArn: UNKNOWN },
  propertyDependencies: { policyArn: deps.map((d) => urnOf(d.type, d.name)) },
});

async function run(resources: InputResource[]): Promise<Violation[]> {
  const all = await runPolicies(policies, resources, { now: NOW });
  return all.filter((v) => v.ruleId === RULE);
}

/** The violation the engine gets for an unknown policyArn of RolePolicyAttachment `name`. */
const unknownPolicyArnViolation = (name: string): Violation => ({
  policyName: RULE,
  ruleId: RULE,
  message:
    `${DESCRIPTION}\n${T.rpa} '${name}' at policyArn: ${UNKNOWN_POLICY_ARN}. ${WHY} Fix: ${UNKNOWN_FIX}. Finding key: unknown. ${STANDARDS}`,
  urn: urnOf(T.rpa, name),
  enforcementLevel: "mandatory",
  severity: "critical",
  standards: TAGS,
  finding: { message: UNKNOWN_POLICY_ARN, path: "policyArn", fix: UNKNOWN_FIX, key: "unknown" },
  outcome: "unknown",
});

describe("an admin-equivalent managed policy: the exact violation", () => {
  test("RolePolicyAttachment of AdministratorAccess: full finding message, fix, key, path, value and engine message", async () => {
    const v = await run([{ type: T.rpa, name: "admin", props: { role: "ci", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" } }]);
    const message =
      "must not attach the admin-equivalent managed policy AdministratorAccess; got arn:aws:iam::aws:policy/AdministratorAccess, " +
      "which grants Action * on Resource *";
    expect(v).toStrictEqual([
      {
        policyName: RULE,
        ruleId: RULE,
        message:
          `${DESCRIPTION}\n${T.rpa} 'admin' at policyArn: ${message}. ${WHY} ` +
          `Fix: ${ADMIN_FIX}. Finding key: admin-policy:AdministratorAccess. ${STANDARDS}`,
        urn: urnOf(T.rpa, "admin"),
        enforcementLevel: "mandatory",
        severity: "critical",
        standards: TAGS,
        finding: { message, path: "policyArn", value: "arn:aws:iam::aws:policy/AdministratorAccess", fix: ADMIN_FIX, key: "admin-policy:AdministratorAccess" },
        outcome: "finding",
      },
    ]);
  });

  test("Role.managedPolicyArns entry in another partition: the name after :policy/, the ARN as given and the reason", async () => {
    const arn = "arn:aws-cn:iam::aws:policy/IAMFullAccess";
    const v = await run([{ type: T.role, name: "agent", props: { assumeRolePolicy: TRUST, managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", arn] } }]);
    expect(v.map((x) => x.finding)).toStrictEqual([
      {
        message:
          "must not attach the admin-equivalent managed policy IAMFullAccess; got arn:aws-cn:iam::aws:policy/IAMFullAccess, which grants iam:*: " +
          "the holder can attach AdministratorAccess to itself (iam:AttachRolePolicy / iam:PutRolePolicy)",
        path: "managedPolicyArns[1]",
        value: arn,
        fix: ADMIN_FIX,
        key: "admin-policy:IAMFullAccess",
      },
    ]);
    expect(v.map((x) => [x.urn, x.enforcementLevel, x.outcome])).toEqual([[urnOf(T.role, "agent"), "mandatory", "finding"]]);
  });
});

describe("an ARN unknown at preview: skipped only when every dependency of the prop is a stack aws.iam.Policy", () => {
  test("all dependencies are aws.iam.Policy resources: skipped (a customer policy, judged by aws-iam-no-escalating-grants)", async () => {
    expect(await run([customerPolicy, unknownAttachment("from-policy", [customerPolicy])])).toEqual([]);
  });

  test("the only dependency is not a Policy (an SSM parameter): fails closed with the unknown violation at the policy's level", async () => {
    expect(await run([parameter, unknownAttachment("from-parameter", [parameter])])).toStrictEqual([unknownPolicyArnViolation("from-parameter")]);
  });

  test("a Policy and a non-Policy dependency together: fails closed (one Policy among the dependencies is not enough)", async () => {
    expect(await run([customerPolicy, parameter, unknownAttachment("mixed", [customerPolicy, parameter])])).toStrictEqual([
      unknownPolicyArnViolation("mixed"),
    ]);
  });

  test("a non-Policy dependency listed first, then a Policy: fails closed as well", async () => {
    expect(await run([customerPolicy, parameter, unknownAttachment("mixed-reversed", [parameter, customerPolicy])])).toStrictEqual([
      unknownPolicyArnViolation("mixed-reversed"),
    ]);
  });
});

describe("resources of types that attach no policy are not read", () => {
  test("a bucket with a prop literally named 'undefined' holding AdministratorAccess, or an unknown there: no violation", async () => {
    expect(
      await run([
        { type: T.bucket, name: "odd", props: { undefined: "arn:aws:iam::aws:policy/AdministratorAccess" } },
        { type: T.bucket, name: "odd-unknown", props: { undefined: UNKNOWN } },
      ]),
    ).toEqual([]);
  });
});

describe("how the ARNs of a prop are read", () => {
  const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
  const role = (name: string, props: Record<string, unknown>): InputResource => ({ type: T.role, name, props: { assumeRolePolicy: TRUST, ...props } });

  test("no prop, a null prop, a null list: nothing to read and no violation", async () => {
    expect(
      await run([
        role("no-list", {}),
        role("null-list", { managedPolicyArns: null }),
        { type: T.rpa, name: "no-arn", props: { role: "ci" } },
        { type: T.rpa, name: "null-arn", props: { role: "ci", policyArn: null } },
      ]),
    ).toEqual([]);
  });

  test("entries that are not strings are passed over; a finding keeps its entry's index", async () => {
    const vs = await run([role("mixed", { managedPolicyArns: [42, null, ADMIN] }), { type: T.rpa, name: "number-arn", props: { role: "ci", policyArn: 42 } }]);
    expect(vs.map((v) => [v.urn, v.finding?.path, v.finding?.key])).toEqual([[urnOf(T.role, "mixed"), "managedPolicyArns[2]", "admin-policy:AdministratorAccess"]]);
  });

  test("an unknown entry of a list fails closed on that entry; the known entries are still judged", async () => {
    const vs = await run([role("half-known", { managedPolicyArns: [ADMIN, UNKNOWN] })]);
    expect(vs.map((v) => [v.outcome, v.finding?.path, v.finding?.key])).toEqual([
      ["finding", "managedPolicyArns[0]", "admin-policy:AdministratorAccess"],
      ["unknown", "managedPolicyArns.1", "unknown"],
    ]);
  });
});
