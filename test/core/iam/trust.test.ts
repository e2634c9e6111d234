import { analyzeTrustPolicy, isSingleValuedKey, subjectPatternBreadth, webIdentityTrusts } from "../../../core/iam/trust";
import type { IamCategory } from "../../../core/iam/finding";

const ACCT = "123456789012";
const GH = "token.actions.githubusercontent.com";
const EKS = "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789";
const GL = "gitlab.com";
const provider = (host: string) => `arn:aws:iam::${ACCT}:oidc-provider/${host}`;
const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });
const web = (host: string, Condition?: object) => ({
  Effect: "Allow",
  Principal: { Federated: provider(host) },
  Action: "sts:AssumeRoleWithWebIdentity",
  ...(Condition ? { Condition } : {}),
});
const aud = (host: string) => ({ [`${host}:aud`]: "sts.amazonaws.com" });
const pinned = (host: string, sub: string | string[], op = "StringEquals") =>
  web(host, op === "StringEquals" ? { StringEquals: { ...aud(host), [`${host}:sub`]: sub } } : { StringEquals: aud(host), [op]: { [`${host}:sub`]: sub } });
const cats = (findings: { category: IamCategory }[]) => findings.map((f) => f.category).sort();

type Case = [string, unknown, IamCategory[], { writing?: boolean }?];

const cases: Case[] = [
  // pinned: no findings
  ["GitHub classic subject, exact", doc(pinned(GH, "repo:acme/app:environment:prod")), []],
  ["GitHub immutable subject, exact", doc(pinned(GH, "repo:acme@1234/app@5678:ref:refs/heads/main")), []],
  ["GitHub two exact subjects", doc(pinned(GH, ["repo:acme/app:environment:prod", "repo:acme/app:ref:refs/heads/main"])), []],
  ["GitHub custom template, exact", doc(pinned(GH, "repository_owner_id:1234:repository_id:5678:environment:prod")), []],
  ["GitLab project, exact", doc(pinned(GL, "project_path:acme/app:ref_type:branch:ref:main")), []],
  ["Kubernetes service account, exact", doc(pinned(EKS, "system:serviceaccount:agents:claude")), []],
  ["SPIFFE id, exact", doc(pinned("spire.example.com", "spiffe://example.com/agents/claude")), []],
  ["StringLike without a wildcard", doc(pinned(GH, "repo:acme/app:environment:prod", "StringLike")), []],
  ["repo:org/repo:* for a read-only role", doc(pinned(GH, "repo:acme/app:*", "StringLike")), []],
  ["repo:org/repo:ref:refs/heads/* for a read-only role", doc(pinned(GH, "repo:acme/app:ref:refs/heads/*", "StringLike")), []],
  ["GitLab ref wildcard for a read-only role", doc(pinned(GL, "project_path:acme/app:ref_type:branch:ref:*", "StringLike")), []],
  [
    "exact pin ANDed with a broad StringLike (the exact one decides)",
    doc(web(GH, { StringEquals: { ...aud(GH), [`${GH}:sub`]: "repo:acme/app:environment:prod" }, StringLike: { [`${GH}:sub`]: "repo:acme/*" } })),
    [],
  ],
  ["condition key in another case", doc(web(GH, { StringEquals: { [`${GH}:AUD`]: "sts.amazonaws.com", [`${GH.toUpperCase()}:Sub`]: "repo:acme/app:environment:prod" } })), []],
  ["service principal", doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }), []],
  ["account principal", doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: "sts:AssumeRole" }), []],
  ["Principal * with an org condition", doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } } }), []],
  ["Deny with Principal *", doc(pinned(GH, "repo:acme/app:environment:prod"), { Effect: "Deny", Principal: "*", Action: "sts:AssumeRoleWithWebIdentity" }), []],
  ["Cognito identity pool pinned by aud", doc({ Effect: "Allow", Principal: { Federated: "cognito-identity.amazonaws.com" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "cognito-identity.amazonaws.com:aud": "eu-west-1:pool" } } }), []],

  // public misconfiguration 1: only aud, or nothing
  ["aud only (Pulumi's example OIDC program)", doc(web(GH, { StringEquals: aud(GH) })), ["missing-sub"]],
  ["no condition at all", doc(web(GH)), ["unpinned-federated"]],
  ["EKS provider with no condition", doc(web(EKS)), ["unpinned-federated"]],
  ["sub only negated", doc(web(GH, { StringEquals: aud(GH), StringNotLike: { [`${GH}:sub`]: "repo:evil/*" } })), ["missing-sub"]],
  ["sub without aud", doc(web(GH, { StringEquals: { [`${GH}:sub`]: "repo:acme/app:environment:prod" } })), ["missing-aud"]],
  // public misconfiguration 2: broad subjects
  ["sub *", doc(pinned(GH, "*", "StringLike")), ["wildcard-sub"]],
  ["sub repo:*", doc(pinned(GH, "repo:*", "StringLike")), ["wildcard-sub"]],
  ["sub repo:org/* (org-wide, Pulumi ESC docs)", doc(pinned(GH, "repo:acme/*", "StringLike")), ["wildcard-sub"]],
  ["sub repo:org/app-* (a name prefix)", doc(pinned(GH, "repo:acme/app-*", "StringLike")), ["wildcard-sub"]],
  ["sub wildcard inside the owner", doc(pinned(GH, "repo:acme*/app:ref:refs/heads/main", "StringLike")), ["wildcard-sub"]],
  ["immutable form with a wildcard owner id", doc(pinned(GH, "repo:acme@*/app@5678:ref:refs/heads/main", "StringLike")), ["wildcard-sub"]],
  ["sub repo:org/repo:* for a writing role", doc(pinned(GH, "repo:acme/app:*", "StringLike")), ["wildcard-sub"], { writing: true }],
  ["? wildcard in the repository", doc(pinned(GH, "repo:acme/ap?:environment:prod", "StringLike")), ["wildcard-sub"]],
  ["Kubernetes system:serviceaccount:*", doc(pinned(EKS, "system:serviceaccount:*", "StringLike")), ["wildcard-sub"]],
  ["Kubernetes system:serviceaccount:ns:*", doc(pinned(EKS, "system:serviceaccount:agents:*", "StringLike")), ["wildcard-sub"]],
  ["GitLab group wildcard", doc(pinned(GL, "project_path:acme/*", "StringLike")), ["wildcard-sub"]],
  ["SPIFFE path wildcard", doc(pinned("spire.example.com", "spiffe://example.com/agents/*", "StringLike")), ["wildcard-sub"]],
  ["custom template pinning only the owner", doc(pinned(GH, "repository_owner_id:1234:*", "StringLike")), ["wildcard-sub"]],
  ["one good and one broad subject in one list", doc(pinned(GH, ["repo:acme/app:environment:prod", "repo:acme/*"], "StringLike")), ["wildcard-sub"]],
  // public misconfiguration 3: set operators and a permissive second statement
  ["ForAnyValue:StringLike on sub", doc(pinned(GH, "repo:acme/app:environment:prod", "ForAnyValue:StringLike")), ["set-operator-single-valued"]],
  ["ForAllValues:StringEquals on sub and aud", doc(web(GH, { "ForAllValues:StringEquals": { ...aud(GH), [`${GH}:sub`]: "repo:acme/app:environment:prod" } })), ["set-operator-single-valued", "set-operator-single-valued"]],
  ["ForAnyValue:StringLike with a broad pattern", doc(pinned(GH, "repo:acme/*", "ForAnyValue:StringLike")), ["set-operator-single-valued", "wildcard-sub"]],
  ['{"AWS": "*"} next to a pinned statement', doc(pinned(GH, "repo:acme/app:environment:prod"), { Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRoleWithWebIdentity" }), ["permissive-principal"]],
  ['Principal "*" alone', doc({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }), ["permissive-principal"]],
  ["invalid document", '{"Statement": null}', ["invalid-document"]],
];

describe("analyzeTrustPolicy", () => {
  // Rows have 3 or 4 entries: take the rest as one parameter, since jest treats a callback with more
  // parameters than the row has as asking for a `done` callback (and then waits for it).
  test.each(cases)("%s", (...row: Case) => {
    const [, input, expected, opts] = row;
    expect(cats(analyzeTrustPolicy(input, opts))).toEqual([...expected].sort());
  });

  test("a wildcard-sub finding points at the offending value", () => {
    const [f] = analyzeTrustPolicy(doc(pinned(GH, ["repo:acme/app:environment:prod", "repo:acme/*"], "StringLike")));
    expect(f).toMatchObject({ path: `Statement[0].Condition["StringLike"]["${GH}:sub"][1]`, value: "repo:acme/*", severity: "critical" });
    expect(f.message).toMatch(/must name one workload; got "repo:acme\/\*", which matches any repository of acme/);
  });

  test("missing-sub names the issuer in its fix", () => {
    const [f] = analyzeTrustPolicy(doc(web(EKS, { StringEquals: aud(EKS) })));
    expect(f.category).toBe("missing-sub");
    expect(f.fix).toContain(`${EKS}:sub`);
    expect(f.path).toBe("Statement[0].Principal.Federated[0]");
  });
});

describe("subjectPatternBreadth", () => {
  test.each<[string, boolean, boolean]>([
    // pattern, broad when read-only, broad when writing
    ["repo:acme/app:environment:prod", false, false],
    ["repo:acme/app:*", false, true],
    ["repo:acme/app*", true, true],
    ["repo:acme/*", true, true],
    ["repo:*", true, true],
    ["repo:acme@12/app@34:*", false, true],
    ["system:serviceaccount:ns:*", true, true],
    ["project_path:acme/app:ref_type:branch:ref:release-*", false, true],
    ["repository_id:5678:*", false, true],
    ["something-else-*", true, true],
  ])("%s", (pattern, readOnly, writing) => {
    expect(subjectPatternBreadth(pattern, false) !== undefined).toBe(readOnly);
    expect(subjectPatternBreadth(pattern, true) !== undefined).toBe(writing);
  });
});

describe("isSingleValuedKey", () => {
  test.each<[string, boolean]>([
    [`${GH}:sub`, true],
    [`${GH}:aud`, true],
    [`${GH}:repository_id`, true],
    ["cognito-identity.amazonaws.com:amr", false],
    ["aws:PrincipalOrgID", true],
    ["aws:PrincipalOrgPaths", false],
    ["aws:TagKeys", false],
  ])("%s → %p", (k, expected) => expect(isSingleValuedKey(k)).toBe(expected));
});

describe("webIdentityTrusts", () => {
  test("inventory of a two-provider trust", () => {
    const t = webIdentityTrusts(
      doc(
        pinned(GH, ["repo:acme/app:environment:prod"]),
        pinned(EKS, "system:serviceaccount:agents:*", "StringLike"),
        { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
      ),
    );
    expect(t).toEqual([
      { statementIndex: 0, issuerHost: GH, federatedArn: provider(GH), subjects: ["repo:acme/app:environment:prod"], subjectOperator: "StringEquals", audiences: ["sts.amazonaws.com"] },
      { statementIndex: 1, issuerHost: EKS, federatedArn: provider(EKS), subjects: ["system:serviceaccount:agents:*"], subjectOperator: "StringLike", audiences: ["sts.amazonaws.com"] },
    ]);
  });
  test("no sub condition: no subjects, no operator", () => {
    expect(webIdentityTrusts(doc(web(GH, { StringEquals: aud(GH) })))).toEqual([
      { statementIndex: 0, issuerHost: GH, federatedArn: provider(GH), subjects: [], audiences: ["sts.amazonaws.com"] },
    ]);
  });
  test("the exact operator is reported when both exist", () => {
    const [t] = webIdentityTrusts(doc(web(GH, { StringEquals: { [`${GH}:sub`]: "repo:a/b:environment:e" }, StringLike: { [`${GH}:sub`]: "repo:a/*" } })));
    expect(t).toMatchObject({ subjects: ["repo:a/b:environment:e"], subjectOperator: "StringEquals", audiences: [] });
  });
  test("SAML and unparseable documents give nothing", () => {
    expect(webIdentityTrusts(doc({ Effect: "Allow", Principal: { Federated: `arn:aws:iam::${ACCT}:saml-provider/okta` }, Action: "sts:AssumeRoleWithSAML" }))).toEqual([]);
    expect(webIdentityTrusts("nope")).toEqual([]);
  });
});
