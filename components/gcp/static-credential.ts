import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { inventoryCredential, PUBSUB_PUBLISHER_ROLE, type GcpCredentialPlan } from "../../core/credentials";
import type { StaticCredential as InventoryCredential } from "../../core/inventory/schema";

export interface GcpStaticCredentialArgs {
  /** From core/credentials planGcpCredential. */
  plan: GcpCredentialPlan;
}

/**
 * One unavoidable static credential in GCP Secret Manager: the secret with its rotation period,
 * next rotation and Pub/Sub topic (the Secret Manager service agent may publish to it), and one
 * secretAccessor binding for the assistant's principal that ends with the exception; revoked:
 * no binding, rotation kept.
 */
export class GcpStaticCredential extends pulumi.ComponentResource {
  public readonly secret: gcp.secretmanager.Secret;
  public readonly topic: gcp.pubsub.Topic;
  public readonly secretName: pulumi.Output<string>;
  public readonly inventory: pulumi.Output<InventoryCredential>;

  constructor(name: string, args: GcpStaticCredentialArgs, opts?: pulumi.ComponentResourceOptions) {
    super("assistant-identities:gcp:StaticCredential", name, {}, opts);
    const p = args.plan;
    this.topic = new gcp.pubsub.Topic(`${name}-topic`, { project: p.project, name: p.topicName, labels: p.labels }, { parent: this });
    const publisher = new gcp.pubsub.TopicIAMMember(
      `${name}-topic-publisher`,
      { project: p.project, topic: this.topic.name, role: PUBSUB_PUBLISHER_ROLE, member: p.publisherMember },
      { parent: this },
    );
    this.secret = new gcp.secretmanager.Secret(
      `${name}-secret`,
      {
        project: p.project,
        secretId: p.secretId,
        replication: { auto: {} },
        rotation: { rotationPeriod: p.rotation.rotationPeriod, nextRotationTime: p.rotation.nextRotationTime },
        topics: [{ name: this.topic.id }],
        labels: p.labels,
        annotations: p.annotations,
      },
      // Secret Manager moves nextRotationTime itself after each rotation.
      { parent: this, dependsOn: [publisher], ignoreChanges: ["rotation.nextRotationTime"] },
    );
    if (p.accessor) {
      new gcp.secretmanager.SecretIamMember(
        `${name}-accessor`,
        { project: p.project, secretId: this.secret.secretId, role: p.accessor.role, member: p.accessor.member, condition: p.accessor.condition },
        { parent: this },
      );
    }
    this.secretName = this.secret.name;
    this.inventory = this.secret.name.apply((n) => inventoryCredential(p, n ?? p.secretName));
    this.registerOutputs({ secretName: this.secretName, inventory: this.inventory });
  }
}
