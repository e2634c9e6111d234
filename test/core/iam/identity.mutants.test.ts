/**
 * Pins the exact observable behaviour of core/iam/identity.ts that the broader identity tests left
 * loose: each finding kind's full message/fix/key/value, exceptions (allowActions) inside wildcard
 * verdicts, the document-wide "broad iam:PassRole" judgement, resource broadness edge cases, the
 * per-option-set cache key, frozen shared values, and judgeRawStatements' input shapes.
 */
import { analyzeIdentityPolicy, invalidDocument, isBroadResource, isFullWildcardAction, judgeRawStatements } from "../../../core/iam/identity";
import type { IamCategory, IamFinding } from "../../../core/iam/finding";

const ACCT = "123456789012";
const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });
const allow = (Action: string | string[], Resource: string | string[] = "*", extra: object = {}) => ({ Effect: "Allow", Action, Resource, ...extra });
const cats = (findings: { category: IamCategory }[]) => findings.map((f) => f.category).sort();

const WRITE_BODY = (actions: string) => `must scope write actions to resource ARNs; got ${actions} on a wildcard resource`;
const WRITE_FIX = "Replace the wildcard resource with the ARNs (or an ARN prefix) of the resources this identity owns.";
const CRED_BODY = (actions: string) => `must not read credentials or secrets on every resource; got ${actions} on a wildcard resource`;
const CRED_FIX = "Name the exact secret, parameter or key ARNs (Secrets Manager: the name followed by -??????).";
const ESC_WILDCARD_BODY = (pattern: string, actions: string) =>
  `must not use a wildcard that grants permissions-management or escalation actions; got ${JSON.stringify(pattern)}, which expands to ${actions}`;
const ESC_WILDCARD_FIX = "List the exact actions needed; keep IAM and escalation actions out of wildcards (or move them to a separate, resource-scoped statement).";

describe("isFullWildcardAction", () => {
  test.each<[string, boolean]>([
    ["*", true],
    ["*:*", true],
    [" * ", true],
    ["\t*:*\n", true],
    ["s3:*", false],
    ["**", false],
  ])("%p → %p", (a, expected) => expect(isFullWildcardAction(a)).toBe(expected));

  test("a padded full wildcard is still judged as every action", () => {
    expect(cats(analyzeIdentityPolicy(doc(allow(" * "))))).toEqual(["wildcard-action"]);
  });
});

describe("isBroadResource: edge cases", () => {
  test.each<[string, boolean]>([
    // A wildcard in the account only: the resource part names one role.
    ["arn:aws:iam::*:role/x", false],
    [`arn:aws:iam::${ACCT}:role/x`, false],
    // A wildcard at the very start of the resource part reaches every resource type.
    [`arn:aws:iam::${ACCT}:*/admin`, true],
    // A wildcard inside the resource type (module comment: `ro?e/*`).
    [`arn:aws:iam::${ACCT}:ro?e/*`, true],
    // A name suffix or prefix after the type is a deliberate scope.
    [`arn:aws:iam::${ACCT}:role/*-admin`, false],
    [`arn:aws:sns:eu-west-1:${ACCT}:app-*`, false],
    [`arn:aws:sns:eu-west-1:${ACCT}:*-alerts`, false],
    [`arn:aws:sns:eu-west-1:${ACCT}:*`, true],
    // A one-character resource type followed by only wildcards.
    [`arn:aws:dynamodb:eu-west-1:${ACCT}:x/*`, true],
    ["?*", true],
    ["**", true],
  ])("%s → %p", (r, expected) => expect(isBroadResource(r)).toBe(expected));
});

describe("analyzeIdentityPolicy: exact findings per kind", () => {
  test("wildcard-action", () => {
    expect(analyzeIdentityPolicy(doc(allow("s3:GetObject", "arn:aws:s3:::b/x"), allow(["s3:GetObject", "*"], "arn:aws:s3:::b/*")))).toStrictEqual([
      {
        category: "wildcard-action",
        severity: "critical",
        path: "Statement[1].Action[1]",
        value: "*",
        key: "wildcard-action",
        message: 'Statement[1].Action[1] must not Allow every action; got "*"',
        fix: "List the exact actions this identity needs.",
      },
    ]);
  });

  test("not-action-allow and not-resource-allow", () => {
    const f = analyzeIdentityPolicy(doc({ Effect: "Allow", NotAction: ["s3:GetObject"], Resource: "arn:aws:s3:::b/x" }, { Effect: "Allow", Action: "s3:ListBucket", NotResource: ["arn:aws:s3:::secret"] }));
    expect(f).toStrictEqual([
      {
        category: "not-action-allow",
        severity: "critical",
        path: "Statement[0].NotAction",
        value: ["s3:GetObject"],
        key: "not-action-allow",
        message: 'Statement[0] must not Allow with NotAction (it grants every other action, including ones AWS adds later); got NotAction ["s3:GetObject"]',
        fix: "List the allowed actions in Action; express exclusions as a separate Deny statement.",
      },
      {
        category: "not-resource-allow",
        severity: "high",
        path: "Statement[1].NotResource",
        value: ["arn:aws:s3:::secret"],
        key: "not-resource-allow",
        message: 'Statement[1] must not Allow with NotResource (it grants every other resource); got NotResource ["arn:aws:s3:::secret"]',
        fix: "List the allowed resources in Resource; express exclusions as a separate Deny statement.",
      },
    ]);
    // s3:ListBucket is a List action: NotResource alone is the problem.
    expect(cats(f)).toEqual(["not-action-allow", "not-resource-allow"]);
  });

  test("service-wildcard-escalation with exactly five actions names them all", () => {
    expect(analyzeIdentityPolicy(doc(allow("iam:Put*", `arn:aws:iam::${ACCT}:role/self`)))).toStrictEqual([
      {
        category: "service-wildcard-escalation",
        severity: "critical",
        path: "Statement[0].Action[0]",
        value: { pattern: "iam:Put*", actions: ["iam:PutGroupPolicy", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy", "iam:PutUserPermissionsBoundary", "iam:PutUserPolicy"] },
        key: "service-wildcard-escalation::iam:Put*",
        message: `Statement[0].Action[0] ${ESC_WILDCARD_BODY("iam:Put*", "iam:PutGroupPolicy, iam:PutRolePermissionsBoundary, iam:PutRolePolicy, iam:PutUserPermissionsBoundary, iam:PutUserPolicy")}`,
        fix: ESC_WILDCARD_FIX,
      },
    ]);
  });

  test("service-wildcard-escalation with more than five actions names five and counts the rest", () => {
    const [f, ...rest] = analyzeIdentityPolicy(doc(allow("iam:Delete*", `arn:aws:iam::${ACCT}:role/self`)));
    expect(rest).toEqual([]);
    expect((f.value as { actions: string[] }).actions).toHaveLength(8);
    expect(f.message).toBe(
      `Statement[0].Action[0] ${ESC_WILDCARD_BODY("iam:Delete*", "iam:DeleteAccountPasswordPolicy, iam:DeleteGroupPolicy, iam:DeletePolicy, iam:DeletePolicyVersion, iam:DeleteRolePermissionsBoundary and 3 more")}`,
    );
  });

  test("credential-exposure (wildcard and exact)", () => {
    expect(analyzeIdentityPolicy(doc(allow(["ssm:GetParam*", "secretsmanager:GetSecretValue"])))).toStrictEqual([
      {
        category: "credential-exposure",
        severity: "high",
        path: "Statement[0].Action[0]",
        value: { action: "ssm:GetParam*", actions: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"] },
        key: "credential-exposure::ssm:GetParam*",
        message: `Statement[0].Action[0] ${CRED_BODY("ssm:GetParameter, ssm:GetParameters, ssm:GetParametersByPath")}`,
        fix: CRED_FIX,
      },
      {
        category: "credential-exposure",
        severity: "high",
        path: "Statement[0].Action[1]",
        value: { action: "secretsmanager:GetSecretValue", actions: ["secretsmanager:GetSecretValue"] },
        key: "credential-exposure::secretsmanager:GetSecretValue",
        message: `Statement[0].Action[1] ${CRED_BODY("secretsmanager:GetSecretValue")}`,
        fix: CRED_FIX,
      },
    ]);
  });

  test("wildcard-resource-write (wildcard and exact)", () => {
    expect(analyzeIdentityPolicy(doc(allow(["s3:*Object", "s3:PutObject"])))).toStrictEqual([
      {
        category: "wildcard-resource-write",
        severity: "medium",
        path: "Statement[0].Action[0]",
        value: { action: "s3:*Object", actions: ["s3:DeleteObject", "s3:PutObject", "s3:ReplicateObject", "s3:RestoreObject"] },
        key: "wildcard-resource-write::s3:*Object",
        message: `Statement[0].Action[0] ${WRITE_BODY("s3:DeleteObject, s3:PutObject, s3:ReplicateObject, s3:RestoreObject")}`,
        fix: WRITE_FIX,
      },
      {
        category: "wildcard-resource-write",
        severity: "medium",
        path: "Statement[0].Action[1]",
        value: { action: "s3:PutObject", actions: ["s3:PutObject"] },
        key: "wildcard-resource-write::s3:PutObject",
        message: `Statement[0].Action[1] ${WRITE_BODY("s3:PutObject")}`,
        fix: WRITE_FIX,
      },
    ]);
  });

  test("escalation-action: the fix depends on the kind of escalation", () => {
    const f = analyzeIdentityPolicy(doc(allow(["iam:PassRole", "ec2:RunInstances", "iam:AttachRolePolicy"])));
    expect(f.map((x) => [x.path, x.value, x.key, x.fix])).toEqual([
      ["Statement[0].Action[0]", "iam:PassRole", "escalation-action::iam:PassRole", "Name the exact role ARNs to pass and add an iam:PassedToService condition."],
      ["Statement[0].Action[1]", "ec2:RunInstances", "escalation-action::ec2:RunInstances", "Scope iam:PassRole in this document to named roles (with iam:PassedToService), or remove ec2:RunInstances."],
      ["Statement[0].Action[2]", "iam:AttachRolePolicy", "escalation-action::iam:AttachRolePolicy", "Name the exact iam resource ARNs this identity owns, or remove iam:AttachRolePolicy."],
    ]);
    expect(f[0].message).toBe(
      "Statement[0].Action[0] must not grant iam:PassRole on resources that reach other principals; got iam:PassRole on a wildcard resource (it hands a more privileged role to a service the caller controls (pairs with a compute action))",
    );
    expect(f[2].message).toMatch(/^Statement\[0\]\.Action\[2\] must not grant iam:AttachRolePolicy on resources that reach other principals; got iam:AttachRolePolicy on a wildcard resource \(it .+\)$/);
    expect(f.every((x) => x.category === "escalation-action" && x.severity === "critical")).toBe(true);
  });

  test("an empty Condition does not mark findings as conditioned; a non-empty one does", () => {
    const [f] = analyzeIdentityPolicy(doc(allow("s3:PutObject", "*", { Condition: {} })));
    expect(f.category).toBe("wildcard-resource-write");
    expect(f).not.toHaveProperty("conditioned");
    const [g, h] = analyzeIdentityPolicy(doc({ Effect: "Allow", NotAction: "s3:GetObject", Resource: "arn:aws:s3:::b/x", Condition: { Bool: { "aws:SecureTransport": "true" } } }, allow("s3:PutObject", "*", { Condition: { Bool: { "aws:SecureTransport": "true" } } })));
    expect([g.category, g.conditioned, h.category, h.conditioned]).toEqual(["not-action-allow", true, "wildcard-resource-write", true]);
  });
});

describe("analyzeIdentityPolicy: which statements are broad", () => {
  test("a statement without Resource or NotResource reaches every resource", () => {
    expect(analyzeIdentityPolicy(doc({ Effect: "Allow", Action: "s3:PutObject" })).map((f) => [f.category, f.path])).toEqual([["wildcard-resource-write", "Statement[0].Action[0]"]]);
  });

  test("one broad resource among scoped ones makes the statement broad", () => {
    expect(cats(analyzeIdentityPolicy(doc(allow("s3:PutObject", ["arn:aws:s3:::b/x", "*"]))))).toEqual(["wildcard-resource-write"]);
    expect(analyzeIdentityPolicy(doc(allow("s3:PutObject", ["arn:aws:s3:::b/x", "arn:aws:s3:::b/y"])))).toEqual([]);
  });

  test("a wildcard granting only credential or write actions is fine on scoped resources", () => {
    expect(analyzeIdentityPolicy(doc(allow("ssm:GetParam*", `arn:aws:ssm:eu-west-1:${ACCT}:parameter/app/*`), allow("s3:*Object", "arn:aws:s3:::b/app/*")))).toEqual([]);
  });

  test("write actions that support no ARN are not questioned on *", () => {
    expect(analyzeIdentityPolicy(doc(allow("acm:RequestCert*")))).toStrictEqual([]);
    expect(analyzeIdentityPolicy(doc(allow("acm:RequestCertificate")))).toStrictEqual([]);
  });
});

describe("analyzeIdentityPolicy: the document's broad iam:PassRole", () => {
  const runInstances = (...others: object[]) => analyzeIdentityPolicy(doc(...others, allow("ec2:RunInstances"))).map((f) => f.category);

  test("a Deny of iam:PassRole does not count", () => {
    expect(runInstances({ Effect: "Deny", Action: "iam:PassRole", Resource: "*" })).toEqual(["wildcard-resource-write"]);
  });

  test("an Allow of iam:PassRole on named roles does not count", () => {
    expect(runInstances(allow("iam:PassRole", `arn:aws:iam::${ACCT}:role/app-ec2`))).toEqual(["wildcard-resource-write"]);
  });

  test("an Allow of iam:PassRole through a broad wildcard counts", () => {
    expect(runInstances(allow("iam:Pass*"))).toEqual(["service-wildcard-escalation", "escalation-action"]);
  });

  test("a broad Allow with NotAction grants iam:PassRole unless it excludes it", () => {
    expect(runInstances({ Effect: "Allow", NotAction: "s3:*", Resource: "*" })).toEqual(["not-action-allow", "escalation-action"]);
    expect(runInstances({ Effect: "Allow", NotAction: ["iam:PassRole", "s3:GetObject"], Resource: "*" })).toEqual(["not-action-allow", "wildcard-resource-write"]);
    expect(runInstances({ Effect: "Allow", NotAction: ["iam:Pass*"], Resource: "*" })).toEqual(["not-action-allow", "wildcard-resource-write"]);
  });

  test("with a broad PassRole, a wildcard counts only escalation and permissions-management actions", () => {
    // s3:Get* has neither: it stays unflagged next to a broad PassRole.
    expect(analyzeIdentityPolicy(doc(allow(["iam:PassRole", "s3:Get*"]))).map((f) => f.key)).toEqual(["escalation-action::iam:PassRole"]);
    // ec2:RunInst* expands to an escalation action that needs PassRole (not permissions management).
    const f = analyzeIdentityPolicy(doc(allow(["iam:PassRole", "ec2:RunInst*"])));
    expect(f.map((x) => [x.category, x.value])).toEqual([
      ["escalation-action", "iam:PassRole"],
      ["service-wildcard-escalation", { pattern: "ec2:RunInst*", actions: ["ec2:RunInstances"] }],
    ]);
    // Without a broad PassRole, the same wildcard is only a write.
    expect(cats(analyzeIdentityPolicy(doc(allow("ec2:RunInst*"))))).toEqual(["wildcard-resource-write"]);
  });
});

describe("analyzeIdentityPolicy: allowActions", () => {
  test("an exempted full wildcard gives no finding", () => {
    expect(analyzeIdentityPolicy(doc(allow("*")), { allowActions: ["*"] })).toStrictEqual([]);
    // The entry is matched trimmed: " * " is the action "*", which "?" (one character) matches.
    expect(analyzeIdentityPolicy(doc(allow(" * ")), { allowActions: ["?"] })).toStrictEqual([]);
  });

  test("exception patterns are trimmed", () => {
    expect(analyzeIdentityPolicy(doc(allow("iam:PassRole")), { allowActions: [" iam:PassRole "] })).toStrictEqual([]);
  });

  test("any one of several exception patterns exempts an action", () => {
    expect(analyzeIdentityPolicy(doc(allow(["s3:PutObject", "s3:DeleteObject"])), { allowActions: ["s3:PutObject", "s3:DeleteObject"] })).toStrictEqual([]);
  });

  test("exempted actions are left out of a wildcard's escalation verdict", () => {
    const [f] = analyzeIdentityPolicy(doc(allow("iam:Put*", `arn:aws:iam::${ACCT}:role/x`)), { allowActions: ["iam:PutRolePolicy"] });
    expect(f.value).toEqual({ pattern: "iam:Put*", actions: ["iam:PutGroupPolicy", "iam:PutRolePermissionsBoundary", "iam:PutUserPermissionsBoundary", "iam:PutUserPolicy"] });
    expect(f.message).toBe(`Statement[0].Action[0] ${ESC_WILDCARD_BODY("iam:Put*", "iam:PutGroupPolicy, iam:PutRolePermissionsBoundary, iam:PutUserPermissionsBoundary, iam:PutUserPolicy")}`);
  });

  test("exempted actions are left out of a wildcard's credential and write verdicts", () => {
    expect(analyzeIdentityPolicy(doc(allow("ssm:GetParam*")), { allowActions: ["ssm:GetParameter"] }).map((f) => f.value)).toEqual([
      { action: "ssm:GetParam*", actions: ["ssm:GetParameters", "ssm:GetParametersByPath"] },
    ]);
    expect(analyzeIdentityPolicy(doc(allow("s3:*Object")), { allowActions: ["s3:PutObject"] }).map((f) => f.value)).toEqual([
      { action: "s3:*Object", actions: ["s3:DeleteObject", "s3:ReplicateObject", "s3:RestoreObject"] },
    ]);
  });
});

describe("analyzeIdentityPolicy: results per option set", () => {
  test("different ignoreCategories on the same document are judged separately", () => {
    const input = JSON.stringify(doc(allow("*"), allow("s3:PutObject")));
    expect(cats(analyzeIdentityPolicy(input, { ignoreCategories: ["wildcard-action"] }))).toEqual(["wildcard-resource-write"]);
    expect(cats(analyzeIdentityPolicy(input, { ignoreCategories: ["wildcard-resource-write"] }))).toEqual(["wildcard-action"]);
    expect(cats(analyzeIdentityPolicy(input))).toEqual(["wildcard-action", "wildcard-resource-write"]);
  });

  test("values shared between findings are frozen", () => {
    const input = doc(allow(["iam:Put*", "ssm:GetParam*", "s3:PutObject"]));
    const f = analyzeIdentityPolicy(input);
    expect(f.map((x) => x.category)).toEqual(["service-wildcard-escalation", "credential-exposure", "wildcard-resource-write"]);
    for (const x of f) {
      const v = x.value as { actions: string[] };
      expect(Object.isFrozen(v)).toBe(true);
      expect(Object.isFrozen(v.actions)).toBe(true);
    }
    expect(() => (f[0].value as { actions: string[] }).actions.push("x")).toThrow(TypeError);
    expect((analyzeIdentityPolicy(input)[0].value as { actions: string[] }).actions).toHaveLength(5);
  });
});

describe("invalidDocument", () => {
  test("without a path: names the policy document, has no path property", () => {
    const f = invalidDocument("must be valid JSON");
    expect(f).toStrictEqual({
      category: "invalid-document",
      severity: "high",
      key: "invalid-document",
      message: "the policy document must be valid JSON",
      fix: "Write the policy as an AWS policy document (Version, Statement with Effect/Action/Resource).",
    });
    expect(Object.keys(f)).not.toContain("path");
  });

  test("with a path", () => {
    expect(invalidDocument("must be a string", "Statement[0].Action")).toMatchObject({ path: "Statement[0].Action", message: "Statement[0].Action must be a string" });
  });

  test("analyzeIdentityPolicy on text that is not JSON", () => {
    const [f, ...rest] = analyzeIdentityPolicy("not json");
    expect(rest).toEqual([]);
    expect(Object.keys(f)).not.toContain("path");
    expect(f.message).toMatch(/^the policy document must be valid JSON; got /);
  });
});

describe("judgeRawStatements: exact findings", () => {
  const raw = (...s: object[]): IamFinding[] => judgeRawStatements(s);

  test("Deny statements give nothing", () => {
    expect(raw({ Effect: "Deny", Action: "*", Resource: "*" })).toStrictEqual([]);
  });

  test("a whole document is accepted as is", () => {
    expect(judgeRawStatements(doc(allow("s3:GetObject", "arn:aws:s3:::b/*")))).toStrictEqual([]);
    expect(judgeRawStatements(doc({ Effect: "Deny", Action: "*", Resource: "*" }, allow("*", "arn:aws:s3:::b/*"))).map((f) => [f.category, f.path])).toEqual([["wildcard-action", "Statement[1].Action[0]"]]);
    // An array is a list of statements, whatever properties it carries.
    const arr = Object.assign([allow("s3:GetObject", "arn:aws:s3:::b/*")], { Statement: [allow("*")] });
    expect(judgeRawStatements(arr)).toStrictEqual([]);
  });

  test("wildcard-action", () => {
    expect(raw(allow("*", "arn:aws:s3:::b/*"))).toStrictEqual([
      { category: "wildcard-action", severity: "critical", path: "Statement[0].Action[0]", value: "*", key: "wildcard-action", message: 'Statement[0].Action[0] must not allow every action; got "*"', fix: "List the exact actions needed." },
    ]);
  });

  test("unknown-action", () => {
    expect(raw(allow(["s3:GetObject", "s3:GetObjekt"], "arn:aws:s3:::b/*"))).toStrictEqual([
      {
        category: "unknown-action",
        severity: "medium",
        path: "Statement[0].Action[1]",
        value: "s3:GetObjekt",
        key: "unknown-action::s3:GetObjekt",
        message: 'Statement[0].Action[1] must name an action AWS defines; got "s3:GetObjekt"',
        fix: "Fix the spelling (service:ActionName) or remove the action.",
      },
    ]);
  });

  test("privileged-action", () => {
    expect(raw(allow("iam:PassRole", `arn:aws:iam::${ACCT}:role/x`))).toStrictEqual([
      {
        category: "privileged-action",
        severity: "critical",
        path: "Statement[0].Action[0]",
        value: { action: "iam:PassRole", actions: ["iam:PassRole"] },
        key: "privileged-action::iam:PassRole",
        message: 'Statement[0].Action[0] must not grant permissions-management or escalation actions through a raw statement; got "iam:PassRole" (iam:PassRole)',
        fix: "Use the component's typed grants for IAM and compute-with-role actions; raw statements are for plain data-plane access.",
      },
    ]);
  });

  test("wildcard-resource", () => {
    expect(raw(allow("s3:GetObject", ["arn:aws:s3:::b/x", "arn:aws:s3:::*"]))).toStrictEqual([
      {
        category: "wildcard-resource",
        severity: "high",
        path: "Statement[0].Action[0]",
        value: { action: "s3:GetObject", resources: ["arn:aws:s3:::*"] },
        key: "wildcard-resource::s3:GetObject",
        message: 'Statement[0].Action[0] must be scoped to resource ARNs (it supports them); got "s3:GetObject" on ["arn:aws:s3:::*"]',
        fix: 'Name the resource ARNs; only actions that support no ARN (e.g. ecr:GetAuthorizationToken) may use Resource "*".',
      },
    ]);
  });

  test("not-action-allow and not-resource-allow", () => {
    expect(raw({ Effect: "Allow", NotAction: "iam:*", Resource: "arn:aws:s3:::b/*" }, { Effect: "Allow", Action: "sts:GetCallerIdentity", NotResource: "arn:aws:s3:::b/*" })).toStrictEqual([
      {
        category: "not-action-allow",
        severity: "critical",
        path: "Statement[0].NotAction",
        value: ["iam:*"],
        key: "not-action-allow",
        message: 'Statement[0] must not Allow with NotAction; got ["iam:*"]',
        fix: "List the allowed actions in Action.",
      },
      {
        category: "not-resource-allow",
        severity: "high",
        path: "Statement[1].NotResource",
        value: ["arn:aws:s3:::b/*"],
        key: "not-resource-allow",
        message: 'Statement[1] must not Allow with NotResource; got ["arn:aws:s3:::b/*"]',
        fix: "List the allowed resources in Resource.",
      },
    ]);
  });
});
