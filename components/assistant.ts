import * as pulumi from "@pulumi/pulumi";
import { planAwsAssistant } from "../core/aws/plan";
import { SpecValidationError } from "../core/spec/errors";
import type { Assistant, Platform } from "../core/spec/schema";
import type { AssistantEntry, Access, Identity, StaticCredential as InventoryCredential } from "../core/inventory/schema";
import { AwsAssistantRole } from "./aws/assistant-role";
import { ToolAuthorization } from "./aws/verified-permissions";
import { compileToolPolicies } from "../core/cedar/policies";
import { assistantTags } from "../core/aws/plan";
import type { AwsPlatform } from "./aws/platform";
import type { AwsAudit } from "./aws/audit";
import { AwsStaticCredential } from "./aws/static-credential";
import { planAwsCredential, type PackException } from "../core/credentials";
import { inventoryAudit, type CloudAudit } from "../core/audit";
import { roleArnOf } from "../core/audit/stack";
import { AssistantGcpIdentity } from "./gcp/assistant-identity";
import type { GcpWorkloadIdentityFederation } from "./gcp/federation";
import { AssistantGithubAccess } from "./github/assistant-access";
import { awsFederation } from "../core/oidc/subjects";
import type { GcpStackInput } from "../core/gcp/plan";

export interface AssistantIdentityArgs {
  /** The validated assistant spec entry. */
  assistant: Assistant;
  /** Its index in the stack config (for error paths). */
  index: number;
  platform: Platform;
  /** Stack-wide AWS pieces; required when the assistant declares aws access. */
  aws?: AwsPlatform;
  /** The stack's AWS audit trails (two streams), when the stack audits AWS. */
  awsAudit?: AwsAudit;
  /** The stack's GCP settings and federation (pool + providers), when any assistant uses GCP. */
  gcpStack?: GcpStackInput;
  gcpFederation?: GcpWorkloadIdentityFederation;
  /** "Now" for rotation schedules (the program's clock). */
  now: Date;
}

/** One assistant, governed: its identity in each cloud it uses, and the inventory entry auditors read. */
export class AssistantIdentity extends pulumi.ComponentResource {
  public readonly awsRole?: AwsAssistantRole;
  public readonly gcp?: AssistantGcpIdentity;
  public readonly github?: AssistantGithubAccess;
  /** The Verified Permissions policy store that judges each tool call (when the spec declares tools). */
  public readonly tools?: ToolAuthorization;
  /** The assistant's unavoidable static credentials (AWS Secrets Manager). */
  public readonly staticCredentials: AwsStaticCredential[] = [];
  /** Pack exceptions its static credentials need (policy name → exceptions). */
  public readonly policyExceptions: Record<string, PackException[]> = {};
  /** The auditor's inventory entry for this assistant (core/inventory schema). */
  public readonly inventory: pulumi.Output<AssistantEntry>;

  constructor(name: string, args: AssistantIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("assistant-identities:index:AssistantIdentity", name, {}, opts);
    const a = args.assistant;
    const identities: pulumi.Output<Identity>[] = [];
    const access: Access[] = [];
    const credentials: pulumi.Output<InventoryCredential>[] = [];
    const audits: pulumi.Output<CloudAudit>[] = [];

    if (a.aws) {
      const { plan, errors } = planAwsAssistant(a, args.index, args.platform);
      if (!plan) throw new SpecValidationError(errors);
      if (!args.aws) throw new Error(`assistant ${a.name} declares aws access but no AwsPlatform was given`);
      this.awsRole = new AwsAssistantRole(
        `${name}-aws`,
        { plan, boundaryArn: args.aws.boundaryArn, boundary: args.aws.boundary, description: a.purpose, provider: args.aws.providers[plan.federation.issuer] },
        { parent: this },
      );
      identities.push(
        pulumi.all([this.awsRole.roleArn, args.aws.boundaryArn]).apply(([roleArn, boundaryArn]): Identity => ({
          cloud: "aws",
          kind: "aws-iam-role",
          id: roleArn,
          issuer: plan.federation.issuer,
          subject: plan.federation.subject,
          audience: plan.federation.audience,
          maxSessionSeconds: plan.sessionSeconds,
          boundaryArn,
        })),
      );
      for (const g of plan.grants) {
        access.push({
          system: "aws",
          target: g.target,
          resources: [...new Set(g.statements.flatMap((s) => s.Resource ?? []))],
          actions: [...new Set(g.statements.flatMap((s) => s.Action ?? []))].sort(),
          expires: a.expires,
        });
      }
      for (const c of a.staticCredentials.filter((x) => x.store.kind === "aws-secretsmanager")) {
        const cp = planAwsCredential(c, { namePrefix: args.platform.namePrefix, assistant: a, scope: plan.scope, roleArn: roleArnOf(plan), now: args.now });
        const cred = new AwsStaticCredential(`${name}-${c.id}`, { plan: cp, scope: plan.scope, roleName: this.awsRole.roleName, boundaryArn: args.aws.boundaryArn }, { parent: this });
        this.staticCredentials.push(cred);
        credentials.push(cred.inventory);
        for (const [policy, list] of Object.entries(cred.packExceptions)) this.policyExceptions[policy] = [...(this.policyExceptions[policy] ?? []), ...list];
      }
      const stream = args.awsAudit?.assistants[`${a.name}/${a.environment}`];
      if (stream) audits.push(stream);
    }

    if (a.gcp) {
      if (!args.gcpStack || !args.gcpFederation) throw new Error(`assistant ${a.name} declares gcp access but the stack has no platform.gcp`);
      const g = (this.gcp = new AssistantGcpIdentity(`${name}-gcp`, { assistant: a, stack: args.gcpStack, federation: args.gcpFederation }, { parent: this }));
      const p = g.plan;
      identities.push(
        pulumi.output<Identity>({
          cloud: "gcp",
          kind: p.serviceAccount ? "gcp-service-account" : "gcp-wif-principal",
          id: p.serviceAccount?.email ?? p.principal,
          issuer: a.source.issuer,
          subject: p.subject,
          audience: args.gcpFederation.plan.providers.find((x) => x.name === p.providerName)?.allowedAudiences[0] ?? `https://iam.googleapis.com/${p.providerName}`,
          maxSessionSeconds: a.maxSessionSeconds,
        }),
      );
      const byResource = new Map<string, string[]>();
      for (const b of p.bindings) byResource.set(b.resource.name, [...(byResource.get(b.resource.name) ?? []), b.role]);
      for (const [resource, roles] of byResource) access.push({ system: "gcp", target: resource, resources: [resource], actions: [...new Set(roles)].sort(), expires: a.expires });
    }

    if (a.github) {
      const fed = a.aws ? awsFederation(a.source) : undefined;
      const provider = this.gcp && args.gcpFederation?.plan.providers.find((x) => x.name === this.gcp!.plan.providerName);
      this.github = new AssistantGithubAccess(
        `${name}-github`,
        {
          assistant: { ...a, github: a.github },
          namePrefix: args.platform.namePrefix,
          aws: this.awsRole && fed ? { roleArn: this.awsRole.roleArn, trustedSubjects: [fed.subject], subjectIsPattern: fed.subjectIsPattern, extraClaims: fed.extraClaims } : undefined,
          // A revoked assistant's clause leaves its provider's condition on purpose: nothing to agree with.
          gcp:
            this.gcp && provider && !a.revoked
              ? { providerName: this.gcp.plan.providerName, serviceAccountEmail: this.gcp.plan.serviceAccount?.email, principal: this.gcp.plan.principal, attributeCondition: provider.attributeCondition }
              : undefined,
        },
        { parent: this },
      );
      const gp = this.github.plan;
      // Repositories are named within the owner the GitHub provider is configured for (the source's owner).
      const full = (repo: string) => (repo.includes("/") || !gp.owner ? repo : `${gp.owner}/${repo}`);
      if (gp.app) {
        identities.push(
          pulumi.output<Identity>({
            cloud: "github",
            kind: "github-app-installation",
            id: `installation/${gp.app.installationId}`,
            issuer: "https://github.com",
            subject: `installation:${gp.app.installationId}`,
            audience: "https://api.github.com",
            maxSessionSeconds: 3600,
          }),
        );
        for (const repo of gp.app.repositories) access.push({ system: "github", target: `github:${full(repo)}`, resources: [full(repo)], actions: ["app-installation-permissions"], expires: a.expires });
      }
      for (const c of gp.collaborators) access.push({ system: "github", target: `github:${full(c.repository)}`, resources: [full(c.repository)], actions: [c.permission], expires: a.expires });
    }

    if (a.tools) {
      this.tools = new ToolAuthorization(
        `${name}-tools`,
        { bundle: compileToolPolicies(a), description: `Tool calls of ${a.name} (${a.environment})`, tags: assistantTags(a) },
        { parent: this },
      );
    }

    this.inventory = pulumi.all([pulumi.all(identities), pulumi.all(credentials), pulumi.all(audits)]).apply(([ids, creds, streams]): AssistantEntry => ({
      name: a.name,
      owner: a.owner,
      purpose: a.purpose,
      environment: a.environment,
      expires: a.expires,
      revoked: a.revoked,
      ...(a.revokeSessionsIssuedBefore ? { revokeSessionsIssuedBefore: a.revokeSessionsIssuedBefore } : {}),
      identities: ids,
      access,
      staticCredentials: creds,
      audit: inventoryAudit(streams),
    }));
    // The inventory is a stack output (components/stack.ts); registering it on every component too
    // doubled the state and cost ~10% of a 1,000-assistant program (bench/RESULTS.md).
    this.registerOutputs({ awsRoleArn: this.awsRole?.roleArn, toolPolicyStoreId: this.tools?.policyStoreId });
  }
}
