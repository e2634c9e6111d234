/**
 * The auditor's report as Markdown (for a PR comment, a wiki, or `report.md` next to inventory.json).
 * Pure: reads only the inventory (and an optional clock; default the inventory's generatedAt, so the
 * same inventory always renders the same report). Every string from configuration is escaped. Only
 * fields the schema names are rendered, and no field holds a secret value.
 */
import type { AssistantEntry, FindingEntry, Inventory } from "../../core/inventory/schema";
import { type InventorySummary, SEVERITIES, instantOf, summarize } from "../../core/inventory/summary";
import { escapeMarkdown as e, markdownCode as code } from "./escape";

export interface ReportOptions {
  /** The clock for overdue/expiring (default: the inventory's generatedAt). */
  now?: Date;
}

const SEVERITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export function sortFindings(fs: readonly FindingEntry[]): FindingEntry[] {
  return [...fs].sort(
    (a, b) =>
      (a.level === b.level ? 0 : a.level === "mandatory" ? -1 : 1) ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.resource.localeCompare(b.resource),
  );
}

export function verdict(s: InventorySummary): { pass: boolean; text: string } {
  const m = s.findingsByLevel.mandatory;
  if (m > 0) return { pass: false, text: `FAIL: ${m} mandatory ${m === 1 ? "finding" : "findings"} block deployment` };
  return { pass: true, text: `PASS: no mandatory findings${s.findingsByLevel.advisory ? ` (${s.findingsByLevel.advisory} advisory)` : ""}` };
}

function table(head: string[], rows: string[][]): string[] {
  if (!rows.length) return ["_None._", ""];
  return [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`), ""];
}

function duration(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600} h` : seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

function list(xs: readonly string[], max = 12): string {
  const shown = xs.slice(0, max).map(code).join(", ");
  return xs.length > max ? `${shown} and ${xs.length - max} more` : shown || "—";
}

function where(f: FindingEntry): string {
  return f.location ? `${code(`${f.location.file}:${f.location.line}`)}<br>${code(f.resource)}` : code(f.resource);
}

function findingRows(fs: readonly FindingEntry[], withAssistant: boolean): string[][] {
  return sortFindings(fs).map((f) => [
    e(f.severity),
    e(f.level),
    code(f.ruleId),
    ...(withAssistant ? [f.assistant ? e(f.assistant) : "—"] : []),
    `${e(f.message)}${f.path ? `<br>at ${code(f.path)}` : ""}`,
    e(f.fix),
    f.standards.map(e).join(", ") || "—",
    where(f),
  ]);
}

function assistantSection(a: AssistantEntry, inv: Inventory, s: InventorySummary): string[] {
  const status = a.revoked ? "**revoked**" : instantOf(a.expires) <= Date.parse(s.now) ? "**expired**" : "active";
  const out: string[] = [];
  out.push(`### ${e(a.name)}`, "");
  out.push(`| | |`, `| --- | --- |`);
  out.push(`| Owner | ${e(a.owner.team)} (${e(a.owner.contact)}) |`);
  out.push(`| Purpose | ${e(a.purpose)} |`);
  out.push(`| Environment | ${e(a.environment)} |`);
  out.push(`| Expires | ${e(a.expires)} |`);
  out.push(`| Status | ${status} |`);
  if (a.revokeSessionsIssuedBefore) out.push(`| Sessions issued before | ${e(a.revokeSessionsIssuedBefore)} are denied |`);
  out.push("");
  out.push(`#### Identities`, "");
  out.push(
    ...table(
      ["Cloud", "Kind", "Identity", "Issuer", "Subject", "Audience", "Max session", "Boundary"],
      a.identities.map((i) => [e(i.cloud), e(i.kind), code(i.id), code(i.issuer), code(i.subject), code(i.audience), duration(i.maxSessionSeconds), i.boundaryArn ? code(i.boundaryArn) : "—"]),
    ),
  );
  out.push(`#### Access`, "");
  out.push(...table(["System", "Target", "Resources", "Actions / roles", "Until"], a.access.map((x) => [e(x.system), code(x.target), list(x.resources, 6), list(x.actions), e(x.expires)])));
  out.push(`#### Static credentials`, "");
  const due = new Set([...s.overdueRotations, ...s.expiredExceptions].filter((d) => d.assistant === a.name).map((d) => d.credential));
  const soon = new Set(s.expiringExceptions.filter((d) => d.assistant === a.name).map((d) => d.credential));
  out.push(
    ...table(
      ["Credential", "System", "Store", "Reference", "Owner", "Justification", "Rotation", "Last rotated", "Next rotation", "Exception until", "State"],
      a.staticCredentials.map((c) => [
        code(c.id),
        e(c.system),
        e(c.store),
        code(c.storeRef),
        e(c.owner),
        e(c.justification),
        `every ${c.rotationDays} d`,
        c.lastRotated ? e(c.lastRotated) : "—",
        e(c.nextRotation),
        e(c.exceptionExpires),
        c.disabled ? "disabled" : due.has(c.id) ? "**overdue**" : soon.has(c.id) ? "exception expiring" : "ok",
      ]),
    ),
  );
  out.push(`#### Audit logs`, "");
  out.push(
    ...table(
      ["Events", "Destination", "Query"],
      [
        ["Tool calls", a.audit.toolCalls ? code(a.audit.toolCalls.destination) : "**not configured**", a.audit.toolCalls ? code(a.audit.toolCalls.query) : "—"],
        ["Secret access", a.audit.secretAccess ? code(a.audit.secretAccess.destination) : "**not configured**", a.audit.secretAccess ? code(a.audit.secretAccess.query) : "—"],
      ],
    ),
  );
  const fs = inv.findings.filter((f) => f.assistant === a.name);
  out.push(`#### Findings`, "");
  out.push(...table(["Severity", "Level", "Rule", "Finding", "Fix", "Standards", "Where"], findingRows(fs, false)));
  return out;
}

export function renderMarkdown(inv: Inventory, opts: ReportOptions = {}): string {
  const s = summarize(inv, opts.now ?? new Date(inv.generatedAt));
  const v = verdict(s);
  const out: string[] = [];
  out.push(`# AI assistant identity audit: ${e(inv.project)} / ${e(inv.stack)}`, "");
  out.push(`Generated ${e(inv.generatedAt)}${opts.now ? ` · evaluated as of ${e(s.now)}` : ""} · inventory schema ${e(inv.schemaVersion)}`, "");
  out.push(`**${v.text}**`, "");
  out.push(`## Summary`, "");
  const sev = SEVERITIES.map((x) => `${s.findingsBySeverity[x]} ${x}`).join(", ");
  out.push(
    ...table(
      ["", ""],
      [
        ["Assistants", `${s.assistants} (${s.revokedAssistants} revoked, ${s.expiredAssistants} expired, ${s.expiringAssistants.length} expiring within ${s.windowDays} days)`],
        ["Identities", `${s.identities} (AWS ${s.identitiesByCloud.aws}, Google Cloud ${s.identitiesByCloud.gcp}, GitHub ${s.identitiesByCloud.github})`],
        ["Access", `${s.accessTargets} targets, ${s.grantedActions} granted actions/roles`],
        ["Static credentials", `${s.staticCredentials} (${s.activeStaticCredentials} active)`],
        ["Overdue rotations", `${s.overdueRotations.length}`],
        ["Expiring exceptions", `${s.expiringExceptions.length} within ${s.windowDays} days, ${s.expiredExceptions.length} already expired`],
        ["Assistants without full audit logging", s.assistantsWithoutAuditLogs.length ? s.assistantsWithoutAuditLogs.map(e).join(", ") : "none"],
        ["Findings", `${s.findings}: ${s.findingsByLevel.mandatory} mandatory, ${s.findingsByLevel.advisory} advisory (${sev})`],
      ],
    ),
  );
  const dues = [
    ...s.overdueRotations.map((d) => [e(d.assistant), code(d.credential), "rotation overdue", e(d.due), `${-d.days} days ago`]),
    ...s.expiredExceptions.map((d) => [e(d.assistant), code(d.credential), "exception expired", e(d.due), `${-d.days} days ago`]),
    ...s.expiringExceptions.map((d) => [e(d.assistant), code(d.credential), "exception expiring", e(d.due), `in ${d.days} days`]),
    ...s.expiringAssistants.map((d) => [e(d.assistant), "—", "assistant expiring", e(d.expires), `in ${d.days} days`]),
  ];
  if (dues.length) {
    out.push(`## Due dates`, "");
    out.push(...table(["Assistant", "Credential", "What", "Date", "When"], dues));
  }
  out.push(`## Findings`, "");
  out.push(...table(["Severity", "Level", "Rule", "Assistant", "Finding", "Fix", "Standards", "Where"], findingRows(inv.findings, true)));
  out.push(`## Who can reach what`, "");
  const reach: string[][] = [];
  for (const a of inv.assistants) for (const x of a.access) reach.push([e(a.name), a.identities.filter((i) => i.cloud === x.system).map((i) => code(i.id)).join("<br>") || "**none**", e(x.system), code(x.target), `${x.actions.length}`, e(x.expires)]);
  for (const a of inv.assistants) for (const c of a.staticCredentials) reach.push([e(a.name), `static ${code(c.id)}`, e(c.system), code(c.storeRef), "—", e(c.exceptionExpires)]);
  out.push(...table(["Assistant", "Via", "System", "Target", "Actions", "Until"], reach));
  out.push(`## Assistants`, "");
  for (const a of inv.assistants) out.push(...assistantSection(a, inv, s));
  out.push("---", "", "_This report lists identities, grants and credential references only: it contains no secret values._", "");
  return out.join("\n");
}
