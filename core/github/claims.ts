/**
 * The GitHub side of an identity: the token GitHub Actions issues for a job of the assistant's
 * workflow, under the environment and subject template the stack itself manages, and the `sub`
 * GitHub renders from those claims. This is written from GitHub's rules, independently of
 * core/oidc/subjects.ts (which builds what AWS and GCP trust from the spec), so comparing the two
 * (core/github/agreement.ts) is a real check.
 */
import type { GithubActionsSource } from "../spec/schema";
import type { GithubAccess } from "../spec/github";

export type GithubClaims = Record<string, string>;

/**
 * The source as the stack-managed GitHub config makes it: the environment and the subject template
 * the stack creates win over what the spec's source says. Without a managed template the
 * repository keeps whatever template it has, which the source's subjectClaims describe.
 */
export function githubIssuedSource(source: GithubActionsSource, github?: Pick<GithubAccess, "environment" | "subjectTemplate">): GithubActionsSource {
  if (!github) return source;
  return {
    ...source,
    environment: github.environment?.name ?? source.environment,
    subjectClaims: github.subjectTemplate ? [...github.subjectTemplate.includeClaimKeys] : source.subjectClaims,
  };
}

/** The first exact (wildcard-free) branch of an environment's branch list, if any. */
export function exactEnvironmentBranches(github?: Pick<GithubAccess, "environment">): string[] | undefined {
  const b = github?.environment?.branches;
  if (!b || b === "protected") return undefined;
  if (b.some((x) => /[*?\[\]]/.test(x))) return undefined;
  return [...b];
}

export interface ClaimOptions {
  /** Overrides for single claims (a `undefined` value removes the claim). */
  overrides?: Record<string, string | undefined>;
  /** Subject template keys (`include_claim_keys`); undefined = GitHub's default template. */
  template?: readonly string[];
}

/**
 * The claims of the token GitHub issues for a job of `source` (ids, environment, ref, workflow),
 * with the `sub` GitHub renders for them. Claim values are strings, as in GitHub's tokens.
 */
export function githubClaims(source: GithubActionsSource, opts: ClaimOptions & { github?: Pick<GithubAccess, "environment"> } = {}): GithubClaims {
  const [owner, repo] = source.repository.split("/") as [string, string];
  const envBranches = exactEnvironmentBranches(opts.github);
  const ref =
    source.branch !== undefined
      ? `refs/heads/${source.branch}`
      : source.tag !== undefined
        ? `refs/tags/${source.tag}`
        : envBranches
          ? `refs/heads/${envBranches[0]}`
          : "refs/heads/main";
  const jobWorkflowRef = source.workflowRef ?? `${owner}/${repo}/.github/workflows/assistant.yml@${ref}`;
  const claims: Record<string, string | undefined> = {
    iss: source.issuer,
    aud: source.audience ?? "https://iam.googleapis.com",
    repository: `${owner}/${repo}`,
    repository_id: String(source.repositoryId),
    repository_owner: owner,
    repository_owner_id: String(source.ownerId),
    repository_visibility: "private",
    environment: source.environment,
    ref,
    ref_type: ref.startsWith("refs/tags/") ? "tag" : "branch",
    ref_protected: "true",
    event_name: "workflow_dispatch",
    head_ref: "",
    base_ref: "",
    job_workflow_ref: jobWorkflowRef,
    workflow_ref: jobWorkflowRef,
    workflow: "assistant",
    actor: "octocat",
    actor_id: "583231",
    run_id: "1",
    run_number: "1",
    run_attempt: "1",
    runner_environment: "github-hosted",
    sha: "0000000000000000000000000000000000000000",
    ...opts.overrides,
  };
  const out: GithubClaims = {};
  for (const [k, v] of Object.entries(claims)) if (v !== undefined) out[k] = v;
  if (!opts.overrides || !("sub" in opts.overrides)) {
    out["sub"] = renderGithubSubject(out, { template: opts.template, form: source.subjectForm });
  }
  return out;
}

/** GitHub encodes ':' inside a claim value as %3A so ':' keeps separating claims. */
function enc(v: string): string {
  return v.replace(/:/g, "%3A");
}

/** The context part GitHub renders: environment, else pull_request, else the ref. */
export function renderGithubContext(claims: GithubClaims): string {
  if (claims["environment"] !== undefined && claims["environment"] !== "") return `environment:${enc(claims["environment"])}`;
  if (claims["event_name"] === "pull_request" || claims["event_name"] === "pull_request_target") return "pull_request";
  return `ref:${enc(claims["ref"] ?? "")}`;
}

/**
 * The `sub` GitHub renders for a claim set: the default template
 * (`repo:OWNER/REPO:<context>`, or `repo:OWNER@OWNER_ID/REPO@REPO_ID:<context>` in the immutable
 * form) or a repository template's `include_claim_keys` in order (`key:value` joined by ':'; `repo`
 * and `context` render as in the default).
 */
export function renderGithubSubject(claims: GithubClaims, opts: { template?: readonly string[]; form?: "classic" | "immutable" } = {}): string {
  const [owner, repo] = (claims["repository"] ?? "/").split("/");
  const repoValue = opts.form === "immutable" ? `${owner}@${claims["repository_owner_id"]}/${repo}@${claims["repository_id"]}` : `${owner}/${repo}`;
  if (!opts.template) return `repo:${repoValue}:${renderGithubContext(claims)}`;
  return opts.template
    .map((k) => {
      if (k === "repo") return `repo:${repoValue}`;
      if (k === "context") return renderGithubContext(claims);
      const v = claims[k];
      if (v === undefined) throw new Error(`the subject template lists ${k}, but the token has no ${k} claim (the job must ${k === "environment" ? "use the environment" : `carry ${k}`})`);
      return `${k}:${enc(v)}`;
    })
    .join(":");
}
