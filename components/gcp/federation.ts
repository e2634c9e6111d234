import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { gcpFederationPlan, type GcpAssistantInput, type GcpFederationPlan, type GcpStackInput } from "../../core/gcp/plan";

export interface GcpWorkloadIdentityFederationArgs {
  /** Every assistant of the stack (those without a gcp section are ignored). */
  assistants: GcpAssistantInput[];
  stack: GcpStackInput;
}

/**
 * The stack's Workload Identity pool and one provider per issuer. The plan is computed here, so
 * every provider condition has been proven with CEL (core/gcp/soundness.ts) before anything is
 * registered: construction throws rather than create an unsound provider.
 */
export class GcpWorkloadIdentityFederation extends pulumi.ComponentResource {
  public readonly plan: GcpFederationPlan;
  public readonly pool?: gcp.iam.WorkloadIdentityPool;
  public readonly providers: Record<string, gcp.iam.WorkloadIdentityPoolProvider> = {};
  /** projects/NUM/locations/global/workloadIdentityPools/POOL */
  public readonly poolName: pulumi.Output<string>;
  /** Provider id → provider resource name (one per issuer, or per shard: platform.gcp.providerShards). */
  public readonly providerNames: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: GcpWorkloadIdentityFederationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("assistant-identities:gcp:WorkloadIdentityFederation", name, {}, opts);
    const p = (this.plan = gcpFederationPlan(args.assistants, args.stack));
    if (p.managedPool) {
      this.pool = new gcp.iam.WorkloadIdentityPool(
        `${name}-pool`,
        {
          project: p.projectId,
          workloadIdentityPoolId: p.poolId,
          displayName: `AI assistants ${args.stack.stack}`.slice(0, 32),
          description: `Workload identities of the AI assistants of stack ${args.stack.stack} (managed by assistant-identities)`.slice(0, 256),
          disabled: false,
        },
        { parent: this },
      );
    }
    for (const pr of p.providers.filter((x) => x.managed)) {
      this.providers[pr.providerId] = new gcp.iam.WorkloadIdentityPoolProvider(
        `${name}-${pr.providerId}`,
        {
          project: p.projectId,
          workloadIdentityPoolId: p.poolId,
          workloadIdentityPoolProviderId: pr.providerId,
          displayName: `${pr.kind} ${pr.providerId}`.slice(0, 32),
          description: `${pr.issuer}; admits ${pr.assistants.join(", ") || "no assistant (all revoked)"}`.slice(0, 256),
          disabled: pr.disabled,
          attributeMapping: pr.attributeMapping,
          attributeCondition: pr.attributeCondition,
          oidc: { issuerUri: pr.issuer, ...(pr.allowedAudiences.length > 0 ? { allowedAudiences: pr.allowedAudiences } : {}) },
        },
        { parent: this, dependsOn: this.pool ? [this.pool] : [] },
      );
    }
    this.poolName = pulumi.output(p.poolName);
    this.providerNames = pulumi.output(Object.fromEntries(p.providers.map((x) => [x.providerId, x.name])));
    this.registerOutputs({ poolName: this.poolName, providerNames: this.providerNames });
  }
}
