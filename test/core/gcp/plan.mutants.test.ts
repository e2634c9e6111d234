/**
 * Pins the exact observable behaviour of core/gcp/plan.ts that plan.test.ts leaves loose: the
 * service account's name/displayName/description (and GCP's length limits), the exact
 * workload-identity-user binding, de-duplication of custom roles and Cloud SQL users by
 * (project, role id) and (project, instance), the error a plan with failing bindings throws, the
 * one-kind-per-issuer and 10-audience limits, and every gcpFindings finding (message, path, fix, key).
 */
import { gcpAssistantPlan, gcpFederationPlan, gcpFindings, type GcpStackInput } from "../../../core/gcp/plan";
import type { GcpAccess } from "../../../core/spec/gcp";
import { assistant, gh, oidc, stack } from "./fixtures";

const PRINCIPAL = "principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ai-prod/subject/repo:acme/payments-api:environment:prod";
const SA_EMAIL = "ai-pr-reviewer-prod@acme-agents-prod.iam.gserviceaccount.com";
const SA_NAME = `projects/acme-agents-prod/serviceAccounts/${SA_EMAIL}`;
const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";
const GITHUB_PROVIDER = "projects/123456789012/locations/global/workloadIdentityPools/ai-prod/providers/github";

/** The error `f` throws (fails the test when it returns). */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a throw, got a return");
}

const vertex = (endpoint: string, project?: string) => ({ kind: "vertex-endpoint-predict" as const, location: "europe-west1", endpoint, ...(project ? { project } : {}) });
const VERTEX_ROLE = (project: string) => ({
  project,
  roleId: "ai_pr_reviewer_prod_vertexPredict",
  title: "pr-reviewer Vertex AI predict",
  description: "Call predict on Vertex AI endpoints (pr-reviewer); nothing else.",
  permissions: ["aiplatform.endpoints.predict"],
});
const sqlUser = (project: string, instance: string) => ({ project, instance, name: "ai-pr-reviewer-prod@acme-agents-prod.iam", type: "CLOUD_IAM_SERVICE_ACCOUNT" });
const auds = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `aud-${from + i}`);

const EXPIRY_FAILURE =
  "must allow until 2027-13-45T00:00:00Z and deny from then; got deny one second before, deny at, deny a day after (timestamp() requires a string in ISO 8601 format)";

describe("gcpAssistantPlan: the service account", () => {
  test("name is projects/<project>/serviceAccounts/<email>; displayName and description are exact", () => {
    expect(gcpAssistantPlan(assistant(), stack()).serviceAccount).toStrictEqual({
      accountId: "ai-pr-reviewer-prod",
      email: SA_EMAIL,
      name: SA_NAME,
      project: "acme-agents-prod",
      displayName: "pr-reviewer (prod)",
      description: "AI assistant pr-reviewer in prod; impersonated only by repo:acme/payments-api:environment:prod; expires 2027-03-01",
      disabled: false,
    });
  });

  test("a revoked assistant's description ends with '; REVOKED' and the account is disabled", () => {
    expect(gcpAssistantPlan(assistant({ revoked: true }), stack()).serviceAccount).toMatchObject({
      description: "AI assistant pr-reviewer in prod; impersonated only by repo:acme/payments-api:environment:prod; expires 2027-03-01; REVOKED",
      disabled: true,
    });
  });

  test("displayName is cut to GCP's 100 characters and description to 256", () => {
    const name = "a".repeat(200);
    const sa = gcpAssistantPlan(assistant({ name }), stack()).serviceAccount!;
    expect(sa.displayName).toBe("a".repeat(100));
    expect(sa.description).toBe(`AI assistant ${"a".repeat(200)} in prod; impersonated only by repo:acme/pa`);
    expect(sa.description).toHaveLength(256);
  });

  test("the workload-identity-user binding: the principal on the SA itself, with the expiry", () => {
    expect(gcpAssistantPlan(assistant(), stack()).bindings[0]).toStrictEqual({
      key: "workload-identity-user",
      grant: "workload-identity-user",
      resource: { kind: "service-account", project: "acme-agents-prod", name: SA_NAME, ids: { serviceAccountId: SA_NAME } },
      role: "roles/iam.workloadIdentityUser",
      member: PRINCIPAL,
      condition: {
        title: "expires 2027-03-01",
        description: "pr-reviewer: access ends 2027-03-01T00:00:00Z",
        expression: "request.time < timestamp('2027-03-01T00:00:00Z')",
      },
    });
  });
});

describe("gcpAssistantPlan: custom roles are created once per (project, role id)", () => {
  test("two endpoints in one project share one role; a third project gets its own role of the same id", () => {
    const p = gcpAssistantPlan(assistant({ gcp: { grants: [vertex("111"), vertex("222"), vertex("333", "acme-ml-prod")] } }), stack());
    expect(p.customRoles).toStrictEqual([VERTEX_ROLE("acme-agents-prod"), VERTEX_ROLE("acme-ml-prod")]);
    expect(p.bindings.slice(1).map((b) => [b.key, b.role, b.resource.name])).toEqual([
      ["vertex-endpoint-predict-europe-west1-111-ai-pr-reviewer-prod-vertexpredict", "projects/acme-agents-prod/roles/ai_pr_reviewer_prod_vertexPredict", "projects/acme-agents-prod/locations/europe-west1/endpoints/111"],
      ["vertex-endpoint-predict-europe-west1-222-ai-pr-reviewer-prod-vertexpredict", "projects/acme-agents-prod/roles/ai_pr_reviewer_prod_vertexPredict", "projects/acme-agents-prod/locations/europe-west1/endpoints/222"],
      ["vertex-endpoint-predict-europe-west1-333-ai-pr-reviewer-prod-vertexpredict", "projects/acme-ml-prod/roles/ai_pr_reviewer_prod_vertexPredict", "projects/acme-ml-prod/locations/europe-west1/endpoints/333"],
    ]);
  });

  test("the same endpoint twice: one role, one binding", () => {
    const p = gcpAssistantPlan(assistant({ gcp: { grants: [vertex("111"), vertex("111")] } }), stack());
    expect(p.customRoles).toStrictEqual([VERTEX_ROLE("acme-agents-prod")]);
    expect(p.bindings).toHaveLength(2);
  });
});

describe("gcpAssistantPlan: Cloud SQL users are created once per (project, instance)", () => {
  test("a repeated instance collapses; another instance or the same instance in another project does not", () => {
    const grants = [
      { kind: "cloudsql-iam-user" as const, instance: "a" },
      { kind: "cloudsql-iam-user" as const, instance: "a" },
      { kind: "cloudsql-iam-user" as const, instance: "b" },
      { kind: "cloudsql-iam-user" as const, project: "acme-ml-prod", instance: "a" },
    ];
    expect(gcpAssistantPlan(assistant({ gcp: { grants } }), stack()).sqlUsers).toStrictEqual([
      sqlUser("acme-agents-prod", "a"),
      sqlUser("acme-agents-prod", "b"),
      sqlUser("acme-ml-prod", "a"),
    ]);
  });
});

describe("gcpAssistantPlan: bindings that fail the checks fail the plan", () => {
  test("an expiry CEL cannot read: GcpSpecError naming the assistant, every binding's finding joined by '; '", () => {
    // Two bindings (workload-identity-user and the bucket read), each denied at every instant.
    const e = thrown(() => gcpAssistantPlan(assistant({ expires: "2027-13-45" }), stack()));
    expect(e.name).toBe("GcpSpecError");
    expect(e.message).toBe(`pr-reviewer: ${EXPIRY_FAILURE}; ${EXPIRY_FAILURE}`);
  });
});

describe("gcpFederationPlan: limits per issuer and provider", () => {
  test("one issuer with two source kinds: the kinds and the assistants are listed, comma-separated", () => {
    const odd = assistant({ name: "odd", source: { kind: "oidc", issuer: GITHUB_ISSUER, subject: "x", audience: "a", allowSubjectWildcard: false } });
    const e = thrown(() => gcpFederationPlan([assistant(), odd], stack()));
    expect(e.name).toBe("GcpSpecError");
    expect(e.message).toBe(`one issuer must have one source kind (one attribute mapping); got github-actions, oidc for ${GITHUB_ISSUER} (pr-reviewer, odd)`);
  });

  test("9 extra audiences (the union over the provider's assistants) plus the canonical name: accepted", () => {
    const a = assistant({ gcp: { audiences: auds(0, 4) } });
    const b = assistant({ name: "docs-bot", source: gh({ environment: "docs" }), gcp: { audiences: auds(4, 8) } });
    expect(gcpFederationPlan([a, b], stack()).providers[0]!.allowedAudiences).toEqual([
      `https://iam.googleapis.com/${GITHUB_PROVIDER}`,
      "aud-4",
      "aud-5",
      "aud-6",
      "aud-7",
      "aud-8",
      "aud-0",
      "aud-1",
      "aud-2",
      "aud-3",
    ]);
  });

  test("10 extra audiences: refused, counting the canonical name (11)", () => {
    const a = assistant({ gcp: { audiences: auds(0, 5) } });
    const b = assistant({ name: "docs-bot", source: gh({ environment: "docs" }), gcp: { audiences: auds(4, 9) } });
    const e = thrown(() => gcpFederationPlan([a, b], stack()));
    expect(e.name).toBe("GcpSpecError");
    expect(e.message).toBe(`a provider accepts at most 10 audiences; got 11 for ${GITHUB_ISSUER}`);
  });

  test("a gcp section without an audiences list (not from the parser) adds none", () => {
    const { audiences: _omitted, ...gcp } = assistant().gcp!;
    const f = gcpFederationPlan([{ ...assistant(), gcp: gcp as GcpAccess }], stack());
    expect(f.providers[0]!.allowedAudiences).toEqual([]);
  });
});

describe("gcpFindings: exact findings for the spec validator", () => {
  test("no platform.gcp: one finding per assistant with a gcp section, at its own index", () => {
    const f = gcpFindings([assistant(), { ...assistant({ name: "aws-only" }), gcp: undefined }, assistant({ name: "docs-bot", source: gh({ environment: "docs" }) })], undefined);
    expect(f).toStrictEqual([
      {
        message: "must have platform.gcp (projectId, projectNumber) when an assistant has a gcp section; got none for pr-reviewer",
        path: "assistants[0].gcp",
        fix: "add platform.gcp with the project id and number",
      },
      {
        message: "must have platform.gcp (projectId, projectNumber) when an assistant has a gcp section; got none for docs-bot",
        path: "assistants[2].gcp",
        fix: "add platform.gcp with the project id and number",
      },
    ]);
  });

  test("an assistant whose plan fails: its message at assistants[i].gcp, keyed Gcp::<name>", () => {
    const f = gcpFindings([assistant({ name: "docs-bot", source: gh({ environment: "docs" }) }), assistant({ expires: "2027-13-45" })], stack());
    expect(f).toStrictEqual([
      {
        message: `pr-reviewer: ${EXPIRY_FAILURE}; ${EXPIRY_FAILURE}`,
        path: "assistants[1].gcp",
        fix: "pin exact, immutable claims and use catalogue grants",
        key: "Gcp::pr-reviewer",
      },
    ]);
  });

  test("a federation that fails (two assistants, one subject): its message at platform.gcp, no key", () => {
    expect(gcpFindings([assistant(), assistant({ name: "twin" })], stack())).toStrictEqual([
      {
        message:
          'each assistant must map to its own GCP principal; pr-reviewer and twin both map to subject "repo:acme/payments-api:environment:prod" (pin a distinct environment, branch or service account)',
        path: "platform.gcp",
        fix: "give every assistant its own exact subject and one source kind per issuer",
      },
    ]);
  });

  test("no assistant has a gcp section: no findings, even for a platform.gcp the planner would refuse", () => {
    // The schema reports a reserved pool id; gcpFindings only speaks for assistants that use GCP.
    const bad: GcpStackInput = { namePrefix: "ai", stack: "prod", gcp: { ...stack().gcp, workloadIdentityPoolId: "gcp-reserved" } };
    expect(() => gcpFederationPlan([], bad)).toThrow("the Workload Identity pool id must not start with 'gcp-' (reserved by Google); got \"gcp-reserved\"");
    expect(gcpFindings([{ ...assistant(), gcp: undefined }], bad)).toStrictEqual([]);
  });
});

describe("gcpAssistantPlan: distinct grants whose keys meet are all kept (found by the mutation review)", () => {
  const grantsOf = (grants: unknown[]) => gcpAssistantPlan(assistant({ gcp: { grants } as never }), stack()).bindings.slice(1).map((b) => [b.key, b.resource.name]);
  test("the same dataset in the assistant's project and in another project: two bindings, the second key hashed", () => {
    // 9afa841a = sha256 of the binding's [project, resource name, role, condition title, description, expression] JSON.
    expect(
      grantsOf([
        { kind: "bigquery-dataset-read", dataset: "sales" },
        { kind: "bigquery-dataset-read", dataset: "sales", project: "acme-data" },
      ]),
    ).toEqual([
      ["bigquery-dataset-read-sales-bigquery-dataviewer", "projects/acme-agents-prod/datasets/sales"],
      ["bigquery-dataset-read-sales-bigquery-dataviewer-9afa841a", "projects/acme-data/datasets/sales"],
    ]);
  });
  test("secrets api_token and api-token fold to one key part: both are bound; the same grant twice is one binding", () => {
    expect(
      grantsOf([
        { kind: "secret-access", secret: "api_token" },
        { kind: "secret-access", secret: "api-token" },
        { kind: "secret-access", secret: "api-token" },
      ]),
    ).toEqual([
      ["secret-access-api-token-secretmanager-secretaccessor", "projects/acme-agents-prod/secrets/api_token"],
      ["secret-access-api-token-secretmanager-secretaccessor-df94d196", "projects/acme-agents-prod/secrets/api-token"],
    ]);
  });
});

describe("gcpFederationPlan: two issuers may not share a provider id (found by the mutation review)", () => {
  test("existing providers of two issuers under one providerId are refused, naming both issuers", () => {
    const condition = "assertion.sub == 'agent-a' || assertion.sub == 'agent-b'";
    const s = stack({
      existingProviders: {
        "https://idp-a.example.com": { providerId: "shared-idp", attributeCondition: condition },
        "https://idp-b.example.com": { providerId: "shared-idp", attributeCondition: condition },
      },
    });
    const members = [
      assistant({ name: "oa", source: oidc({ issuer: "https://idp-a.example.com", subject: "agent-a" }) }),
      assistant({ name: "ob", source: oidc({ issuer: "https://idp-b.example.com", subject: "agent-b" }) }),
    ];
    expect(thrown(() => gcpFederationPlan(members, s)).message).toBe(
      "provider ids must be unique in the pool; got shared-idp for both https://idp-a.example.com and https://idp-b.example.com (give each issuer its own providerId in platform.gcp.existingProviders)",
    );
  });
});
