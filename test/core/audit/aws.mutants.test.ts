/**
 * Pins the exact observable behaviour of core/audit/aws.ts that the broader audit tests left loose:
 * the no-assistant error, the plan's stream keys/names/descriptions/tags and assistant order, the
 * exact limits (500 selector values, 4096-character EventBridge patterns) at their boundaries,
 * quote escaping in the Lake query, the tool-call Insights query, and the selector semantics
 * (readOnly, resources.type/ARN, endsWiths, the negative operators, absent lists, unknown fields).
 */
import { AwsAuditPlatform } from "../../../core/spec/audit";
import { insightsQuery, lakeQuery, planAwsAudit, selectsEvent, type AuditAssistantRef, type CloudTrailRecord, type FieldSelector } from "../../../core/audit";

const SCOPE = { partition: "aws", accountId: "111122223333", region: "eu-west-1" };
const ref = (name: string): AuditAssistantRef => ({ name, environment: "dev", roleName: `ai-${name}-dev`, roleArn: `arn:aws:iam::111122223333:role/assistants/ai-${name}-dev`, lookbackDays: 7 });
const settings = (over: Record<string, unknown> = {}) => AwsAuditPlatform.parse(over);
const EB = { mechanism: "eventbridge-cloudwatch" };
const ctx = (grantKinds: string[] = []) => ({ namePrefix: "ai", scope: SCOPE, grantKinds });
const rec = (over: Partial<CloudTrailRecord> = {}): CloudTrailRecord => ({
  eventCategory: "Management",
  eventSource: "ec2.amazonaws.com",
  eventName: "DescribeInstances",
  userIdentity: { arn: "arn:aws:sts::111122223333:assumed-role/ai-x-dev/s" },
  ...over,
});
/** Does one field selector (alone in one event selector) select the record? */
const sel = (f: FieldSelector, r: CloudTrailRecord) => selectsEvent([{ name: "one", fieldSelectors: [f] }], r);

describe("planAwsAudit: errors", () => {
  test("no assistant: a single error on platform.audit.aws and no plan", () => {
    expect(planAwsAudit([], settings(), ctx())).toStrictEqual({ errors: [{ path: "platform.audit.aws", message: "expected at least one assistant with aws access to audit" }] });
    expect(planAwsAudit([], settings(EB), ctx())).toStrictEqual({ errors: [{ path: "platform.audit.aws", message: "expected at least one assistant with aws access to audit" }] });
  });

  test("exactly 500 tool-call selector values still fit: one session prefix per role, no error (159 roles, one data-event type)", () => {
    // tool-calls: (1 + 4 + 159) + (1 + 4 + 11 + 159) + (1 + 1 + 159) = 500 values; secret-access: 178.
    const many = Array.from({ length: 159 }, (_, i) => ref(`bot-${String(i).padStart(3, "0")}`));
    const r = planAwsAudit(many, settings(), ctx(["s3-read"]));
    expect(r.errors).toEqual([]);
    const prefixes = r.plan!.toolCalls.selectors[0].fieldSelectors.find((f) => f.field === "userIdentity.arn")!.startsWiths!;
    expect(prefixes).toHaveLength(159);
    expect(prefixes[0]).toBe("arn:aws:sts::111122223333:assumed-role/ai-bot-000-dev/");
    expect(prefixes[158]).toBe("arn:aws:sts::111122223333:assumed-role/ai-bot-158-dev/");
  });

  test("an EventBridge pattern of exactly 4096 characters is accepted; only the longer one is reported, on path assistants", () => {
    // 62 role ARNs totalling 3420 characters: the tool-call pattern is exactly 4096 characters,
    // the secret-access pattern (the ARNs twice) 7787.
    const many = [...Array.from({ length: 61 }, (_, i) => ref(`bot-${String(i).padStart(2, "0")}`)), ref("dependency-audit")];
    expect(planAwsAudit(many, settings(EB), ctx())).toStrictEqual({
      errors: [{ path: "assistants", message: "the secret-access event pattern is 7787 characters; EventBridge allows 4096: split the assistants across stacks" }],
    });
  });
});

describe("planAwsAudit: the plan's streams, order and tags", () => {
  test("assistants are sorted by role name, and so are the session prefixes", () => {
    const p = planAwsAudit([ref("zeta"), ref("alpha"), ref("mid")], settings(), ctx()).plan!;
    expect(p.assistants.map((a) => a.roleName)).toEqual(["ai-alpha-dev", "ai-mid-dev", "ai-zeta-dev"]);
    expect(p.secretAccess.selectors[0].fieldSelectors[3]).toEqual({
      field: "userIdentity.arn",
      startsWiths: ["arn:aws:sts::111122223333:assumed-role/ai-alpha-dev/", "arn:aws:sts::111122223333:assumed-role/ai-mid-dev/", "arn:aws:sts::111122223333:assumed-role/ai-zeta-dev/"],
    });
  });

  test("stream keys, names and descriptions (plural roles), and the tags", () => {
    const p = planAwsAudit([ref("a"), ref("b")], settings(), ctx()).plan!;
    expect([p.secretAccess.key, p.secretAccess.name, p.secretAccess.description]).toEqual([
      "secret-access",
      "ai-assistants-secret-access",
      "Secret and key access (Secrets Manager, SSM parameters, KMS decrypt, STS assume) of AI assistant sessions (2 roles), kept 2557 days",
    ]);
    expect([p.toolCalls.key, p.toolCalls.name, p.toolCalls.description]).toEqual(["tool-calls", "ai-assistants-tool-calls", "Every other call of AI assistant sessions (2 roles), kept 365 days"]);
    expect(p.tags).toStrictEqual({ "ai-purpose": "assistant-audit", "managed-by": "assistant-identities" });
  });

  test("one role: singular 'role' in the descriptions; EventBridge log groups are named per stream key", () => {
    const p = planAwsAudit([ref("solo")], settings({ ...EB, secretAccessRetentionDays: 400, toolCallRetentionDays: 30 }), ctx()).plan!;
    expect(p.secretAccess.description).toBe("Secret and key access (Secrets Manager, SSM parameters, KMS decrypt, STS assume) of AI assistant sessions (1 role), kept 400 days");
    expect(p.toolCalls.description).toBe("Every other call of AI assistant sessions (1 role), kept 30 days");
    expect([p.toolCalls.key, p.toolCalls.name, p.toolCalls.logGroupName]).toEqual(["tool-calls", "ai-assistants-tool-calls", "/aws/events/ai-assistants/tool-calls"]);
  });
});

describe("queries", () => {
  test("a quote in a role ARN is doubled in the Lake SQL string", () => {
    const p = planAwsAudit([ref("x")], settings(), ctx()).plan!;
    const a: AuditAssistantRef = { ...ref("x"), roleArn: "arn:aws:iam::111122223333:role/o'brien/ai-x-dev" };
    expect(lakeQuery(p, "secret-access", a, "arn:aws:cloudtrail:eu-west-1:111122223333:eventdatastore/eds-1").split("\n")[3]).toBe(
      "  AND (userIdentity.arn LIKE 'arn:aws:sts::111122223333:assumed-role/ai-x-dev/%' OR (eventName = 'AssumeRoleWithWebIdentity' AND element_at(requestParameters, 'roleArn') = 'arn:aws:iam::111122223333:role/o''brien/ai-x-dev'))",
    );
  });

  test("the tool-call Insights query filters on the session issuer only", () => {
    expect(insightsQuery("tool-calls", ref("pr-reviewer"))).toBe(
      [
        "fields @timestamp, detail.eventSource, detail.eventName, detail.errorCode, detail.sourceIPAddress, detail.userIdentity.arn",
        '| filter detail.userIdentity.sessionContext.sessionIssuer.arn = "arn:aws:iam::111122223333:role/assistants/ai-pr-reviewer-dev"',
        "| sort @timestamp desc",
        "| limit 1000",
      ].join("\n"),
    );
  });
});

describe("selectsEvent: fields", () => {
  test("readOnly compares the string 'true'/'false'; an absent readOnly has no value", () => {
    expect(sel({ field: "readOnly", equals: ["true"] }, rec({ readOnly: true }))).toBe(true);
    expect(sel({ field: "readOnly", equals: ["true"] }, rec({ readOnly: false }))).toBe(false);
    expect(sel({ field: "readOnly", equals: ["false"] }, rec({ readOnly: false }))).toBe(true);
    // No value: a positive operator never matches, not even the text "undefined".
    expect(sel({ field: "readOnly", equals: ["undefined"] }, rec())).toBe(false);
  });

  test("resources.type: any one resource matching is enough; no resources means no value at all", () => {
    const two = rec({ eventCategory: "Data", resources: [{ type: "AWS::DynamoDB::Table" }, { type: "AWS::S3::Object" }] });
    expect(sel({ field: "resources.type", equals: ["AWS::S3::Object"] }, two)).toBe(true);
    expect(sel({ field: "resources.type", notEquals: ["AWS::Lambda::Function"] }, rec())).toBe(false);
  });

  test("resources.ARN reads each resource's ARN; no resources means no value at all", () => {
    const r = rec({ eventCategory: "Data", resources: [{ type: "AWS::S3::Object", ARN: "arn:aws:s3:::bucket/key" }] });
    expect(sel({ field: "resources.ARN", equals: ["arn:aws:s3:::bucket/key"] }, r)).toBe(true);
    expect(sel({ field: "resources.ARN", startsWiths: ["arn:aws:s3:::other/"] }, r)).toBe(false);
    expect(sel({ field: "resources.ARN", notEquals: ["arn:aws:s3:::bucket/key"] }, rec())).toBe(false);
  });

  test("an unknown field is refused by name", () => {
    expect(() => sel({ field: "eventTime", equals: ["x"] }, rec())).toThrow(new Error("unsupported selector field eventTime"));
  });
});

describe("selectsEvent: operators", () => {
  const r = rec({ eventName: "ai-x-dev" });
  test("endsWiths matches a suffix, not a prefix", () => {
    expect(sel({ field: "eventName", endsWiths: ["-dev"] }, r)).toBe(true);
    expect(sel({ field: "eventName", endsWiths: ["dev"] }, r)).toBe(true);
    expect(sel({ field: "eventName", endsWiths: ["ai-"] }, r)).toBe(false);
  });

  test("notStartsWiths excludes a prefix (not a suffix); notEndsWiths excludes a suffix (not a prefix)", () => {
    expect(sel({ field: "eventName", notStartsWiths: ["ai-"] }, r)).toBe(false);
    expect(sel({ field: "eventName", notStartsWiths: ["-dev"] }, r)).toBe(true);
    expect(sel({ field: "eventName", notEndsWiths: ["-dev"] }, r)).toBe(false);
    expect(sel({ field: "eventName", notEndsWiths: ["ai-"] }, r)).toBe(true);
  });

  test("a negative operator alone selects a record whose field has no value", () => {
    const noArn = rec({ userIdentity: {} });
    expect(sel({ field: "userIdentity.arn", notStartsWiths: ["arn:"] }, noArn)).toBe(true);
    expect(sel({ field: "userIdentity.arn", notEndsWiths: ["/s"] }, noArn)).toBe(true);
  });

  test("an operator that is not listed matches no value (whatever the value is)", () => {
    // The value is Stryker's placeholder string: an absent list must not behave like a list holding it.
    const odd = rec({ eventName: "Stryker was here" });
    expect(sel({ field: "eventName", equals: ["Other"] }, odd)).toBe(false);
    expect(sel({ field: "eventName", startsWiths: ["Other"] }, odd)).toBe(false);
    expect(sel({ field: "eventName", notEquals: ["Other"] }, odd)).toBe(true);
    expect(sel({ field: "eventName", notStartsWiths: ["Other"] }, odd)).toBe(true);
  });
});
