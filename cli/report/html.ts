/**
 * The auditor's report as one self-contained HTML page: inline CSS, the access graph as inline SVG
 * (laid out by Graphviz), no script, no external fetch (a Content-Security-Policy of default-src
 * 'none' says so to the browser too). Pure apart from loading Graphviz's WASM: reads only the
 * inventory and an optional clock (default the inventory's generatedAt). Every configuration string
 * is HTML-escaped; only fields the schema names are rendered; no field holds a secret value.
 */
import type { AssistantEntry, FindingEntry, Inventory, Severity } from "../../core/inventory/schema";
import { type InventorySummary, SEVERITIES, instantOf, summarize } from "../../core/inventory/summary";
import { escapeHtml as h } from "./escape";
import { CLOUD_STYLE, renderAccessGraphSvg } from "./graph";
import { type ReportOptions, sortFindings, verdict } from "./markdown";

export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const CSS = `
:root{--ink:#0f172a;--muted:#475569;--faint:#94a3b8;--line:#e2e8f0;--bg:#f8fafc;--card:#fff;--navy:#0f2a4a;
--crit:#7f1d1d;--high:#b91c1c;--med:#b45309;--low:#1d4ed8;--ok:#15803d}
*{box-sizing:border-box}
html{background:var(--bg)}
body{margin:0;font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink)}
header.top{background:var(--navy);color:#fff;padding:28px 40px 24px}
header.top .eyebrow{text-transform:uppercase;letter-spacing:.12em;font-size:11px;color:#93c5fd;font-weight:600}
header.top h1{margin:4px 0 6px;font-size:26px;font-weight:650;letter-spacing:-.01em}
header.top .meta{color:#cbd5e1;font-size:13px}
header.top .meta span+span:before{content:"·";margin:0 8px;color:#64748b}
main{max-width:1280px;margin:0 auto;padding:24px 40px 48px}
.verdict{display:flex;align-items:center;gap:12px;padding:14px 18px;border-radius:8px;font-weight:600;margin:0 0 20px;border:1px solid}
.verdict.fail{background:#fef2f2;border-color:#fecaca;color:var(--high)}
.verdict.pass{background:#f0fdf4;border-color:#bbf7d0;color:var(--ok)}
.verdict .mark{display:inline-flex;width:26px;height:26px;border-radius:50%;align-items:center;justify-content:center;color:#fff;font-size:15px}
.verdict.fail .mark{background:var(--high)}.verdict.pass .mark{background:var(--ok)}
h2{font-size:18px;margin:32px 0 12px;padding-bottom:6px;border-bottom:2px solid var(--line)}
h3{font-size:17px;margin:0}
h4{font-size:13px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:18px 0 8px}
.cards{display:grid;grid-template-columns:repeat(8,minmax(0,1fr));gap:12px}
.cards .card.findings{grid-column:span 2}
@media (max-width:1100px){.cards{grid-template-columns:repeat(4,minmax(0,1fr))}}
@media (max-width:640px){.cards{grid-template-columns:repeat(2,minmax(0,1fr))}}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px;border-top:3px solid var(--navy)}
.card .label{font-size:11px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.05em;min-height:2.9em;line-height:1.35}
.card .value{font-size:30px;font-weight:700;line-height:1.2;margin:4px 0 2px;font-variant-numeric:tabular-nums}
.card .sub{font-size:12px;color:var(--muted)}
.card.bad{border-top-color:var(--high)}.card.bad .value{color:var(--high)}
.card.warn{border-top-color:var(--med)}.card.warn .value{color:var(--med)}
.card.good{border-top-color:var(--ok)}
.sevbar{display:flex;gap:6px;flex-wrap:wrap;margin-top:6px}
.sev{display:inline-block;padding:1px 8px;border-radius:999px;font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.04em;color:#fff;white-space:nowrap}
.sev.critical{background:var(--crit)}.sev.high{background:var(--high)}.sev.medium{background:var(--med)}.sev.low{background:var(--low)}
.sev.zero{background:#e2e8f0;color:var(--muted)}
.pill{display:inline-block;padding:1px 8px;border-radius:999px;font-size:11px;font-weight:600;border:1px solid var(--line);background:#f1f5f9;color:var(--muted);white-space:nowrap}
.pill.mandatory{background:#fef2f2;border-color:#fecaca;color:var(--high)}
.pill.advisory{background:#fffbeb;border-color:#fde68a;color:var(--med)}
.pill.revoked,.pill.expired,.pill.overdue{background:#fef2f2;border-color:#fecaca;color:var(--high)}
.pill.active,.pill.ok{background:#f0fdf4;border-color:#bbf7d0;color:var(--ok)}
.pill.expiring{background:#fffbeb;border-color:#fde68a;color:var(--med)}
.pill.env-prod{background:#0f2a4a;color:#fff;border-color:#0f2a4a}
.panel{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 18px}
.graph{overflow-x:auto;text-align:center;padding:18px}
.graph svg.access-graph{width:100%;height:auto;display:inline-block}
.legend{display:flex;gap:16px;flex-wrap:wrap;font-size:12px;color:var(--muted);margin-top:10px;justify-content:center}
.legend i{display:inline-block;width:12px;height:12px;border-radius:3px;border:1.5px solid;margin-right:5px;vertical-align:-2px}
table{width:100%;border-collapse:collapse;background:var(--card);font-size:12.5px}
.tablewrap{overflow-x:auto;border:1px solid var(--line);border-radius:8px}
th{background:#f1f5f9;text-align:left;font-weight:600;color:var(--muted);font-size:11.5px;text-transform:uppercase;letter-spacing:.04em;padding:8px 10px;border-bottom:1px solid var(--line);white-space:nowrap}
td{padding:8px 10px;border-bottom:1px solid var(--line);vertical-align:top}
tr:last-child td{border-bottom:0}
code{font:11.5px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;background:#f1f5f9;border-radius:4px;padding:1px 4px;overflow-wrap:anywhere}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.date{white-space:nowrap;font-variant-numeric:tabular-nums}
ul.chips.standards code{white-space:nowrap;overflow-wrap:normal}
.none{color:var(--faint);font-style:italic}
.muted{color:var(--muted)}
.assistant{margin-top:22px;background:var(--card);border:1px solid var(--line);border-radius:10px;overflow:hidden}
.assistant>.head{display:flex;flex-wrap:wrap;align-items:center;gap:10px;padding:14px 18px;background:#f8fafc;border-bottom:1px solid var(--line)}
.assistant>.body{padding:4px 18px 18px}
.assistant .facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 18px;margin:12px 0 0;font-size:13px}
.assistant .facts dt{color:var(--muted);font-weight:600}
.assistant .facts dd{margin:0}
ul.chips{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px}
footer{max-width:1280px;margin:0 auto;padding:18px 40px 40px;color:var(--faint);font-size:12px;border-top:1px solid var(--line)}
@media print{header.top{-webkit-print-color-adjust:exact;print-color-adjust:exact}.assistant{break-inside:avoid}main{padding:0 16px}}
`;

function sevChip(sev: Severity, n?: number): string {
  const cls = n === 0 ? `sev ${sev} zero` : `sev ${sev}`;
  return `<span class="${cls}">${n === undefined ? h(sev) : `${n} ${h(sev)}`}</span>`;
}

function date(x: string): string {
  return `<span class="date">${h(x)}</span>`;
}

function codes(xs: readonly string[], max = 14, cls = ""): string {
  if (!xs.length) return `<span class="none">none</span>`;
  const shown = xs.slice(0, max).map((x) => `<li><code>${h(x)}</code></li>`).join("");
  const more = xs.length > max ? `<li class="muted">and ${xs.length - max} more</li>` : "";
  return `<ul class="chips${cls ? ` ${cls}` : ""}">${shown}${more}</ul>`;
}

function tbl(head: string[], rows: string[][], cls = ""): string {
  if (!rows.length) return `<p class="none">None.</p>`;
  return `<div class="tablewrap"><table${cls ? ` class="${cls}"` : ""}><thead><tr>${head.map((x) => `<th>${x}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`)
    .join("")}</tbody></table></div>`;
}

function duration(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600} h` : seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

function card(label: string, value: number | string, sub: string, tone: "" | "bad" | "warn" | "good" = ""): string {
  return `<div class="card ${tone}" data-metric="${h(label)}"><div class="label">${h(label)}</div><div class="value">${h(value)}</div><div class="sub">${sub}</div></div>`;
}

function summaryCards(s: InventorySummary): string {
  const sev = SEVERITIES.map((x) => sevChip(x, s.findingsBySeverity[x])).join("");
  return `<section class="cards" aria-label="Summary">
${card("Assistants", s.assistants, `${s.revokedAssistants} revoked · ${s.expiredAssistants} expired · ${s.expiringAssistants.length} expiring ≤ ${s.windowDays} d`)}
${card("Identities", s.identities, `AWS ${s.identitiesByCloud.aws} · Google Cloud ${s.identitiesByCloud.gcp} · GitHub ${s.identitiesByCloud.github}`)}
${card("Access targets", s.accessTargets, `${s.grantedActions} actions / roles granted`)}
${card("Static credentials", s.staticCredentials, `${s.activeStaticCredentials} active`, s.activeStaticCredentials ? "warn" : "good")}
${card("Overdue rotations", s.overdueRotations.length, s.overdueRotations.length ? s.overdueRotations.map((d) => h(d.credential)).join(", ") : "none", s.overdueRotations.length ? "bad" : "good")}
${card("Expiring exceptions", s.expiringExceptions.length, `within ${s.windowDays} days${s.expiredExceptions.length ? ` · <b>${s.expiredExceptions.length} expired</b>` : ""}`, s.expiredExceptions.length ? "bad" : s.expiringExceptions.length ? "warn" : "good")}
<div class="card findings ${s.findingsByLevel.mandatory ? "bad" : s.findings ? "warn" : "good"}" data-metric="Findings"><div class="label">Findings by severity</div><div class="value">${s.findings}</div><div class="sub">${s.findingsByLevel.mandatory} mandatory · ${s.findingsByLevel.advisory} advisory</div><div class="sevbar">${sev}</div></div>
</section>`;
}

function where(f: FindingEntry): string {
  const loc = f.location ? `<code>${h(`${f.location.file}:${f.location.line}`)}</code><br>` : "";
  return `${loc}<code class="urn">${h(f.resource)}</code>`;
}

function findingsTable(fs: readonly FindingEntry[], withAssistant: boolean): string {
  return tbl(
    ["Severity", "Level", "Rule", ...(withAssistant ? ["Assistant"] : []), "Finding", "Fix", "Standards", "Where"],
    sortFindings(fs).map((f) => [
      sevChip(f.severity),
      `<span class="pill ${h(f.level)}">${h(f.level)}</span>`,
      `<code>${h(f.ruleId)}</code><div class="muted">${h(f.title)}</div>`,
      ...(withAssistant ? [f.assistant ? h(f.assistant) : `<span class="none">stack</span>`] : []),
      `${h(f.message)}${f.path ? `<div class="muted">at <code>${h(f.path)}</code></div>` : ""}`,
      h(f.fix),
      codes(f.standards, 8, "standards"),
      where(f),
    ]),
    "findings",
  );
}

function assistantSection(a: AssistantEntry, ai: number, inv: Inventory, s: InventorySummary): string {
  const nowMs = Date.parse(s.now);
  const expired = instantOf(a.expires) <= nowMs;
  const expiring = s.expiringAssistants.some((x) => x.assistant === a.name);
  const status = a.revoked ? `<span class="pill revoked">revoked</span>` : expired ? `<span class="pill expired">expired</span>` : expiring ? `<span class="pill expiring">expiring</span>` : `<span class="pill active">active</span>`;
  const overdue = new Set([...s.overdueRotations, ...s.expiredExceptions].filter((d) => d.assistant === a.name).map((d) => d.credential));
  const soon = new Set(s.expiringExceptions.filter((d) => d.assistant === a.name).map((d) => d.credential));
  const fs = inv.findings.filter((f) => f.assistant === a.name);
  const log = (x: AssistantEntry["audit"]["toolCalls"]) => (x ? [`<code>${h(x.destination)}</code>`, `<code>${h(x.query)}</code>`] : [`<span class="pill overdue">not configured</span>`, `<span class="none">—</span>`]);
  return `<section class="assistant" id="assistant-section-${ai}">
<div class="head"><h3>${h(a.name)}</h3><span class="pill env-${h(a.environment)}">${h(a.environment)}</span>${status}${fs.length ? `<span class="pill ${fs.some((f) => f.level === "mandatory") ? "mandatory" : "advisory"}">${fs.length} ${fs.length === 1 ? "finding" : "findings"}</span>` : ""}</div>
<div class="body">
<dl class="facts">
<dt>Owner</dt><dd>${h(a.owner.team)} · ${h(a.owner.contact)}</dd>
<dt>Purpose</dt><dd>${h(a.purpose)}</dd>
<dt>Expires</dt><dd>${date(a.expires)}</dd>
${a.revokeSessionsIssuedBefore ? `<dt>Sessions</dt><dd>issued before ${h(a.revokeSessionsIssuedBefore)} are denied</dd>` : ""}
</dl>
<h4>Identities</h4>
${tbl(
  ["Cloud", "Kind", "Identity", "Issuer", "Subject", "Audience", "Max session", "Boundary"],
  a.identities.map((i) => [
    h(CLOUD_STYLE[i.cloud].label),
    h(i.kind),
    `<code>${h(i.id)}</code>`,
    `<code>${h(i.issuer)}</code>`,
    `<code>${h(i.subject)}</code>`,
    `<code>${h(i.audience)}</code>`,
    duration(i.maxSessionSeconds),
    i.boundaryArn ? `<code>${h(i.boundaryArn)}</code>` : `<span class="none">none</span>`,
  ]),
)}
<h4>Access</h4>
${tbl(
  ["System", "Target", "Resources", "Actions / roles", "Until"],
  a.access.map((x) => [h(CLOUD_STYLE[x.system].label), `<code>${h(x.target)}</code>`, codes(x.resources, 6), codes(x.actions), date(x.expires)]),
)}
<h4>Static credentials</h4>
${tbl(
  ["Credential", "System", "Store", "Reference", "Owner", "Justification", "Rotation", "Last rotated", "Next rotation", "Exception until", "State"],
  a.staticCredentials.map((c) => [
    `<code>${h(c.id)}</code>`,
    h(c.system),
    h(c.store),
    `<code>${h(c.storeRef)}</code>`,
    h(c.owner),
    h(c.justification),
    `every ${c.rotationDays} d`,
    c.lastRotated ? date(c.lastRotated) : `<span class="none">never</span>`,
    date(c.nextRotation),
    date(c.exceptionExpires),
    c.disabled ? `<span class="pill">disabled</span>` : overdue.has(c.id) ? `<span class="pill overdue">overdue</span>` : soon.has(c.id) ? `<span class="pill expiring">exception expiring</span>` : `<span class="pill ok">ok</span>`,
  ]),
)}
<h4>Audit logs</h4>
${tbl(["Events", "Destination", "Query"], [["Tool calls", ...log(a.audit.toolCalls)], ["Secret access", ...log(a.audit.secretAccess)]])}
<h4>Findings</h4>
${findingsTable(fs, false)}
</div>
</section>`;
}

function dueTable(s: InventorySummary): string {
  const rows = [
    ...s.overdueRotations.map((d) => [h(d.assistant), `<code>${h(d.credential)}</code>`, `<span class="pill overdue">rotation overdue</span>`, date(d.due), `${-d.days} days ago`]),
    ...s.expiredExceptions.map((d) => [h(d.assistant), `<code>${h(d.credential)}</code>`, `<span class="pill overdue">exception expired</span>`, date(d.due), `${-d.days} days ago`]),
    ...s.expiringExceptions.map((d) => [h(d.assistant), `<code>${h(d.credential)}</code>`, `<span class="pill expiring">exception expiring</span>`, date(d.due), `in ${d.days} days`]),
    ...s.expiringAssistants.map((d) => [h(d.assistant), `<span class="none">—</span>`, `<span class="pill expiring">assistant expiring</span>`, date(d.expires), `in ${d.days} days`]),
  ];
  return rows.length ? `<h2>Due dates</h2>${tbl(["Assistant", "Credential", "What", "Date", "When"], rows, "due")}` : "";
}

function legend(): string {
  const item = (fill: string, border: string, text: string) => `<span><i style="background:${fill};border-color:${border}"></i>${text}</span>`;
  return `<div class="legend">${item("#0f2a4a", "#0f2a4a", "assistant")}${item("#7f1d1d", "#7f1d1d", "revoked / expired assistant")}${(["aws", "gcp", "github"] as const)
    .map((c) => item(CLOUD_STYLE[c].fill, CLOUD_STYLE[c].border, `${CLOUD_STYLE[c].label} identity`))
    .join("")}${item("#ffffff", "#64748b", "target system / resource")}${item("#fef3c7", "#b45309", "static credential")}${item("#fee2e2", "#b91c1c", "overdue credential")}</div>`;
}

/** The report page. Async only because Graphviz's WASM loads asynchronously. */
export async function renderHtml(inv: Inventory, opts: ReportOptions = {}): Promise<string> {
  const now = opts.now ?? new Date(inv.generatedAt);
  const s = summarize(inv, now);
  const v = verdict(s);
  const svg = inv.assistants.length ? await renderAccessGraphSvg(inv, { now }) : `<p class="none">No assistants.</p>`;
  const title = `AI assistant identity audit: ${inv.project} / ${inv.stack}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="assistant-identities">
<title>${h(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header class="top">
<div class="eyebrow">AI assistant identity audit</div>
<h1>${h(inv.project)} / ${h(inv.stack)}</h1>
<div class="meta"><span>Generated ${h(inv.generatedAt)}</span>${opts.now ? `<span>Evaluated as of ${h(s.now)}</span>` : ""}<span>Inventory schema ${h(inv.schemaVersion)}</span></div>
</header>
<main>
<div class="verdict ${v.pass ? "pass" : "fail"}" role="status"><span class="mark">${v.pass ? "✓" : "!"}</span>${h(v.text)}</div>
${summaryCards(s)}
${dueTable(s)}
<h2>Who can reach what</h2>
<div class="panel graph" id="access-graph">${svg}${legend()}</div>
<h2>Findings</h2>
${findingsTable(inv.findings, true)}
<h2>Assistants</h2>
${inv.assistants.map((a, i) => assistantSection(a, i, inv, s)).join("\n")}
</main>
<footer>Generated by assistant-identities from inventory schema ${h(inv.schemaVersion)}. This report lists identities, grants and credential references only; it contains no secret values. Standards: OWASP Non-Human Identities Top 10, OWASP Agentic Security Initiative, CSA MAESTRO, NIST CSF 2.0.</footer>
</body>
</html>
`;
}
