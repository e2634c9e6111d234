/**
 * The numbers an auditor reads in one minute, computed from an inventory and a `now` (pure: the
 * caller passes the clock, so reports are reproducible).
 */
import type { Inventory, Level, Severity } from "./schema";

export const EXPIRY_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

export const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low"];
export const LEVELS: readonly Level[] = ["mandatory", "advisory"];

/** A date (YYYY-MM-DD, read as 00:00Z) or an instant, as epoch milliseconds. */
export function instantOf(s: string): number {
  return Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s);
}

export interface CredentialDue {
  assistant: string;
  credential: string;
  store: string;
  storeRef: string;
  /** The date that is due (nextRotation or exceptionExpires). */
  due: string;
  /** Calendar days (UTC) from now to due: negative when past. */
  days: number;
}

export interface AssistantDue {
  assistant: string;
  expires: string;
  days: number;
}

export interface InventorySummary {
  project: string;
  stack: string;
  generatedAt: string;
  now: string;
  assistants: number;
  /** Revoked (kill switch on). */
  revokedAssistants: number;
  /** Past their `expires` day. */
  expiredAssistants: number;
  /** Not revoked and expiring within the window. */
  expiringAssistants: AssistantDue[];
  identities: number;
  identitiesByCloud: Record<"aws" | "gcp" | "github", number>;
  /** Target systems (access entries). */
  accessTargets: number;
  /** Sum of granted actions/roles/permissions over all access entries. */
  grantedActions: number;
  staticCredentials: number;
  /** Static credentials not disabled. */
  activeStaticCredentials: number;
  /** Active static credentials whose nextRotation is past. */
  overdueRotations: CredentialDue[];
  /** Active static credentials whose exception has already ended. */
  expiredExceptions: CredentialDue[];
  /** Active static credentials whose exception ends within the window (not already ended). */
  expiringExceptions: CredentialDue[];
  /** Assistants without a tool-call or secret-access log sink. */
  assistantsWithoutAuditLogs: string[];
  findings: number;
  findingsByLevel: Record<Level, number>;
  findingsBySeverity: Record<Severity, number>;
  windowDays: number;
}

/** Calendar days (UTC) from one instant's day to another's: 2026-11-15T12:00Z → 2026-10-31 is -15. */
function daysBetween(fromMs: number, toMs: number): number {
  const day = (ms: number) => Math.floor(ms / DAY_MS);
  return day(toMs) - day(fromMs);
}

export function summarize(inv: Inventory, now: Date, windowDays: number = EXPIRY_WINDOW_DAYS): InventorySummary {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new Error("summarize: now is not a valid date");
  const windowEnd = nowMs + windowDays * DAY_MS;

  const identitiesByCloud = { aws: 0, gcp: 0, github: 0 };
  const overdueRotations: CredentialDue[] = [];
  const expiredExceptions: CredentialDue[] = [];
  const expiringExceptions: CredentialDue[] = [];
  const expiringAssistants: AssistantDue[] = [];
  const assistantsWithoutAuditLogs: string[] = [];
  let identities = 0;
  let accessTargets = 0;
  let grantedActions = 0;
  let staticCredentials = 0;
  let activeStaticCredentials = 0;
  let revokedAssistants = 0;
  let expiredAssistants = 0;

  for (const a of inv.assistants) {
    if (a.revoked) revokedAssistants++;
    const exp = instantOf(a.expires);
    if (exp <= nowMs) expiredAssistants++;
    else if (!a.revoked && exp <= windowEnd) expiringAssistants.push({ assistant: a.name, expires: a.expires, days: daysBetween(nowMs, exp) });
    if (!a.audit.toolCalls || !a.audit.secretAccess) assistantsWithoutAuditLogs.push(a.name);

    for (const id of a.identities) {
      identities++;
      identitiesByCloud[id.cloud]++;
    }
    for (const x of a.access) {
      accessTargets++;
      grantedActions += x.actions.length;
    }
    for (const c of a.staticCredentials) {
      staticCredentials++;
      if (c.disabled) continue;
      activeStaticCredentials++;
      const base = { assistant: a.name, credential: c.id, store: c.store, storeRef: c.storeRef };
      const next = instantOf(c.nextRotation);
      if (next < nowMs) overdueRotations.push({ ...base, due: c.nextRotation, days: daysBetween(nowMs, next) });
      const ex = instantOf(c.exceptionExpires);
      if (ex <= nowMs) expiredExceptions.push({ ...base, due: c.exceptionExpires, days: daysBetween(nowMs, ex) });
      else if (ex <= windowEnd) expiringExceptions.push({ ...base, due: c.exceptionExpires, days: daysBetween(nowMs, ex) });
    }
  }

  const findingsByLevel: Record<Level, number> = { mandatory: 0, advisory: 0 };
  const findingsBySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of inv.findings) {
    findingsByLevel[f.level]++;
    findingsBySeverity[f.severity]++;
  }

  const byDays = (x: { days: number }, y: { days: number }) => x.days - y.days;
  return {
    project: inv.project,
    stack: inv.stack,
    generatedAt: inv.generatedAt,
    now: now.toISOString(),
    assistants: inv.assistants.length,
    revokedAssistants,
    expiredAssistants,
    expiringAssistants: expiringAssistants.sort(byDays),
    identities,
    identitiesByCloud,
    accessTargets,
    grantedActions,
    staticCredentials,
    activeStaticCredentials,
    overdueRotations: overdueRotations.sort(byDays),
    expiredExceptions: expiredExceptions.sort(byDays),
    expiringExceptions: expiringExceptions.sort(byDays),
    assistantsWithoutAuditLogs,
    findings: inv.findings.length,
    findingsByLevel,
    findingsBySeverity,
    windowDays,
  };
}
