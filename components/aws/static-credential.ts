import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as time from "@pulumiverse/time";
import { inventoryCredential, packExceptions, secretArnPattern, secretReadGrant, type AwsCredentialPlan, type PackException } from "../../core/credentials";
import type { AwsScope } from "../../core/aws/types";
import type { StaticCredential as InventoryCredential } from "../../core/inventory/schema";

export interface AwsStaticCredentialArgs {
  /** From core/credentials planAwsCredential. */
  plan: AwsCredentialPlan;
  scope: AwsScope;
  /** Name of the owning assistant's role: the read grant is added to it alone. */
  roleName: pulumi.Input<string>;
  /** Permissions boundary for the IAM user of an access-key credential (AwsPlatform.boundaryArn). */
  boundaryArn?: pulumi.Input<string>;
}

/**
 * One unavoidable static credential in AWS Secrets Manager: the secret, a resource policy that lets
 * only the owning assistant's role read it, its rotation, and the read grant on that role. For an
 * IAM user key: the user confined to its integration, two keys replaced on offset schedules
 * (@pulumiverse/time Rotating), the newest written to the secret as a write-only value. No output
 * carries key material.
 */
export class AwsStaticCredential extends pulumi.ComponentResource {
  public readonly secret: aws.secretsmanager.Secret;
  public readonly secretArn: pulumi.Output<string>;
  public readonly user?: aws.iam.User;
  /** The inventory fragment (core/inventory StaticCredential): the ARN, never the value. */
  public readonly inventory: pulumi.Output<InventoryCredential>;
  /** Time-boxed policy-pack exceptions this credential needs (empty unless it is an IAM user key). */
  public readonly packExceptions: Record<string, PackException[]>;

  constructor(name: string, args: AwsStaticCredentialArgs, opts?: pulumi.ComponentResourceOptions) {
    super("assistant-identities:aws:StaticCredential", name, {}, opts);
    const p = args.plan;
    this.secret = new aws.secretsmanager.Secret(
      `${name}-secret`,
      {
        name: p.secretName,
        description: p.description,
        ...(p.kmsKeyId ? { kmsKeyId: p.kmsKeyId } : {}),
        recoveryWindowInDays: p.recoveryWindowInDays,
        tags: p.tags,
      },
      { parent: this },
    );
    this.secretArn = this.secret.arn;
    new aws.secretsmanager.SecretPolicy(
      `${name}-policy`,
      { secretArn: this.secret.arn, policy: JSON.stringify(p.resourcePolicy), blockPublicPolicy: true },
      { parent: this },
    );
    if (p.rotation) {
      // Kept when the assistant is revoked: the value keeps changing while nobody may read it.
      new aws.secretsmanager.SecretRotation(
        `${name}-rotation`,
        { secretId: this.secret.id, rotationLambdaArn: p.rotation.lambdaArn, rotationRules: { automaticallyAfterDays: p.rotation.automaticallyAfterDays } },
        { parent: this },
      );
    }
    if (!p.disabled) {
      new aws.iam.RolePolicy(
        `${name}-read`,
        {
          role: args.roleName,
          name: `static-credential-${p.id}`,
          // Known at preview (an ARN pattern, not the secret's output), so the pack can judge it before it exists.
          policy: JSON.stringify(secretReadGrant(p, secretArnPattern(p, args.scope), args.scope)),
        },
        { parent: this, dependsOn: [this.secret] },
      );
    }

    if (p.accessKey) {
      const k = p.accessKey;
      this.user = new aws.iam.User(
        `${name}-user`,
        { name: k.userName, path: k.userPath, ...(args.boundaryArn ? { permissionsBoundary: args.boundaryArn } : {}), forceDestroy: true, tags: p.tags },
        { parent: this },
      );
      new aws.iam.UserPolicy(`${name}-user-policy`, { user: this.user.name, name: "legacy-integration", policy: JSON.stringify(k.policy) }, { parent: this });
      if (k.killSwitch) {
        new aws.iam.UserPolicy(`${name}-user-kill-switch`, { user: this.user.name, name: "kill-switch", policy: JSON.stringify(k.killSwitch) }, { parent: this });
      }
      const keys = k.rotation.slots.map((s) => {
        const rotating = new time.Rotating(`${name}-key-${s.slot}-rotation`, { rfc3339: s.rfc3339, rotationDays: s.rotationDays }, { parent: this });
        return { slot: s.slot, key: new aws.iam.AccessKey(`${name}-key-${s.slot}`, { user: this.user!.name, status: k.status }, { parent: this, replaceWith: [rotating] }) };
      });
      const current = keys.find((x) => x.slot === k.rotation.current)!.key;
      // Write-only: the value goes to Secrets Manager and is not kept in the secret version's state.
      new aws.secretsmanager.SecretVersion(
        `${name}-value`,
        {
          secretId: this.secret.id,
          secretStringWo: pulumi.secret(
            pulumi.all([current.id, current.secret]).apply(([accessKeyId, secretAccessKey]) => JSON.stringify({ accessKeyId, secretAccessKey, slot: k.rotation.current })),
          ),
          secretStringWoVersion: k.rotation.secretVersion,
        },
        { parent: this },
      );
    }
    this.packExceptions = packExceptions(p, { accessKeys: `${name}-key-*`, secret: `${name}-secret` });
    this.inventory = this.secret.arn.apply((arn) => inventoryCredential(p, arn));
    this.registerOutputs({ secretArn: this.secretArn, inventory: this.inventory });
  }
}
