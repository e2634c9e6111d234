import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { gcpAssistantPlan, type GcpAssistantInput, type GcpAssistantPlan, type GcpStackInput } from "../../core/gcp/plan";
import { assertConditionSound } from "../../core/gcp/soundness";
import type { GcpBinding } from "../../core/gcp/grants";

export interface AssistantGcpIdentityArgs {
  assistant: GcpAssistantInput;
  stack: GcpStackInput;
  /** The stack's federation component: bindings wait for the pool and providers. */
  federation?: pulumi.Resource;
}

/** What the component exports about one binding (for the inventory and auditors). */
export interface GcpBindingOutput {
  resource: string;
  role: string;
  member: string;
  condition: string;
}

/**
 * One assistant on GCP: a service account impersonated only by its single federated principal
 * (roles/iam.workloadIdentityUser), or direct resource access by that principal; catalogue grants
 * at resource level, every binding conditioned on the expiry. Kill switch: the service account is
 * disabled and every binding removed (the federation drops the assistant from its provider).
 */
export class AssistantGcpIdentity extends pulumi.ComponentResource {
  public readonly plan: GcpAssistantPlan;
  public readonly serviceAccount?: gcp.serviceaccount.Account;
  public readonly serviceAccountEmail: pulumi.Output<string | undefined>;
  public readonly providerName: pulumi.Output<string>;
  public readonly principal: pulumi.Output<string>;
  public readonly bindings: pulumi.Output<GcpBindingOutput[]>;
  public readonly expiresAt: pulumi.Output<string>;
  public readonly revoked: pulumi.Output<boolean>;

  constructor(name: string, args: AssistantGcpIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("assistant-identities:gcp:AssistantGcpIdentity", name, {}, opts);
    const a = args.assistant;
    // Fail closed before anything is registered: the condition admits only this workload.
    assertConditionSound({ name: a.name, source: a.source, github: a.github });
    const p = (this.plan = gcpAssistantPlan(a, args.stack));
    const after: pulumi.Resource[] = args.federation ? [args.federation] : [];

    if (p.serviceAccount) {
      const sa = p.serviceAccount;
      this.serviceAccount = new gcp.serviceaccount.Account(
        `${name}-sa`,
        { project: sa.project, accountId: sa.accountId, displayName: sa.displayName, description: sa.description, disabled: sa.disabled },
        { parent: this },
      );
      after.push(this.serviceAccount);
    }
    const roles: Record<string, gcp.projects.IAMCustomRole> = {};
    for (const r of p.customRoles) {
      roles[`projects/${r.project}/roles/${r.roleId}`] = new gcp.projects.IAMCustomRole(
        `${name}-role-${r.roleId.toLowerCase().replace(/_/g, "-")}`,
        { project: r.project, roleId: r.roleId, title: r.title, description: r.description, permissions: r.permissions, stage: "GA" },
        { parent: this },
      );
    }
    for (const b of p.bindings) this.bind(name, b, [...after, ...(roles[b.role] ? [roles[b.role]!] : [])]);
    for (const u of p.sqlUsers) {
      new gcp.sql.User(`${name}-sql-${u.instance}`, { project: u.project, instance: u.instance, name: u.name, type: u.type }, { parent: this, dependsOn: after });
    }

    this.serviceAccountEmail = pulumi.output(p.serviceAccount?.email);
    this.providerName = pulumi.output(p.providerName);
    this.principal = pulumi.output(p.principal);
    this.bindings = pulumi.output(p.bindings.map((b) => ({ resource: b.resource.name, role: b.role, member: b.member, condition: b.condition.expression })));
    this.expiresAt = pulumi.output(p.expiresAt);
    this.revoked = pulumi.output(p.revoked);
    this.registerOutputs({
      serviceAccountEmail: this.serviceAccountEmail,
      providerName: this.providerName,
      principal: this.principal,
      bindings: this.bindings,
      expiresAt: this.expiresAt,
      revoked: this.revoked,
    });
  }

  private bind(name: string, b: GcpBinding, dependsOn: pulumi.Resource[]): pulumi.CustomResource {
    const o = { parent: this, dependsOn };
    const n = `${name}-${b.key}`;
    const common = { role: b.role, member: b.member, condition: { title: b.condition.title, description: b.condition.description, expression: b.condition.expression } };
    const id = b.resource.ids;
    const project = b.resource.project;
    switch (b.resource.kind) {
      case "service-account":
        return new gcp.serviceaccount.IAMMember(n, { serviceAccountId: id["serviceAccountId"]!, ...common }, o);
      case "storage-bucket":
        return new gcp.storage.BucketIAMMember(n, { bucket: id["bucket"]!, ...common }, o);
      case "bigquery-dataset":
        return new gcp.bigquery.DatasetIamMember(n, { project, datasetId: id["datasetId"]!, ...common }, o);
      case "bigquery-table":
        return new gcp.bigquery.IamMember(n, { project, datasetId: id["datasetId"]!, tableId: id["tableId"]!, ...common }, o);
      case "secret":
        return new gcp.secretmanager.SecretIamMember(n, { project, secretId: id["secretId"]!, ...common }, o);
      case "pubsub-topic":
        return new gcp.pubsub.TopicIAMMember(n, { project, topic: id["topic"]!, ...common }, o);
      case "pubsub-subscription":
        return new gcp.pubsub.SubscriptionIAMMember(n, { project, subscription: id["subscription"]!, ...common }, o);
      case "artifact-registry-repository":
        return new gcp.artifactregistry.RepositoryIamMember(n, { project, location: id["location"]!, repository: id["repository"]!, ...common }, o);
      case "cloud-run-service":
        return new gcp.cloudrunv2.ServiceIamMember(n, { project, location: id["location"]!, name: id["service"]!, ...common }, o);
      case "vertex-endpoint":
        return new gcp.vertex.AiEndpointIamMember(n, { project, location: id["location"]!, endpoint: id["endpoint"]!, ...common }, o);
      case "project":
        return new gcp.projects.IAMMember(n, { project, ...common }, o);
    }
  }
}
