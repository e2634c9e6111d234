/**
 * Pins core/audit/gcp.ts where the broader GCP audit tests left it loose: the exact Logging filter
 * of each stream (built from module-level constants, so the module is loaded inside each test),
 * principalClause's sorted, de-duplicated subjects and emails, planGcpAudit's refusal of an empty
 * list, its principal order, and the tool-call stream's description.
 */
import { GcpAuditPlatform } from "../../../core/spec/audit";
import type { GcpAuditAssistantRef } from "../../../core/audit/gcp";

type GcpModule = typeof import("../../../core/audit/gcp");
/** A fresh copy of the module: its constants (AUDIT_LOGS, the secret-services clause) are computed inside the test. */
function load(): GcpModule {
  let m: GcpModule | undefined;
  jest.isolateModules(() => {
    m = require("../../../core/audit/gcp");
  });
  return m!;
}

const POOL = "principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ai-dev/subject";
const ref = (name: string, subject: string, serviceAccountEmail?: string): GcpAuditAssistantRef => ({
  name,
  environment: "dev",
  principal: `${POOL}/${subject}`,
  ...(serviceAccountEmail ? { serviceAccountEmail } : {}),
  lookbackDays: 7,
});
// Given in reverse order of principal and of email on purpose.
const TRIAGE = ref("triage-bot", "system:serviceaccount:agents:triage", "ai-triage-bot-dev@acme-agents-dev.iam.gserviceaccount.com");
const REVIEWER = ref("pr-reviewer", "repo:acme/app:environment:ai-review", "ai-pr-reviewer-dev@acme-agents-dev.iam.gserviceaccount.com");
const CTX = { namePrefix: "ai", project: "acme-agents-dev" };

const SUBJECTS = `protoPayload.authenticationInfo.principalSubject=("${POOL}/repo:acme/app:environment:ai-review" OR "${POOL}/system:serviceaccount:agents:triage")`;
const EMAILS = 'protoPayload.authenticationInfo.principalEmail=("ai-pr-reviewer-dev@acme-agents-dev.iam.gserviceaccount.com" OR "ai-triage-bot-dev@acme-agents-dev.iam.gserviceaccount.com")';
const SERVICES = 'protoPayload.serviceName=("iamcredentials.googleapis.com" OR "secretmanager.googleapis.com" OR "sts.googleapis.com")';

describe("principalClause", () => {
  test("subjects and emails are de-duplicated and sorted, whatever the input order", () => {
    const { principalClause } = load();
    expect(principalClause([TRIAGE, REVIEWER, TRIAGE])).toBe(`(${SUBJECTS} OR ${EMAILS})`);
  });

  test("without service accounts: the subject clause alone, unparenthesised", () => {
    const { principalClause } = load();
    expect(principalClause([ref("b", "sub-b"), ref("a", "sub-a")])).toBe(`protoPayload.authenticationInfo.principalSubject=("${POOL}/sub-a" OR "${POOL}/sub-b")`);
  });
});

describe("streamFilter: exact Logging filters", () => {
  test("secret-access: audit logs AND the three secret services AND the principals", () => {
    const { streamFilter } = load();
    expect(streamFilter("secret-access", [REVIEWER])).toBe(
      'logName:"cloudaudit.googleapis.com" AND protoPayload.serviceName=("iamcredentials.googleapis.com" OR "secretmanager.googleapis.com" OR "sts.googleapis.com")' +
        ` AND (protoPayload.authenticationInfo.principalSubject=("${POOL}/repo:acme/app:environment:ai-review")` +
        ' OR protoPayload.authenticationInfo.principalEmail=("ai-pr-reviewer-dev@acme-agents-dev.iam.gserviceaccount.com"))',
    );
  });

  test("tool-calls: audit logs AND NOT the three secret services AND the principals", () => {
    const { streamFilter } = load();
    expect(streamFilter("tool-calls", [ref("x", "sub-x")])).toBe(
      'logName:"cloudaudit.googleapis.com" AND NOT protoPayload.serviceName=("iamcredentials.googleapis.com" OR "secretmanager.googleapis.com" OR "sts.googleapis.com")' +
        ` AND protoPayload.authenticationInfo.principalSubject=("${POOL}/sub-x")`,
    );
  });
});

describe("planGcpAudit", () => {
  test("an empty assistant list is refused with its exact message", () => {
    const { planGcpAudit } = load();
    expect(() => planGcpAudit([], GcpAuditPlatform.parse({}), CTX)).toThrow(/^planGcpAudit needs at least one assistant with gcp access$/);
  });

  test("assistants are ordered by principal; both streams filter on all of them", () => {
    const { planGcpAudit } = load();
    const p = planGcpAudit([TRIAGE, REVIEWER], GcpAuditPlatform.parse({}), CTX);
    expect(p.assistants.map((a) => a.name)).toStrictEqual(["pr-reviewer", "triage-bot"]);
    expect(p.secretAccess.filter).toBe(`logName:"cloudaudit.googleapis.com" AND ${SERVICES} AND (${SUBJECTS} OR ${EMAILS})`);
    expect(p.toolCalls.filter).toBe(`logName:"cloudaudit.googleapis.com" AND NOT ${SERVICES} AND (${SUBJECTS} OR ${EMAILS})`);
  });

  test("the tool-call stream: bucket, sink, description and retention", () => {
    const { planGcpAudit } = load();
    const p = planGcpAudit([TRIAGE, REVIEWER], GcpAuditPlatform.parse({ toolCallRetentionDays: 30, location: "europe-west1" }), CTX);
    expect(p.toolCalls).toStrictEqual({
      key: "tool-calls",
      bucketId: "ai-assistants-tool-calls",
      sinkName: "ai-assistants-tool-calls",
      description: "Every other audited call of AI assistant principals (2), kept 30 days",
      retentionDays: 30,
      destination: "logging.googleapis.com/projects/acme-agents-dev/locations/europe-west1/buckets/ai-assistants-tool-calls",
      filter: `logName:"cloudaudit.googleapis.com" AND NOT ${SERVICES} AND (${SUBJECTS} OR ${EMAILS})`,
    });
  });
});
