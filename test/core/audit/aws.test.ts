/** The AWS audit plan: exact selectors, the partition proven on sample CloudTrail records, limits, patterns and queries. */
import { AwsAuditPlatform } from "../../../core/spec/audit";
import { planAwsAudit, selectsEvent, lakeQuery, insightsQuery, dataEventTypesFor, sessionArnPrefix, type AuditAssistantRef, type CloudTrailRecord } from "../../../core/audit";

const SCOPE = { partition: "aws", accountId: "111122223333", region: "eu-west-1" };
const ref = (name: string): AuditAssistantRef => ({ name, environment: "dev", roleName: `ai-${name}-dev`, roleArn: `arn:aws:iam::111122223333:role/assistants/ai-${name}-dev`, lookbackDays: 7 });
const A = [ref("pr-reviewer"), ref("triage-bot")];
const settings = (over: Record<string, unknown> = {}) => AwsAuditPlatform.parse(over);
const lake = () => planAwsAudit(A, settings(), { namePrefix: "ai", scope: SCOPE, grantKinds: ["s3-read", "bedrock-invoke", "dynamodb-read", "secret-read"] }).plan!;
const session = (role: string) => ({ arn: `arn:aws:sts::111122223333:assumed-role/${role}/gha-run-42` });

describe("CloudTrail Lake selectors", () => {
  test("secret-access: assistant sessions reading secrets/keys or assuming roles, plus every web-identity session start", () => {
    const p = lake();
    expect(p.secretAccess.name).toBe("ai-assistants-secret-access");
    expect(p.secretAccess.retentionDays).toBe(2557);
    expect(p.secretAccess.selectors).toEqual([
      {
        name: "Assistant sessions reading secrets and keys, or assuming roles",
        fieldSelectors: [
          { field: "eventCategory", equals: ["Management"] },
          { field: "eventSource", equals: ["kms.amazonaws.com", "secretsmanager.amazonaws.com", "ssm.amazonaws.com", "sts.amazonaws.com"] },
          {
            field: "eventName",
            equals: ["AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "AssumeRoot", "BatchGetSecretValue", "Decrypt", "GetParameter", "GetParameterHistory", "GetParameters", "GetParametersByPath", "GetSecretValue"],
          },
          { field: "userIdentity.arn", startsWiths: ["arn:aws:sts::111122223333:assumed-role/ai-pr-reviewer-dev/", "arn:aws:sts::111122223333:assumed-role/ai-triage-bot-dev/"] },
        ],
      },
      {
        name: "Web-identity session starts (every role; queries filter by role)",
        fieldSelectors: [
          { field: "eventCategory", equals: ["Management"] },
          { field: "eventSource", equals: ["sts.amazonaws.com"] },
          { field: "eventName", equals: ["AssumeRoleWithWebIdentity"] },
        ],
      },
    ]);
  });

  test("tool-calls: the complement for management events, and data events of the grants' resource types", () => {
    const p = lake();
    expect(p.dataEventTypes).toEqual(["AWS::S3::Object", "AWS::DynamoDB::Table"]);
    expect(p.toolCalls.retentionDays).toBe(365);
    expect(p.toolCalls.selectors.map((s) => s.name)).toEqual([
      "Assistant sessions: management calls to every other service",
      "Assistant sessions: other calls to Secrets Manager, SSM, KMS and STS",
      "Assistant sessions: AWS::S3::Object data events",
      "Assistant sessions: AWS::DynamoDB::Table data events",
    ]);
    expect(p.toolCalls.selectors[2].fieldSelectors).toEqual([
      { field: "eventCategory", equals: ["Data"] },
      { field: "resources.type", equals: ["AWS::S3::Object"] },
      { field: "userIdentity.arn", startsWiths: ["arn:aws:sts::111122223333:assumed-role/ai-pr-reviewer-dev/", "arn:aws:sts::111122223333:assumed-role/ai-triage-bot-dev/"] },
    ]);
    expect(p.toolCalls.selectors.length).toBeLessThanOrEqual(5);
  });

  const rec = (over: Partial<CloudTrailRecord>): CloudTrailRecord => ({ eventCategory: "Management", eventSource: "ec2.amazonaws.com", eventName: "DescribeInstances", userIdentity: session("ai-pr-reviewer-dev"), ...over });
  const assistantEvents: Array<[string, CloudTrailRecord, "secret" | "tool"]> = [
    ["GetSecretValue", rec({ eventSource: "secretsmanager.amazonaws.com", eventName: "GetSecretValue" }), "secret"],
    ["SSM GetParameters", rec({ eventSource: "ssm.amazonaws.com", eventName: "GetParameters" }), "secret"],
    ["KMS Decrypt (via Secrets Manager)", rec({ eventSource: "kms.amazonaws.com", eventName: "Decrypt" }), "secret"],
    ["STS AssumeRole (denied by the boundary, still logged)", rec({ eventSource: "sts.amazonaws.com", eventName: "AssumeRole" }), "secret"],
    ["STS GetCallerIdentity", rec({ eventSource: "sts.amazonaws.com", eventName: "GetCallerIdentity" }), "tool"],
    ["KMS DescribeKey", rec({ eventSource: "kms.amazonaws.com", eventName: "DescribeKey" }), "tool"],
    ["Secrets Manager ListSecrets", rec({ eventSource: "secretsmanager.amazonaws.com", eventName: "ListSecrets" }), "tool"],
    ["EC2 DescribeInstances", rec({}), "tool"],
    ["Bedrock InvokeModel", rec({ eventSource: "bedrock.amazonaws.com", eventName: "InvokeModel" }), "tool"],
    ["S3 GetObject (data)", rec({ eventCategory: "Data", eventSource: "s3.amazonaws.com", eventName: "GetObject", resources: [{ type: "AWS::S3::Object", ARN: "arn:aws:s3:::b/k" }] }), "tool"],
    ["DynamoDB GetItem (data)", rec({ eventCategory: "Data", eventSource: "dynamodb.amazonaws.com", eventName: "GetItem", resources: [{ type: "AWS::DynamoDB::Table" }] }), "tool"],
    ["the second assistant's GetSecretValue", rec({ eventSource: "secretsmanager.amazonaws.com", eventName: "GetSecretValue", userIdentity: session("ai-triage-bot-dev") }), "secret"],
  ];

  test.each(assistantEvents)("every assistant call lands in exactly one store: %s", (_what, r, where) => {
    const p = lake();
    expect([selectsEvent(p.secretAccess.selectors, r), selectsEvent(p.toolCalls.selectors, r)]).toEqual([where === "secret", where === "tool"]);
  });

  test("calls by other principals land nowhere, except web-identity session starts (filtered by the queries)", () => {
    const p = lake();
    const others: CloudTrailRecord[] = [
      rec({ userIdentity: session("ai-pr-reviewer-dev2") }), // prefix collision guarded by the trailing '/'
      rec({ userIdentity: session("deployer"), eventSource: "secretsmanager.amazonaws.com", eventName: "GetSecretValue" }),
      rec({ userIdentity: { arn: "arn:aws:iam::111122223333:user/alice" } }),
      rec({ eventCategory: "Data", eventSource: "s3.amazonaws.com", eventName: "GetObject", userIdentity: session("etl"), resources: [{ type: "AWS::S3::Object" }] }),
    ];
    for (const r of others) expect([selectsEvent(p.secretAccess.selectors, r), selectsEvent(p.toolCalls.selectors, r)]).toEqual([false, false]);
    // A Lambda data event by an assistant is not selected: no assistant has lambda-invoke.
    expect(selectsEvent(p.toolCalls.selectors, rec({ eventCategory: "Data", eventSource: "lambda.amazonaws.com", eventName: "Invoke", resources: [{ type: "AWS::Lambda::Function" }] }))).toBe(false);
    const webIdentity = rec({ eventSource: "sts.amazonaws.com", eventName: "AssumeRoleWithWebIdentity", userIdentity: {} });
    expect([selectsEvent(p.secretAccess.selectors, webIdentity), selectsEvent(p.toolCalls.selectors, webIdentity)]).toEqual([true, false]);
  });

  test("more than three data-event types is a config error naming the setting", () => {
    const r = planAwsAudit(A, settings(), { namePrefix: "ai", scope: SCOPE, grantKinds: ["s3-read", "dynamodb-read", "lambda-invoke", "sqs-send"] });
    expect(r.errors).toEqual([
      {
        path: "platform.audit.aws.dataEventTypes",
        message:
          "the assistants' grants produce data events of 4 resource types (AWS::S3::Object, AWS::DynamoDB::Table, AWS::Lambda::Function, AWS::SQS::Queue); an event data store takes 5 selectors and the management partition uses 2: list at most 3 in dataEventTypes",
      },
    ]);
    expect(planAwsAudit(A, settings({ dataEventTypes: ["AWS::S3::Object", "AWS::Lambda::Function"] }), { namePrefix: "ai", scope: SCOPE, grantKinds: ["s3-read", "dynamodb-read", "lambda-invoke", "sqs-send"] }).plan!.dataEventTypes).toEqual([
      "AWS::S3::Object",
      "AWS::Lambda::Function",
    ]);
    expect(dataEventTypesFor(["sns-publish", "sqs-consume", "kms-decrypt"])).toEqual(["AWS::SQS::Queue", "AWS::SNS::Topic"]);
  });

  test("the ready query per assistant and stream names the store id, the session prefix and the look-back", () => {
    const p = lake();
    const eds = "arn:aws:cloudtrail:eu-west-1:111122223333:eventdatastore/0b5e3d2a-aaaa-4c2b-9a7e-3c3c3c3c3c3c";
    expect(lakeQuery(p, "secret-access", A[0], eds)).toBe(
      [
        "SELECT eventTime, eventSource, eventName, errorCode, sourceIPAddress, userIdentity.arn AS principal, requestParameters",
        "FROM 0b5e3d2a-aaaa-4c2b-9a7e-3c3c3c3c3c3c",
        "WHERE eventTime > date_add('day', -7, now())",
        "  AND (userIdentity.arn LIKE 'arn:aws:sts::111122223333:assumed-role/ai-pr-reviewer-dev/%' OR (eventName = 'AssumeRoleWithWebIdentity' AND element_at(requestParameters, 'roleArn') = 'arn:aws:iam::111122223333:role/assistants/ai-pr-reviewer-dev'))",
        "ORDER BY eventTime DESC",
      ].join("\n"),
    );
    expect(lakeQuery(p, "tool-calls", A[1], eds)).toContain("AND userIdentity.arn LIKE 'arn:aws:sts::111122223333:assumed-role/ai-triage-bot-dev/%'");
    expect(sessionArnPrefix(SCOPE, "ai-x-dev")).toBe("arn:aws:sts::111122223333:assumed-role/ai-x-dev/");
  });
});

describe("EventBridge + CloudWatch Logs", () => {
  const eb = () => planAwsAudit(A, settings({ mechanism: "eventbridge-cloudwatch", secretAccessRetentionDays: 2557, toolCallRetentionDays: 365 }), { namePrefix: "ai", scope: SCOPE, grantKinds: [] }).plan!;

  test("patterns match the session issuer's exact role ARNs; the tool-call pattern is the complement", () => {
    const p = eb();
    const roles = A.map((a) => a.roleArn);
    expect(p.secretAccess.selectors).toEqual([]);
    expect(p.secretAccess.logGroupName).toBe("/aws/events/ai-assistants/secret-access");
    expect(p.secretAccess.eventPattern).toEqual({
      "detail-type": ["AWS API Call via CloudTrail"],
      $or: [
        {
          detail: {
            eventSource: ["kms.amazonaws.com", "secretsmanager.amazonaws.com", "ssm.amazonaws.com", "sts.amazonaws.com"],
            eventName: ["AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "AssumeRoot", "BatchGetSecretValue", "Decrypt", "GetParameter", "GetParameterHistory", "GetParameters", "GetParametersByPath", "GetSecretValue"],
            userIdentity: { sessionContext: { sessionIssuer: { arn: roles } } },
          },
        },
        { detail: { eventSource: ["sts.amazonaws.com"], eventName: ["AssumeRoleWithWebIdentity"], requestParameters: { roleArn: roles } } },
      ],
    });
    expect(p.toolCalls.eventPattern).toEqual({
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: {
        userIdentity: { sessionContext: { sessionIssuer: { arn: roles } } },
        $or: [
          { eventSource: [{ "anything-but": ["kms.amazonaws.com", "secretsmanager.amazonaws.com", "ssm.amazonaws.com", "sts.amazonaws.com"] }] },
          { eventName: [{ "anything-but": ["AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "AssumeRoot", "BatchGetSecretValue", "Decrypt", "GetParameter", "GetParameterHistory", "GetParameters", "GetParametersByPath", "GetSecretValue"] }] },
        ],
      },
    });
    expect(insightsQuery("secret-access", A[0])).toBe(
      [
        "fields @timestamp, detail.eventSource, detail.eventName, detail.errorCode, detail.sourceIPAddress, detail.userIdentity.arn",
        '| filter detail.userIdentity.sessionContext.sessionIssuer.arn = "arn:aws:iam::111122223333:role/assistants/ai-pr-reviewer-dev" or detail.requestParameters.roleArn = "arn:aws:iam::111122223333:role/assistants/ai-pr-reviewer-dev"',
        "| sort @timestamp desc",
        "| limit 1000",
      ].join("\n"),
    );
  });

  test("a pattern beyond EventBridge's 4096 characters is refused", () => {
    const many = Array.from({ length: 60 }, (_, i) => ref(`assistant-number-${i}`));
    const r = planAwsAudit(many, settings({ mechanism: "eventbridge-cloudwatch", secretAccessRetentionDays: 2557, toolCallRetentionDays: 365 }), { namePrefix: "ai", scope: SCOPE, grantKinds: [] });
    expect(r.plan).toBeUndefined();
    expect(r.errors.map((e) => e.message)[0]).toMatch(/^the secret-access event pattern is \d+ characters; EventBridge allows 4096/);
  });
});
