/**
 * Pins the exact observable behaviour of core/github/claims.ts that the agreement tests left loose:
 * the full claim set of a default token (every fixed claim value, the default ref, audience and
 * job_workflow_ref), ref_type for tags and branches, overrides (removing a claim, keeping or
 * re-rendering `sub`), the wildcard rule of exactEnvironmentBranches, renderGithubContext's edge
 * cases (empty environment, pull_request_target, no ref), and renderGithubSubject's `repo` key,
 * missing repository and the exact errors for a claim the token does not carry.
 */
import { exactEnvironmentBranches, githubClaims, renderGithubContext, renderGithubSubject } from "../../../core/github/claims";
import { GithubAccess } from "../../../core/spec/github";
import { gh } from "../gcp/fixtures";

const github = (o: Record<string, unknown>) => GithubAccess.parse(o);
const ZERO_SHA = "0000000000000000000000000000000000000000";

/** The claims every token of the fixture source carries, whatever its ref and environment. */
const FIXED = {
  iss: "https://token.actions.githubusercontent.com",
  repository: "acme/payments-api",
  repository_id: "2002",
  repository_owner: "acme",
  repository_owner_id: "1001",
  repository_visibility: "private",
  ref_protected: "true",
  event_name: "workflow_dispatch",
  head_ref: "",
  base_ref: "",
  workflow: "assistant",
  actor: "octocat",
  actor_id: "583231",
  run_id: "1",
  run_number: "1",
  run_attempt: "1",
  runner_environment: "github-hosted",
  sha: ZERO_SHA,
};

describe("githubClaims: the full default token", () => {
  test("environment source without branch, tag, audience or workflowRef: every claim, exactly (refs/heads/main, GCP audience)", () => {
    expect(githubClaims(gh())).toStrictEqual({
      ...FIXED,
      aud: "https://iam.googleapis.com",
      environment: "prod",
      ref: "refs/heads/main",
      ref_type: "branch",
      job_workflow_ref: "acme/payments-api/.github/workflows/assistant.yml@refs/heads/main",
      workflow_ref: "acme/payments-api/.github/workflows/assistant.yml@refs/heads/main",
      sub: "repo:acme/payments-api:environment:prod",
    });
  });

  test("a source without an environment carries no environment claim at all (not an undefined one)", () => {
    const c = githubClaims(gh({ environment: undefined, branch: "release" }));
    expect(Object.keys(c)).not.toContain("environment");
    expect(c).toStrictEqual({
      ...FIXED,
      aud: "https://iam.googleapis.com",
      ref: "refs/heads/release",
      ref_type: "branch",
      job_workflow_ref: "acme/payments-api/.github/workflows/assistant.yml@refs/heads/release",
      workflow_ref: "acme/payments-api/.github/workflows/assistant.yml@refs/heads/release",
      sub: "repo:acme/payments-api:ref:refs/heads/release",
    });
  });

  test("the source's audience replaces the GCP default", () => {
    expect(githubClaims(gh({ audience: "sts.amazonaws.com" }))["aud"]).toBe("sts.amazonaws.com");
  });

  test("a source's workflowRef is both job_workflow_ref and workflow_ref", () => {
    const c = githubClaims(gh({ workflowRef: "acme/shared/.github/workflows/a.yml@refs/heads/main" }));
    expect(c["job_workflow_ref"]).toBe("acme/shared/.github/workflows/a.yml@refs/heads/main");
    expect(c["workflow_ref"]).toBe("acme/shared/.github/workflows/a.yml@refs/heads/main");
  });
});

describe("githubClaims: ref and ref_type", () => {
  test("a tag source: ref refs/tags/TAG, ref_type tag", () => {
    const c = githubClaims(gh({ environment: undefined, tag: "v1" }));
    expect(c["ref"]).toBe("refs/tags/v1");
    expect(c["ref_type"]).toBe("tag");
    expect(c["sub"]).toBe("repo:acme/payments-api:ref:refs/tags/v1");
  });

  test("a branch source: ref refs/heads/BRANCH, ref_type branch", () => {
    const c = githubClaims(gh({ environment: undefined, branch: "main" }));
    expect(c["ref"]).toBe("refs/heads/main");
    expect(c["ref_type"]).toBe("branch");
  });

  test("the environment's first exact branch is the ref when the source pins none", () => {
    const c = githubClaims(gh(), { github: github({ environment: { name: "prod", branches: ["deploy", "main"] } }) });
    expect(c["ref"]).toBe("refs/heads/deploy");
    expect(c["job_workflow_ref"]).toBe("acme/payments-api/.github/workflows/assistant.yml@refs/heads/deploy");
  });

  test("an environment branch list with a pattern gives no exact branch: the ref stays refs/heads/main", () => {
    const c = githubClaims(gh(), { github: github({ environment: { name: "prod", branches: ["deploy", "release/*"] } }) });
    expect(c["ref"]).toBe("refs/heads/main");
  });
});

describe("githubClaims: overrides", () => {
  test("an override of undefined removes the claim (the key is absent)", () => {
    const c = githubClaims(gh(), { overrides: { environment: undefined } });
    expect(Object.keys(c)).not.toContain("environment");
    expect(c["sub"]).toBe("repo:acme/payments-api:ref:refs/heads/main");
  });

  test("an override of sub is kept as given, not re-rendered", () => {
    expect(githubClaims(gh(), { overrides: { sub: "repo:evil/repo:ref:refs/heads/x" } })["sub"]).toBe("repo:evil/repo:ref:refs/heads/x");
  });

  test("overrides without sub still get the rendered sub, from the overridden claims", () => {
    const c = githubClaims(gh(), { overrides: { environment: "staging", actor: "bot" } });
    expect(c["actor"]).toBe("bot");
    expect(c["sub"]).toBe("repo:acme/payments-api:environment:staging");
  });
});

describe("exactEnvironmentBranches", () => {
  test.each<[string, unknown, string[] | undefined]>([
    ["no github section", undefined, undefined],
    ["protected", { environment: { name: "prod", branches: "protected" } }, undefined],
    ["exact branches, in order", { environment: { name: "prod", branches: ["main", "deploy"] } }, ["main", "deploy"]],
    ["one pattern among exact branches", { environment: { name: "prod", branches: ["main", "release/*"] } }, undefined],
    ["a '?' pattern", { environment: { name: "prod", branches: ["main", "v?"] } }, undefined],
    ["a bracket pattern first", { environment: { name: "prod", branches: ["[ab]", "main"] } }, undefined],
  ])("%s", (_n, g, expected) => {
    expect(exactEnvironmentBranches(g === undefined ? undefined : github(g as Record<string, unknown>))).toEqual(expected);
  });
});

describe("renderGithubContext", () => {
  test("an empty environment claim does not count: the ref is the context", () => {
    expect(renderGithubContext({ environment: "", ref: "refs/heads/main" })).toBe("ref:refs/heads/main");
  });

  test("an environment claim wins, with ':' encoded", () => {
    expect(renderGithubContext({ environment: "a:b", event_name: "pull_request", ref: "refs/heads/main" })).toBe("environment:a%3Ab");
  });

  test("pull_request and pull_request_target render as pull_request", () => {
    expect(renderGithubContext({ event_name: "pull_request", ref: "refs/pull/1/merge" })).toBe("pull_request");
    expect(renderGithubContext({ event_name: "pull_request_target", ref: "refs/heads/main" })).toBe("pull_request");
  });

  test("other events render the ref; no ref renders an empty one", () => {
    expect(renderGithubContext({ event_name: "push", ref: "refs/heads/main" })).toBe("ref:refs/heads/main");
    expect(renderGithubContext({})).toBe("ref:");
  });
});

describe("renderGithubSubject", () => {
  test("no repository claim renders an empty owner and repository", () => {
    expect(renderGithubSubject({})).toBe("repo:/:ref:");
  });

  test("a template's repo key renders repo:OWNER/REPO (classic) and repo:OWNER@ID/REPO@ID (immutable)", () => {
    const claims = githubClaims(gh());
    expect(renderGithubSubject(claims, { template: ["repo", "context"] })).toBe("repo:acme/payments-api:environment:prod");
    expect(renderGithubSubject(claims, { template: ["repository_owner_id", "repo", "ref"], form: "immutable" })).toBe(
      "repository_owner_id:1001:repo:acme@1001/payments-api@2002:ref:refs/heads/main",
    );
  });

  test("a template listing environment for a token without one says the job must use the environment", () => {
    const claims = githubClaims(gh({ environment: undefined, branch: "main" }));
    expect(() => renderGithubSubject(claims, { template: ["repository_owner_id", "repository_id", "environment"] })).toThrow(
      new Error("the subject template lists environment, but the token has no environment claim (the job must use the environment)"),
    );
  });

  test("a template listing another missing claim says the job must carry it", () => {
    const claims = githubClaims(gh(), { overrides: { job_workflow_ref: undefined } });
    expect(() => renderGithubSubject(claims, { template: ["repository_owner_id", "repository_id", "job_workflow_ref"] })).toThrow(
      new Error("the subject template lists job_workflow_ref, but the token has no job_workflow_ref claim (the job must carry job_workflow_ref)"),
    );
  });
});
