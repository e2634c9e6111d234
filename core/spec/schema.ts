/**
 * The assistant spec: what a platform engineer writes in `stacks/Pulumi.<stack>.yaml`.
 * One zod schema is the single source for validation, TypeScript types and the JSON Schema
 * editors use (see `jsonSchema()` in ./index.ts). Cross-field rules live in ./validate.ts.
 */
import { z } from "zod";
import { AssistantTools, S3BucketName } from "./tools";
import { StaticCredentials } from "./credentials";
import { AuditPlatform, AuditSettings } from "./audit";
import { GcpAccess, GcpPlatform } from "./gcp";
import { GithubAccess } from "./github";
import { KUBERNETES_DEFAULT_SERVICE_ACCOUNT } from "../oidc/default-account";
import { ISSUER_URL_PATTERN } from "../oidc/issuer";

const SLUG = /^[a-z][a-z0-9-]*[a-z0-9]$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";
export const DEFAULT_AUDIENCE_AWS = "sts.amazonaws.com";

const httpsUrl = z
  .string()
  .regex(ISSUER_URL_PATTERN, {
    message: "expected an https:// issuer URL with no query, fragment or trailing wildcard (e.g. https://token.actions.githubusercontent.com)",
  })
  .refine((s) => !s.endsWith("/"), { message: "expected an issuer URL without a trailing slash (the token's iss claim has none)" });

const isoDate = z
  .string()
  .regex(ISO_DATE, { message: "expected a date as YYYY-MM-DD" })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
    message: "expected a real calendar date as YYYY-MM-DD",
  });

const isoInstant = z
  .string()
  .regex(ISO_INSTANT, { message: "expected an instant as YYYY-MM-DDTHH:MM:SSZ" })
  .refine((s) => !Number.isNaN(Date.parse(s)), { message: "expected a real instant as YYYY-MM-DDTHH:MM:SSZ" });

/** A value pinned in a subject: no ':' (it separates claims), no spaces. '*' is allowed by the schema and judged in validate.ts. */
const subjectPart = (what: string, article: "a" | "an" = "a") =>
  z
    .string()
    .min(1, { message: `expected a non-empty ${what}` })
    .regex(/^[^\s:]+$/, { message: `expected ${article} ${what} without spaces or ':'` });

const numericId = (what: string) =>
  z.number({ message: `expected the numeric ${what} (GitHub API: .id)` }).int({ message: `expected the numeric ${what} as a whole number` }).positive({
    message: `expected the numeric ${what} as a positive number`,
  });

// ---------------------------------------------------------------------------------------------
// Workload identity sources
// ---------------------------------------------------------------------------------------------

export const GithubActionsSource = z
  .object({
    kind: z.literal("github-actions"),
    /** `OWNER/REPO`, exactly as GitHub spells it. */
    repository: z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/, {
      message: "expected OWNER/REPO with no wildcard (e.g. acme/payments-api)",
    }),
    /** Numeric id of the owner (organisation or user): immutable, survives renames. */
    ownerId: numericId("repository owner id"),
    /** Numeric id of the repository: immutable, survives renames. */
    repositoryId: numericId("repository id"),
    /** Pin: a deployment environment (preferred: it can carry branch policy and reviewers). */
    environment: subjectPart("environment name", "an").optional(),
    /** Pin: a branch name (without refs/heads/). */
    branch: subjectPart("branch name").optional(),
    /** Pin: a tag name (without refs/tags/). */
    tag: subjectPart("tag name").optional(),
    /** Extra pin: the reusable workflow the job must run, `OWNER/REPO/.github/workflows/F.yml@REF` (STS job_workflow_ref key). */
    workflowRef: z
      .string()
      .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+\/\.github\/workflows\/[A-Za-z0-9._-]+\.ya?ml@refs\/(heads|tags)\/[^\s*]+$/, {
        message: "expected OWNER/REPO/.github/workflows/FILE.yml@refs/heads/BRANCH (no wildcard)",
      })
      .optional(),
    /** `classic` = repo:OWNER/REPO:…; `immutable` = repo:OWNER@OWNER_ID/REPO@REPO_ID:… (repos created after 2026-07-15, or opted in). */
    subjectForm: z.enum(["classic", "immutable"]).default("classic"),
    /**
     * A repository OIDC subject template (`include_claim_keys`, with `use_default: false`) the stack
     * manages. When set, the subject is built from these claims in this order.
     */
    subjectClaims: z.array(z.string().regex(/^[a-z_]+$/, { message: "expected a claim key such as repository_owner_id" })).min(1).optional(),
    /** Issuer URL; the GitHub Enterprise slug form https://token.actions.githubusercontent.com/SLUG is accepted. */
    issuer: httpsUrl.default(GITHUB_ISSUER),
    /** Audience the workflow requests (default sts.amazonaws.com). */
    audience: z.string().min(1).optional(),
    /** Allow '*' in a pin (branch, tag, environment). Only with read-only grants; never in owner or repository. */
    allowSubjectWildcard: z.boolean().default(false),
  })
  .strict();

export const GitlabCiSource = z
  .object({
    kind: z.literal("gitlab-ci"),
    /** GROUP[/SUBGROUP…]/PROJECT */
    projectPath: z.string().regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/, { message: "expected GROUP/PROJECT with no wildcard (e.g. platform/agents)" }),
    refType: z.enum(["branch", "tag"]).default("branch"),
    ref: subjectPart("ref name"),
    issuer: httpsUrl.default("https://gitlab.com"),
    audience: z.string().min(1).optional(),
    allowSubjectWildcard: z.boolean().default(false),
  })
  .strict();

export const KubernetesSource = z
  .object({
    kind: z.literal("kubernetes"),
    /** The cluster's service-account issuer (EKS: https://oidc.eks.REGION.amazonaws.com/id/ID). */
    issuer: httpsUrl,
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: "expected a Kubernetes namespace name (no wildcard)" }).max(63),
    serviceAccount: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { message: "expected a Kubernetes service account name (no wildcard)" })
      .max(253)
      .refine((v) => v !== KUBERNETES_DEFAULT_SERVICE_ACCOUNT, {
        message: "expected the assistant's own service account, not the namespace's 'default' one (every pod that names no service account runs as it): create a service account for the assistant",
      })
      // The same refusal in the JSON Schema, so an editor flags it too (a refine is not representable).
      .meta({ not: { const: KUBERNETES_DEFAULT_SERVICE_ACCOUNT } }),
    audience: z.string().min(1).optional(),
    allowSubjectWildcard: z.boolean().default(false),
  })
  .strict();

export const SpiffeSource = z
  .object({
    kind: z.literal("spiffe"),
    /** SPIRE OIDC discovery provider URL (serves /.well-known/openid-configuration and /keys). */
    issuer: httpsUrl,
    /** spiffe://TRUST-DOMAIN/PATH, exact. */
    spiffeId: z.string().regex(/^spiffe:\/\/[a-z0-9._-]+(\/[A-Za-z0-9._~!$&'()+,;=:@%*-]+)+$/, {
      message: "expected spiffe://TRUST-DOMAIN/PATH (lowercase trust domain, a non-empty path)",
    }),
    audience: z.string().min(1, { message: "expected the JWT-SVID audience the workload requests" }),
    allowSubjectWildcard: z.boolean().default(false),
  })
  .strict();

export const OidcSource = z
  .object({
    kind: z.literal("oidc"),
    issuer: httpsUrl,
    /** The exact `sub` claim. */
    subject: z.string().min(1, { message: "expected the exact sub claim" }),
    audience: z.string().min(1, { message: "expected the exact aud claim" }),
    allowSubjectWildcard: z.boolean().default(false),
  })
  .strict();

export const Source = z.discriminatedUnion("kind", [GithubActionsSource, GitlabCiSource, KubernetesSource, SpiffeSource, OidcSource], {
  message: "expected source.kind to be one of github-actions, gitlab-ci, kubernetes, spiffe, oidc",
});

// ---------------------------------------------------------------------------------------------
// AWS grants: one kind per thing an assistant does. Each expands to exact actions on exact ARNs
// (core/aws/grants.ts).
// ---------------------------------------------------------------------------------------------

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: "expected an AWS region such as eu-west-1" });
const bucket = S3BucketName;
const prefix = z
  .string()
  .regex(/^[^*?\s]*$/, { message: "expected an S3 key prefix without '*', '?' or spaces (e.g. reports/)" })
  .refine((p) => !p.startsWith("/"), { message: "expected a key prefix without a leading '/'" });
const resourceName = (what: string, re: RegExp, article: "a" | "an" = "a") =>
  z.string().min(1).regex(re, { message: `expected ${article} ${what} (no wildcard)` });

const g = <K extends string, S extends z.ZodRawShape>(kind: K, shape: S) =>
  z.object({ kind: z.literal(kind), region: region.optional(), ...shape }).strict();

export const AwsGrant = z.discriminatedUnion(
  "kind",
  [
    g("s3-read", { bucket, prefix: prefix.default("") }),
    g("s3-write", { bucket, prefix: prefix.default("") }),
    g("dynamodb-read", { table: resourceName("DynamoDB table name", /^[A-Za-z0-9_.-]{3,255}$/) }),
    g("dynamodb-write", { table: resourceName("DynamoDB table name", /^[A-Za-z0-9_.-]{3,255}$/) }),
    g("secret-read", { secret: resourceName("Secrets Manager secret name", /^[A-Za-z0-9\/_+=.@-]{1,512}$/) }),
    // Segments separated by single slashes: "//" or a bare "/" would name the root path (every parameter).
    g("ssm-parameter-read", { parameter: resourceName("SSM parameter name or path, such as /app/db-url or /app/config/, without empty segments", /^\/?[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*\/?$/, "an").max(1012) }),
    g("kms-decrypt", { keyId: z.string().regex(/^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/, { message: "expected a KMS key id (UUID or mrk-…), not an alias or '*'" }) }),
    g("logs-write", { logGroup: resourceName("CloudWatch Logs log group name", /^[A-Za-z0-9_\/.#-]{1,512}$/) }),
    g("sqs-send", { queue: resourceName("SQS queue name", /^[A-Za-z0-9_-]{1,80}(\.fifo)?$/, "an") }),
    g("sqs-consume", { queue: resourceName("SQS queue name", /^[A-Za-z0-9_-]{1,80}(\.fifo)?$/, "an") }),
    g("sns-publish", { topic: resourceName("SNS topic name", /^[A-Za-z0-9_-]{1,256}(\.fifo)?$/, "an") }),
    g("lambda-invoke", { functionName: resourceName("Lambda function name", /^[A-Za-z0-9_-]{1,64}$/) }),
    g("bedrock-invoke", { modelId: resourceName("Bedrock foundation model id", /^[a-z0-9-]+\.[A-Za-z0-9.:_-]+$/) }),
    g("ecr-pull", { repository: resourceName("ECR repository name", /^[a-z0-9]+([._\/-][a-z0-9]+)*$/, "an") }),
    g("ecr-push", { repository: resourceName("ECR repository name", /^[a-z0-9]+([._\/-][a-z0-9]+)*$/, "an") }),
    g("rds-connect", {
      /** The DB instance's DbiResourceId (db-…) or the cluster's resource id (cluster-…), not its name. */
      dbResourceId: z.string().regex(/^(db|cluster)-[A-Z0-9]{10,40}$/, { message: "expected the DbiResourceId (db-…) or cluster resource id (cluster-…), not the instance name" }),
      /** The database user that authenticates with an IAM token (no password exists). */
      dbUser: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, { message: "expected a database user name (no wildcard)" }),
    }),
  ],
  {
    message:
      "expected grant.kind to be one of s3-read, s3-write, dynamodb-read, dynamodb-write, secret-read, ssm-parameter-read, kms-decrypt, logs-write, sqs-send, sqs-consume, sns-publish, lambda-invoke, bedrock-invoke, ecr-pull, ecr-push, rds-connect",
  },
);

/** Escape hatch: a raw statement, checked by the core (no '*' action, no NotAction, no escalation). */
export const AwsRawStatement = z
  .object({
    sid: z.string().regex(/^[A-Za-z0-9]+$/, { message: "expected an alphanumeric Sid" }).optional(),
    actions: z.array(z.string().min(1)).min(1, { message: "expected at least one action" }),
    resources: z.array(z.string().min(1)).min(1, { message: "expected at least one resource ARN" }),
    /** Extra IAM conditions, ANDed with the expiry condition. */
    conditions: z.record(z.string(), z.record(z.string(), z.union([z.string(), z.array(z.string())]))).optional(),
    /** Why the catalogue does not cover this (shown to reviewers and auditors). */
    reason: z.string().min(10, { message: "expected a reason of at least 10 characters: why no catalogue grant fits" }),
  })
  .strict();

export const AwsAccess = z
  .object({
    /** Overrides platform.aws.accountId for this assistant. */
    accountId: z.string().regex(/^\d{12}$/, { message: "expected a 12-digit AWS account id" }).optional(),
    grants: z.array(AwsGrant).default([]),
    statements: z.array(AwsRawStatement).default([]),
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// The assistant
// ---------------------------------------------------------------------------------------------

export const Assistant = z
  .object({
    /** Lowercase slug, unique per environment; names every resource made for it. */
    name: z.string().regex(SLUG, { message: "expected a lowercase slug (a-z, 0-9, '-'), e.g. pr-reviewer" }).min(3).max(32),
    owner: z
      .object({
        team: z.string().regex(SLUG, { message: "expected the owning team as a lowercase slug" }).max(63),
        contact: z.string().regex(/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i, { message: "expected a contact email address" }),
      })
      .strict(),
    purpose: z.string().min(10, { message: "expected a purpose of at least 10 characters that a reviewer understands" }).max(256),
    environment: z.enum(["dev", "stage", "prod"], { message: "expected environment to be dev, stage or prod" }),
    /** Last day the assistant may act (UTC, exclusive at 00:00 of the next day is NOT implied: access ends at 00:00Z of this date). */
    expires: isoDate,
    /** Maximum session length in seconds: 900 to 3600 (default 3600). */
    maxSessionSeconds: z.number().int().min(900, { message: "expected at least 900 seconds (STS minimum)" }).max(3600, {
      message: "expected at most 3600 seconds: assistants get short sessions (ask for a policy exception to go longer)",
    }).default(3600),
    /** Kill switch: deny everything everywhere the assistant exists. */
    revoked: z.boolean().default(false),
    /** Deny sessions issued before this instant (AWS's own revoke-active-sessions condition). */
    revokeSessionsIssuedBefore: isoInstant.optional(),
    source: Source,
    aws: AwsAccess.optional(),
    /** GCP: Workload Identity federation, a service account (or direct access) and conditional bindings. */
    gcp: GcpAccess.optional(),
    /** GitHub: the assistant's own repository access, its deployment environment, subject template and variables. */
    github: GithubAccess.optional(),
    /** Unavoidable static credentials: each an owned, rotating, expiring exception (docs/audit-trails.md). */
    staticCredentials: StaticCredentials,
    /** How far back the assistant's ready-made audit queries look. */
    audit: AuditSettings,
    /** Tools and intents, authorized per call with Cedar / Amazon Verified Permissions (docs/tool-authorization.md). */
    tools: AssistantTools.optional(),
  })
  .strict();

export const Platform = z
  .object({
    /** Prefix of every resource name (default "ai"). */
    namePrefix: z.string().regex(/^[a-z][a-z0-9]{0,7}$/, { message: "expected a short lowercase prefix (1-8 of a-z, 0-9)" }).default("ai"),
    aws: z
      .object({
        accountId: z.string().regex(/^\d{12}$/, { message: "expected a 12-digit AWS account id" }),
        region: region,
        partition: z.enum(["aws", "aws-us-gov", "aws-cn"]).default("aws"),
        /** Issuer URL → ARN of an OIDC provider that already exists in the account (not created by this stack). */
        existingOidcProviders: z.record(httpsUrl, z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/[^*\s]+$/, { message: "expected an OIDC provider ARN" })).default({}),
      })
      .strict()
      .optional(),
    /** GCP project and Workload Identity pool for every assistant with a gcp section. */
    gcp: GcpPlatform.optional(),
    /** Audit trails: secret and key access kept apart from every other call (docs/audit-trails.md). */
    audit: AuditPlatform.default({}),
  })
  .strict();

export const StackSpec = z
  .object({
    platform: Platform.default({ namePrefix: "ai", audit: {} }),
    assistants: z.array(Assistant).min(1, { message: "expected at least one assistant" }),
  })
  .strict();

export type GithubActionsSource = z.infer<typeof GithubActionsSource>;
export type GitlabCiSource = z.infer<typeof GitlabCiSource>;
export type KubernetesSource = z.infer<typeof KubernetesSource>;
export type SpiffeSource = z.infer<typeof SpiffeSource>;
export type OidcSource = z.infer<typeof OidcSource>;
export type Source = z.infer<typeof Source>;
export type AwsGrant = z.infer<typeof AwsGrant>;
export type AwsRawStatement = z.infer<typeof AwsRawStatement>;
export type Assistant = z.infer<typeof Assistant>;
export type Platform = z.infer<typeof Platform>;
export type StackSpec = z.infer<typeof StackSpec>;
/** What a user writes (defaults not yet applied). */
export type StackSpecInput = z.input<typeof StackSpec>;
