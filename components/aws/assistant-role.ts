import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsAssistantPlan } from "../../core/aws/plan";

export interface AwsAssistantRoleArgs {
  /** The assistant's AWS plan from core/aws/plan.ts (trust, packed grants, kill switch, tags). */
  plan: AwsAssistantPlan;
  /** ARN of the permissions boundary (AwsPlatform.boundaryArn). */
  boundaryArn: pulumi.Input<string>;
  /** Description shown on the role (the assistant's purpose). */
  description: string;
  /** The OIDC provider resource, when the stack creates it (the role is created after it). */
  provider?: pulumi.Resource;
  /** The boundary policy resource (the role is created after it). */
  boundary?: pulumi.Resource;
}

/**
 * One assistant's IAM role: web-identity trust pinned to one subject, the shared boundary, grants
 * as one inline policy or up to ten managed policies, and the kill switch as its own inline policy.
 */
export class AwsAssistantRole extends pulumi.ComponentResource {
  public readonly role: aws.iam.Role;
  public readonly roleArn: pulumi.Output<string>;
  public readonly roleName: pulumi.Output<string>;

  constructor(name: string, args: AwsAssistantRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("assistant-identities:aws:AssistantRole", name, {}, opts);
    const p = args.plan;
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        name: p.roleName,
        path: p.rolePath,
        description: args.description.slice(0, 1000),
        assumeRolePolicy: JSON.stringify(p.trustPolicy),
        maxSessionDuration: p.maxSessionDuration,
        permissionsBoundary: args.boundaryArn,
        forceDetachPolicies: true,
        tags: p.tags,
      },
      { parent: this, dependsOn: [args.provider, args.boundary].filter((r): r is pulumi.Resource => r !== undefined) },
    );
    p.inlinePolicies.forEach((d, i) => {
      new aws.iam.RolePolicy(`${name}-grants${i ? `-${i}` : ""}`, { role: this.role.name, name: i ? `grants-${i}` : "grants", policy: JSON.stringify(d) }, { parent: this });
    });
    p.managedPolicies.forEach((d, i) => {
      const policy = new aws.iam.Policy(
        `${name}-grants-${i + 1}`,
        { name: `${p.roleName}-grants-${i + 1}`, path: p.rolePath, policy: JSON.stringify(d), tags: p.tags },
        { parent: this },
      );
      new aws.iam.RolePolicyAttachment(`${name}-grants-${i + 1}`, { role: this.role.name, policyArn: policy.arn }, { parent: this });
    });
    if (p.killSwitch) {
      new aws.iam.RolePolicy(`${name}-kill-switch`, { role: this.role.name, name: "kill-switch", policy: JSON.stringify(p.killSwitch) }, { parent: this });
    }
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
    this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
  }
}
