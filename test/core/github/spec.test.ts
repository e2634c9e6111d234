import { GithubAccess, GithubSubjectTemplate } from "../../../core/spec/github";

const msgs = (input: unknown) => {
  const r = GithubAccess.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("GithubAccess schema", () => {
  test("a full section parses with defaults", () => {
    expect(
      GithubAccess.parse({
        app: { appId: 12, installationId: 34, repositories: ["payments-api"] },
        environment: { name: "prod", branches: ["main"], reviewers: { teams: [7] } },
        subjectTemplate: { includeClaimKeys: ["repository_owner_id", "repository_id", "environment"] },
        ruleset: {},
      }),
    ).toEqual({
      app: { appId: 12, installationId: 34, repositories: ["payments-api"] },
      environment: { name: "prod", branches: ["main"], reviewers: { users: [], teams: [7] }, preventSelfReview: true, canAdminsBypass: false },
      subjectTemplate: { includeClaimKeys: ["repository_owner_id", "repository_id", "environment"] },
      ruleset: { enabled: true, requiredApprovals: 1, requireCodeOwnerReview: false, dismissStaleReviewsOnPush: true },
      variables: true,
    });
  });

  test.each([
    [{ collaborator: { username: "bot", permission: "admin", repositories: ["a"] } }, /pull, triage or push/],
    [{ collaborator: { username: "bot", permission: "maintain", repositories: ["a"] } }, /maintain and admin can bypass/],
    [{ app: { appId: 1, installationId: 2, repositories: ["a"] }, collaborator: { username: "bot", permission: "pull", repositories: ["a"] } }, /either app or collaborator/],
    [{ app: { appId: 1, installationId: 2, repositories: [] } }, /at least one repository/],
    [{ app: { appId: 1, installationId: 2, repositories: ["acme/a"] } }, /without the owner/],
    [{ app: { appId: 1, installationId: 2, repositories: ["a", "A"] } }, /each repository once/],
    [{ app: { appId: "1", installationId: 2, repositories: ["a"] } }, /numeric GitHub App id/],
    [{ environment: { name: "prod", branches: [] } }, /at least one branch/],
    [{ environment: { name: "prod", branches: "all" } }, /"protected" or a list/],
    [{ environment: { name: "prod", branches: ["refs/heads/main"] } }, /without refs\/heads/],
    [{ environment: { name: "prod:x", branches: "protected" } }, /without spaces, ':'/],
    [{ environment: { name: "prod", branches: "protected", reviewers: {} } }, /at least one reviewer/],
    [{ environment: { name: "prod", branches: "protected", reviewers: { users: [1, 2, 3, 4], teams: [5, 6, 7] } } }, /at most 6 reviewers/],
    [{ ruleset: { enabled: false } }, /reason when the ruleset is disabled/],
    [{ ruleset: { requiredApprovals: 0 } }, /at least 1 approval/],
    [{ bogus: 1 }, /Unrecognized key/],
  ])("%j", (input, why) => expect(msgs(input).join("\n")).toMatch(why));
});

describe("subject template must start with the immutable ids", () => {
  test.each([
    [["repository_owner_id", "repository_id", "environment"], true],
    [["repository_id", "repository_owner_id", "job_workflow_ref"], true],
    [["repository_owner_id", "repository_id", "context"], true],
    [["repo", "context"], false],
    [["environment", "repository_owner_id", "repository_id"], false],
    [["repository", "repository_id", "environment"], false],
    [["repository_owner_id", "repository_id"], false],
    [["repository_owner_id", "repository_id", "repository"], false],
    [["repository_owner_id", "repository_id", "environment", "environment"], false],
    [["repository_owner_id", "repository_id", "actor"], false],
  ])("%j → %s", (keys, ok) => expect(GithubSubjectTemplate.safeParse({ includeClaimKeys: keys }).success).toBe(ok));

  test("messages say what is expected", () => {
    const m = (keys: string[]) => GithubSubjectTemplate.safeParse({ includeClaimKeys: keys }).error!.issues.map((i) => i.message).join("\n");
    expect(m(["environment", "repository_owner_id", "repository_id"])).toMatch(/start with the immutable keys repository_owner_id and repository_id/);
    expect(m(["repository_owner_id", "repository_id", "repository"])).toMatch(/a context key/);
  });
});
