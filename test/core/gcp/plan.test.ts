import { gcpAssistantPlan, gcpFederationPlan, gcpFindings, assertDistinctPrincipals } from "../../../core/gcp/plan";
import { GcpConditionError } from "../../../core/gcp/soundness";
import { GcpPlatform } from "../../../core/spec/gcp";
import { GithubEnvironment } from "../../../core/spec/github";
import { evaluateAttributeCondition } from "../../../core/gcp/cel";
import { githubClaims } from "../../../core/github/claims";
import { assistant, gh, gitlab, k8s, stack } from "./fixtures";

const PRINCIPAL = "principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ai-prod/subject/repo:acme/payments-api:environment:prod";
const SA = "ai-pr-reviewer-prod@acme-agents-prod.iam.gserviceaccount.com";

describe("gcpAssistantPlan", () => {
  test("service-account mode: SA impersonated only by the one principal, grants on the SA, expiry everywhere", () => {
    const p = gcpAssistantPlan(assistant({ gcp: { grants: [{ kind: "secret-access", secret: "api-token" }], projectRoles: ["roles/logging.logWriter"] } }), stack());
    expect(p).toMatchObject({
      mode: "service-account",
      poolId: "ai-prod",
      providerId: "github",
      providerName: "projects/123456789012/locations/global/workloadIdentityPools/ai-prod/providers/github",
      subject: "repo:acme/payments-api:environment:prod",
      principal: PRINCIPAL,
      member: `serviceAccount:${SA}`,
      serviceAccount: { accountId: "ai-pr-reviewer-prod", email: SA, disabled: false, project: "acme-agents-prod" },
      expiresAt: "2027-03-01T00:00:00Z",
      revoked: false,
    });
    expect(p.bindings.map((b) => [b.key, b.role, b.member])).toEqual([
      ["workload-identity-user", "roles/iam.workloadIdentityUser", PRINCIPAL],
      ["secret-access-api-token-secretmanager-secretaccessor", "roles/secretmanager.secretAccessor", `serviceAccount:${SA}`],
      ["project-acme-agents-prod-logging-logwriter", "roles/logging.logWriter", `serviceAccount:${SA}`],
    ]);
    expect(p.bindings.every((b) => b.condition.expression.endsWith("request.time < timestamp('2027-03-01T00:00:00Z')"))).toBe(true);
  });

  test("direct mode: no service account, grants bound to the principal itself", () => {
    const p = gcpAssistantPlan(assistant({ gcp: { mode: "direct", grants: [{ kind: "storage-bucket-read", bucket: "acme-reports" }] } }), stack());
    expect(p.serviceAccount).toBeUndefined();
    expect(p.member).toBe(PRINCIPAL);
    expect(p.bindings.map((b) => [b.role, b.member])).toEqual([["roles/storage.objectViewer", PRINCIPAL]]);
  });

  test("Cloud SQL grant yields an IAM database user for the SA (no password)", () => {
    const p = gcpAssistantPlan(assistant({ gcp: { grants: [{ kind: "cloudsql-iam-user", instance: "reviews-db" }] } }), stack());
    expect(p.sqlUsers).toEqual([{ project: "acme-agents-prod", instance: "reviews-db", name: "ai-pr-reviewer-prod@acme-agents-prod.iam", type: "CLOUD_IAM_SERVICE_ACCOUNT" }]);
  });

  test("duplicate grants collapse to one binding", () => {
    const p = gcpAssistantPlan(assistant({ gcp: { grants: [{ kind: "secret-access", secret: "s" }, { kind: "secret-access", secret: "s" }] } }), stack());
    expect(p.bindings.filter((b) => b.grant === "secret-access")).toHaveLength(1);
  });

  test("kill switch: SA disabled, every binding removed", () => {
    const p = gcpAssistantPlan(assistant({ revoked: true }), stack());
    expect(p.serviceAccount!.disabled).toBe(true);
    expect(p.serviceAccount!.description).toMatch(/REVOKED/);
    expect(p.bindings).toEqual([]);
    expect(gcpAssistantPlan(assistant({ revoked: true, gcp: { mode: "direct" } }), stack()).bindings).toEqual([]);
  });

  test("fails closed: wildcard pins, long subjects, missing gcp section", () => {
    expect(() => gcpAssistantPlan(assistant({ source: gh({ environment: "*", allowSubjectWildcard: true }) }), stack())).toThrow(/exact environment/);
    expect(() => gcpAssistantPlan(assistant({ source: gh({ environment: "e".repeat(120) }) }), stack())).toThrow(/127 bytes/);
    expect(() => gcpAssistantPlan({ ...assistant(), gcp: undefined }, stack())).toThrow(/no gcp section/);
  });

  test("assistant project override", () => {
    const p = gcpAssistantPlan(assistant({ gcp: { projectId: "acme-agents-dev" } }), stack());
    expect(p.serviceAccount!.email).toBe("ai-pr-reviewer-prod@acme-agents-dev.iam.gserviceaccount.com");
  });
});

describe("gcpFederationPlan: one pool, one provider per issuer", () => {
  const a = assistant();
  const b = assistant({ name: "docs-bot", source: gh({ environment: "docs" }) });
  const c = assistant({ name: "lab-bot", source: gitlab() });
  const d = assistant({ name: "k8s-bot", source: k8s() });

  test("providers per issuer with mapping and the OR of the clauses", () => {
    const f = gcpFederationPlan([a, b, c, d, { ...assistant({ name: "aws-only" }), gcp: undefined }], stack());
    expect(f.poolId).toBe("ai-prod");
    expect(f.managedPool).toBe(true);
    expect(f.providers.map((p) => [p.providerId, p.kind, p.assistants])).toEqual([
      ["gitlab", "gitlab-ci", ["lab-bot"]],
      [expect.stringMatching(/^k8s-[0-9a-f]{8}$/), "kubernetes", ["k8s-bot"]],
      ["github", "github-actions", ["docs-bot", "pr-reviewer"]],
    ]);
    const gp = f.providers.find((p) => p.providerId === "github")!;
    expect(gp.attributeCondition).toBe(
      "(assertion.repository_owner_id == '1001' && assertion.repository_id == '2002' && assertion.environment == 'docs') || (assertion.repository_owner_id == '1001' && assertion.repository_id == '2002' && assertion.environment == 'prod')",
    );
    expect(gp.allowedAudiences).toEqual([]);
    expect(gp.disabled).toBe(false);
  });

  test("a revoked assistant's clause leaves the condition; all revoked disables the provider", () => {
    const f = gcpFederationPlan([a, { ...b, revoked: true }], stack());
    const gp = f.providers[0]!;
    expect(gp.assistants).toEqual(["pr-reviewer"]);
    expect(gp.revokedAssistants).toEqual(["docs-bot"]);
    expect(evaluateAttributeCondition(gp.attributeCondition, githubClaims(b.source as never)).admitted).toBe(false);
    const all = gcpFederationPlan([{ ...a, revoked: true }], stack()).providers[0]!;
    expect(all.disabled).toBe(true);
  });

  test("audiences: the canonical provider name stays accepted", () => {
    const f = gcpFederationPlan([assistant({ gcp: { audiences: ["sts.amazonaws.com"] } })], stack());
    expect(f.providers[0]!.allowedAudiences).toEqual([
      "https://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ai-prod/providers/github",
      "sts.amazonaws.com",
    ]);
  });

  test("two assistants with one subject are refused (a principal is pool-wide)", () => {
    expect(() => gcpFederationPlan([a, assistant({ name: "twin" })], stack())).toThrow(/pr-reviewer and twin both map to subject/);
    expect(() => assertDistinctPrincipals([assistant({ source: k8s() }), assistant({ name: "b", source: k8s({ issuer: "https://other.example.com" }) })])).toThrow(/both map/);
  });

  test("one issuer, two kinds is refused", () => {
    const odd = assistant({ name: "odd", source: { kind: "oidc", issuer: "https://token.actions.githubusercontent.com", subject: "x", audience: "a", allowSubjectWildcard: false } });
    expect(() => gcpFederationPlan([a, odd], stack())).toThrow(/one source kind/);
  });

  test("environment branches managed by the stack narrow the provider condition", () => {
    const e = assistant({ github: { environment: GithubEnvironment.parse({ name: "prod", branches: ["main"] }) } });
    expect(gcpFederationPlan([e], stack()).providers[0]!.attributeCondition).toContain("assertion.ref == 'refs/heads/main'");
  });

  test("existing pool and provider: the declared condition is still proven with CEL", () => {
    const good = stack({
      workloadIdentityPoolId: "shared-pool",
      existingPool: true,
      existingProviders: { "https://token.actions.githubusercontent.com": { providerId: "gh-main", attributeCondition: "assertion.repository_owner_id == '1001' && assertion.repository_id == '2002' && assertion.environment == 'prod'" } },
    });
    const f = gcpFederationPlan([a], good);
    expect(f).toMatchObject({ poolId: "shared-pool", managedPool: false, providers: [{ providerId: "gh-main", managed: false }] });
    expect(gcpAssistantPlan(a, good).providerName).toBe("projects/123456789012/locations/global/workloadIdentityPools/shared-pool/providers/gh-main");
    const loose = stack({ existingProviders: { "https://token.actions.githubusercontent.com": { providerId: "gh-main", attributeCondition: "assertion.repository_owner == 'acme'" } } });
    expect(() => gcpFederationPlan([a], loose)).toThrow(GcpConditionError);
    expect(() => gcpFederationPlan([a], loose)).toThrow(/another repository of the same owner/);
  });

  test("GcpPlatform schema", () => {
    expect(GcpPlatform.safeParse({ projectId: "acme-agents-prod", projectNumber: 123456789012 }).error!.issues[0]!.message).toMatch(/quoted string of digits/);
    expect(GcpPlatform.safeParse({ projectId: "acme-agents-prod", projectNumber: "123456789012", existingPool: true }).error!.issues[0]!.message).toMatch(/workloadIdentityPoolId when existingPool/);
    expect(GcpPlatform.safeParse({ projectId: "acme-agents-prod", projectNumber: "123456789012", workloadIdentityPoolId: "gcp-pool" }).error!.issues[0]!.message).toMatch(/reserved/);
    expect(GcpPlatform.safeParse({ projectId: "x", projectNumber: "123456789012" }).error!.issues[0]!.message).toMatch(/6-30/);
  });
});

describe("gcpFindings for the spec validator", () => {
  test("no platform.gcp", () => {
    expect(gcpFindings([assistant()], undefined)).toEqual([expect.objectContaining({ path: "assistants[0].gcp", message: expect.stringMatching(/must have platform.gcp/) })]);
  });
  test("a clean stack has none; a broken one names the assistant", () => {
    expect(gcpFindings([assistant()], stack())).toEqual([]);
    const f = gcpFindings([assistant(), assistant({ name: "wild", source: gh({ environment: "x*", allowSubjectWildcard: true }) })], stack());
    expect(f[0]).toMatchObject({ path: "assistants[1].gcp", message: expect.stringMatching(/exact environment/) });
  });
  test("an assistant whose own plan fails is reported once, at its own path (the federation is planned without it)", () => {
    const f = gcpFindings([assistant(), assistant({ name: "wild", source: gh({ environment: "x*", allowSubjectWildcard: true }) })], stack());
    expect(f.map((x) => x.path)).toEqual(["assistants[1].gcp"]);
  });
  test("a federation problem among the assistants that plan is still reported at platform.gcp", () => {
    const f = gcpFindings([assistant(), assistant({ name: "twin" }), assistant({ name: "wild", source: gh({ environment: "x*", allowSubjectWildcard: true }) })], stack());
    expect(f.map((x) => x.path)).toEqual(["assistants[2].gcp", "platform.gcp"]);
    expect(f[1].message).toMatch(/own GCP principal/);
  });
});

describe("provider shards (platform.gcp.providerShards)", () => {
  const { gcpFederationPlan, gcpAssistantPlan } = require("../../../core/gcp/plan");
  const { evaluateAttributeCondition } = require("../../../core/gcp/cel");
  const stack = (shards: number) => ({ namePrefix: "ai", stack: "prod", gcp: { projectId: "acme-agents", projectNumber: "123456789012", existingPool: false, existingProviders: {}, providerShards: shards } });
  const gh = (i: number) => ({
    name: `agent-${i}`,
    environment: "prod",
    expires: "2027-06-30",
    revoked: false,
    source: { kind: "github-actions", repository: `acme/service-${i}`, ownerId: 81234567, repositoryId: 700000000 + i, environment: "ai-prod", subjectForm: "classic", issuer: "https://token.actions.githubusercontent.com", allowSubjectWildcard: false },
    gcp: { mode: "service-account", grants: [{ kind: "pubsub-topic-publish", topic: `t-${i}` }], projectRoles: [], audiences: [] },
  });
  const many = Array.from({ length: 120 }, (_, i) => gh(i));

  test("one provider cannot hold 120 GitHub assistants: the error names the fix", () => {
    expect(() => gcpFederationPlan(many, stack(1))).toThrow(/at most 4096 characters.*providerShards/);
  });

  test("with shards every provider fits, each assistant is admitted by its own provider only, and adding one moves no other", () => {
    const plan = gcpFederationPlan(many, stack(8));
    expect(plan.providers.length).toBeGreaterThan(1);
    expect(plan.providers.length).toBeLessThanOrEqual(8);
    for (const p of plan.providers) expect(p.providerId).toMatch(/^github-s[0-7]$/);
    // Spread evenly enough that no shard holds more than twice its share.
    for (const p of plan.providers) expect(p.assistants.length).toBeLessThanOrEqual((2 * many.length) / 8);
    for (const p of plan.providers) expect(p.attributeCondition.length).toBeLessThanOrEqual(4096);
    for (const a of many.slice(0, 10)) {
      const mine = gcpAssistantPlan(a, stack(8)).providerName;
      const claims = { sub: `repo:acme/service-${a.name.split("-")[1]}:environment:ai-prod`, repository: a.source.repository, repository_id: String(a.source.repositoryId), repository_owner: "acme", repository_owner_id: "81234567", environment: "ai-prod", ref: "refs/heads/main" };
      for (const p of plan.providers) {
        expect(evaluateAttributeCondition(p.attributeCondition, claims).admitted).toBe(p.name === mine);
      }
    }
    const grown = gcpFederationPlan([...many, gh(500)], stack(8));
    const where = (pl: any) => new Map(pl.providers.flatMap((p: any) => p.assistants.map((n: string) => [n, p.providerId])));
    const before = where(plan);
    const after = where(grown);
    for (const [n, id] of before) expect(after.get(n)).toBe(id);
  });
});
