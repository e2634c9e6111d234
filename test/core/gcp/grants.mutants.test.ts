/**
 * Pins the exact observable behaviour of core/gcp/grants.ts that the catalogue tests left loose:
 * the IAM condition's title/description (and their length cut), the binding keys (normalisation,
 * separators, prefix part, 40-character cut), the Cloud SQL and Vertex expansions in full,
 * projectRoleBinding's grant/key/error, the probe resource chosen for proving a condition, and every
 * finding of checkBindings/checkCustomRoles with its full message, path, value, fix and key.
 */
import { checkBindings, checkCustomRoles, expandGcpGrant, expiryCondition, probeResource, projectRoleBinding, roleProblem, type GcpBinding } from "../../../core/gcp/grants";
import { GcpGrant, type GcpProjectRole } from "../../../core/spec/gcp";

const ctx = { project: "acme-agents-prod", expires: "2027-03-01", assistant: "pr-reviewer", customRole: (w: string) => `ai_pr_reviewer_prod_${w}` };
const EXPIRY = "request.time < timestamp('2027-03-01T00:00:00Z')";
const EXPIRY_FIX = "AND the binding's condition with request.time < timestamp('2027-03-01T00:00:00Z')";
const MEMBER = "serviceAccount:ai-pr-reviewer-prod@acme-agents-prod.iam.gserviceaccount.com";
const expand = (g: unknown) => expandGcpGrant(GcpGrant.parse(g), ctx);
const bound = (b: Omit<GcpBinding, "member">): GcpBinding => ({ ...b, member: MEMBER });

/** A well-formed binding checkBindings accepts; tests patch one field. */
const SECRET: GcpBinding = {
  key: "secret-access-s-secretmanager-secretaccessor",
  grant: "secret-access",
  resource: { kind: "secret", project: "p", name: "projects/p/secrets/s", ids: { secretId: "s" } },
  role: "roles/secretmanager.secretAccessor",
  member: MEMBER,
  condition: { title: "expires 2027-03-01", description: "x: access ends 2027-03-01T00:00:00Z", expression: EXPIRY },
};
const withCondition = (expression: string, key = "k"): GcpBinding => ({ ...SECRET, key, condition: { ...SECRET.condition, expression } });

describe("expiryCondition: exact title, description and expression", () => {
  test("without a restriction: 'expires <date>' and '<assistant>: access ends <instant>'", () => {
    expect(expiryCondition("2027-03-01", "pr-reviewer")).toStrictEqual({
      title: "expires 2027-03-01",
      description: "pr-reviewer: access ends 2027-03-01T00:00:00Z",
      expression: EXPIRY,
    });
  });

  test("with a restriction: title says 'scoped', description names what, expression ANDs restriction and expiry", () => {
    expect(expiryCondition("2027-03-01", "pr-reviewer", { expression: "resource.name == 'x'", what: "object x only" })).toStrictEqual({
      title: "scoped, expires 2027-03-01",
      description: "pr-reviewer: object x only; access ends 2027-03-01T00:00:00Z",
      expression: `resource.name == 'x' && ${EXPIRY}`,
    });
  });

  test("a storage prefix grant's description is cut to GCP's 256-character limit in the prefix, keeping the expiry", () => {
    const prefix = `reports/${"a".repeat(292)}/`;
    const [b] = expand({ kind: "storage-bucket-read", bucket: "acme-reports", prefix }).bindings;
    // "pr-reviewer: " (13) + 208 characters of "objects under <prefix>" + "…; " (3) + "access ends 2027-03-01T00:00:00Z" (32) = 256.
    expect(b!.condition.description).toBe(`pr-reviewer: objects under reports/${"a".repeat(186)}…; access ends 2027-03-01T00:00:00Z`);
    expect(b!.condition.description).toHaveLength(256);
    expect(b!.condition.title).toBe("scoped, expires 2027-03-01");
  });

  test("a description of exactly 256 characters is kept whole; one more cuts the restriction", () => {
    // 13 + what + 2 ("; ") + 32 = 256 → what is 209 characters.
    const fits = expiryCondition("2027-03-01", "pr-reviewer", { expression: "true", what: "w".repeat(209) });
    expect(fits.description).toBe(`pr-reviewer: ${"w".repeat(209)}; access ends 2027-03-01T00:00:00Z`);
    const over = expiryCondition("2027-03-01", "pr-reviewer", { expression: "true", what: "w".repeat(210) });
    expect(over.description).toBe(`pr-reviewer: ${"w".repeat(208)}…; access ends 2027-03-01T00:00:00Z`);
    expect(over.description).toHaveLength(256);
  });

  test("an assistant name too long to leave room for any restriction keeps the name and the expiry, cut to 256", () => {
    const name = "n".repeat(240);
    const d = expiryCondition("2027-03-01", name, { expression: "true", what: "objects under x/" }).description;
    expect(d).toBe(`${name}: access ends 2027-03-01T00:00:00Z`.slice(0, 256));
    expect(d).toHaveLength(256);
  });
});

describe("roleProblem: credential-minting roles outside the fixed list", () => {
  test.each([
    ["projects/acme-agents-prod/roles/tokenCreator", "projects/acme-agents-prod/roles/tokenCreator mints credentials or acts as another identity"],
    ["organizations/1/roles/ServiceAccountUserLite", "organizations/1/roles/ServiceAccountUserLite mints credentials or acts as another identity"],
  ])("%s is refused with the minting reason", (role, why) => {
    expect(roleProblem(role, "secret")).toBe(why);
  });

  test("checkBindings reports a custom token-creator role with its reason", () => {
    expect(checkBindings([{ ...SECRET, role: "projects/p/roles/tokenCreator" }], "2027-03-01")).toStrictEqual([
      {
        message: "must not grant projects/p/roles/tokenCreator; got it on projects/p/secrets/s (projects/p/roles/tokenCreator mints credentials or acts as another identity)",
        path: "bindings[0].role",
        value: "projects/p/roles/tokenCreator",
        fix: "use a catalogue grant at resource level",
        key: "Role::projects/p/roles/tokenCreator",
      },
    ]);
  });
});

describe("binding keys", () => {
  test("storage without a prefix: kind, bucket, role; no prefix part", () => {
    expect(expand({ kind: "storage-bucket-read", bucket: "acme-reports" }).bindings[0]!.key).toBe("storage-bucket-read-acme-reports-storage-objectviewer");
  });

  test("storage with a prefix: the prefix is a key part, its trailing '/' dropped rather than left as '-'", () => {
    expect(expand({ kind: "storage-bucket-write", bucket: "acme-reports", prefix: "weekly/" }).bindings[0]!.key).toBe("storage-bucket-write-acme-reports-weekly-storage-objectuser");
  });

  test("several resource ids are joined with '-'", () => {
    expect(expand({ kind: "artifact-registry-read", location: "europe-west1", repository: "images" }).bindings[0]!.key).toBe("artifact-registry-read-europe-west1-images-artifactregistry-reader");
  });

  test("a run of non-alphanumerics becomes one '-' and upper case is lowered", () => {
    expect(expand({ kind: "secret-access", secret: "API__Token" }).bindings[0]!.key).toBe("secret-access-api-token-secretmanager-secretaccessor");
  });

  test("each key part is cut to 40 characters", () => {
    expect(expand({ kind: "secret-access", secret: "reviews-summariser-openai-api-token-production-eu" }).bindings[0]!.key).toBe(
      "secret-access-reviews-summariser-openai-api-token-prod-secretmanager-secretaccessor",
    );
  });
});

describe("expansions in full", () => {
  test("storage prefix: description names the prefix", () => {
    const [b] = expand({ kind: "storage-bucket-read", bucket: "acme-reports", prefix: "weekly/" }).bindings;
    expect(b!.condition).toStrictEqual({
      title: "scoped, expires 2027-03-01",
      description: "pr-reviewer: objects under weekly/; access ends 2027-03-01T00:00:00Z",
      expression: `resource.name.startsWith('projects/_/buckets/acme-reports/objects/weekly/') && ${EXPIRY}`,
    });
  });

  test("vertex predict: the custom role's exact title, description and one permission", () => {
    expect(expand({ kind: "vertex-endpoint-predict", location: "europe-west4", endpoint: "1234567890" }).customRoles).toStrictEqual([
      {
        project: "acme-agents-prod",
        roleId: "ai_pr_reviewer_prod_vertexPredict",
        title: "pr-reviewer Vertex AI predict",
        description: "Call predict on Vertex AI endpoints (pr-reviewer); nothing else.",
        permissions: ["aiplatform.endpoints.predict"],
      },
    ]);
  });

  test("Cloud SQL: two project bindings on the project resource, scoped to the instance", () => {
    const resource = { kind: "project", project: "acme-agents-prod", name: "projects/acme-agents-prod", ids: { project: "acme-agents-prod" } };
    const condition = {
      title: "scoped, expires 2027-03-01",
      description: "pr-reviewer: Cloud SQL instance reviews-db only; access ends 2027-03-01T00:00:00Z",
      expression: `resource.service == 'sqladmin.googleapis.com' && resource.name == 'projects/acme-agents-prod/instances/reviews-db' && ${EXPIRY}`,
    };
    expect(expand({ kind: "cloudsql-iam-user", instance: "reviews-db" }).bindings).toStrictEqual([
      { key: "cloudsql-iam-user-acme-agents-prod-reviews-db-cloudsql-client", grant: "cloudsql-iam-user", resource, role: "roles/cloudsql.client", condition },
      { key: "cloudsql-iam-user-acme-agents-prod-reviews-db-cloudsql-instanceuser", grant: "cloudsql-iam-user", resource, role: "roles/cloudsql.instanceUser", condition },
    ]);
  });
});

describe("projectRoleBinding", () => {
  test("an allow-listed role: grant 'project-role', key from project and role, plain expiry", () => {
    expect(projectRoleBinding("roles/monitoring.metricWriter", ctx)).toStrictEqual({
      key: "project-acme-agents-prod-monitoring-metricwriter",
      grant: "project-role",
      resource: { kind: "project", project: "acme-agents-prod", name: "projects/acme-agents-prod", ids: { project: "acme-agents-prod" } },
      role: "roles/monitoring.metricWriter",
      condition: { title: "expires 2027-03-01", description: "pr-reviewer: access ends 2027-03-01T00:00:00Z", expression: EXPIRY },
    });
  });

  test("a role outside the allow-list throws, listing the allowed roles", () => {
    expect(() => projectRoleBinding("roles/storage.objectViewer" as GcpProjectRole, ctx)).toThrow(
      new Error("project-level roles must be one of roles/logging.logWriter, roles/monitoring.metricWriter, roles/cloudtrace.agent; got roles/storage.objectViewer"),
    );
  });
});

describe("probeResource: a resource inside the binding's scope", () => {
  test("storage prefix: an object under the prefix, CEL escapes undone, with the storage type and service", () => {
    const [b] = expand({ kind: "storage-bucket-read", bucket: "acme-reports", prefix: "o'brien/" }).bindings;
    expect(b!.condition.expression).toBe(`resource.name.startsWith('projects/_/buckets/acme-reports/objects/o\\'brien/') && ${EXPIRY}`);
    expect(probeResource(bound(b!))).toStrictEqual({
      name: "projects/_/buckets/acme-reports/objects/o'brien/probe.txt",
      type: "storage.googleapis.com/Object",
      service: "storage.googleapis.com",
    });
    expect(checkBindings([bound(b!)], "2027-03-01")).toStrictEqual([]);
  });

  test("Cloud SQL: the instance named in the condition, with the sqladmin type and service", () => {
    const [b] = expand({ kind: "cloudsql-iam-user", instance: "reviews-db" }).bindings;
    expect(probeResource(bound(b!))).toStrictEqual({
      name: "projects/acme-agents-prod/instances/reviews-db",
      type: "sqladmin.googleapis.com/Instance",
      service: "sqladmin.googleapis.com",
    });
  });

  test("Cloud SQL: CEL escapes in the instance name are undone", () => {
    const b = withCondition(`resource.service == 'sqladmin.googleapis.com' && resource.name == 'projects/p/instances/a\\'b\\\\c' && ${EXPIRY}`);
    expect(probeResource(b)).toStrictEqual({ name: "projects/p/instances/a'b\\c", type: "sqladmin.googleapis.com/Instance", service: "sqladmin.googleapis.com" });
  });

  test("no restriction: the binding's own resource name only", () => {
    expect(probeResource(SECRET)).toStrictEqual({ name: "projects/p/secrets/s" });
  });

  test("only a leading startsWith is the scope: a negated one is not, so the resource itself is probed", () => {
    const b: GcpBinding = {
      ...withCondition(`!resource.name.startsWith('projects/_/buckets/acme-reports/objects/private/') && ${EXPIRY}`),
      resource: { kind: "storage-bucket", project: "p", name: "projects/_/buckets/acme-reports", ids: { bucket: "acme-reports" } },
    };
    expect(probeResource(b)).toStrictEqual({ name: "projects/_/buckets/acme-reports" });
    expect(checkBindings([b], "2027-03-01")).toStrictEqual([]);
  });
});

describe("checkBindings: exact findings", () => {
  test("a forbidden role: message, path with the binding's index, value, fix, key", () => {
    expect(checkBindings([SECRET, { ...SECRET, role: "roles/editor" }], "2027-03-01")).toStrictEqual([
      {
        message: "must not grant roles/editor; got it on projects/p/secrets/s (roles/editor is a basic, impersonation, key or IAM-admin role)",
        path: "bindings[1].role",
        value: "roles/editor",
        fix: "use a catalogue grant at resource level",
        key: "Role::roles/editor",
      },
    ]);
  });

  test("a broad member: message, path, value, fix, key", () => {
    expect(checkBindings([{ ...SECRET, member: "allAuthenticatedUsers" }], "2027-03-01")).toStrictEqual([
      {
        message: "must bind one identity; got allAuthenticatedUsers",
        path: "bindings[0].member",
        value: "allAuthenticatedUsers",
        fix: "bind the assistant's principal:// or service account",
        key: "Member::allAuthenticatedUsers",
      },
    ]);
  });

  test("a project-role binding outside the allow-list: message lists the allowed roles, no key", () => {
    const b: GcpBinding = {
      ...SECRET,
      grant: "project-role",
      resource: { kind: "project", project: "p", name: "projects/p", ids: { project: "p" } },
      role: "roles/storage.objectViewer",
    };
    expect(checkBindings([b], "2027-03-01")).toStrictEqual([
      {
        message: "must grant only roles/logging.logWriter, roles/monitoring.metricWriter, roles/cloudtrace.agent on a project; got roles/storage.objectViewer",
        path: "bindings[0].role",
        value: "roles/storage.objectViewer",
        fix: "grant the role on the resource instead",
      },
    ]);
  });

  test("the project allow-list applies to project resources only", () => {
    expect(checkBindings([{ ...SECRET, grant: "project-role" }], "2027-03-01")).toStrictEqual([]);
  });

  test("allow-listed project roles and catalogue grants on a project pass", () => {
    const project = { kind: "project" as const, project: "p", name: "projects/p", ids: { project: "p" } };
    expect(
      checkBindings(
        [
          { ...SECRET, grant: "project-role", resource: project, role: "roles/cloudtrace.agent" },
          { ...SECRET, grant: "cloudsql-iam-user", resource: project, role: "roles/cloudsql.client" },
        ],
        "2027-03-01",
      ),
    ).toStrictEqual([]);
  });

  test.each([
    ["denies throughout", "false", "deny one second before, deny at, deny a day after"],
    ["allows throughout", "true", "allow one second before, allow at, allow a day after"],
    ["still allows at the instant", "request.time <= timestamp('2027-03-01T00:00:00Z')", "allow one second before, allow at, deny a day after"],
    ["allows only from the instant", "request.time >= timestamp('2027-03-01T00:00:00Z')", "deny one second before, allow at, allow a day after"],
    ["fails to evaluate", "resource.foo == 'x'", "deny one second before, deny at, deny a day after (No such key: foo)"],
  ])("a condition that %s: the three verdicts in the message, path, value, fix, key", (_n, expression, verdicts) => {
    expect(checkBindings([SECRET, withCondition(expression, "secret-access-s-x")], "2027-03-01")).toStrictEqual([
      {
        message: `must allow until 2027-03-01T00:00:00Z and deny from then; got ${verdicts}`,
        path: "bindings[1].condition.expression",
        value: expression,
        fix: EXPIRY_FIX,
        key: "Expiry::secret-access-s-x",
      },
    ]);
  });
});

describe("checkCustomRoles: exact findings", () => {
  test("a permission beyond predict: message, path with the role's index, value, fix", () => {
    const role = { project: "p", roleId: "r", title: "t", description: "d", permissions: ["aiplatform.endpoints.predict"] };
    expect(checkCustomRoles([role, { ...role, permissions: ["aiplatform.endpoints.predict", "iam.serviceAccounts.actAs"] }])).toStrictEqual([
      {
        message: "must carry only aiplatform.endpoints.predict; got iam.serviceAccounts.actAs",
        path: "customRoles[1].permissions",
        value: "iam.serviceAccounts.actAs",
        fix: "use a catalogue grant",
      },
    ]);
  });
});
