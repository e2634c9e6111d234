/**
 * Findings → a SARIF 2.1.0 log that GitHub code scanning accepts: one reporting descriptor per
 * policy (with help text and markdown), results at level error (mandatory) or warning (advisory),
 * a physical location at the stack config file and line where the offending assistant is declared
 * when the finding knows it, and always a logical location naming the resource URN.
 * `partialFingerprints` carries a stable identity (rule, resource, path, key) so an alert survives
 * line moves and message rewording.
 *
 * Pure: no I/O, no clock, no Pulumi.
 */
import { createHash } from "crypto";
import { posix as posixPath } from "path";
import type * as Sarif from "sarif";
import { standardTitle } from "../core/standards";
import type { FindingEntry, Severity } from "../core/inventory/schema";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
export const FINGERPRINT_KEY = "assistantIdentities/v1";
export const TOOL_NAME = "assistant-identities";

/** What toSarif needs to know about each policy (one per rule of the pack). */
export interface SarifRule {
  id: string;
  title: string;
  description: string;
  rationale: string;
  remediation: string;
  /** Flat standards ids (OWASP-NHI5, MAESTRO-L4, NIST-CSF-PR.AA-05, …). */
  standards: string[];
  level: "mandatory" | "advisory" | "disabled";
  /** Default severity of the rule's findings (drives GitHub's security-severity). */
  severity?: Severity;
  /** Absolute https URL of the rule's documentation. */
  helpUri?: string;
}

export interface SarifOptions {
  /** Tool version (semver), e.g. package.json's version. */
  toolVersion: string;
  /** Absolute URL of the tool's home page. */
  informationUri?: string;
  /** GitHub code scanning category (runAutomationDetails.id becomes `<category>/`). */
  category?: string;
  /**
   * Where to point a finding that has no `location` (e.g. a scanned stack export): a repository-relative
   * file, and optionally the line that mentions the URN. Without it such a finding carries only a
   * logical location (valid SARIF; GitHub shows it in the run but cannot annotate a file).
   */
  fallback?: { file: string; lineOf?: (urn: string) => number | undefined };
  /**
   * The repository root, when a finding's `location.file` may be absolute: absolute paths under it are
   * made relative; absolute paths outside it are dropped (the finding keeps its logical location).
   */
  repoRoot?: string;
}

const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };
const GITHUB_TEXT_LIMIT = 1024;
const GITHUB_TAG_LIMIT = 20;

function clip(s: string, n = GITHUB_TEXT_LIMIT): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

/** PascalCase name for a kebab-case rule id (SARIF reportingDescriptor.name is an identifier). */
function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");
}

/** Markdown-escape text that comes from configuration (names, messages). */
function md(s: string): string {
  return s.replace(/[\\`*_{}\[\]<>()#+!|]/g, (c) => `\\${c}`);
}

function reportingDescriptor(r: SarifRule): Sarif.ReportingDescriptor {
  const standards = r.standards.map(standardTitle);
  const helpText = [
    r.description,
    "",
    `Why: ${r.rationale}`,
    `Fix: ${r.remediation}`,
    standards.length ? `Standards: ${standards.join("; ")}` : "",
    `Enforcement: ${r.level}`,
  ]
    .filter((l, i, a) => l !== "" || (i > 0 && a[i - 1] !== ""))
    .join("\n")
    .trim();
  const helpMarkdown = [
    `## ${md(r.title)}`,
    "",
    md(r.description),
    "",
    "### Why it matters",
    "",
    md(r.rationale),
    "",
    "### How to fix",
    "",
    md(r.remediation),
    ...(standards.length ? ["", "### Standards", "", ...standards.map((s) => `- ${md(s)}`)] : []),
    "",
    `Enforcement level: **${r.level}**${r.severity ? `; severity: **${r.severity}**` : ""}.`,
  ].join("\n");
  const tags = ["security", "iac", "pulumi", ...r.standards].slice(0, GITHUB_TAG_LIMIT);
  const properties: Sarif.PropertyBag = { tags, precision: "very-high", "problem.severity": r.level === "mandatory" ? "error" : "warning", standards: r.standards };
  if (r.severity) properties["security-severity"] = SECURITY_SEVERITY[r.severity];
  const d: Sarif.ReportingDescriptor = {
    id: r.id,
    name: ruleName(r.id),
    shortDescription: { text: clip(r.title) },
    fullDescription: { text: clip(r.description) },
    help: { text: helpText, markdown: helpMarkdown },
    defaultConfiguration: r.level === "disabled" ? { enabled: false, level: "none" } : { enabled: true, level: r.level === "mandatory" ? "error" : "warning" },
    properties,
  };
  if (r.helpUri) d.helpUri = r.helpUri;
  return d;
}

/** Is this a repository-relative path GitHub can match against a committed file? */
export function isRelativeUri(uri: string): boolean {
  return uri.length > 0 && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri) && !uri.startsWith("/") && !uri.startsWith("\\") && !uri.split("/").includes("..");
}

/** Percent-encode each path segment (spaces, '#', '?' …) so the uri is a valid uri-reference. */
function toUri(relPath: string): string {
  return relPath
    .split("/")
    .map((seg) => encodeURIComponent(seg))
    .join("/");
}

function relativeFile(file: string, repoRoot: string | undefined): string | undefined {
  const f = file.replace(/\\/g, "/");
  if (f.startsWith("/")) {
    if (!repoRoot) return undefined;
    const rel = posixPath.relative(repoRoot.replace(/\\/g, "/"), f);
    return isRelativeUri(rel) ? rel : undefined;
  }
  const norm = posixPath.normalize(f).replace(/^\.\//, "");
  return isRelativeUri(norm) ? norm : undefined;
}

/** The stable identity of a finding: rule, resource, path inside it, key. Not the message, not the line. */
export function fingerprintOf(f: Pick<FindingEntry, "ruleId" | "resource" | "path" | "key">): string {
  return createHash("sha256")
    .update([f.ruleId, f.resource, f.path ?? "", f.key ?? ""].join("\u0000"))
    .digest("hex")
    .slice(0, 32);
}

function resultOf(f: FindingEntry, ruleIndex: number, occurrence: number, opts: SarifOptions): Sarif.Result {
  const logicalLocations: Sarif.LogicalLocation[] = [{ fullyQualifiedName: f.resource, kind: "resource" }];
  const location: Sarif.Location = { logicalLocations };
  let file: string | undefined;
  let line: number | undefined;
  let column: number | undefined;
  if (f.location) {
    file = relativeFile(f.location.file, opts.repoRoot);
    line = f.location.line;
    column = f.location.column;
  }
  if (!file && opts.fallback) {
    file = relativeFile(opts.fallback.file, opts.repoRoot);
    line = opts.fallback.lineOf?.(f.resource) ?? 1;
    column = undefined;
  }
  if (file) {
    const region: Sarif.Region = { startLine: Math.max(1, Math.trunc(line ?? 1)) };
    if (column) region.startColumn = column;
    location.physicalLocation = { artifactLocation: { uri: toUri(file), uriBaseId: "%SRCROOT%" }, region };
  }
  if (f.assistant) location.message = { text: `assistant ${f.assistant}` };
  const text = `${f.message.trim().replace(/\.?$/, ".")} Fix: ${f.fix.trim()}`;
  const properties: Sarif.PropertyBag = {
    severity: f.severity,
    enforcementLevel: f.level,
    standards: f.standards,
    resource: f.resource,
    fix: f.fix,
  };
  if (f.assistant) properties.assistant = f.assistant;
  if (f.path) properties.path = f.path;
  if (f.key) properties.key = f.key;
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: f.level === "mandatory" ? "error" : "warning",
    kind: "fail",
    message: { text },
    locations: [location],
    partialFingerprints: { [FINGERPRINT_KEY]: `${fingerprintOf(f)}:${occurrence}` },
    properties,
  };
}

/**
 * A SARIF 2.1.0 log with one run. Findings whose rule is not in `rules` get a minimal descriptor
 * built from the finding (so every result's ruleId resolves). Results keep the input order.
 */
export function toSarif(findings: readonly FindingEntry[], rules: readonly SarifRule[], opts: SarifOptions): Sarif.Log {
  const descriptors: Sarif.ReportingDescriptor[] = [];
  const index = new Map<string, number>();
  for (const r of rules) {
    if (index.has(r.id)) throw new Error(`toSarif: duplicate rule id ${r.id}`);
    index.set(r.id, descriptors.length);
    descriptors.push(reportingDescriptor(r));
  }
  for (const f of findings) {
    if (index.has(f.ruleId)) continue;
    index.set(f.ruleId, descriptors.length);
    descriptors.push(
      reportingDescriptor({
        id: f.ruleId,
        title: f.title,
        description: f.title,
        rationale: "See the finding's message.",
        remediation: f.fix,
        standards: f.standards,
        level: f.level,
        severity: f.severity,
      }),
    );
  }
  const seen = new Map<string, number>();
  const results = findings.map((f) => {
    const fp = fingerprintOf(f);
    const n = (seen.get(fp) ?? 0) + 1;
    seen.set(fp, n);
    return resultOf(f, index.get(f.ruleId)!, n, opts);
  });

  const driver: Sarif.ToolComponent = {
    name: TOOL_NAME,
    semanticVersion: opts.toolVersion,
    version: opts.toolVersion,
    rules: descriptors,
  };
  if (opts.informationUri) driver.informationUri = opts.informationUri;
  const run: Sarif.Run = {
    tool: { driver },
    results,
    columnKind: "unicodeCodePoints",
  };
  if (opts.category) run.automationDetails = { id: `${opts.category.replace(/\/+$/, "")}/` };
  return { $schema: SARIF_SCHEMA_URI, version: "2.1.0", runs: [run] };
}
