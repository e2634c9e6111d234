/**
 * Every generated attribute condition, evaluated with the real CEL engine against named token
 * claim sets: the declared workload passes; look-alikes fail.
 */
import { evaluate as celEvaluate } from "@marcbachmann/cel-js";
import { checkCondition, type ClaimFixture } from "../../../core/gcp/cel";
import {
  attributeCondition,
  attributeMapping,
  conditionClause,
  googleSubject,
  principal,
  principalSet,
  isBroadMember,
  MAX_ATTRIBUTE_CONDITION,
} from "../../../core/gcp/provider";
import { assertConditionSound, assertProviderConditionSound, workloadFixtures, GcpConditionError } from "../../../core/gcp/soundness";
import { githubClaims } from "../../../core/github/claims";
import { GithubEnvironment } from "../../../core/spec/github";
import { gh, gitlab, k8s, oidc, spiffe } from "./fixtures";

const good = (name: string, claims: Record<string, unknown>): ClaimFixture => ({ name, claims, expect: "admit" });
const bad = (name: string, claims: Record<string, unknown>): ClaimFixture => ({ name, claims, expect: "reject" });

function expectAll(condition: string, fixtures: ClaimFixture[]) {
  const r = checkCondition(condition, fixtures);
  expect(r.failures.map((f) => `${f.name} (${f.error ?? f.value ?? "admitted"})`)).toEqual([]);
}

describe("GitHub Actions: immutable ids plus the pins", () => {
  const token = (o: Record<string, string | undefined> = {}) => {
    const c: Record<string, string | undefined> = {
      sub: "repo:acme/payments-api:environment:prod",
      repository: "acme/payments-api",
      repository_id: "2002",
      repository_owner: "acme",
      repository_owner_id: "1001",
      environment: "prod",
      ref: "refs/heads/main",
      ref_type: "branch",
      event_name: "push",
      job_workflow_ref: "acme/payments-api/.github/workflows/assistant.yml@refs/heads/main",
      ...o,
    };
    return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined));
  };

  test("environment pin: exact condition text", () => {
    expect(conditionClause(gh())).toBe("assertion.repository_owner_id == '1001' && assertion.repository_id == '2002' && assertion.environment == 'prod'");
  });

  test("environment pin: hand-written fixtures", () => {
    expectAll(conditionClause(gh()), [
      good("good: the declared repository and environment", token()),
      good("good: the same repository after a rename (ids unchanged)", token({ repository: "acme/payments", sub: "repo:acme/payments:environment:prod" })),
      bad("bad: another repository of the owner", token({ repository: "acme/other", repository_id: "2003" })),
      bad("bad: another owner", token({ repository: "evil/payments-api", repository_owner: "evil", repository_owner_id: "666", repository_id: "777" })),
      bad("bad: renamed away and the name re-created with a new id", token({ repository_id: "9999" })),
      bad("bad: a fork's pull request in the base repository", token({ event_name: "pull_request", ref: "refs/pull/12/merge", environment: undefined, sub: "repo:acme/payments-api:pull_request" })),
      bad("bad: a fork's own workflow", token({ repository: "forker/payments-api", repository_owner: "forker", repository_owner_id: "4242", repository_id: "4343" })),
      bad("bad: another environment", token({ environment: "staging" })),
      bad("bad: no environment", token({ environment: undefined })),
      bad("bad: ids as numbers are not the strings GitHub issues", { ...token(), repository_owner_id: 1001, repository_id: 2002 }),
    ]);
  });

  test("branch pin and workflow pin", () => {
    const src = gh({ environment: undefined, branch: "main", workflowRef: "acme/shared/.github/workflows/assistant.yml@refs/heads/main" });
    const cond = conditionClause(src);
    expect(cond).toBe(
      "assertion.repository_owner_id == '1001' && assertion.repository_id == '2002' && assertion.ref == 'refs/heads/main' && assertion.job_workflow_ref == 'acme/shared/.github/workflows/assistant.yml@refs/heads/main'",
    );
    const t = (o: Record<string, string | undefined> = {}) => token({ environment: undefined, job_workflow_ref: "acme/shared/.github/workflows/assistant.yml@refs/heads/main", ...o });
    expectAll(cond, [
      good("good: main, the pinned reusable workflow", t()),
      bad("bad: another branch", t({ ref: "refs/heads/feature" })),
      bad("bad: a tag named main", t({ ref: "refs/tags/main", ref_type: "tag" })),
      bad("bad: another workflow file", t({ job_workflow_ref: "acme/shared/.github/workflows/evil.yml@refs/heads/main" })),
      bad("bad: the workflow from another branch", t({ job_workflow_ref: "acme/shared/.github/workflows/assistant.yml@refs/heads/dev" })),
    ]);
  });

  test("tag pin", () => {
    const cond = conditionClause(gh({ environment: undefined, tag: "v1.2.3" }));
    expectAll(cond, [
      good("good: the tag", token({ environment: undefined, ref: "refs/tags/v1.2.3", ref_type: "tag" })),
      bad("bad: a branch named like the tag", token({ environment: undefined, ref: "refs/heads/v1.2.3" })),
      bad("bad: another tag", token({ environment: undefined, ref: "refs/tags/v1.2.4", ref_type: "tag" })),
    ]);
  });

  test("environment with exact branches managed by the stack also pins the ref", () => {
    const env = GithubEnvironment.parse({ name: "prod", branches: ["main", "release"] });
    const cond = conditionClause(gh(), { environment: env });
    expect(cond).toContain("assertion.ref in ['refs/heads/main', 'refs/heads/release']");
    expectAll(cond, [
      good("good: main", token()),
      good("good: release", token({ ref: "refs/heads/release" })),
      bad("bad: environment prod from another branch", token({ ref: "refs/heads/evil" })),
      bad("bad: environment prod from a fork's pull request", token({ ref: "refs/pull/3/merge", event_name: "pull_request" })),
    ]);
    // protected-branch policy and patterns cannot be mirrored in CEL: no ref pin then
    expect(conditionClause(gh(), { environment: GithubEnvironment.parse({ name: "prod", branches: "protected" }) })).not.toContain("assertion.ref");
    expect(conditionClause(gh(), { environment: GithubEnvironment.parse({ name: "prod", branches: ["release/*"] }) })).not.toContain("assertion.ref");
    // an environment of another name does not lend its branches
    expect(conditionClause(gh(), { environment: GithubEnvironment.parse({ name: "stage", branches: ["main"] }) })).not.toContain("assertion.ref");
  });

  test("a hostile environment name stays a literal", () => {
    const src = gh({ environment: "prod'||true||'" });
    const cond = conditionClause(src);
    expectAll(cond, [good("good: the odd name", token({ environment: "prod'||true||'" })), bad("bad: any other environment", token({ environment: "dev" }))]);
    assertConditionSound({ source: src });
  });

  test("wildcard pins are refused for GCP", () => {
    expect(() => conditionClause(gh({ environment: "prod-*", allowSubjectWildcard: true }))).toThrow(/exact environment/);
    expect(() => conditionClause(gh({ environment: undefined, branch: "release/*", allowSubjectWildcard: true }))).toThrow(/exact branch/);
  });

  test("the generated fixtures pass for classic, immutable and custom-template sources", () => {
    for (const src of [
      gh(),
      gh({ subjectForm: "immutable" }),
      gh({ environment: undefined, branch: "main" }),
      gh({ subjectClaims: ["repository_owner_id", "repository_id", "environment"] }),
      gh({ workflowRef: "acme/shared/.github/workflows/a.yml@refs/tags/v1" }),
    ]) {
      const check = assertConditionSound({ source: src });
      expect(check.results.length).toBeGreaterThanOrEqual(8);
      expect(check.results.filter((r) => r.expect === "admit")).toHaveLength(1);
    }
  });
});

describe("GitLab CI: project path and ref", () => {
  const t = (o: Record<string, string> = {}) => ({ sub: "project_path:platform/agents:ref_type:branch:ref:main", project_path: "platform/agents", ref: "main", ref_type: "branch", ...o });
  test("hand-written fixtures", () => {
    const cond = conditionClause(gitlab());
    expect(cond).toBe("assertion.project_path == 'platform/agents' && assertion.ref_type == 'branch' && assertion.ref == 'main'");
    expectAll(cond, [
      good("good: the project on main", t()),
      bad("bad: another project", t({ project_path: "platform/other" })),
      bad("bad: same project name, another group", t({ project_path: "evil/agents" })),
      bad("bad: a longer path that starts the same", t({ project_path: "platform/agents-fork" })),
      bad("bad: another branch", t({ ref: "dev" })),
      bad("bad: a tag named main", t({ ref_type: "tag" })),
    ]);
    assertConditionSound({ source: gitlab() });
  });
});

describe("Kubernetes: namespace and service account", () => {
  const t = (ns: string, sa: string) => ({ sub: `system:serviceaccount:${ns}:${sa}`, "kubernetes.io": { namespace: ns, serviceaccount: { name: sa, uid: "u" } } });
  test("hand-written fixtures", () => {
    const cond = conditionClause(k8s());
    expect(cond).toContain("assertion['kubernetes.io']['namespace'] == 'agents'");
    expectAll(cond, [
      good("good: agents/pr-reviewer", t("agents", "pr-reviewer")),
      bad("bad: same SA name in another namespace", t("default", "pr-reviewer")),
      bad("bad: another SA", t("agents", "builder")),
      bad("bad: a token without kubernetes.io", { sub: "system:serviceaccount:agents:pr-reviewer" }),
    ]);
    assertConditionSound({ source: k8s() });
  });
});

describe("SPIFFE and generic OIDC: the exact sub", () => {
  test("SPIFFE", () => {
    const cond = conditionClause(spiffe());
    expect(cond).toBe("assertion.sub == 'spiffe://example.org/ns/agents/sa/reviewer'");
    expectAll(cond, [
      good("good: the SPIFFE ID", { sub: "spiffe://example.org/ns/agents/sa/reviewer" }),
      bad("bad: a child path", { sub: "spiffe://example.org/ns/agents/sa/reviewer/x" }),
      bad("bad: another trust domain", { sub: "spiffe://evil.org/ns/agents/sa/reviewer" }),
    ]);
    assertConditionSound({ source: spiffe() });
  });
  test("OIDC", () => {
    expectAll(conditionClause(oidc()), [good("good", { sub: "agent-7" }), bad("bad: agent-70", { sub: "agent-70" })]);
    assertConditionSound({ source: oidc() });
  });
});

describe("assertConditionSound fails closed on unsound conditions", () => {
  test.each([
    ["name-based (survives a re-created repository)", "assertion.repository == 'acme/payments-api' && assertion.environment == 'prod'", /renamed away/],
    ["owner only", "assertion.repository_owner_id == '1001' && assertion.environment == 'prod'", /another repository/],
    ["repository id only (another owner id)", "assertion.repository_id == '2002' && assertion.environment == 'prod'", /same repository id under another owner/],
    ["author-controlled claim only", "assertion.environment == 'prod'", /another owner/],
    ["admits everything", "true", /fork/],
    ["admits nothing", "false", /rejects "good/],
  ])("%s", (_n, cond, why) => {
    expect(() => assertConditionSound({ name: "pr-reviewer", source: gh() }, cond)).toThrow(GcpConditionError);
    expect(() => assertConditionSound({ name: "pr-reviewer", source: gh() }, cond)).toThrow(why);
  });
  test("ids without the environment pin admit another environment", () => {
    expect(() => assertConditionSound({ source: gh() }, "assertion.repository_owner_id == '1001' && assertion.repository_id == '2002'")).toThrow(/another environment/);
  });
});

describe("provider condition shared by the assistants of one issuer", () => {
  const a = { name: "a", source: gh() };
  const b = { name: "b", source: gh({ environment: "stage" }) };
  const c = { name: "c", source: gh({ repository: "acme/web", repositoryId: 3003, environment: undefined, branch: "main" }) };
  const cond = attributeCondition([a, b, c].map((m) => conditionClause(m.source)));

  test("ORs the clauses in parentheses and stays sound", () => {
    expect(cond.split(" || ")).toHaveLength(3);
    expect(() => assertProviderConditionSound(cond, [a, b, c])).not.toThrow();
  });
  test("admits each member and no other repository", () => {
    for (const m of [a, b, c]) expect(checkCondition(cond, [good(m.name, githubClaims(m.source))]).ok).toBe(true);
    const other = githubClaims(gh({ repository: "acme/secret", repositoryId: 5005 }));
    expect(checkCondition(cond, [bad("another repository", other)]).ok).toBe(true);
  });
  test("a condition that forgets one member fails", () => {
    expect(() => assertProviderConditionSound(attributeCondition([conditionClause(a.source)]), [a, b])).toThrow(/b: rejects "good/);
  });
  test("a widened member fails", () => {
    const wide = `(${conditionClause(a.source)}) || (assertion.repository_owner_id == '1001')`;
    expect(() => assertProviderConditionSound(wide, [a])).toThrow(/another repository/);
  });
  test(`more than ${MAX_ATTRIBUTE_CONDITION} characters is refused`, () => {
    const clauses = Array.from({ length: 40 }, (_, i) => conditionClause(gh({ environment: `environment-number-${i}` })));
    expect(() => attributeCondition(clauses)).toThrow(/at most 4096 characters; got \d+ for 40 assistants/);
    expect(() => attributeCondition([])).toThrow(/at least one/);
  });
});

describe("attribute mapping", () => {
  test.each([
    ["github-actions", githubClaims(gh()), { "google.subject": "repo:acme/payments-api:environment:prod", "attribute.repository_id": "2002", "attribute.environment": "prod" }],
    ["github-actions without environment", githubClaims(gh({ environment: undefined, branch: "main" })), { "attribute.environment": "", "attribute.ref": "refs/heads/main" }],
    ["gitlab-ci", workloadFixtures({ source: gitlab() })[0]!.claims, { "google.subject": "project_path:platform/agents:ref_type:branch:ref:main", "attribute.project_path": "platform/agents" }],
    ["kubernetes", workloadFixtures({ source: k8s() })[0]!.claims, { "attribute.namespace": "agents", "attribute.service_account_name": "pr-reviewer" }],
    ["spiffe", workloadFixtures({ source: spiffe() })[0]!.claims, { "google.subject": "spiffe://example.org/ns/agents/sa/reviewer" }],
  ] as const)("%s: every expression evaluates on a real token", (kind, claims, expected) => {
    const mapping = attributeMapping(kind.split(" ")[0] as "github-actions");
    const mapped: Record<string, unknown> = {};
    for (const [k, expr] of Object.entries(mapping)) {
      const v = (() => {
        try {
          return celEvaluate(expr, { assertion: claims });
        } catch (e) {
          throw new Error(`${k} = ${expr}: ${(e as Error).message}`);
        }
      })();
      mapped[k] = v;
    }
    expect(mapped).toMatchObject(expected);
    expect(mapping["google.subject"]).toBe("assertion.sub");
  });
});

describe("principals", () => {
  test("principal:// names the exact subject", () => {
    expect(principal("123456789012", "ai-prod", googleSubject(gh()))).toBe(
      "principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ai-prod/subject/repo:acme/payments-api:environment:prod",
    );
    expect(googleSubject(gh({ subjectForm: "immutable" }))).toBe("repo:acme@1001/payments-api@2002:environment:prod");
  });
  test("google.subject over 127 bytes is refused; exactly 127 passes", () => {
    const base = "repo:acme/payments-api:environment:".length;
    expect(() => googleSubject(gh({ environment: "e".repeat(127 - base) }))).not.toThrow();
    expect(() => googleSubject(gh({ environment: "e".repeat(128 - base) }))).toThrow(/at most 127 bytes; got 128/);
    // multi-byte characters count in bytes
    expect(() => googleSubject(gh({ environment: "é".repeat(50) }))).toThrow(/got 135/);
  });
  test("principalSet only for narrow attributes and exact values; never the whole pool", () => {
    expect(principalSet("1", "ai-prod", "repository_id", "2002")).toBe("principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/ai-prod/attribute.repository_id/2002");
    expect(() => principalSet("1", "ai-prod", "environment", "prod")).toThrow(/must name one of/);
    expect(() => principalSet("1", "ai-prod", "repository_id", "*")).toThrow(/exact/);
    expect(() => principal("1", "ai-prod", "*")).toThrow(/exact subject/);
    expect(isBroadMember("principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/ai-prod/*")).toBe(true);
    expect(isBroadMember("allUsers")).toBe(true);
    expect(isBroadMember("allAuthenticatedUsers")).toBe(true);
    expect(isBroadMember(principal("1", "ai-prod", "repo:acme/x:ref:refs/heads/main"))).toBe(false);
  });
});
