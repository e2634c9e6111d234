/**
 * Workload Identity provider content: the attribute mapping per source kind, the attribute
 * condition built from immutable claims, and the principals IAM bindings name.
 */
import type { GithubActionsSource, Source } from "../spec/schema";
import type { GithubAccess } from "../spec/github";
import { hasWildcard, subjectFor } from "../oidc/subjects";
import { defaultServiceAccountNamespace, namespaceIfDefault } from "../oidc/default-account";
import { exactEnvironmentBranches } from "../github/claims";
import { assertParses, celString } from "./cel";
import { poolName } from "./ids";

export class GcpSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GcpSpecError";
  }
}

/** GCP's limit on attributeCondition. */
export const MAX_ATTRIBUTE_CONDITION = 4096;
/** GCP's limit on google.subject, in bytes. */
export const MAX_GOOGLE_SUBJECT_BYTES = 127;

/**
 * attributeMapping per source kind. google.subject is always the token's `sub` (so the principal is
 * the exact subject AWS trusts); custom attributes carry the immutable ids and pins for audit logs
 * and narrow principalSet bindings. Claims that are not always present are guarded with has().
 */
export function attributeMapping(kind: Source["kind"]): Record<string, string> {
  switch (kind) {
    case "github-actions":
      return {
        "google.subject": "assertion.sub",
        "attribute.repository_id": "assertion.repository_id",
        "attribute.repository_owner_id": "assertion.repository_owner_id",
        "attribute.repository": "assertion.repository",
        "attribute.ref": "assertion.ref",
        "attribute.job_workflow_ref": "assertion.job_workflow_ref",
        "attribute.environment": "has(assertion.environment) ? assertion.environment : ''",
      };
    case "gitlab-ci":
      return {
        "google.subject": "assertion.sub",
        "attribute.project_path": "assertion.project_path",
        "attribute.ref": "assertion.ref",
        "attribute.ref_type": "assertion.ref_type",
      };
    case "kubernetes":
      return {
        "google.subject": "assertion.sub",
        "attribute.namespace": "assertion['kubernetes.io']['namespace']",
        "attribute.service_account_name": "assertion['kubernetes.io']['serviceaccount']['name']",
      };
    case "spiffe":
    case "oidc":
      return { "google.subject": "assertion.sub" };
  }
}

function noWildcard(what: string, value: string | undefined): void {
  if (value !== undefined && hasWildcard(value)) {
    throw new GcpSpecError(
      `a GCP identity needs an exact ${what}; got ${JSON.stringify(value)} (a GCP principal names one subject: pin an exact ${what} or leave the gcp section out)`,
    );
  }
}

const eq = (lhs: string, value: string) => `${lhs} == ${celString(value)}`;

/** The conjunction of pins that admits exactly one assistant's workload (its clause in the provider condition). */
export function conditionClause(source: Source, github?: Pick<GithubAccess, "environment">): string {
  switch (source.kind) {
    case "github-actions": {
      // Built from the spec, like AWS trust; core/github/agreement.ts compares it with what GitHub issues.
      const s: GithubActionsSource = source;
      noWildcard("environment", s.environment);
      noWildcard("branch", s.branch);
      noWildcard("tag", s.tag);
      const parts = [eq("assertion.repository_owner_id", String(s.ownerId)), eq("assertion.repository_id", String(s.repositoryId))];
      if (s.environment !== undefined) parts.push(eq("assertion.environment", s.environment));
      if (s.branch !== undefined) parts.push(eq("assertion.ref", `refs/heads/${s.branch}`));
      else if (s.tag !== undefined) parts.push(eq("assertion.ref", `refs/tags/${s.tag}`));
      else {
        // Environment-only pin: when the stack manages the environment with exact branches, pin them here too.
        const branches = exactEnvironmentBranches(github);
        if (branches && s.environment !== undefined && github?.environment?.name === s.environment) {
          parts.push(branches.length === 1 ? eq("assertion.ref", `refs/heads/${branches[0]}`) : `assertion.ref in [${branches.map((b) => celString(`refs/heads/${b}`)).join(", ")}]`);
        }
      }
      if (s.environment === undefined && s.branch === undefined && s.tag === undefined) {
        throw new GcpSpecError("a GitHub Actions source needs one of environment, branch or tag for GCP (the condition would admit every workflow of the repository)");
      }
      if (s.workflowRef !== undefined) parts.push(eq("assertion.job_workflow_ref", s.workflowRef));
      return parts.join(" && ");
    }
    case "gitlab-ci":
      noWildcard("ref", source.ref);
      return [eq("assertion.project_path", source.projectPath), eq("assertion.ref_type", source.refType), eq("assertion.ref", source.ref)].join(" && ");
    case "kubernetes":
      return [
        eq("assertion.sub", `system:serviceaccount:${source.namespace}:${source.serviceAccount}`),
        eq("assertion['kubernetes.io']['namespace']", source.namespace),
        eq("assertion['kubernetes.io']['serviceaccount']['name']", source.serviceAccount),
      ].join(" && ");
    case "spiffe":
      noWildcard("SPIFFE ID", source.spiffeId);
      return eq("assertion.sub", source.spiffeId);
    case "oidc":
      noWildcard("subject", source.subject);
      return eq("assertion.sub", source.subject);
  }
}

/** A provider condition from the clauses of the assistants it admits: one clause, or clauses ORed in parentheses. */
export function attributeCondition(clauses: string[]): string {
  const unique = [...new Set(clauses)];
  if (unique.length === 0) throw new GcpSpecError("a provider condition needs at least one assistant clause (an empty condition admits every token of the issuer)");
  const condition = unique.length === 1 ? unique[0]! : unique.map((c) => `(${c})`).join(" || ");
  if (condition.length > MAX_ATTRIBUTE_CONDITION) {
    throw new GcpSpecError(
      `the attributeCondition must be at most ${MAX_ATTRIBUTE_CONDITION} characters; got ${condition.length} for ${unique.length} assistants (set platform.gcp.providerShards to spread this issuer's assistants over more providers, or split them over more stacks)`,
    );
  }
  assertParses(condition);
  return condition;
}

/** The `google.subject` an assistant's token maps to (its `sub`), checked against GCP's 127-byte limit. */
export function googleSubject(source: Source): string {
  const subject = subjectFor(source);
  const bytes = Buffer.byteLength(subject, "utf8");
  if (bytes > MAX_GOOGLE_SUBJECT_BYTES) {
    throw new GcpSpecError(
      `google.subject must be at most ${MAX_GOOGLE_SUBJECT_BYTES} bytes; got ${bytes} for ${JSON.stringify(subject)} (shorten the subject: fewer template claim keys, shorter environment or branch names)`,
    );
  }
  if (hasWildcard(subject)) throw new GcpSpecError(`a GCP principal names one exact subject; got the pattern ${JSON.stringify(subject)}`);
  return subject;
}

/** `principal://…/subject/SUBJECT`: exactly one federated identity. */
export function principal(projectNumber: string, pool: string, subject: string): string {
  if (subject === "" || subject === "*") throw new GcpSpecError(`a principal needs an exact subject; got ${JSON.stringify(subject)}`);
  return `principal://iam.googleapis.com/${poolName(projectNumber, pool)}/subject/${subject}`;
}

/**
 * Attributes a principalSet may name: each identifies one workload only together with the
 * provider's condition, so the value must be exact. Author-controlled attributes (ref,
 * environment) are refused on their own.
 */
export const NARROW_PRINCIPALSET_ATTRIBUTES = ["repository_id", "job_workflow_ref", "service_account_name"] as const;

/** `principalSet://…/attribute.NAME/VALUE`, refused for `*`, empty values and attributes that are not narrow. */
export function principalSet(projectNumber: string, pool: string, attribute: string, value: string): string {
  if (!(NARROW_PRINCIPALSET_ATTRIBUTES as readonly string[]).includes(attribute)) {
    throw new GcpSpecError(`a principalSet must name one of the attributes ${NARROW_PRINCIPALSET_ATTRIBUTES.join(", ")}; got attribute.${attribute}`);
  }
  if (value === "" || hasWildcard(value)) throw new GcpSpecError(`a principalSet needs an exact attribute value; got ${JSON.stringify(value)}`);
  return `principalSet://iam.googleapis.com/${poolName(projectNumber, pool)}/attribute.${attribute}/${value}`;
}

/** A principalSet of every identity in a workload identity pool or a workforce pool. */
export function isWholePool(member: string): boolean {
  return /^principalSet:\/\/iam\.googleapis\.com\/(.*\/workloadIdentityPools|locations\/[^/]+\/workforcePools)\/[^/]+\/\*$/.test(member);
}

/**
 * The namespace whose `default` Kubernetes service account an IAM member names, else undefined:
 * GKE Workload Identity's `serviceAccount:PROJECT.svc.id.goog[NS/default]`, its principal form
 * `principal://…/workloadIdentityPools/PROJECT.svc.id.goog/subject/ns/NS/sa/default`, or a
 * federated cluster's `principal://…/subject/system:serviceaccount:NS:default` (or SPIRE's
 * `spiffe://TD/ns/NS/sa/default`). Every pod of NS that names no service account runs as it.
 */
export function defaultServiceAccountMember(member: string): string | undefined {
  const gke = /^serviceAccount:[^[\]]+\.svc\.id\.goog\[([^/\]]+)\/([^/\]]+)\]$/.exec(member);
  if (gke) return namespaceIfDefault(gke[1], gke[2]);
  const subject = /^principal:\/\/iam\.googleapis\.com\/projects\/[^/]+\/locations\/[^/]+\/workloadIdentityPools\/([^/]+)\/subject\/(.+)$/.exec(member);
  if (!subject) return undefined;
  const gkeSubject = /^ns\/([^/]+)\/sa\/([^/]+)$/.exec(subject[2]);
  if (gkeSubject && subject[1].endsWith(".svc.id.goog")) return namespaceIfDefault(gkeSubject[1], gkeSubject[2]);
  return defaultServiceAccountNamespace(subject[2]);
}

/**
 * A GKE principal set over every pod of a Kubernetes namespace (`…/PROJECT.svc.id.goog/namespace/NS`,
 * whatever its service account or cluster) or of a cluster (`…/kubernetes.cluster/https://container…`),
 * with the namespace or cluster URL; undefined for any other member.
 */
export function kubernetesScopeMember(member: string): { scope: "namespace" | "cluster"; value: string } | undefined {
  const m = /^principalSet:\/\/iam\.googleapis\.com\/projects\/[^/]+\/locations\/[^/]+\/workloadIdentityPools\/[^/]+\.svc\.id\.goog\/(namespace|kubernetes\.cluster)\/(.+)$/.exec(member);
  if (!m) return undefined;
  return m[1] === "namespace" ? { scope: "namespace", value: m[2] } : { scope: "cluster", value: m[2] };
}

/** True for members that admit a whole pool, a whole Kubernetes namespace or cluster, or the public: never bind these. */
export function isBroadMember(member: string): boolean {
  return (
    member === "allUsers" ||
    member === "allAuthenticatedUsers" ||
    isWholePool(member) ||
    kubernetesScopeMember(member) !== undefined ||
    /^principalSet:\/\/.*\/(group|attribute\.[a-z0-9_]+)\/\*?$/.test(member)
  );
}
