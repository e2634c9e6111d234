/**
 * Pins the exact observable behaviour of core/github/plan.ts that plan.test.ts left loose: the
 * whole environment plan for a branch list (patterns, both policy flags, wait timer present or
 * absent), Actions variables per scope and per cloud, App and collaborator access (sorted, removed
 * when revoked), the default ruleset's exact values and name, variablePrefix's collapsing of runs,
 * and GithubSpecError's name and message.
 */
import { GithubSpecError, githubPlan, variablePrefix, type GithubPlanInput } from "../../../core/github/plan";
import { GithubAccess } from "../../../core/spec/github";
import { gh, k8s } from "../gcp/fixtures";

const input = (github: unknown, o: Partial<GithubPlanInput> = {}): GithubPlanInput => ({ name: "pr-reviewer", environment: "prod", revoked: false, source: gh(), github: GithubAccess.parse(github), ...o });
const opts = (o: Partial<{ hasAws: boolean; hasGcp: boolean; gcpServiceAccount: boolean }> = {}) => ({ namePrefix: "ai", hasAws: true, hasGcp: true, gcpServiceAccount: false, ...o });
const APP = { appId: 1, installationId: 2, repositories: ["b", "a"] };
const ruleset = (repository: string) => ({
  repository,
  name: "ai-pr-reviewer-prod-default-branch",
  requiredApprovals: 1,
  requireCodeOwnerReview: false,
  dismissStaleReviewsOnPush: true,
});

describe("GithubSpecError", () => {
  test("an environment on a non-GitHub source throws a GithubSpecError with its name and exact message", () => {
    let err: unknown;
    try {
      githubPlan(input({ environment: { name: "prod", branches: "protected" } }, { source: k8s() }), opts());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GithubSpecError);
    expect((err as Error).name).toBe("GithubSpecError");
    expect((err as Error).message).toBe(
      "pr-reviewer: github.environment and github.subjectTemplate need a github-actions source (the repository they configure); got source kind kubernetes",
    );
  });
});

describe("variablePrefix", () => {
  test.each<[string, string]>([
    ["pr-reviewer", "PR_REVIEWER"],
    ["pr--reviewer", "PR_REVIEWER"],
    ["my.bot 2", "MY_BOT_2"],
    ["a-._b", "A_B"],
  ])("%s → %s (a run of other characters becomes one _)", (name, expected) => expect(variablePrefix(name)).toBe(expected));
});

describe("the whole plan of a GitHub source with an App, a branch-list environment and every variable", () => {
  test("exact plan: sorted App repositories, branch patterns, wait timer, environment-scoped variables, default rulesets", () => {
    const p = githubPlan(
      input({
        app: APP,
        environment: { name: "prod", branches: ["main", "release/*"], waitTimerMinutes: 30, reviewers: { users: [7], teams: [9] } },
      }),
      opts({ gcpServiceAccount: true }),
    );
    expect(p).toStrictEqual({
      assistant: "pr-reviewer",
      owner: "acme",
      repository: "payments-api",
      subjectTemplate: undefined,
      environment: {
        repository: "payments-api",
        environment: "prod",
        preventSelfReview: true,
        canAdminsBypass: false,
        waitTimer: 30,
        reviewers: [{ users: [7], teams: [9] }],
        deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
        branchPatterns: ["main", "release/*"],
        blocked: false,
      },
      variables: [
        { scope: "environment", name: "AWS_ROLE_ARN", from: "aws-role-arn" },
        { scope: "environment", name: "GCP_WORKLOAD_IDENTITY_PROVIDER", from: "gcp-workload-identity-provider" },
        { scope: "environment", name: "GCP_SERVICE_ACCOUNT", from: "gcp-service-account" },
      ],
      app: { installationId: "2", repositories: ["a", "b"] },
      collaborators: [],
      rulesets: [ruleset("a"), ruleset("b")],
      revoked: false,
    });
  });

  test("a wait timer of 0 is kept", () => {
    expect(githubPlan(input({ environment: { name: "prod", branches: "protected", waitTimerMinutes: 0 } }), opts()).environment?.waitTimer).toBe(0);
  });

  test("without waitTimerMinutes the environment plan has no waitTimer key at all", () => {
    const env = githubPlan(input({ environment: { name: "prod", branches: ["main"] } }), opts()).environment;
    expect(env).toStrictEqual({
      repository: "payments-api",
      environment: "prod",
      preventSelfReview: true,
      canAdminsBypass: false,
      reviewers: [],
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
      branchPatterns: ["main"],
      blocked: false,
    });
    expect(Object.keys(env!)).not.toContain("waitTimer");
  });
});

describe("Actions variables", () => {
  test("without a managed environment: repository-scoped, prefixed with the assistant's name", () => {
    expect(githubPlan(input({}), opts({ gcpServiceAccount: true })).variables).toStrictEqual([
      { scope: "repository", name: "PR_REVIEWER_AWS_ROLE_ARN", from: "aws-role-arn" },
      { scope: "repository", name: "PR_REVIEWER_GCP_WORKLOAD_IDENTITY_PROVIDER", from: "gcp-workload-identity-provider" },
      { scope: "repository", name: "PR_REVIEWER_GCP_SERVICE_ACCOUNT", from: "gcp-service-account" },
    ]);
  });

  test("AWS only: just the role ARN variable", () => {
    expect(githubPlan(input({}), opts({ hasGcp: false, gcpServiceAccount: true })).variables).toStrictEqual([
      { scope: "repository", name: "PR_REVIEWER_AWS_ROLE_ARN", from: "aws-role-arn" },
    ]);
  });

  test("GCP only, without a service account: just the provider variable", () => {
    expect(githubPlan(input({}), opts({ hasAws: false })).variables).toStrictEqual([
      { scope: "repository", name: "PR_REVIEWER_GCP_WORKLOAD_IDENTITY_PROVIDER", from: "gcp-workload-identity-provider" },
    ]);
  });

  test("variables: false plans none", () => {
    expect(githubPlan(input({ variables: false }), opts({ gcpServiceAccount: true })).variables).toStrictEqual([]);
  });
});

describe("the assistant's own repository access", () => {
  test("an App is removed when revoked; its rulesets stay", () => {
    const p = githubPlan(input({ app: APP }, { revoked: true }), opts());
    expect(p.app).toBeUndefined();
    expect(p.rulesets).toStrictEqual([ruleset("a"), ruleset("b")]);
  });

  test("a collaborator gets one entry per repository, sorted, with its username and permission", () => {
    const p = githubPlan(input({ collaborator: { username: "review-bot", permission: "push", repositories: ["zeta", "alpha"] } }), opts());
    expect(p.collaborators).toStrictEqual([
      { repository: "alpha", username: "review-bot", permission: "push" },
      { repository: "zeta", username: "review-bot", permission: "push" },
    ]);
    expect(p.app).toBeUndefined();
    expect(p.rulesets).toStrictEqual([ruleset("alpha"), ruleset("zeta")]);
  });

  test("a revoked collaborator has no access; a push collaborator's rulesets stay", () => {
    const p = githubPlan(input({ collaborator: { username: "review-bot", permission: "push", repositories: ["zeta", "alpha"] } }, { revoked: true }), opts());
    expect(p.collaborators).toStrictEqual([]);
    expect(p.rulesets).toStrictEqual([ruleset("alpha"), ruleset("zeta")]);
  });
});

describe("rulesets", () => {
  test("a configured ruleset's values and the name PREFIX-ASSISTANT-ENVIRONMENT-default-branch", () => {
    const p = githubPlan(
      input({ app: { appId: 1, installationId: 2, repositories: ["a"] }, ruleset: { requiredApprovals: 2, requireCodeOwnerReview: true, dismissStaleReviewsOnPush: false } }, { name: "triager", environment: "staging" }),
      { ...opts(), namePrefix: "corp" },
    );
    expect(p.rulesets).toStrictEqual([{ repository: "a", name: "corp-triager-staging-default-branch", requiredApprovals: 2, requireCodeOwnerReview: true, dismissStaleReviewsOnPush: false }]);
  });
});
