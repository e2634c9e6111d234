/**
 * The AWS grant catalogue: one kind per thing an assistant does, each expanded to exact actions on
 * exact ARNs. A grant is a value ({kind, target, access, statements}); the plan merges and packs
 * the statements, the inventory lists them, and the tests simulate every one.
 */
import type { AwsGrant } from "../spec/schema";
import type { AwsScope, IamStatement } from "./types";

export type Access = "read" | "write";

export interface PlannedGrant {
  kind: AwsGrant["kind"] | "raw";
  /** Human-readable target, e.g. `s3://bucket/prefix`, `dynamodb:orders`. */
  target: string;
  access: Access;
  /** Statements without the expiry condition (the plan adds it to every one). */
  statements: IamStatement[];
}

interface Catalogued {
  access: Access;
  expand(g: any, s: AwsScope): { target: string; statements: IamStatement[] };
}

const allow = (Action: string[], Resource: string[], Condition?: IamStatement["Condition"]): IamStatement =>
  Condition ? { Effect: "Allow", Action, Resource, Condition } : { Effect: "Allow", Action, Resource };

const arn = (s: AwsScope, service: string, resource: string, region = s.region, account = s.accountId) =>
  `arn:${s.partition}:${service}:${region}:${account}:${resource}`;

const s3Objects = (s: AwsScope, bucket: string, prefix: string) => `arn:${s.partition}:s3:::${bucket}/${prefix}*`;

function s3List(s: AwsScope, bucket: string, prefix: string): IamStatement {
  const bucketArn = `arn:${s.partition}:s3:::${bucket}`;
  return prefix ? allow(["s3:ListBucket"], [bucketArn], { StringLike: { "s3:prefix": [`${prefix}*`] } }) : allow(["s3:ListBucket"], [bucketArn]);
}

const ECR_PULL = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
const ECR_PUSH = ["ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"];
const DDB_READ = ["dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"];
const DDB_WRITE = ["dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"];

export const CATALOGUE: Record<AwsGrant["kind"], Catalogued> = {
  "s3-read": {
    access: "read",
    expand: (g, s) => ({
      target: `s3://${g.bucket}/${g.prefix}`,
      statements: [allow(["s3:GetObject", "s3:GetObjectVersion"], [s3Objects(s, g.bucket, g.prefix)]), s3List(s, g.bucket, g.prefix)],
    }),
  },
  "s3-write": {
    access: "write",
    expand: (g, s) => ({
      target: `s3://${g.bucket}/${g.prefix}`,
      statements: [allow(["s3:AbortMultipartUpload", "s3:ListMultipartUploadParts", "s3:PutObject"], [s3Objects(s, g.bucket, g.prefix)])],
    }),
  },
  "dynamodb-read": {
    access: "read",
    expand: (g, s) => {
      const table = arn(s, "dynamodb", `table/${g.table}`, g.region ?? s.region);
      return { target: `dynamodb:${g.table}`, statements: [allow(DDB_READ, [table, `${table}/index/*`])] };
    },
  },
  "dynamodb-write": {
    access: "write",
    expand: (g, s) => {
      const table = arn(s, "dynamodb", `table/${g.table}`, g.region ?? s.region);
      return { target: `dynamodb:${g.table}`, statements: [allow([...DDB_READ, ...DDB_WRITE], [table]), allow(DDB_READ, [`${table}/index/*`])] };
    },
  },
  "secret-read": {
    access: "read",
    expand: (g, s) => ({
      target: `secretsmanager:${g.secret}`,
      // Secrets Manager appends a 6-character suffix to every secret ARN; `-??????` matches exactly that.
      statements: [allow(["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], [arn(s, "secretsmanager", `secret:${g.secret}-??????`, g.region ?? s.region)])],
    }),
  },
  "ssm-parameter-read": {
    access: "read",
    expand: (g, s) => {
      const name = String(g.parameter).replace(/^\//, "");
      const region = g.region ?? s.region;
      if (name.endsWith("/")) {
        const path = name.slice(0, -1);
        return {
          target: `ssm:/${name}`,
          statements: [
            allow(["ssm:GetParametersByPath"], [arn(s, "ssm", `parameter/${path}`, region)]),
            allow(["ssm:GetParameter", "ssm:GetParameters"], [arn(s, "ssm", `parameter/${path}/*`, region)]),
          ],
        };
      }
      return { target: `ssm:/${name}`, statements: [allow(["ssm:GetParameter", "ssm:GetParameters"], [arn(s, "ssm", `parameter/${name}`, region)])] };
    },
  },
  "kms-decrypt": {
    access: "read",
    expand: (g, s) => ({ target: `kms:${g.keyId}`, statements: [allow(["kms:Decrypt"], [arn(s, "kms", `key/${g.keyId}`, g.region ?? s.region)])] }),
  },
  "logs-write": {
    access: "write",
    expand: (g, s) => {
      const group = arn(s, "logs", `log-group:${g.logGroup}`, g.region ?? s.region);
      // Both actions act on the log-stream resource type (AWS's action data): streams inside this one group.
      return { target: `logs:${g.logGroup}`, statements: [allow(["logs:CreateLogStream", "logs:PutLogEvents"], [`${group}:log-stream:*`])] };
    },
  },
  "sqs-send": {
    access: "write",
    expand: (g, s) => ({
      target: `sqs:${g.queue}`,
      statements: [allow(["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"], [arn(s, "sqs", g.queue, g.region ?? s.region)])],
    }),
  },
  "sqs-consume": {
    access: "write",
    expand: (g, s) => ({
      target: `sqs:${g.queue}`,
      statements: [
        allow(
          ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
          [arn(s, "sqs", g.queue, g.region ?? s.region)],
        ),
      ],
    }),
  },
  "sns-publish": {
    access: "write",
    expand: (g, s) => ({ target: `sns:${g.topic}`, statements: [allow(["sns:Publish"], [arn(s, "sns", g.topic, g.region ?? s.region)])] }),
  },
  "lambda-invoke": {
    access: "write",
    expand: (g, s) => {
      const fn = arn(s, "lambda", `function:${g.functionName}`, g.region ?? s.region);
      return { target: `lambda:${g.functionName}`, statements: [allow(["lambda:InvokeFunction"], [fn, `${fn}:*`])] };
    },
  },
  "bedrock-invoke": {
    access: "write",
    expand: (g, s) => ({
      target: `bedrock:${g.modelId}`,
      statements: [
        allow(["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"], [`arn:${s.partition}:bedrock:${g.region ?? s.region}::foundation-model/${g.modelId}`]),
      ],
    }),
  },
  "ecr-pull": {
    access: "read",
    expand: (g, s) => ({
      target: `ecr:${g.repository}`,
      // GetAuthorizationToken supports no resource ARN: "*" is the only form AWS accepts.
      statements: [allow(ECR_PULL, [arn(s, "ecr", `repository/${g.repository}`, g.region ?? s.region)]), allow(["ecr:GetAuthorizationToken"], ["*"])],
    }),
  },
  "ecr-push": {
    access: "write",
    expand: (g, s) => ({
      target: `ecr:${g.repository}`,
      statements: [allow([...ECR_PULL, ...ECR_PUSH], [arn(s, "ecr", `repository/${g.repository}`, g.region ?? s.region)]), allow(["ecr:GetAuthorizationToken"], ["*"])],
    }),
  },
  "rds-connect": {
    access: "write",
    expand: (g, s) => ({
      target: `rds:${g.dbResourceId}/${g.dbUser}`,
      statements: [allow(["rds-db:connect"], [arn(s, "rds-db", `dbuser:${g.dbResourceId}/${g.dbUser}`, g.region ?? s.region)])],
    }),
  },
};

export function expandGrant(g: AwsGrant, scope: AwsScope): PlannedGrant {
  const c = CATALOGUE[g.kind];
  const { target, statements } = c.expand(g, scope);
  return { kind: g.kind, target, access: c.access, statements };
}

export function isReadOnlyGrantKind(kind: AwsGrant["kind"]): boolean {
  return CATALOGUE[kind].access === "read";
}
