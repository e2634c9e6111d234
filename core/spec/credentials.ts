/**
 * Static credentials an assistant cannot avoid (a legacy API, an on-premise tool, a vendor webhook):
 * each one is an explicit, owned, justified, rotating and expiring exception that belongs to exactly
 * one assistant. Wired into `Assistant.staticCredentials` by core/spec/schema.ts; the cross-field
 * rules (`credentialErrors`) are called by core/spec/validate.ts.
 *
 * Pure: no Pulumi import.
 */
import { z } from "zod";
import { judgeRawStatements } from "../iam";
import type { SpecError } from "./errors";

/** Default and ceiling of `rotationDays` (the pack's secrets-rotation rule defaults to the same ceiling). */
export const DEFAULT_ROTATION_DAYS = 30;
export const MAX_ROTATION_DAYS = 90;
/** An exception is reviewed at least yearly: `exceptionExpires` at most this many days ahead. */
export const MAX_EXCEPTION_DAYS = 366;

const DAY = 86_400_000;
const SLUG = /^[a-z][a-z0-9-]*[a-z0-9]$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const isoDate = z
  .string({ message: "expected a date as YYYY-MM-DD" })
  .regex(ISO_DATE, { message: "expected a date as YYYY-MM-DD" })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
    message: "expected a real calendar date as YYYY-MM-DD",
  });

export const CredentialOwner = z
  .object(
    {
      team: z.string({ message: "expected the owning team as a lowercase slug" }).regex(SLUG, { message: "expected the owning team as a lowercase slug" }).max(63),
      contact: z.string({ message: "expected a contact email address" }).regex(/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i, { message: "expected a contact email address" }),
    },
    { message: "expected an owner { team, contact }: who renews the exception and rotates the credential" },
  )
  .strict();

const kmsKeyId = z
  .string()
  .regex(/^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/, {
    message: "expected a customer-managed KMS key id or key ARN (not an alias, not '*')",
  });
const lambdaArn = z.string().regex(/^arn:aws[a-z-]*:lambda:[a-z]{2}(-[a-z]+)+-\d:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/, {
  message: "expected the ARN of the rotation Lambda function (arn:aws:lambda:REGION:ACCOUNT:function:NAME)",
});
const roleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[A-Za-z0-9+=,.@_\/-]+$/, {
  message: "expected the ARN of the rotation Lambda's execution role (arn:aws:iam::ACCOUNT:role/NAME)",
});

export const AwsSecretsManagerStore = z
  .object({
    kind: z.literal("aws-secretsmanager"),
    /** Customer-managed KMS key that encrypts the secret (default: the account's aws/secretsmanager key). */
    kmsKeyId: kmsKeyId.optional(),
    /** The Lambda that rotates the value (required unless `awsAccessKey`: those rotate by replacement). */
    rotationLambdaArn: lambdaArn.optional(),
    /** The rotation Lambda's execution role: the only principal besides the assistant the resource policy lets read. */
    rotationRoleArn: roleArn.optional(),
    /** Days a deleted secret can be restored (7-30, default 30). */
    recoveryWindowDays: z.number().int().min(7, { message: "expected 7 to 30 days" }).max(30, { message: "expected 7 to 30 days" }).default(30),
  })
  .strict();

export const GcpSecretManagerStore = z
  .object({
    kind: z.literal("gcp-secretmanager"),
    /** Project of the secret (default: the assistant's GCP project). */
    project: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, { message: "expected a GCP project id such as acme-agents-prod" }).optional(),
  })
  .strict();

export const CredentialStore = z.discriminatedUnion("kind", [AwsSecretsManagerStore, GcpSecretManagerStore], {
  message: 'expected store.kind to be "aws-secretsmanager" or "gcp-secretmanager"',
});

/** The truly unavoidable IAM user access key: the user may do these actions on these resources, nothing else. */
export const AwsAccessKey = z
  .object({
    actions: z
      .array(z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9]+$/, { message: "expected an exact IAM action such as s3:PutObject (no wildcard)" }))
      .min(1, { message: "expected at least one action the legacy integration needs" })
      .max(20, { message: "expected at most 20 actions: a legacy integration needs few" }),
    resources: z
      .array(z.string().regex(/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:[^\s*?]+(\/\*)?$/, { message: "expected an exact resource ARN (the only wildcard allowed is a trailing /* under a fixed path)" }))
      .min(1, { message: "expected at least one exact resource ARN" }),
  })
  .strict();

export const StaticCredential = z
  .object({
    /** Lowercase slug, unique within the assistant; names the secret. */
    id: z.string({ message: "expected a credential id (lowercase slug)" }).regex(SLUG, { message: "expected a lowercase slug such as vendor-webhook" }).min(3).max(40),
    /** The system that cannot take a short-lived token. */
    system: z.string({ message: "expected the system the credential opens (e.g. legacy-billing-api)" }).min(3, { message: "expected the system the credential opens (at least 3 characters)" }).max(128),
    owner: CredentialOwner,
    justification: z
      .string({ message: "expected a justification: why this system cannot take a short-lived token" })
      .min(20, { message: "expected a justification of at least 20 characters: why this system cannot take a short-lived token" })
      .max(512),
    /** Last day of the policy exception (access ends at 00:00Z of this date). */
    exceptionExpires: isoDate,
    rotationDays: z
      .number({ message: "expected a rotation period in days" })
      .int({ message: "expected whole days" })
      .min(1, { message: "expected at least 1 day" })
      .max(MAX_ROTATION_DAYS, { message: `expected at most ${MAX_ROTATION_DAYS} days between rotations` })
      .default(DEFAULT_ROTATION_DAYS),
    store: CredentialStore,
    awsAccessKey: AwsAccessKey.optional(),
  })
  .strict();

export const StaticCredentials = z.array(StaticCredential).max(10, { message: "expected at most 10 static credentials per assistant: ask why so many systems cannot federate" }).default([]);

export type CredentialOwner = z.infer<typeof CredentialOwner>;
export type AwsSecretsManagerStore = z.infer<typeof AwsSecretsManagerStore>;
export type GcpSecretManagerStore = z.infer<typeof GcpSecretManagerStore>;
export type CredentialStore = z.infer<typeof CredentialStore>;
export type AwsAccessKey = z.infer<typeof AwsAccessKey>;
export type StaticCredential = z.infer<typeof StaticCredential>;

/** What the checks read from an assistant (the spec's Assistant satisfies it once `staticCredentials` is wired). */
export interface CredentialAssistant {
  name: string;
  expires: string;
  revoked: boolean;
  aws?: unknown;
  gcp?: unknown;
  staticCredentials?: StaticCredential[];
}

const dayStart = (d: string) => Date.parse(`${d}T00:00:00Z`);
const ownerText = (o: CredentialOwner) => `${o.team} <${o.contact}>`;

/** True when the exception has ended at `now` (access ends at 00:00Z of `exceptionExpires`). */
export function exceptionExpired(c: Pick<StaticCredential, "exceptionExpires">, now: Date): boolean {
  return dayStart(c.exceptionExpires) <= now.getTime();
}

/** Cross-field checks of assistant `index`'s static credentials, each with its config path. */
export function credentialErrors(a: CredentialAssistant, index: number, now: Date): SpecError[] {
  const errors: SpecError[] = [];
  const seen = new Map<string, number>();
  (a.staticCredentials ?? []).forEach((c, i) => {
    const p = `assistants[${index}].staticCredentials[${i}]`;
    const prev = seen.get(c.id);
    if (prev !== undefined) errors.push({ path: `${p}.id`, message: `"${c.id}" is declared twice (also staticCredentials[${prev}]): ids are unique per assistant` });
    else seen.set(c.id, i);

    if (exceptionExpired(c, now)) {
      errors.push({
        path: `${p}.exceptionExpires`,
        message: `the exception for static credential "${c.id}" (${c.system}) expired on ${c.exceptionExpires}: owner ${ownerText(c.owner)} must review it and set a new exceptionExpires, or remove the credential`,
      });
    } else if (dayStart(c.exceptionExpires) - now.getTime() > MAX_EXCEPTION_DAYS * DAY) {
      errors.push({ path: `${p}.exceptionExpires`, message: `expected an exception that ends within ${MAX_EXCEPTION_DAYS} days; got ${c.exceptionExpires}: exceptions are reviewed at least yearly` });
    }
    if (dayStart(c.exceptionExpires) > dayStart(a.expires)) {
      errors.push({ path: `${p}.exceptionExpires`, message: `expected the exception to end on or before the assistant's expiry (${a.expires}); got ${c.exceptionExpires}` });
    }

    if (c.store.kind === "aws-secretsmanager") {
      if (a.aws === undefined) errors.push({ path: `${p}.store.kind`, message: "an aws-secretsmanager credential needs the assistant's aws section: only its role may read the secret" });
      if (!c.awsAccessKey && !c.store.rotationLambdaArn) {
        errors.push({ path: `${p}.store.rotationLambdaArn`, message: "expected rotationLambdaArn: a Secrets Manager secret rotates through a Lambda (only awsAccessKey credentials rotate by replacement)" });
      }
      if (c.store.rotationLambdaArn && !c.store.rotationRoleArn) {
        errors.push({ path: `${p}.store.rotationRoleArn`, message: "expected rotationRoleArn (the rotation Lambda's execution role): the resource policy denies every other principal, so rotation needs it named" });
      }
      if (c.store.rotationRoleArn && !c.store.rotationLambdaArn) {
        errors.push({ path: `${p}.store.rotationLambdaArn`, message: "rotationRoleArn without rotationLambdaArn grants read access to a role that rotates nothing: set both or neither" });
      }
    } else {
      if (a.gcp === undefined) errors.push({ path: `${p}.store.kind`, message: "a gcp-secretmanager credential needs the assistant's gcp section: only its principal may read the secret" });
      if (c.awsAccessKey) errors.push({ path: `${p}.awsAccessKey`, message: 'an IAM user access key is stored in AWS Secrets Manager: set store.kind "aws-secretsmanager"' });
    }

    if (c.awsAccessKey) {
      const findings = judgeRawStatements([{ Effect: "Allow", Action: c.awsAccessKey.actions, Resource: c.awsAccessKey.resources }]);
      for (const f of findings) {
        const m = /^Statement\[0\]\.(Action|Resource)(.*)$/.exec(f.path ?? "");
        const sub = m ? `.${m[1] === "Action" ? "actions" : "resources"}${m[2]}` : "";
        errors.push({ path: `${p}.awsAccessKey${sub}`, message: `${f.message.replace(/^Statement\[0\]\S*\s+/, "")} (fix: ${f.fix})` });
      }
    }
  });
  return errors;
}
