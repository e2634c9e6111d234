import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { boundaryPolicy } from "../../core/aws/boundary";
import { MANAGED_BY, ROLE_PATH } from "../../core/aws/plan";

export interface AwsIssuer {
  /** Issuer URL (the token's iss). */
  issuer: string;
  /** Audiences (client ids) the provider accepts: the union of every assistant's audience for this issuer. */
  audiences: string[];
  /** ARN of a provider that already exists in the account: referenced, not created. */
  existingArn?: string;
}

export interface AwsPlatformArgs {
  /** Resource name prefix (platform.namePrefix). */
  namePrefix: string;
  /** Partition and account the boundary lives in (its ARN is written out, so it is known at preview). */
  partition: string;
  accountId: string;
  /** One entry per distinct issuer used by the stack's assistants. */
  issuers: AwsIssuer[];
}

/**
 * Stack-wide AWS pieces shared by every assistant: one IAM OIDC provider per issuer (created once,
 * or referenced by ARN), and the permissions boundary every assistant role carries.
 */
export class AwsPlatform extends pulumi.ComponentResource {
  /** Issuer URL → provider resource (absent for providers that already exist). */
  public readonly providers: Record<string, aws.iam.OpenIdConnectProvider> = {};
  /** ARN of the shared permissions boundary (known before it exists; carries the dependency on it). */
  public readonly boundaryArn: pulumi.Output<string>;
  public readonly boundary: aws.iam.Policy;

  constructor(name: string, args: AwsPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("assistant-identities:aws:Platform", name, {}, opts);
    const tags = { "managed-by": MANAGED_BY };
    for (const i of args.issuers) {
      if (i.existingArn) continue;
      const host = i.issuer.replace(/^https:\/\//, "").replace(/[^A-Za-z0-9-]+/g, "-");
      this.providers[i.issuer] = new aws.iam.OpenIdConnectProvider(
        `${name}-oidc-${host}`,
        { url: i.issuer, clientIdLists: [...new Set(i.audiences)].sort(), tags },
        { parent: this },
      );
    }
    const boundaryName = `${args.namePrefix}-assistant-boundary`;
    const boundary = (this.boundary = new aws.iam.Policy(
      `${name}-boundary`,
      {
        name: boundaryName,
        path: ROLE_PATH,
        description: "Permissions boundary of every AI assistant role: denies IAM writes, PassRole, assuming other roles, Organizations and audit tampering.",
        policy: JSON.stringify(boundaryPolicy()),
        tags: { ...tags, "ai-policy-role": "permissions-boundary" },
      },
      { parent: this },
    ));
    // Written out rather than taken from `boundary.arn`, which is unknown at preview: the pack then
    // sees every role's boundary before anything exists. Roles depend on the policy explicitly.
    this.boundaryArn = pulumi.output(`arn:${args.partition}:iam::${args.accountId}:policy${ROLE_PATH}${boundaryName}`);
    this.registerOutputs({ boundaryArn: this.boundaryArn, providerArns: Object.fromEntries(Object.entries(this.providers).map(([k, v]) => [k, v.arn])) });
  }
}
