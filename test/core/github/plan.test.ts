import { githubPlan, variablePrefix, type GithubPlanInput } from "../../../core/github/plan";
import { GithubAccess } from "../../../core/spec/github";
import { gh, k8s } from "../gcp/fixtures";

const input = (github: unknown, o: Partial<GithubPlanInput> = {}): GithubPlanInput => ({ name: "pr-reviewer", environment: "prod", revoked: false, source: gh(), github: GithubAccess.parse(github), ...o });
const opts = { namePrefix: "ai", hasAws: true, hasGcp: true, gcpServiceAccount: false };

describe("githubPlan", () => {
  test("protected branches policy", () => {
    const p = githubPlan(input({ environment: { name: "prod", branches: "protected" } }), opts);
    expect(p.environment).toEqual({
      repository: "payments-api",
      environment: "prod",
      preventSelfReview: true,
      canAdminsBypass: false,
      reviewers: [],
      deploymentBranchPolicy: { protectedBranches: true, customBranchPolicies: false },
      branchPatterns: [],
      blocked: false,
    });
    expect(p.variables.map((v) => v.name)).toEqual(["AWS_ROLE_ARN", "GCP_WORKLOAD_IDENTITY_PROVIDER"]);
  });
  test("rulesets: on app repositories and push collaborators, not on pull/triage; opt-out needs a reason", () => {
    expect(githubPlan(input({ collaborator: { username: "bot", permission: "triage", repositories: ["a"] } }), opts).rulesets).toEqual([]);
    expect(githubPlan(input({ collaborator: { username: "bot", permission: "push", repositories: ["b", "a"] } }), opts).rulesets.map((r) => r.repository)).toEqual(["a", "b"]);
    expect(githubPlan(input({ app: { appId: 1, installationId: 2, repositories: ["a"] }, ruleset: { enabled: false, reason: "the org ruleset covers every repository" } }), opts).rulesets).toEqual([]);
  });
  test("kill switch keeps rulesets and the template, removes access and variables, blocks the environment", () => {
    const p = githubPlan(
      input({ app: { appId: 1, installationId: 2, repositories: ["a"] }, environment: { name: "prod", branches: ["main"] }, subjectTemplate: { includeClaimKeys: ["repository_owner_id", "repository_id", "environment"] } }, { revoked: true }),
      opts,
    );
    expect(p.app).toBeUndefined();
    expect(p.variables).toEqual([]);
    expect(p.environment).toMatchObject({ blocked: true, branchPatterns: [], deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true } });
    expect(p.rulesets).toHaveLength(1);
    expect(p.subjectTemplate).toEqual({ repository: "payments-api", useDefault: false, includeClaimKeys: ["repository_owner_id", "repository_id", "environment"] });
  });
  test("a non-GitHub source can still have GitHub access, but no environment or template", () => {
    const p = githubPlan(input({ app: { appId: 1, installationId: 2, repositories: ["a"] } }, { source: k8s() }), opts);
    expect(p.repository).toBeUndefined();
    expect(p.variables).toEqual([]);
    expect(() => githubPlan(input({ subjectTemplate: { includeClaimKeys: ["repository_owner_id", "repository_id", "environment"] } }, { source: k8s() }), opts)).toThrow(/github-actions source/);
  });
  test("variablePrefix", () => expect(variablePrefix("pr-reviewer")).toBe("PR_REVIEWER"));
});
