/**
 * The GCP audit plan: Data Access audit logs (ADMIN_READ, DATA_READ, DATA_WRITE) for Secret
 * Manager, IAM credentials and STS (plus any services the spec adds), and two log sinks into two
 * log buckets with their own retention: secret access (those three services) and everything else,
 * each filtered to the assistants' principals (the federated principal's subject, and the service
 * account email it impersonates). Pure: components/gcp/audit.ts renders it.
 */
import type { GcpAuditPlatform } from "../spec/audit";

export const SECRET_SERVICES = ["iamcredentials.googleapis.com", "secretmanager.googleapis.com", "sts.googleapis.com"] as const;
export const AUDIT_LOG_TYPES = ["ADMIN_READ", "DATA_READ", "DATA_WRITE"] as const;

export interface GcpAuditAssistantRef {
  name: string;
  environment: string;
  /** principal://iam.googleapis.com/…/subject/SUBJECT: the federated identity. */
  principal: string;
  /** The service account it impersonates (service-account mode). */
  serviceAccountEmail?: string;
  lookbackDays: number;
}

export interface GcpAuditStream {
  key: "secret-access" | "tool-calls";
  bucketId: string;
  sinkName: string;
  description: string;
  retentionDays: number;
  /** logging.googleapis.com/projects/P/locations/L/buckets/B */
  destination: string;
  filter: string;
}

export interface GcpAuditPlan {
  project: string;
  location: string;
  /** Services whose Data Access logs are enabled (one IAMAuditConfig each: authoritative for that service). */
  auditConfigs: Array<{ service: string; logTypes: string[] }>;
  secretAccess: GcpAuditStream;
  toolCalls: GcpAuditStream;
  assistants: GcpAuditAssistantRef[];
}

const q = (s: string) => JSON.stringify(s);
const anyOf = (field: string, values: string[]) => `${field}=(${values.map(q).join(" OR ")})`;

/** The Logging query clause that matches one assistant's (or several assistants') calls. */
export function principalClause(assistants: GcpAuditAssistantRef[]): string {
  const subjects = [...new Set(assistants.map((a) => a.principal))].sort();
  const emails = [...new Set(assistants.flatMap((a) => (a.serviceAccountEmail ? [a.serviceAccountEmail] : [])))].sort();
  const parts = [anyOf("protoPayload.authenticationInfo.principalSubject", subjects)];
  if (emails.length) parts.push(anyOf("protoPayload.authenticationInfo.principalEmail", emails));
  return parts.length === 1 ? parts[0] : `(${parts.join(" OR ")})`;
}

const AUDIT_LOGS = 'logName:"cloudaudit.googleapis.com"';
const secretServices = anyOf("protoPayload.serviceName", [...SECRET_SERVICES]);

export function streamFilter(key: "secret-access" | "tool-calls", assistants: GcpAuditAssistantRef[]): string {
  return [AUDIT_LOGS, key === "secret-access" ? secretServices : `NOT ${secretServices}`, principalClause(assistants)].join(" AND ");
}

export interface GcpAuditContext {
  namePrefix: string;
  /** Default project (platform.gcp.projectId). */
  project: string;
}

export function planGcpAudit(assistants: GcpAuditAssistantRef[], settings: GcpAuditPlatform, ctx: GcpAuditContext): GcpAuditPlan {
  if (assistants.length === 0) throw new Error("planGcpAudit needs at least one assistant with gcp access");
  const sorted = [...assistants].sort((x, y) => x.principal.localeCompare(y.principal));
  const project = settings.project ?? ctx.project;
  const location = settings.location;
  const services = [...new Set([...SECRET_SERVICES, ...settings.dataAccessServices])].sort();
  const stream = (key: "secret-access" | "tool-calls", what: string, retentionDays: number): GcpAuditStream => {
    const bucketId = `${ctx.namePrefix}-assistants-${key}`;
    return {
      key,
      bucketId,
      sinkName: bucketId,
      description: `${what} of AI assistant principals (${sorted.length}), kept ${retentionDays} days`,
      retentionDays,
      destination: `logging.googleapis.com/projects/${project}/locations/${location}/buckets/${bucketId}`,
      filter: streamFilter(key, sorted),
    };
  };
  return {
    project,
    location,
    auditConfigs: services.map((service) => ({ service, logTypes: [...AUDIT_LOG_TYPES] })),
    secretAccess: stream("secret-access", "Secret Manager, IAM credentials and STS calls", settings.secretAccessRetentionDays),
    toolCalls: stream("tool-calls", "Every other audited call", settings.toolCallRetentionDays),
    assistants: sorted,
  };
}

/** A ready Logs Explorer query for one assistant in one stream (run it on the bucket's _AllLogs view). */
export function gcpQuery(stream: GcpAuditStream, a: GcpAuditAssistantRef, now: Date): string {
  const since = new Date(now.getTime() - a.lookbackDays * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  return [streamFilter(stream.key, [a]), `timestamp>=${q(since)}`].join("\nAND ");
}

/** The bucket view a query runs on. */
export function bucketView(plan: GcpAuditPlan, stream: GcpAuditStream): string {
  return `projects/${plan.project}/locations/${plan.location}/buckets/${stream.bucketId}/views/_AllLogs`;
}
