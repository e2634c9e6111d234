/**
 * Deterministic generators for the benchmarks: stack configs of N assistants (program scale), a
 * 10,000-resource `pulumi stack export` (gate cost), and the many-grants assistant (policy size).
 *
 * Clouds are pluggable: each entry of CLOUDS adds its section to an assistant when the spec schema
 * accepts it (`wired()`), so GCP and GitHub join the scale benchmark as soon as they are wired into
 * core/spec/schema.ts and components/stack.ts — add their generator here, nothing else changes.
 */
import { Assistant as AssistantSchema } from "../core/spec/schema";
import type { ExportedResource } from "../cli/gate";

/** The instant specs are judged against (like the tests), so expiries stay valid whatever today is. */
export const BENCH_NOW = new Date("2026-12-01T00:00:00Z");
export const PROJECT = "assistant-identities";
export const ACCOUNT = "111122223333";
export const REGION = "eu-west-1";

/** A small deterministic PRNG (mulberry32) so every run generates the same inputs. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (i: number, len: number) => (i * 2654435761 + 0x9e3779b9).toString(16).replace("-", "").padStart(len, "0").slice(-len);
const TEAMS = ["developer-experience", "sre", "data-platform", "security", "payments", "search"];
const ENVS = ["dev", "stage", "prod"] as const;

/** One cloud's contribution to an assistant entry (and to the platform section). */
export interface CloudGenerator {
  name: string;
  /** True when the spec schema accepts this cloud's section (i.e. others have wired it in). */
  wired(): boolean;
  platform(): Record<string, unknown>;
  section(i: number, env: string): Record<string, unknown>;
}

function awsGrants(i: number, env: string): Record<string, unknown>[] {
  const team = TEAMS[i % TEAMS.length];
  const grants: Record<string, unknown>[] = [
    { kind: "s3-read", bucket: `acme-${team}-artifacts-${env}`, prefix: `a${i}/reports/` },
    { kind: "dynamodb-read", table: `${team}-state-${env}-${i % 50}` },
    { kind: "secret-read", secret: `ci/${team}/a${i}-token` },
    { kind: "logs-write", logGroup: `/ai/a${i}/${env}` },
    { kind: "bedrock-invoke", modelId: "anthropic.claude-sonnet-4-5-20250929-v1:0" },
  ];
  if (i % 3 === 0) grants.push({ kind: "sqs-send", queue: `remediation-${env}-${i % 20}` });
  if (i % 4 === 1) grants.push({ kind: "s3-write", bucket: `acme-${team}-artifacts-${env}`, prefix: `a${i}/out/` });
  if (i % 5 === 2) grants.push({ kind: "kms-decrypt", keyId: `${hex(i, 8)}-1111-4222-8333-${hex(i * 7, 12)}` });
  return grants;
}

export const CLOUDS: CloudGenerator[] = [
  {
    name: "aws",
    wired: () => true,
    platform: () => ({ aws: { accountId: ACCOUNT, region: REGION } }),
    section: (i, env) => ({ grants: awsGrants(i, env) }),
  },
  {
    name: "gcp",
    wired: () => "gcp" in AssistantSchema.shape,
    // Hundreds of assistants per issuer: spread them over providers (each condition ≤ 4,096 characters).
    platform: () => ({ gcp: { projectId: "acme-agents-bench", projectNumber: "210987654321", providerShards: 50 } }),
    section: (i) => ({
      grants: [
        { kind: "storage-bucket-read", bucket: `acme-bench-artifacts-${i % 50}`, prefix: `agent-${i}/` },
        { kind: "pubsub-topic-publish", topic: `agent-events-${i % 20}` },
        { kind: "secret-access", secret: `agent-${i}-api-key` },
      ],
      projectRoles: ["roles/logging.logWriter"],
    }),
  },
  {
    name: "github",
    wired: () => "github" in AssistantSchema.shape,
    platform: () => ({}),
    // One App installation per assistant (its repository set is managed whole), on its own repositories.
    section: (i) => ({ app: { appId: 912345, installationId: 50000000 + i, repositories: [`service-${i}`, `service-${i}-docs`] } }),
  },
];

export function wiredClouds(): string[] {
  return CLOUDS.filter((c) => c.wired()).map((c) => c.name);
}

/** Clouds whose generator exists but whose spec section is not accepted yet (reported, not used). */
export function unwiredClouds(): string[] {
  const shape = AssistantSchema.shape as Record<string, unknown>;
  return ["gcp", "github"].filter((c) => !CLOUDS.some((g) => g.name === c && g.wired()) && !(c in shape));
}

function source(i: number): Record<string, unknown> {
  switch (i % 4) {
    case 0:
    case 1:
      return {
        kind: "github-actions",
        repository: `acme/service-${i}`,
        ownerId: 81234567,
        repositoryId: 700000000 + i,
        environment: `ai-${ENVS[i % 3]}`,
        subjectForm: i % 2 ? "immutable" : "classic",
      };
    case 2:
      return {
        kind: "kubernetes",
        issuer: `https://oidc.eks.eu-west-1.amazonaws.com/id/${hex(i % 3, 8).toUpperCase()}5C2B8E1F0A7D4B3C9E6F1A2B`,
        namespace: `team-${i % 7}`,
        serviceAccount: `agent-${i}`,
      };
    default:
      return { kind: "gitlab-ci", projectPath: `platform/agents-${i}`, ref: "main" };
  }
}

export function generateAssistant(i: number): Record<string, unknown> {
  const env = ENVS[i % 3];
  const a: Record<string, unknown> = {
    name: `agent-${i}`,
    owner: { team: TEAMS[i % TEAMS.length], contact: `team-${i % TEAMS.length}@acme.example` },
    purpose: `Generated assistant ${i}: reviews changes, reads artifacts and state, writes logs.`,
    environment: env,
    expires: "2027-06-30",
    maxSessionSeconds: 900 + (i % 4) * 900,
    source: source(i),
  };
  if (i % 25 === 7) a.revoked = true;
  if (i % 25 === 13) a.revokeSessionsIssuedBefore = "2026-11-15T00:00:00Z";
  for (const c of CLOUDS) if (c.wired()) a[c.name] = c.section(i, env);
  return a;
}

export function generatePlatform(): Record<string, unknown> {
  const p: Record<string, unknown> = { namePrefix: "ai" };
  for (const c of CLOUDS) if (c.wired()) Object.assign(p, c.platform());
  return p;
}

/** Pulumi config (fully qualified keys → strings) for a stack of n generated assistants. */
export function generateConfig(n: number): Record<string, string> {
  return {
    "aws:region": REGION,
    [`${PROJECT}:platform`]: JSON.stringify(generatePlatform()),
    [`${PROJECT}:assistants`]: JSON.stringify(Array.from({ length: n }, (_, i) => generateAssistant(i))),
  };
}

// ---------------------------------------------------------------------------------------------
// Policy size: one assistant, 300 S3 prefixes (5 buckets), 100 DynamoDB tables, 50 secrets.
// ---------------------------------------------------------------------------------------------

export function manyGrantsAssistant(counts = { s3: 300, dynamodb: 100, secrets: 50 }): Record<string, unknown> {
  const grants: Record<string, unknown>[] = [];
  for (let i = 0; i < counts.s3; i++) grants.push({ kind: "s3-read", bucket: `acme-data-${i % 5}`, prefix: `datasets/d${i}/` });
  for (let i = 0; i < counts.dynamodb; i++) grants.push({ kind: i % 2 ? "dynamodb-write" : "dynamodb-read", table: `orders-shard-${i}` });
  for (let i = 0; i < counts.secrets; i++) grants.push({ kind: "secret-read", secret: `apps/service-${i}/api-token` });
  return {
    name: "data-mover",
    owner: { team: "data-platform", contact: "data-platform@acme.example" },
    purpose: "Moves curated datasets between shards; reads tokens of the services it calls.",
    environment: "prod",
    expires: "2027-06-30",
    source: { kind: "github-actions", repository: "acme/data-mover", ownerId: 81234567, repositoryId: 712345000, environment: "prod" },
    aws: { grants },
  };
}

// ---------------------------------------------------------------------------------------------
// Gate: a 10,000-resource stack export (deployment v3 resources), mostly resources no rule cares
// about, plus IAM roles and policies with large documents (a share of them duplicated).
// ---------------------------------------------------------------------------------------------

const STACK_URN = `urn:pulumi:bench::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-bench`;
const urnOf = (type: string, name: string) => `urn:pulumi:bench::${PROJECT}::${type}::${name}`;

const SERVICES_WILDCARDS = ["s3:Get*", "s3:List*", "ec2:Describe*", "dynamodb:Query", "dynamodb:Get*", "logs:*", "cloudwatch:Get*", "sqs:Send*", "kms:Decrypt", "lambda:Invoke*", "sns:Publish", "ssm:GetParameter*", "secretsmanager:GetSecretValue", "ecr:BatchGet*", "xray:Put*"];

/**
 * The same patterns without the two that hold permissions-management actions (`logs:*` holds
 * `logs:PutResourcePolicy`, `xray:Put*` holds `xray:PutResourcePolicy`): the exact write actions a
 * service role actually needs instead. Documents of the same size and shape that the pack passes.
 */
const SERVICES_CLEAN = SERVICES_WILDCARDS.map((a) => (a === "logs:*" ? "logs:PutLogEvents" : a === "xray:Put*" ? "xray:PutTraceSegments" : a));

/**
 * `findings`: nearly every document holds a permissions-management wildcard (a worst case: a first
 * scan of a stack nobody gated). `clean`: the same documents with exact actions in those two places
 * (a stack that already passes the gate, as on most pull requests).
 */
export type ExportVariant = "findings" | "clean";

function bigPolicyDocument(r: () => number, k: number, variant: ExportVariant): string {
  // ~15-25 statements, ~3-6 KB: wildcards (expanded by analysis), exact actions, conditions.
  const pool = variant === "clean" ? SERVICES_CLEAN : SERVICES_WILDCARDS;
  const statements: Record<string, unknown>[] = [];
  const count = 15 + Math.floor(r() * 10);
  for (let s = 0; s < count; s++) {
    const actions = Array.from({ length: 2 + Math.floor(r() * 4) }, () => pool[Math.floor(r() * pool.length)]);
    const resources = Array.from({ length: 1 + Math.floor(r() * 3) }, (_, j) => `arn:aws:s3:::bucket-${k}-${s}-${j}/*`);
    const st: Record<string, unknown> = { Sid: `S${s}`, Effect: r() < 0.9 ? "Allow" : "Deny", Action: [...new Set(actions)], Resource: resources };
    if (r() < 0.3) st.Condition = { StringEquals: { "aws:RequestedRegion": REGION } };
    statements.push(st);
  }
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

function trustDocument(i: number): string {
  const host = i % 2 ? "token.actions.githubusercontent.com" : "oidc.eks.eu-west-1.amazonaws.com/id/ABC";
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      i % 10 === 3
        ? { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }
        : {
            Effect: "Allow",
            Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${host}` },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: { StringEquals: { [`${host}:aud`]: "sts.amazonaws.com", [`${host}:sub`]: `repo:acme/svc-${i % 400}:environment:prod` } },
          },
    ],
  });
}

export interface ExportMix {
  [type: string]: number;
}

/** Shares of the 10,000 resources, by type (sums to 1). */
export const EXPORT_MIX: ExportMix = {
  "aws:s3/bucketV2:BucketV2": 0.2,
  "aws:lambda/function:Function": 0.12,
  "aws:cloudwatch/logGroup:LogGroup": 0.12,
  "aws:sqs/queue:Queue": 0.06,
  "aws:dynamodb/table:Table": 0.05,
  "aws:sns/topic:Topic": 0.04,
  "aws:ec2/securityGroup:SecurityGroup": 0.06,
  "aws:cloudwatch/metricAlarm:MetricAlarm": 0.07,
  "aws:iam/role:Role": 0.08,
  "aws:iam/policy:Policy": 0.08,
  "aws:iam/rolePolicy:RolePolicy": 0.04,
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 0.04,
  "aws:secretsmanager/secret:Secret": 0.02,
  "aws:secretsmanager/secretRotation:SecretRotation": 0.01,
  "gcp:storage/bucket:Bucket": 0.01,
};

export function generateStackExport(total = 10_000, seed = 7, variant: ExportVariant = "findings"): { resources: ExportedResource[]; stackUrn: string; distinctDocuments: number } {
  const r = rng(seed);
  const out: ExportedResource[] = [{ urn: STACK_URN, type: "pulumi:pulumi:Stack", custom: false }];
  const docs: string[] = [];
  const docFor = (k: number): string => {
    // One document in three repeats an earlier one (shared policies copied across stacks).
    if (docs.length > 10 && r() < 0.33) return docs[Math.floor(r() * docs.length)];
    const d = bigPolicyDocument(r, k, variant);
    docs.push(d);
    return d;
  };
  const tags = (i: number) => ({ team: TEAMS[i % TEAMS.length], env: ENVS[i % 3], "cost-center": `cc-${i % 17}` });
  const types = Object.entries(EXPORT_MIX);
  let i = 0;
  const secretUrns: string[] = [];
  for (const [type, share] of types) {
    const n = Math.round(total * share);
    for (let j = 0; j < n && i < total; j++, i++) {
      const name = `${type.split(":").pop()!.toLowerCase()}-${j}`;
      const urn = urnOf(type, name);
      let inputs: Record<string, unknown>;
      const outputs: Record<string, unknown> = {};
      let propertyDependencies: Record<string, string[]> | undefined;
      switch (type) {
        case "aws:s3/bucketV2:BucketV2":
          inputs = { bucket: `acme-${name}`, forceDestroy: false, tags: tags(j) };
          outputs.arn = `arn:aws:s3:::acme-${name}`;
          break;
        case "aws:lambda/function:Function":
          inputs = { name, runtime: "nodejs20.x", handler: "index.handler", memorySize: 256, timeout: 30, role: `arn:aws:iam::${ACCOUNT}:role/fn-${j}`, environment: { variables: { STAGE: ENVS[j % 3], TABLE: `t-${j}`, LOG_LEVEL: "info" } }, tags: tags(j) };
          break;
        case "aws:cloudwatch/logGroup:LogGroup":
          inputs = { name: `/aws/lambda/fn-${j}`, retentionInDays: 30, tags: tags(j) };
          break;
        case "aws:sqs/queue:Queue":
          inputs = { name, visibilityTimeoutSeconds: 60, messageRetentionSeconds: 345600, tags: tags(j) };
          break;
        case "aws:dynamodb/table:Table":
          inputs = { name, billingMode: "PAY_PER_REQUEST", hashKey: "pk", rangeKey: "sk", attributes: [{ name: "pk", type: "S" }, { name: "sk", type: "S" }], tags: tags(j) };
          break;
        case "aws:sns/topic:Topic":
          inputs = { name, tags: tags(j) };
          break;
        case "aws:ec2/securityGroup:SecurityGroup":
          inputs = { name, vpcId: `vpc-${hex(j, 8)}`, ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/8"] }], egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }], tags: tags(j) };
          break;
        case "aws:cloudwatch/metricAlarm:MetricAlarm":
          inputs = { name, comparisonOperator: "GreaterThanThreshold", evaluationPeriods: 2, metricName: "Errors", namespace: "AWS/Lambda", period: 60, statistic: "Sum", threshold: 1, dimensions: { FunctionName: `fn-${j}` } };
          break;
        case "aws:iam/role:Role":
          inputs = { name: `role-${j}`, path: "/", assumeRolePolicy: trustDocument(j), maxSessionDuration: 3600, tags: tags(j) };
          outputs.arn = `arn:aws:iam::${ACCOUNT}:role/role-${j}`;
          break;
        case "aws:iam/policy:Policy":
          inputs = { name: `policy-${j}`, path: "/", policy: docFor(j), tags: tags(j) };
          outputs.arn = `arn:aws:iam::${ACCOUNT}:policy/policy-${j}`;
          break;
        case "aws:iam/rolePolicy:RolePolicy":
          inputs = { name: `inline-${j}`, role: `role-${j}`, policy: docFor(100_000 + j) };
          break;
        case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
          inputs = { role: `role-${j}`, policyArn: j % 10 === 0 ? "arn:aws:iam::aws:policy/ReadOnlyAccess" : `arn:aws:iam::${ACCOUNT}:policy/policy-${j}` };
          break;
        case "aws:secretsmanager/secret:Secret":
          inputs = { name: `apps/secret-${j}`, tags: tags(j) };
          outputs.arn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:apps/secret-${j}-${hex(j, 6)}`;
          secretUrns.push(urn);
          break;
        case "aws:secretsmanager/secretRotation:SecretRotation": {
          const target = secretUrns[j % Math.max(1, secretUrns.length)];
          inputs = { secretId: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:apps/secret-${j}-${hex(j, 6)}`, rotationLambdaArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:rotate`, rotationRules: { automaticallyAfterDays: 30 } };
          if (target) propertyDependencies = { secretId: [target] };
          break;
        }
        default:
          inputs = { name, location: "EU", uniformBucketLevelAccess: true, labels: { team: TEAMS[j % TEAMS.length] } };
      }
      out.push({
        urn,
        type,
        custom: true,
        id: `${name}-id`,
        parent: STACK_URN,
        inputs,
        outputs: { ...inputs, ...outputs },
        dependencies: propertyDependencies ? Object.values(propertyDependencies).flat() : [],
        propertyDependencies: propertyDependencies ?? {},
      });
    }
  }
  // Top up to exactly `total` with buckets (rounding).
  for (let j = 0; i < total; i++, j++) {
    const type = "aws:s3/bucketV2:BucketV2";
    const inputs = { bucket: `acme-extra-${j}`, tags: tags(j) };
    out.push({ urn: urnOf(type, `extra-${j}`), type, custom: true, id: `extra-${j}`, parent: STACK_URN, inputs, outputs: inputs, dependencies: [], propertyDependencies: {} });
  }
  return { resources: out, stackUrn: STACK_URN, distinctDocuments: docs.length };
}
