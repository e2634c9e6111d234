/**
 * Pins the AWS grant catalogue (core/aws/grants.ts) as a security contract: for every grant kind,
 * the exact target, access and statements (actions, resource ARNs, conditions), with the scope's
 * region and with a grant's own region. Written from the mutation-testing survivors of grants.ts.
 */
import { CATALOGUE, expandGrant, isReadOnlyGrantKind, type PlannedGrant } from "../../../core/aws/grants";
import type { AwsScope } from "../../../core/aws/types";
import { AwsGrant } from "../../../core/spec/schema";

const SCOPE: AwsScope = { partition: "aws", accountId: "111122223333", region: "eu-west-1" };
/** The grant's own region, different from the scope's: every regional ARN must use it. */
const OWN = "us-east-2";
const ACCT = SCOPE.accountId;

/** Expand a grant as the plan does: parsed by the spec schema first (defaults applied). */
const expand = (g: Record<string, unknown>, scope: AwsScope = SCOPE): PlannedGrant => expandGrant(AwsGrant.parse(g), scope);
const allow = (Action: string[], Resource: string[], Condition?: object) => (Condition ? { Effect: "Allow", Action, Resource, Condition } : { Effect: "Allow", Action, Resource });

const DDB_READ = ["dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"];
const DDB_WRITE = ["dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"];
const ECR_PULL = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
const ECR_PUSH = ["ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"];

/** [grant, expected expansion for the given region] for every regional kind. */
const regional: Array<[string, Record<string, unknown>, (r: string) => PlannedGrant]> = [
  [
    "dynamodb-read",
    { kind: "dynamodb-read", table: "orders" },
    (r) => ({
      kind: "dynamodb-read",
      target: "dynamodb:orders",
      access: "read",
      statements: [allow(DDB_READ, [`arn:aws:dynamodb:${r}:${ACCT}:table/orders`, `arn:aws:dynamodb:${r}:${ACCT}:table/orders/index/*`])],
    }) as PlannedGrant,
  ],
  [
    "dynamodb-write",
    { kind: "dynamodb-write", table: "orders" },
    (r) => ({
      kind: "dynamodb-write",
      target: "dynamodb:orders",
      access: "write",
      statements: [allow([...DDB_READ, ...DDB_WRITE], [`arn:aws:dynamodb:${r}:${ACCT}:table/orders`]), allow(DDB_READ, [`arn:aws:dynamodb:${r}:${ACCT}:table/orders/index/*`])],
    }) as PlannedGrant,
  ],
  [
    "secret-read",
    { kind: "secret-read", secret: "app/db-password" },
    (r) => ({
      kind: "secret-read",
      target: "secretsmanager:app/db-password",
      access: "read",
      statements: [allow(["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], [`arn:aws:secretsmanager:${r}:${ACCT}:secret:app/db-password-??????`])],
    }) as PlannedGrant,
  ],
  [
    "ssm-parameter-read (one parameter, leading '/')",
    { kind: "ssm-parameter-read", parameter: "/app/db-url" },
    (r) => ({
      kind: "ssm-parameter-read",
      target: "ssm:/app/db-url",
      access: "read",
      statements: [allow(["ssm:GetParameter", "ssm:GetParameters"], [`arn:aws:ssm:${r}:${ACCT}:parameter/app/db-url`])],
    }) as PlannedGrant,
  ],
  [
    "ssm-parameter-read (path, trailing '/')",
    { kind: "ssm-parameter-read", parameter: "/app/config/" },
    (r) => ({
      kind: "ssm-parameter-read",
      target: "ssm:/app/config/",
      access: "read",
      statements: [
        allow(["ssm:GetParametersByPath"], [`arn:aws:ssm:${r}:${ACCT}:parameter/app/config`]),
        allow(["ssm:GetParameter", "ssm:GetParameters"], [`arn:aws:ssm:${r}:${ACCT}:parameter/app/config/*`]),
      ],
    }) as PlannedGrant,
  ],
  [
    "kms-decrypt",
    { kind: "kms-decrypt", keyId: "1234abcd-12ab-34cd-56ef-1234567890ab" },
    (r) => ({
      kind: "kms-decrypt",
      target: "kms:1234abcd-12ab-34cd-56ef-1234567890ab",
      access: "read",
      statements: [allow(["kms:Decrypt"], [`arn:aws:kms:${r}:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`])],
    }) as PlannedGrant,
  ],
  [
    "logs-write",
    { kind: "logs-write", logGroup: "/ai/pr-reviewer" },
    (r) => ({
      kind: "logs-write",
      target: "logs:/ai/pr-reviewer",
      access: "write",
      statements: [allow(["logs:CreateLogStream", "logs:PutLogEvents"], [`arn:aws:logs:${r}:${ACCT}:log-group:/ai/pr-reviewer:log-stream:*`])],
    }) as PlannedGrant,
  ],
  [
    "sqs-send",
    { kind: "sqs-send", queue: "jobs.fifo" },
    (r) => ({
      kind: "sqs-send",
      target: "sqs:jobs.fifo",
      access: "write",
      statements: [allow(["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"], [`arn:aws:sqs:${r}:${ACCT}:jobs.fifo`])],
    }) as PlannedGrant,
  ],
  [
    "sqs-consume",
    { kind: "sqs-consume", queue: "jobs" },
    (r) => ({
      kind: "sqs-consume",
      target: "sqs:jobs",
      access: "write",
      statements: [
        allow(["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ReceiveMessage"], [`arn:aws:sqs:${r}:${ACCT}:jobs`]),
      ],
    }) as PlannedGrant,
  ],
  [
    "sns-publish",
    { kind: "sns-publish", topic: "alerts" },
    (r) => ({
      kind: "sns-publish",
      target: "sns:alerts",
      access: "write",
      statements: [allow(["sns:Publish"], [`arn:aws:sns:${r}:${ACCT}:alerts`])],
    }) as PlannedGrant,
  ],
  [
    "lambda-invoke",
    { kind: "lambda-invoke", functionName: "summarise" },
    (r) => ({
      kind: "lambda-invoke",
      target: "lambda:summarise",
      access: "write",
      statements: [allow(["lambda:InvokeFunction"], [`arn:aws:lambda:${r}:${ACCT}:function:summarise`, `arn:aws:lambda:${r}:${ACCT}:function:summarise:*`])],
    }) as PlannedGrant,
  ],
  [
    "bedrock-invoke",
    { kind: "bedrock-invoke", modelId: "anthropic.claude-3-haiku-20240307-v1:0" },
    (r) => ({
      kind: "bedrock-invoke",
      target: "bedrock:anthropic.claude-3-haiku-20240307-v1:0",
      access: "write",
      statements: [
        allow(["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"], [`arn:aws:bedrock:${r}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0`]),
      ],
    }) as PlannedGrant,
  ],
  [
    "ecr-pull",
    { kind: "ecr-pull", repository: "team/app" },
    (r) => ({
      kind: "ecr-pull",
      target: "ecr:team/app",
      access: "read",
      statements: [allow(ECR_PULL, [`arn:aws:ecr:${r}:${ACCT}:repository/team/app`]), allow(["ecr:GetAuthorizationToken"], ["*"])],
    }) as PlannedGrant,
  ],
  [
    "ecr-push",
    { kind: "ecr-push", repository: "team/app" },
    (r) => ({
      kind: "ecr-push",
      target: "ecr:team/app",
      access: "write",
      statements: [allow([...ECR_PULL, ...ECR_PUSH], [`arn:aws:ecr:${r}:${ACCT}:repository/team/app`]), allow(["ecr:GetAuthorizationToken"], ["*"])],
    }) as PlannedGrant,
  ],
  [
    "rds-connect",
    { kind: "rds-connect", dbResourceId: "db-ABCDEFGHIJKL0123456789", dbUser: "reviewer" },
    (r) => ({
      kind: "rds-connect",
      target: "rds:db-ABCDEFGHIJKL0123456789/reviewer",
      access: "write",
      statements: [allow(["rds-db:connect"], [`arn:aws:rds-db:${r}:${ACCT}:dbuser:db-ABCDEFGHIJKL0123456789/reviewer`])],
    }) as PlannedGrant,
  ],
];

describe("expandGrant: exact statements per kind", () => {
  test.each(regional)("%s in the scope's region", (_name, g, want) => {
    expect(expand(g)).toStrictEqual(want(SCOPE.region));
  });

  test.each(regional)("%s with its own region uses that region, not the scope's", (_name, g, want) => {
    expect(expand({ ...g, region: OWN })).toStrictEqual(want(OWN));
  });

  test("s3-read with a prefix: objects under the prefix, and ListBucket only for keys under it", () => {
    expect(expand({ kind: "s3-read", bucket: "acme-artifacts", prefix: "app/" })).toStrictEqual({
      kind: "s3-read",
      target: "s3://acme-artifacts/app/",
      access: "read",
      statements: [
        allow(["s3:GetObject", "s3:GetObjectVersion"], ["arn:aws:s3:::acme-artifacts/app/*"]),
        allow(["s3:ListBucket"], ["arn:aws:s3:::acme-artifacts"], { StringLike: { "s3:prefix": ["app/*"] } }),
      ],
    });
  });

  test("s3-read without a prefix: the whole bucket, and ListBucket with no condition key at all", () => {
    const p = expand({ kind: "s3-read", bucket: "acme-artifacts" });
    expect(p).toStrictEqual({
      kind: "s3-read",
      target: "s3://acme-artifacts/",
      access: "read",
      statements: [allow(["s3:GetObject", "s3:GetObjectVersion"], ["arn:aws:s3:::acme-artifacts/*"]), allow(["s3:ListBucket"], ["arn:aws:s3:::acme-artifacts"])],
    });
    expect(Object.keys(p.statements[1])).toEqual(["Effect", "Action", "Resource"]);
  });

  test("s3-write: multipart and PutObject on objects under the prefix only (no list, no read)", () => {
    expect(expand({ kind: "s3-write", bucket: "acme-artifacts", prefix: "out/" })).toStrictEqual({
      kind: "s3-write",
      target: "s3://acme-artifacts/out/",
      access: "write",
      statements: [allow(["s3:AbortMultipartUpload", "s3:ListMultipartUploadParts", "s3:PutObject"], ["arn:aws:s3:::acme-artifacts/out/*"])],
    });
  });

  test("S3 ARNs carry the scope's partition and no region or account; a grant's region does not change them", () => {
    const cn: AwsScope = { partition: "aws-cn", accountId: ACCT, region: "cn-north-1" };
    expect(expand({ kind: "s3-read", bucket: "lake", prefix: "p/", region: OWN }, cn).statements).toStrictEqual([
      allow(["s3:GetObject", "s3:GetObjectVersion"], ["arn:aws-cn:s3:::lake/p/*"]),
      allow(["s3:ListBucket"], ["arn:aws-cn:s3:::lake"], { StringLike: { "s3:prefix": ["p/*"] } }),
    ]);
  });

  test("regional ARNs carry the scope's partition and account", () => {
    const gov: AwsScope = { partition: "aws-us-gov", accountId: "444455556666", region: "us-gov-west-1" };
    expect(expand({ kind: "sns-publish", topic: "alerts" }, gov).statements).toStrictEqual([allow(["sns:Publish"], ["arn:aws-us-gov:sns:us-gov-west-1:444455556666:alerts"])]);
  });

  test("ssm-parameter-read: a name without a leading '/' keeps every '/' inside it", () => {
    expect(expand({ kind: "ssm-parameter-read", parameter: "app/db-url" })).toStrictEqual({
      kind: "ssm-parameter-read",
      target: "ssm:/app/db-url",
      access: "read",
      statements: [allow(["ssm:GetParameter", "ssm:GetParameters"], [`arn:aws:ssm:eu-west-1:${ACCT}:parameter/app/db-url`])],
    });
  });

  test("ssm-parameter-read: a top-level name with a leading '/' is that one parameter, not a path", () => {
    expect(expand({ kind: "ssm-parameter-read", parameter: "/token" }).statements).toStrictEqual([
      allow(["ssm:GetParameter", "ssm:GetParameters"], [`arn:aws:ssm:eu-west-1:${ACCT}:parameter/token`]),
    ]);
  });

  test("ssm-parameter-read: a path without a leading '/' reads by path and every parameter under it", () => {
    expect(expand({ kind: "ssm-parameter-read", parameter: "app/" })).toStrictEqual({
      kind: "ssm-parameter-read",
      target: "ssm:/app/",
      access: "read",
      statements: [
        allow(["ssm:GetParametersByPath"], [`arn:aws:ssm:eu-west-1:${ACCT}:parameter/app`]),
        allow(["ssm:GetParameter", "ssm:GetParameters"], [`arn:aws:ssm:eu-west-1:${ACCT}:parameter/app/*`]),
      ],
    });
  });
});

describe("access per kind", () => {
  const READ = ["s3-read", "dynamodb-read", "secret-read", "ssm-parameter-read", "kms-decrypt", "ecr-pull"];
  const WRITE = ["s3-write", "dynamodb-write", "logs-write", "sqs-send", "sqs-consume", "sns-publish", "lambda-invoke", "bedrock-invoke", "ecr-push", "rds-connect"];

  test("the catalogue has exactly the sixteen kinds, each read or write as listed", () => {
    expect(Object.keys(CATALOGUE).sort()).toEqual([...READ, ...WRITE].sort());
    for (const k of READ) expect(CATALOGUE[k as keyof typeof CATALOGUE].access).toBe("read");
    for (const k of WRITE) expect(CATALOGUE[k as keyof typeof CATALOGUE].access).toBe("write");
  });

  test.each(READ)("isReadOnlyGrantKind(%s) is true", (k) => {
    expect(isReadOnlyGrantKind(k as any)).toBe(true);
  });

  test.each(WRITE)("isReadOnlyGrantKind(%s) is false", (k) => {
    expect(isReadOnlyGrantKind(k as any)).toBe(false);
  });
});
