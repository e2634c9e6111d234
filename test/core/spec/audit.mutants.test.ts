/**
 * Pins the exact observable behaviour of core/spec/audit.ts that the broader spec tests left loose:
 * the defaults of the AWS/GCP audit platforms and per-assistant audit settings, every user-facing
 * message of the retention, mechanism, KMS ARN, data-event type, project, location and service
 * checks (with their issue paths), the exact accept/reject edges of each regex, and auditErrors on
 * a missing platform.
 *
 * The schemas are built at import time, so every test loads the module inside its own body
 * (jest.isolateModules): Stryker's per-test coverage does not credit code run at import.
 */
type AuditModule = typeof import("../../../core/spec/audit");

function load(): AuditModule {
  let m: AuditModule | undefined;
  jest.isolateModules(() => {
    m = require("../../../core/spec/audit");
  });
  return m!;
}

interface Issue {
  path: string;
  message: string;
}

/** The issues a schema reports for an input, as `{ path: "a.0.b", message }`; [] when it parses. */
function issuesOf(schema: { safeParse(x: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }, input: unknown): Issue[] {
  const r = schema.safeParse(input);
  if (r.success) return [];
  return r.error!.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

const KMS_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const DATA_EVENT_LIST = "AWS::S3::Object, AWS::DynamoDB::Table, AWS::Lambda::Function, AWS::SQS::Queue, AWS::SNS::Topic";
const MAX_TYPES_MSG = "expected at most 3 data-event types (5 selectors per event data store, 2 used by management events)";

describe("AwsAuditPlatform: defaults", () => {
  test("an empty object parses to cloudtrail-lake with 2557 / 365 days of retention", () => {
    const { AwsAuditPlatform } = load();
    expect(AwsAuditPlatform.parse({})).toEqual({ mechanism: "cloudtrail-lake", secretAccessRetentionDays: 2557, toolCallRetentionDays: 365 });
  });

  test("every declared field is accepted and kept as given", () => {
    const { AwsAuditPlatform } = load();
    const input = {
      mechanism: "eventbridge-cloudwatch",
      secretAccessRetentionDays: 731,
      toolCallRetentionDays: 90,
      kmsKeyArn: KMS_ARN,
      dataEventTypes: ["AWS::S3::Object", "AWS::DynamoDB::Table", "AWS::SNS::Topic"],
    };
    expect(AwsAuditPlatform.parse(input)).toEqual(input);
  });

  test("mechanism cloudtrail-lake is accepted explicitly", () => {
    const { AwsAuditPlatform } = load();
    expect(AwsAuditPlatform.parse({ mechanism: "cloudtrail-lake" }).mechanism).toBe("cloudtrail-lake");
  });
});

describe("AwsAuditPlatform: messages", () => {
  test("an unknown mechanism", () => {
    const { AwsAuditPlatform } = load();
    expect(issuesOf(AwsAuditPlatform, { mechanism: "cloudtrail" })).toEqual([{ path: "mechanism", message: "expected mechanism cloudtrail-lake or eventbridge-cloudwatch" }]);
  });

  test("retention that is not a number names the stream", () => {
    const { AwsAuditPlatform } = load();
    expect(issuesOf(AwsAuditPlatform, { secretAccessRetentionDays: "400", toolCallRetentionDays: "30" })).toEqual([
      { path: "secretAccessRetentionDays", message: "expected the secret-access retention in days" },
      { path: "toolCallRetentionDays", message: "expected the tool-call retention in days" },
    ]);
  });

  test("fractional retention", () => {
    const { AwsAuditPlatform } = load();
    expect(issuesOf(AwsAuditPlatform, { secretAccessRetentionDays: 400.5, toolCallRetentionDays: 30.5 })).toEqual([
      { path: "secretAccessRetentionDays", message: "expected whole days" },
      { path: "toolCallRetentionDays", message: "expected whole days" },
    ]);
  });

  test("retention below the CloudTrail Lake minimum of 7 days", () => {
    const { AwsAuditPlatform } = load();
    expect(issuesOf(AwsAuditPlatform, { secretAccessRetentionDays: 6, toolCallRetentionDays: 6 })).toEqual([
      { path: "secretAccessRetentionDays", message: "expected at least 7 days of secret-access retention" },
      { path: "toolCallRetentionDays", message: "expected at least 7 days of tool-call retention" },
    ]);
  });

  test("retention above the CloudTrail Lake maximum of 3653 days", () => {
    const { AwsAuditPlatform } = load();
    expect(issuesOf(AwsAuditPlatform, { secretAccessRetentionDays: 3654, toolCallRetentionDays: 3654 })).toEqual([
      { path: "secretAccessRetentionDays", message: "expected at most 3653 days of secret-access retention" },
      { path: "toolCallRetentionDays", message: "expected at most 3653 days of tool-call retention" },
    ]);
  });

  test("retention at the bounds 7 and 3653 is accepted", () => {
    const { AwsAuditPlatform } = load();
    expect(issuesOf(AwsAuditPlatform, { secretAccessRetentionDays: 7, toolCallRetentionDays: 3653 })).toEqual([]);
  });

  test("an unknown data-event type lists the known ones", () => {
    const { AwsAuditPlatform } = load();
    expect(issuesOf(AwsAuditPlatform, { dataEventTypes: ["AWS::S3::Object", "AWS::EC2::Instance"] })).toEqual([
      { path: "dataEventTypes.1", message: `expected one of ${DATA_EVENT_LIST}` },
    ]);
  });

  test("four data-event types are too many; three are fine", () => {
    const { AwsAuditPlatform } = load();
    expect(issuesOf(AwsAuditPlatform, { dataEventTypes: ["AWS::S3::Object", "AWS::DynamoDB::Table", "AWS::Lambda::Function", "AWS::SQS::Queue"] })).toEqual([
      { path: "dataEventTypes", message: MAX_TYPES_MSG },
    ]);
    expect(issuesOf(AwsAuditPlatform, { dataEventTypes: ["AWS::S3::Object", "AWS::DynamoDB::Table", "AWS::Lambda::Function"] })).toEqual([]);
    expect(issuesOf(AwsAuditPlatform, { dataEventTypes: ["AWS::SQS::Queue"] })).toEqual([]);
  });
});

describe("AwsAuditPlatform: kmsKeyArn", () => {
  test.each([
    KMS_ARN,
    "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/0f",
    "arn:aws-cn:kms:cn-north-1:123456789012:key/abcdef01-2345",
  ])("accepts %s", (arn) => {
    const { AwsAuditPlatform } = load();
    expect(issuesOf(AwsAuditPlatform, { kmsKeyArn: arn })).toEqual([]);
  });

  test.each([
    // text before the ARN
    `x${KMS_ARN}`,
    // text after the key id
    `${KMS_ARN}/extra`,
    // a one-digit account
    "arn:aws:kms:eu-west-1:1:key/1234abcd",
    // an alias, not a key
    "arn:aws:kms:eu-west-1:123456789012:alias/app",
    // an empty region
    "arn:aws:kms::123456789012:key/1234abcd",
  ])("rejects %s with the KMS message", (arn) => {
    const { AwsAuditPlatform } = load();
    expect(issuesOf(AwsAuditPlatform, { kmsKeyArn: arn })).toEqual([{ path: "kmsKeyArn", message: "expected a KMS key ARN" }]);
  });
});

describe("GcpAuditPlatform: defaults", () => {
  test("an empty object parses to location global, 400 / 90 days and no extra services", () => {
    const { GcpAuditPlatform } = load();
    expect(GcpAuditPlatform.parse({})).toEqual({ location: "global", secretAccessRetentionDays: 400, toolCallRetentionDays: 90, dataAccessServices: [] });
  });

  test("every declared field is accepted and kept as given", () => {
    const { GcpAuditPlatform } = load();
    const input = {
      project: "acme-agents-prod",
      location: "europe-west1",
      secretAccessRetentionDays: 3650,
      toolCallRetentionDays: 1,
      dataAccessServices: ["storage.googleapis.com", "bigquery.googleapis.com"],
    };
    expect(GcpAuditPlatform.parse(input)).toEqual(input);
  });
});

describe("GcpAuditPlatform: retention messages", () => {
  test("not a number", () => {
    const { GcpAuditPlatform } = load();
    expect(issuesOf(GcpAuditPlatform, { secretAccessRetentionDays: "400", toolCallRetentionDays: null })).toEqual([
      { path: "secretAccessRetentionDays", message: "expected the secret-access retention in days" },
      { path: "toolCallRetentionDays", message: "expected the tool-call retention in days" },
    ]);
  });

  test("below 1 day", () => {
    const { GcpAuditPlatform } = load();
    expect(issuesOf(GcpAuditPlatform, { secretAccessRetentionDays: 0, toolCallRetentionDays: 0 })).toEqual([
      { path: "secretAccessRetentionDays", message: "expected at least 1 days of secret-access retention" },
      { path: "toolCallRetentionDays", message: "expected at least 1 days of tool-call retention" },
    ]);
  });

  test("above 3650 days", () => {
    const { GcpAuditPlatform } = load();
    expect(issuesOf(GcpAuditPlatform, { secretAccessRetentionDays: 3651, toolCallRetentionDays: 3651 })).toEqual([
      { path: "secretAccessRetentionDays", message: "expected at most 3650 days of secret-access retention" },
      { path: "toolCallRetentionDays", message: "expected at most 3650 days of tool-call retention" },
    ]);
  });
});

describe("GcpAuditPlatform: project", () => {
  test.each(["acme-agents-prod", "abcdef", "a12345678901234567890123456789"])("accepts %s", (project) => {
    const { GcpAuditPlatform } = load();
    expect(issuesOf(GcpAuditPlatform, { project })).toEqual([]);
  });

  test.each([
    // starts with a digit
    "1acme-agents",
    // ends with a hyphen
    "acme-agents-prod-",
    // too short (5 characters)
    "abcde",
    // too long (31 characters)
    "a123456789012345678901234567890",
    // upper case
    "Acme-agents",
  ])("rejects %s", (project) => {
    const { GcpAuditPlatform } = load();
    expect(issuesOf(GcpAuditPlatform, { project })).toEqual([{ path: "project", message: "expected a GCP project id such as acme-agents-prod" }]);
  });
});

describe("GcpAuditPlatform: location", () => {
  test.each(["global", "eu", "us", "europe-west1", "europe-west10", "northamerica-northeast2"])("accepts %s", (location) => {
    const { GcpAuditPlatform } = load();
    expect(GcpAuditPlatform.parse({ location }).location).toBe(location);
  });

  test.each(["_global", "1europe-west1", "europe-west1_", "europe-west", "europe-1", "Global", ""])("rejects %p", (location) => {
    const { GcpAuditPlatform } = load();
    expect(issuesOf(GcpAuditPlatform, { location })).toEqual([{ path: "location", message: "expected a log bucket location such as global or europe-west1" }]);
  });
});

describe("GcpAuditPlatform: dataAccessServices", () => {
  test("service names are kept", () => {
    const { GcpAuditPlatform } = load();
    expect(GcpAuditPlatform.parse({ dataAccessServices: ["storage.googleapis.com", "a.googleapis.com"] }).dataAccessServices).toEqual(["storage.googleapis.com", "a.googleapis.com"]);
  });

  test.each([
    // upper case before the suffix
    "Storage.googleapis.com",
    // text after the suffix
    "storage.googleapis.com.evil.example",
    // not a googleapis.com name
    "storage.example.com",
    // nothing before the suffix
    ".googleapis.com",
  ])("rejects %s", (service) => {
    const { GcpAuditPlatform } = load();
    expect(issuesOf(GcpAuditPlatform, { dataAccessServices: ["storage.googleapis.com", service] })).toEqual([
      { path: "dataAccessServices.1", message: "expected a service name such as storage.googleapis.com" },
    ]);
  });
});

describe("AuditPlatform", () => {
  test("aws and gcp parts are both accepted and defaulted", () => {
    const { AuditPlatform } = load();
    expect(AuditPlatform.parse({ aws: {}, gcp: {} })).toEqual({
      aws: { mechanism: "cloudtrail-lake", secretAccessRetentionDays: 2557, toolCallRetentionDays: 365 },
      gcp: { location: "global", secretAccessRetentionDays: 400, toolCallRetentionDays: 90, dataAccessServices: [] },
    });
  });

  test("an unknown part is rejected as an unrecognized key", () => {
    const { AuditPlatform } = load();
    expect(issuesOf(AuditPlatform, { azure: {} })).toEqual([{ path: "", message: 'Unrecognized key: "azure"' }]);
  });
});

describe("AuditSettings: queryLookbackDays", () => {
  test("missing settings default to 7 days", () => {
    const { AuditSettings } = load();
    expect(AuditSettings.parse(undefined)).toEqual({ queryLookbackDays: 7 });
  });

  test("an empty object defaults to 7 days", () => {
    const { AuditSettings } = load();
    expect(AuditSettings.parse({})).toEqual({ queryLookbackDays: 7 });
  });

  test.each([1, 30, 90])("%p days is accepted", (days) => {
    const { AuditSettings } = load();
    expect(AuditSettings.parse({ queryLookbackDays: days })).toEqual({ queryLookbackDays: days });
  });

  test.each([0, 91])("%p days is rejected with the range message", (days) => {
    const { AuditSettings } = load();
    expect(issuesOf(AuditSettings, { queryLookbackDays: days })).toEqual([{ path: "queryLookbackDays", message: "expected 1 to 90 days" }]);
  });
});

describe("auditErrors", () => {
  test("no platform: no errors", () => {
    const { auditErrors } = load();
    expect(auditErrors(undefined)).toEqual([]);
  });

  test("a platform without aws: no errors", () => {
    const { auditErrors } = load();
    expect(auditErrors({})).toEqual([]);
  });
});
