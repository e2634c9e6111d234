/**
 * Gate cost: the pack (policies/list.ts, whatever rules exist when this runs) over a generated
 * 10,000-resource stack export (two variants of the same export, see ExportVariant in generate.ts:
 * `findings`, where nearly every IAM document grants permissions-management wildcards, and `clean`,
 * the same documents with exact actions there), against a NO-OP pack of the same shape (same policy count, names,
 * config schemas, levels, resource-type filters, resource/stack kinds; every validation returns at
 * once) run through the SAME harness (createHarness). Both see the same input resources.
 *
 * Each repetition is a child process (`node gate.js time <rep>`), cold like a real `scan`: the
 * harness is warmed on a small, different export with the no-op pack only (the real pack's caches
 * stay cold), then the no-op pack and the real pack run once each, in alternating order. Then both
 * run once more on a second export of the same mix with other documents (seed 8): the "warm"
 * figure, what further resources cost once the code is compiled and module-level tables are built.
 *
 * A separate child (`node gate.js count`) wraps the analysis core's exported entry points and
 * JSON.parse, and counts how often the same input is parsed or expanded more than once.
 */
import { execFileSync } from "child_process";
import { performance } from "perf_hooks";
import type { Policies, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { generateStackExport, BENCH_NOW, type ExportVariant } from "./generate";
import { median } from "./stats";

const N = 10_000;

/** A policy list of the same shape as `policies` whose validations do nothing. */
export function noopPolicies(policies: Policies): Policies {
  return policies.map((p) => {
    const rv = (p as ResourceValidationPolicy).validateResource;
    if (typeof rv === "function" || Array.isArray(rv)) {
      const wrap = (v: unknown) => {
        const noop = function noopValidation() {
          /* no-op */
        };
        // Keep __pulumiType and the harness's resource-type set: the same calls are skipped.
        for (const k of [...Object.getOwnPropertyNames(v as object), ...Object.getOwnPropertySymbols(v as object)]) {
          if (k === "length" || k === "name" || k === "prototype") continue;
          Object.defineProperty(noop, k, Object.getOwnPropertyDescriptor(v as object, k)!);
        }
        return noop;
      };
      return { ...p, validateResource: Array.isArray(rv) ? rv.map(wrap) : wrap(rv) } as ResourceValidationPolicy;
    }
    const sp = p as StackValidationPolicy;
    const noop = () => {
      /* no-op */
    };
    for (const k of Object.getOwnPropertySymbols(sp.validateStack)) Object.defineProperty(noop, k, Object.getOwnPropertyDescriptor(sp.validateStack, k)!);
    if ((sp.validateStack as { __pulumiType?: string }).__pulumiType) (noop as unknown as { __pulumiType?: string }).__pulumiType = (sp.validateStack as { __pulumiType?: string }).__pulumiType;
    return { ...sp, validateStack: noop } as StackValidationPolicy;
  });
}

export interface GateChild {
  noopMs: number;
  packMs: number;
  /** JSON.parse of every distinct IAM document string of the export (the reading floor). */
  readMs: number;
  documents: number;
  documentChars: number;
  resources: number;
  violations: number;
  policies: number;
  resourcePolicies: number;
  stackPolicies: number;
  rules: string[];
  order: string;
  variant: ExportVariant;
  /** Both packs again on a second export of the same size and mix but other documents (seed 8): JIT-compiled code and module-level tables warm, document caches not. */
  warmNoopMs: number;
  warmPackMs: number;
}

export interface GateCounts {
  docParseCalls: number;
  docParseStringInputs: number;
  docParseComputations: number;
  /** Extra parses of a string already parsed (0 = never repeated). */
  docParseRepeats: number;
  docParseObjectCalls: number;
  docParseObjectRepeatedContent: number;
  expandCalls: number;
  expandDistinct: number;
  expandComputations: number;
  expandRepeats: number;
  jsonParseCalls: number;
  jsonParseDistinct: number;
  jsonParseRepeats: number;
  distinctDocumentsInExport: number;
  instrumented: string[];
}

async function load() {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { createHarness } = require("../policies/harness") as typeof import("../policies/harness");
  const { policies, rules } = require("../policies/list") as typeof import("../policies/list");
  const { toInputResources } = require("../cli/gate") as typeof import("../cli/gate");
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { createHarness, policies, rules, toInputResources };
}

async function timeChild(rep: number, variant: ExportVariant): Promise<void> {
  const { createHarness, policies, rules, toInputResources } = await load();
  const exp = generateStackExport(N, 7, variant);
  const input = toInputResources(exp.resources);
  const warm = toInputResources(generateStackExport(300, 99).resources);
  const noop = createHarness(noopPolicies(policies), { now: BENCH_NOW });
  const pack = createHarness(policies, { now: BENCH_NOW });
  await noop.run(warm);
  // What any gate that reads the IAM documents pays at least: JSON.parse of each distinct document
  // string of the export (policy, assumeRolePolicy), on top of the no-op pack.
  const docStrings = [...new Set(exp.resources.flatMap((r) => ["policy", "assumeRolePolicy"].map((k) => r.inputs?.[k]).filter((v): v is string => typeof v === "string")))];
  const tRead = performance.now();
  let parsedDocs = 0;
  for (const d of docStrings) if (JSON.parse(d)) parsedDocs++;
  const readMs = performance.now() - tRead;
  const order = rep % 2 === 0 ? ["noop", "pack"] : ["pack", "noop"];
  /** Both harnesses on `resources`, in this repetition's order: their times and the pack's violations. */
  const timeBoth = async (resources: typeof input) => {
    const t = { noopMs: 0, packMs: 0, violations: 0 };
    for (const which of order) {
      const t0 = performance.now();
      const r = await (which === "noop" ? noop : pack).run(resources);
      const ms = performance.now() - t0;
      if (which === "noop") t.noopMs = ms;
      else {
        t.packMs = ms;
        t.violations = r.violations.length;
      }
    }
    return t;
  };
  const { noopMs, packMs, violations } = await timeBoth(input);
  // The same again on other documents: what each further resource costs once the code is compiled
  // (the pack's parse cache holds none of these documents; the wildcard-expansion memo is warm).
  const warmRun = await timeBoth(toInputResources(generateStackExport(N, 8, variant).resources));
  const warmNoopMs = warmRun.noopMs;
  const warmPackMs = warmRun.packMs;
  const isStack = (p: unknown) => typeof (p as StackValidationPolicy).validateStack === "function";
  const out: GateChild = {
    noopMs,
    packMs,
    readMs,
    documents: parsedDocs,
    documentChars: docStrings.reduce((n, d) => n + d.length, 0),
    resources: input.length,
    violations,
    policies: policies.length,
    resourcePolicies: policies.filter((p) => !isStack(p)).length,
    stackPolicies: policies.filter(isStack).length,
    rules: rules.map((r) => r.id),
    order: order.join(","),
    variant,
    warmNoopMs,
    warmPackMs,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

/** What one engine-path child reports: both packs through @pulumi/policy's own RPC handlers. */
export interface EngineChild {
  noopMs: number;
  packMs: number;
  /** Diagnostics the real pack's handlers returned (analyze + analyzeStack). */
  diagnostics: number;
  /** Protobuf requests built before timing: one AnalyzeRequest per resource, one AnalyzeStackRequest. */
  requests: number;
  policies: number;
  order: string;
  variant: ExportVariant;
}

/**
 * The engine path: the same export through @pulumi/policy's own `analyze` (once per resource) and
 * `analyzeStack` (once) RPC handlers, `makeAnalyzeRpcFun` / `makeAnalyzeStackRpcFun` from
 * @pulumi/policy/server (what `pulumi preview --policy-pack` calls in the pack's process, over gRPC),
 * fed protobuf requests built like the engine builds them (test/support/engine-server.ts, which
 * test/policies/engine-equivalence.test.ts uses too). The server deserialises every resource's
 * properties again for every policy and gives each stack policy new resource objects; the harness
 * (createHarness) does that once and shares them. Requests are built before timing (the engine
 * builds and sends them); the gRPC transport and the engine's own work are not counted.
 */
async function enginePath() {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { analyzeRequest, call, packHandlers, stackRequest } = require("../test/support/engine-server") as typeof import("../test/support/engine-server");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const { policies, toInputResources } = await load();
  type Input = ReturnType<typeof toInputResources>;
  /** The engine's requests for `resources`: one AnalyzeRequest each, one AnalyzeStackRequest. */
  const requests = (resources: Input) => {
    const each = resources.map(analyzeRequest);
    return { each, sreq: stackRequest(resources), count: each.length + 1 };
  };
  const diagnostics = async (fn: Parameters<typeof call>[0], request: unknown) => (await call(fn, request)).getDiagnosticsList().length as number;
  /** Every request through a pack's handlers, in the engine's order (each resource, then the stack); the diagnostics count. */
  const runAll = async (h: ReturnType<typeof packHandlers>, r: ReturnType<typeof requests>) => {
    let n = 0;
    for (const req of r.each) n += await diagnostics(h.analyze, req);
    return n + (await diagnostics(h.analyzeStack, r.sreq));
  };
  return { policies, toInputResources, requests, handlers: packHandlers, runAll };
}

async function engineChild(rep: number, variant: ExportVariant): Promise<void> {
  const { policies, toInputResources, requests, handlers, runAll } = await enginePath();
  const noop = handlers(noopPolicies(policies));
  const pack = handlers(policies);
  await runAll(noop, requests(toInputResources(generateStackExport(300, 99).resources)));
  const reqs = requests(toInputResources(generateStackExport(N, 7, variant).resources));
  const order = rep % 2 === 0 ? ["noop", "pack"] : ["pack", "noop"];
  const out: EngineChild = { noopMs: 0, packMs: 0, diagnostics: 0, requests: reqs.count, policies: policies.length, order: order.join(","), variant };
  for (const which of order) {
    const t0 = performance.now();
    const n = await runAll(which === "noop" ? noop : pack, reqs);
    const ms = performance.now() - t0;
    if (which === "noop") out.noopMs = ms;
    else {
      out.packMs = ms;
      out.diagnostics = n;
    }
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

/** Wraps an exported function of a compiled module (call sites read `module.fn` at call time). */
function wrapExport(mod: Record<string, unknown>, name: string, wrapper: (orig: (...a: unknown[]) => unknown) => (...a: unknown[]) => unknown): boolean {
  const orig = mod[name];
  if (typeof orig !== "function") return false;
  const desc = Object.getOwnPropertyDescriptor(mod, name);
  if (desc && !desc.writable && !desc.set && !desc.configurable) return false;
  Object.defineProperty(mod, name, { value: wrapper(orig as (...a: unknown[]) => unknown), writable: true, configurable: true, enumerable: true });
  return true;
}

async function countChild(path: "harness" | "engine"): Promise<void> {
  const instrumented: string[] = [];
  /* eslint-disable @typescript-eslint/no-require-imports */
  const docMod = require("../core/iam/document") as Record<string, unknown>;
  const actMod = require("../core/iam/actions") as Record<string, unknown>;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const c: GateCounts = {
    docParseCalls: 0,
    docParseStringInputs: 0,
    docParseComputations: 0,
    docParseRepeats: 0,
    docParseObjectCalls: 0,
    docParseObjectRepeatedContent: 0,
    expandCalls: 0,
    expandDistinct: 0,
    expandComputations: 0,
    expandRepeats: 0,
    jsonParseCalls: 0,
    jsonParseDistinct: 0,
    jsonParseRepeats: 0,
    distinctDocumentsInExport: 0,
    instrumented,
  };
  let counting = false;
  // Document parsing: a cached parse returns the same result object; a new object = a new parse.
  const docResults = new Map<string, Set<unknown>>();
  const objContents = new Map<string, number>();
  if (
    wrapExport(docMod, "parsePolicyDocument", (orig) => (input: unknown) => {
      const r = orig(input);
      if (!counting) return r;
      c.docParseCalls++;
      if (typeof input === "string") {
        let s = docResults.get(input);
        if (!s) docResults.set(input, (s = new Set()));
        s.add(r);
      } else {
        c.docParseObjectCalls++;
        try {
          const k = JSON.stringify(input);
          objContents.set(k, (objContents.get(k) ?? 0) + 1);
        } catch {
          /* unreadable input */
        }
      }
      return r;
    })
  )
    instrumented.push("core/iam/document.parsePolicyDocument");
  // Wildcard expansion: the memo returns the same frozen array; a new array = a new expansion.
  const expResults = new Map<string, Set<unknown>>();
  const shared = actMod.expandActionPatternShared as ((p: string) => readonly string[]) | undefined;
  const track = (pattern: unknown, r: unknown) => {
    if (!counting || typeof pattern !== "string") return;
    c.expandCalls++;
    const k = pattern.trim().toLowerCase();
    let s = expResults.get(k);
    if (!s) expResults.set(k, (s = new Set()));
    s.add(r);
  };
  if (wrapExport(actMod, "expandActionPatternShared", (orig) => (p: unknown) => {
    const r = orig(p);
    track(p, r);
    return r;
  }))
    instrumented.push("core/iam/actions.expandActionPatternShared");
  if (
    shared &&
    wrapExport(actMod, "expandActionPattern", () => (p: unknown) => {
      // Same result as the original (a copy of the memoised expansion), observed through the memo.
      if (typeof p !== "string") return [];
      const r = shared(p);
      track(p, r);
      return [...r];
    })
  )
    instrumented.push("core/iam/actions.expandActionPattern");
  const jsonCounts = new Map<string, number>();
  const origParse = JSON.parse;
  JSON.parse = function countingParse(text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown) {
    if (counting && typeof text === "string") {
      c.jsonParseCalls++;
      jsonCounts.set(text, (jsonCounts.get(text) ?? 0) + 1);
    }
    return origParse(text, reviver);
  } as typeof JSON.parse;
  instrumented.push("JSON.parse");

  const exp = generateStackExport(N);
  if (path === "engine") {
    // The engine's requests are built before counting (the engine sends them as protobuf, no JSON.parse of ours).
    const { policies, toInputResources, requests, handlers, runAll } = await enginePath();
    const reqs = requests(toInputResources(exp.resources));
    const pack = handlers(policies);
    counting = true;
    await runAll(pack, reqs);
  } else {
    const { createHarness, policies, toInputResources } = await load();
    const input = toInputResources(exp.resources);
    const pack = createHarness(policies, { now: BENCH_NOW });
    counting = true;
    await pack.run(input);
  }
  counting = false;
  JSON.parse = origParse;

  c.docParseStringInputs = docResults.size;
  for (const s of docResults.values()) c.docParseComputations += s.size;
  c.docParseRepeats = c.docParseComputations - c.docParseStringInputs;
  for (const n of objContents.values()) if (n > 1) c.docParseObjectRepeatedContent += n - 1;
  c.expandDistinct = expResults.size;
  for (const s of expResults.values()) c.expandComputations += s.size;
  c.expandRepeats = c.expandComputations - c.expandDistinct;
  c.jsonParseDistinct = jsonCounts.size;
  for (const n of jsonCounts.values()) if (n > 1) c.jsonParseRepeats += n - 1;
  c.distinctDocumentsInExport = exp.distinctDocuments;
  process.stdout.write(`${JSON.stringify(c)}\n`);
}

function spawn(args: string[]): string {
  const out = execFileSync(process.execPath, [__filename, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 16 * 1024 * 1024 });
  return out.trim().split("\n").pop()!;
}

export interface GateResult {
  resources: number;
  policies: number;
  resourcePolicies: number;
  stackPolicies: number;
  rules: string[];
  violations: number;
  noopMs: number;
  packMs: number;
  noopUsPerResource: number;
  packUsPerResource: number;
  /** Median JSON.parse time of the export's distinct IAM documents, and pack / (no-op + that). */
  readMs: number;
  documents: number;
  documentChars: number;
  ratioToReadFloor: number;
  /** Median over repetitions of pack/no-op. */
  ratio: number;
  ratios: number[];
  /** Median over repetitions of pack/no-op on the second export (code warm, documents new). */
  warmRatio: number;
  warmNoopMs: number;
  warmPackMs: number;
  /** Only for the `findings` variant (the same documents' parse/expand bookkeeping). */
  counts?: GateCounts;
  reps: number;
  variant: ExportVariant;
}

/** Both sides' medians over the repetitions (child runs), per resource, and pack/no-op per repetition with its median. */
function packVsNoop(runs: ReadonlyArray<{ noopMs: number; packMs: number }>, resources: number) {
  const noopMs = median(runs.map((r) => r.noopMs));
  const packMs = median(runs.map((r) => r.packMs));
  const ratios = runs.map((r) => r.packMs / r.noopMs);
  return { noopMs, packMs, noopUsPerResource: (noopMs * 1000) / resources, packUsPerResource: (packMs * 1000) / resources, ratio: median(ratios), ratios };
}

export function benchGate(reps: number, log: (s: string) => void, variant: ExportVariant = "findings"): GateResult {
  const runs: GateChild[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const r = JSON.parse(spawn(["time", String(rep), variant])) as GateChild;
    runs.push(r);
    log(`  gate ${variant} rep=${rep + 1}/${reps} (${r.order}): no-op ${r.noopMs.toFixed(0)} ms, pack ${r.packMs.toFixed(0)} ms, reading the documents ${r.readMs.toFixed(0)} ms, ${r.violations} violations, ${r.policies} policies; warm: no-op ${r.warmNoopMs.toFixed(0)} ms, pack ${r.warmPackMs.toFixed(0)} ms`);
  }
  const counts = variant === "findings" ? (JSON.parse(spawn(["count"])) as GateCounts) : undefined;
  if (counts) log(`  gate counts: ${JSON.stringify(counts)}`);
  return {
    resources: runs[0].resources,
    policies: runs[0].policies,
    resourcePolicies: runs[0].resourcePolicies,
    stackPolicies: runs[0].stackPolicies,
    rules: runs[0].rules,
    violations: runs[0].violations,
    ...packVsNoop(runs, runs[0].resources),
    readMs: median(runs.map((r) => r.readMs)),
    documents: runs[0].documents,
    documentChars: runs[0].documentChars,
    ratioToReadFloor: median(runs.map((r) => r.packMs / (r.noopMs + r.readMs))),
    warmRatio: median(runs.map((r) => r.warmPackMs / r.warmNoopMs)),
    warmNoopMs: median(runs.map((r) => r.warmNoopMs)),
    warmPackMs: median(runs.map((r) => r.warmPackMs)),
    counts,
    reps,
    variant,
  };
}

export interface EngineResult {
  resources: number;
  policies: number;
  diagnostics: number;
  requests: number;
  noopMs: number;
  packMs: number;
  noopUsPerResource: number;
  packUsPerResource: number;
  /** Median over repetitions of pack/no-op through @pulumi/policy's own handlers. */
  ratio: number;
  ratios: number[];
  /** Only for the `findings` variant: the same bookkeeping as GateResult.counts, on the engine path. */
  counts?: GateCounts;
  reps: number;
  variant: ExportVariant;
}

/** The gate through @pulumi/policy's own RPC handlers (see engineChild): one cold child per repetition. */
export function benchGateEngine(reps: number, log: (s: string) => void, variant: ExportVariant = "findings"): EngineResult {
  const runs: EngineChild[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const r = JSON.parse(spawn(["engine", String(rep), variant])) as EngineChild;
    runs.push(r);
    log(`  gate (engine path) ${variant} rep=${rep + 1}/${reps} (${r.order}): no-op ${r.noopMs.toFixed(0)} ms, pack ${r.packMs.toFixed(0)} ms, ${r.diagnostics} diagnostics`);
  }
  const counts = variant === "findings" ? (JSON.parse(spawn(["count", "engine"])) as GateCounts) : undefined;
  if (counts) log(`  gate (engine path) counts: ${JSON.stringify(counts)}`);
  return {
    resources: N,
    policies: runs[0].policies,
    diagnostics: runs[0].diagnostics,
    requests: runs[0].requests,
    ...packVsNoop(runs, N),
    counts,
    reps,
    variant,
  };
}

if (require.main === module) {
  const [mode, rep, variant] = process.argv.slice(2);
  const v: ExportVariant = variant === "clean" ? "clean" : "findings";
  (mode === "count" ? countChild(rep === "engine" ? "engine" : "harness") : mode === "engine" ? engineChild(Number(rep ?? 0), v) : timeChild(Number(rep ?? 0), v)).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
