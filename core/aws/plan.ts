/**
 * The AWS plan of one assistant: everything the component renders, computed from the validated
 * spec alone. Fails closed: a raw statement the analysis core rejects, or grants that cannot fit
 * AWS's quotas, is an error naming the spec path.
 */
import { judgeRawStatements } from "../iam";
import { awsFederation, type Federation } from "../oidc/subjects";
import type { Assistant, AwsRawStatement, Platform } from "../spec/schema";
import type { SpecError } from "../spec/errors";
import { expandGrant, type PlannedGrant } from "./grants";
import { QUOTAS, packStatements } from "./pack";
import { expiryInstant, oidcProviderArn, trustPolicy } from "./trust";
import { doc, policySize, type AwsScope, type IamDocument, type IamStatement } from "./types";

export const MANAGED_BY = "assistant-identities";
export const ROLE_PATH = "/assistants/";
/** AWS accepts MaxSessionDuration from 3600 to 43200 s: the toolkit always uses the floor. */
export const ROLE_MIN_MAX_SESSION = 3600;

export interface AwsAssistantPlan {
  roleName: string;
  rolePath: string;
  scope: AwsScope;
  federation: Federation;
  /** ARN of the OIDC provider the role trusts (created by the stack or existing). */
  providerArn: string;
  /** True when the provider already exists in the account and the stack must not create it. */
  providerExists: boolean;
  trustPolicy: IamDocument;
  /** The role's MaxSessionDuration: AWS's floor is 3600 s, so this is always 3600 (the spec caps it there). */
  maxSessionDuration: number;
  /** The session length the workload should request (DurationSeconds, 900-3600), from the spec. */
  sessionSeconds: number;
  /** The expanded grants, for outputs and the inventory. */
  grants: PlannedGrant[];
  /** Inline grant policies (0 or 1) and managed ones (0-10). */
  inlinePolicies: IamDocument[];
  managedPolicies: IamDocument[];
  /** Deny statements of the kill switch, or null when the assistant is live. */
  killSwitch: IamDocument | null;
  tags: Record<string, string>;
  expiresAt: string;
}

export function assistantTags(a: Assistant): Record<string, string> {
  return {
    "ai-assistant": a.name,
    "ai-owner": a.owner.team,
    "ai-contact": a.owner.contact,
    "ai-environment": a.environment,
    "ai-expires": a.expires,
    "managed-by": MANAGED_BY,
  };
}

export function roleName(prefix: string, a: Pick<Assistant, "name" | "environment">): string {
  return `${prefix}-${a.name}-${a.environment}`;
}

function withExpiry(s: IamStatement, expiresAt: string): IamStatement {
  return { ...s, Condition: { ...(s.Condition ?? {}), DateLessThan: { "aws:CurrentTime": expiresAt } } };
}

function rawToStatement(r: AwsRawStatement): IamStatement {
  const s: IamStatement = { Effect: "Allow", Action: r.actions, Resource: r.resources };
  if (r.sid) s.Sid = r.sid;
  if (r.conditions) s.Condition = r.conditions;
  return s;
}

/** `Statement[0].Action[2]` (the analysed document) → `.actions[2]` (the spec's raw statement). */
function specPathOf(docPath: string | undefined): string {
  const m = /^Statement\[0\]\.(Action|Resource|Condition)(.*)$/.exec(docPath ?? "");
  if (!m) return "";
  return `.${{ Action: "actions", Resource: "resources", Condition: "conditions" }[m[1] as "Action" | "Resource" | "Condition"]}${m[2]}`;
}

export function killSwitchPolicy(a: Pick<Assistant, "revoked" | "revokeSessionsIssuedBefore">): IamDocument | null {
  const statements: IamStatement[] = [];
  if (a.revoked) statements.push({ Sid: "KillSwitchDenyAll", Effect: "Deny", Action: ["*"], Resource: ["*"] });
  if (a.revokeSessionsIssuedBefore) {
    statements.push({
      Sid: "RevokeOlderSessions",
      Effect: "Deny",
      Action: ["*"],
      Resource: ["*"],
      Condition: { DateLessThan: { "aws:TokenIssueTime": wholeSecondsUp(a.revokeSessionsIssuedBefore) } },
    });
  }
  return statements.length ? doc(statements) : null;
}

/**
 * An instant as whole seconds in UTC, rounded up when it has any fraction (nanoseconds included):
 * a cutoff of …:00.750Z must still deny a session issued at …:00Z.
 */
export function wholeSecondsUp(iso: string): string {
  const second = Math.floor(Date.parse(iso) / 1000) * 1000;
  const fraction = /T[^.]*\.(\d+)/.exec(iso)?.[1] ?? "";
  return new Date(/[1-9]/.test(fraction) ? second + 1000 : second).toISOString().replace(/\.\d{3}Z$/, "Z");
}

type PlanResult = { plan?: AwsAssistantPlan; errors: SpecError[] };
/** Plans are pure functions of (assistant, index, platform): validation and the components share them. */
const planCache = new WeakMap<Platform, WeakMap<Assistant, Map<number, PlanResult>>>();

/** The plan, or the list of problems (each with the spec path), for assistant `index`. */
export function planAwsAssistant(a: Assistant, index: number, platform: Platform): PlanResult {
  let byAssistant = planCache.get(platform);
  if (!byAssistant) planCache.set(platform, (byAssistant = new WeakMap()));
  let byIndex = byAssistant.get(a);
  if (!byIndex) byAssistant.set(a, (byIndex = new Map()));
  const hit = byIndex.get(index);
  if (hit) return hit;
  const result = computeAwsPlan(a, index, platform);
  byIndex.set(index, result);
  return result;
}

function computeAwsPlan(a: Assistant, index: number, platform: Platform): PlanResult {
  const base = `assistants[${index}].aws`;
  const errors: SpecError[] = [];
  const aws = a.aws;
  if (!aws) return { errors: [{ path: base, message: "expected an aws section" }] };
  if (!platform.aws) return { errors: [{ path: "platform.aws", message: "expected platform.aws (accountId, region) because an assistant declares aws access" }] };
  const scope: AwsScope = { partition: platform.aws.partition, accountId: aws.accountId ?? platform.aws.accountId, region: platform.aws.region };
  const federation = awsFederation(a.source);
  const existing = platform.aws.existingOidcProviders[federation.issuer];
  const providerArn = existing ?? oidcProviderArn(scope, federation.issuerHost);
  const expiresAt = expiryInstant(a.expires);

  const grants = aws.grants.map((g) => expandGrant(g, scope));
  aws.statements.forEach((r, i) => {
    for (const f of judgeRawStatements([rawToStatement(r)])) {
      errors.push({ path: `${base}.statements[${i}]${specPathOf(f.path)}`, message: `${f.message.replace(/^Statement\[0\]\S*\s+/, "")} (fix: ${f.fix})` });
    }
    grants.push({ kind: "raw", target: r.sid ?? `statement ${i}`, access: "write", statements: [rawToStatement(r)] });
  });
  if (grants.length === 0) errors.push({ path: `${base}.grants`, message: "expected at least one grant or statement: an aws section with no access creates a role that can do nothing" });

  const trust = trustPolicy(federation, providerArn, a.expires);
  if (policySize(trust) > QUOTAS.trust) {
    errors.push({ path: `assistants[${index}].source`, message: `the trust policy is ${policySize(trust)} characters; AWS allows ${QUOTAS.trust} by default: shorten the subject` });
  }

  const killSwitch = killSwitchPolicy(a);
  const packed = packStatements(
    grants.flatMap((g) => g.statements.map((s) => withExpiry(s, expiresAt))),
    killSwitch ? policySize(killSwitch) : 0,
  );
  if (!packed.ok) errors.push({ path: `${base}.grants`, message: packed.error });
  if (errors.length) return { errors };

  return {
    errors: [],
    plan: {
      roleName: roleName(platform.namePrefix, a),
      rolePath: ROLE_PATH,
      scope,
      federation,
      providerArn,
      providerExists: existing !== undefined,
      trustPolicy: trust,
      maxSessionDuration: ROLE_MIN_MAX_SESSION,
      sessionSeconds: a.maxSessionSeconds,
      grants,
      inlinePolicies: packed.ok ? packed.inline : [],
      managedPolicies: packed.ok ? packed.managed : [],
      killSwitch,
      tags: assistantTags(a),
      expiresAt,
    },
  };
}
