/**
 * GCP identifiers, deterministic from names: Workload Identity pool and provider ids, the
 * service account id and email, custom role ids. Every function either returns a valid id or throws.
 */
import { createHash } from "node:crypto";
import { GITHUB_ISSUER } from "../spec/schema";
import type { Source } from "../spec/schema";

export class GcpIdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GcpIdError";
  }
}

export function shortHash(s: string, n = 6): string {
  return createHash("sha256").update(s).digest("hex").slice(0, n);
}

const WIF_ID = /^[a-z0-9-]{4,32}$/;

/** Why `id` is not a valid pool/provider id, or undefined when it is. */
export function wifIdProblem(id: string): string | undefined {
  if (!WIF_ID.test(id)) return `must be 4-32 characters of a-z, 0-9 and '-'; got ${JSON.stringify(id)} (${id.length} characters)`;
  if (id.startsWith("gcp-")) return `must not start with 'gcp-' (reserved by Google); got ${JSON.stringify(id)}`;
  if (id.startsWith("-") || id.endsWith("-")) return `must neither start nor end with '-'; got ${JSON.stringify(id)}`;
  return undefined;
}

export function assertWifId(id: string, what: string): string {
  const p = wifIdProblem(id);
  if (p) throw new GcpIdError(`the ${what} id ${p}`);
  return id;
}

function slugify(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}

/** Fit `base` into [min, max] characters: keep it when it fits, else cut it and append a hash of the whole. */
function fit(base: string, max: number, full = base): string {
  if (base.length <= max) return base;
  const h = shortHash(full);
  return `${base.slice(0, max - h.length - 1).replace(/-+$/, "")}-${h}`;
}

/** Pool id for a stack: `<namePrefix>-<stack>`, made valid (explicit platform.gcp.workloadIdentityPoolId wins). */
export function poolId(namePrefix: string, stack: string, explicit?: string): string {
  if (explicit !== undefined) return assertWifId(explicit, "Workload Identity pool");
  let id = fit(slugify(`${namePrefix}-${stack}`), 32, `${namePrefix}-${stack}`);
  if (id.length < 4) id = `${id}-pool`.replace(/^-/, "");
  if (id.startsWith("gcp-")) id = fit(`p-${id}`, 32, `${namePrefix}-${stack}`);
  return assertWifId(id, "Workload Identity pool");
}

const KIND_SHORT: Record<Source["kind"], string> = {
  "github-actions": "github",
  "gitlab-ci": "gitlab",
  kubernetes: "k8s",
  spiffe: "spiffe",
  oidc: "oidc",
};

/**
 * Provider id for an issuer: `github` for GitHub.com, `gitlab` for gitlab.com, otherwise the kind
 * and a hash of the issuer URL (`k8s-1a2b3c4d`), so one issuer always gets the same id.
 */
export function providerId(kind: Source["kind"], issuer: string): string {
  if (kind === "github-actions" && issuer === GITHUB_ISSUER) return "github";
  if (kind === "gitlab-ci" && issuer === "https://gitlab.com") return "gitlab";
  return assertWifId(`${KIND_SHORT[kind]}-${shortHash(issuer, 8)}`, "Workload Identity provider");
}

const SA_ID = /^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$/;

/** Service account id (6-30 of a-z, 0-9, '-', starting with a letter): `<prefix>-<name>-<env>`, hashed when longer. */
export function serviceAccountId(namePrefix: string, assistant: string, environment: string): string {
  const full = `${namePrefix}-${assistant}-${environment}`;
  const id = fit(slugify(full), 30, full);
  if (!SA_ID.test(id)) throw new GcpIdError(`the service account id must be 6-30 of a-z, 0-9 and '-' starting with a letter; got ${JSON.stringify(id)}`);
  return id;
}

export function serviceAccountEmail(accountId: string, projectId: string): string {
  return `${accountId}@${projectId}.iam.gserviceaccount.com`;
}

/** The IAM database user name Cloud SQL (PostgreSQL) expects for a service account: the email without `.gserviceaccount.com`. */
export function cloudSqlIamUserName(email: string): string {
  return email.replace(/\.gserviceaccount\.com$/, "");
}

/** Custom role id (3-64 of letters, digits, '_', '.'): `<prefix>_<assistant>_<env>_<what>`, hashed when longer. */
export function customRoleId(namePrefix: string, assistant: string, environment: string, what: string): string {
  const full = `${namePrefix}_${assistant}_${environment}_${what}`.replace(/-/g, "_");
  const id = full.length <= 64 ? full : `${full.slice(0, 64 - 9)}_${shortHash(full, 8)}`;
  if (!/^[A-Za-z0-9_.]{3,64}$/.test(id)) throw new GcpIdError(`the custom role id must be 3-64 of letters, digits, '_' and '.'; got ${JSON.stringify(id)}`);
  return id;
}

export function poolName(projectNumber: string, pool: string): string {
  return `projects/${projectNumber}/locations/global/workloadIdentityPools/${pool}`;
}

/** Full provider resource name: what google-github-actions/auth takes as `workload_identity_provider`. */
export function providerName(projectNumber: string, pool: string, provider: string): string {
  return `${poolName(projectNumber, pool)}/providers/${provider}`;
}
