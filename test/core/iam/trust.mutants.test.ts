/**
 * Pins the exact observable behaviour of core/iam/trust.ts that mutation testing found unasserted:
 * operator parsing, issuer host normalisation, single-valued keys, the exact breadth reasons and
 * finding messages/fixes of every trust finding kind, and the edges of the principal and condition
 * checks.
 */
import {
  analyzeTrustPolicy,
  isSingleValuedKey,
  parseOperator,
  subjectPatternBreadth,
  webIdentityIssuerHost,
  webIdentityTrusts,
} from "../../../core/iam/trust";

const ACCT = "123456789012";
const GH = "token.actions.githubusercontent.com";
const provider = (host: string) => `arn:aws:iam::${ACCT}:oidc-provider/${host}`;
const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });
const web = (host: string, Condition?: object, federated: string = provider(host)) => ({
  Effect: "Allow",
  Principal: { Federated: federated },
  Action: "sts:AssumeRoleWithWebIdentity",
  ...(Condition ? { Condition } : {}),
});
const AUD = { [`${GH}:aud`]: "sts.amazonaws.com" };
const SUB = { [`${GH}:sub`]: "repo:acme/app:environment:prod" };
const FED_PATH = "Statement[0].Principal.Federated[0]";
const WRITE_TAIL = "; a role that can write must pin one branch, tag or environment";

describe("parseOperator", () => {
  test.each<[string, { setOperator?: string; base: string; ifExists: boolean }]>([
    ["StringEquals", { base: "StringEquals", ifExists: false }],
    ["StringEqualsIfExists", { base: "StringEquals", ifExists: true }],
    ["stringlikeifexists", { base: "stringlike", ifExists: true }],
    ["ForAnyValue:StringLikeIfExists", { setOperator: "ForAnyValue", base: "StringLike", ifExists: true }],
    ["forallvalues:StringEquals", { setOperator: "ForAllValues", base: "StringEquals", ifExists: false }],
    // IfExists only as a suffix
    ["StringIfExistsLike", { base: "StringIfExistsLike", ifExists: false }],
    // the set operator only as a prefix, and only over the whole (single-line) operator
    ["xForAnyValue:StringLike", { base: "xForAnyValue:StringLike", ifExists: false }],
    ["ForAnyValue:StringLike\nx", { base: "ForAnyValue:StringLike\nx", ifExists: false }],
  ])("%j", (op, expected) => {
    const p = parseOperator(op);
    expect(p).toEqual({ op, ...expected });
    expect(p.setOperator).toBe(expected.setOperator);
  });
});

describe("webIdentityIssuerHost", () => {
  test.each<[string, string | undefined]>([
    [provider(GH), GH],
    [`  ${provider(GH)}  `, GH],
    ["cognito-identity.amazonaws.com", "cognito-identity.amazonaws.com"],
    ["Accounts.Google.com", "accounts.google.com"],
    [" graph.facebook.com\t", "graph.facebook.com"],
    [`arn:aws:iam::${ACCT}:saml-provider/okta`, undefined],
    ["example.com", undefined],
  ])("%j → %j", (federated, expected) => expect(webIdentityIssuerHost(federated)).toBe(expected));
});

describe("isSingleValuedKey", () => {
  test.each<[string, boolean]>([
    // global prefixes: only the listed keys, never by claim name
    ["aws:sub", false],
    ["AWS:Environment", false],
    ["sts:sub", false],
    ["saml:environment", false],
    ["saml:sub", true],
    ["sts:ExternalId", true],
    // a claim name alone (no issuer prefix) is not an issuer claim key
    ["sub", false],
    ["aud", false],
    [`${GH}:ref`, true],
    [`${GH}:amr`, false],
  ])("%s → %p", (k, expected) => expect(isSingleValuedKey(k)).toBe(expected));
});

describe("subjectPatternBreadth: exact reasons", () => {
  test.each<[string, string | undefined, string | undefined]>([
    // pattern, reason for a read-only role, reason for a writing role
    ["repo:acme/app", undefined, undefined],
    ["*", "matches every subject of the issuer", "matches every subject of the issuer"],
    ["repo:acme/app:*", undefined, `matches any branch, tag, environment or pull request of acme/app${WRITE_TAIL}`],
    ["repo:acme@12/app@34:ref:*", undefined, `matches any branch, tag, environment or pull request of acme@12/app@34${WRITE_TAIL}`],
    ["repo:acme/app-*", "matches any repository of acme", "matches any repository of acme"],
    ["repo:acme*", "has a wildcard in the repository owner: matches repositories of other owners", "has a wildcard in the repository owner: matches repositories of other owners"],
    ["repo:*", "has a wildcard in the repository owner: matches repositories of other owners", "has a wildcard in the repository owner: matches repositories of other owners"],
    // the repository must be named right after `repo:`, not anywhere in the prefix
    ["repo:x:repo:a/b:*", "matches any repository of x:repo:a", "matches any repository of x:repo:a"],
    ["project_path:acme/app:ref_type:branch:ref:*", undefined, `matches any ref of acme/app${WRITE_TAIL}`],
    ["project_path:acme/*", "matches any GitLab project under that path", "matches any GitLab project under that path"],
    ["project_path:x:project_path:a/b:*", "matches any GitLab project under that path", "matches any GitLab project under that path"],
    ["system:serviceaccount:agents:*", "matches any service account in the namespace", "matches any service account in the namespace"],
    ["system:serviceaccount:*", "matches service accounts in any namespace", "matches service accounts in any namespace"],
    ["system:serviceaccount:ag*", "matches service accounts in any namespace", "matches service accounts in any namespace"],
    ["system:serviceaccount::system:serviceaccount:ns:*", "matches service accounts in any namespace", "matches service accounts in any namespace"],
    ["spiffe://example.com/agents/*", "matches more than one SPIFFE ID", "matches more than one SPIFFE ID"],
    ["SPIFFE://example.com/agents/*", "matches more than one SPIFFE ID", "matches more than one SPIFFE ID"],
    ["repository_owner_id:1:repository_id:2:*", undefined, `matches any context of that repository${WRITE_TAIL}`],
    ["repository_owner_id:1:*", "is a pattern that may match more than one workload", "is a pattern that may match more than one workload"],
    ["something-else-?", "is a pattern that may match more than one workload", "is a pattern that may match more than one workload"],
  ])("%s", (pattern, readOnly, writing) => {
    expect(subjectPatternBreadth(pattern, false)).toBe(readOnly);
    expect(subjectPatternBreadth(pattern, true)).toBe(writing);
  });

  test("writing defaults to false", () => {
    expect(subjectPatternBreadth("repo:acme/app:*")).toBeUndefined();
    expect(subjectPatternBreadth("repository_id:2:*")).toBeUndefined();
  });
});

describe("analyzeTrustPolicy: exact findings", () => {
  test("unpinned-federated", () => {
    expect(analyzeTrustPolicy(doc(web(GH)))).toEqual([
      {
        category: "unpinned-federated",
        severity: "critical",
        path: FED_PATH,
        value: provider(GH),
        key: `unpinned-federated::${GH}`,
        message: `${FED_PATH} must be pinned by conditions on ${GH}:sub and :aud; got a Federated principal with no Condition (every identity the issuer signs can assume the role)`,
        fix: `Add StringEquals conditions on "${GH}:aud" and "${GH}:sub" naming the exact workload.`,
      },
    ]);
  });

  test("missing-sub and missing-aud", () => {
    expect(analyzeTrustPolicy(doc(web(GH, { StringNotEquals: { [`${GH}:sub`]: "repo:evil/x:ref:main" } })))).toEqual([
      {
        category: "missing-sub",
        severity: "critical",
        path: FED_PATH,
        value: provider(GH),
        key: `missing-sub::${GH}`,
        message: `Statement[0] must pin ${GH}:sub with StringEquals (or a narrow StringLike); got no positive sub condition, so any repository or workload of the issuer can assume the role`,
        fix: `Add "StringEquals": {"${GH}:sub": "<exact subject>"} (GitHub: repo:OWNER/REPO:environment:ENV, or the immutable repo:OWNER@ID/REPO@ID:… form).`,
      },
      {
        category: "missing-aud",
        severity: "medium",
        path: FED_PATH,
        value: provider(GH),
        key: `missing-aud::${GH}`,
        message: `Statement[0] must pin ${GH}:aud; got no positive aud condition without a wildcard`,
        fix: `Add "StringEquals": {"${GH}:aud": "sts.amazonaws.com"} (or the audience your workload requests).`,
      },
    ]);
  });

  test("wildcard-sub", () => {
    const p = `Statement[0].Condition["StringLike"]["${GH}:sub"][0]`;
    expect(analyzeTrustPolicy(doc(web(GH, { StringEquals: AUD, StringLike: { [`${GH}:sub`]: "repo:acme/app:*" } })), { writing: true })).toEqual([
      {
        category: "wildcard-sub",
        severity: "critical",
        path: p,
        value: "repo:acme/app:*",
        key: "wildcard-sub::repo:acme/app:*",
        message: `${p} must name one workload; got "repo:acme/app:*", which matches any branch, tag, environment or pull request of acme/app${WRITE_TAIL}`,
        fix: "Use StringEquals with the exact subject(s); keep StringLike only for a wildcard after a fully named repository/project, and not for roles that can write.",
      },
    ]);
  });

  test("set-operator-single-valued, ForAnyValue (with IfExists) and ForAllValues", () => {
    const any = `Statement[0].Condition["ForAnyValue:StringLikeIfExists"]["${GH}:sub"]`;
    const all = `Statement[0].Condition["ForAllValues:StringEquals"]["${GH}:aud"]`;
    expect(
      analyzeTrustPolicy(doc(web(GH, { "ForAnyValue:StringLikeIfExists": SUB, "ForAllValues:StringEquals": AUD }))),
    ).toEqual([
      {
        category: "set-operator-single-valued",
        severity: "high",
        path: any,
        value: "ForAnyValue:StringLikeIfExists",
        key: `set-operator-single-valued::${GH}:sub`,
        message: `${any} must not use ForAnyValue on the single-valued key ${GH}:sub; got ForAnyValue:StringLikeIfExists (it hides the intent and misbehaves with lists)`,
        fix: "Use StringLikeIfExists without the set operator.",
      },
      {
        category: "set-operator-single-valued",
        severity: "high",
        path: all,
        value: "ForAllValues:StringEquals",
        key: `set-operator-single-valued::${GH}:aud`,
        message: `${all} must not use ForAllValues on the single-valued key ${GH}:aud; got ForAllValues:StringEquals (it passes when the key is absent)`,
        fix: "Use StringEquals without the set operator.",
      },
    ]);
  });

  test("a set operator on a multi-valued key is fine", () => {
    expect(
      analyzeTrustPolicy(
        doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: "sts:AssumeRole", Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": "team" } } }),
      ),
    ).toEqual([]);
  });

  test("permissive-principal", () => {
    expect(analyzeTrustPolicy(doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }))).toEqual([
      {
        category: "permissive-principal",
        severity: "critical",
        path: "Statement[0].Principal",
        value: { AWS: ["*"] },
        key: "permissive-principal",
        message: 'Statement[0] must name who may assume the role; got Principal {"AWS":["*"]} with no Condition',
        fix: "Name the exact principal (account, role or OIDC provider) and pin it with conditions; remove the statement if another one already trusts the workload.",
      },
    ]);
  });

  test('an AWS principal " * " (padded) is the wildcard too', () => {
    const f = analyzeTrustPolicy(doc({ Effect: "Allow", Principal: { AWS: [`arn:aws:iam::${ACCT}:root`, " * "] }, Action: "sts:AssumeRole" }));
    expect(f.map((x) => [x.category, x.path])).toEqual([["permissive-principal", "Statement[0].Principal"]]);
  });

  test("a statement without Principal is judged without error and gives nothing", () => {
    const noPrincipal = doc({ Effect: "Allow", Action: "sts:AssumeRole" });
    expect(analyzeTrustPolicy(noPrincipal)).toEqual([]);
    expect(webIdentityTrusts(noPrincipal)).toEqual([]);
  });

  test("a SAML Federated principal is not judged as web identity, even without a Condition", () => {
    expect(
      analyzeTrustPolicy(doc({ Effect: "Allow", Principal: { Federated: `arn:aws:iam::${ACCT}:saml-provider/okta` }, Action: "sts:AssumeRoleWithSAML" })),
    ).toEqual([]);
  });

  test("empty operator blocks are no conditions", () => {
    // only empty blocks: as if there were no Condition
    expect(analyzeTrustPolicy(doc(web(GH, { StringEquals: {} }))).map((f) => f.category)).toEqual(["unpinned-federated"]);
    // one empty block next to a real pin: conditioned, and pinned
    expect(analyzeTrustPolicy(doc(web(GH, { StringNotEquals: {}, StringEquals: { ...AUD, ...SUB } })))).toEqual([]);
  });

  test("aud: StringLike without a wildcard pins; a wildcard among the values does not; StringEquals always pins", () => {
    expect(analyzeTrustPolicy(doc(web(GH, { StringLike: AUD, StringEquals: SUB })))).toEqual([]);
    expect(analyzeTrustPolicy(doc(web(GH, { StringLike: { [`${GH}:aud`]: ["sts.amazonaws.com", "*"] }, StringEquals: SUB }))).map((f) => f.category)).toEqual([
      "missing-aud",
    ]);
    expect(analyzeTrustPolicy(doc(web(GH, { StringEquals: { [`${GH}:aud`]: "sts.*", ...SUB } })))).toEqual([]);
  });
});

describe("webIdentityTrusts: edges", () => {
  test("Deny statements are not federations", () => {
    expect(webIdentityTrusts(doc({ ...web(GH, { StringEquals: { ...AUD, ...SUB } }), Effect: "Deny" }))).toEqual([]);
  });

  test("audiences come from positive conditions only", () => {
    expect(webIdentityTrusts(doc(web(GH, { StringEquals: { ...AUD, ...SUB }, StringNotEquals: { [`${GH}:aud`]: "other" } })))).toEqual([
      { statementIndex: 0, issuerHost: GH, federatedArn: provider(GH), subjects: ["repo:acme/app:environment:prod"], subjectOperator: "StringEquals", audiences: ["sts.amazonaws.com"] },
    ]);
  });
});
