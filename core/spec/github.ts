/**
 * The `github` section of an assistant: what the stack manages on GitHub for it.
 *
 * - the repository's OIDC subject template (`use_default: false`), which AWS trust and the GCP
 *   condition are then built to match exactly (core/github/agreement.ts);
 * - a deployment environment with a branch policy and optional reviewers, so an
 *   environment-pinned subject is only obtainable from an approved branch;
 * - the assistant's own access: a GitHub App installation scoped to exactly the listed
 *   repositories (preferred: installation tokens live one hour), or a collaborator with
 *   pull, triage or push only;
 * - a ruleset that keeps the default branch behind a pull-request review the assistant cannot bypass.
 *
 * The repository is the assistant's `source.repository` (a github-actions source). Repository
 * lists hold names inside the GitHub provider's owner, without `OWNER/`.
 * Wired into `Assistant.github` by core/spec/schema.ts.
 */
import { z } from "zod";

const numericId = (what: string) =>
  z
    .number({ message: `expected the numeric ${what}` })
    .int({ message: `expected the numeric ${what} as a whole number` })
    .positive({ message: `expected the numeric ${what} as a positive number` });

const repoName = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, { message: "expected a repository name without the owner (e.g. payments-api)" });
const repoList = z
  .array(repoName)
  .min(1, { message: "expected at least one repository" })
  .refine((rs) => new Set(rs.map((r) => r.toLowerCase())).size === rs.length, { message: "expected each repository once" });

const login = z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/, { message: "expected a GitHub login (1-39 of letters, digits, single '-')" });

/** A branch name or an fnmatch pattern GitHub's deployment branch policy accepts (e.g. release/*). */
const branchPattern = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^\s:~^\\]+$/, { message: "expected a branch name or pattern without spaces, ':', '~', '^' or '\\' (e.g. main, release/*)" })
  .refine((b) => !b.startsWith("refs/"), { message: "expected a branch name without refs/heads/" });

export const GithubApp = z
  .object({
    appId: numericId("GitHub App id"),
    installationId: numericId("installation id (Settings → Integrations → the app → URL)"),
    /** The installation's repositories, exactly: the stack removes any other. */
    repositories: repoList,
  })
  .strict();

export const GithubCollaborator = z
  .object({
    /** The machine user the assistant acts as. */
    username: login,
    /** pull, triage or push only: never maintain or admin (they can change rules and settings). */
    permission: z.enum(["pull", "triage", "push"], { message: "expected permission pull, triage or push (maintain and admin can bypass branch rules)" }),
    repositories: repoList,
  })
  .strict();

export const GithubEnvironment = z
  .object({
    /** Must equal `source.environment`: the name GitHub puts in the token's environment claim. */
    name: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[^\s:*?'"\\,]+$/, { message: "expected an environment name without spaces, ':', '*', '?', quotes, ',' or '\\'" }),
    /** `protected`: only branches with branch protection may deploy; or the exact branches (patterns allowed). */
    branches: z.union([z.literal("protected"), z.array(branchPattern).min(1, { message: "expected at least one branch" })], {
      message: "expected branches to be \"protected\" or a list of branch names",
    }),
    reviewers: z
      .object({
        /** Numeric GitHub user ids (GET /users/LOGIN → .id). */
        users: z.array(numericId("user id")).default([]),
        /** Numeric GitHub team ids (GET /orgs/ORG/teams/SLUG → .id). */
        teams: z.array(numericId("team id")).default([]),
      })
      .strict()
      .refine((r) => r.users.length + r.teams.length >= 1, { message: "expected at least one reviewer (user or team), or leave reviewers out" })
      .refine((r) => r.users.length + r.teams.length <= 6, { message: "expected at most 6 reviewers in total (GitHub's limit)" })
      .optional(),
    /** Reviewers cannot approve their own runs (default true). */
    preventSelfReview: z.boolean().default(true),
    /** Minutes to wait before a run may proceed (0-43200). */
    waitTimerMinutes: z.number().int().min(0).max(43200, { message: "expected at most 43200 minutes (30 days)" }).optional(),
    /** Let repository admins bypass the protection rules (default false). */
    canAdminsBypass: z.boolean().default(false),
  })
  .strict();

/** Claim keys a repository subject template may list. */
export const GITHUB_SUBJECT_TEMPLATE_KEYS = [
  "repository_owner_id",
  "repository_id",
  "repository_owner",
  "repository",
  "repo",
  "context",
  "environment",
  "ref",
  "ref_type",
  "job_workflow_ref",
] as const;
const IMMUTABLE_HEAD = ["repository_owner_id", "repository_id"];
const CONTEXT_KEYS = ["context", "environment", "ref", "job_workflow_ref"];

export const GithubSubjectTemplate = z
  .object({
    /** `include_claim_keys`, in order; the stack sets `use_default: false` on the repository. */
    includeClaimKeys: z
      .array(z.enum(GITHUB_SUBJECT_TEMPLATE_KEYS, { message: `expected a claim key among ${GITHUB_SUBJECT_TEMPLATE_KEYS.join(", ")}` }))
      .min(3, { message: "expected at least three claim keys: repository_owner_id, repository_id and a context key" })
      .refine((ks) => new Set(ks).size === ks.length, { message: "expected each claim key once" })
      .refine((ks) => ks.length >= 2 && IMMUTABLE_HEAD.includes(ks[0]!) && IMMUTABLE_HEAD.includes(ks[1]!), {
        message: "expected the template to start with the immutable keys repository_owner_id and repository_id (names can be renamed and re-registered)",
      })
      .refine((ks) => ks.some((k) => CONTEXT_KEYS.includes(k)), {
        message: "expected a context key (environment, ref, context or job_workflow_ref): without one every workflow in the repository gets the same subject",
      }),
  })
  .strict();

export const GithubRuleset = z
  .object({
    /** false to manage no ruleset (say why in `reason`): e.g. an organisation ruleset already covers it. */
    enabled: z.boolean().default(true),
    reason: z.string().min(10, { message: "expected a reason of at least 10 characters" }).optional(),
    /** Approvals a pull request needs before it merges into the default branch (1-10, default 1). */
    requiredApprovals: z.number().int().min(1, { message: "expected at least 1 approval" }).max(10).default(1),
    requireCodeOwnerReview: z.boolean().default(false),
    /** Default true: a push after approval dismisses it. */
    dismissStaleReviewsOnPush: z.boolean().default(true),
  })
  .strict()
  .refine((r) => r.enabled || r.reason !== undefined, { message: "expected a reason when the ruleset is disabled", path: ["reason"] });

export const GithubAccess = z
  .object({
    app: GithubApp.optional(),
    collaborator: GithubCollaborator.optional(),
    environment: GithubEnvironment.optional(),
    subjectTemplate: GithubSubjectTemplate.optional(),
    /** Keeps the default branch of every repository the assistant can write to behind a review it cannot bypass (on by default). */
    ruleset: GithubRuleset.optional(),
    /** Actions variables (not secrets) carrying the AWS role ARN, the GCP provider and service account (default true). */
    variables: z.boolean().default(true),
  })
  .strict()
  .refine((a) => !(a.app && a.collaborator), {
    message: "expected either app or collaborator, not both (prefer the app: installation tokens live one hour)",
    path: ["collaborator"],
  });

export type GithubApp = z.infer<typeof GithubApp>;
export type GithubCollaborator = z.infer<typeof GithubCollaborator>;
export type GithubEnvironment = z.infer<typeof GithubEnvironment>;
export type GithubSubjectTemplate = z.infer<typeof GithubSubjectTemplate>;
export type GithubSubjectTemplateKey = (typeof GITHUB_SUBJECT_TEMPLATE_KEYS)[number];
export type GithubRuleset = z.infer<typeof GithubRuleset>;
export type GithubAccess = z.infer<typeof GithubAccess>;
export type GithubAccessInput = z.input<typeof GithubAccess>;
