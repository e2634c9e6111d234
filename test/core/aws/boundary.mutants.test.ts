/**
 * The permissions boundary is a security contract: every assistant role carries exactly this
 * ceiling and exactly these denies. Pinned statement by statement, action by action.
 */
import { AUDIT_TAMPERING, IAM_WRITE_PATTERNS, boundaryPolicy } from "../../../core/aws/boundary";

const IAM_WRITES = [
  "iam:Accept*",
  "iam:Add*",
  "iam:Associate*",
  "iam:Attach*",
  "iam:Change*",
  "iam:Create*",
  "iam:Deactivate*",
  "iam:Delete*",
  "iam:Detach*",
  "iam:Disable*",
  "iam:Enable*",
  "iam:Put*",
  "iam:Reject*",
  "iam:Remove*",
  "iam:Reset*",
  "iam:Resync*",
  "iam:Send*",
  "iam:Set*",
  "iam:Tag*",
  "iam:Untag*",
  "iam:Update*",
  "iam:Upload*",
];

const AUDIT = [
  "cloudtrail:DeleteEventDataStore",
  "cloudtrail:DeleteTrail",
  "cloudtrail:PutEventSelectors",
  "cloudtrail:PutInsightSelectors",
  "cloudtrail:StopEventDataStoreIngestion",
  "cloudtrail:StopLogging",
  "cloudtrail:UpdateEventDataStore",
  "cloudtrail:UpdateTrail",
  "logs:DeleteLogGroup",
  "logs:DeleteLogStream",
  "logs:DeleteRetentionPolicy",
  "logs:DeleteSubscriptionFilter",
  "logs:DisassociateKmsKey",
  "logs:PutRetentionPolicy",
];

/**
 * The module loaded inside the calling test: its lists are module-level constants, and Stryker's
 * per-test coverage credits only the tests during which the code ran (an import at the top of this
 * file runs before any test, so no mutant of these lists would ever be run against this file).
 */
function freshBoundary(): typeof import("../../../core/aws/boundary") {
  let m!: typeof import("../../../core/aws/boundary");
  jest.isolateModules(() => {
    m = require("../../../core/aws/boundary");
  });
  return m;
}

describe("IAM_WRITE_PATTERNS and AUDIT_TAMPERING", () => {
  test("a copy loaded inside the test has exactly these lists, and its boundary denies exactly them", () => {
    const fresh = freshBoundary();
    expect(fresh.IAM_WRITE_PATTERNS).toEqual(IAM_WRITES);
    expect(fresh.AUDIT_TAMPERING).toEqual(AUDIT);
    const denies = Object.fromEntries(fresh.boundaryPolicy().Statement.map((s) => [s.Sid, s.Action]));
    expect(denies.DenyIamWrites).toEqual(IAM_WRITES);
    expect(denies.DenyAuditTampering).toEqual(AUDIT);
  });

  test("IAM_WRITE_PATTERNS is exactly the 22 IAM write verbs (PassRole is denied on its own)", () => {
    expect(IAM_WRITE_PATTERNS).toEqual(IAM_WRITES);
    expect(IAM_WRITE_PATTERNS).not.toContain("iam:PassRole");
    expect(IAM_WRITE_PATTERNS.every((p) => /^iam:[A-Z][a-z]+\*$/.test(p))).toBe(true);
  });

  test("AUDIT_TAMPERING is exactly the CloudTrail and CloudWatch Logs actions that hide or stop the trail", () => {
    expect(AUDIT_TAMPERING).toEqual(AUDIT);
    expect(AUDIT_TAMPERING.every((a) => a.length > 0)).toBe(true);
  });
});

describe("boundaryPolicy", () => {
  test("is exactly the ceiling plus five deny statements, in order", () => {
    const b = boundaryPolicy(); // inside the test: Stryker attributes coverage per test
    expect(b).toStrictEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "CeilingIsTheRolesOwnGrants", Effect: "Allow", Action: ["*"], Resource: ["*"] },
        { Sid: "DenyIamWrites", Effect: "Deny", Action: IAM_WRITES, Resource: ["*"] },
        { Sid: "DenyPassRole", Effect: "Deny", Action: ["iam:PassRole"], Resource: ["*"] },
        {
          Sid: "DenyAssumingOtherRoles",
          Effect: "Deny",
          Action: ["sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoot", "sts:GetFederationToken", "sts:GetSessionToken"],
          Resource: ["*"],
        },
        { Sid: "DenyOrganizationsAndAccount", Effect: "Deny", Action: ["organizations:*", "account:*"], Resource: ["*"] },
        { Sid: "DenyAuditTampering", Effect: "Deny", Action: AUDIT, Resource: ["*"] },
      ],
    });
  });

  test("every statement has a distinct non-empty Sid and applies to every resource", () => {
    const b = boundaryPolicy(); // inside the test: Stryker attributes coverage per test
    const sids = b.Statement.map((s) => s.Sid);
    expect(new Set(sids).size).toBe(6);
    for (const s of b.Statement) {
      expect(s.Sid).toMatch(/^[A-Za-z]+$/);
      expect(s.Resource).toEqual(["*"]);
      expect(s.Action!.length).toBeGreaterThan(0);
      expect(s.Action).not.toContain("");
    }
  });

  test("the deny statements carry the exported lists themselves", () => {
    const b = boundaryPolicy(); // inside the test: Stryker attributes coverage per test
    expect(b.Statement.find((s) => s.Sid === "DenyIamWrites")!.Action).toEqual(IAM_WRITE_PATTERNS);
    expect(b.Statement.find((s) => s.Sid === "DenyAuditTampering")!.Action).toEqual(AUDIT_TAMPERING);
  });

  test("is rendered compactly with the exact JSON AWS receives", () => {
    const b = boundaryPolicy(); // inside the test: Stryker attributes coverage per test
    const json = JSON.stringify(b);
    expect(json.startsWith('{"Version":"2012-10-17","Statement":[{"Sid":"CeilingIsTheRolesOwnGrants","Effect":"Allow","Action":["*"],"Resource":["*"]},{"Sid":"DenyIamWrites","Effect":"Deny","Action":["iam:Accept*",')).toBe(true);
    expect(json).toContain('{"Sid":"DenyPassRole","Effect":"Deny","Action":["iam:PassRole"],"Resource":["*"]}');
  });
});
