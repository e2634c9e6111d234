/**
 * The AWS plan of one static credential: a Secrets Manager secret readable by exactly one assistant
 * role (resource policy: Deny everyone else by aws:PrincipalArn, Allow the role until the exception
 * ends), the read grant added to that role alone, rotation by the spec's Lambda, and, for the
 * truly unavoidable IAM user key, a user confined to one integration's actions with two
 * overlapping keys rotated by replacement. Revoked: reads denied to everyone, rotation kept, keys
 * inactive. Pure: the component in components/aws/static-credential.ts renders it.
 */
import { doc, type AwsScope, type IamDocument, type IamStatement } from "../aws/types";
import { MANAGED_BY } from "../aws/plan";
import type { StaticCredential } from "../spec/credentials";
import { keyRotation, type KeyRotation } from "./schedule";
import { credentialPlanBase, type CredentialPlanBase } from "./common";

/** What the plan needs of the assistant. */
export interface AwsCredentialContext {
  namePrefix: string;
  assistant: { name: string; environment: string; expires: string; revoked: boolean };
  scope: AwsScope;
  /** The assistant role's ARN with its path (what aws:PrincipalArn holds for its sessions). */
  roleArn: string;
  now: Date;
}

export const SECRET_READ_ACTIONS = ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"];
/** Actions the resource policy withholds from everyone but the owner (and the rotation role). */
export const SECRET_DENIED_ACTIONS = ["secretsmanager:GetSecretValue"];
export const STATIC_USER_PATH = "/assistants/static/";

export interface AwsAccessKeyPlan {
  userName: string;
  userPath: string;
  /** The user's only permissions: the integration's actions on its resources, until the exception ends. */
  policy: IamDocument;
  /** Deny-all on the user when the assistant is revoked or the exception has ended. */
  killSwitch: IamDocument | null;
  status: "Active" | "Inactive";
  rotation: KeyRotation;
}

export interface AwsCredentialPlan extends CredentialPlanBase {
  cloud: "aws";
  secretName: string;
  description: string;
  kmsKeyId?: string;
  recoveryWindowInDays: number;
  tags: Record<string, string>;
  roleArn: string;
  resourcePolicy: IamDocument;
  rotation: { lambdaArn: string; roleArn: string; automaticallyAfterDays: number } | null;
  accessKey?: AwsAccessKeyPlan;
}

/** The secret's resource policy: only `roleArn` reads (until `accessEndsAt`), the rotation role keeps rotating; revoked: nobody else reads. */
export function secretResourcePolicy(p: { roleArn: string; rotationRoleArn?: string; accessEndsAt: string; disabled: boolean }): IamDocument {
  const exempt = [...(p.disabled ? [] : [p.roleArn]), ...(p.rotationRoleArn ? [p.rotationRoleArn] : [])];
  const deny: IamStatement = {
    Sid: p.disabled ? "DenyReadsRevoked" : "DenyReadsToEveryoneButOwner",
    Effect: "Deny",
    Principal: { AWS: "*" },
    Action: SECRET_DENIED_ACTIONS,
    Resource: ["*"],
  };
  if (exempt.length) deny.Condition = { StringNotEquals: { "aws:PrincipalArn": exempt } };
  const statements: IamStatement[] = [deny];
  if (!p.disabled) {
    statements.push({
      Sid: "AllowOwnerRead",
      Effect: "Allow",
      Principal: { AWS: p.roleArn },
      Action: SECRET_READ_ACTIONS,
      Resource: ["*"],
      Condition: { DateLessThan: { "aws:CurrentTime": p.accessEndsAt } },
    });
  }
  return doc(statements);
}

/** The identity-policy grant for the owning role (null when reads are denied). */
/**
 * The secret's ARN as a pattern known before it exists (`NAME-??????`: Secrets Manager appends six
 * characters). The read grant uses it, so the grant is never unknown at preview and the pack can judge it.
 */
export function secretArnPattern(plan: Pick<AwsCredentialPlan, "secretName">, scope: AwsScope): string {
  return `arn:${scope.partition}:secretsmanager:${scope.region}:${scope.accountId}:secret:${plan.secretName}-??????`;
}

export function secretReadGrant(plan: Pick<AwsCredentialPlan, "disabled" | "accessEndsAt" | "kmsKeyId" | "id">, secretArn: string, scope: AwsScope): IamDocument | null {
  if (plan.disabled) return null;
  const until = { DateLessThan: { "aws:CurrentTime": plan.accessEndsAt } };
  const statements: IamStatement[] = [{ Sid: "ReadStaticCredential", Effect: "Allow", Action: SECRET_READ_ACTIONS, Resource: [secretArn], Condition: until }];
  if (plan.kmsKeyId) {
    const keyArn = plan.kmsKeyId.startsWith("arn:") ? plan.kmsKeyId : `arn:${scope.partition}:kms:${scope.region}:${scope.accountId}:key/${plan.kmsKeyId}`;
    statements.push({
      Sid: "DecryptViaSecretsManager",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [keyArn],
      Condition: { ...until, StringEquals: { "kms:ViaService": `secretsmanager.${scope.region}.amazonaws.com` } },
    });
  }
  return doc(statements);
}

export function staticCredentialTags(c: StaticCredential, a: AwsCredentialContext["assistant"]): Record<string, string> {
  return {
    "ai-assistant": a.name,
    "ai-environment": a.environment,
    "ai-credential": c.id,
    "ai-credential-system": c.system.slice(0, 256),
    "ai-credential-owner": c.owner.team,
    "ai-credential-contact": c.owner.contact,
    "ai-exception-expires": c.exceptionExpires,
    "ai-rotation-days": String(c.rotationDays),
    "managed-by": MANAGED_BY,
  };
}

export function planAwsCredential(c: StaticCredential, ctx: AwsCredentialContext): AwsCredentialPlan {
  if (c.store.kind !== "aws-secretsmanager") throw new Error(`static credential ${c.id} is not stored in aws-secretsmanager`);
  const a = ctx.assistant;
  const common = credentialPlanBase(c, a, ctx.now);
  const { accessEndsAt, disabled } = common;
  const store = c.store;
  const base = `${ctx.namePrefix}-${a.name}-${a.environment}`;
  const plan: AwsCredentialPlan = {
    cloud: "aws",
    ...common,
    secretName: `${ctx.namePrefix}/${a.name}/${a.environment}/${c.id}`,
    description: `Static credential for ${c.system} used by AI assistant ${a.name} (${a.environment}); owner ${c.owner.team}; exception until ${c.exceptionExpires}. ${c.justification}`.slice(0, 2048),
    ...(store.kmsKeyId ? { kmsKeyId: store.kmsKeyId } : {}),
    recoveryWindowInDays: store.recoveryWindowDays,
    tags: staticCredentialTags(c, a),
    roleArn: ctx.roleArn,
    resourcePolicy: secretResourcePolicy({ roleArn: ctx.roleArn, rotationRoleArn: store.rotationRoleArn, accessEndsAt, disabled }),
    rotation: store.rotationLambdaArn && store.rotationRoleArn ? { lambdaArn: store.rotationLambdaArn, roleArn: store.rotationRoleArn, automaticallyAfterDays: c.rotationDays } : null,
  };
  if (c.awsAccessKey) {
    plan.accessKey = {
      userName: `${base}-${c.id}`.slice(0, 64),
      userPath: STATIC_USER_PATH,
      policy: doc([
        {
          Sid: "LegacyIntegrationOnly",
          Effect: "Allow",
          Action: [...c.awsAccessKey.actions].sort(),
          Resource: [...c.awsAccessKey.resources].sort(),
          Condition: { DateLessThan: { "aws:CurrentTime": accessEndsAt } },
        },
      ]),
      killSwitch: disabled ? doc([{ Sid: "KillSwitchDenyAll", Effect: "Deny", Action: ["*"], Resource: ["*"] }]) : null,
      status: disabled ? "Inactive" : "Active",
      rotation: keyRotation(c.rotationDays, ctx.now),
    };
  }
  return plan;
}
