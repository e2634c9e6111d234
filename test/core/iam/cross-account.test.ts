/**
 * core/iam/trust.ts crossAccountTrustFindings / principalAccount: third-party trust without an
 * external ID, by example and against @cloud-copilot/iam-simulate: for every statement built from the
 * principals, conditions and actions below, a finding on a vendor's principal if and only if AWS lets
 * that principal assume the role sending no external ID or another one the condition admits.
 */
import { crossAccountTrustFindings, principalAccount, type Statement } from "../../../core/iam";
import { decideAssumeRole, decideCrossAccountAssume } from "../../support/iam-oracle";

const VENDOR = "210987654321";
const ORG = "111122223333";
const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });

describe("principalAccount", () => {
  test.each([
    ["210987654321", VENDOR],
    [" 210987654321 ", VENDOR],
    ["arn:aws:iam::210987654321:root", VENDOR],
    ["arn:aws:iam::210987654321:role/path/agent", VENDOR],
    ["arn:aws:iam::210987654321:user/bot", VENDOR],
    ["arn:aws-cn:iam::210987654321:root", VENDOR],
    ["arn:aws-us-gov:iam::210987654321:root", VENDOR],
    ["arn:aws:sts::210987654321:assumed-role/agent/session", VENDOR],
  ])("%s is of account %s", (p, account) => expect(principalAccount(p)).toBe(account));

  test.each(["*", "21098765432", "2109876543210", "AROAEXAMPLEID12345678", "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:s3:::bucket", "arn:aws:iam:us-east-1:210987654321:root", "arn:awsx:iam::210987654321:root", "xarn:aws:iam::210987654321:root", ""])(
    "%j names no account",
    (p) => expect(principalAccount(p)).toBeUndefined(),
  );
});

describe("crossAccountTrustFindings", () => {
  test("a vendor's account without an external ID: path, value, key, message and fix", () => {
    const [f, ...rest] = crossAccountTrustFindings(doc({ Effect: "Allow", Principal: { AWS: ["arn:aws:iam::111122223333:root", `arn:aws:iam::${VENDOR}:role/runner`] }, Action: "sts:AssumeRole" }), { trustedAccounts: [ORG] });
    expect(rest).toEqual([]);
    expect(f).toEqual({
      category: "no-external-id",
      severity: "high",
      path: "Statement[0].Principal.AWS[1]",
      value: `arn:aws:iam::${VENDOR}:role/runner`,
      key: `no-external-id::${VENDOR}`,
      message: `Statement[0].Principal.AWS[1] must require the external ID account ${VENDOR} issued for you before it assumes the role; got arn:aws:iam::${VENDOR}:role/runner with no StringEquals condition on sts:ExternalId`,
      fix: `Add "StringEquals": {"sts:ExternalId": "<the ID the third party gave you>"} to Statement[0]; if ${VENDOR} is your own organisation's account, list it in trustedAccounts.`,
    });
  });

  test("each untrusted principal of each statement, in order; trusted accounts (a list or a set) are not judged", () => {
    const d = doc(
      { Effect: "Allow", Principal: { AWS: [VENDOR, ORG] }, Action: "sts:AssumeRole" },
      { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
      { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ORG}:root`, Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" },
      { Effect: "Allow", Principal: { AWS: "arn:aws:iam::444455556666:root" }, Action: "sts:AssumeRole" },
    );
    expect(crossAccountTrustFindings(d).map((f) => f.path)).toEqual(["Statement[0].Principal.AWS[0]", "Statement[0].Principal.AWS[1]", "Statement[2].Principal.AWS[0]", "Statement[3].Principal.AWS[0]"]);
    expect(crossAccountTrustFindings(d, { trustedAccounts: [ORG] }).map((f) => f.key)).toEqual([`no-external-id::${VENDOR}`, "no-external-id::444455556666"]);
    expect(crossAccountTrustFindings(d, { trustedAccounts: new Set([ORG, VENDOR, "444455556666"]) })).toEqual([]);
  });

  test("not judged: Deny, Principal \"*\" (the trust rule's), no AWS principal, actions that do not cover sts:AssumeRole, a pinned external ID", () => {
    expect(
      crossAccountTrustFindings(
        doc(
          { Effect: "Deny", Principal: { AWS: VENDOR }, Action: "sts:AssumeRole" },
          { Effect: "Allow", Action: "sts:AssumeRole" },
          { Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" },
          { Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } },
          { Effect: "Allow", Principal: { Federated: "arn:aws:iam::210987654321:saml-provider/x" }, Action: "sts:AssumeRoleWithSAML" },
          { Effect: "Allow", Principal: { AWS: VENDOR }, Action: ["sts:TagSession", "sts:SetSourceIdentity"] },
          { Effect: "Allow", Principal: { AWS: VENDOR }, NotAction: "sts:AssumeRole" },
          { Effect: "Allow", Principal: { AWS: VENDOR }, Action: "sts:AssumeRole", Condition: { StringEquals: { "STS:EXTERNALID": "x-1" } } },
        ),
      ),
    ).toEqual([]);
  });

  test("an unreadable document is one invalid-document finding", () => {
    expect(crossAccountTrustFindings("{not json").map((f) => f.category)).toEqual(["invalid-document"]);
    expect(crossAccountTrustFindings(doc({ Effect: "Allow", Principal: { AWS: VENDOR } }))[0]).toMatchObject({ category: "invalid-document", path: "Statement[0]" });
  });
});

describe("crossAccountTrustFindings against the IAM simulator", () => {
  const conditions: Array<Record<string, Record<string, string | string[]>> | undefined> = [
    undefined,
    { StringEquals: { "sts:ExternalId": "good-id" } },
    { StringEquals: { "sts:ExternalId": ["good-id", "second-id"] } },
    { StringEqualsIgnoreCase: { "sts:ExternalId": "good-id" } },
    { StringLike: { "sts:ExternalId": "good-id" } },
    { StringLike: { "sts:ExternalId": "good-*" } },
    { StringLike: { "sts:ExternalId": "good-i?" } },
    { StringLike: { "sts:ExternalId": ["good-id", "good-*"] } },
    { StringEqualsIfExists: { "sts:ExternalId": "good-id" } },
    { "ForAnyValue:StringEquals": { "sts:ExternalId": "good-id" } },
    { "ForAllValues:StringEquals": { "sts:ExternalId": "good-id" } },
    { StringNotEquals: { "sts:ExternalId": "bad-id" } },
    { Null: { "sts:ExternalId": "false" } },
  ];
  const actions: Array<Pick<Statement, "Action" | "NotAction">> = [{ Action: ["sts:AssumeRole"] }, { Action: ["sts:*"] }, { Action: ["sts:AssumeRole", "sts:TagSession"] }, { NotAction: ["iam:*"] }, { Action: ["sts:TagSession"] }];
  const principals: Array<[string, string]> = [
    [VENDOR, `arn:aws:iam::${VENDOR}:role/agent-runner`],
    [`arn:aws:iam::${VENDOR}:root`, `arn:aws:iam::${VENDOR}:user/bot`],
    [`arn:aws:iam::${VENDOR}:role/agent-runner`, `arn:aws:iam::${VENDOR}:role/agent-runner`],
  ];
  /** IDs a caller that is not you may send: none, one the condition does not name, and one each wildcard admits. */
  const otherIds = (c: (typeof conditions)[number]): Array<string | undefined> => {
    const values = Object.values(c ?? {}).flatMap((b) => Object.values(b).flat());
    return [undefined, "attacker-id", ...values.filter((v) => /[*?]/.test(v)).map((v) => v.replace(/\*/g, "attacker").replace(/\?/g, "x"))];
  };
  const cases = conditions.flatMap((Condition) => actions.flatMap((a) => principals.map(([trusted, caller]) => ({ Condition, a, trusted, caller }))));

  test(`${cases.length} statements: a finding exactly when the simulator lets the vendor in without the ID`, () => {
    const disagreements: string[] = [];
    for (const { Condition, a, trusted, caller } of cases) {
      const trust = doc({ Effect: "Allow", Principal: { AWS: trusted }, ...a, ...(Condition ? { Condition } : {}) });
      const flagged = crossAccountTrustFindings(trust).length > 0;
      const admitted = otherIds(Condition).some((id) => decideCrossAccountAssume(trust, caller, id) === "Allowed");
      if (flagged !== admitted) disagreements.push(`${JSON.stringify(trust.Statement[0])}: flagged ${flagged}, simulator admits ${admitted}`);
    }
    expect(disagreements).toEqual([]);
    // The set is not one-sided: both verdicts occur.
    const verdicts = cases.map(({ Condition, a, trusted }) => crossAccountTrustFindings(doc({ Effect: "Allow", Principal: { AWS: trusted }, ...a, ...(Condition ? { Condition } : {}) })).length > 0);
    expect(verdicts.filter(Boolean).length).toBeGreaterThan(50);
    expect(verdicts.filter((v) => !v).length).toBeGreaterThan(50);
  });
});

describe('Principal "*" narrowed to accounts by its conditions, against the IAM simulator', () => {
  const CALLER = `arn:aws:iam::${VENDOR}:role/agent-runner`;
  const narrowings: Array<[string, Record<string, Record<string, string | string[]>>, string | undefined]> = [
    ["aws:PrincipalAccount", { StringEquals: { "aws:PrincipalAccount": VENDOR } }, 'Statement[0].Condition["StringEquals"]["aws:PrincipalAccount"][0]'],
    ["aws:PrincipalArn", { ArnLike: { "aws:PrincipalArn": CALLER } }, 'Statement[0].Condition["ArnLike"]["aws:PrincipalArn"][0]'],
    ["aws:PrincipalArn, a role name in the account", { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${VENDOR}:role/*` } }, 'Statement[0].Condition["ArnLike"]["aws:PrincipalArn"][0]'],
    // Not narrowed to an account: the organisation (judged as your own), or any account (aws-iam-trust-pinned's).
    ["aws:PrincipalOrgID", { StringEquals: { "aws:PrincipalOrgID": "o-vendor" } }, undefined],
    ["an account pattern", { StringLike: { "aws:PrincipalAccount": "2109*" } }, undefined],
  ];
  const externalIds: Array<Record<string, Record<string, string>> | undefined> = [
    undefined,
    { StringEquals: { "sts:ExternalId": "good-id" } },
    { StringEqualsIfExists: { "sts:ExternalId": "good-id" } },
    { StringLike: { "sts:ExternalId": "good-*" } },
  ];
  /** Both condition blocks in one, operator by operator. */
  const merge = (a: Record<string, Record<string, unknown>>, b: Record<string, Record<string, unknown>> | undefined) => {
    const out: Record<string, Record<string, unknown>> = JSON.parse(JSON.stringify(a));
    for (const [op, keys] of Object.entries(b ?? {})) out[op] = { ...(out[op] ?? {}), ...keys };
    return out;
  };
  test.each(narrowings.flatMap(([what, narrowing, path]) => externalIds.map((ext) => [what, narrowing, path, ext] as const)))(
    "narrowed by %s, external ID %j: reported on the account exactly when AWS admits the vendor without the ID",
    (_what, narrowing, path, ext) => {
      const trust = doc({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole", Condition: merge(narrowing, ext) });
      const findings = crossAccountTrustFindings(trust);
      const context = { "aws:PrincipalAccount": VENDOR, "aws:PrincipalArn": CALLER, "aws:PrincipalOrgID": "o-vendor" };
      const admitted = [undefined, "attacker-id", "good-attacker"].some((id) => decideAssumeRole(trust, CALLER, id === undefined ? context : { ...context, "sts:ExternalId": id }) === "Allowed");
      if (path === undefined) {
        expect(findings).toEqual([]);
        return;
      }
      expect(findings.map((f) => [f.path, f.key])).toEqual(admitted ? [[path, `no-external-id::${VENDOR}`]] : []);
    },
  );

  test("an account listed in trustedAccounts is not judged there either", () => {
    const trust = doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:PrincipalAccount": [ORG, VENDOR] } } });
    expect(crossAccountTrustFindings(trust, { trustedAccounts: [ORG] }).map((f) => f.path)).toEqual(['Statement[0].Condition["StringEquals"]["aws:PrincipalAccount"][1]']);
  });
});
