/**
 * Validation of the whole stack config: the zod schema first, then the rules that span fields
 * (unique identities, expiry, wildcards, pins), then the per-cloud plans (which fail closed on
 * raw statements and quotas). Every problem is reported at once with its config path; nothing is
 * registered until this returns without problems.
 */
import type { z } from "zod";
import { planAwsAssistant } from "../aws/plan";
import { isReadOnlyGrantKind } from "../aws/grants";
import { isReadOnlyAction, expandActionPattern } from "../iam";
import { GITHUB_AUTHOR_CONTROLLED_CLAIMS, defaultServiceAccountNamespace, githubClaimValue, hasWildcard, issuerHost, subjectFor } from "../oidc/subjects";
import { formatPath, SpecValidationError, type SpecError } from "./errors";
import { StackSpec, type Assistant } from "./schema";
import { credentialErrors } from "./credentials";
import { auditErrors } from "./audit";
import { planStackAudit } from "../audit/stack";
import { cloudErrors } from "./clouds";

const DAY = 86_400_000;
/** Longest an assistant may be declared for before it must be renewed. */
export const MAX_LIFETIME_DAYS = 366;

export interface ValidateOptions {
  /** The instant "now" for expiry checks (tests pin it). */
  now?: Date;
  /** The stack name (names the GCP Workload Identity pool). */
  stack?: string;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}: check the spelling against schema/assistant-spec.schema.json`;
  }
  if (issue.code === "invalid_type" && (issue as { input?: unknown }).input === undefined) {
    const field = issue.path[issue.path.length - 1];
    return `${typeof field === "string" ? `"${field}" ` : ""}is required: expected ${issue.expected}`;
  }
  return issue.message;
}

export function schemaErrors(error: z.ZodError): SpecError[] {
  return error.issues.map((i) => {
    return { path: formatPath(i.path), message: issueMessage(i) };
  });
}

function checkExpiry(a: Assistant, p: string, now: Date, errors: SpecError[]) {
  const end = Date.parse(`${a.expires}T00:00:00Z`);
  if (end <= now.getTime() && !a.revoked) {
    errors.push({
      path: `${p}.expires`,
      message: `expired on ${a.expires}: renew it (owner ${a.owner.team} <${a.owner.contact}>) with a new date, or set revoked: true and remove the assistant`,
    });
  }
  if (end - now.getTime() > MAX_LIFETIME_DAYS * DAY) {
    errors.push({ path: `${p}.expires`, message: `expected an expiry within ${MAX_LIFETIME_DAYS} days of today; got ${a.expires}: set a nearer date and renew it when it comes due` });
  }
}

function checkGithubPins(a: Assistant, p: string, errors: SpecError[]) {
  const s = a.source;
  if (s.kind !== "github-actions") return;
  const pins = [s.environment, s.branch, s.tag].filter((x) => x !== undefined).length;
  if (!s.subjectClaims) {
    if (pins !== 1) {
      errors.push({
        path: `${p}.source`,
        message: `expected exactly one of environment, branch or tag to pin the subject; got ${pins}: the default subject carries only one (environment wins), so pin the environment the job declares`,
      });
    }
    return;
  }
  const first = s.subjectClaims[0];
  if ((GITHUB_AUTHOR_CONTROLLED_CLAIMS as readonly string[]).includes(first)) {
    errors.push({
      path: `${p}.source.subjectClaims[0]`,
      message: `a subject template must not start with "${first}", a claim the workflow author controls: start with repository_owner_id and repository_id`,
    });
  }
  s.subjectClaims.forEach((k, i) => {
    if (githubClaimValue(s, k) === undefined) {
      errors.push({ path: `${p}.source.subjectClaims[${i}]`, message: `claim "${k}" has no value in the spec: pin it (environment, branch, tag or workflowRef) or drop it from the template` });
    }
  });
  if (!s.subjectClaims.includes("repository_id") && !s.subjectClaims.includes("repo")) {
    errors.push({ path: `${p}.source.subjectClaims`, message: "expected the template to include repository_id (or repo): otherwise every repository of the owner shares the subject" });
  }
}

function wildcardValues(a: Assistant): string[] {
  const s = a.source;
  switch (s.kind) {
    case "github-actions":
      return [s.environment, s.branch, s.tag].filter((x): x is string => x !== undefined && hasWildcard(x));
    case "gitlab-ci":
      return hasWildcard(s.ref) ? [s.ref] : [];
    case "spiffe":
      return hasWildcard(s.spiffeId) ? [s.spiffeId] : [];
    case "oidc":
      return hasWildcard(s.subject) ? [s.subject] : [];
    case "kubernetes":
      return [];
  }
}

function rawStatementIsReadOnly(actions: string[]): boolean {
  return actions.every((pattern) => {
    const expanded = expandActionPattern(pattern);
    return expanded.length > 0 && expanded.every(isReadOnlyAction);
  });
}

function checkWildcards(a: Assistant, p: string, errors: SpecError[]) {
  const wild = wildcardValues(a);
  if (wild.length === 0) return;
  if (!a.source.allowSubjectWildcard) {
    errors.push({
      path: `${p}.source`,
      message: `the subject contains a wildcard (${wild.join(", ")}): pin an exact value, or set allowSubjectWildcard: true for an assistant whose grants are all read-only`,
    });
    return;
  }
  const subject = subjectFor(a.source);
  if (subject.replace(/[*?]/g, "").length < 8 || /^[*?]/.test(subject)) {
    errors.push({ path: `${p}.source`, message: `the subject pattern "${subject}" pins nothing: a wildcard may only follow a fixed owner and repository (or project, namespace, trust domain)` });
  }
  a.aws?.grants.forEach((g, i) => {
    if (!isReadOnlyGrantKind(g.kind)) {
      errors.push({ path: `${p}.aws.grants[${i}].kind`, message: `a wildcard subject allows read-only grants only; got ${g.kind}: pin the subject exactly, or grant a read kind` });
    }
  });
  a.aws?.statements.forEach((st, i) => {
    if (!rawStatementIsReadOnly(st.actions)) {
      errors.push({ path: `${p}.aws.statements[${i}].actions`, message: "a wildcard subject allows read-only statements only (Read or List actions): pin the subject exactly" });
    }
  });
}

/**
 * A SPIFFE or generic OIDC source whose subject names a namespace's `default` Kubernetes service
 * account (a Kubernetes source's own field is refused by the schema): every pod there that names no
 * service account would be the assistant. The pack's aws-iam-trust-pinned reports the same subject.
 */
function checkDefaultServiceAccount(a: Assistant, p: string, errors: SpecError[]) {
  const s = a.source;
  if (s.kind !== "spiffe" && s.kind !== "oidc") return;
  const field = s.kind === "spiffe" ? "spiffeId" : "subject";
  const namespace = defaultServiceAccountNamespace(subjectFor(s));
  if (namespace === undefined) return;
  errors.push({
    path: `${p}.source.${field}`,
    message: `expected the assistant's own service account, not the default one of namespace "${namespace}" (every pod there that names no service account runs as it): create a service account for the assistant and use its ${s.kind === "spiffe" ? "SPIFFE ID" : "subject"}`,
  });
}

/** Cross-field checks over all assistants. */
export function crossFieldErrors(spec: StackSpec, opts: ValidateOptions = {}): SpecError[] {
  const now = opts.now ?? new Date();
  const errors: SpecError[] = [];
  const names = new Map<string, number>();
  const subjects = new Map<string, number>();
  spec.assistants.forEach((a, i) => {
    const p = `assistants[${i}]`;
    const id = `${a.name}/${a.environment}`;
    if (names.has(id)) errors.push({ path: `${p}.name`, message: `"${a.name}" is declared twice for ${a.environment} (also assistants[${names.get(id)}]): names are unique per environment` });
    else names.set(id, i);

    checkExpiry(a, p, now, errors);
    errors.push(...credentialErrors(a, i, now));
    checkGithubPins(a, p, errors);
    checkDefaultServiceAccount(a, p, errors);
    if (errors.some((e) => e.path.startsWith(`${p}.source`))) return;
    checkWildcards(a, p, errors);

    const who = `${a.source.issuer} ${subjectFor(a.source)}`;
    const other = subjects.get(who);
    if (other !== undefined) {
      errors.push({
        path: `${p}.source`,
        message: `the same workload identity (${subjectFor(a.source)}) is already used by assistants[${other}]: one identity per assistant and environment (OWASP NHI9 NHI Reuse, NHI8 Environment Isolation); give each its own environment, branch, service account or SPIFFE ID`,
      });
    } else subjects.set(who, i);
  });
  errors.push(...auditErrors(spec.platform.audit));
  if (spec.platform.aws) {
    for (const [issuer, arn] of Object.entries(spec.platform.aws.existingOidcProviders)) {
      if (!arn.endsWith(`:oidc-provider/${issuerHost(issuer)}`)) {
        errors.push({ path: `platform.aws.existingOidcProviders["${issuer}"]`, message: `expected the ARN of the provider for ${issuerHost(issuer)}; got ${arn}` });
      }
    }
  }
  return errors;
}

export interface Validated {
  spec: StackSpec;
}

/** Validates a raw stack config object ({ platform, assistants }). Returns every problem or the typed spec. */
export function validateSpec(raw: unknown, opts: ValidateOptions = {}): { spec?: StackSpec; errors: SpecError[] } {
  const parsed = StackSpec.safeParse(raw, { reportInput: true });
  if (!parsed.success) return { errors: schemaErrors(parsed.error) };
  const spec = parsed.data;
  const errors = crossFieldErrors(spec, opts);
  spec.assistants.forEach((a, i) => {
    if (a.aws && !errors.some((e) => e.path.startsWith(`assistants[${i}]`))) errors.push(...planAwsAssistant(a, i, spec.platform).errors);
  });
  if (!errors.length) errors.push(...cloudErrors(spec, opts.stack ?? "stack"));
  if (!errors.length) errors.push(...planStackAudit(spec).errors);
  return errors.length ? { errors } : { spec, errors: [] };
}

/** Like validateSpec, but throws SpecValidationError with every problem. */
export function loadSpec(raw: unknown, opts: ValidateOptions & { source?: string } = {}): StackSpec {
  const { spec, errors } = validateSpec(raw, opts);
  if (!spec) throw new SpecValidationError(errors, opts.source);
  return spec;
}
