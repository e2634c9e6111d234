/**
 * The auditor's inventory: what every assistant is, who owns it, which identities it has, what
 * each can reach and for how long, its static credentials (by reference, never by value), where its
 * logs land, and the findings with their standards ids.
 *
 * One zod schema is the single source for validation, the TypeScript types and the published JSON
 * Schema (`inventoryJsonSchema()`). Every object is strict: a field the schema does not name (such as
 * a credential `value`) is rejected, so a secret cannot ride along by accident.
 *
 * Pure: no @pulumi import (core/ never imports Pulumi).
 */
import { z } from "zod";

export const INVENTORY_SCHEMA_VERSION = "1.0.0" as const;
export const INVENTORY_SCHEMA_ID = "https://assistant-identities.dev/schema/inventory-1.0.0.json";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const ISO_DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

const realDate = (s: string): boolean => {
  const day = s.slice(0, 10);
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(day) && !Number.isNaN(Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s));
};

/** YYYY-MM-DD, a real calendar day (UTC). */
export const IsoDate = z
  .string()
  .regex(ISO_DATE, { message: "expected a date as YYYY-MM-DD" })
  .refine(realDate, { message: "expected a real calendar date as YYYY-MM-DD" });

/** YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM). */
export const IsoInstant = z
  .string()
  .regex(ISO_INSTANT, { message: "expected an instant as YYYY-MM-DDTHH:MM:SSZ" })
  .refine(realDate, { message: "expected a real instant as YYYY-MM-DDTHH:MM:SSZ" });

/** Either a day (read as 00:00Z of that day) or an instant. */
export const IsoDateOrInstant = z
  .string()
  .regex(ISO_DATE_OR_INSTANT, { message: "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ" })
  .refine(realDate, { message: "expected a real date or instant" });

const nonEmpty = (what: string) => z.string().min(1, { message: `expected a non-empty ${what}` });

/** Flat standards ids, as `standardIds()` in core/standards.ts makes them. */
export const StandardId = z.string().regex(/^(OWASP-(NHI|ASI)\d{1,2}|MAESTRO-L[1-7]|NIST-CSF-[A-Z]{2}\.[A-Z]{2}-\d{2})$/, {
  message: "expected a standards id such as OWASP-NHI5, OWASP-ASI03, MAESTRO-L4 or NIST-CSF-PR.AA-05",
});

export const Cloud = z.enum(["aws", "gcp", "github"]);

export const Identity = z
  .object({
    cloud: Cloud,
    /** e.g. aws-iam-role, gcp-service-account, gcp-wif-principal, github-app-installation. */
    kind: z.string().regex(/^[a-z][a-z0-9-]*$/, { message: "expected a kind such as aws-iam-role or gcp-service-account" }),
    /** Role ARN, service-account email, WIF principal or installation id. */
    id: nonEmpty("identity id (role ARN, service-account email or principal)"),
    /** The OIDC issuer the identity trusts. */
    issuer: nonEmpty("issuer"),
    /** The exact subject the identity trusts. */
    subject: nonEmpty("subject"),
    /** The exact audience the identity trusts. */
    audience: nonEmpty("audience"),
    maxSessionSeconds: z.number().int().positive(),
    /** Permissions boundary attached to the role (AWS). */
    boundaryArn: z.string().min(1).optional(),
  })
  .strict()
  .describe("A workload identity the assistant can assume.");

export const Access = z
  .object({
    system: Cloud,
    /** e.g. s3://bucket/prefix, dynamodb:table, a GCP resource name, github:owner/repo. */
    target: nonEmpty("target"),
    /** ARNs or resource names. */
    resources: z.array(nonEmpty("resource")),
    /** Expanded AWS actions, GCP roles or GitHub permissions. */
    actions: z.array(nonEmpty("action")),
    /** When this access ends (YYYY-MM-DD or instant). */
    expires: IsoDateOrInstant,
  })
  .strict()
  .describe("What an assistant can reach on one target system, and until when.");

export const StaticCredential = z
  .object({
    id: nonEmpty("credential id"),
    system: nonEmpty("system"),
    /** Where the value lives: aws-secretsmanager, gcp-secretmanager, … */
    store: z.string().regex(/^[a-z][a-z0-9-]*$/, { message: "expected a store such as aws-secretsmanager or gcp-secretmanager" }),
    /** ARN or name of the stored secret. A reference, never the value. */
    storeRef: nonEmpty("store reference (ARN or name)"),
    owner: nonEmpty("owner"),
    justification: nonEmpty("justification"),
    rotationDays: z.number().int().positive(),
    lastRotated: IsoDateOrInstant.optional(),
    nextRotation: IsoDateOrInstant,
    /** When the policy exception that allows this static credential ends. */
    exceptionExpires: IsoDateOrInstant,
    disabled: z.boolean(),
  })
  .strict()
  .describe("A static credential kept under a policy exception: its store reference and schedule, never its value.");

export const LogSink = z
  .object({
    /** Where the log lands (log group ARN, bucket, BigQuery dataset, …). */
    destination: nonEmpty("log destination"),
    /** A query an auditor runs there to read this assistant's events. */
    query: nonEmpty("query"),
  })
  .strict();

export const Audit = z
  .object({
    toolCalls: LogSink.optional(),
    secretAccess: LogSink.optional(),
  })
  .strict();

export const Environment = z.enum(["dev", "stage", "prod"]);

export const AssistantEntry = z
  .object({
    name: nonEmpty("assistant name"),
    owner: z.object({ team: nonEmpty("team"), contact: nonEmpty("contact") }).strict(),
    purpose: nonEmpty("purpose"),
    environment: Environment,
    expires: IsoDate,
    revoked: z.boolean(),
    /** Sessions issued before this instant are denied. */
    revokeSessionsIssuedBefore: IsoInstant.optional(),
    identities: z.array(Identity),
    access: z.array(Access),
    staticCredentials: z.array(StaticCredential),
    audit: Audit,
  })
  .strict()
  .describe("One assistant: owner, purpose, lifetime, identities, access, static credentials and log sinks.");

export const Level = z.enum(["mandatory", "advisory"]);
export const Severity = z.enum(["low", "medium", "high", "critical"]);

export const SourceLocation = z
  .object({
    /** Repository-relative path (e.g. stacks/Pulumi.dev.yaml): no leading '/', no scheme, no '..'. */
    file: z
      .string()
      .min(1)
      .regex(/^(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!\/)(?!.*(^|\/)\.\.(\/|$))[^\\\0]+$/, {
        message: "expected a repository-relative path such as stacks/Pulumi.dev.yaml",
      }),
    line: z.number().int().min(1),
    column: z.number().int().min(1).optional(),
  })
  .strict();

export const FindingEntry = z
  .object({
    ruleId: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: "expected a rule id such as aws-no-wildcard-actions" }),
    title: nonEmpty("title"),
    level: Level,
    severity: Severity,
    /** "must …; got …". */
    message: nonEmpty("message"),
    /** The Pulumi URN of the offending resource (or of the stack, for stack-wide findings). */
    resource: z.string().regex(/^urn:pulumi:/, { message: "expected a Pulumi URN (urn:pulumi:…)" }),
    assistant: z.string().min(1).optional(),
    /** Where inside the resource, e.g. Statement[1].Action. */
    path: z.string().min(1).optional(),
    /** A short key that tells findings of one rule apart (e.g. Action::s3:*). */
    key: z.string().min(1).optional(),
    fix: nonEmpty("fix"),
    standards: z.array(StandardId),
    location: SourceLocation.optional(),
  })
  .strict()
  .describe("A policy finding with its standards ids.");

export const Inventory = z
  .object({
    schemaVersion: z.literal(INVENTORY_SCHEMA_VERSION),
    project: nonEmpty("project"),
    stack: nonEmpty("stack"),
    generatedAt: IsoInstant,
    assistants: z.array(AssistantEntry),
    findings: z.array(FindingEntry),
  })
  .strict()
  .meta({
    title: "assistant-identities inventory",
    description:
      "The auditor's view of one stack: every AI assistant's owner, purpose, lifetime, identities, access, static credentials (by reference), log sinks, and the policy findings. Contains no secret values.",
  });

export type Cloud = z.infer<typeof Cloud>;
export type Identity = z.infer<typeof Identity>;
export type Access = z.infer<typeof Access>;
export type StaticCredential = z.infer<typeof StaticCredential>;
export type LogSink = z.infer<typeof LogSink>;
export type Audit = z.infer<typeof Audit>;
export type Environment = z.infer<typeof Environment>;
export type AssistantEntry = z.infer<typeof AssistantEntry>;
export type Level = z.infer<typeof Level>;
export type Severity = z.infer<typeof Severity>;
export type SourceLocation = z.infer<typeof SourceLocation>;
export type FindingEntry = z.infer<typeof FindingEntry>;
export type Inventory = z.infer<typeof Inventory>;

/** The JSON Schema (draft 2020-12) of the inventory, for publishing next to inventory.json. */
export function inventoryJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Inventory, { target: "draft-2020-12", unrepresentable: "throw" }) as Record<string, unknown>;
  return { $schema: schema.$schema, $id: INVENTORY_SCHEMA_ID, ...schema };
}

export class InventoryError extends Error {
  constructor(public readonly issues: string[]) {
    super(`invalid inventory:\n  ${issues.join("\n  ")}`);
    this.name = "InventoryError";
  }
}

/** Parse and validate an inventory (e.g. JSON.parse of inventory.json). Throws InventoryError with one line per problem. */
export function parseInventory(value: unknown): Inventory {
  const r = Inventory.safeParse(value);
  if (r.success) return r.data;
  throw new InventoryError(r.error.issues.map((i) => `${i.path.length ? i.path.map(String).join(".") : "(root)"}: ${i.message}`));
}
