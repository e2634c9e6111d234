/**
 * The permissions boundary every assistant role carries: a ceiling that allows what the role's own
 * grants allow, and denies privilege escalation whatever those grants say — IAM writes, passing
 * roles, assuming other roles, Organizations and account changes, and tampering with the audit
 * trail. Shared by every assistant of a stack.
 */
import { doc, type IamDocument } from "./types";

/** Every IAM write or permissions-management action except iam:PassRole (denied on its own). Checked against AWS's action data in tests. */
export const IAM_WRITE_PATTERNS = [
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

export const AUDIT_TAMPERING = [
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

export function boundaryPolicy(): IamDocument {
  return doc([
    // The ceiling: effective permissions are the role's grants intersected with this.
    { Sid: "CeilingIsTheRolesOwnGrants", Effect: "Allow", Action: ["*"], Resource: ["*"] },
    { Sid: "DenyIamWrites", Effect: "Deny", Action: IAM_WRITE_PATTERNS, Resource: ["*"] },
    // No catalogue grant passes a role, so PassRole is denied outright.
    { Sid: "DenyPassRole", Effect: "Deny", Action: ["iam:PassRole"], Resource: ["*"] },
    {
      Sid: "DenyAssumingOtherRoles",
      Effect: "Deny",
      Action: ["sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoot", "sts:GetFederationToken", "sts:GetSessionToken"],
      Resource: ["*"],
    },
    { Sid: "DenyOrganizationsAndAccount", Effect: "Deny", Action: ["organizations:*", "account:*"], Resource: ["*"] },
    { Sid: "DenyAuditTampering", Effect: "Deny", Action: AUDIT_TAMPERING, Resource: ["*"] },
  ]);
}
