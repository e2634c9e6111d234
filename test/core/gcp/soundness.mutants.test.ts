/**
 * Pins the exact observable behaviour of core/gcp/soundness.ts that the broader condition tests left
 * loose: every generated look-alike fixture per source kind (name, category, expectation and the
 * exact claims it changes), the fresh ids chosen for look-alike repositories and owners, when the
 * ref / workflow look-alikes appear, the full GcpConditionError messages and their `check`, and the
 * provider check that excuses a context look-alike only when another member's clause admits it.
 */
import { attributeCondition, conditionClause } from "../../../core/gcp/provider";
import { assertConditionSound, assertProviderConditionSound, GcpConditionError, workloadFixtures, type WorkloadFixture } from "../../../core/gcp/soundness";
import type { ConditionCheck } from "../../../core/gcp/cel";
import { GithubEnvironment } from "../../../core/spec/github";
import { gh, gitlab, k8s, oidc, spiffe } from "./fixtures";

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

const ABSENT = "<absent>";

/** The claims a fixture changes with respect to the good fixture (removed claims as ABSENT). */
function changed(good: Record<string, unknown>, claims: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of new Set([...Object.keys(good), ...Object.keys(claims)])) {
    if (good[k] !== claims[k]) out[k] = k in claims ? claims[k] : ABSENT;
  }
  return out;
}

type Row = [name: string, category: string, expect: string, changes: Record<string, unknown>];

/** Every fixture as [name, category, expect, claims changed against the first (good) fixture]. */
function rows(fixtures: WorkloadFixture[]): Row[] {
  const good = fixtures[0]!.claims;
  return fixtures.map((f) => [f.name, f.category, f.expect, changed(good, f.claims)]);
}

/** The claims of the default good GitHub fixture for gh() (environment prod, no ref pin). */
const GH_GOOD_CLAIMS = {
  iss: "https://token.actions.githubusercontent.com",
  aud: "https://iam.googleapis.com",
  repository: "acme/payments-api",
  repository_id: "2002",
  repository_owner: "acme",
  repository_owner_id: "1001",
  repository_visibility: "private",
  environment: "prod",
  ref: "refs/heads/main",
  ref_type: "branch",
  ref_protected: "true",
  event_name: "workflow_dispatch",
  head_ref: "",
  base_ref: "",
  job_workflow_ref: "acme/payments-api/.github/workflows/assistant.yml@refs/heads/main",
  workflow_ref: "acme/payments-api/.github/workflows/assistant.yml@refs/heads/main",
  workflow: "assistant",
  actor: "octocat",
  actor_id: "583231",
  run_id: "1",
  run_number: "1",
  run_attempt: "1",
  runner_environment: "github-hosted",
  sha: "0000000000000000000000000000000000000000",
  sub: "repo:acme/payments-api:environment:prod",
};

/** The first fresh ids (900000001 + k·7919) in the order they are drawn. */
const ID = ["900000001", "900007920", "900015839", "900023758", "900031677", "900039596", "900047515"] as const;

/**
 * The six identity look-alikes of acme/payments-api, for a context `ctx` of the rendered sub and the
 * fresh ids [otherRepo, otherOwner, renamed, fork, forkOwner].
 */
function identityRows(ctx: string, [otherRepo, otherOwner, renamed, fork, forkOwner]: readonly string[] = ID): Row[] {
  return [
    ["bad: another repository of the same owner", "identity", "reject", { repository: "acme/payments-api-other", repository_id: otherRepo, sub: `repo:acme/payments-api-other:${ctx}` }],
    [
      "bad: another owner with a repository of the same name",
      "identity",
      "reject",
      { repository: "acme-evil/payments-api", repository_id: otherRepo, repository_owner: "acme-evil", repository_owner_id: otherOwner, sub: `repo:acme-evil/payments-api:${ctx}` },
    ],
    ["bad: the repository renamed away and its name re-created (same name, new id)", "identity", "reject", { repository_id: renamed }],
    ["bad: the owner deleted and its name re-registered (same names, new owner id)", "identity", "reject", { repository_id: renamed, repository_owner_id: otherOwner }],
    ["bad: the same repository id under another owner id", "identity", "reject", { repository_owner_id: otherOwner }],
    [
      "bad: a fork's own workflow",
      "identity",
      "reject",
      { repository: "forker/payments-api", repository_id: fork, repository_owner: "forker", repository_owner_id: forkOwner, sub: `repo:forker/payments-api:${ctx}` },
    ],
  ];
}

const GOOD_ROW: Row = ["good: the declared workload", "good", "admit", {}];
const PR_ROW_NO_ENV: Row = [
  "bad: a pull request from a fork (base repository context)",
  "context",
  "reject",
  { ref: "refs/pull/7/merge", ref_protected: "false", event_name: "pull_request", head_ref: "fork-branch", base_ref: "main", sub: "repo:acme/payments-api:pull_request" },
];
const PR_ROW_WITH_ENV: Row = [PR_ROW_NO_ENV[0], PR_ROW_NO_ENV[1], PR_ROW_NO_ENV[2], { environment: ABSENT, ...PR_ROW_NO_ENV[3] }];
const ENV_ROWS = (noEnvRef: string): Row[] => [
  ["bad: another environment", "context", "reject", { environment: "prod-other", sub: "repo:acme/payments-api:environment:prod-other" }],
  ["bad: a job that uses no environment", "context", "reject", { environment: ABSENT, sub: `repo:acme/payments-api:ref:${noEnvRef}` }],
];

/** The thrown GcpConditionError (fails the test when nothing is thrown). */
function thrown(f: () => unknown): GcpConditionError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(GcpConditionError);
    return e as GcpConditionError;
  }
  throw new Error("expected a GcpConditionError, nothing was thrown");
}

/** A check reduced to what a reader compares: ok, and each result as name/expect/ok/admitted. */
const brief = (c: ConditionCheck) => ({ ok: c.ok, results: c.results.map((r) => [r.name, r.expect, r.ok, r.admitted]), failures: c.failures.map((r) => r.name) });

// ---------------------------------------------------------------------------------------------
// workloadFixtures: GitHub Actions
// ---------------------------------------------------------------------------------------------

describe("workloadFixtures, github-actions: the exact look-alikes", () => {
  test("environment pin: the good fixture carries the declared workload's claims", () => {
    const fs = workloadFixtures({ source: gh() });
    expect(fs[0]).toEqual({ name: "good: the declared workload", category: "good", claims: GH_GOOD_CLAIMS, expect: "admit" });
  });

  test("environment pin without a managed environment: identity, fork PR and environment look-alikes, no ref look-alike", () => {
    expect(rows(workloadFixtures({ source: gh() }))).toEqual([GOOD_ROW, ...identityRows("environment:prod"), PR_ROW_WITH_ENV, ...ENV_ROWS("refs/heads/main")]);
  });

  test("branch pin: another branch and a tag named like the branch, no environment look-alikes", () => {
    expect(rows(workloadFixtures({ source: gh({ environment: undefined, branch: "main" }) }))).toEqual([
      GOOD_ROW,
      ...identityRows("ref:refs/heads/main"),
      PR_ROW_NO_ENV,
      ["bad: another branch", "context", "reject", { ref: "refs/heads/attacker-branch", sub: "repo:acme/payments-api:ref:refs/heads/attacker-branch" }],
      ["bad: a tag named like the pinned branch", "context", "reject", { ref: "refs/tags/main", ref_type: "tag", sub: "repo:acme/payments-api:ref:refs/tags/main" }],
    ]);
  });

  test("branch pin: the branch look-alikes are branch and tag refs exactly", () => {
    const fs = workloadFixtures({ source: gh({ environment: undefined, branch: "main" }) });
    const byName = Object.fromEntries(fs.map((f) => [f.name, f.claims]));
    expect([byName["bad: another branch"]!["ref"], byName["bad: another branch"]!["ref_type"]]).toEqual(["refs/heads/attacker-branch", "branch"]);
    expect([byName["bad: a tag named like the pinned branch"]!["ref"], byName["bad: a tag named like the pinned branch"]!["ref_type"]]).toEqual(["refs/tags/main", "tag"]);
  });

  test("tag pin: another branch and a branch named like the tag (both ref_type branch)", () => {
    expect(rows(workloadFixtures({ source: gh({ environment: undefined, tag: "v1.2.3" }) }))).toEqual([
      GOOD_ROW,
      ...identityRows("ref:refs/tags/v1.2.3"),
      PR_ROW_NO_ENV,
      ["bad: another branch", "context", "reject", { ref: "refs/heads/attacker-branch", ref_type: "branch", sub: "repo:acme/payments-api:ref:refs/heads/attacker-branch" }],
      ["bad: a branch named like the pinned tag", "context", "reject", { ref: "refs/heads/v1.2.3", ref_type: "branch", sub: "repo:acme/payments-api:ref:refs/heads/v1.2.3" }],
    ]);
  });

  test("environment pin whose managed environment (same name) has exact branches: another branch too, nothing branch/tag-specific", () => {
    const github = { environment: GithubEnvironment.parse({ name: "prod", branches: ["release", "main"] }) };
    expect(rows(workloadFixtures({ source: gh(), github }))).toEqual([
      GOOD_ROW,
      ...identityRows("environment:prod"),
      PR_ROW_WITH_ENV,
      ...ENV_ROWS("refs/heads/release"),
      ["bad: another branch", "context", "reject", { ref: "refs/heads/attacker-branch" }],
    ]);
    expect(workloadFixtures({ source: gh(), github })[0]!.claims["ref"]).toBe("refs/heads/release");
  });

  test.each([
    ["a managed environment of another name", { environment: GithubEnvironment.parse({ name: "stage", branches: ["main"] }) }],
    ["a managed environment with the protected-branches policy", { environment: GithubEnvironment.parse({ name: "prod", branches: "protected" }) }],
    ["a managed environment with a branch pattern", { environment: GithubEnvironment.parse({ name: "prod", branches: ["release/*"] }) }],
    ["a github section without an environment", {}],
  ])("environment pin with %s: no ref look-alike", (_what, github) => {
    expect(rows(workloadFixtures({ source: gh(), github }))).toEqual([GOOD_ROW, ...identityRows("environment:prod"), PR_ROW_WITH_ENV, ...ENV_ROWS("refs/heads/main")]);
  });

  test("workflow pin: another workflow file of the same repository and ref", () => {
    const fs = rows(workloadFixtures({ source: gh({ workflowRef: "acme/shared/.github/workflows/a.yml@refs/tags/v1" }) }));
    expect(fs).toEqual([
      GOOD_ROW,
      ...identityRows("environment:prod"),
      PR_ROW_WITH_ENV,
      ...ENV_ROWS("refs/heads/main"),
      ["bad: another workflow file", "context", "reject", { job_workflow_ref: "acme/shared/.github/workflows/attacker.yml@refs/tags/v1" }],
    ]);
  });
});

describe("workloadFixtures, github-actions: fresh ids for look-alikes", () => {
  test("ids are drawn from 900000001 upwards in steps of 7919", () => {
    const fs = workloadFixtures({ source: gh() });
    expect(fs.map((f) => [f.claims["repository_owner_id"], f.claims["repository_id"]])).toEqual([
      ["1001", "2002"],
      ["1001", "900000001"],
      ["900007920", "900000001"],
      ["1001", "900015839"],
      ["900007920", "900015839"],
      ["900007920", "2002"],
      ["900031677", "900023758"],
      ["1001", "2002"],
      ["1001", "2002"],
      ["1001", "2002"],
    ]);
  });

  test("an id the source declares itself is skipped", () => {
    const fs = workloadFixtures({ source: gh({ repositoryId: 900000001 }) });
    expect(rows(fs).slice(1, 7)).toEqual(identityRows("environment:prod", [ID[1], ID[2], ID[3], ID[4], ID[5]]));
  });

  test("an owner id the source declares is skipped too", () => {
    const fs = workloadFixtures({ source: gh({ ownerId: 900007920 }) });
    expect(fs.map((f) => [f.claims["repository_owner_id"], f.claims["repository_id"]]).slice(1, 7)).toEqual([
      ["900007920", "900000001"],
      ["900015839", "900000001"],
      ["900007920", "900023758"],
      ["900015839", "900023758"],
      ["900015839", "2002"],
      ["900039596", "900031677"],
    ]);
  });

  test("ids taken elsewhere in the provider are skipped as well as the source's own", () => {
    const fs = workloadFixtures({ source: gh({ repositoryId: 900000001 }) }, new Set([ID[2]]));
    expect(rows(fs).slice(1, 7)).toEqual(identityRows("environment:prod", [ID[1], ID[3], ID[4], ID[5], ID[6]]));
  });
});

// ---------------------------------------------------------------------------------------------
// workloadFixtures: the other kinds
// ---------------------------------------------------------------------------------------------

describe("workloadFixtures, gitlab-ci", () => {
  const claims = (o: Record<string, string>) => ({
    iss: "https://gitlab.com",
    aud: "https://iam.googleapis.com",
    project_path: "platform/agents",
    namespace_path: "platform",
    project_id: "1",
    ref: "main",
    ref_type: "branch",
    ref_protected: "true",
    pipeline_source: "push",
    ...o,
  });

  test("branch ref, default audience: project look-alikes, another ref and a tag of the same name", () => {
    expect(workloadFixtures({ source: gitlab() })).toEqual([
      { name: "good: the declared workload", category: "good", expect: "admit", claims: claims({ sub: "project_path:platform/agents:ref_type:branch:ref:main" }) },
      {
        name: "bad: another project of the same group",
        category: "identity",
        expect: "reject",
        claims: claims({ project_path: "platform/agents-other", sub: "project_path:platform/agents-other:ref_type:branch:ref:main" }),
      },
      {
        name: "bad: a project of the same name in another group",
        category: "identity",
        expect: "reject",
        claims: claims({ project_path: "platform-evil/agents", sub: "project_path:platform-evil/agents:ref_type:branch:ref:main" }),
      },
      {
        name: "bad: a sub-project below the declared one",
        category: "identity",
        expect: "reject",
        claims: claims({ project_path: "platform/agents/nested", sub: "project_path:platform/agents/nested:ref_type:branch:ref:main" }),
      },
      { name: "bad: another ref", category: "context", expect: "reject", claims: claims({ ref: "main-other", sub: "project_path:platform/agents:ref_type:branch:ref:main-other" }) },
      { name: "bad: a tag named like the pinned ref", category: "context", expect: "reject", claims: claims({ ref_type: "tag", sub: "project_path:platform/agents:ref_type:tag:ref:main" }) },
    ]);
  });

  test("tag ref in a subgroup, explicit audience: namespace path, group split and a branch of the same name", () => {
    const sub = (path: string, type: string, ref: string) => `project_path:${path}:ref_type:${type}:ref:${ref}`;
    const c = (o: Record<string, string>) =>
      claims({ aud: "gitlab-gcp", project_path: "platform/ai/agents", namespace_path: "platform/ai", ref: "v1", ref_type: "tag", ...o });
    expect(workloadFixtures({ source: gitlab({ projectPath: "platform/ai/agents", refType: "tag", ref: "v1", audience: "gitlab-gcp" }) })).toEqual([
      { name: "good: the declared workload", category: "good", expect: "admit", claims: c({ sub: sub("platform/ai/agents", "tag", "v1") }) },
      {
        name: "bad: another project of the same group",
        category: "identity",
        expect: "reject",
        claims: c({ project_path: "platform/ai/agents-other", sub: sub("platform/ai/agents-other", "tag", "v1") }),
      },
      {
        name: "bad: a project of the same name in another group",
        category: "identity",
        expect: "reject",
        claims: c({ project_path: "platform-evil/ai/agents", sub: sub("platform-evil/ai/agents", "tag", "v1") }),
      },
      {
        name: "bad: a sub-project below the declared one",
        category: "identity",
        expect: "reject",
        claims: c({ project_path: "platform/ai/agents/nested", sub: sub("platform/ai/agents/nested", "tag", "v1") }),
      },
      { name: "bad: another ref", category: "context", expect: "reject", claims: c({ ref: "v1-other", sub: sub("platform/ai/agents", "tag", "v1-other") }) },
      { name: "bad: a branch named like the pinned ref", category: "context", expect: "reject", claims: c({ ref_type: "branch", sub: sub("platform/ai/agents", "branch", "v1") }) },
    ]);
  });
});

describe("workloadFixtures, kubernetes", () => {
  const claims = (aud: string, ns: string, sa: string) => ({
    iss: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC123",
    aud: [aud],
    sub: `system:serviceaccount:${ns}:${sa}`,
    "kubernetes.io": {
      namespace: ns,
      serviceaccount: { name: sa, uid: "00000000-0000-0000-0000-000000000001" },
      pod: { name: "assistant-0", uid: "00000000-0000-0000-0000-000000000002" },
    },
  });
  const expected = (aud: string) => [
    { name: "good: the declared workload", category: "good", expect: "admit", claims: claims(aud, "agents", "pr-reviewer") },
    { name: "bad: the same service account name in another namespace", category: "identity", expect: "reject", claims: claims(aud, "agents-other", "pr-reviewer") },
    { name: "bad: another service account in the namespace", category: "identity", expect: "reject", claims: claims(aud, "agents", "pr-reviewer-other") },
    { name: "bad: the default service account of the namespace", category: "identity", expect: "reject", claims: claims(aud, "agents", "default") },
  ];

  test("default audience: the canonical IAM audience in a one-element aud list", () => {
    expect(workloadFixtures({ source: k8s() })).toEqual(expected("https://iam.googleapis.com"));
  });
  test("an explicit audience is used as is", () => {
    expect(workloadFixtures({ source: k8s({ audience: "k8s-gcp" }) })).toEqual(expected("k8s-gcp"));
  });
});

describe("workloadFixtures, spiffe and oidc", () => {
  test("spiffe: another workload of the trust domain, a child path, the same path in another trust domain", () => {
    const claims = (sub: string) => ({ iss: "https://spire.example.com", aud: ["gcp"], sub });
    expect(workloadFixtures({ source: spiffe() })).toEqual([
      { name: "good: the declared workload", category: "good", expect: "admit", claims: claims("spiffe://example.org/ns/agents/sa/reviewer") },
      { name: "bad: another workload of the trust domain", category: "identity", expect: "reject", claims: claims("spiffe://example.org/other") },
      { name: "bad: a path below the declared one", category: "identity", expect: "reject", claims: claims("spiffe://example.org/ns/agents/sa/reviewer/child") },
      { name: "bad: the same path in another trust domain", category: "identity", expect: "reject", claims: claims("spiffe://evil.example.org/ns/agents/sa/reviewer") },
    ]);
  });

  test("oidc: another subject and a subject that extends the declared one", () => {
    const claims = (sub: string) => ({ iss: "https://idp.example.com", aud: "gcp", sub });
    expect(workloadFixtures({ source: oidc() })).toEqual([
      { name: "good: the declared workload", category: "good", expect: "admit", claims: claims("agent-7") },
      { name: "bad: another subject", category: "identity", expect: "reject", claims: claims("agent-7-other") },
      { name: "bad: a subject that extends the declared one", category: "identity", expect: "reject", claims: claims("agent-7/x") },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// assertConditionSound
// ---------------------------------------------------------------------------------------------

describe("assertConditionSound: result and exact errors", () => {
  test("a sound condition returns the evaluation of every fixture", () => {
    expect(assertConditionSound({ source: oidc() })).toEqual({
      ok: true,
      results: [
        { admitted: true, name: "good: the declared workload", expect: "admit", ok: true },
        { admitted: false, value: false, name: "bad: another subject", expect: "reject", ok: true },
        { admitted: false, value: false, name: "bad: a subject that extends the declared one", expect: "reject", ok: true },
      ],
      failures: [],
    });
  });

  test("an unnamed member whose good fixture evaluates to false: no name, no error text", () => {
    const e = thrown(() => assertConditionSound({ source: oidc() }, "false"));
    expect(e.message).toBe('the GCP attributeCondition must admit only the declared workload; it rejects "good: the declared workload"; got false');
    expect(e.name).toBe("GcpConditionError");
    expect(brief(e.check)).toEqual({
      ok: false,
      results: [
        ["good: the declared workload", "admit", false, false],
        ["bad: another subject", "reject", true, false],
        ["bad: a subject that extends the declared one", "reject", true, false],
      ],
      failures: ["good: the declared workload"],
    });
  });

  test("a named member whose good fixture fails to evaluate: the name and the evaluation error", () => {
    const e = thrown(() => assertConditionSound({ name: "agent-7", source: oidc() }, "assertion.nonexistent == 'a'"));
    expect(e.message).toBe(
      "the GCP attributeCondition for agent-7 must admit only the declared workload; it rejects \"good: the declared workload\" (No such key: nonexistent); got assertion.nonexistent == 'a'",
    );
  });

  test("every admitted look-alike is listed, joined by '; '", () => {
    const e = thrown(() => assertConditionSound({ name: "agent-7", source: oidc() }, "true"));
    expect(e.message).toBe(
      'the GCP attributeCondition for agent-7 must admit only the declared workload; it admits "bad: another subject"; admits "bad: a subject that extends the declared one"; got true',
    );
    expect(e.check.failures.map((f) => [f.name, f.expect, f.admitted])).toEqual([
      ["bad: another subject", "reject", true],
      ["bad: a subject that extends the declared one", "reject", true],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// assertProviderConditionSound
// ---------------------------------------------------------------------------------------------

describe("assertProviderConditionSound: shared provider conditions", () => {
  const GH_NAMES_ID = [
    "bad: another repository of the same owner",
    "bad: another owner with a repository of the same name",
    "bad: the repository renamed away and its name re-created (same name, new id)",
    "bad: the owner deleted and its name re-registered (same names, new owner id)",
    "bad: the same repository id under another owner id",
    "bad: a fork's own workflow",
  ];
  const PR = "bad: a pull request from a fork (base repository context)";
  const rejected = (name: string) => [name, "reject", true, false];

  test("a context look-alike another member admits by design is dropped; the rest is checked", () => {
    // a: environment prod; b: the same repository pinned to main without an environment.
    // a's "another environment" and "no environment" look-alikes run on main, which b admits.
    const a = { name: "a", source: gh() };
    const b = { name: "b", source: gh({ environment: undefined, branch: "main" }) };
    const cond = attributeCondition([conditionClause(a.source), conditionClause(b.source)]);
    expect(assertProviderConditionSound(cond, [a, b]).map(brief)).toEqual([
      { ok: true, results: [["good: the declared workload", "admit", true, true], ...GH_NAMES_ID.map(rejected), rejected(PR)], failures: [] },
      {
        ok: true,
        results: [
          ["good: the declared workload", "admit", true, true],
          ...GH_NAMES_ID.map(rejected),
          rejected(PR),
          rejected("bad: another branch"),
          rejected("bad: a tag named like the pinned branch"),
        ],
        failures: [],
      },
    ]);
  });

  test("a context look-alike that no other member's clause admits is still reported", () => {
    // a: environment prod, b: environment stage of the same repository; the condition also admits
    // main without an environment, which neither member declares.
    const a = { name: "a", source: gh() };
    const b = { name: "b", source: gh({ environment: "stage" }) };
    const wide = `(${conditionClause(a.source)}) || (${conditionClause(b.source)}) || (assertion.repository_id == '2002' && assertion.ref == 'refs/heads/main' && !has(assertion.environment))`;
    const e = thrown(() => assertProviderConditionSound(wide, [a, b]));
    expect(e.message).toBe(
      `the provider's attributeCondition must admit only the declared workloads; a: admits "bad: a job that uses no environment" | b: admits "bad: a job that uses no environment"; got ${wide}`,
    );
  });

  test("ids another member declares are never used for a member's look-alikes", () => {
    // b's repository id is the first fresh id; were it reused, a's "another repository of the same
    // owner" look-alike would be b's own workload and b's clause would admit it.
    const a = { name: "a", source: gh() };
    const b = { name: "b", source: gh({ repository: "acme/other", repositoryId: 900000001 }) };
    const cond = attributeCondition([conditionClause(a.source), conditionClause(b.source)]);
    const checks = assertProviderConditionSound(cond, [a, b]);
    expect(checks.map((c) => [c.ok, c.failures.length, c.results.length])).toEqual([
      [true, 0, 10],
      [true, 0, 10],
    ]);
    expect(workloadFixtures(a, new Set(["1001", "2002", "900000001"]))[1]!.claims["repository_id"]).toBe("900007920");
  });

  test("failing members are listed by name (else by kind), joined by ' | ', with the merged check", () => {
    const a = { name: "a", source: gh() };
    const b = { source: gh({ environment: "stage" }) };
    const e = thrown(() => assertProviderConditionSound("false", [a, b]));
    expect(e.name).toBe("GcpConditionError");
    expect(e.message).toBe(
      'the provider\'s attributeCondition must admit only the declared workloads; a: rejects "good: the declared workload" | github-actions: rejects "good: the declared workload"; got false',
    );
    const memberResults = [
      ["good: the declared workload", "admit", false, false],
      ...GH_NAMES_ID.map(rejected),
      rejected(PR),
      rejected("bad: another environment"),
      rejected("bad: a job that uses no environment"),
    ];
    expect(brief(e.check)).toEqual({
      ok: false,
      results: [...memberResults, ...memberResults],
      failures: ["good: the declared workload", "good: the declared workload"],
    });
    expect(e.check.failures).toEqual([
      { admitted: false, value: false, name: "good: the declared workload", expect: "admit", ok: false },
      { admitted: false, value: false, name: "good: the declared workload", expect: "admit", ok: false },
    ]);
  });

  test("a sound single-member provider returns exactly one check", () => {
    const checks = assertProviderConditionSound(conditionClause(oidc()), [{ source: oidc() }]);
    expect(checks.map(brief)).toEqual([
      {
        ok: true,
        results: [
          ["good: the declared workload", "admit", true, true],
          ["bad: another subject", "reject", true, false],
          ["bad: a subject that extends the declared one", "reject", true, false],
        ],
        failures: [],
      },
    ]);
  });
});

describe("look-alikes never equal what was declared (found by the mutation review)", () => {
  const names = (fs: WorkloadFixture[]) => fs.map((f) => f.name);
  const claimOf = (fs: WorkloadFixture[], name: string, claim: string) => fs.find((f) => f.name === name)?.claims[claim];
  test("a source pinned to the branch 'attacker-branch' is sound; its other-branch look-alike is attacker-branch-x", () => {
    const member = { name: "a", source: gh({ environment: undefined, branch: "attacker-branch" }) };
    expect(() => assertConditionSound(member)).not.toThrow();
    expect(claimOf(workloadFixtures(member), "bad: another branch", "ref")).toBe("refs/heads/attacker-branch-x");
  });
  test("a managed environment whose exact branches include attacker-branch is sound", () => {
    const github = { environment: GithubEnvironment.parse({ name: "prod", branches: ["main", "attacker-branch"] }) };
    const member = { name: "a", source: gh(), github };
    expect(() => assertConditionSound(member)).not.toThrow();
    expect(claimOf(workloadFixtures(member), "bad: another branch", "ref")).toBe("refs/heads/attacker-branch-x");
  });
  test("a workflow pinned to attacker.yml is sound; its look-alike is attacker-other.yml", () => {
    const member = { name: "a", source: gh({ workflowRef: "acme/shared/.github/workflows/attacker.yml@refs/tags/v1" }) };
    expect(() => assertConditionSound(member)).not.toThrow();
    expect(claimOf(workloadFixtures(member), "bad: another workflow file", "job_workflow_ref")).toBe("acme/shared/.github/workflows/attacker-other.yml@refs/tags/v1");
  });
  test("a SPIFFE id whose path is /other is sound; the other workload of its trust domain is /another", () => {
    const member = { name: "a", source: spiffe({ spiffeId: "spiffe://example.org/other" }) };
    expect(() => assertConditionSound(member)).not.toThrow();
    expect(names(workloadFixtures(member))).toContain("bad: another workload of the trust domain");
    expect(claimOf(workloadFixtures(member), "bad: another workload of the trust domain", "sub")).toBe("spiffe://example.org/another");
  });
});
