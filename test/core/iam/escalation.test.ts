import { canonicalAction } from "../../../core/iam/actions";
import {
  ADMIN_EQUIVALENT_MANAGED_POLICIES,
  CREDENTIAL_EXPOSURE_ACTIONS,
  ESCALATION_ACTIONS,
  ESCALATION_METHODS,
  PASSROLE_COMPUTE_PAIRS,
  adminEquivalentReason,
  isAdminEquivalentManagedPolicyArn,
} from "../../../core/iam/escalation";

describe("escalation data is spelled as iam-data spells it", () => {
  test.each([...ESCALATION_ACTIONS])("escalation action %s exists and is canonical", (a) => expect(canonicalAction(a)).toBe(a));
  test.each([...CREDENTIAL_EXPOSURE_ACTIONS])("credential action %s exists and is canonical", (a) => expect(canonicalAction(a)).toBe(a));
  test.each(PASSROLE_COMPUTE_PAIRS.flatMap((p) => p.actions))("PassRole compute action %s is an escalation action that needs PassRole", (a) => {
    expect(canonicalAction(a)).toBe(a);
    expect(ESCALATION_METHODS.find((m) => m.action === a)?.needsPassRole).toBe(true);
  });
  test("the brief's escalation methods are all present, each with a method", () => {
    const required = [
      "iam:PassRole", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile", "iam:PutRolePolicy", "iam:PutUserPolicy",
      "iam:PutGroupPolicy", "iam:AttachRolePolicy", "iam:AttachUserPolicy", "iam:AttachGroupPolicy", "iam:CreatePolicyVersion",
      "iam:SetDefaultPolicyVersion", "iam:UpdateAssumeRolePolicy", "iam:AddUserToGroup", "iam:DeleteRolePermissionsBoundary",
      "iam:PutRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary", "iam:PutUserPermissionsBoundary", "sts:AssumeRole",
      "lambda:UpdateFunctionCode", "glue:UpdateDevEndpoint", "cloudformation:CreateStack", "cloudformation:UpdateStack",
      "ec2:RunInstances", "ssm:SendCommand", "ssm:StartSession", "codebuild:CreateProject", "datapipeline:CreatePipeline",
      "sagemaker:CreateNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl",
    ];
    for (const a of required) expect(ESCALATION_ACTIONS.has(a)).toBe(true);
    for (const m of ESCALATION_METHODS) expect(m.method.length).toBeGreaterThan(10);
  });
  test("ecr:GetAuthorizationToken is not a credential-exposure action", () => {
    expect(CREDENTIAL_EXPOSURE_ACTIONS.has("ecr:GetAuthorizationToken")).toBe(false);
  });
});

describe("isAdminEquivalentManagedPolicyArn", () => {
  test.each<[string, boolean]>([
    ["arn:aws:iam::aws:policy/AdministratorAccess", true],
    ["arn:aws-cn:iam::aws:policy/AdministratorAccess", true],
    ["arn:aws-us-gov:iam::aws:policy/PowerUserAccess", true],
    ["arn:aws-iso-b:iam::aws:policy/IAMFullAccess", true],
    ["arn:aws:iam::aws:policy/AWSOrganizationsFullAccess", true],
    ["arn:aws:iam::aws:policy/ReadOnlyAccess", false],
    ["arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", false],
    ["arn:aws:iam::aws:policy/AmazonEC2FullAccess", false],
    ["arn:aws:iam::123456789012:policy/AdministratorAccess", false], // a customer policy merely named so: judged by its document
    ["arn:aws:iam::aws:policy/AdministratorAccessX", false],
    ["AdministratorAccess", false],
  ])("%s → %p", (arn, expected) => expect(isAdminEquivalentManagedPolicyArn(arn)).toBe(expected));
  test("every listed policy has a reason", () => {
    for (const [name, why] of ADMIN_EQUIVALENT_MANAGED_POLICIES) expect(adminEquivalentReason(`arn:aws:iam::aws:policy/${name}`)).toBe(why);
  });
});
