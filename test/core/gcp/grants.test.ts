import { expandGcpGrant, projectRoleBinding, checkBindings, checkCustomRoles, roleProblem, expiryCondition, probeResource, type GcpBinding } from "../../../core/gcp/grants";
import { evaluateIamCondition } from "../../../core/gcp/cel";
import { GcpAccess, GcpGrant, GcpProjectRole } from "../../../core/spec/gcp";

const ctx = { project: "acme-agents-prod", expires: "2027-03-01", assistant: "pr-reviewer", customRole: (w: string) => `ai_pr_reviewer_prod_${w}` };
const EXPIRY = "request.time < timestamp('2027-03-01T00:00:00Z')";
const expand = (g: unknown) => expandGcpGrant(GcpGrant.parse(g), ctx);
const member = "serviceAccount:ai-pr-reviewer-prod@acme-agents-prod.iam.gserviceaccount.com";
const withMember = (bs: Omit<GcpBinding, "member">[]): GcpBinding[] => bs.map((b) => ({ ...b, member }));

describe("catalogue: one resource, one role, expiry on every binding", () => {
  test.each([
    [{ kind: "storage-bucket-read", bucket: "acme-reports" }, "storage-bucket", "projects/_/buckets/acme-reports", "roles/storage.objectViewer", { bucket: "acme-reports" }],
    [{ kind: "storage-bucket-write", bucket: "acme-reports" }, "storage-bucket", "projects/_/buckets/acme-reports", "roles/storage.objectUser", { bucket: "acme-reports" }],
    [{ kind: "bigquery-dataset-read", dataset: "sales" }, "bigquery-dataset", "projects/acme-agents-prod/datasets/sales", "roles/bigquery.dataViewer", { datasetId: "sales" }],
    [{ kind: "bigquery-dataset-write", dataset: "sales", project: "acme-data" }, "bigquery-dataset", "projects/acme-data/datasets/sales", "roles/bigquery.dataEditor", { datasetId: "sales" }],
    [{ kind: "bigquery-table-read", dataset: "sales", table: "orders" }, "bigquery-table", "projects/acme-agents-prod/datasets/sales/tables/orders", "roles/bigquery.dataViewer", { datasetId: "sales", tableId: "orders" }],
    [{ kind: "secret-access", secret: "api-token" }, "secret", "projects/acme-agents-prod/secrets/api-token", "roles/secretmanager.secretAccessor", { secretId: "api-token" }],
    [{ kind: "pubsub-topic-publish", topic: "reviews" }, "pubsub-topic", "projects/acme-agents-prod/topics/reviews", "roles/pubsub.publisher", { topic: "reviews" }],
    [{ kind: "pubsub-subscription-consume", subscription: "jobs-sub" }, "pubsub-subscription", "projects/acme-agents-prod/subscriptions/jobs-sub", "roles/pubsub.subscriber", { subscription: "jobs-sub" }],
    [{ kind: "artifact-registry-read", location: "europe-west1", repository: "images" }, "artifact-registry-repository", "projects/acme-agents-prod/locations/europe-west1/repositories/images", "roles/artifactregistry.reader", { location: "europe-west1", repository: "images" }],
    [{ kind: "artifact-registry-write", location: "us", repository: "images" }, "artifact-registry-repository", "projects/acme-agents-prod/locations/us/repositories/images", "roles/artifactregistry.writer", { location: "us", repository: "images" }],
    [{ kind: "cloud-run-invoke", location: "europe-west1", service: "summariser" }, "cloud-run-service", "projects/acme-agents-prod/locations/europe-west1/services/summariser", "roles/run.invoker", { location: "europe-west1", service: "summariser" }],
    [{ kind: "vertex-endpoint-predict", location: "europe-west4", endpoint: "1234567890" }, "vertex-endpoint", "projects/acme-agents-prod/locations/europe-west4/endpoints/1234567890", "projects/acme-agents-prod/roles/ai_pr_reviewer_prod_vertexPredict", { location: "europe-west4", endpoint: "1234567890" }],
  ])("%j", (grant, kind, name, role, ids) => {
    const e = expand(grant);
    expect(e.bindings).toHaveLength(1);
    const b = e.bindings[0]!;
    expect(b.resource).toEqual({ kind, project: (grant as { project?: string }).project ?? "acme-agents-prod", name, ids });
    expect(b.role).toBe(role);
    expect(b.condition.expression).toBe(EXPIRY);
    expect(checkBindings(withMember(e.bindings), "2027-03-01")).toEqual([]);
  });

  test("vertex predict gets a one-permission custom role, not roles/aiplatform.user", () => {
    const e = expand({ kind: "vertex-endpoint-predict", location: "europe-west4", endpoint: "1234567890" });
    expect(e.customRoles).toEqual([
      { project: "acme-agents-prod", roleId: "ai_pr_reviewer_prod_vertexPredict", title: "pr-reviewer Vertex AI predict", description: expect.any(String), permissions: ["aiplatform.endpoints.predict"] },
    ]);
    expect(checkCustomRoles(e.customRoles!)).toEqual([]);
    expect(checkCustomRoles([{ ...e.customRoles![0]!, permissions: ["aiplatform.endpoints.predict", "iam.serviceAccounts.actAs"] }])[0]!.message).toMatch(/got iam.serviceAccounts.actAs/);
  });

  test("storage prefix: IAM condition on resource.name, evaluated inside and outside the prefix", () => {
    const [b] = expand({ kind: "storage-bucket-read", bucket: "acme-reports", prefix: "weekly/" }).bindings;
    expect(b!.condition.expression).toBe(`resource.name.startsWith('projects/_/buckets/acme-reports/objects/weekly/') && ${EXPIRY}`);
    const before = new Date("2027-02-28T12:00:00Z");
    expect(evaluateIamCondition(b!.condition.expression, before, { name: "projects/_/buckets/acme-reports/objects/weekly/r.csv" }).admitted).toBe(true);
    expect(evaluateIamCondition(b!.condition.expression, before, { name: "projects/_/buckets/acme-reports/objects/monthly/r.csv" }).admitted).toBe(false);
    expect(evaluateIamCondition(b!.condition.expression, before, { name: "projects/_/buckets/acme-reports-evil/objects/weekly/r.csv" }).admitted).toBe(false);
    expect(evaluateIamCondition(b!.condition.expression, new Date("2027-03-01T00:00:00Z"), { name: "projects/_/buckets/acme-reports/objects/weekly/r.csv" }).admitted).toBe(false);
    expect(probeResource({ ...b!, member }).name).toBe("projects/_/buckets/acme-reports/objects/weekly/probe.txt");
  });

  test("Cloud SQL: project-level client + instanceUser narrowed to one instance, IAM user, no password", () => {
    const e = expand({ kind: "cloudsql-iam-user", instance: "reviews-db" });
    expect(e.bindings.map((b) => b.role)).toEqual(["roles/cloudsql.client", "roles/cloudsql.instanceUser"]);
    expect(e.sqlInstance).toEqual({ project: "acme-agents-prod", instance: "reviews-db" });
    const c = e.bindings[0]!.condition.expression;
    expect(c).toBe(`resource.service == 'sqladmin.googleapis.com' && resource.name == 'projects/acme-agents-prod/instances/reviews-db' && ${EXPIRY}`);
    const t = new Date("2027-01-01T00:00:00Z");
    expect(evaluateIamCondition(c, t, { name: "projects/acme-agents-prod/instances/reviews-db", service: "sqladmin.googleapis.com" }).admitted).toBe(true);
    expect(evaluateIamCondition(c, t, { name: "projects/acme-agents-prod/instances/billing-db", service: "sqladmin.googleapis.com" }).admitted).toBe(false);
    expect(evaluateIamCondition(c, t, { name: "projects/acme-agents-prod/instances/reviews-db", service: "storage.googleapis.com" }).admitted).toBe(false);
    expect(checkBindings(withMember(e.bindings), "2027-03-01")).toEqual([]);
  });

  test("project-level roles only from the allow-list", () => {
    for (const r of ["roles/logging.logWriter", "roles/monitoring.metricWriter", "roles/cloudtrace.agent"] as const) {
      const b = projectRoleBinding(r, ctx);
      expect(b.resource).toEqual({ kind: "project", project: "acme-agents-prod", name: "projects/acme-agents-prod", ids: { project: "acme-agents-prod" } });
      expect(b.condition.expression).toBe(EXPIRY);
    }
    expect(() => GcpProjectRole.parse("roles/editor")).toThrow(/allow-list/);
    expect(() => GcpProjectRole.parse("roles/storage.admin")).toThrow(/allow-list/);
    expect(() => projectRoleBinding("roles/storage.objectViewer" as never, ctx)).toThrow(/must be one of/);
  });
});

describe("expiry, evaluated with CEL before and after the date", () => {
  const c = expiryCondition("2027-03-01", "pr-reviewer");
  test.each([
    ["a year before", "2026-03-01T00:00:00Z", true],
    ["one second before", "2027-02-28T23:59:59Z", true],
    ["at 00:00:00Z of the date", "2027-03-01T00:00:00Z", false],
    ["later that day", "2027-03-01T12:00:00Z", false],
    ["a year after", "2028-03-01T00:00:00Z", false],
  ])("%s → %s", (_n, at, admitted) => expect(evaluateIamCondition(c.expression, new Date(at)).admitted).toBe(admitted));
  test("title and description fit GCP's limits", () => {
    expect(c.title.length).toBeLessThanOrEqual(100);
    expect(c.description.length).toBeLessThanOrEqual(256);
  });
});

describe("checkBindings fails what the catalogue never produces", () => {
  const base: GcpBinding = {
    key: "k",
    grant: "secret-access",
    resource: { kind: "secret", project: "p", name: "projects/p/secrets/s", ids: { secretId: "s" } },
    role: "roles/secretmanager.secretAccessor",
    member,
    condition: expiryCondition("2027-03-01", "x"),
  };
  test.each([
    ["no expiry", { condition: { title: "t", description: "d", expression: "true" } }, /deny from then/],
    ["a later expiry", { condition: expiryCondition("2028-01-01", "x") }, /allow a day after/],
    ["basic role", { role: "roles/editor" }, /roles\/editor/],
    ["owner", { role: "roles/owner" }, /roles\/owner/],
    ["token creator", { role: "roles/iam.serviceAccountTokenCreator" }, /must not grant/],
    ["key admin", { role: "roles/iam.serviceAccountKeyAdmin" }, /must not grant/],
    ["an admin role", { role: "roles/secretmanager.admin" }, /admin role/],
    ["workload identity user on a secret", { role: "roles/iam.workloadIdentityUser" }, /own service account only/],
    ["the whole pool", { member: "principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/ai-prod/*" }, /must bind one identity/],
    ["allUsers", { member: "allUsers" }, /must bind one identity/],
  ])("%s", (_n, patch, why) => {
    const f = checkBindings([{ ...base, ...patch } as GcpBinding], "2027-03-01");
    expect(f.map((x) => x.message).join("\n")).toMatch(why);
  });
  test("roleProblem accepts catalogue roles", () => {
    for (const r of ["roles/storage.objectViewer", "roles/run.invoker", "roles/cloudsql.instanceUser", "roles/pubsub.subscriber"]) expect(roleProblem(r, "project")).toBeUndefined();
    expect(roleProblem("roles/iam.workloadIdentityUser", "service-account")).toBeUndefined();
  });
});

describe("GcpAccess schema", () => {
  test("defaults: service-account mode, no grants", () => {
    expect(GcpAccess.parse({})).toEqual({ mode: "service-account", grants: [], projectRoles: [], audiences: [] });
  });
  test("direct mode refuses grants only a service account can hold", () => {
    const r = GcpAccess.safeParse({ mode: "direct", grants: [{ kind: "cloudsql-iam-user", instance: "db" }, { kind: "cloud-run-invoke", location: "europe-west1", service: "s" }, { kind: "secret-access", secret: "s" }] });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["grants.0.kind", expect.stringMatching(/service-account for grant cloudsql-iam-user: only a service account can be an IAM database user/)],
      ["grants.1.kind", expect.stringMatching(/service-account for grant cloud-run-invoke/)],
    ]);
  });
  test.each([
    [{ grants: [{ kind: "storage-bucket-read", bucket: "gs://x" }] }, /bucket name/],
    [{ grants: [{ kind: "storage-bucket-read", bucket: "acme", prefix: "logs/*" }] }, /without '\*'/],
    [{ grants: [{ kind: "secret-access", secret: "projects/p/secrets/s" }] }, /not a full resource name/],
    [{ grants: [{ kind: "vertex-endpoint-predict", location: "europe-west4", endpoint: "my-endpoint" }] }, /numeric Vertex AI endpoint id/],
    [{ grants: [{ kind: "owner" }] }, /grant.kind to be one of storage-bucket-read/],
    [{ grants: [{ kind: "secret-access", secret: "s", extra: 1 }] }, /Unrecognized key/],
    [{ projectRoles: ["roles/logging.logWriter", "roles/logging.logWriter"] }, /listed twice/],
    [{ mode: "impersonate" }, /service-account or direct/],
  ])("%j is refused", (input, why) => {
    const r = GcpAccess.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message).join("\n")).toMatch(why);
  });
});
