/** AwsAudit and GcpAudit under Pulumi's mocks: exact inputs of every resource, parents, and the per-assistant sinks. */
import { runProgram, type RecordedResource } from "../../cli/engine/run-program";
import { planAwsAudit, planGcpAudit, lakeQuery, insightsQuery, gcpQuery, bucketView } from "../../core/audit";
import { AwsAuditPlatform, GcpAuditPlatform } from "../../core/spec/audit";
import { Audit } from "../../core/inventory/schema";

const NOW = new Date("2026-12-01T00:00:00Z");
const SCOPE = { partition: "aws", accountId: "111122223333", region: "eu-west-1" };
const MOCK = { accountId: "111122223333", region: "eu-west-1", partition: "aws", gcpProject: "acme-agents-dev", gcpProjectNumber: "123456789012" };
const REFS = ["pr-reviewer", "triage-bot"].map((name) => ({ name, environment: "dev", roleName: `ai-${name}-dev`, roleArn: `arn:aws:iam::111122223333:role/assistants/ai-${name}-dev`, lookbackDays: 7 }));

const run = (build: () => Record<string, unknown>) => runProgram({ project: "assistant-identities", stack: "test", config: {}, mock: MOCK, load: build });
const only = (rs: RecordedResource[], type: string) => rs.filter((r) => r.type === type);

describe("AwsAudit (CloudTrail Lake)", () => {
  const plan = planAwsAudit(REFS, AwsAuditPlatform.parse({ kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/0b5e3d2a-1111-4c2b-9a7e-3c3c3c3c3c3c" }), { namePrefix: "ai", scope: SCOPE, grantKinds: ["s3-read"] }).plan!;
  test("two event data stores with the plan's selectors, retention, KMS key and termination protection; a query per assistant", async () => {
    const r = await run(() => {
      const { AwsAudit } = require("../../components/aws/audit");
      const a = new AwsAudit("ai-audit", { plan });
      return { assistants: a.assistants };
    });
    const comp = only(r.resources, "assistant-identities:aws:Audit")[0];
    const eds = only(r.resources, "aws:cloudtrail/eventDataStore:EventDataStore");
    expect(eds.map((e) => e.name)).toEqual(["ai-audit-secret-access", "ai-audit-tool-calls"]);
    for (const [e, s] of [[eds[0], plan.secretAccess], [eds[1], plan.toolCalls]] as const) {
      expect(e.parent).toBe(comp.urn);
      expect(e.inputs).toEqual({
        name: s.name,
        advancedEventSelectors: s.selectors,
        multiRegionEnabled: true,
        organizationEnabled: false,
        retentionPeriod: s.retentionDays,
        billingMode: "EXTENDABLE_RETENTION_PRICING",
        terminationProtectionEnabled: true,
        kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/0b5e3d2a-1111-4c2b-9a7e-3c3c3c3c3c3c",
        tags: { "ai-purpose": "assistant-audit", "managed-by": "assistant-identities", "ai-audit-stream": s.key },
      });
    }
    expect(eds.map((e) => e.inputs.retentionPeriod)).toEqual([2557, 365]);
    const mine = (r.outputs.assistants as Record<string, any>)["pr-reviewer/dev"];
    expect(Audit.parse({ secretAccess: mine.secretAccess, toolCalls: mine.toolCalls })).toEqual({
      secretAccess: { destination: eds[0].outputs.arn, query: lakeQuery(plan, "secret-access", REFS[0], eds[0].outputs.arn as string) },
      toolCalls: { destination: eds[1].outputs.arn, query: lakeQuery(plan, "tool-calls", REFS[0], eds[1].outputs.arn as string) },
    });
    expect(mine.secretAccess.query).toContain(`FROM ${(eds[0].outputs.arn as string).split("/").pop()}`);
    expect(r.resources.filter((x) => x.custom).length).toBe(2);
  });
});

describe("AwsAudit (EventBridge + CloudWatch Logs)", () => {
  const plan = planAwsAudit(REFS, AwsAuditPlatform.parse({ mechanism: "eventbridge-cloudwatch", secretAccessRetentionDays: 2557, toolCallRetentionDays: 365 }), { namePrefix: "ai", scope: SCOPE, grantKinds: [] }).plan!;
  test("rules that receive read-only management events, one log group each, and the delivery policy", async () => {
    const r = await run(() => {
      const { AwsAudit } = require("../../components/aws/audit");
      return { assistants: new AwsAudit("ai-audit", { plan }).assistants };
    });
    const groups = only(r.resources, "aws:cloudwatch/logGroup:LogGroup");
    expect(groups.map((g) => g.inputs)).toEqual([
      { name: "/aws/events/ai-assistants/secret-access", retentionInDays: 2557, tags: { "ai-purpose": "assistant-audit", "managed-by": "assistant-identities", "ai-audit-stream": "secret-access" } },
      { name: "/aws/events/ai-assistants/tool-calls", retentionInDays: 365, tags: { "ai-purpose": "assistant-audit", "managed-by": "assistant-identities", "ai-audit-stream": "tool-calls" } },
    ]);
    const rules = only(r.resources, "aws:cloudwatch/eventRule:EventRule");
    expect(rules.map((x) => x.inputs.state)).toEqual(["ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"]);
    expect(rules.map((x) => JSON.parse(x.inputs.eventPattern as string))).toEqual([plan.secretAccess.eventPattern, plan.toolCalls.eventPattern]);
    expect(rules.map((x) => x.inputs.name)).toEqual(["ai-assistants-secret-access", "ai-assistants-tool-calls"]);
    const targets = only(r.resources, "aws:cloudwatch/eventTarget:EventTarget");
    expect(targets.map((t) => t.inputs)).toEqual([
      { rule: "ai-assistants-secret-access", arn: groups[0].outputs.arn },
      { rule: "ai-assistants-tool-calls", arn: groups[1].outputs.arn },
    ]);
    const policy = only(r.resources, "aws:cloudwatch/logResourcePolicy:LogResourcePolicy")[0];
    expect(policy.inputs.policyName).toBe("ai-assistants-events-to-logs");
    expect(JSON.parse(policy.inputs.policyDocument as string).Statement).toEqual([
      {
        Sid: "EventBridgeDeliversAssistantAudit",
        Effect: "Allow",
        Principal: { Service: ["events.amazonaws.com", "delivery.logs.amazonaws.com"] },
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: ["arn:aws:logs:eu-west-1:111122223333:log-group:/aws/events/ai-assistants/secret-access:*", "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/events/ai-assistants/tool-calls:*"],
        Condition: { ArnEquals: { "aws:SourceArn": ["arn:aws:events:eu-west-1:111122223333:rule/ai-assistants-secret-access", "arn:aws:events:eu-west-1:111122223333:rule/ai-assistants-tool-calls"] } },
      },
    ]);
    // The synthesised log-group ARN is the one the policy names.
    expect(groups[0].outputs.arn).toBe("arn:aws:logs:eu-west-1:111122223333:log-group:/aws/events/ai-assistants/secret-access");
    const bot = (r.outputs.assistants as Record<string, any>)["triage-bot/dev"];
    expect(bot).toEqual({
      cloud: "aws",
      secretAccess: { destination: groups[0].outputs.arn, query: insightsQuery("secret-access", REFS[1]) },
      toolCalls: { destination: groups[1].outputs.arn, query: insightsQuery("tool-calls", REFS[1]) },
    });
  });
});

describe("GcpAudit", () => {
  const A = [{ name: "pr-reviewer", environment: "dev", principal: "principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ai-dev/subject/repo:acme/app:environment:ai-review", serviceAccountEmail: "ai-pr-reviewer-dev@acme-agents-dev.iam.gserviceaccount.com", lookbackDays: 7 }];
  const plan = planGcpAudit(A, GcpAuditPlatform.parse({}), { namePrefix: "ai", project: "acme-agents-dev" });
  test("Data Access audit configs, two buckets with retention, two sinks with the plan's filters", async () => {
    const r = await run(() => {
      const { GcpAudit } = require("../../components/gcp/audit");
      return { assistants: new GcpAudit("ai-gcp-audit", { plan, now: NOW }).assistants };
    });
    const comp = only(r.resources, "assistant-identities:gcp:Audit")[0];
    expect(only(r.resources, "gcp:projects/iAMAuditConfig:IAMAuditConfig").map((x) => x.inputs)).toEqual(
      ["iamcredentials.googleapis.com", "secretmanager.googleapis.com", "sts.googleapis.com"].map((service) => ({
        project: "acme-agents-dev",
        service,
        auditLogConfigs: [{ logType: "ADMIN_READ" }, { logType: "DATA_READ" }, { logType: "DATA_WRITE" }],
      })),
    );
    expect(only(r.resources, "gcp:logging/projectBucketConfig:ProjectBucketConfig").map((x) => x.inputs)).toEqual([
      { project: "acme-agents-dev", location: "global", bucketId: "ai-assistants-secret-access", retentionDays: 400, description: plan.secretAccess.description },
      { project: "acme-agents-dev", location: "global", bucketId: "ai-assistants-tool-calls", retentionDays: 90, description: plan.toolCalls.description },
    ]);
    const sinks = only(r.resources, "gcp:logging/projectSink:ProjectSink");
    expect(sinks.map((x) => x.inputs)).toEqual(
      [plan.secretAccess, plan.toolCalls].map((s) => ({ project: "acme-agents-dev", name: s.sinkName, destination: s.destination, filter: s.filter, description: s.description, uniqueWriterIdentity: true })),
    );
    const buckets = only(r.resources, "gcp:logging/projectBucketConfig:ProjectBucketConfig");
    expect(sinks[0].dependencies).toContain(buckets[0].urn);
    for (const x of r.resources.filter((x) => x.type.startsWith("gcp:"))) expect(x.parent).toBe(comp.urn);
    expect((r.outputs.assistants as Record<string, any>)["pr-reviewer/dev"]).toEqual({
      cloud: "gcp",
      secretAccess: { destination: bucketView(plan, plan.secretAccess), query: gcpQuery(plan.secretAccess, A[0], NOW) },
      toolCalls: { destination: bucketView(plan, plan.toolCalls), query: gcpQuery(plan.toolCalls, A[0], NOW) },
    });
  });
});
