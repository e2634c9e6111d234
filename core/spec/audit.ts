/**
 * Audit trails, kept apart: where the calls of assistant sessions land, for how long, and how an
 * auditor reads them. `AuditPlatform` is the stack-wide part (`platform.audit`), `AuditSettings`
 * the per-assistant part (`assistants[i].audit`). Wired by core/spec/schema.ts; the checks
 * (`auditErrors`) are called by core/spec/validate.ts. See docs/audit-trails.md for the mechanism.
 *
 * Pure: no Pulumi import.
 */
import { z } from "zod";
import type { SpecError } from "./errors";

/** CloudTrail Lake retention (days) with one-year extendable retention pricing: 7 to 3653. */
export const LAKE_RETENTION = { min: 7, max: 3653 } as const;
/** The retention values CloudWatch Logs accepts (PutRetentionPolicy). */
export const CLOUDWATCH_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
/** Cloud Logging bucket retention: 1 to 3650 days. */
export const GCP_LOG_RETENTION = { min: 1, max: 3650 } as const;

/** CloudTrail data-event resource types the tool-call stream can select (one selector each). */
export const DATA_EVENT_TYPES = ["AWS::S3::Object", "AWS::DynamoDB::Table", "AWS::Lambda::Function", "AWS::SQS::Queue", "AWS::SNS::Topic"] as const;

const retention = (what: string, min: number, max: number, dflt: number) =>
  z
    .number({ message: `expected the ${what} retention in days` })
    .int({ message: "expected whole days" })
    .min(min, { message: `expected at least ${min} days of ${what} retention` })
    .max(max, { message: `expected at most ${max} days of ${what} retention` })
    .default(dflt);

export const AwsAuditPlatform = z
  .object({
    /**
     * `cloudtrail-lake` (default): two CloudTrail Lake event data stores whose advanced event selectors
     * filter on userIdentity.arn at ingestion. `eventbridge-cloudwatch`: two EventBridge rules that
     * receive read-only management events (state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS) into
     * two CloudWatch log groups, for accounts that cannot onboard CloudTrail Lake (closed to new
     * customers since 2026-05-31); it needs a logging trail in the account and is best-effort.
     */
    mechanism: z.enum(["cloudtrail-lake", "eventbridge-cloudwatch"], { message: "expected mechanism cloudtrail-lake or eventbridge-cloudwatch" }).default("cloudtrail-lake"),
    secretAccessRetentionDays: retention("secret-access", LAKE_RETENTION.min, LAKE_RETENTION.max, 2557),
    toolCallRetentionDays: retention("tool-call", LAKE_RETENTION.min, LAKE_RETENTION.max, 365),
    /** Customer-managed KMS key for the event data stores / log groups (ARN). */
    kmsKeyArn: z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+$/, { message: "expected a KMS key ARN" }).optional(),
    /**
     * Data-event resource types for the tool-call stream (default: derived from the assistants'
     * grants). At most 3: an event data store takes 5 selectors and the partition uses 2.
     */
    dataEventTypes: z.array(z.enum(DATA_EVENT_TYPES, { message: `expected one of ${DATA_EVENT_TYPES.join(", ")}` })).max(3, { message: "expected at most 3 data-event types (5 selectors per event data store, 2 used by management events)" }).optional(),
  })
  .strict();

export const GcpAuditPlatform = z
  .object({
    /** Project that holds the log buckets and sinks (default: platform.gcp.projectId). */
    project: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, { message: "expected a GCP project id such as acme-agents-prod" }).optional(),
    location: z.string().regex(/^(global|[a-z]+(-[a-z]+\d+)?)$/, { message: "expected a log bucket location such as global or europe-west1" }).default("global"),
    secretAccessRetentionDays: retention("secret-access", GCP_LOG_RETENTION.min, GCP_LOG_RETENTION.max, 400),
    toolCallRetentionDays: retention("tool-call", GCP_LOG_RETENTION.min, GCP_LOG_RETENTION.max, 90),
    /** More services whose Data Access logs the tool-call stream needs (e.g. storage.googleapis.com). */
    dataAccessServices: z.array(z.string().regex(/^[a-z0-9.-]+\.googleapis\.com$/, { message: "expected a service name such as storage.googleapis.com" })).default([]),
  })
  .strict();

export const AuditPlatform = z
  .object({
    aws: AwsAuditPlatform.optional(),
    gcp: GcpAuditPlatform.optional(),
  })
  .strict();

/** Per assistant: how far back its ready-made queries look. */
export const AuditSettings = z
  .object({
    queryLookbackDays: z.number().int().min(1, { message: "expected 1 to 90 days" }).max(90, { message: "expected 1 to 90 days" }).default(7),
  })
  .strict()
  .default({ queryLookbackDays: 7 });

export type AwsAuditPlatform = z.infer<typeof AwsAuditPlatform>;
export type GcpAuditPlatform = z.infer<typeof GcpAuditPlatform>;
export type AuditPlatform = z.infer<typeof AuditPlatform>;
export type AuditSettings = z.infer<typeof AuditSettings>;

/** Checks the schema cannot express (retention a CloudWatch log group accepts). */
export function auditErrors(platform: AuditPlatform | undefined): SpecError[] {
  const errors: SpecError[] = [];
  const aws = platform?.aws;
  if (aws?.mechanism === "eventbridge-cloudwatch") {
    for (const k of ["secretAccessRetentionDays", "toolCallRetentionDays"] as const) {
      if (!(CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(aws[k])) {
        errors.push({ path: `platform.audit.aws.${k}`, message: `expected a retention CloudWatch Logs accepts (${CLOUDWATCH_RETENTION_DAYS.join(", ")}); got ${aws[k]}` });
      }
    }
  }
  return errors;
}
