import { analyzeIdentityPolicy, isBroadResource, judgeRawStatements } from "../../../core/iam/identity";
import type { IamCategory } from "../../../core/iam/finding";

const ACCT = "123456789012";
const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });
const allow = (Action: string | string[], Resource: string | string[] = "*", extra: object = {}) => ({ Effect: "Allow", Action, Resource, ...extra });
const cats = (findings: { category: IamCategory }[]) => findings.map((f) => f.category).sort();

/** A least-privilege deploy role for one service: exact actions, scoped resources. */
const deployRole = doc(
  allow(["s3:GetObject", "s3:PutObject"], `arn:aws:s3:::artifacts-${ACCT}/app/*`),
  allow("s3:ListBucket", `arn:aws:s3:::artifacts-${ACCT}`, { Condition: { StringLike: { "s3:prefix": ["app/*"] } } }),
  allow(["lambda:UpdateFunctionCode", "lambda:GetFunction", "lambda:PublishVersion"], `arn:aws:lambda:eu-west-1:${ACCT}:function:app-api`),
  allow("iam:PassRole", `arn:aws:iam::${ACCT}:role/app-runtime`, { Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } } }),
  allow("ecr:GetAuthorizationToken", "*"),
  allow(["ecr:BatchGetImage", "ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload"], `arn:aws:ecr:eu-west-1:${ACCT}:repository/app`),
  allow(["cloudformation:DescribeStacks", "sts:GetCallerIdentity"], "*"),
  allow(["logs:CreateLogStream", "logs:PutLogEvents"], `arn:aws:logs:eu-west-1:${ACCT}:log-group:/app/*`),
);

const goodCases: [string, unknown][] = [
  ["least-privilege deploy role", deployRole],
  ["ecr:GetAuthorizationToken on * (it supports no ARN)", doc(allow("ecr:GetAuthorizationToken"))],
  [
    "Deny-with-NotAction region guardrail",
    doc({ Effect: "Deny", NotAction: ["iam:*", "sts:*", "organizations:*"], Resource: "*", Condition: { StringNotEquals: { "aws:RequestedRegion": ["eu-west-1"] } } }),
  ],
  ["explicit Deny of everything (revoke sessions)", doc({ Effect: "Deny", Action: "*", Resource: "*", Condition: { DateLessThan: { "aws:TokenIssueTime": "2026-11-01T00:00:00Z" } } })],
  ["s3:GetObject on a bucket prefix*", doc(allow("s3:GetObject", "arn:aws:s3:::bucket/prefix*"))],
  ["secretsmanager:GetSecretValue on an exact secret ARN with -??????", doc(allow("secretsmanager:GetSecretValue", `arn:aws:secretsmanager:eu-west-1:${ACCT}:secret:app/db-??????`))],
  ["ssm:GetParameter under one path", doc(allow("ssm:GetParameter", `arn:aws:ssm:eu-west-1:${ACCT}:parameter/app/*`))],
  ["iam:PassRole on a role prefix", doc(allow("iam:PassRole", `arn:aws:iam::${ACCT}:role/app-*`))],
  ["sts:AssumeRole on one role", doc(allow("sts:AssumeRole", `arn:aws:iam::${ACCT}:role/reader`))],
  ["read-only wildcard on *", doc(allow(["ec2:Describe*", "s3:List*"]))],
  ["s3:Get* on one bucket", doc(allow("s3:Get*", "arn:aws:s3:::bucket/*"))],
  ["start one instance, pass one role", doc(allow("ec2:StartInstances", `arn:aws:ec2:eu-west-1:${ACCT}:instance/i-0123456789abcdef0`), allow("iam:PassRole", `arn:aws:iam::${ACCT}:role/app-ec2`))],
  ["unknown action (no data, no verdict)", doc(allow("madeup:DoThing", "*"))],
  ["JSON string input", JSON.stringify(doc(allow("s3:GetObject", "arn:aws:s3:::bucket/*")))],
];

const badCases: [string, unknown, IamCategory[]][] = [
  ["AdministratorAccess document (Pulumi ESC's suggestion)", doc(allow("*")), ["wildcard-action"]],
  ['"*:*"', doc(allow("*:*")), ["wildcard-action"]],
  ["Allow with NotAction", doc({ Effect: "Allow", NotAction: ["iam:*", "organizations:*"], Resource: "*" }), ["not-action-allow"]],
  ["Allow with NotResource", doc({ Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::secret/*" }), ["not-resource-allow"]],
  ["iam:* on *", doc(allow("iam:*")), ["service-wildcard-escalation"]],
  ["iam:Put* on one role", doc(allow("iam:Put*", `arn:aws:iam::${ACCT}:role/self`)), ["service-wildcard-escalation"]],
  ["lambda:* on one function", doc(allow("lambda:*", `arn:aws:lambda:eu-west-1:${ACCT}:function:f`)), ["service-wildcard-escalation"]],
  ["sts:* on *", doc(allow("sts:*")), ["service-wildcard-escalation"]],
  ["s3:Put* on * (PutBucketPolicy)", doc(allow("s3:Put*")), ["service-wildcard-escalation"]],
  ["iam:PassRole on *", doc(allow("iam:PassRole")), ["escalation-action"]],
  ["iam:PassRole on role/*", doc(allow("iam:PassRole", `arn:aws:iam::${ACCT}:role/*`)), ["escalation-action"]],
  ["iam:PassRole on * with a PassedToService condition (still judged)", doc(allow("iam:PassRole", "*", { Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } } })), ["escalation-action"]],
  ["sts:AssumeRole on *", doc(allow("sts:AssumeRole")), ["escalation-action"]],
  ["iam:CreateAccessKey on *", doc(allow("iam:CreateAccessKey")), ["escalation-action"]],
  ["iam:AttachRolePolicy on *", doc(allow("iam:AttachRolePolicy")), ["escalation-action"]],
  ["iam:UpdateAssumeRolePolicy on *", doc(allow("iam:UpdateAssumeRolePolicy")), ["escalation-action"]],
  ["PassRole + ec2:RunInstances on *", doc(allow(["iam:PassRole", "ec2:RunInstances"])), ["escalation-action", "escalation-action"]],
  ["PassRole on * in one statement, lambda:CreateFunction on * in another", doc(allow("iam:PassRole"), allow("lambda:CreateFunction")), ["escalation-action", "escalation-action"]],
  ["ec2:RunInstances on * alone", doc(allow("ec2:RunInstances")), ["wildcard-resource-write"]],
  ["ssm:SendCommand on *", doc(allow("ssm:SendCommand")), ["escalation-action"]],
  ["s3:PutObject on *", doc(allow("s3:PutObject")), ["wildcard-resource-write"]],
  ["s3:DeleteObject on arn:aws:s3:::*", doc(allow("s3:DeleteObject", "arn:aws:s3:::*")), ["wildcard-resource-write"]],
  ["dynamodb:PutItem on table/*", doc(allow("dynamodb:PutItem", `arn:aws:dynamodb:eu-west-1:${ACCT}:table/*`)), ["wildcard-resource-write"]],
  ["s3:Delete* on * (DeleteBucketPolicy)", doc(allow("s3:Delete*")), ["service-wildcard-escalation"]],
  ["s3:DeleteObject* on *", doc(allow("s3:DeleteObject*")), ["wildcard-resource-write"]],
  ["secretsmanager:GetSecretValue on *", doc(allow("secretsmanager:GetSecretValue")), ["credential-exposure"]],
  ["secretsmanager:GetSecretValue on secret:*", doc(allow("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:*:*:secret:*")), ["credential-exposure"]],
  ["ssm:GetParameters on *", doc(allow("ssm:GetParameters")), ["credential-exposure"]],
  ["kms:Decrypt on *", doc(allow("kms:Decrypt")), ["credential-exposure"]],
  ["ssm:Get* on *", doc(allow("ssm:Get*")), ["credential-exposure"]],
  [
    "several problems, one document",
    doc(allow("*"), { Effect: "Allow", NotAction: "s3:*", Resource: "*" }, allow(["iam:PassRole", "s3:PutObject", "s3:GetObject"])),
    ["escalation-action", "not-action-allow", "wildcard-action", "wildcard-resource-write"],
  ],
];

describe("analyzeIdentityPolicy: must not flag", () => {
  test.each(goodCases)("%s", (_name, input) => expect(analyzeIdentityPolicy(input)).toEqual([]));
});

describe("analyzeIdentityPolicy: flags exactly", () => {
  test.each(badCases)("%s", (_name, input, expected) => expect(cats(analyzeIdentityPolicy(input))).toEqual([...expected].sort()));
});

describe("analyzeIdentityPolicy: finding details", () => {
  test("path, value, message and fix of an escalation finding", () => {
    const [f] = analyzeIdentityPolicy(doc(allow("s3:GetObject", "arn:aws:s3:::b/*"), allow(["s3:GetObject", "iam:PassRole"])));
    expect(f).toMatchObject({ category: "escalation-action", severity: "critical", path: "Statement[1].Action[1]", value: "iam:PassRole", key: "escalation-action::iam:PassRole" });
    expect(f.message).toMatch(/^Statement\[1\]\.Action\[1\] must .*; got iam:PassRole/);
    expect(f.fix).toMatch(/PassedToService/);
  });

  test("a service wildcard names the expanded offending actions", () => {
    const [f] = analyzeIdentityPolicy(doc(allow("iam:Put*", `arn:aws:iam::${ACCT}:role/self`)));
    const v = f.value as { pattern: string; actions: string[] };
    expect(v.pattern).toBe("iam:Put*");
    expect(v.actions).toEqual(expect.arrayContaining(["iam:PutRolePolicy", "iam:PutUserPolicy", "iam:PutRolePermissionsBoundary"]));
    expect(f.message).toContain("iam:Put");
  });

  test("conditioned statements are still judged, and say so", () => {
    const [f] = analyzeIdentityPolicy(doc(allow("sts:AssumeRole", "*", { Condition: { StringEquals: { "aws:ResourceTag/team": "x" } } })));
    expect(f.conditioned).toBe(true);
    const [g] = analyzeIdentityPolicy(doc(allow("sts:AssumeRole")));
    expect(g).not.toHaveProperty("conditioned");
  });

  test("allowActions exempts actions (exact or wildcard, any case)", () => {
    expect(analyzeIdentityPolicy(doc(allow("iam:PassRole")), { allowActions: ["IAM:PassRole"] })).toEqual([]);
    expect(analyzeIdentityPolicy(doc(allow(["s3:PutObject", "s3:DeleteObject"])), { allowActions: ["s3:*Object"] })).toEqual([]);
    // An exemption removes the exempted actions from a wildcard's verdict, not the others.
    expect(cats(analyzeIdentityPolicy(doc(allow("iam:Put*", `arn:aws:iam::${ACCT}:role/x`)), { allowActions: ["iam:PutRolePolicy"] }))).toEqual(["service-wildcard-escalation"]);
  });

  test("ignoreCategories drops categories", () => {
    expect(cats(analyzeIdentityPolicy(doc(allow("*"), allow("s3:PutObject")), { ignoreCategories: ["wildcard-action"] }))).toEqual(["wildcard-resource-write"]);
  });

  test("an unparseable document is one invalid-document finding", () => {
    const f = analyzeIdentityPolicy('{"Statement": [{"Effect": "Allow", "Action": 5, "Resource": "*"}]}');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ category: "invalid-document", path: "Statement[0].Action" });
    expect(f[0].message).toMatch(/must be a string; got number/);
  });
});

describe("isBroadResource", () => {
  test.each<[string, boolean]>([
    ["*", true],
    ["arn:aws:s3:::*", true],
    ["arn:aws:s3:::*/*", true],
    ["arn:aws:s3:::bucket/*", false],
    ["arn:aws:s3:::bucket/prefix*", false],
    [`arn:aws:iam::${ACCT}:role/*`, true],
    ["arn:aws:iam::*:role/*", true],
    [`arn:aws:iam::${ACCT}:role/app-*`, false],
    ["arn:aws:secretsmanager:*:*:secret:*", true],
    [`arn:aws:secretsmanager:eu-west-1:${ACCT}:secret:app/db-??????`, false],
    [`arn:aws:lambda:eu-west-1:${ACCT}:function:*`, true],
    [`arn:aws:dynamodb:eu-west-1:${ACCT}:table/app`, false],
    ["arn:aws:sqs:*:*:*", true],
  ])("%s → %p", (r, expected) => expect(isBroadResource(r)).toBe(expected));
});

describe("judgeRawStatements (the components' fail-closed escape hatch)", () => {
  const cases: [string, unknown, IamCategory[]][] = [
    ["plain scoped data access", [allow(["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::b/app/*")], []],
    ["wildcard-only action on *", [allow(["ecr:GetAuthorizationToken", "sts:GetCallerIdentity"])], []],
    ["a single statement object", allow("dynamodb:GetItem", `arn:aws:dynamodb:eu-west-1:${ACCT}:table/t`), []],
    ["Deny statements pass", [{ Effect: "Deny", Action: "*", Resource: "*" }], []],
    ['"*" action', [allow("*", "arn:aws:s3:::b/*")], ["wildcard-action"]],
    ["read on * for an action that supports ARNs", [allow("s3:GetObject")], ["wildcard-resource"]],
    ["missing Resource counts as *", [{ Effect: "Allow", Action: "s3:GetObject" }], ["wildcard-resource"]],
    ["NotAction", [{ Effect: "Allow", NotAction: "iam:*", Resource: "arn:aws:s3:::b/*" }], ["not-action-allow"]],
    ["NotResource", [{ Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::b/*" }], ["not-resource-allow", "wildcard-resource"]],
    ["iam:PassRole on one role (privileged whatever its resource)", [allow("iam:PassRole", `arn:aws:iam::${ACCT}:role/x`)], ["privileged-action"]],
    ["s3:Put* on one bucket expands to PutBucketPolicy", [allow("s3:Put*", "arn:aws:s3:::b")], ["privileged-action"]],
    ["lambda:UpdateFunctionCode on one function", [allow("lambda:UpdateFunctionCode", `arn:aws:lambda:eu-west-1:${ACCT}:function:f`)], ["privileged-action"]],
    ["unknown action", [allow("s3:GetObjekt", "arn:aws:s3:::b/*")], ["unknown-action"]],
    ["garbage", [{ Effect: "Allow", Action: 1 }], ["invalid-document"]],
    ["null", null, ["invalid-document"]],
  ];
  test.each(cases)("%s", (_name, input, expected) => expect(cats(judgeRawStatements(input))).toEqual([...expected].sort()));
});
