/**
 * Mutation gaps in core/spec/gcp.ts (the zod schemas of an assistant's `gcp` section and of
 * `platform.gcp`).
 *
 * Pins, per schema, which values are accepted (with the exact parsed output and its defaults) and
 * the exact issues (code, path, message) of rejected ones: project id and number, Workload Identity
 * pool/provider ids, every resource name of the grant catalogue (anchored regexes, lengths, the
 * refinements), the grant union and its kinds, project-level roles, GcpAccess (mode, defaults,
 * audiences, the direct-mode and duplicate-role checks) and GcpPlatform (issuer URL keys, existing
 * providers, provider shards, existingPool).
 * The schemas are built at import, so every test loads the module inside jest.isolateModules
 * (Stryker only credits code that runs while a test runs).
 */
export {};

type GcpModule = typeof import("../../../core/spec/gcp");

// zod is not under test: the fresh copy of the module gets the instance loaded once for the file,
// so each test re-evaluates core/spec/gcp alone (a mutation run executes every test of this file
// for every mutant).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const zod = require("zod") as typeof import("zod");

const load = (): GcpModule => {
  let m: GcpModule | undefined;
  jest.isolateModules(() => {
    jest.doMock("zod", () => zod);
    m = require("../../../core/spec/gcp") as GcpModule;
  });
  return m!;
};

interface RawIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  issues?: RawIssue[];
}
interface Schema {
  safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: RawIssue[] } };
}
type Brief = { code: string; path: PropertyKey[]; message?: string; issues?: Brief[] };

/** An issue as { code, path, message }; a record-key issue as { code, path, issues } (its own message is zod's). */
const brief = (i: RawIssue): Brief =>
  i.issues ? { code: i.code, path: i.path, issues: i.issues.map(brief) } : { code: i.code, path: i.path, message: i.message };

/** The issues of a rejected input, or "accepted". */
const issues = (schema: Schema, v: unknown): Brief[] | "accepted" => {
  const r = schema.safeParse(v);
  return r.success ? "accepted" : r.error!.issues.map(brief);
};
/** { ok: parsed value } of an accepted input, or its issues. */
const result = (schema: Schema, v: unknown) => {
  const r = schema.safeParse(v);
  return r.success ? { ok: r.data } : r.error!.issues.map(brief);
};
/** The parsed value of an accepted input (fails the test with the issues otherwise). */
const parsed = (schema: Schema, v: unknown) => {
  const r = schema.safeParse(v);
  expect(r.error?.issues ?? []).toEqual([]);
  return r.data;
};
/** [value, f(value)] for each value: many values per test (one module load), with a diff naming the value. */
const each = <T>(values: T[], f: (v: T) => unknown) => values.map((v) => [v, f(v)]);

const fmt = (path: PropertyKey[], message: string): Brief => ({ code: "invalid_format", path, message });
const custom = (path: PropertyKey[], message: string): Brief => ({ code: "custom", path, message });

const PROJECT_ID_MSG = "expected a GCP project id (6-30 of a-z, 0-9, '-', starting with a letter), e.g. acme-agents-prod";
const PROJECT_NUMBER_TYPE_MSG = "expected the GCP project number as a quoted string of digits";
const PROJECT_NUMBER_MSG =
  "expected the GCP project number as a quoted string of digits (gcloud projects describe P --format='value(projectNumber)')";
const BUCKET_MSG = "expected a Cloud Storage bucket name (3-63 of a-z, 0-9, '-', '_', '.'; no wildcard, no gs://)";
const PREFIX_EMPTY_MSG = "expected a non-empty object prefix such as reports/ (leave prefix out for the whole bucket)";
const PREFIX_MSG = "expected an object name prefix without '*', '?', '[', ']' or spaces (e.g. reports/)";
const PREFIX_SLASH_MSG = "expected an object prefix without a leading '/'";
const DATASET_MSG = "expected a BigQuery dataset id (letters, digits, '_'; no wildcard)";
const TABLE_MSG = "expected a BigQuery table id (letters, digits, '_', '-'; no wildcard)";
const SECRET_MSG = "expected a Secret Manager secret id (1-255 of letters, digits, '_', '-'), not a full resource name";
const AR_LOCATION_MSG = "expected an Artifact Registry location such as europe-west1 or the multi-region us";
const REGION_MSG = "expected a GCP region such as europe-west1";
const AR_REPO_MSG = "expected an Artifact Registry repository id (lowercase letters, digits, '-')";
const RUN_MSG = "expected a Cloud Run service name (lowercase letters, digits, '-', at most 49)";
const VERTEX_MSG = "expected the numeric Vertex AI endpoint id (gcloud ai endpoints list), not its display name";
const SQL_MSG = "expected a Cloud SQL instance id (lowercase letters, digits, '-'), not its connection name";
const KIND_MSG =
  "expected grant.kind to be one of storage-bucket-read, storage-bucket-write, bigquery-dataset-read, bigquery-dataset-write, " +
  "bigquery-table-read, secret-access, pubsub-topic-publish, pubsub-subscription-consume, artifact-registry-read, " +
  "artifact-registry-write, cloud-run-invoke, vertex-endpoint-predict, cloudsql-iam-user";
const ROLE_MSG =
  "expected a project-level role from the allow-list: roles/logging.logWriter, roles/monitoring.metricWriter, " +
  "roles/cloudtrace.agent (grant anything else on the resource)";
const ISSUER_MSG = "expected an https:// issuer URL";
const ISSUER_SLASH_MSG = "expected an issuer URL without a trailing slash";
const SHARDS_MSG = "expected 1 to 50 provider shards";
const wifMsgs = (what: string) => ({
  format: `expected a ${what} id of 4-32 characters of a-z, 0-9 and '-'`,
  gcp: `expected a ${what} id that does not start with 'gcp-' (reserved by Google)`,
  dash: `expected a ${what} id that neither starts nor ends with '-'`,
});
const pubsubMsgs = (what: string) => ({
  format: `expected a Pub/Sub ${what} id (3-255 characters starting with a letter), not a full resource name`,
  goog: `expected a Pub/Sub ${what} id that does not start with 'goog'`,
});

const PLATFORM = { projectId: "acme-agents-prod", projectNumber: "123456789012" };
const PLATFORM_OUT = { ...PLATFORM, existingPool: false, existingProviders: {}, providerShards: 1 };
const PROVIDER = { providerId: "github-actions", attributeCondition: "assertion.repository_owner_id == '1001'" };
const GH_ISSUER = "https://token.actions.githubusercontent.com";

/** A grant of `kind` with `field` set to `value` (other fields valid). */
const BASE: Record<string, Record<string, unknown>> = {
  "storage-bucket-read": { bucket: "acme-artifacts" },
  "bigquery-table-read": { dataset: "analytics", table: "events" },
  "secret-access": { secret: "api-token" },
  "pubsub-topic-publish": { topic: "orders" },
  "pubsub-subscription-consume": { subscription: "orders-sub" },
  "artifact-registry-read": { location: "europe-west1", repository: "docker-images" },
  "cloud-run-invoke": { location: "europe-west1", service: "checkout-api" },
  "vertex-endpoint-predict": { location: "europe-west1", endpoint: "1234567890" },
  "cloudsql-iam-user": { instance: "orders-db" },
};
const grant = (kind: string, field: string, value: unknown) => ({ kind, ...BASE[kind], [field]: value });

/**
 * One resource-name field of a grant: every `accept` value parses to exactly the grant, every
 * `reject` value yields exactly one invalid_format issue with `message` at the field.
 */
const nameField = (label: string, kind: string, field: string, message: string, accept: string[], reject: string[]) =>
  describe(`${label} (${kind}.${field})`, () => {
    test(`${accept.map((v) => JSON.stringify(v)).join(", ")} are accepted as ${label}`, () => {
      const { GcpGrant } = load();
      expect(each(accept, (v) => result(GcpGrant, grant(kind, field, v)))).toEqual(each(accept, (v) => ({ ok: grant(kind, field, v) })));
    });
    test(`${reject.map((v) => JSON.stringify(v)).join(", ")} are rejected with the ${label} message`, () => {
      const { GcpGrant } = load();
      expect(each(reject, (v) => issues(GcpGrant, grant(kind, field, v)))).toEqual(each(reject, () => [fmt([field], message)]));
    });
  });

/** Values that are too long to name in a test title. */
const long = (first: string, n: number, last = "") => first + "b".repeat(n - first.length - last.length) + last;

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

describe("project id (GcpAccess.projectId, grant.project)", () => {
  const accept = ["acme-agents-prod", "abcdef", long("a", 30, "c"), "a1-2-3x"];
  const reject = [
    "1acme-agents", // starts with a digit
    "-acme-agents", // starts with '-'
    "acme-agents-", // ends with '-'
    "acme-agents-prod/x", // trailing junk
    "abcde", // 5 characters
    long("a", 31, "c"),
    "acme_agents",
    "Acme-agents",
  ];

  test("6-30 of a-z, 0-9, '-' starting with a letter and ending with a letter or digit are accepted", () => {
    const { GcpAccess } = load();
    expect(each(accept, (projectId) => result(GcpAccess, { projectId }))).toEqual(
      each(accept, (projectId) => ({ ok: { mode: "service-account", projectId, grants: [], projectRoles: [], audiences: [] } })),
    );
  });

  test("leading digit or '-', trailing '-' or junk, 5 or 31 characters, '_' and uppercase are rejected with the project id message", () => {
    const { GcpAccess } = load();
    expect(each(reject, (projectId) => issues(GcpAccess, { projectId }))).toEqual(each(reject, () => [fmt(["projectId"], PROJECT_ID_MSG)]));
  });

  test("a grant's project override is checked as a project id and kept", () => {
    const { GcpGrant } = load();
    expect(parsed(GcpGrant, { kind: "secret-access", secret: "api-token", project: "shared-secrets" })).toEqual({
      kind: "secret-access",
      secret: "api-token",
      project: "shared-secrets",
    });
    expect(issues(GcpGrant, { kind: "secret-access", secret: "api-token", project: "1shared" })).toEqual([fmt(["project"], PROJECT_ID_MSG)]);
  });
});

describe("project number (GcpPlatform.projectNumber)", () => {
  test("6 to 20 digits not starting with 0 are accepted", () => {
    const { GcpPlatform } = load();
    const accept = ["123456", "123456789012", "1" + "0".repeat(19), "900000"];
    expect(each(accept, (projectNumber) => result(GcpPlatform, { ...PLATFORM, projectNumber }))).toEqual(
      each(accept, (projectNumber) => ({ ok: { ...PLATFORM_OUT, projectNumber } })),
    );
  });

  test("a leading zero, leading or trailing junk, 5 or 21 digits and the empty string are rejected with the project number message", () => {
    const { GcpPlatform } = load();
    const reject = ["0123456", "x123456", "123456x", "12345", "1" + "0".repeat(20), ""];
    expect(each(reject, (projectNumber) => issues(GcpPlatform, { ...PLATFORM, projectNumber }))).toEqual(
      each(reject, () => [fmt(["projectNumber"], PROJECT_NUMBER_MSG)]),
    );
  });

  test("an unquoted project number is refused as a type error naming the quoted string", () => {
    expect(issues(load().GcpPlatform, { ...PLATFORM, projectNumber: 123456789012 })).toEqual([
      { code: "invalid_type", path: ["projectNumber"], message: PROJECT_NUMBER_TYPE_MSG },
    ]);
  });
});

describe("Workload Identity ids (wifId)", () => {
  const M = wifMsgs("Workload Identity pool");

  test("4-32 of a-z, 0-9, '-' (inner '-', inner gcp-) are accepted", () => {
    const { wifId } = load();
    const accept = ["ai-prod", "abcd", "a".repeat(32), "pool-1", "0123", "my-gcp-pool"];
    expect(each(accept, (id) => result(wifId("Workload Identity pool"), id))).toEqual(each(accept, (id) => ({ ok: id })));
  });

  test("leading or trailing junk, 3 or 33 characters, uppercase and '_' are rejected with the 4-32 characters message", () => {
    const { wifId } = load();
    const reject = ["x.ai-prod", "ai-prod.x", "abc", "a".repeat(33), "Ai-prod", "ai_prod"];
    expect(each(reject, (id) => issues(wifId("Workload Identity pool"), id))).toEqual(each(reject, () => [fmt([], M.format)]));
  });

  test("an id starting with the reserved gcp- is refused with its own message", () => {
    expect(issues(load().wifId("Workload Identity pool"), "gcp-pool")).toEqual([custom([], M.gcp)]);
  });

  test("a leading, a trailing or both '-' are refused with the dash message", () => {
    const { wifId } = load();
    const reject = ["-pool", "pool-", "-pool-"];
    expect(each(reject, (id) => issues(wifId("Workload Identity pool"), id))).toEqual(each(reject, () => [custom([], M.dash)]));
  });

  test("'gcp-' alone breaks both refinements; a too-short id with a dash still gets the dash check", () => {
    const { wifId } = load();
    expect(issues(wifId("Workload Identity pool"), "gcp-")).toEqual([custom([], M.gcp), custom([], M.dash)]);
    expect(issues(wifId("Workload Identity pool"), "-ab")).toEqual([fmt([], M.format), custom([], M.dash)]);
  });

  test("the messages name what the id is for", () => {
    const { wifId } = load();
    expect(issues(wifId("thing"), "gcp-x")).toEqual([custom([], "expected a thing id that does not start with 'gcp-' (reserved by Google)")]);
    expect(issues(wifId("thing"), "x-")).toEqual([
      fmt([], "expected a thing id of 4-32 characters of a-z, 0-9 and '-'"),
      custom([], "expected a thing id that neither starts nor ends with '-'"),
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Grants: resource names
// ---------------------------------------------------------------------------------------------

nameField(
  "a bucket name",
  "storage-bucket-read",
  "bucket",
  BUCKET_MSG,
  ["acme-artifacts", "abc", "a.b", "a_b.c-d9", long("0", 63, "9")],
  ["-acme", "acme-", "gs://acme", "acme/x", "ab", long("a", 64), "Acme", "acme-*", ""],
);

describe("object prefix (storage-bucket-*.prefix)", () => {
  const g = (prefix: string) => ({ kind: "storage-bucket-read", bucket: "acme-artifacts", prefix });

  test("paths of any character but '*', '?', '[', ']' and white space, up to 1024 characters, are accepted", () => {
    const { GcpGrant } = load();
    const accept = ["reports/", "r", "a/b/c.json", "p".repeat(1024), "x-y_z.v~%(1)"];
    expect(each(accept, (p) => result(GcpGrant, g(p)))).toEqual(each(accept, (p) => ({ ok: g(p) })));
    expect(parsed(GcpGrant, { kind: "storage-bucket-write", bucket: "acme-artifacts", prefix: "out/" })).toEqual({
      kind: "storage-bucket-write",
      bucket: "acme-artifacts",
      prefix: "out/",
    });
  });

  test("'*', '?', '[', ']', a space or a tab anywhere are rejected with the prefix characters message", () => {
    const { GcpGrant } = load();
    const reject = ["*reports/", "reports/*", "reports/?", "reports 2024/", "reports/\t", "reports/[0-9]", "a]"];
    expect(each(reject, (p) => issues(GcpGrant, g(p)))).toEqual(each(reject, () => [fmt(["prefix"], PREFIX_MSG)]));
  });

  test("an empty prefix is refused as empty (and as matching no character)", () => {
    expect(issues(load().GcpGrant, g(""))).toEqual([{ code: "too_small", path: ["prefix"], message: PREFIX_EMPTY_MSG }, fmt(["prefix"], PREFIX_MSG)]);
  });

  test("a leading '/' is refused with its own message, alone or with a bad character", () => {
    const { GcpGrant } = load();
    expect(issues(GcpGrant, g("/reports"))).toEqual([custom(["prefix"], PREFIX_SLASH_MSG)]);
    expect(issues(GcpGrant, g("/a*"))).toEqual([fmt(["prefix"], PREFIX_MSG), custom(["prefix"], PREFIX_SLASH_MSG)]);
  });

  test("a prefix over 1024 characters is too big", () => {
    expect(issues(load().GcpGrant, g("p".repeat(1025)))).toEqual([{ code: "too_big", path: ["prefix"], message: expect.any(String) }]);
  });
});

nameField(
  "a dataset id",
  "bigquery-table-read",
  "dataset",
  DATASET_MSG,
  ["analytics", "a", "A_b_9", "d".repeat(1024)],
  ["analytics-eu", "*analytics", "analytics*", "analytics.x", "d".repeat(1025), ""],
);

nameField(
  "a table id",
  "bigquery-table-read",
  "table",
  TABLE_MSG,
  ["events", "e", "Events-2024_v1", "t".repeat(1024)],
  ["*events", "events*", "ds.events", "t".repeat(1025), ""],
);

nameField(
  "a secret id",
  "secret-access",
  "secret",
  SECRET_MSG,
  ["api-token", "k", "A_b-9", "s".repeat(255)],
  ["projects/p/secrets/api-token", "*token", "token*", "s".repeat(256), ""],
);

describe.each([
  ["pubsub-topic-publish", "topic"],
  ["pubsub-subscription-consume", "subscription"],
])("Pub/Sub %s.%s", (kind, field) => {
  const M = pubsubMsgs(field);

  test(`3-255 characters starting with a letter are accepted as a ${field} id (goog elsewhere than the start too)`, () => {
    const { GcpGrant } = load();
    const accept = ["orders", "abc", long("a", 255), "Orders.v1_~%+-x", "orders-goog"];
    expect(each(accept, (v) => result(GcpGrant, grant(kind, field, v)))).toEqual(each(accept, (v) => ({ ok: grant(kind, field, v) })));
  });

  test(`a leading digit, trailing junk, a full resource name, 2 or 256 characters and '*' are rejected with the ${field} id message`, () => {
    const { GcpGrant } = load();
    const reject = ["1orders", "orders/x", "projects/p/topics/orders", "ab", long("a", 256), "orders*"];
    expect(each(reject, (v) => issues(GcpGrant, grant(kind, field, v)))).toEqual(each(reject, () => [fmt([field], M.format)]));
  });

  test(`a ${field} id starting with goog in any case is refused with the goog message`, () => {
    const { GcpGrant } = load();
    const reject = ["goog-orders", "GOOG-orders", "Google"];
    expect(each(reject, (v) => issues(GcpGrant, grant(kind, field, v)))).toEqual(each(reject, () => [custom([field], M.goog)]));
  });
});

nameField(
  "an Artifact Registry location",
  "artifact-registry-read",
  "location",
  AR_LOCATION_MSG,
  ["us", "europe", "asia", "europe-west1", "europe-west10", "us-central1", "northamerica-northeast2"],
  ["1us", "Europe-west1", "us1", "europe-west", "europe-west1x", "europe-west1-b", "europe-1", "-west1", ""],
);

nameField(
  "a region (Cloud Run)",
  "cloud-run-invoke",
  "location",
  REGION_MSG,
  ["europe-west1", "us-central1", "europe-west10", "northamerica-northeast2"],
  ["us", "europe", "1europe-west1", "Europe-west1", "europe-west1a", "europe-west1-b", "europe-1", "europe-west", ""],
);

nameField("a region (Vertex AI)", "vertex-endpoint-predict", "location", REGION_MSG, ["europe-west4", "us-central1"], ["us", "1us-central1", "us-central1/x"]);

nameField(
  "an Artifact Registry repository id",
  "artifact-registry-read",
  "repository",
  AR_REPO_MSG,
  ["a", "ab", "a1", "docker-images", long("a", 63)],
  ["1repo", "-repo", "repo-", "repo.x", "Repo", "repo_x", long("a", 64), ""],
);

nameField(
  "a Cloud Run service name",
  "cloud-run-invoke",
  "service",
  RUN_MSG,
  ["a", "ab", "checkout-api", long("a", 49)],
  ["1svc", "svc-", "svc.x", "Svc", long("a", 50), ""],
);

nameField(
  "a Vertex AI endpoint id",
  "vertex-endpoint-predict",
  "endpoint",
  VERTEX_MSG,
  ["1", "0", "1234567890", "9".repeat(20)],
  ["x123", "123x", "9".repeat(21), "my-endpoint", ""],
);

nameField(
  "a Cloud SQL instance id",
  "cloudsql-iam-user",
  "instance",
  SQL_MSG,
  ["a", "ab", "orders-db", long("a", 98)],
  ["1db", "db-", "proj:region:db", "DB", long("a", 99), ""],
);

// ---------------------------------------------------------------------------------------------
// Grants: the union
// ---------------------------------------------------------------------------------------------

describe("GcpGrant: kinds", () => {
  const EVERY_KIND: Record<string, unknown>[] = [
    { kind: "storage-bucket-read", bucket: "acme-artifacts" },
    { kind: "storage-bucket-write", bucket: "acme-artifacts", prefix: "out/" },
    { kind: "bigquery-dataset-read", dataset: "analytics" },
    { kind: "bigquery-dataset-write", dataset: "analytics", project: "acme-data-prod" },
    { kind: "bigquery-table-read", dataset: "analytics", table: "events" },
    { kind: "secret-access", secret: "api-token" },
    { kind: "pubsub-topic-publish", topic: "orders" },
    { kind: "pubsub-subscription-consume", subscription: "orders-sub" },
    { kind: "artifact-registry-read", location: "europe", repository: "docker-images" },
    { kind: "artifact-registry-write", location: "europe-west1", repository: "docker-images" },
    { kind: "cloud-run-invoke", location: "europe-west1", service: "checkout-api" },
    { kind: "vertex-endpoint-predict", location: "us-central1", endpoint: "1234567890" },
    { kind: "cloudsql-iam-user", instance: "orders-db" },
  ];

  test("a valid grant of every kind parses to exactly itself", () => {
    const { GcpGrant } = load();
    expect(each(EVERY_KIND, (g) => result(GcpGrant, g))).toEqual(each(EVERY_KIND, (g) => ({ ok: g })));
  });

  test("each kind requires its own fields", () => {
    const { GcpGrant } = load();
    const missing: [Record<string, unknown>, string][] = [
      [{ kind: "storage-bucket-write" }, "bucket"],
      [{ kind: "bigquery-dataset-read" }, "dataset"],
      [{ kind: "bigquery-dataset-write" }, "dataset"],
      [{ kind: "bigquery-table-read", dataset: "analytics" }, "table"],
      [{ kind: "secret-access" }, "secret"],
      [{ kind: "pubsub-topic-publish" }, "topic"],
      [{ kind: "pubsub-subscription-consume" }, "subscription"],
      [{ kind: "artifact-registry-read", location: "us" }, "repository"],
      [{ kind: "artifact-registry-write", repository: "docker-images" }, "location"],
      [{ kind: "cloud-run-invoke", location: "europe-west1" }, "service"],
      [{ kind: "vertex-endpoint-predict", endpoint: "1" }, "location"],
      [{ kind: "cloudsql-iam-user" }, "instance"],
    ];
    expect(each(missing, ([g]) => issues(GcpGrant, g))).toEqual(
      each(missing, ([, field]) => [{ code: "invalid_type", path: [field], message: expect.any(String) }]),
    );
  });

  test("fields of another kind are unknown keys (each kind is strict; storage grants take no project)", () => {
    const { GcpGrant } = load();
    expect(issues(GcpGrant, { kind: "secret-access", secret: "api-token", bucket: "acme-artifacts" })).toEqual([
      { code: "unrecognized_keys", path: [], message: expect.any(String) },
    ]);
    expect(issues(GcpGrant, { kind: "storage-bucket-read", bucket: "acme-artifacts", project: "acme-agents-prod" })).toEqual([
      { code: "unrecognized_keys", path: [], message: expect.any(String) },
    ]);
  });

  test("an unknown, empty or missing kind is refused at kind with the list of grant kinds", () => {
    const { GcpGrant } = load();
    const bad = [{ kind: "storage-admin", bucket: "acme-artifacts" }, { kind: "" }, { bucket: "acme-artifacts" }];
    expect(each(bad, (g) => issues(GcpGrant, g))).toEqual(each(bad, () => [{ code: "invalid_union", path: ["kind"], message: KIND_MSG }]));
  });

  test("the catalogues list exactly the documented kinds and roles", () => {
    const { GCP_GRANT_KINDS, GCP_PROJECT_ROLES, GCP_SERVICE_ACCOUNT_ONLY_GRANTS } = load();
    expect(GCP_GRANT_KINDS).toEqual(EVERY_KIND.map((g) => g.kind));
    expect(GCP_PROJECT_ROLES).toEqual(["roles/logging.logWriter", "roles/monitoring.metricWriter", "roles/cloudtrace.agent"]);
    expect(GCP_SERVICE_ACCOUNT_ONLY_GRANTS).toEqual(["cloudsql-iam-user", "cloud-run-invoke"]);
  });
});

describe("GcpProjectRole", () => {
  test("the three telemetry roles are accepted", () => {
    const { GcpProjectRole } = load();
    const roles = ["roles/logging.logWriter", "roles/monitoring.metricWriter", "roles/cloudtrace.agent"];
    expect(each(roles, (r) => result(GcpProjectRole, r))).toEqual(each(roles, (r) => ({ ok: r })));
  });

  test("any other role is refused with the allow-list message", () => {
    const { GcpProjectRole } = load();
    const bad = ["roles/owner", "roles/logging.viewer", ""];
    expect(each(bad, (r) => issues(GcpProjectRole, r))).toEqual(each(bad, () => [{ code: "invalid_value", path: [], message: ROLE_MSG }]));
  });
});

// ---------------------------------------------------------------------------------------------
// GcpAccess
// ---------------------------------------------------------------------------------------------

describe("GcpAccess", () => {
  const EMPTY_OUT = { mode: "service-account", grants: [], projectRoles: [], audiences: [] };

  test("an empty section defaults to service-account mode with no grants, roles or audiences", () => {
    expect(parsed(load().GcpAccess, {})).toEqual(EMPTY_OUT);
  });

  test("a full section parses to exactly its fields", () => {
    const a = {
      mode: "service-account",
      projectId: "acme-agents-prod",
      grants: [
        { kind: "cloudsql-iam-user", instance: "orders-db" },
        { kind: "cloud-run-invoke", location: "europe-west1", service: "checkout-api" },
      ],
      projectRoles: ["roles/logging.logWriter", "roles/cloudtrace.agent"],
      audiences: ["https://iam.googleapis.com/x", "sts"],
    };
    expect(parsed(load().GcpAccess, a)).toEqual(a);
  });

  test("direct mode is accepted for grants a federated principal can hold", () => {
    const a = { mode: "direct", grants: [{ kind: "secret-access", secret: "api-token" }] };
    expect(parsed(load().GcpAccess, a)).toEqual({ ...EMPTY_OUT, ...a });
  });

  test("an unknown mode is refused with the mode message; unknown fields are refused (strict)", () => {
    const { GcpAccess } = load();
    expect(issues(GcpAccess, { mode: "federated" })).toEqual([{ code: "invalid_value", path: ["mode"], message: "expected mode to be service-account or direct" }]);
    expect(issues(GcpAccess, { role: "x" })).toEqual([{ code: "unrecognized_keys", path: [], message: expect.any(String) }]);
  });

  test("direct mode refuses the service-account-only grants at their index, each with its reason", () => {
    const a = {
      mode: "direct",
      grants: [
        { kind: "secret-access", secret: "api-token" },
        { kind: "cloudsql-iam-user", instance: "orders-db" },
        { kind: "cloud-run-invoke", location: "europe-west1", service: "checkout-api" },
      ],
    };
    expect(issues(load().GcpAccess, a)).toEqual([
      custom(["grants", 1, "kind"], "expected mode service-account for grant cloudsql-iam-user: only a service account can be an IAM database user"),
      custom(["grants", 2, "kind"], "expected mode service-account for grant cloud-run-invoke: only a service account can obtain the ID token Cloud Run checks"),
    ]);
  });

  test("a project role listed twice is refused at its second index", () => {
    const a = { projectRoles: ["roles/logging.logWriter", "roles/cloudtrace.agent", "roles/logging.logWriter"] };
    expect(issues(load().GcpAccess, a)).toEqual([custom(["projectRoles", 2], "expected each project role once; roles/logging.logWriter is listed twice")]);
  });

  test("a role outside the allow-list and a grant of unknown kind are refused at their index", () => {
    const { GcpAccess } = load();
    expect(issues(GcpAccess, { projectRoles: ["roles/editor"] })).toEqual([{ code: "invalid_value", path: ["projectRoles", 0], message: ROLE_MSG }]);
    expect(issues(GcpAccess, { grants: [{ kind: "x" }] })).toEqual([{ code: "invalid_union", path: ["grants", 0, "kind"], message: KIND_MSG }]);
  });

  test("audiences: 1 to 256 characters each, at most 10", () => {
    const { GcpAccess } = load();
    const ten = Array.from({ length: 10 }, (_, i) => `aud-${i}`);
    expect(parsed(GcpAccess, { audiences: ["a"] })).toEqual({ ...EMPTY_OUT, audiences: ["a"] });
    expect(parsed(GcpAccess, { audiences: ten })).toEqual({ ...EMPTY_OUT, audiences: ten });
    expect(parsed(GcpAccess, { audiences: ["x".repeat(256)] })).toEqual({ ...EMPTY_OUT, audiences: ["x".repeat(256)] });
    expect(issues(GcpAccess, { audiences: [...ten, "aud-10"] })).toEqual([{ code: "too_big", path: ["audiences"], message: expect.any(String) }]);
    expect(issues(GcpAccess, { audiences: [""] })).toEqual([{ code: "too_small", path: ["audiences", 0], message: expect.any(String) }]);
    expect(issues(GcpAccess, { audiences: ["x".repeat(257)] })).toEqual([{ code: "too_big", path: ["audiences", 0], message: expect.any(String) }]);
  });
});

// ---------------------------------------------------------------------------------------------
// GcpPlatform
// ---------------------------------------------------------------------------------------------

describe("GcpPlatform", () => {
  test("a minimal platform defaults to a new pool, no existing providers and one shard", () => {
    expect(parsed(load().GcpPlatform, PLATFORM)).toEqual(PLATFORM_OUT);
  });

  test("a full platform parses to exactly its fields", () => {
    const p = { ...PLATFORM, workloadIdentityPoolId: "ai-prod", existingPool: true, existingProviders: { [GH_ISSUER]: PROVIDER }, providerShards: 50 };
    expect(parsed(load().GcpPlatform, p)).toEqual(p);
  });

  test("a bad project id is refused with the project id message; unknown fields are refused (strict)", () => {
    const { GcpPlatform } = load();
    expect(issues(GcpPlatform, { ...PLATFORM, projectId: "1acme" })).toEqual([fmt(["projectId"], PROJECT_ID_MSG)]);
    expect(issues(GcpPlatform, { ...PLATFORM, region: "europe-west1" })).toEqual([{ code: "unrecognized_keys", path: [], message: expect.any(String) }]);
  });

  test("existingPool without workloadIdentityPoolId is refused at workloadIdentityPoolId", () => {
    expect(issues(load().GcpPlatform, { ...PLATFORM, existingPool: true })).toEqual([
      custom(["workloadIdentityPoolId"], "expected workloadIdentityPoolId when existingPool is true (which pool to use)"),
    ]);
  });

  test("the pool id is checked as a Workload Identity pool id", () => {
    const M = wifMsgs("Workload Identity pool");
    const { GcpPlatform } = load();
    expect(issues(GcpPlatform, { ...PLATFORM, workloadIdentityPoolId: "gcp-pool" })).toEqual([custom(["workloadIdentityPoolId"], M.gcp)]);
    expect(issues(GcpPlatform, { ...PLATFORM, workloadIdentityPoolId: "ab" })).toEqual([fmt(["workloadIdentityPoolId"], M.format)]);
    expect(issues(GcpPlatform, { ...PLATFORM, workloadIdentityPoolId: "pool-" })).toEqual([custom(["workloadIdentityPoolId"], M.dash)]);
  });

  test("1, 2 and 50 provider shards are accepted; 0, -1, 51 and 100 are refused with the 1 to 50 message; 1.5 is refused", () => {
    const { GcpPlatform } = load();
    const good = [1, 2, 50];
    expect(each(good, (providerShards) => result(GcpPlatform, { ...PLATFORM, providerShards }))).toEqual(
      each(good, (providerShards) => ({ ok: { ...PLATFORM_OUT, providerShards } })),
    );
    const bad = [0, -1, 51, 100];
    expect(each(bad, (providerShards) => issues(GcpPlatform, { ...PLATFORM, providerShards }))).toEqual(
      each(bad, (n) => [{ code: n > 50 ? "too_big" : "too_small", path: ["providerShards"], message: SHARDS_MSG }]),
    );
    expect(issues(GcpPlatform, { ...PLATFORM, providerShards: 1.5 })).toEqual([{ code: "invalid_type", path: ["providerShards"], message: expect.any(String) }]);
  });
});

describe("GcpPlatform.existingProviders: issuer URL keys", () => {
  const platform = (issuer: string, provider: unknown = PROVIDER) => ({ ...PLATFORM, existingProviders: { [issuer]: provider } });

  test("https URLs with a lowercase host, an optional port and an optional path are accepted", () => {
    const { GcpPlatform } = load();
    const accept = [GH_ISSUER, "https://gitlab.example:8443", "https://gitlab.example/oidc/issuer-1", "https://gitlab.example:8443/a/B_c.d~e", "https://10.0.0.1"];
    expect(each(accept, (i) => result(GcpPlatform, platform(i)))).toEqual(each(accept, (i) => ({ ok: { ...PLATFORM_OUT, existingProviders: { [i]: PROVIDER } } })));
  });

  test("http, leading junk, a query, an empty or non-numeric port, an uppercase host or no host are refused with the issuer URL message", () => {
    const { GcpPlatform } = load();
    const reject = [
      "http://token.actions.githubusercontent.com",
      "xhttps://gitlab.example",
      "https://gitlab.example?x=1",
      "https://gitlab.example/a?b",
      "https://gitlab.example:",
      "https://gitlab.example:x",
      "https://Gitlab.example",
      "https://:443",
    ];
    expect(each(reject, (i) => issues(GcpPlatform, platform(i)))).toEqual(
      each(reject, (i) => [{ code: "invalid_key", path: ["existingProviders", i], issues: [fmt([], ISSUER_MSG)] }]),
    );
  });

  test("a trailing slash is refused with its own message", () => {
    const { GcpPlatform } = load();
    const reject = ["https://gitlab.example/", "https://gitlab.example/oidc/"];
    expect(each(reject, (i) => issues(GcpPlatform, platform(i)))).toEqual(
      each(reject, (i) => [{ code: "invalid_key", path: ["existingProviders", i], issues: [custom([], ISSUER_SLASH_MSG)] }]),
    );
  });

  test("a non-https URL with a trailing slash breaks both checks", () => {
    const issuer = "http://x.example/";
    expect(issues(load().GcpPlatform, platform(issuer))).toEqual([
      { code: "invalid_key", path: ["existingProviders", issuer], issues: [fmt([], ISSUER_MSG), custom([], ISSUER_SLASH_MSG)] },
    ]);
  });

  test("a bad provider is reported under its issuer", () => {
    expect(issues(load().GcpPlatform, platform(GH_ISSUER, { ...PROVIDER, attributeCondition: "" }))).toEqual([
      {
        code: "too_small",
        path: ["existingProviders", GH_ISSUER, "attributeCondition"],
        message: "expected the provider's attributeCondition (an unconditioned provider is refused)",
      },
    ]);
  });
});

describe("GcpExistingProvider", () => {
  const M = wifMsgs("Workload Identity provider");

  test("a provider parses to exactly its fields, with a condition up to 4096 characters", () => {
    const { GcpExistingProvider } = load();
    expect(parsed(GcpExistingProvider, PROVIDER)).toEqual(PROVIDER);
    const longest = { providerId: "abcd", attributeCondition: "c".repeat(4096) };
    expect(parsed(GcpExistingProvider, longest)).toEqual(longest);
  });

  test("the provider id is checked as a Workload Identity provider id", () => {
    const { GcpExistingProvider } = load();
    expect(issues(GcpExistingProvider, { ...PROVIDER, providerId: "gcp-github" })).toEqual([custom(["providerId"], M.gcp)]);
    expect(issues(GcpExistingProvider, { ...PROVIDER, providerId: "github_actions" })).toEqual([fmt(["providerId"], M.format)]);
    expect(issues(GcpExistingProvider, { ...PROVIDER, providerId: "-github" })).toEqual([custom(["providerId"], M.dash)]);
  });

  test("an empty attributeCondition is refused as an unconditioned provider", () => {
    expect(issues(load().GcpExistingProvider, { ...PROVIDER, attributeCondition: "" })).toEqual([
      { code: "too_small", path: ["attributeCondition"], message: "expected the provider's attributeCondition (an unconditioned provider is refused)" },
    ]);
  });

  test("a condition over 4096 characters, a missing one and unknown fields are refused", () => {
    const { GcpExistingProvider } = load();
    expect(issues(GcpExistingProvider, { ...PROVIDER, attributeCondition: "c".repeat(4097) })).toEqual([
      { code: "too_big", path: ["attributeCondition"], message: expect.any(String) },
    ]);
    expect(issues(GcpExistingProvider, { providerId: "github-actions" })).toEqual([{ code: "invalid_type", path: ["attributeCondition"], message: expect.any(String) }]);
    expect(issues(GcpExistingProvider, { ...PROVIDER, issuer: GH_ISSUER })).toEqual([{ code: "unrecognized_keys", path: [], message: expect.any(String) }]);
  });
});
