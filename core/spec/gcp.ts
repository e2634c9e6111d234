/**
 * The `gcp` section of an assistant and the `platform.gcp` section of a stack.
 *
 * Grants come from a typed catalogue at resource level (core/gcp/grants.ts expands each kind to
 * exactly one resource, one predefined role or a one-permission custom role, and an IAM condition
 * with the assistant's expiry). Project-level roles are an allow-list of three narrow ones.
 * Wired into `Assistant.gcp` and `Platform.gcp` by core/spec/schema.ts.
 */
import { z } from "zod";
import { ISSUER_URL_PATTERN } from "../oidc/issuer";

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

const projectId = z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, {
  message: "expected a GCP project id (6-30 of a-z, 0-9, '-', starting with a letter), e.g. acme-agents-prod",
});
const projectNumber = z.string({ message: "expected the GCP project number as a quoted string of digits" }).regex(/^[1-9]\d{5,19}$/, {
  message: "expected the GCP project number as a quoted string of digits (gcloud projects describe P --format='value(projectNumber)')",
});
/** Workload Identity pool / provider id: 4-32 of [a-z0-9-], not starting with the reserved `gcp-`. */
export const wifId = (what: string) =>
  z
    .string()
    .regex(/^[a-z0-9-]{4,32}$/, { message: `expected a ${what} id of 4-32 characters of a-z, 0-9 and '-'` })
    .refine((s) => !s.startsWith("gcp-"), { message: `expected a ${what} id that does not start with 'gcp-' (reserved by Google)` })
    .refine((s) => !s.startsWith("-") && !s.endsWith("-"), { message: `expected a ${what} id that neither starts nor ends with '-'` });

const bucket = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, {
  message: "expected a Cloud Storage bucket name (3-63 of a-z, 0-9, '-', '_', '.'; no wildcard, no gs://)",
});
const objectPrefix = z
  .string()
  .min(1, { message: "expected a non-empty object prefix such as reports/ (leave prefix out for the whole bucket)" })
  .max(1024)
  .regex(/^[^*?\s\[\]]+$/, { message: "expected an object name prefix without '*', '?', '[', ']' or spaces (e.g. reports/)" })
  .refine((p) => !p.startsWith("/"), { message: "expected an object prefix without a leading '/'" });
const datasetId = z.string().regex(/^[A-Za-z0-9_]{1,1024}$/, { message: "expected a BigQuery dataset id (letters, digits, '_'; no wildcard)" });
const tableId = z.string().regex(/^[A-Za-z0-9_-]{1,1024}$/, { message: "expected a BigQuery table id (letters, digits, '_', '-'; no wildcard)" });
const secretId = z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, { message: "expected a Secret Manager secret id (1-255 of letters, digits, '_', '-'), not a full resource name" });
const pubsubName = (what: string) =>
  z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9._~%+-]{2,254}$/, { message: `expected a Pub/Sub ${what} id (3-255 characters starting with a letter), not a full resource name` })
    .refine((s) => !s.toLowerCase().startsWith("goog"), { message: `expected a Pub/Sub ${what} id that does not start with 'goog'` });
/** A region (europe-west1) or an Artifact Registry multi-region (us, europe, asia). */
const arLocation = z.string().regex(/^[a-z]+(-[a-z]+\d+)?$/, { message: "expected an Artifact Registry location such as europe-west1 or the multi-region us" });
const region = z.string().regex(/^[a-z]+-[a-z]+\d+$/, { message: "expected a GCP region such as europe-west1" });
const arRepository = z.string().regex(/^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/, { message: "expected an Artifact Registry repository id (lowercase letters, digits, '-')" });
const runService = z.string().regex(/^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$/, { message: "expected a Cloud Run service name (lowercase letters, digits, '-', at most 49)" });
const vertexEndpoint = z.string().regex(/^\d{1,20}$/, { message: "expected the numeric Vertex AI endpoint id (gcloud ai endpoints list), not its display name" });
const sqlInstance = z.string().regex(/^[a-z]([a-z0-9-]{0,96}[a-z0-9])?$/, { message: "expected a Cloud SQL instance id (lowercase letters, digits, '-'), not its connection name" });

// ---------------------------------------------------------------------------------------------
// Grants
// ---------------------------------------------------------------------------------------------

/** `project` overrides the assistant's project for resources that live in another project. */
const g = <K extends string, S extends z.ZodRawShape>(kind: K, shape: S) =>
  z.object({ kind: z.literal(kind), project: projectId.optional(), ...shape }).strict();

export const GCP_GRANT_KINDS = [
  "storage-bucket-read",
  "storage-bucket-write",
  "bigquery-dataset-read",
  "bigquery-dataset-write",
  "bigquery-table-read",
  "secret-access",
  "pubsub-topic-publish",
  "pubsub-subscription-consume",
  "artifact-registry-read",
  "artifact-registry-write",
  "cloud-run-invoke",
  "vertex-endpoint-predict",
  "cloudsql-iam-user",
] as const;

export const GcpGrant = z.discriminatedUnion(
  "kind",
  [
    /** Objects of one bucket; with `prefix`, only objects whose name starts with it (IAM condition on resource.name). */
    z.object({ kind: z.literal("storage-bucket-read"), bucket, prefix: objectPrefix.optional() }).strict(),
    z.object({ kind: z.literal("storage-bucket-write"), bucket, prefix: objectPrefix.optional() }).strict(),
    g("bigquery-dataset-read", { dataset: datasetId }),
    g("bigquery-dataset-write", { dataset: datasetId }),
    g("bigquery-table-read", { dataset: datasetId, table: tableId }),
    g("secret-access", { secret: secretId }),
    g("pubsub-topic-publish", { topic: pubsubName("topic") }),
    g("pubsub-subscription-consume", { subscription: pubsubName("subscription") }),
    g("artifact-registry-read", { location: arLocation, repository: arRepository }),
    g("artifact-registry-write", { location: arLocation, repository: arRepository }),
    g("cloud-run-invoke", { location: region, service: runService }),
    g("vertex-endpoint-predict", { location: region, endpoint: vertexEndpoint }),
    /** Connect to one Cloud SQL instance as an IAM database user (the service account; no password exists). */
    g("cloudsql-iam-user", { instance: sqlInstance }),
  ],
  { message: `expected grant.kind to be one of ${GCP_GRANT_KINDS.join(", ")}` },
);

/** The only roles granted on a whole project: each writes telemetry and reads nothing. */
export const GCP_PROJECT_ROLES = ["roles/logging.logWriter", "roles/monitoring.metricWriter", "roles/cloudtrace.agent"] as const;
export const GcpProjectRole = z.enum(GCP_PROJECT_ROLES, {
  message: `expected a project-level role from the allow-list: ${GCP_PROJECT_ROLES.join(", ")} (grant anything else on the resource)`,
});

/** Grants that only a service account can hold (an IAM database user, an ID token for Cloud Run). */
export const GCP_SERVICE_ACCOUNT_ONLY_GRANTS = ["cloudsql-iam-user", "cloud-run-invoke"] as const;

export const GcpAccess = z
  .object({
    /**
     * `service-account` (default): a service account per assistant, impersonated only by the
     * assistant's federated principal (roles/iam.workloadIdentityUser); grants go to the service account.
     * `direct`: grants go to the federated principal itself; no service account exists.
     */
    mode: z.enum(["service-account", "direct"], { message: "expected mode to be service-account or direct" }).default("service-account"),
    /** Overrides platform.gcp.projectId: where the service account and project-level roles live. */
    projectId: projectId.optional(),
    grants: z.array(GcpGrant).default([]),
    projectRoles: z.array(GcpProjectRole).default([]),
    /**
     * Audiences the provider accepts for this assistant's tokens, in addition to the provider's
     * canonical resource name (what google-github-actions/auth requests by default).
     */
    audiences: z.array(z.string().min(1).max(256)).max(10).default([]),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.mode === "direct") {
      a.grants.forEach((gr, i) => {
        if ((GCP_SERVICE_ACCOUNT_ONLY_GRANTS as readonly string[]).includes(gr.kind)) {
          ctx.addIssue({
            code: "custom",
            path: ["grants", i, "kind"],
            message: `expected mode service-account for grant ${gr.kind}: only a service account can ${gr.kind === "cloudsql-iam-user" ? "be an IAM database user" : "obtain the ID token Cloud Run checks"}`,
          });
        }
      });
    }
    const seen = new Set<string>();
    a.projectRoles.forEach((r, i) => {
      if (seen.has(r)) ctx.addIssue({ code: "custom", path: ["projectRoles", i], message: `expected each project role once; ${r} is listed twice` });
      seen.add(r);
    });
  });

// ---------------------------------------------------------------------------------------------
// Platform
// ---------------------------------------------------------------------------------------------

const issuerUrl = z
  .string()
  .regex(ISSUER_URL_PATTERN, { message: "expected an https:// issuer URL" })
  .refine((s) => !s.endsWith("/"), { message: "expected an issuer URL without a trailing slash" });

export const GcpExistingProvider = z
  .object({
    providerId: wifId("Workload Identity provider"),
    /**
     * The attributeCondition configured on that provider, as it is: the stack does not manage it,
     * but it still proves with CEL that it admits no other repository or owner (fail closed).
     */
    attributeCondition: z.string().min(1, { message: "expected the provider's attributeCondition (an unconditioned provider is refused)" }).max(4096),
  })
  .strict();

export const GcpPlatform = z
  .object({
    projectId,
    projectNumber,
    /** Pool id; default `<namePrefix>-<stack>` made valid (core/gcp/ids.ts poolId). */
    workloadIdentityPoolId: wifId("Workload Identity pool").optional(),
    /** The pool already exists (created outside this stack); requires workloadIdentityPoolId. */
    existingPool: z.boolean().default(false),
    /** Issuer URL → a provider that already exists in the pool (not created by this stack). */
    existingProviders: z.record(issuerUrl, GcpExistingProvider).default({}),
    /**
     * Providers per issuer the stack's assistants are spread over (by a stable hash of their subject).
     * A provider's attributeCondition ORs its assistants' clauses within GCP's 4,096 characters (about
     * 30 GitHub assistants); raise this for more. Changing it moves assistants to other providers: the
     * stack updates the GitHub variables that name them, other workloads need their provider name updated.
     */
    providerShards: z.number().int().min(1, { message: "expected 1 to 50 provider shards" }).max(50, { message: "expected 1 to 50 provider shards" }).default(1),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.existingPool && !p.workloadIdentityPoolId) {
      ctx.addIssue({ code: "custom", path: ["workloadIdentityPoolId"], message: "expected workloadIdentityPoolId when existingPool is true (which pool to use)" });
    }
  });

export type GcpGrant = z.infer<typeof GcpGrant>;
export type GcpGrantKind = GcpGrant["kind"];
export type GcpProjectRole = z.infer<typeof GcpProjectRole>;
export type GcpAccess = z.infer<typeof GcpAccess>;
export type GcpAccessInput = z.input<typeof GcpAccess>;
export type GcpExistingProvider = z.infer<typeof GcpExistingProvider>;
export type GcpPlatform = z.infer<typeof GcpPlatform>;
export type GcpPlatformInput = z.input<typeof GcpPlatform>;
