/**
 * Pins the exact observable behaviour of policies/rules/aws-iam-trust-pinned.ts around how it reads
 * a trust policy and decides `writingRoles: auto`, which the fixtures check by key and path only:
 * the full violation of a trust unknown at preview, that only resources holding an assumeRolePolicy
 * are read, that a JSON-string trust is judged as a document, and that in auto mode a role whose
 * grants cannot be read counts as writing exactly when the verdict depends on it.
 */
import { policies } from "../../../policies/list";
import { runPolicies, type InputResource, type Violation } from "../../../policies/harness";
import { UNKNOWN } from "../../../policies/engine";

const RULE = "aws-iam-trust-pinned";
const NOW = new Date("2026-11-15T12:00:00Z");

const DESCRIPTION =
  "Flags assumeRolePolicy documents (aws.iam.Role and any resource with that property) whose web-identity trust lacks a sub or aud " +
  "condition, has no condition at all, uses a subject wildcard that admits other repositories, owners, projects or service accounts " +
  "(or, for roles that can write, other branches and environments), names a namespace's default Kubernetes service account, uses " +
  'ForAnyValue/ForAllValues on single-valued keys, or allows Principal "*" without a condition that pins the caller (its account, ' +
  "organisation, ARN, network or token subject).";
const WHY =
  "Why it matters: A shared OIDC issuer signs tokens for every repository and cluster workload on it: without an exact sub, any of them " +
  "(a fork, another team's repo, a compromised pod) becomes this assistant's identity.";
const STANDARDS =
  "Standards: OWASP NHI6 Insecure Cloud Deployment Configurations; OWASP NHI4 Insecure Authentication; OWASP ASI03 Identity and Privilege Abuse; " +
  "MAESTRO L4; NIST CSF PR.AA-03; NIST CSF PR.AA-05.";
const TAGS = ["OWASP-NHI6", "OWASP-NHI4", "OWASP-ASI03", "MAESTRO-L4", "NIST-CSF-PR.AA-03", "NIST-CSF-PR.AA-05"];

const WILDCARD_FIX =
  "Use StringEquals with the exact subject(s); keep StringLike only for a wildcard after a fully named repository/project, and not for roles that can write.";
const UNKNOWN_FIX =
  "make the value known at preview (a literal or a value computed from known inputs instead of another resource's output), " +
  "or run the gate again on `pulumi up`/`pulumi stack export`, or set unknownValues: advisory for this policy";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const GH = "token.actions.githubusercontent.com";
const SUB_PATH = `assumeRolePolicy.Statement[0].Condition["StringLike"]["${GH}:sub"][0]`;
const urnOf = (type: string, name: string) => `urn:pulumi:stack::project::${type}::${name}`;

/** A GitHub web-identity trust with aud pinned and `sub` under StringLike. */
const trust = (sub: string) => ({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${GH}` },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { [`${GH}:aud`]: "sts.amazonaws.com" }, StringLike: { [`${GH}:sub`]: sub } },
    },
  ],
});

/** A role named `name` and a RolePolicy on it whose document is unknown at preview (its grants cannot be read). */
const roleWithUnknownGrant = (name: string, assumeRolePolicy: unknown): InputResource[] => [
  { type: ROLE, name, props: { name, assumeRolePolicy } },
  { type: ROLE_POLICY, name: `${name}-grant`, props: { role: name, policy: UNKNOWN } },
];

async function run(resources: InputResource[], config?: Record<string, unknown>): Promise<Violation[]> {
  const all = await runPolicies(policies, resources, { now: NOW, config: config ? { [RULE]: config } : undefined });
  return all.filter((v) => v.ruleId === RULE);
}

/** The finding for a StringLike `sub` of statement 0 that admits every branch of acme/app, on a writing role. */
const branchWildcardOnWriter = (sub: string) => ({
  message:
    `must name one workload; got ${JSON.stringify(sub)}, which matches any branch, tag, environment or pull request of acme/app; ` +
    "a role that can write must pin one branch, tag or environment",
  fix: WILDCARD_FIX,
  path: SUB_PATH,
  value: sub,
  key: `wildcard-sub::${sub}`,
});

describe("which resources are read", () => {
  test("a resource without an assumeRolePolicy is not read: unknown props elsewhere give no violation of this rule", async () => {
    expect(
      await run([
        { type: "aws:iam/user:User", name: "bot", props: { name: UNKNOWN, path: UNKNOWN } },
        { type: "acme:platform:Thing", name: "thing", props: { policy: UNKNOWN } },
      ]),
    ).toEqual([]);
  });
});

describe("reading the trust policy", () => {
  test("an assumeRolePolicy unknown at preview: the exact unknown violation, at the policy's level (unknownValues: fail)", async () => {
    const message =
      "cannot be verified at preview: assumeRolePolicy is unknown (string value at .assumeRolePolicy can't be known during preview); " +
      "unknown values are treated as failures (unknownValues: fail)";
    expect(await run([{ type: ROLE, name: "computed", props: { assumeRolePolicy: UNKNOWN } }])).toStrictEqual([
      {
        policyName: RULE,
        ruleId: RULE,
        message: `${DESCRIPTION}\n${ROLE} 'computed' at assumeRolePolicy: ${message}. ${WHY} Fix: ${UNKNOWN_FIX}. Finding key: unknown. ${STANDARDS}`,
        urn: urnOf(ROLE, "computed"),
        enforcementLevel: "mandatory",
        severity: "critical",
        standards: TAGS,
        finding: { message, path: "assumeRolePolicy", fix: UNKNOWN_FIX, key: "unknown" },
        outcome: "unknown",
      },
    ]);
  });

  test("a trust given as a JSON string is parsed and judged as a document: exact wildcard-sub finding for repo:*", async () => {
    const v = await run([{ type: ROLE, name: "json", props: { assumeRolePolicy: JSON.stringify(trust("repo:*")) } }]);
    expect(v.map((x) => [x.urn, x.enforcementLevel, x.outcome, x.finding])).toStrictEqual([
      [
        urnOf(ROLE, "json"),
        "mandatory",
        "finding",
        { message: 'must name one workload; got "repo:*", which has a wildcard in the repository owner: matches repositories of other owners', fix: WILDCARD_FIX, path: SUB_PATH, value: "repo:*", key: "wildcard-sub::repo:*" },
      ],
    ]);
  });
});

describe("writingRoles: auto", () => {
  test("a branch wildcard on a role whose only grant is unknown at preview: counted as writing, the exact finding", async () => {
    const v = await run(roleWithUnknownGrant("deployer", JSON.stringify(trust("repo:acme/app:*"))));
    expect(v.map((x) => [x.urn, x.enforcementLevel, x.outcome, x.finding])).toStrictEqual([
      [urnOf(ROLE, "deployer"), "mandatory", "finding", branchWildcardOnWriter("repo:acme/app:*")],
    ]);
  });

  test("an exactly pinned subject on a role whose grants are unknown: no violation of this rule (the grants do not matter)", async () => {
    const pinned = trust("repo:acme/app:environment:prod");
    expect(await run(roleWithUnknownGrant("pinned", pinned))).toEqual([]);
  });

  test("a branch wildcard with writingRoles: never on the same role: no violation; with always: the writing finding", async () => {
    const stack = roleWithUnknownGrant("deployer", trust("repo:acme/app:*"));
    expect(await run(stack, { writingRoles: "never" })).toEqual([]);
    expect((await run(stack, { writingRoles: "always" })).map((x) => x.finding)).toStrictEqual([branchWildcardOnWriter("repo:acme/app:*")]);
  });
});
