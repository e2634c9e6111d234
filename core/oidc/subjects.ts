/**
 * Subject formats: what `sub` (and the pinned extra claims) a workload identity source yields.
 * Pure; used by the AWS trust builder, the GCP condition builder and the agreement check.
 */
import type { GithubActionsSource, Source } from "../spec/schema";
import { DEFAULT_AUDIENCE_AWS } from "../spec/schema";
export { KUBERNETES_DEFAULT_SERVICE_ACCOUNT, defaultServiceAccountNamespace } from "./default-account";

export interface Federation {
  /** Issuer URL exactly as the token's `iss` claim. */
  issuer: string;
  /** Issuer without scheme: the prefix of AWS condition keys (`<issuerHost>:sub`) and the OIDC provider ARN suffix. */
  issuerHost: string;
  /** The exact `sub` (or a StringLike pattern when `subjectIsPattern`). */
  subject: string;
  subjectIsPattern: boolean;
  /** Audience the workload requests for AWS. */
  audience: string;
  /** Extra claims pinned through STS's GitHub keys (e.g. job_workflow_ref), keyed by claim name. */
  extraClaims: Record<string, string>;
}

export function issuerHost(issuer: string): string {
  return issuer.replace(/^https:\/\//, "");
}

/** The GitHub context part of a default-template subject: environment wins over ref. */
export function githubContext(s: Pick<GithubActionsSource, "environment" | "branch" | "tag">): string {
  if (s.environment !== undefined) return `environment:${s.environment}`;
  if (s.branch !== undefined) return `ref:refs/heads/${s.branch}`;
  if (s.tag !== undefined) return `ref:refs/tags/${s.tag}`;
  throw new Error("a GitHub Actions source needs one of environment, branch or tag");
}

/** `repo:OWNER/REPO` or, in the immutable form, `repo:OWNER@OWNER_ID/REPO@REPO_ID`. */
export function githubRepoPart(s: Pick<GithubActionsSource, "repository" | "ownerId" | "repositoryId" | "subjectForm">): string {
  const [owner, repo] = s.repository.split("/");
  return s.subjectForm === "immutable" ? `repo:${owner}@${s.ownerId}/${repo}@${s.repositoryId}` : `repo:${owner}/${repo}`;
}

/** Claim keys a custom GitHub subject template may use, and where their value comes from. */
export const GITHUB_TEMPLATE_CLAIMS = [
  "repo",
  "context",
  "repository",
  "repository_id",
  "repository_owner",
  "repository_owner_id",
  "environment",
  "ref",
  "ref_type",
  "job_workflow_ref",
] as const;

/** Claims whose value the workflow author controls: a template must not start with one of these. */
export const GITHUB_AUTHOR_CONTROLLED_CLAIMS = ["workflow", "environment", "ref", "context", "head_ref", "base_ref", "job_workflow_ref", "ref_type", "event_name", "actor", "workflow_ref"] as const;

/** The value of one claim for a source, or undefined when the spec does not pin it. */
export function githubClaimValue(s: GithubActionsSource, key: string): string | undefined {
  const [owner] = s.repository.split("/");
  switch (key) {
    case "repo":
      return githubRepoPart(s).slice("repo:".length);
    case "context":
      return githubContext(s);
    case "repository":
      return s.repository;
    case "repository_id":
      return String(s.repositoryId);
    case "repository_owner":
      return owner;
    case "repository_owner_id":
      return String(s.ownerId);
    case "environment":
      return s.environment;
    case "ref":
      return s.branch !== undefined ? `refs/heads/${s.branch}` : s.tag !== undefined ? `refs/tags/${s.tag}` : undefined;
    case "ref_type":
      return s.branch !== undefined ? "branch" : s.tag !== undefined ? "tag" : undefined;
    case "job_workflow_ref":
      return s.workflowRef;
    default:
      return undefined;
  }
}

/** The `sub` GitHub issues for this source: default template (classic or immutable) or the custom claim list. */
export function githubSubject(s: GithubActionsSource): string {
  if (!s.subjectClaims) return `${githubRepoPart(s)}:${githubContext(s)}`;
  return s.subjectClaims
    .map((k) => {
      const v = githubClaimValue(s, k);
      if (v === undefined) throw new Error(`subject claim ${k} has no value in the spec`);
      // `context` contributes its value alone, as GitHub renders it; other keys render `key:value`.
      return k === "context" ? v : `${k}:${v}`;
    })
    .join(":");
}

export function subjectFor(source: Source): string {
  switch (source.kind) {
    case "github-actions":
      return githubSubject(source);
    case "gitlab-ci":
      return `project_path:${source.projectPath}:ref_type:${source.refType}:ref:${source.ref}`;
    case "kubernetes":
      return `system:serviceaccount:${source.namespace}:${source.serviceAccount}`;
    case "spiffe":
      return source.spiffeId;
    case "oidc":
      return source.subject;
  }
}

export function hasWildcard(s: string): boolean {
  return s.includes("*") || s.includes("?");
}

/** The federation an AWS role trusts for this source. */
export function awsFederation(source: Source): Federation {
  const subject = subjectFor(source);
  const extraClaims: Record<string, string> = {};
  if (source.kind === "github-actions" && source.workflowRef && !source.subjectClaims?.includes("job_workflow_ref")) {
    extraClaims["job_workflow_ref"] = source.workflowRef;
  }
  return {
    issuer: source.issuer,
    issuerHost: issuerHost(source.issuer),
    subject,
    subjectIsPattern: hasWildcard(subject),
    audience: source.audience ?? DEFAULT_AUDIENCE_AWS,
    extraClaims,
  };
}
