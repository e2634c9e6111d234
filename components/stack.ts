import * as pulumi from "@pulumi/pulumi";
import { awsFederation } from "../core/oidc/subjects";
import type { StackSpec } from "../core/spec/schema";
import { AssistantIdentity } from "./assistant";
import { AwsPlatform, type AwsIssuer } from "./aws/platform";

export const INVENTORY_SCHEMA_VERSION = "1.0.0";

export interface DeployedAssistants {
  assistants: AssistantIdentity[];
  aws?: AwsPlatform;
  /** The versioned auditor inventory (stack output `inventory`). */
  inventory: pulumi.Output<object>;
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
export function deployAssistants(spec: StackSpec): DeployedAssistants {
  const issuers = awsIssuers(spec);
  const aws = issuers.length ? new AwsPlatform(`${spec.platform.namePrefix}-aws`, { namePrefix: spec.platform.namePrefix, issuers }) : undefined;
  const assistants = spec.assistants.map(
    (a, index) => new AssistantIdentity(`${spec.platform.namePrefix}-${a.name}-${a.environment}`, { assistant: a, index, platform: spec.platform, aws }),
  );
  const inventory = pulumi.all(assistants.map((a) => a.inventory)).apply((entries) => ({
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    project: pulumi.getProject(),
    stack: pulumi.getStack(),
    assistants: entries,
    findings: [],
  }));
  return { assistants, aws, inventory };
}
