/**
 * The GCP grant catalogue: each kind → exactly one resource, one role and one IAM condition that
 * carries the assistant's expiry (`request.time < timestamp('<expires>T00:00:00Z')`).
 * Never basic roles, never token-creator, key-admin or any admin role; never public or pool-wide members.
 */
import type { Finding } from "../findings";
import type { GcpGrant, GcpGrantKind, GcpProjectRole } from "../spec/gcp";
import { GCP_PROJECT_ROLES } from "../spec/gcp";
import { celString, evaluateIamCondition } from "./cel";
import { isBroadMember } from "./provider";

export type GcpResourceKind =
  | "storage-bucket"
  | "bigquery-dataset"
  | "bigquery-table"
  | "secret"
  | "pubsub-topic"
  | "pubsub-subscription"
  | "artifact-registry-repository"
  | "cloud-run-service"
  | "vertex-endpoint"
  | "project"
  | "service-account";

export interface GcpIamCondition {
  title: string;
  description: string;
  expression: string;
}

export interface GcpResourceRef {
  kind: GcpResourceKind;
  /** Project the resource lives in ("_" is not used: buckets carry their project for the record). */
  project: string;
  /** Full resource name as IAM conditions see it (resource.name). */
  name: string;
  /** The ids the Pulumi IAM-member resource takes (bucket, datasetId, tableId, secretId, topic, subscription, location, repository, service, endpoint, serviceAccountId). */
  ids: Record<string, string>;
}

export interface GcpBinding {
  /** Stable, unique per assistant: names the Pulumi resource. */
  key: string;
  grant: GcpGrantKind | "project-role" | "workload-identity-user";
  resource: GcpResourceRef;
  /** roles/… or projects/P/roles/ID (a custom role this plan also creates). */
  role: string;
  member: string;
  condition: GcpIamCondition;
}

/** A one-permission custom role, for catalogue kinds whose narrowest predefined role is broad. */
export interface GcpCustomRole {
  project: string;
  roleId: string;
  title: string;
  description: string;
  permissions: string[];
}

/** A Cloud SQL IAM database user (type CLOUD_IAM_SERVICE_ACCOUNT): no password exists. */
export interface GcpSqlUser {
  project: string;
  instance: string;
  name: string;
  type: "CLOUD_IAM_SERVICE_ACCOUNT";
}

/** The instant access ends: 00:00:00Z of the `expires` date. */
export function expiryInstant(expires: string): string {
  return `${expires}T00:00:00Z`;
}

export function expiryExpression(expires: string): string {
  return `request.time < timestamp(${celString(expiryInstant(expires))})`;
}

/** IAM allows 256 characters of condition description. */
const MAX_CONDITION_DESCRIPTION = 256;

/**
 * `<assistant>: <what>; <tail>` within IAM's 256 characters. What gets cut is the restriction's
 * text (ending in "…"), never the tail: the expiry is what an auditor reads the description for.
 */
function conditionDescription(assistant: string, what: string | undefined, tail: string): string {
  const head = `${assistant}: `;
  const full = `${head}${what !== undefined ? `${what}; ` : ""}${tail}`;
  if (full.length <= MAX_CONDITION_DESCRIPTION || what === undefined) return full.slice(0, MAX_CONDITION_DESCRIPTION);
  const room = MAX_CONDITION_DESCRIPTION - head.length - tail.length - "…; ".length;
  return room > 0 ? `${head}${what.slice(0, room)}…; ${tail}` : `${head}${tail}`.slice(0, MAX_CONDITION_DESCRIPTION);
}

/** The IAM condition of a binding: an optional resource restriction ANDed with the expiry. */
export function expiryCondition(expires: string, assistant: string, restriction?: { expression: string; what: string }): GcpIamCondition {
  const expiry = expiryExpression(expires);
  return {
    title: `${restriction ? "scoped, " : ""}expires ${expires}`.slice(0, 100),
    description: conditionDescription(assistant, restriction?.what, `access ends ${expiryInstant(expires)}`),
    expression: restriction ? `${restriction.expression} && ${expiry}` : expiry,
  };
}

/** Roles no assistant gets, anywhere. */
const FORBIDDEN_ROLES = new Set([
  "roles/owner",
  "roles/editor",
  "roles/viewer",
  "roles/browser",
  "roles/iam.serviceAccountTokenCreator",
  "roles/iam.serviceAccountKeyAdmin",
  "roles/iam.serviceAccountAdmin",
  "roles/iam.serviceAccountUser",
  "roles/iam.serviceAccountOpenIdTokenCreator",
  "roles/iam.workloadIdentityPoolAdmin",
  "roles/iam.securityAdmin",
  "roles/iam.roleAdmin",
  "roles/iam.organizationRoleAdmin",
  "roles/resourcemanager.projectIamAdmin",
  "roles/resourcemanager.organizationAdmin",
  "roles/resourcemanager.folderAdmin",
]);

/** Permissions a custom role of this toolkit may carry. */
const CUSTOM_ROLE_PERMISSIONS = new Set(["aiplatform.endpoints.predict"]);

/** Why a role must not be granted to an assistant, or undefined. */
export function roleProblem(role: string, where: GcpResourceKind): string | undefined {
  if (FORBIDDEN_ROLES.has(role)) return `${role} is a basic, impersonation, key or IAM-admin role`;
  if (/admin/i.test(role.split("/").pop() ?? "")) return `${role} is an admin role`;
  if (/tokenCreator|keyAdmin|serviceAccountUser/i.test(role)) return `${role} mints credentials or acts as another identity`;
  if (role === "roles/iam.workloadIdentityUser" && where !== "service-account") return "roles/iam.workloadIdentityUser belongs on the assistant's own service account only";
  return undefined;
}

type Ctx = { project: string; expires: string; assistant: string; customRole: (what: string) => string };

interface Expansion {
  bindings: Omit<GcpBinding, "member">[];
  customRoles?: GcpCustomRole[];
  sqlInstance?: { project: string; instance: string };
}

const keyPart = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40);

function one(kind: GcpGrantKind, resource: GcpResourceRef, role: string, ctx: Ctx, restriction?: { expression: string; what: string }, keyExtra = ""): Omit<GcpBinding, "member"> {
  const roleShort = role.split("/").pop()!;
  return {
    key: `${kind}-${keyPart(Object.values(resource.ids).join("-"))}${keyExtra ? `-${keyPart(keyExtra)}` : ""}-${keyPart(roleShort)}`,
    grant: kind,
    resource,
    role,
    condition: expiryCondition(ctx.expires, ctx.assistant, restriction),
  };
}

/** Expand one catalogue grant. */
export function expandGcpGrant(grant: GcpGrant, ctx: Ctx): Expansion {
  const project = ("project" in grant && grant.project) || ctx.project;
  switch (grant.kind) {
    case "storage-bucket-read":
    case "storage-bucket-write": {
      const resource: GcpResourceRef = { kind: "storage-bucket", project, name: `projects/_/buckets/${grant.bucket}`, ids: { bucket: grant.bucket } };
      const role = grant.kind === "storage-bucket-read" ? "roles/storage.objectViewer" : "roles/storage.objectUser";
      const restriction = grant.prefix
        ? { expression: `resource.name.startsWith(${celString(`projects/_/buckets/${grant.bucket}/objects/${grant.prefix}`)})`, what: `objects under ${grant.prefix}` }
        : undefined;
      return { bindings: [one(grant.kind, resource, role, ctx, restriction, grant.prefix ?? "")] };
    }
    case "bigquery-dataset-read":
    case "bigquery-dataset-write": {
      const resource: GcpResourceRef = { kind: "bigquery-dataset", project, name: `projects/${project}/datasets/${grant.dataset}`, ids: { datasetId: grant.dataset } };
      return { bindings: [one(grant.kind, resource, grant.kind === "bigquery-dataset-read" ? "roles/bigquery.dataViewer" : "roles/bigquery.dataEditor", ctx)] };
    }
    case "bigquery-table-read": {
      const resource: GcpResourceRef = {
        kind: "bigquery-table",
        project,
        name: `projects/${project}/datasets/${grant.dataset}/tables/${grant.table}`,
        ids: { datasetId: grant.dataset, tableId: grant.table },
      };
      return { bindings: [one(grant.kind, resource, "roles/bigquery.dataViewer", ctx)] };
    }
    case "secret-access": {
      const resource: GcpResourceRef = { kind: "secret", project, name: `projects/${project}/secrets/${grant.secret}`, ids: { secretId: grant.secret } };
      return { bindings: [one(grant.kind, resource, "roles/secretmanager.secretAccessor", ctx)] };
    }
    case "pubsub-topic-publish": {
      const resource: GcpResourceRef = { kind: "pubsub-topic", project, name: `projects/${project}/topics/${grant.topic}`, ids: { topic: grant.topic } };
      return { bindings: [one(grant.kind, resource, "roles/pubsub.publisher", ctx)] };
    }
    case "pubsub-subscription-consume": {
      const resource: GcpResourceRef = { kind: "pubsub-subscription", project, name: `projects/${project}/subscriptions/${grant.subscription}`, ids: { subscription: grant.subscription } };
      return { bindings: [one(grant.kind, resource, "roles/pubsub.subscriber", ctx)] };
    }
    case "artifact-registry-read":
    case "artifact-registry-write": {
      const resource: GcpResourceRef = {
        kind: "artifact-registry-repository",
        project,
        name: `projects/${project}/locations/${grant.location}/repositories/${grant.repository}`,
        ids: { location: grant.location, repository: grant.repository },
      };
      return { bindings: [one(grant.kind, resource, grant.kind === "artifact-registry-read" ? "roles/artifactregistry.reader" : "roles/artifactregistry.writer", ctx)] };
    }
    case "cloud-run-invoke": {
      const resource: GcpResourceRef = { kind: "cloud-run-service", project, name: `projects/${project}/locations/${grant.location}/services/${grant.service}`, ids: { location: grant.location, service: grant.service } };
      return { bindings: [one(grant.kind, resource, "roles/run.invoker", ctx)] };
    }
    case "vertex-endpoint-predict": {
      // The narrowest predefined role (roles/aiplatform.user) can train, deploy and delete; a one-permission custom role can only predict.
      const roleId = ctx.customRole("vertexPredict");
      const resource: GcpResourceRef = {
        kind: "vertex-endpoint",
        project,
        name: `projects/${project}/locations/${grant.location}/endpoints/${grant.endpoint}`,
        ids: { location: grant.location, endpoint: grant.endpoint },
      };
      return {
        bindings: [one(grant.kind, resource, `projects/${project}/roles/${roleId}`, ctx)],
        customRoles: [{ project, roleId, title: `${ctx.assistant} Vertex AI predict`, description: `Call predict on Vertex AI endpoints (${ctx.assistant}); nothing else.`, permissions: ["aiplatform.endpoints.predict"] }],
      };
    }
    case "cloudsql-iam-user": {
      // Cloud SQL has no instance-level IAM: project-level bindings narrowed to one instance by condition.
      const resource: GcpResourceRef = { kind: "project", project, name: `projects/${project}`, ids: { project } };
      const restriction = {
        expression: `resource.service == 'sqladmin.googleapis.com' && resource.name == ${celString(`projects/${project}/instances/${grant.instance}`)}`,
        what: `Cloud SQL instance ${grant.instance} only`,
      };
      return {
        bindings: [one(grant.kind, resource, "roles/cloudsql.client", ctx, restriction, grant.instance), one(grant.kind, resource, "roles/cloudsql.instanceUser", ctx, restriction, grant.instance)],
        sqlInstance: { project, instance: grant.instance },
      };
    }
  }
}

export function projectRoleBinding(role: GcpProjectRole, ctx: Ctx): Omit<GcpBinding, "member"> {
  if (!(GCP_PROJECT_ROLES as readonly string[]).includes(role)) throw new Error(`project-level roles must be one of ${GCP_PROJECT_ROLES.join(", ")}; got ${role}`);
  const resource: GcpResourceRef = { kind: "project", project: ctx.project, name: `projects/${ctx.project}`, ids: { project: ctx.project } };
  return { key: `project-${keyPart(ctx.project)}-${keyPart(role.split("/").pop()!)}`, grant: "project-role", resource, role, condition: expiryCondition(ctx.expires, ctx.assistant) };
}

/** A resource context inside the binding's scope, for proving the condition with CEL. */
export function probeResource(b: GcpBinding): { name: string; type?: string; service?: string } {
  const m = /^resource\.name\.startsWith\('((?:[^'\\]|\\.)*)'\)/.exec(b.condition.expression);
  if (m) return { name: `${m[1]!.replace(/\\(.)/g, "$1")}probe.txt`, type: "storage.googleapis.com/Object", service: "storage.googleapis.com" };
  const sql = /resource\.name == '((?:[^'\\]|\\.)*)'/.exec(b.condition.expression);
  if (sql) return { name: sql[1]!.replace(/\\(.)/g, "$1"), type: "sqladmin.googleapis.com/Instance", service: "sqladmin.googleapis.com" };
  return { name: b.resource.name };
}

/** Findings for bindings that break the rules (role, member, condition, expiry proven with CEL). */
export function checkBindings(bindings: GcpBinding[], expires: string): Finding[] {
  const findings: Finding[] = [];
  const end = Date.parse(expiryInstant(expires));
  bindings.forEach((b, i) => {
    const path = `bindings[${i}]`;
    const rp = roleProblem(b.role, b.resource.kind);
    if (rp) findings.push({ message: `must not grant ${b.role}; got it on ${b.resource.name} (${rp})`, path: `${path}.role`, value: b.role, fix: "use a catalogue grant at resource level", key: `Role::${b.role}` });
    if (isBroadMember(b.member)) findings.push({ message: `must bind one identity; got ${b.member}`, path: `${path}.member`, value: b.member, fix: "bind the assistant's principal:// or service account", key: `Member::${b.member}` });
    if (b.resource.kind === "project" && b.grant === "project-role" && !(GCP_PROJECT_ROLES as readonly string[]).includes(b.role)) {
      findings.push({ message: `must grant only ${GCP_PROJECT_ROLES.join(", ")} on a project; got ${b.role}`, path: `${path}.role`, value: b.role, fix: "grant the role on the resource instead" });
    }
    const before = evaluateIamCondition(b.condition.expression, new Date(end - 1000), probeResource(b));
    const at = evaluateIamCondition(b.condition.expression, new Date(end), probeResource(b));
    const after = evaluateIamCondition(b.condition.expression, new Date(end + 86_400_000), probeResource(b));
    if (!before.admitted || at.admitted || after.admitted) {
      findings.push({
        message: `must allow until ${expiryInstant(expires)} and deny from then; got ${before.admitted ? "allow" : "deny"} one second before, ${at.admitted ? "allow" : "deny"} at, ${after.admitted ? "allow" : "deny"} a day after${before.error ? ` (${before.error})` : ""}`,
        path: `${path}.condition.expression`,
        value: b.condition.expression,
        fix: `AND the binding's condition with ${expiryExpression(expires)}`,
        key: `Expiry::${b.key}`,
      });
    }
  });
  return findings;
}

export function checkCustomRoles(roles: GcpCustomRole[]): Finding[] {
  return roles.flatMap((r, i) =>
    r.permissions
      .filter((p) => !CUSTOM_ROLE_PERMISSIONS.has(p))
      .map((p) => ({ message: `must carry only ${[...CUSTOM_ROLE_PERMISSIONS].join(", ")}; got ${p}`, path: `customRoles[${i}].permissions`, value: p, fix: "use a catalogue grant" })),
  );
}
