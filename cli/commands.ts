/**
 * The three jobs: `plan` (platform engineer: what would `pulumi up` create, and does it pass),
 * `scan` (reviewer/CI: gate any program's stack export), `report` (auditor). Exit codes are a
 * contract: 0 no mandatory violation, 1 at least one, 2 bad input.
 */
import * as fs from "fs";
import * as path from "path";
import { parseInventory, Inventory as InventorySchema, type FindingEntry, type Inventory } from "../core/inventory/schema";
import { summarize } from "../core/inventory/summary";
import { gate, mandatoryCount, sarifRules, type ExportedResource } from "./gate";
import { planStack } from "./engine/plan-stack";
import { checkStackName, stackFile } from "./engine/stack-config";
import type { RecordedResource } from "./engine/run-program";
import { renderHtml, renderMarkdown } from "./report";
import { toSarif } from "./sarif";

export const EXIT = { ok: 0, violations: 1, badInput: 2 } as const;

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const VERSION: string = (() => {
  try {
    return JSON.parse(fs.readFileSync(path.resolve(__dirname, "../package.json"), "utf8")).version;
  } catch {
    return JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../package.json"), "utf8")).version;
  }
})();

function readJsonFile(file: string, what: string): unknown {
  if (!fs.existsSync(file)) throw new InputError(`${file}: no such file (${what})`);
  if (fs.statSync(file).isDirectory()) throw new InputError(`${file}: is a folder; give the file in it (${what})`);
  const text = fs.readFileSync(file, "utf8");
  try {
    return JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec(String((e as Error).message));
    const where = m ? ` near character ${m[1]} of ${text.length}` : "";
    // JSON that starts as a document and stops before its end: a cut-off download or export.
    const truncated = /^\s*[{[]/.test(text) && !/[}\]]\s*$/.test(text);
    throw new InputError(`${file} is not valid JSON${where}${truncated ? " (the file looks truncated)" : ""}: ${(e as Error).message}`);
  }
}

/**
 * Creates an output folder and its missing parents, one level at a time. Node's recursive mkdir never
 * returns for a path under /proc (the parent exists, the child is "not found", and it retries forever),
 * so it is not used; a folder that cannot be made is a clear input error naming the option.
 */
export function ensureDir(dir: string, what: string): string {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  let p = abs;
  while (!fs.existsSync(p)) {
    missing.unshift(p);
    const parent = path.dirname(p);
    if (parent === p) break;
    p = parent;
  }
  for (const m of missing) {
    try {
      fs.mkdirSync(m);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "EEXIST") throw new InputError(`${what} ${dir}: cannot create the folder ${m} (${code ?? (e as Error).message}); pick a folder you can write to`);
    }
  }
  // A link to nowhere "exists" for mkdir (EEXIST) but not for stat.
  if (!fs.existsSync(abs)) throw new InputError(`${what} ${dir}: cannot create the folder ${abs} (a link to a missing target?); pick a folder you can write to`);
  if (!fs.statSync(abs).isDirectory()) throw new InputError(`${what} ${dir}: is a file, not a folder; pick a folder`);
  return abs;
}

/**
 * The pack config the stack needs: the user's config plus the time-boxed exceptions the program
 * generated for its unavoidable static credentials (stack output `policyExceptions`).
 */
export function withGeneratedExceptions(config: Record<string, unknown> | undefined, generated: unknown): Record<string, unknown> | undefined {
  if (!generated || typeof generated !== "object" || !Object.keys(generated).length) return config;
  const out: Record<string, unknown> = { ...(config ?? {}) };
  for (const [policy, list] of Object.entries(generated as Record<string, unknown[]>)) {
    const cur = out[policy];
    const base: Record<string, unknown> = typeof cur === "string" ? { enforcementLevel: cur } : cur && typeof cur === "object" ? { ...(cur as object) } : {};
    base.exceptions = [...((base.exceptions as unknown[]) ?? []), ...list];
    out[policy] = base;
  }
  return out;
}

export function readPolicyConfig(file?: string): Record<string, unknown> | undefined {
  if (!file) return undefined;
  const v = readJsonFile(file, "--policy-config");
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new InputError(`${file}: expected a JSON object mapping policy names to levels or settings (as for pulumi --policy-pack-config)`);
  return v as Record<string, unknown>;
}

/** plan.json in the format of `pulumi stack export` (deployment version 3). */
export function toStackExport(resources: readonly RecordedResource[], now: Date) {
  return {
    version: 3,
    deployment: {
      manifest: { time: now.toISOString(), magic: "", version: `assistant-identities plan ${VERSION}` },
      resources: resources.map((r) => ({
        urn: r.urn,
        custom: r.custom,
        ...(r.id ? { id: r.id } : {}),
        type: r.type,
        inputs: r.inputs,
        outputs: r.outputs,
        ...(r.parent ? { parent: r.parent } : {}),
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
      })),
    },
  };
}

function writeOutputs(dir: string, inventory: Inventory, findings: FindingEntry[], exportDoc: unknown | undefined, html: string, md: string, category: string) {
  if (exportDoc) fs.writeFileSync(path.join(dir, "plan.json"), JSON.stringify(exportDoc, null, 2));
  fs.writeFileSync(path.join(dir, "inventory.json"), JSON.stringify(inventory, null, 2));
  fs.writeFileSync(path.join(dir, "findings.sarif"), JSON.stringify(toSarif(findings, sarifRules(), { toolVersion: VERSION, category }), null, 2));
  fs.writeFileSync(path.join(dir, "report.md"), md);
  fs.writeFileSync(path.join(dir, "report.html"), html);
}

function printFindings(io: Io, findings: readonly FindingEntry[]) {
  if (!findings.length) {
    io.out("Findings: none");
    return;
  }
  io.out(`Findings: ${mandatoryCount(findings)} mandatory, ${findings.length - mandatoryCount(findings)} advisory`);
  for (const f of findings) {
    const where = f.location ? `${f.location.file}:${f.location.line}` : f.resource;
    io.out(`  [${f.level.toUpperCase()}] ${f.ruleId} (${f.severity}) ${where}${f.path ? ` ${f.path}` : ""}`);
    io.out(`      ${f.message}`);
    io.out(`      fix: ${f.fix}`);
    if (f.standards.length) io.out(`      ${f.standards.join(", ")}`);
  }
}

function printInventory(io: Io, inv: Inventory) {
  io.out(`Assistants (${inv.assistants.length}):`);
  for (const a of inv.assistants) {
    io.out(`  ${a.name} [${a.environment}] owner ${a.owner.team} <${a.owner.contact}>, expires ${a.expires}${a.revoked ? ", REVOKED" : ""}`);
    for (const id of a.identities) io.out(`    ${id.cloud} ${id.kind} ${id.id}\n      trusts ${id.issuer} sub=${id.subject} aud=${id.audience}, sessions ≤ ${id.maxSessionSeconds}s`);
    for (const x of a.access) io.out(`    → ${x.system} ${x.target}: ${x.actions.join(", ")} (until ${x.expires})`);
    for (const c of a.staticCredentials) io.out(`    static credential ${c.id} in ${c.store}, rotates every ${c.rotationDays}d, next ${c.nextRotation}, exception until ${c.exceptionExpires}`);
  }
}

export interface PlanArgs {
  root: string;
  stack: string;
  out?: string;
  policyConfig?: string;
  now?: Date;
  /** Simulate `pulumi preview` of a new stack: computed outputs unknown, as the pack sees them then. */
  preview?: boolean;
}

export async function planCommand(a: PlanArgs, io: Io): Promise<number> {
  const now = a.now ?? new Date();
  const policyConfig = readPolicyConfig(a.policyConfig);
  checkStackName(a.stack);
  const file = path.relative(a.root, stackFile(a.root, a.stack)).split(path.sep).join("/");
  io.err(`Planning stack "${a.stack}" offline (${file}) under Pulumi's mocks${a.preview ? ", as a preview of a new stack (computed outputs unknown)" : ""}…`);
  let count = 0;
  const plan = await planStack({
    root: a.root,
    stack: a.stack,
    now,
    preview: a.preview,
    onResource: (r) => {
      count++;
      if (r.custom) io.err(`  + ${r.type} ${r.name}`);
    },
  });
  io.err(`Registered ${count} resources. Evaluating the policy pack on each resource and on the whole stack…`);
  // A preview cannot say what the deployed identities will be called (their ARNs are unknown then):
  // the inventory and report come from a full run of the same program.
  const deployed = a.preview ? await planStack({ root: a.root, stack: a.stack, now }) : plan;

  // Attribute each resource to the assistant whose component it sits under, and to that assistant's config line.
  const byUrn = new Map(plan.run.resources.map((r) => [r.urn, r]));
  const componentName = (i: number) => `${plan.spec.platform.namePrefix}-${plan.spec.assistants[i].name}-${plan.spec.assistants[i].environment}`;
  const indexByComponent = new Map(plan.spec.assistants.map((_, i) => [componentName(i), i]));
  const assistantIndex = (urn: string): number | undefined => {
    for (let r = byUrn.get(urn); r; r = r.parent ? byUrn.get(r.parent) : undefined) {
      if (r.type === "assistant-identities:index:AssistantIdentity") return indexByComponent.get(r.name);
    }
    return undefined;
  };
  const stackUrn = plan.run.resources[0].urn;
  const effectiveConfig = withGeneratedExceptions(policyConfig, deployed.run.outputs.policyExceptions);
  const findings = await gate(plan.run.resources, stackUrn, {
    policyConfig: effectiveConfig,
    now,
    assistantOf: (urn) => {
      const i = assistantIndex(urn);
      return i === undefined ? undefined : plan.spec.assistants[i].name;
    },
    locationOf: (urn) => {
      const i = assistantIndex(urn);
      return { file: plan.config.file, line: plan.config.lineOf(i === undefined ? "assistants" : `assistants[${i}]`) };
    },
  });
  const inventory = parseInventory({ ...(deployed.run.outputs.inventory as object), generatedAt: now.toISOString().replace(/\.\d{3}Z$/, "Z"), findings });
  const reportOpts = { now };
  // --out is a path the user typed: relative to the working directory, like scan's and report's files.
  const dir = ensureDir(a.out ?? path.join(a.root, "out", a.stack), "--out");
  writeOutputs(dir, inventory, findings, toStackExport(plan.run.resources, now), await renderHtml(inventory, reportOpts), renderMarkdown(inventory, reportOpts), `plan/${a.stack}`);
  // For `pulumi up --policy-pack policies --policy-pack-config <dir>/policy-config.json`.
  fs.writeFileSync(path.join(dir, "policy-config.json"), JSON.stringify(effectiveConfig ?? {}, null, 2) + "\n");

  printInventory(io, inventory);
  printFindings(io, findings);
  const s = summarize(inventory, now);
  io.out(`\nWrote ${path.relative(process.cwd(), dir) || "."}/{plan.json,inventory.json,findings.sarif,report.md,report.html,policy-config.json}`);
  io.out(`${s.assistants} assistants, ${s.identities} identities, ${plan.run.resources.length} resources; ${mandatoryCount(findings) ? "FAIL" : "PASS"}: ${mandatoryCount(findings)} mandatory violation(s).`);
  return mandatoryCount(findings) ? EXIT.violations : EXIT.ok;
}

/** Reads a `pulumi stack export` file (or a bare deployment) and checks its shape. */
export function readStackExport(file: string): { resources: ExportedResource[]; stackUrn: string } {
  const doc = readJsonFile(file, "a pulumi stack export") as any;
  const deployment = doc && typeof doc === "object" && "deployment" in doc ? doc.deployment : doc;
  if (doc && typeof doc === "object" && "version" in doc && doc.version !== 3) {
    throw new InputError(`${file}: deployment version ${JSON.stringify(doc.version)} is not supported; expected version 3 (pulumi stack export)`);
  }
  const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  // Pulumi omits an empty resource list (`resources,omitempty` in apitype.DeploymentV3): a stack that was
  // never deployed, or was destroyed, exports without one. That is an empty stack, not bad input.
  const omitted = (deployment?.resources === undefined || deployment?.resources === null) && isObject(deployment) && (deployment !== doc || isObject(deployment.manifest));
  const resources = omitted ? [] : deployment?.resources;
  if (!Array.isArray(resources)) {
    throw new InputError(`${file}: expected a pulumi stack export ({"version": 3, "deployment": {"resources": [...]}}); no deployment.resources array found`);
  }
  resources.forEach((r: any, i: number) => {
    if (!r || typeof r !== "object") throw new InputError(`${file}: deployment.resources[${i}] is not an object`);
    if (typeof r.urn !== "string" || !r.urn.startsWith("urn:pulumi:")) throw new InputError(`${file}: deployment.resources[${i}].urn must be a Pulumi URN (urn:pulumi:…); got ${JSON.stringify(r.urn)}`);
    if (typeof r.type !== "string") throw new InputError(`${file}: deployment.resources[${i}].type must be a string such as aws:iam/role:Role; got ${JSON.stringify(r.type)}`);
    for (const k of ["inputs", "outputs"]) {
      if (r[k] !== undefined && (r[k] === null || typeof r[k] !== "object" || Array.isArray(r[k]))) throw new InputError(`${file}: deployment.resources[${i}].${k} must be an object`);
    }
  });
  // Stack-wide findings point at the stack's URN; an export without its Stack resource gets the URN it would have.
  const stack = resources.find((r: ExportedResource) => r.type === "pulumi:pulumi:Stack");
  const [, stackName = "stack", project = "project"] = /^urn:pulumi:([^:]*)::([^:]*)::/.exec(resources[0]?.urn ?? "") ?? [];
  return { resources, stackUrn: stack?.urn ?? `urn:pulumi:${stackName}::${project}::pulumi:pulumi:Stack::${project}-${stackName}` };
}

export interface ScanArgs {
  file: string;
  format: "text" | "json" | "sarif";
  policyConfig?: string;
  now?: Date;
}

export async function scanCommand(a: ScanArgs, io: Io): Promise<number> {
  const policyConfig = readPolicyConfig(a.policyConfig);
  const { resources, stackUrn } = readStackExport(a.file);
  const assistantByUrn = new Map<string, string>();
  for (const r of resources) {
    const tags = (r.outputs?.tags ?? r.inputs?.tags) as Record<string, unknown> | undefined;
    if (tags && typeof tags === "object" && typeof tags["ai-assistant"] === "string") assistantByUrn.set(r.urn, tags["ai-assistant"] as string);
  }
  const findings = await gate(resources, stackUrn, { policyConfig, now: a.now, assistantOf: (u) => assistantByUrn.get(u) });
  if (a.format === "json") io.out(JSON.stringify({ file: a.file, resources: resources.length, mandatory: mandatoryCount(findings), findings }, null, 2));
  else if (a.format === "sarif") {
    // Point each result at the line of the export that names its URN, so code scanning can annotate the file.
    const lines = fs.readFileSync(a.file, "utf8").split("\n");
    const lineOf = (urn: string) => {
      const i = lines.findIndex((l) => l.includes(JSON.stringify(urn)));
      return i >= 0 ? i + 1 : undefined;
    };
    const rel = path.relative(process.cwd(), path.resolve(a.file)).split(path.sep).join("/");
    const fallback = rel.startsWith("..") ? undefined : { file: rel, lineOf };
    io.out(JSON.stringify(toSarif(findings, sarifRules(), { toolVersion: VERSION, category: "scan", fallback }), null, 2));
  }
  else {
    io.out(`Scanned ${resources.length} resources in ${a.file}`);
    printFindings(io, findings);
    io.out(`${mandatoryCount(findings) ? "FAIL" : "PASS"}: ${mandatoryCount(findings)} mandatory violation(s).`);
  }
  return mandatoryCount(findings) ? EXIT.violations : EXIT.ok;
}

export interface ReportArgs {
  file: string;
  out?: string;
  now?: Date;
}

/** Accepts inventory.json, or a stack export whose stack outputs hold `inventory`. */
export function readInventory(file: string): Inventory {
  const doc = readJsonFile(file, "inventory.json or a pulumi stack export") as any;
  let candidate = doc;
  if (doc && typeof doc === "object" && !("schemaVersion" in doc)) {
    const resources = doc.deployment?.resources ?? doc.resources;
    const stack = Array.isArray(resources) ? resources.find((r: any) => r?.type === "pulumi:pulumi:Stack") : undefined;
    candidate = stack?.outputs?.inventory;
    if (!candidate) throw new InputError(`${file}: neither an inventory (schemaVersion …) nor a stack export whose pulumi:pulumi:Stack outputs hold "inventory"`);
  }
  const parsed = InventorySchema.safeParse(candidate);
  if (!parsed.success) {
    throw new InputError(`${file}: not a valid inventory:\n${parsed.error.issues.slice(0, 20).map((i) => `  - ${i.path.join(".") || "(root)"}: ${i.message}`).join("\n")}`);
  }
  return parsed.data;
}

export async function reportCommand(a: ReportArgs, io: Io): Promise<number> {
  const inventory = readInventory(a.file);
  const now = a.now ?? new Date();
  const dir = ensureDir(a.out ?? path.join("out", `report-${inventory.stack}`), "--out");
  fs.writeFileSync(path.join(dir, "report.md"), renderMarkdown(inventory, { now }));
  fs.writeFileSync(path.join(dir, "report.html"), await renderHtml(inventory, { now }));
  const s = summarize(inventory, now);
  io.out(`Wrote ${dir}/report.md and report.html: ${s.assistants} assistants, ${inventory.findings.length} findings.`);
  return mandatoryCount(inventory.findings) ? EXIT.violations : EXIT.ok;
}
