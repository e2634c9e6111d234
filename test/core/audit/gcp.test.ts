/** The GCP audit plan: Data Access logs for the three services, two filtered sinks, ready queries. */
import { GcpAuditPlatform } from "../../../core/spec/audit";
import { planGcpAudit, gcpQuery, bucketView, inventoryAudit } from "../../../core/audit";
import { Audit } from "../../../core/inventory/schema";

const POOL = "principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ai-dev/subject";
const A = [
  { name: "pr-reviewer", environment: "dev", principal: `${POOL}/repo:acme/app:environment:ai-review`, serviceAccountEmail: "ai-pr-reviewer-dev@acme-agents-dev.iam.gserviceaccount.com", lookbackDays: 7 },
  { name: "triage-bot", environment: "dev", principal: `${POOL}/system:serviceaccount:agents:triage`, lookbackDays: 3 },
];
const NOW = new Date("2026-12-01T00:00:00Z");

test("Data Access logs for Secret Manager, IAM credentials, STS and the extra services; buckets and sinks with retention", () => {
  const p = planGcpAudit(A, GcpAuditPlatform.parse({ dataAccessServices: ["storage.googleapis.com"] }), { namePrefix: "ai", project: "acme-agents-dev" });
  expect(p.auditConfigs).toEqual([
    { service: "iamcredentials.googleapis.com", logTypes: ["ADMIN_READ", "DATA_READ", "DATA_WRITE"] },
    { service: "secretmanager.googleapis.com", logTypes: ["ADMIN_READ", "DATA_READ", "DATA_WRITE"] },
    { service: "storage.googleapis.com", logTypes: ["ADMIN_READ", "DATA_READ", "DATA_WRITE"] },
    { service: "sts.googleapis.com", logTypes: ["ADMIN_READ", "DATA_READ", "DATA_WRITE"] },
  ]);
  const principals =
    `(protoPayload.authenticationInfo.principalSubject=("${POOL}/repo:acme/app:environment:ai-review" OR "${POOL}/system:serviceaccount:agents:triage")` +
    ` OR protoPayload.authenticationInfo.principalEmail=("ai-pr-reviewer-dev@acme-agents-dev.iam.gserviceaccount.com"))`;
  const services = 'protoPayload.serviceName=("iamcredentials.googleapis.com" OR "secretmanager.googleapis.com" OR "sts.googleapis.com")';
  expect(p.secretAccess).toEqual({
    key: "secret-access",
    bucketId: "ai-assistants-secret-access",
    sinkName: "ai-assistants-secret-access",
    description: "Secret Manager, IAM credentials and STS calls of AI assistant principals (2), kept 400 days",
    retentionDays: 400,
    destination: "logging.googleapis.com/projects/acme-agents-dev/locations/global/buckets/ai-assistants-secret-access",
    filter: `logName:"cloudaudit.googleapis.com" AND ${services} AND ${principals}`,
  });
  expect(p.toolCalls.filter).toBe(`logName:"cloudaudit.googleapis.com" AND NOT ${services} AND ${principals}`);
  expect(p.toolCalls.retentionDays).toBe(90);
});

test("a ready query per assistant and stream, on the bucket's view; the inventory fragment validates", () => {
  const p = planGcpAudit(A, GcpAuditPlatform.parse({}), { namePrefix: "ai", project: "acme-agents-dev" });
  const triage = p.assistants.find((a) => a.name === "triage-bot")!;
  expect(gcpQuery(p.secretAccess, triage, NOW)).toBe(
    `logName:"cloudaudit.googleapis.com" AND protoPayload.serviceName=("iamcredentials.googleapis.com" OR "secretmanager.googleapis.com" OR "sts.googleapis.com") AND protoPayload.authenticationInfo.principalSubject=("${POOL}/system:serviceaccount:agents:triage")\nAND timestamp>="2026-11-28T00:00:00Z"`,
  );
  expect(bucketView(p, p.toolCalls)).toBe("projects/acme-agents-dev/locations/global/buckets/ai-assistants-tool-calls/views/_AllLogs");
  const audit = inventoryAudit([
    { cloud: "aws", secretAccess: { destination: "arn:aws:cloudtrail:eu-west-1:1:eventdatastore/x", query: "SELECT 1" }, toolCalls: { destination: "arn:t", query: "SELECT 2" } },
    { cloud: "gcp", secretAccess: { destination: bucketView(p, p.secretAccess), query: "q1" }, toolCalls: { destination: bucketView(p, p.toolCalls), query: "q2" } },
  ]);
  expect(Audit.parse(audit)).toEqual({
    secretAccess: { destination: `aws: arn:aws:cloudtrail:eu-west-1:1:eventdatastore/x | gcp: ${bucketView(p, p.secretAccess)}`, query: "-- aws\nSELECT 1\n\n-- gcp\nq1" },
    toolCalls: { destination: `aws: arn:t | gcp: ${bucketView(p, p.toolCalls)}`, query: "-- aws\nSELECT 2\n\n-- gcp\nq2" },
  });
  expect(inventoryAudit([])).toEqual({});
});
