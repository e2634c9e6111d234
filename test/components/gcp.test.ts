/** GCP components under Pulumi's mocks: exact inputs, parents, kill switch, outputs, fail-closed construction. */
import { recordingMocks, resolve, settle, one, type Rec } from "./gcp-mocks";
import { assistant, gh, gitlab, stack } from "../core/gcp/fixtures";
import { GithubEnvironment } from "../../core/spec/github";

let records: Rec[];
let outputs: Record<string, unknown>;
const st = stack();
const EXP = "request.time < timestamp('2027-03-01T00:00:00Z')";
const POOL = "projects/123456789012/locations/global/workloadIdentityPools/ai-prod";
const PRINCIPAL = `principal://iam.googleapis.com/${POOL}/subject/repo:acme/payments-api:environment:prod`;
const SA = "ai-pr-reviewer-prod@acme-agents-prod.iam.gserviceaccount.com";

const reviewer = assistant({
  github: { environment: GithubEnvironment.parse({ name: "prod", branches: ["main"] }) },
  gcp: {
    grants: [
      { kind: "storage-bucket-read", bucket: "acme-reports", prefix: "weekly/" },
      { kind: "bigquery-dataset-read", dataset: "sales" },
      { kind: "bigquery-table-read", dataset: "sales", table: "orders" },
      { kind: "secret-access", secret: "api-token" },
      { kind: "pubsub-topic-publish", topic: "reviews" },
      { kind: "pubsub-subscription-consume", subscription: "jobs" },
      { kind: "artifact-registry-read", location: "europe-west1", repository: "images" },
      { kind: "cloud-run-invoke", location: "europe-west1", service: "summariser" },
      { kind: "vertex-endpoint-predict", location: "europe-west4", endpoint: "1234567890" },
      { kind: "cloudsql-iam-user", instance: "reviews-db" },
    ],
    projectRoles: ["roles/logging.logWriter"],
  },
});
const labBot = assistant({ name: "lab-bot", source: gitlab(), gcp: { mode: "direct", grants: [{ kind: "storage-bucket-write", bucket: "acme-lab" }] } });
const gone = assistant({ name: "gone-bot", revoked: true, source: gh({ environment: "old" }), gcp: { grants: [{ kind: "secret-access", secret: "old" }] } });

beforeAll(async () => {
  records = await recordingMocks();
  const { GcpWorkloadIdentityFederation, AssistantGcpIdentity } = await import("../../components/gcp");
  const fed = new GcpWorkloadIdentityFederation("ai-prod-gcp", { assistants: [reviewer, labBot, gone], stack: st });
  const ids = [reviewer, labBot, gone].map((a) => new AssistantGcpIdentity(`ai-${a.name}-prod-gcp`, { assistant: a, stack: st, federation: fed }));
  outputs = {
    email: await resolve(ids[0]!.serviceAccountEmail),
    provider: await resolve(ids[0]!.providerName),
    principal: await resolve(ids[0]!.principal),
    bindings: await resolve(ids[0]!.bindings),
    expiresAt: await resolve(ids[0]!.expiresAt),
    directEmail: await resolve(ids[1]!.serviceAccountEmail),
    goneRevoked: await resolve(ids[2]!.revoked),
    goneBindings: await resolve(ids[2]!.bindings),
    providerNames: await resolve(fed.providerNames),
  };
  await settle();
});

const cond = (expression: string, title = "expires 2027-03-01", assistantName = "pr-reviewer") => ({
  title,
  description: `${assistantName}: access ends 2027-03-01T00:00:00Z`,
  expression,
});

describe("WorkloadIdentityFederation", () => {
  test("one pool per stack", () => {
    expect(one(records, "gcp:iam/workloadIdentityPool:WorkloadIdentityPool", "ai-prod-gcp-pool").inputs).toEqual({
      project: "acme-agents-prod",
      workloadIdentityPoolId: "ai-prod",
      displayName: "AI assistants prod",
      description: "Workload identities of the AI assistants of stack prod (managed by assistant-identities)",
      disabled: false,
    });
  });

  test("GitHub provider: mapping, mandatory condition of immutable ids (revoked assistant left out), issuer", () => {
    const p = one(records, "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider", "ai-prod-gcp-github");
    expect(p.inputs).toEqual({
      project: "acme-agents-prod",
      workloadIdentityPoolId: "ai-prod",
      workloadIdentityPoolProviderId: "github",
      displayName: "github-actions github",
      description: "https://token.actions.githubusercontent.com; admits pr-reviewer",
      disabled: false,
      attributeMapping: {
        "google.subject": "assertion.sub",
        "attribute.repository_id": "assertion.repository_id",
        "attribute.repository_owner_id": "assertion.repository_owner_id",
        "attribute.repository": "assertion.repository",
        "attribute.ref": "assertion.ref",
        "attribute.job_workflow_ref": "assertion.job_workflow_ref",
        "attribute.environment": "has(assertion.environment) ? assertion.environment : ''",
      },
      attributeCondition: "assertion.repository_owner_id == '1001' && assertion.repository_id == '2002' && assertion.environment == 'prod' && assertion.ref == 'refs/heads/main'",
      oidc: { issuerUri: "https://token.actions.githubusercontent.com" },
    });
    expect(p.dependencies).toContain(one(records, "gcp:iam/workloadIdentityPool:WorkloadIdentityPool", "ai-prod-gcp-pool").urn);
  });

  test("GitLab provider", () => {
    const p = one(records, "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider", "ai-prod-gcp-gitlab");
    expect(p.inputs.attributeCondition).toBe("assertion.project_path == 'platform/agents' && assertion.ref_type == 'branch' && assertion.ref == 'main'");
    expect(p.inputs.oidc).toEqual({ issuerUri: "https://gitlab.com" });
  });

  test("outputs provider names per provider id", () => {
    expect(outputs.providerNames).toEqual({
      gitlab: `${POOL}/providers/gitlab`,
      github: `${POOL}/providers/github`,
    });
  });
});

describe("AssistantGcpIdentity (service-account mode)", () => {
  test("the service account", () => {
    expect(one(records, "gcp:serviceaccount/account:Account", "ai-pr-reviewer-prod-gcp-sa").inputs).toEqual({
      project: "acme-agents-prod",
      accountId: "ai-pr-reviewer-prod",
      displayName: "pr-reviewer (prod)",
      description: "AI assistant pr-reviewer in prod; impersonated only by repo:acme/payments-api:environment:prod; expires 2027-03-01",
      disabled: false,
    });
  });

  test("impersonated only by its single federated principal, until the expiry", () => {
    const m = one(records, "gcp:serviceaccount/iAMMember:IAMMember", "ai-pr-reviewer-prod-gcp-workload-identity-user");
    expect(m.inputs).toEqual({ serviceAccountId: `projects/acme-agents-prod/serviceAccounts/${SA}`, role: "roles/iam.workloadIdentityUser", member: PRINCIPAL, condition: cond(EXP) });
    expect(m.dependencies).toContain(one(records, "gcp:serviceaccount/account:Account", "ai-pr-reviewer-prod-gcp-sa").urn);
  });

  const member = `serviceAccount:${SA}`;
  test.each([
    ["gcp:storage/bucketIAMMember:BucketIAMMember", "storage-bucket-read-acme-reports-weekly-storage-objectviewer", {
      bucket: "acme-reports", role: "roles/storage.objectViewer", member,
      condition: { title: "scoped, expires 2027-03-01", description: "pr-reviewer: objects under weekly/; access ends 2027-03-01T00:00:00Z", expression: `resource.name.startsWith('projects/_/buckets/acme-reports/objects/weekly/') && ${EXP}` },
    }],
    ["gcp:bigquery/datasetIamMember:DatasetIamMember", "bigquery-dataset-read-sales-bigquery-dataviewer", { project: "acme-agents-prod", datasetId: "sales", role: "roles/bigquery.dataViewer", member, condition: cond(EXP) }],
    ["gcp:bigquery/iamMember:IamMember", "bigquery-table-read-sales-orders-bigquery-dataviewer", { project: "acme-agents-prod", datasetId: "sales", tableId: "orders", role: "roles/bigquery.dataViewer", member, condition: cond(EXP) }],
    ["gcp:secretmanager/secretIamMember:SecretIamMember", "secret-access-api-token-secretmanager-secretaccessor", { project: "acme-agents-prod", secretId: "api-token", role: "roles/secretmanager.secretAccessor", member, condition: cond(EXP) }],
    ["gcp:pubsub/topicIAMMember:TopicIAMMember", "pubsub-topic-publish-reviews-pubsub-publisher", { project: "acme-agents-prod", topic: "reviews", role: "roles/pubsub.publisher", member, condition: cond(EXP) }],
    ["gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember", "pubsub-subscription-consume-jobs-pubsub-subscriber", { project: "acme-agents-prod", subscription: "jobs", role: "roles/pubsub.subscriber", member, condition: cond(EXP) }],
    ["gcp:artifactregistry/repositoryIamMember:RepositoryIamMember", "artifact-registry-read-europe-west1-images-artifactregistry-reader", { project: "acme-agents-prod", location: "europe-west1", repository: "images", role: "roles/artifactregistry.reader", member, condition: cond(EXP) }],
    ["gcp:cloudrunv2/serviceIamMember:ServiceIamMember", "cloud-run-invoke-europe-west1-summariser-run-invoker", { project: "acme-agents-prod", location: "europe-west1", name: "summariser", role: "roles/run.invoker", member, condition: cond(EXP) }],
    ["gcp:vertex/aiEndpointIamMember:AiEndpointIamMember", "vertex-endpoint-predict-europe-west4-1234567890-ai-pr-reviewer-prod-vertexpredict", { project: "acme-agents-prod", location: "europe-west4", endpoint: "1234567890", role: "projects/acme-agents-prod/roles/ai_pr_reviewer_prod_vertexPredict", member, condition: cond(EXP) }],
    ["gcp:projects/iAMMember:IAMMember", "project-acme-agents-prod-logging-logwriter", { project: "acme-agents-prod", role: "roles/logging.logWriter", member, condition: cond(EXP) }],
  ])("%s %s", (type, key, inputs) => {
    expect(one(records, type, `ai-pr-reviewer-prod-gcp-${key}`).inputs).toEqual(inputs);
  });

  test("Cloud SQL: instance-scoped project bindings and an IAM database user without password", () => {
    const sqlCond = {
      title: "scoped, expires 2027-03-01",
      description: "pr-reviewer: Cloud SQL instance reviews-db only; access ends 2027-03-01T00:00:00Z",
      expression: `resource.service == 'sqladmin.googleapis.com' && resource.name == 'projects/acme-agents-prod/instances/reviews-db' && ${EXP}`,
    };
    expect(one(records, "gcp:projects/iAMMember:IAMMember", "ai-pr-reviewer-prod-gcp-cloudsql-iam-user-acme-agents-prod-reviews-db-cloudsql-client").inputs).toEqual({ project: "acme-agents-prod", role: "roles/cloudsql.client", member, condition: sqlCond });
    expect(one(records, "gcp:projects/iAMMember:IAMMember", "ai-pr-reviewer-prod-gcp-cloudsql-iam-user-acme-agents-prod-reviews-db-cloudsql-instanceuser").inputs.role).toBe("roles/cloudsql.instanceUser");
    const u = one(records, "gcp:sql/user:User", "ai-pr-reviewer-prod-gcp-sql-reviews-db");
    expect(u.inputs).toEqual({ project: "acme-agents-prod", instance: "reviews-db", name: "ai-pr-reviewer-prod@acme-agents-prod.iam", type: "CLOUD_IAM_SERVICE_ACCOUNT" });
    expect(u.inputs.password).toBeUndefined();
  });

  test("the Vertex custom role carries one permission and the binding waits for it", () => {
    const r = one(records, "gcp:projects/iAMCustomRole:IAMCustomRole", "ai-pr-reviewer-prod-gcp-role-ai-pr-reviewer-prod-vertexpredict");
    expect(r.inputs).toEqual({
      project: "acme-agents-prod",
      roleId: "ai_pr_reviewer_prod_vertexPredict",
      title: "pr-reviewer Vertex AI predict",
      description: "Call predict on Vertex AI endpoints (pr-reviewer); nothing else.",
      permissions: ["aiplatform.endpoints.predict"],
      stage: "GA",
    });
    expect(one(records, "gcp:vertex/aiEndpointIamMember:AiEndpointIamMember", "ai-pr-reviewer-prod-gcp-vertex-endpoint-predict-europe-west4-1234567890-ai-pr-reviewer-prod-vertexpredict").dependencies).toContain(r.urn);
  });

  test("no basic, token-creator or key-admin role anywhere; every member is one identity; every binding expires", () => {
    const iam = records.filter((r) => /IAMMember|IamMember/.test(r.type));
    expect(iam.length).toBeGreaterThan(10);
    for (const r of iam) {
      expect(r.inputs.role).not.toMatch(/^roles\/(owner|editor|viewer)$|tokenCreator|keyAdmin/i);
      expect(r.inputs.member).not.toMatch(/\/\*$|^allUsers$|^allAuthenticatedUsers$/);
      expect(r.inputs.condition.expression).toContain(EXP);
    }
  });

  test("outputs", () => {
    expect(outputs).toMatchObject({ email: SA, provider: `${POOL}/providers/github`, principal: PRINCIPAL, expiresAt: "2027-03-01T00:00:00Z", directEmail: undefined, goneRevoked: true, goneBindings: [] });
    expect((outputs.bindings as unknown[])[0]).toEqual({ resource: `projects/acme-agents-prod/serviceAccounts/${SA}`, role: "roles/iam.workloadIdentityUser", member: PRINCIPAL, condition: EXP });
  });
});

describe("direct mode and kill switch", () => {
  test("direct mode: no service account; the principal holds the grant", () => {
    expect(records.filter((r) => r.name.startsWith("ai-lab-bot-prod-gcp") && r.type === "gcp:serviceaccount/account:Account")).toEqual([]);
    expect(one(records, "gcp:storage/bucketIAMMember:BucketIAMMember", "ai-lab-bot-prod-gcp-storage-bucket-write-acme-lab-storage-objectuser").inputs).toEqual({
      bucket: "acme-lab",
      role: "roles/storage.objectUser",
      member: `principal://iam.googleapis.com/${POOL}/subject/project_path:platform/agents:ref_type:branch:ref:main`,
      condition: cond(EXP, "expires 2027-03-01", "lab-bot"),
    });
  });

  test("revoked: service account disabled, no binding registered", () => {
    expect(one(records, "gcp:serviceaccount/account:Account", "ai-gone-bot-prod-gcp-sa").inputs.disabled).toBe(true);
    expect(records.filter((r) => r.name.startsWith("ai-gone-bot-prod-gcp-") && r.type !== "gcp:serviceaccount/account:Account" && r.type.startsWith("gcp:"))).toEqual([]);
  });
});

describe("structure", () => {
  test("type tokens and { parent: this } on every child", () => {
    const comps = records.filter((r) => r.type.startsWith("assistant-identities:gcp:"));
    expect(comps.map((c) => c.type).sort()).toEqual([
      "assistant-identities:gcp:AssistantGcpIdentity",
      "assistant-identities:gcp:AssistantGcpIdentity",
      "assistant-identities:gcp:AssistantGcpIdentity",
      "assistant-identities:gcp:WorkloadIdentityFederation",
    ]);
    for (const r of records.filter((x) => x.type.startsWith("gcp:"))) {
      const parent = comps.find((c) => r.name.startsWith(`${c.name}-`));
      expect(parent).toBeDefined();
      expect(r.parent).toBe(parent!.urn);
    }
  });

  test("construction fails closed before registering anything", async () => {
    const { AssistantGcpIdentity, GcpWorkloadIdentityFederation } = await import("../../components/gcp");
    const before = records.length;
    expect(() => new AssistantGcpIdentity("wild", { assistant: assistant({ name: "wild", source: gh({ environment: "*", allowSubjectWildcard: true }) }), stack: st })).toThrow(/exact environment/);
    const loose = stack({ existingProviders: { "https://token.actions.githubusercontent.com": { providerId: "legacy", attributeCondition: "assertion.repository_owner == 'acme'" } } });
    expect(() => new GcpWorkloadIdentityFederation("loose", { assistants: [reviewer], stack: loose })).toThrow(/must admit only the declared workloads/);
    await settle();
    expect(records.slice(before).filter((r) => r.type.startsWith("gcp:"))).toEqual([]);
  });
});
