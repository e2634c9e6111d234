/**
 * The GitHub plan for one assistant: subject template, deployment environment with its branch
 * policy and reviewers, Actions variables (never secrets), the assistant's own repository access
 * (App installation or collaborator), default-branch rulesets, and the kill switch.
 * Pure: components/github renders it.
 */
import type { Source } from "../spec/schema";
import type { GithubAccess } from "../spec/github";

export interface GithubPlanInput {
  name: string;
  environment: string;
  revoked: boolean;
  source: Source;
  github: GithubAccess;
}

export type GithubVariableSource = "aws-role-arn" | "gcp-workload-identity-provider" | "gcp-service-account";

export interface GithubVariablePlan {
  /** `environment`: on the managed environment; `repository`: repository-wide, prefixed with the assistant's name. */
  scope: "environment" | "repository";
  name: string;
  from: GithubVariableSource;
}

export interface GithubEnvironmentPlan {
  repository: string;
  environment: string;
  preventSelfReview: boolean;
  canAdminsBypass: boolean;
  waitTimer?: number;
  reviewers: { users: number[]; teams: number[] }[];
  deploymentBranchPolicy: { protectedBranches: boolean; customBranchPolicies: boolean };
  /** One RepositoryEnvironmentDeploymentPolicy each; empty with customBranchPolicies = no branch may deploy. */
  branchPatterns: string[];
  /** Kill switch: no branch may deploy. */
  blocked: boolean;
}

export interface GithubRulesetPlan {
  repository: string;
  name: string;
  requiredApprovals: number;
  requireCodeOwnerReview: boolean;
  dismissStaleReviewsOnPush: boolean;
}

export interface GithubAssistantPlan {
  assistant: string;
  /** The source repository's owner and name (github-actions sources only). */
  owner?: string;
  repository?: string;
  subjectTemplate?: { repository: string; useDefault: false; includeClaimKeys: string[] };
  environment?: GithubEnvironmentPlan;
  variables: GithubVariablePlan[];
  app?: { installationId: string; repositories: string[] };
  collaborators: { repository: string; username: string; permission: "pull" | "triage" | "push" }[];
  rulesets: GithubRulesetPlan[];
  revoked: boolean;
}

export class GithubSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GithubSpecError";
  }
}

/** `pr-reviewer` → `PR_REVIEWER`. */
export function variablePrefix(assistant: string): string {
  return assistant.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

export function githubPlan(a: GithubPlanInput, opts: { namePrefix: string; hasAws: boolean; hasGcp: boolean; gcpServiceAccount: boolean }): GithubAssistantPlan {
  const gh = a.github;
  const src = a.source.kind === "github-actions" ? a.source : undefined;
  if (!src && (gh.environment || gh.subjectTemplate)) {
    throw new GithubSpecError(`${a.name}: github.environment and github.subjectTemplate need a github-actions source (the repository they configure); got source kind ${a.source.kind}`);
  }
  const [owner, repository] = src ? (src.repository.split("/") as [string, string]) : [undefined, undefined];

  const subjectTemplate = gh.subjectTemplate && repository ? { repository, useDefault: false as const, includeClaimKeys: [...gh.subjectTemplate.includeClaimKeys] } : undefined;

  let environment: GithubEnvironmentPlan | undefined;
  if (gh.environment && repository) {
    const e = gh.environment;
    const list = e.branches === "protected" ? [] : e.branches;
    environment = {
      repository,
      environment: e.name,
      preventSelfReview: e.preventSelfReview,
      canAdminsBypass: e.canAdminsBypass,
      ...(e.waitTimerMinutes !== undefined ? { waitTimer: e.waitTimerMinutes } : {}),
      reviewers: e.reviewers ? [{ users: [...e.reviewers.users], teams: [...e.reviewers.teams] }] : [],
      deploymentBranchPolicy: a.revoked ? { protectedBranches: false, customBranchPolicies: true } : { protectedBranches: e.branches === "protected", customBranchPolicies: e.branches !== "protected" },
      branchPatterns: a.revoked ? [] : [...list],
      blocked: a.revoked,
    };
  }

  const variables: GithubVariablePlan[] = [];
  if (gh.variables && repository && !a.revoked) {
    const scope = environment ? "environment" : "repository";
    const name = (n: string) => (scope === "environment" ? n : `${variablePrefix(a.name)}_${n}`);
    if (opts.hasAws) variables.push({ scope, name: name("AWS_ROLE_ARN"), from: "aws-role-arn" });
    if (opts.hasGcp) variables.push({ scope, name: name("GCP_WORKLOAD_IDENTITY_PROVIDER"), from: "gcp-workload-identity-provider" });
    if (opts.hasGcp && opts.gcpServiceAccount) variables.push({ scope, name: name("GCP_SERVICE_ACCOUNT"), from: "gcp-service-account" });
  }

  const app = gh.app && !a.revoked ? { installationId: String(gh.app.installationId), repositories: [...gh.app.repositories].sort() } : undefined;
  const collaborators = gh.collaborator && !a.revoked ? [...gh.collaborator.repositories].sort().map((r) => ({ repository: r, username: gh.collaborator!.username, permission: gh.collaborator!.permission })) : [];

  // Rulesets on every repository the assistant can write to (kept when revoked: they protect, they grant nothing).
  const writable = gh.app ? gh.app.repositories : gh.collaborator?.permission === "push" ? gh.collaborator.repositories : [];
  const rs = gh.ruleset ?? { enabled: true, requiredApprovals: 1, requireCodeOwnerReview: false, dismissStaleReviewsOnPush: true };
  const rulesets: GithubRulesetPlan[] = rs.enabled
    ? [...writable].sort().map((r) => ({
        repository: r,
        name: `${opts.namePrefix}-${a.name}-${a.environment}-default-branch`,
        requiredApprovals: rs.requiredApprovals,
        requireCodeOwnerReview: rs.requireCodeOwnerReview,
        dismissStaleReviewsOnPush: rs.dismissStaleReviewsOnPush,
      }))
    : [];

  return { assistant: a.name, owner, repository, subjectTemplate, environment, variables, app, collaborators, rulesets, revoked: a.revoked };
}
