/**
 * The GCP plan: one Workload Identity pool per stack, one provider per issuer (its condition the
 * OR of its assistants' clauses, proven with CEL), and per assistant a service account impersonated
 * only by its single federated principal, or direct resource access by that principal.
 * Pure: the components in components/gcp render it.
 */
import type { Finding } from "../findings";
import { pushTo } from "../group";
import type { Source } from "../spec/schema";
import { subjectFor } from "../oidc/subjects";
import type { GcpAccess, GcpPlatform } from "../spec/gcp";
import type { GithubAccess } from "../spec/github";
import { customRoleId, shortHash, poolId as makePoolId, poolName, providerId as makeProviderId, providerName as makeProviderName, serviceAccountEmail, serviceAccountId, cloudSqlIamUserName } from "./ids";
import { attributeCondition, attributeMapping, conditionClause, googleSubject, principal as makePrincipal, GcpSpecError } from "./provider";
import { assertConditionSound, assertProviderConditionSound } from "./soundness";
import {
  checkBindings,
  checkCustomRoles,
  expandGcpGrant,
  expiryCondition,
  expiryInstant,
  projectRoleBinding,
  type GcpBinding,
  type GcpCustomRole,
  type GcpSqlUser,
} from "./grants";

/** What the GCP plan reads from an assistant (the spec's Assistant satisfies it once `gcp`/`github` are wired). */
export interface GcpAssistantInput {
  name: string;
  environment: string;
  expires: string;
  revoked: boolean;
  source: Source;
  gcp?: GcpAccess;
  github?: Pick<GithubAccess, "environment" | "subjectTemplate">;
}

export interface GcpStackInput {
  namePrefix: string;
  /** The Pulumi stack name (pool id default: `<namePrefix>-<stack>`). */
  stack: string;
  gcp: GcpPlatform;
}

export interface GcpProviderPlan {
  providerId: string;
  /** projects/NUM/locations/global/workloadIdentityPools/POOL/providers/ID */
  name: string;
  issuer: string;
  kind: Source["kind"];
  /** Created by this stack (false: platform.gcp.existingProviders). */
  managed: boolean;
  attributeMapping: Record<string, string>;
  attributeCondition: string;
  /** Empty: the provider's canonical name is the only audience (what google-github-actions/auth requests). */
  allowedAudiences: string[];
  /** Every assistant of this issuer is revoked. */
  disabled: boolean;
  assistants: string[];
  revokedAssistants: string[];
}

export interface GcpFederationPlan {
  projectId: string;
  projectNumber: string;
  poolId: string;
  poolName: string;
  /** Created by this stack (false: platform.gcp.existingPool). */
  managedPool: boolean;
  providers: GcpProviderPlan[];
}

export interface GcpServiceAccountPlan {
  accountId: string;
  email: string;
  /** projects/P/serviceAccounts/EMAIL: what serviceaccount.IAMMember takes as serviceAccountId. */
  name: string;
  project: string;
  displayName: string;
  description: string;
  disabled: boolean;
}

export interface GcpAssistantPlan {
  assistant: string;
  mode: GcpAccess["mode"];
  projectId: string;
  projectNumber: string;
  poolId: string;
  providerId: string;
  providerName: string;
  /** The token's sub = google.subject. */
  subject: string;
  /** principal://…/subject/SUBJECT: the only identity that can act as this assistant. */
  principal: string;
  /** The assistant's clause in its provider's attributeCondition. */
  conditionClause: string;
  serviceAccount?: GcpServiceAccountPlan;
  /** Who the grants are bound to: serviceAccount:EMAIL, or the principal in direct mode. */
  member: string;
  bindings: GcpBinding[];
  customRoles: GcpCustomRole[];
  sqlUsers: GcpSqlUser[];
  expires: string;
  /** The instant access ends (RFC 3339). */
  expiresAt: string;
  revoked: boolean;
}

function poolOf(stack: GcpStackInput): string {
  return makePoolId(stack.namePrefix, stack.stack, stack.gcp.workloadIdentityPoolId);
}

/** The shard (0..providerShards-1) of a workload: a stable hash of its subject, so adding an assistant moves no other. */
function shardOf(source: Source, shards: number): number {
  let h = 2166136261;
  for (const ch of subjectFor(source)) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  // FNV-1a's low bits are weak for near-identical subjects: finish with murmur3's avalanche.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) % shards;
}

function providerIdFor(source: Source, stack: GcpStackInput): string {
  const existing = stack.gcp.existingProviders[source.issuer]?.providerId;
  if (existing) return existing;
  const base = makeProviderId(source.kind, source.issuer);
  const shards = stack.gcp.providerShards ?? 1;
  return shards > 1 ? `${base}-s${shardOf(source, shards)}` : base;
}

/** What a binding grants, as GCP tells bindings apart: resource, role and condition. */
function bindingIdentity(b: Pick<GcpBinding, "resource" | "role" | "condition">): string {
  return JSON.stringify([b.resource.project, b.resource.name, b.role, b.condition.title, b.condition.description, b.condition.expression]);
}

/** The plan for one assistant. Throws (GcpSpecError, GcpConditionError) rather than yield an unsound identity. */
export function gcpAssistantPlan(a: GcpAssistantInput, stack: GcpStackInput): GcpAssistantPlan {
  if (!a.gcp) throw new GcpSpecError(`${a.name} has no gcp section`);
  const gcp = a.gcp;
  const projectId = gcp.projectId ?? stack.gcp.projectId;
  const projectNumber = stack.gcp.projectNumber;
  const pool = poolOf(stack);
  const provider = providerIdFor(a.source, stack);
  const clause = conditionClause(a.source, a.github);
  const subject = googleSubject(a.source);
  const principal = makePrincipal(projectNumber, pool, subject);
  assertConditionSound({ name: a.name, source: a.source, github: a.github }, clause);

  let serviceAccount: GcpServiceAccountPlan | undefined;
  if (gcp.mode === "service-account") {
    const accountId = serviceAccountId(stack.namePrefix, a.name, a.environment);
    const email = serviceAccountEmail(accountId, projectId);
    serviceAccount = {
      accountId,
      email,
      name: `projects/${projectId}/serviceAccounts/${email}`,
      project: projectId,
      displayName: `${a.name} (${a.environment})`.slice(0, 100),
      description: `AI assistant ${a.name} in ${a.environment}; impersonated only by ${subject}; expires ${a.expires}${a.revoked ? "; REVOKED" : ""}`.slice(0, 256),
      disabled: a.revoked,
    };
  }
  const member = serviceAccount ? `serviceAccount:${serviceAccount.email}` : principal;
  const ctx = { project: projectId, expires: a.expires, assistant: a.name, customRole: (what: string) => customRoleId(stack.namePrefix, a.name, a.environment, what) };

  const bindings: GcpBinding[] = [];
  const customRoles: GcpCustomRole[] = [];
  const sqlUsers: GcpSqlUser[] = [];
  if (serviceAccount) {
    bindings.push({
      key: "workload-identity-user",
      grant: "workload-identity-user",
      resource: { kind: "service-account", project: projectId, name: serviceAccount.name, ids: { serviceAccountId: serviceAccount.name } },
      role: "roles/iam.workloadIdentityUser",
      member: principal,
      condition: expiryCondition(a.expires, a.name),
    });
  }
  // What the bindings so far bind, and their keys (each binding's identity computed once).
  const identities = new Set(bindings.map(bindingIdentity));
  const keys = new Set(bindings.map((b) => b.key));
  for (const g of gcp.grants) {
    const e = expandGcpGrant(g, ctx);
    for (const b of e.bindings) {
      // The same grant twice is one binding. Keys fold case and punctuation and are cut at 40
      // characters, and leave out a grant's own project: a distinct grant that meets an earlier
      // key gets a hash of what it binds appended, never dropped.
      const identity = bindingIdentity(b);
      if (identities.has(identity)) continue;
      const key = keys.has(b.key) ? `${b.key}-${shortHash(identity, 8)}` : b.key;
      bindings.push({ ...b, key, member });
      identities.add(identity);
      keys.add(key);
    }
    for (const r of e.customRoles ?? []) if (!customRoles.some((x) => x.project === r.project && x.roleId === r.roleId)) customRoles.push(r);
    if (e.sqlInstance && serviceAccount && !sqlUsers.some((u) => u.project === e.sqlInstance!.project && u.instance === e.sqlInstance!.instance)) {
      sqlUsers.push({ ...e.sqlInstance, name: cloudSqlIamUserName(serviceAccount.email), type: "CLOUD_IAM_SERVICE_ACCOUNT" });
    }
  }
  for (const r of gcp.projectRoles) bindings.push({ ...projectRoleBinding(r, ctx), member });

  const findings = [...checkBindings(bindings, a.expires), ...checkCustomRoles(customRoles)];
  if (findings.length > 0) throw new GcpSpecError(`${a.name}: ${findings.map((f) => f.message).join("; ")}`);

  return {
    assistant: a.name,
    mode: gcp.mode,
    projectId,
    projectNumber,
    poolId: pool,
    providerId: provider,
    providerName: makeProviderName(projectNumber, pool, provider),
    subject,
    principal,
    conditionClause: clause,
    serviceAccount,
    member,
    // Kill switch: a revoked assistant keeps its (disabled) service account and loses every binding.
    bindings: a.revoked ? [] : bindings,
    customRoles,
    sqlUsers,
    expires: a.expires,
    expiresAt: expiryInstant(a.expires),
    revoked: a.revoked,
  };
}

/** The stack's pool and providers, one per issuer. Throws rather than yield an unsound condition. */
export function gcpFederationPlan(assistants: GcpAssistantInput[], stack: GcpStackInput): GcpFederationPlan {
  const pool = poolOf(stack);
  const withGcp = assistants.filter((a) => a.gcp !== undefined);
  assertDistinctPrincipals(withGcp);
  const byIssuer = new Map<string, GcpAssistantInput[]>();
  for (const a of withGcp) pushTo(byIssuer, a.source.issuer, a);
  for (const [issuer, members] of byIssuer) {
    const kinds = [...new Set(members.map((m) => m.source.kind))];
    if (kinds.length > 1) {
      throw new GcpSpecError(`one issuer must have one source kind (one attribute mapping); got ${kinds.join(", ")} for ${issuer} (${members.map((m) => m.name).join(", ")})`);
    }
  }
  // One provider per issuer, or per shard of an issuer's assistants (platform.gcp.providerShards).
  const byProvider = new Map<string, GcpAssistantInput[]>();
  for (const a of withGcp) {
    const id = providerIdFor(a.source, stack);
    const other = byProvider.get(id)?.[0]?.source.issuer;
    if (other !== undefined && other !== a.source.issuer) {
      throw new GcpSpecError(`provider ids must be unique in the pool; got ${id} for both ${other} and ${a.source.issuer} (give each issuer its own providerId in platform.gcp.existingProviders)`);
    }
    pushTo(byProvider, id, a);
  }
  const providers: GcpProviderPlan[] = [];
  const order = ([id, ms]: [string, GcpAssistantInput[]]) => `${ms[0]!.source.issuer}\u0000${id}`;
  for (const [, members] of [...byProvider.entries()].sort((x, y) => order(x).localeCompare(order(y)))) {
    const issuer = members[0]!.source.issuer;
    const kind = members[0]!.source.kind;
    const sorted = [...members].sort((x, y) => x.name.localeCompare(y.name) || x.environment.localeCompare(y.environment));
    const active = sorted.filter((m) => !m.revoked);
    const admitted = active.length > 0 ? active : sorted;
    const existing = stack.gcp.existingProviders[issuer];
    const condition = existing ? existing.attributeCondition : attributeCondition(admitted.map((m) => conditionClause(m.source, m.github)));
    assertProviderConditionSound(
      condition,
      admitted.map((m) => ({ name: m.name, source: m.source, github: m.github })),
    );
    const id = providerIdFor(members[0]!.source, stack);
    const name = makeProviderName(stack.gcp.projectNumber, pool, id);
    const extra = [...new Set(sorted.flatMap((m) => m.gcp?.audiences ?? []))];
    if (extra.length > 9) throw new GcpSpecError(`a provider accepts at most 10 audiences; got ${extra.length + 1} for ${issuer}`);
    providers.push({
      providerId: id,
      name,
      issuer,
      kind,
      managed: !existing,
      attributeMapping: attributeMapping(kind),
      attributeCondition: condition,
      // Listing audiences replaces the default (the canonical name); keep the canonical name in the list.
      allowedAudiences: extra.length > 0 ? [`https://iam.googleapis.com/${name}`, ...extra] : [],
      disabled: active.length === 0,
      assistants: active.map((m) => m.name),
      revokedAssistants: sorted.filter((m) => m.revoked).map((m) => m.name),
    });
  }
  return {
    projectId: stack.gcp.projectId,
    projectNumber: stack.gcp.projectNumber,
    poolId: pool,
    poolName: poolName(stack.gcp.projectNumber, pool),
    managedPool: !stack.gcp.existingPool,
    providers,
  };
}

/**
 * A principal is pool-wide (`principal://…/subject/S` is the same whichever provider maps S), so two
 * assistants must never map to the same subject: one would act as the other (NHI9).
 */
export function assertDistinctPrincipals(assistants: GcpAssistantInput[]): void {
  const seen = new Map<string, string>();
  for (const a of assistants) {
    const s = googleSubject(a.source);
    const other = seen.get(s);
    if (other !== undefined) {
      throw new GcpSpecError(`each assistant must map to its own GCP principal; ${other} and ${a.name} both map to subject ${JSON.stringify(s)} (pin a distinct environment, branch or service account)`);
    }
    seen.set(s, a.name);
  }
}

/** Findings for a stack, for the spec validator: each planning error once, with where it comes from. */
export function gcpFindings(assistants: GcpAssistantInput[], stack: GcpStackInput | undefined): Finding[] {
  const findings: Finding[] = [];
  const withGcp = assistants.map((a, i) => ({ a, i })).filter(({ a }) => a.gcp !== undefined);
  if (withGcp.length === 0) return findings;
  if (!stack) {
    return withGcp.map(({ a, i }) => ({
      message: `must have platform.gcp (projectId, projectNumber) when an assistant has a gcp section; got none for ${a.name}`,
      path: `assistants[${i}].gcp`,
      fix: "add platform.gcp with the project id and number",
    }));
  }
  const planned: GcpAssistantInput[] = [];
  for (const { a, i } of withGcp) {
    try {
      gcpAssistantPlan(a, stack);
      planned.push(a);
    } catch (e) {
      findings.push({ message: (e as Error).message, path: `assistants[${i}].gcp`, fix: "pin exact, immutable claims and use catalogue grants", key: `Gcp::${a.name}` });
    }
  }
  // The federation over the assistants whose own plan holds: one that failed above would fail it
  // again for the same reason, reported a second time at platform.gcp.
  try {
    gcpFederationPlan(planned, stack);
  } catch (e) {
    findings.push({ message: (e as Error).message, path: "platform.gcp", fix: "give every assistant its own exact subject and one source kind per issuer" });
  }
  return findings;
}
