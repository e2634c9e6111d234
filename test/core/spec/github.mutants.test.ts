/**
 * Mutation gaps in core/spec/github.ts (the zod schemas of an assistant's `github` section).
 *
 * Pins, per schema, which inputs are accepted (and the exact parsed output with its defaults) and
 * the exact issues (path and message) of rejected inputs: numeric ids, repository names and lists,
 * logins, branch patterns, environment names, reviewers, the subject template and the ruleset.
 * The schemas are built at import, so every test loads the module inside jest.isolateModules.
 */
export {};

type GithubModule = typeof import("../../../core/spec/github");

const load = (): GithubModule => {
  let m: GithubModule | undefined;
  jest.isolateModules(() => {
    m = require("../../../core/spec/github") as GithubModule;
  });
  return m!;
};

interface Schema {
  safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: { path: PropertyKey[]; message: string }[] } };
}

/** The issues of a rejected input as { path, message }, or "accepted". */
const issues = (schema: Schema, v: unknown) => {
  const r = schema.safeParse(v);
  return r.success ? "accepted" : r.error!.issues.map((i) => ({ path: i.path, message: i.message }));
};
/** The parsed value of an accepted input (fails the test with the issues otherwise). */
const parsed = (schema: Schema, v: unknown) => {
  const r = schema.safeParse(v);
  expect(r.error?.issues ?? []).toEqual([]);
  return r.data;
};

const APP = { appId: 11, installationId: 77, repositories: ["payments-api"] };
const COLLAB = { username: "octo-bot", permission: "pull", repositories: ["payments-api"] };
const HEAD = ["repository_owner_id", "repository_id"];
const REPO_MSG = "expected a repository name without the owner (e.g. payments-api)";
const LOGIN_MSG = "expected a GitHub login (1-39 of letters, digits, single '-')";
const BRANCH_MSG = "expected a branch name or pattern without spaces, ':', '~', '^' or '\\' (e.g. main, release/*)";
const ENV_MSG = "expected an environment name without spaces, ':', '*', '?', quotes, ',' or '\\'";

describe("GithubApp: numeric ids", () => {
  test("a valid app parses to exactly its fields", () => {
    expect(parsed(load().GithubApp, APP)).toEqual({ appId: 11, installationId: 77, repositories: ["payments-api"] });
  });

  test("a non-numeric, fractional or non-positive appId is reported with the GitHub App id messages", () => {
    const { GithubApp } = load();
    expect(issues(GithubApp, { ...APP, appId: "11" })).toEqual([{ path: ["appId"], message: "expected the numeric GitHub App id" }]);
    expect(issues(GithubApp, { ...APP, appId: 1.5 })).toEqual([{ path: ["appId"], message: "expected the numeric GitHub App id as a whole number" }]);
    expect(issues(GithubApp, { ...APP, appId: 0 })).toEqual([{ path: ["appId"], message: "expected the numeric GitHub App id as a positive number" }]);
  });

  test("a bad installationId names the installation id and where to find it", () => {
    const { GithubApp } = load();
    expect(issues(GithubApp, { ...APP, installationId: "x" })).toEqual([
      { path: ["installationId"], message: "expected the numeric installation id (Settings → Integrations → the app → URL)" },
    ]);
    expect(issues(GithubApp, { ...APP, installationId: 2.5 })).toEqual([
      { path: ["installationId"], message: "expected the numeric installation id (Settings → Integrations → the app → URL) as a whole number" },
    ]);
    expect(issues(GithubApp, { ...APP, installationId: -3 })).toEqual([
      { path: ["installationId"], message: "expected the numeric installation id (Settings → Integrations → the app → URL) as a positive number" },
    ]);
  });
});

describe("repository names and lists", () => {
  test("names of letters, digits, '.', '_' and '-' up to 100 characters are accepted, several at once", () => {
    const { GithubApp } = load();
    const repos = ["payments-api", "a", "x.y_z", "r".repeat(100)];
    expect(parsed(GithubApp, { ...APP, repositories: repos })).toEqual({ ...APP, repositories: repos });
  });

  test.each([["acme/payments-api"], ["payments-api/x"], ["pay ments"], ["r".repeat(101)], [""]])(
    "%j is rejected as a repository name",
    (name) => {
      expect(issues(load().GithubApp, { ...APP, repositories: [name] })).toEqual([{ path: ["repositories", 0], message: REPO_MSG }]);
    },
  );

  test("an empty repository list is rejected with 'expected at least one repository'", () => {
    expect(issues(load().GithubApp, { ...APP, repositories: [] })).toEqual([{ path: ["repositories"], message: "expected at least one repository" }]);
  });

  test("a repository listed twice, even in another case, is rejected with 'expected each repository once'", () => {
    const { GithubCollaborator } = load();
    expect(issues(GithubCollaborator, { ...COLLAB, repositories: ["Payments-API", "payments-api"] })).toEqual([
      { path: ["repositories"], message: "expected each repository once" },
    ]);
  });
});

describe("GithubCollaborator: login and permission", () => {
  test.each([["octocat"], ["octo-bot"], ["a"], ["a1-b2-c3"], ["a".repeat(39)]])("login %j is accepted", (username) => {
    expect(parsed(load().GithubCollaborator, { ...COLLAB, username })).toEqual({ ...COLLAB, username });
  });

  test.each([["-octo"], ["octo-"], ["octo--bot"], ["octo_bot"], ["a".repeat(40)], ["x/octo"]])("login %j is rejected", (username) => {
    expect(issues(load().GithubCollaborator, { ...COLLAB, username })).toEqual([{ path: ["username"], message: LOGIN_MSG }]);
  });

  test.each([["pull"], ["triage"], ["push"]])("permission %s is accepted", (permission) => {
    expect(parsed(load().GithubCollaborator, { ...COLLAB, permission })).toEqual({ ...COLLAB, permission });
  });

  test("permission admin is rejected with the bypass explanation", () => {
    expect(issues(load().GithubCollaborator, { ...COLLAB, permission: "admin" })).toEqual([
      { path: ["permission"], message: "expected permission pull, triage or push (maintain and admin can bypass branch rules)" },
    ]);
  });
});

describe("GithubEnvironment: name, branches, defaults", () => {
  const ENV = { name: "production", branches: "protected" };

  test("a minimal environment parses with preventSelfReview true and canAdminsBypass false", () => {
    expect(parsed(load().GithubEnvironment, ENV)).toEqual({ name: "production", branches: "protected", preventSelfReview: true, canAdminsBypass: false });
  });

  test("environment names up to 255 characters are accepted", () => {
    const name = "e".repeat(255);
    expect(parsed(load().GithubEnvironment, { ...ENV, name })).toEqual({ name, branches: "protected", preventSelfReview: true, canAdminsBypass: false });
  });

  test.each([["my env"], ["prod:eu"], ["x prod"], ["prod x"], ["prod,eu"]])("environment name %j is rejected", (name) => {
    expect(issues(load().GithubEnvironment, { ...ENV, name })).toEqual([{ path: ["name"], message: ENV_MSG }]);
  });

  test("an empty or 256-character environment name is rejected with zod's length messages", () => {
    const { GithubEnvironment } = load();
    expect(issues(GithubEnvironment, { ...ENV, name: "" })).toEqual([
      { path: ["name"], message: "Too small: expected string to have >=1 characters" },
      { path: ["name"], message: ENV_MSG },
    ]);
    expect(issues(GithubEnvironment, { ...ENV, name: "e".repeat(256) })).toEqual([{ path: ["name"], message: "Too big: expected string to have <=255 characters" }]);
  });

  test("a list of several branches and patterns (up to 255 characters) is accepted", () => {
    const branches = ["main", "release/*", "b".repeat(255)];
    expect(parsed(load().GithubEnvironment, { ...ENV, branches })).toEqual({ ...ENV, branches, preventSelfReview: true, canAdminsBypass: false });
  });

  test.each([["feature x"], ["x feature"], ["main:x"], ["a~1"], ["a^b"], ["a\\b"]])("branch %j is rejected", (b) => {
    expect(issues(load().GithubEnvironment, { ...ENV, branches: [b] })).toEqual([{ path: ["branches", 0], message: BRANCH_MSG }]);
  });

  test("a 256-character branch is rejected with zod's length message", () => {
    expect(issues(load().GithubEnvironment, { ...ENV, branches: ["b".repeat(256)] })).toEqual([
      { path: ["branches", 0], message: "Too big: expected string to have <=255 characters" },
    ]);
  });

  test("a branch given as refs/heads/main is rejected with 'expected a branch name without refs/heads/'", () => {
    expect(issues(load().GithubEnvironment, { ...ENV, branches: ["refs/heads/main"] })).toEqual([
      { path: ["branches", 0], message: "expected a branch name without refs/heads/" },
    ]);
  });

  test("an empty branch list is rejected with 'expected at least one branch'", () => {
    expect(issues(load().GithubEnvironment, { ...ENV, branches: [] })).toEqual([{ path: ["branches"], message: "expected at least one branch" }]);
  });

  test("branches that are neither \"protected\" nor a list are rejected with the union message", () => {
    const { GithubEnvironment } = load();
    const msg = 'expected branches to be "protected" or a list of branch names';
    expect(issues(GithubEnvironment, { ...ENV, branches: "all" })).toEqual([{ path: ["branches"], message: msg }]);
    expect(issues(GithubEnvironment, { ...ENV, branches: 3 })).toEqual([{ path: ["branches"], message: msg }]);
  });

  test("a wait timer of 0..43200 minutes is kept; 43201 is rejected with the 30 days message", () => {
    const { GithubEnvironment } = load();
    expect(parsed(GithubEnvironment, { ...ENV, waitTimerMinutes: 10 })).toEqual({ ...ENV, waitTimerMinutes: 10, preventSelfReview: true, canAdminsBypass: false });
    expect(parsed(GithubEnvironment, { ...ENV, waitTimerMinutes: 43200 })).toEqual({ ...ENV, waitTimerMinutes: 43200, preventSelfReview: true, canAdminsBypass: false });
    expect(issues(GithubEnvironment, { ...ENV, waitTimerMinutes: 43201 })).toEqual([{ path: ["waitTimerMinutes"], message: "expected at most 43200 minutes (30 days)" }]);
  });
});

describe("GithubEnvironment: reviewers", () => {
  const ENV = { name: "production", branches: "protected" };
  const withReviewers = (reviewers: unknown) => ({ ...ENV, reviewers });

  test("omitted users or teams default to empty lists", () => {
    const { GithubEnvironment } = load();
    expect(parsed(GithubEnvironment, withReviewers({ teams: [5] }))).toEqual({ ...ENV, reviewers: { users: [], teams: [5] }, preventSelfReview: true, canAdminsBypass: false });
    expect(parsed(GithubEnvironment, withReviewers({ users: [7] }))).toEqual({ ...ENV, reviewers: { users: [7], teams: [] }, preventSelfReview: true, canAdminsBypass: false });
  });

  test("non-numeric reviewer ids name the user id or team id", () => {
    const { GithubEnvironment } = load();
    expect(issues(GithubEnvironment, withReviewers({ users: ["octocat"] }))).toEqual([{ path: ["reviewers", "users", 0], message: "expected the numeric user id" }]);
    expect(issues(GithubEnvironment, withReviewers({ teams: ["core"] }))).toEqual([{ path: ["reviewers", "teams", 0], message: "expected the numeric team id" }]);
  });

  test("reviewers with nobody in them are rejected", () => {
    expect(issues(load().GithubEnvironment, withReviewers({}))).toEqual([
      { path: ["reviewers"], message: "expected at least one reviewer (user or team), or leave reviewers out" },
    ]);
  });

  test("6 reviewers in total are accepted, 7 are rejected with GitHub's limit", () => {
    const { GithubEnvironment } = load();
    expect(parsed(GithubEnvironment, withReviewers({ users: [1, 2, 3], teams: [4, 5, 6] }))).toEqual({
      ...ENV,
      reviewers: { users: [1, 2, 3], teams: [4, 5, 6] },
      preventSelfReview: true,
      canAdminsBypass: false,
    });
    expect(issues(GithubEnvironment, withReviewers({ users: [1, 2, 3, 4], teams: [5, 6, 7] }))).toEqual([
      { path: ["reviewers"], message: "expected at most 6 reviewers in total (GitHub's limit)" },
    ]);
  });
});

describe("GithubSubjectTemplate", () => {
  test.each([["context"], ["environment"], ["ref"], ["job_workflow_ref"]])("the immutable head plus %s is accepted", (key) => {
    expect(parsed(load().GithubSubjectTemplate, { includeClaimKeys: [...HEAD, key] })).toEqual({ includeClaimKeys: [...HEAD, key] });
  });

  test("the head may be in either order", () => {
    const keys = ["repository_id", "repository_owner_id", "repository", "environment"];
    expect(parsed(load().GithubSubjectTemplate, { includeClaimKeys: keys })).toEqual({ includeClaimKeys: keys });
  });

  test("an unknown claim key is rejected with the list of known keys", () => {
    expect(issues(load().GithubSubjectTemplate, { includeClaimKeys: [...HEAD, "environment", "sha"] })).toEqual([
      {
        path: ["includeClaimKeys", 3],
        message:
          "expected a claim key among repository_owner_id, repository_id, repository_owner, repository, repo, context, environment, ref, ref_type, job_workflow_ref",
      },
    ]);
  });

  test("only the two immutable keys: too few keys and no context key (the head check passes)", () => {
    expect(issues(load().GithubSubjectTemplate, { includeClaimKeys: HEAD })).toEqual([
      { path: ["includeClaimKeys"], message: "expected at least three claim keys: repository_owner_id, repository_id and a context key" },
      {
        path: ["includeClaimKeys"],
        message: "expected a context key (environment, ref, context or job_workflow_ref): without one every workflow in the repository gets the same subject",
      },
    ]);
  });

  test("a claim key listed twice is rejected with 'expected each claim key once'", () => {
    expect(issues(load().GithubSubjectTemplate, { includeClaimKeys: [...HEAD, "environment", "environment"] })).toEqual([
      { path: ["includeClaimKeys"], message: "expected each claim key once" },
    ]);
  });

  test("a template not starting with the immutable keys is rejected", () => {
    expect(issues(load().GithubSubjectTemplate, { includeClaimKeys: ["repository", "repository_id", "environment"] })).toEqual([
      {
        path: ["includeClaimKeys"],
        message: "expected the template to start with the immutable keys repository_owner_id and repository_id (names can be renamed and re-registered)",
      },
    ]);
  });

  test("a template without a context key is rejected", () => {
    expect(issues(load().GithubSubjectTemplate, { includeClaimKeys: [...HEAD, "repository", "ref_type"] })).toEqual([
      {
        path: ["includeClaimKeys"],
        message: "expected a context key (environment, ref, context or job_workflow_ref): without one every workflow in the repository gets the same subject",
      },
    ]);
  });
});

describe("GithubRuleset", () => {
  test("an empty ruleset parses to its defaults", () => {
    expect(parsed(load().GithubRuleset, {})).toEqual({ enabled: true, requiredApprovals: 1, requireCodeOwnerReview: false, dismissStaleReviewsOnPush: true });
  });

  test("a disabled ruleset with a 10-character reason is accepted", () => {
    expect(parsed(load().GithubRuleset, { enabled: false, reason: "org covers" })).toEqual({
      enabled: false,
      reason: "org covers",
      requiredApprovals: 1,
      requireCodeOwnerReview: false,
      dismissStaleReviewsOnPush: true,
    });
  });

  test("a reason shorter than 10 characters is rejected", () => {
    expect(issues(load().GithubRuleset, { enabled: false, reason: "org" })).toEqual([{ path: ["reason"], message: "expected a reason of at least 10 characters" }]);
  });

  test("a disabled ruleset without a reason is rejected at reason", () => {
    expect(issues(load().GithubRuleset, { enabled: false })).toEqual([{ path: ["reason"], message: "expected a reason when the ruleset is disabled" }]);
  });

  test("1 to 10 approvals are accepted; 0 is rejected with 'expected at least 1 approval'", () => {
    const { GithubRuleset } = load();
    const defaults = { enabled: true, requireCodeOwnerReview: false, dismissStaleReviewsOnPush: true };
    expect(parsed(GithubRuleset, { requiredApprovals: 2 })).toEqual({ ...defaults, requiredApprovals: 2 });
    expect(parsed(GithubRuleset, { requiredApprovals: 10 })).toEqual({ ...defaults, requiredApprovals: 10 });
    expect(issues(GithubRuleset, { requiredApprovals: 0 })).toEqual([{ path: ["requiredApprovals"], message: "expected at least 1 approval" }]);
    expect(issues(GithubRuleset, { requiredApprovals: 11 })).toEqual([{ path: ["requiredApprovals"], message: "Too big: expected number to be <=10" }]);
  });
});

describe("GithubAccess", () => {
  test("an empty section parses to variables: true", () => {
    expect(parsed(load().GithubAccess, {})).toEqual({ variables: true });
  });

  test("an app alone is kept", () => {
    expect(parsed(load().GithubAccess, { app: APP })).toEqual({ app: APP, variables: true });
  });

  test("app and collaborator together are rejected at collaborator", () => {
    expect(issues(load().GithubAccess, { app: APP, collaborator: COLLAB })).toEqual([
      { path: ["collaborator"], message: "expected either app or collaborator, not both (prefer the app: installation tokens live one hour)" },
    ]);
  });
});
