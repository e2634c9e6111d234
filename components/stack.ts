import * as pulumi from "@pulumi/pulumi";
import { awsFederation } from "../core/oidc/subjects";
import type { StackSpec } from "../core/spec/schema";
import { INVENTORY_SCHEMA_VERSION, type Inventory } from "../core/inventory/schema";
import { AssistantIdentity } from "./assistant";
import { AwsPlatform, type AwsIssuer } from "./aws/platform";
import { AwsAudit } from "./aws/audit";
import { planStackAudit } from "../core/audit/stack";
import { GcpWorkloadIdentityFederation } from "./gcp/federation";
import { gcpStackInput } from "../core/spec/clouds";


export interface DeployedAssistants {
  assistants: AssistantIdentity[];
  aws?: AwsPlatform;
  awsAudit?: AwsAudit;
  gcpFederation?: GcpWorkloadIdentityFederation;
  /** Time-boxed pack exceptions the stack's unavoidable static credentials need (policy name → exceptions). */
  policyExceptions: pulumi.Output<Record<string, unknown[]>>;
  /** The versioned auditor inventory (stack output `inventory`). */
  inventory: pulumi.Output<Inventory>;
}

function awsIssuers(spec: StackSpec): AwsIssuer[] {
  const byIssuer = new Map<string, AwsIssuer>();
  for (const a of spec.assistants) {
    if (!a.aws) continue;
    const f = awsFederation(a.source);
    const entry = byIssuer.get(f.issuer) ?? { issuer: f.issuer, audiences: [], existingArn: spec.platform.aws?.existingOidcProviders[f.issuer] };
    entry.audiences.push(f.audience);
    byIssuer.set(f.issuer, entry);
  }
  return [...byIssuer.values()].sort((x, y) => x.issuer.localeCompare(y.issuer));
}

/** Registers every assistant of a validated spec. Call only with a spec from loadSpec (nothing is registered for a bad one). */
export function deployAssistants(spec: StackSpec, now: Date = new Date()): DeployedAssistants {
  const issuers = awsIssuers(spec);
  const aws =
    issuers.length && spec.platform.aws
      ? new AwsPlatform(`${spec.platform.namePrefix}-aws`, { namePrefix: spec.platform.namePrefix, partition: spec.platform.aws.partition, accountId: spec.platform.aws.accountId, issuers })
      : undefined;
  const auditPlan = planStackAudit(spec).plan;
  const awsAudit = auditPlan ? new AwsAudit(`${spec.platform.namePrefix}-aws-audit`, { plan: auditPlan }) : undefined;
  const gcpStack = gcpStackInput(spec, pulumi.getStack());
  const gcpFederation =
    gcpStack && spec.assistants.some((a) => a.gcp) ? new GcpWorkloadIdentityFederation(`${spec.platform.namePrefix}-gcp`, { assistants: spec.assistants, stack: gcpStack }) : undefined;
  const assistants = spec.assistants.map(
    (a, index) =>
      new AssistantIdentity(`${spec.platform.namePrefix}-${a.name}-${a.environment}`, { assistant: a, index, platform: spec.platform, aws, awsAudit, gcpStack, gcpFederation, now }),
  );
  const policyExceptions = pulumi.output(
    assistants.reduce<Record<string, unknown[]>>((acc, x) => {
      for (const [policy, list] of Object.entries(x.policyExceptions)) (acc[policy] ??= []).push(...list);
      return acc;
    }, {}),
  );
  const generatedAt = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const inventory = pulumi.all(assistants.map((a) => a.inventory)).apply(
    (entries): Inventory => ({
      schemaVersion: INVENTORY_SCHEMA_VERSION,
      project: pulumi.getProject(),
      stack: pulumi.getStack(),
      generatedAt,
      assistants: entries,
      // The pack's findings are added by the offline gate (`plan`); a deployed stack passed it.
      findings: [],
    }),
  );
  return { assistants, aws, awsAudit, gcpFederation, policyExceptions, inventory };
}
