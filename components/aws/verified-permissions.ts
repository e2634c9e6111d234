import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { CedarBundle } from "../../core/cedar/policies";

export interface ToolAuthorizationArgs {
  /** The assistant's Cedar plan from core/cedar (compileToolPolicies): schema and policies. */
  bundle: CedarBundle;
  /** Policy store description (≤150 characters), e.g. "Tool calls of pr-reviewer (prod)". */
  description?: string;
  /** Tags on the policy store (the assistant's standard tags). */
  tags?: Record<string, string>;
  /** `ENABLED` keeps the store from being deleted; default: provider default (DISABLED). */
  deletionProtection?: "ENABLED" | "DISABLED";
}

/**
 * One assistant's request-time authorization in Amazon Verified Permissions: a policy store that
 * validates every policy against the schema (STRICT), the Cedar schema, and one static policy per
 * generated policy. The tool gateway calls IsAuthorized on `policyStoreId`.
 */
export class ToolAuthorization extends pulumi.ComponentResource {
  public readonly policyStore: aws.verifiedpermissions.PolicyStore;
  public readonly policyStoreId: pulumi.Output<string>;
  public readonly policyStoreArn: pulumi.Output<string>;
  /** Generated policy id → Verified Permissions policy id (for verifiedPermissionsEngine's `policyIds`). */
  public readonly policyIds: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: ToolAuthorizationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("assistant-identities:aws:ToolAuthorization", name, {}, opts);
    const b = args.bundle;
    this.policyStore = new aws.verifiedpermissions.PolicyStore(
      `${name}-policy-store`,
      {
        validationSettings: { mode: "STRICT" },
        description: (args.description ?? `Tool-call authorization for assistant ${b.principal.id}`).slice(0, 150),
        ...(args.deletionProtection ? { deletionProtection: args.deletionProtection } : {}),
        ...(args.tags ? { tags: args.tags } : {}),
      },
      { parent: this },
    );
    const schema = new aws.verifiedpermissions.Schema(
      `${name}-schema`,
      { policyStoreId: this.policyStore.policyStoreId, definition: { value: JSON.stringify(b.schema) } },
      { parent: this },
    );
    // STRICT validation checks each policy against the schema when it is created: schema first.
    const policies = b.policies.map(
      (p) =>
        [
          p.id,
          new aws.verifiedpermissions.Policy(
            `${name}-${p.id}`,
            { policyStoreId: this.policyStore.policyStoreId, definition: { static: { statement: p.statement, description: p.description } } },
            { parent: this, dependsOn: [schema] },
          ),
        ] as const,
    );
    this.policyStoreId = this.policyStore.policyStoreId;
    this.policyStoreArn = this.policyStore.arn;
    this.policyIds = pulumi
      .all(policies.map(([, pol]) => pol.policyId))
      .apply((ids) => Object.fromEntries(policies.map(([id], i) => [id, ids[i]])));
    this.registerOutputs({ policyStoreId: this.policyStoreId, policyStoreArn: this.policyStoreArn, policyIds: this.policyIds });
  }
}

