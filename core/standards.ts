/**
 * Standards a finding or an output maps to. Ids and titles are fixed here so rules, SARIF,
 * reports and outputs all say the same thing (see ../shared/reference/identity-facts.md).
 */
export const NHI = {
  NHI1: "Improper Offboarding",
  NHI2: "Secret Leakage",
  NHI3: "Vulnerable Third-Party NHI",
  NHI4: "Insecure Authentication",
  NHI5: "Overprivileged NHI",
  NHI6: "Insecure Cloud Deployment Configurations",
  NHI7: "Long-Lived Secrets",
  NHI8: "Environment Isolation",
  NHI9: "NHI Reuse",
  NHI10: "Human Use of NHI",
} as const;

export const AGENTIC = {
  ASI02: "Tool Misuse and Exploitation",
  ASI03: "Identity and Privilege Abuse",
  ASI10: "Rogue Agents",
} as const;

export const MAESTRO = {
  L1: "Foundation Models",
  L2: "Data Operations",
  L3: "Agent Frameworks",
  L4: "Deployment & Infrastructure",
  L5: "Evaluation & Observability",
  L6: "Security & Compliance",
  L7: "Agent Ecosystem",
} as const;

export const CSF = {
  "PR.AA-01": "Identities and credentials for authorized users, services, and hardware are managed by the organization",
  "PR.AA-03": "Users, services, and hardware are authenticated",
  "PR.AA-05": "Access permissions, entitlements, and authorizations are defined, managed, enforced, and reviewed, and incorporate least privilege",
  "DE.CM-03": "Personnel activity and technology usage are monitored to find potentially adverse events",
  "PR.PS-04": "Log records are generated and made available for continuous monitoring",
} as const;

export type NhiId = keyof typeof NHI;
export type AgenticId = keyof typeof AGENTIC;
export type MaestroId = keyof typeof MAESTRO;
export type CsfId = keyof typeof CSF;

export interface Standards {
  nhi: NhiId[];
  agentic: AgenticId[];
  maestro: MaestroId[];
  csf: CsfId[];
}

/** Flat ids, e.g. ["OWASP-NHI5", "OWASP-ASI03", "MAESTRO-L4", "NIST-CSF-PR.AA-05"], for tags and SARIF. */
export function standardIds(s: Standards): string[] {
  return [
    ...s.nhi.map((x) => `OWASP-${x}`),
    ...s.agentic.map((x) => `OWASP-${x}`),
    ...s.maestro.map((x) => `MAESTRO-${x}`),
    ...s.csf.map((x) => `NIST-CSF-${x}`),
  ];
}

/** One line for a message: "OWASP NHI5 Overprivileged NHI; OWASP ASI03; MAESTRO L4; NIST CSF PR.AA-05". */
export function standardsLine(s: Standards): string {
  const parts: string[] = [];
  for (const x of s.nhi) parts.push(`OWASP ${x} ${NHI[x]}`);
  for (const x of s.agentic) parts.push(`OWASP ${x} ${AGENTIC[x]}`);
  for (const x of s.maestro) parts.push(`MAESTRO ${x}`);
  for (const x of s.csf) parts.push(`NIST CSF ${x}`);
  return parts.join("; ");
}

/** A human title for a flat standards id, e.g. "OWASP-NHI5" → "OWASP NHI5 Overprivileged NHI". */
export function standardTitle(id: string): string {
  let m = /^OWASP-(NHI\d+)$/.exec(id);
  if (m && m[1] in NHI) return `OWASP ${m[1]} ${NHI[m[1] as keyof typeof NHI]}`;
  m = /^OWASP-(ASI\d+)$/.exec(id);
  if (m && m[1] in AGENTIC) return `OWASP ${m[1]} ${AGENTIC[m[1] as keyof typeof AGENTIC]}`;
  m = /^MAESTRO-(L\d)$/.exec(id);
  if (m && m[1] in MAESTRO) return `CSA MAESTRO ${m[1]} ${MAESTRO[m[1] as keyof typeof MAESTRO]}`;
  m = /^NIST-CSF-(.+)$/.exec(id);
  if (m && m[1] in CSF) return `NIST CSF 2.0 ${m[1]}: ${CSF[m[1] as keyof typeof CSF]}`;
  return id;
}

/** What a standards matrix row needs of a rule. */
export interface StandardsRow {
  id: string;
  enforcementLevel: string;
  standards: Standards;
}

/**
 * The standards matrix of a rule set, as Markdown (docs/policy-pack.md carries it between its
 * standards markers): one row per rule with its ids and titles, the NIST CSF titles of the ids used,
 * and per OWASP NHI / Agentic id the rules that map to it ("—" where none does: a gap said out loud).
 */
export function standardsMatrix(rows: readonly StandardsRow[]): string {
  const titled = (ids: readonly string[], titles: Readonly<Record<string, string>>) => ids.map((x) => `${x} ${titles[x]}`).join("; ") || "—";
  const out = [
    "| rule | level | OWASP NHI Top 10 (2025) | OWASP Agentic (ASI) | CSA MAESTRO layer | NIST CSF 2.0 |",
    "|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| \`${r.id}\` | ${r.enforcementLevel} | ${titled(r.standards.nhi, NHI)} | ${titled(r.standards.agentic, AGENTIC)} | ${titled(r.standards.maestro, MAESTRO)} | ${r.standards.csf.join("; ") || "—"} |`,
    ),
    "",
    "NIST CSF 2.0 subcategories used above:",
    "",
  ];
  const csfUsed = (Object.keys(CSF) as CsfId[]).filter((x) => rows.some((r) => r.standards.csf.includes(x)));
  for (const x of csfUsed) out.push(`- ${x}: ${CSF[x]}`);
  out.push("", "Coverage, per OWASP id: the rules that report it.", "", "| id | title | rules |", "|---|---|---|");
  const coverage = (ids: readonly string[], titles: Readonly<Record<string, string>>, of: (r: StandardsRow) => readonly string[]) => {
    for (const x of ids) {
      const by = rows.filter((r) => of(r).includes(x)).map((r) => `\`${r.id}\``);
      out.push(`| ${x} | ${titles[x]} | ${by.join(", ") || "—"} |`);
    }
  };
  coverage(Object.keys(NHI), NHI, (r) => r.standards.nhi);
  coverage(Object.keys(AGENTIC), AGENTIC, (r) => r.standards.agentic);
  return out.join("\n");
}
