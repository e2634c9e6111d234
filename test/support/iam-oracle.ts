/**
 * Test oracle on @cloud-copilot/iam-simulate (AGPL: dev dependency, imported from test/ and bench/
 * only). Answers what AWS would decide for an identity request or a web-identity AssumeRole.
 */
import { runSimulation, runUnsafeSimulation } from "@cloud-copilot/iam-simulate";
import { createValidatedPolicy, validateTrustPolicy } from "@cloud-copilot/iam-policy";

export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

export interface IdentityRequest {
  principal: string;
  action: string;
  resource: string;
  accountId: string;
  context?: Record<string, string | string[]>;
  identityPolicies: unknown[];
  boundary?: unknown;
}

export async function decideIdentity(r: IdentityRequest): Promise<Decision> {
  const res: any = await runSimulation(
    {
      request: { principal: r.principal, action: r.action, resource: { resource: r.resource, accountId: r.accountId }, contextVariables: r.context ?? {} },
      identityPolicies: r.identityPolicies.map((policy, i) => ({ name: `p${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(r.boundary ? { permissionBoundaryPolicies: [{ name: "boundary", policy: r.boundary }] } : {}),
    },
    {},
  );
  if (res.errors) throw new Error(`simulation error for ${r.action} on ${r.resource}: ${JSON.stringify(res.errors)}`);
  return res.result.analysis.result as Decision;
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
