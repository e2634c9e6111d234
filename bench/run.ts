/**
 * `npm run bench [-- --with-tests] [-- --quick]`: every benchmark, side by side, as ratios against
 * an honest floor measured in the same run (medians of several repetitions). Prints a table,
 * writes bench/results.json, and refreshes the table in bench/RESULTS.md (between the markers).
 *
 *   1. program scale  — the real program under mocks vs a floor registering the same resources
 *   2. gate cost      — the pack vs a no-op pack of the same shape, through the same harness: the
 *                       offline gate's (policies/harness.ts) and @pulumi/policy's own RPC handlers
 *   3. policy size    — the toolkit's packing vs aws-cdk-lib's minimizePolicies, same statements
 *   4. test suite     — `npm test` wall time (only with --with-tests)
 *   5. cedar          — bench/cedar.ts's local engine vs an allow-all function through the same loop
 *
 * Targets are printed next to each figure; nothing here is a timed assertion in a test.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { benchScale, type ScaleResult } from "./scale";
import { benchGate, benchGateEngine, type EngineResult, type GateResult } from "./gate";
import { benchPolicySize, type PolicySizeResult } from "./policy-size";
import { benchCedar, benchRequests, rate } from "./cedar";
import { compileToolPolicies } from "../core/cedar/policies";
import { localCedarEngine } from "../core/cedar/local";
import { toCedarRequest } from "../core/cedar/request";
import { PR_REVIEWER } from "../test/core/cedar/examples";
import { wiredClouds, unwiredClouds } from "./generate";
import { fmt, machine, median, type Machine } from "./stats";

const ROOT = path.resolve(__dirname, "../..");
const BENCH_DIR = path.join(ROOT, "bench");
const args = new Set(process.argv.slice(2));
const QUICK = args.has("--quick");
const WITH_TESTS = args.has("--with-tests");
const log = (s: string) => process.stderr.write(`${s}\n`);

interface TestsResult {
  wallSeconds: number;
  exitCode: number | null;
  summary: string;
  measuredAt: string;
  carriedOver?: boolean;
}

interface CedarResult {
  decisionsPerSecond: number;
  allowAllPerSecond: number;
  /** allow-all rate / cedar rate: how many times a decision costs more than a trivial function. */
  costRatio: number;
  ratios: number[];
  authorizePerSecond: number;
  p50Micros: number;
  p99Micros: number;
  cedar: string;
}

interface Row {
  benchmark: string;
  measure: string;
  value: string;
  ratio: string;
  target: string;
  met: boolean | null;
}

export interface Results {
  generatedAt: string;
  machine: Machine;
  options: { quick: boolean; withTests: boolean };
  clouds: { wired: string[]; notYetWired: string[] };
  scale: ScaleResult;
  gate: GateResult;
  /** The same export with documents that pass (see ExportVariant in bench/generate.ts). */
  gateClean?: GateResult;
  /** The same exports through @pulumi/policy's own RPC handlers (the engine path; see engineChild in bench/gate.ts). */
  gateEngine?: EngineResult;
  gateEngineClean?: EngineResult;
  policySize: PolicySizeResult;
  cedar: CedarResult;
  tests?: TestsResult;
  totalSeconds: number;
  table: Row[];
}

function benchCedarRatio(reps: number): CedarResult {
  const abs = benchCedar({ minMs: QUICK ? 300 : 700 });
  const NOW = new Date("2026-06-01T12:00:00Z");
  const bundle = compileToolPolicies(PR_REVIEWER);
  const engine = localCedarEngine(bundle);
  const reqs = benchRequests().map((r) => toCedarRequest(r, NOW).request);
  type Decide = (r: (typeof reqs)[number]) => { decision: string };
  const allowAll: Decide = () => ({ decision: "allow" });
  const decide: Decide = (r) => engine.decideSync(r);
  const loop = (fn: Decide) => {
    let allowed = 0;
    let denied = 0;
    const r = rate(reqs.length * 100, (i) => {
      const a = fn(reqs[i % reqs.length]);
      if (a.decision === "allow") allowed++;
      else denied++;
    }, 300);
    if (allowed + denied === 0) throw new Error("no decisions");
    return r.perSecond;
  };
  const cedarRates: number[] = [];
  const allowRates: number[] = [];
  const ratios: number[] = [];
  for (let k = 0; k < reps; k++) {
    const c = loop(decide);
    const a = loop(allowAll);
    cedarRates.push(c);
    allowRates.push(a);
    ratios.push(a / c);
  }
  return {
    decisionsPerSecond: median(cedarRates),
    allowAllPerSecond: median(allowRates),
    costRatio: median(ratios),
    ratios,
    authorizePerSecond: abs.authorizePerSecond,
    p50Micros: abs.p50Micros,
    p99Micros: abs.p99Micros,
    cedar: abs.cedar,
  };
}

function runTests(): TestsResult {
  log("tests: npm test (wall time) …");
  const t0 = performance.now();
  const r = spawnSync("npm", ["test", "--silent"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const wallSeconds = (performance.now() - t0) / 1000;
  const text = `${r.stdout ?? ""}\n${r.stderr ?? ""}`;
  const summary = text
    .split("\n")
    .filter((l) => /^(Test Suites|Tests):/.test(l.trim()))
    .map((l) => l.trim())
    .join("; ");
  return { wallSeconds, exitCode: r.status, summary: summary || text.trim().split("\n").slice(-3).join(" "), measuredAt: new Date().toISOString() };
}

function previousTests(): TestsResult | undefined {
  try {
    const prev = JSON.parse(fs.readFileSync(path.join(BENCH_DIR, "results.json"), "utf8")) as Results;
    return prev.tests ? { ...prev.tests, carriedOver: true } : undefined;
  } catch {
    return undefined;
  }
}

/** The growth target: 1.1 × the size ratio of the two largest sizes (11× for 1,000 vs 100), in integers so 11 is 11. */
function growthBound(sizes: number[]): number {
  return (11 * sizes[sizes.length - 1]) / (10 * sizes[sizes.length - 2]);
}

function table(r: Omit<Results, "table" | "totalSeconds">): Row[] {
  const rows: Row[] = [];
  for (const s of r.scale.rows) {
    rows.push({
      benchmark: `program scale, ${s.n} assistants (${s.resources} resources)`,
      measure: "time vs floor (of which GC pauses); per assistant; peak RSS (per-assistant growth)",
      value: `${fmt(s.programMs, 0)} ms vs ${fmt(s.floorMs, 0)} ms (GC ${fmt(s.programGcMs, 0)} vs ${fmt(s.floorGcMs, 0)} ms); ${fmt(s.msPerAssistant, 2)} ms/assistant; ${fmt(s.peakRssMb, 0)} MB vs ${fmt(s.floorPeakRssMb, 0)} MB (${fmt(s.kbPerAssistant, 0)} vs ${fmt(s.floorKbPerAssistant, 0)} KB/assistant)`,
      ratio: `${fmt(s.ratio)}× time, ${fmt(s.memRatio)}× RSS`,
      target: "time ≤ 1.5×",
      met: s.ratio <= 1.5,
    });
  }
  if (r.scale.failed) rows.push({ benchmark: "program scale, largest size", measure: "refused by the program", value: r.scale.failed.slice(0, 240), ratio: "-", target: "runs", met: false });
  const sizes = r.scale.rows.map((x) => x.n);
  if (sizes.length >= 2) rows.push({
    benchmark: `program scale, growth ${sizes[sizes.length - 1]} vs ${sizes[sizes.length - 2]}`,
    measure: `time(${sizes[sizes.length - 1]}) / time(${sizes[sizes.length - 2]}), per repetition, median; the floor's own growth in the same runs; both without GC pauses`,
    value: `program ${r.scale.linearPerRep.map((x) => fmt(x)).join(", ")}; floor ${r.scale.floorLinearPerRep.map((x) => fmt(x)).join(", ")} (median ${fmt(r.scale.floorLinear)}×); without GC pauses: program ${fmt(r.scale.mutatorLinear)}×, floor ${fmt(r.scale.floorMutatorLinear)}×`,
    ratio: `${fmt(r.scale.linear)}×`,
    target: `≤ ${fmt(growthBound(sizes), 1)}× (linear)`,
    met: r.scale.linear <= growthBound(sizes),
  });
  for (const g of [r.gate, r.gateClean]) {
    if (!g) continue;
    const label = g.variant === "clean" ? "documents that pass (clean)" : "nearly every document with a finding (findings)";
    rows.push({
      benchmark: `gate, ${g.resources} resources, ${g.policies} policies (${g.resourcePolicies} resource, ${g.stackPolicies} stack); ${label}`,
      measure: "pack vs no-op pack, same harness; per resource",
      value: `${fmt(g.packMs, 0)} ms vs ${fmt(g.noopMs, 0)} ms; ${fmt(g.packUsPerResource, 1)} µs vs ${fmt(g.noopUsPerResource, 1)} µs per resource; ${g.violations} violations. Reading alone (JSON.parse of the ${g.documents} distinct IAM documents, ${fmt(g.documentChars / 1e6, 1)} MB): ${fmt(g.readMs, 0)} ms; pack vs no-op + reading: ${fmt(g.ratioToReadFloor)}×. Warm (code compiled, other documents of the same mix): ${fmt(g.warmPackMs, 0)} ms vs ${fmt(g.warmNoopMs, 0)} ms, ${fmt(g.warmRatio)}×`,
      ratio: `${fmt(g.ratio)}×`,
      target: "≤ 3×",
      met: g.ratio <= 3,
    });
  }
  for (const g of [r.gateEngine, r.gateEngineClean]) {
    if (!g) continue;
    const label = g.variant === "clean" ? "clean" : "findings";
    rows.push({
      benchmark: `gate through @pulumi/policy's own handlers (engine path), ${g.resources} resources, ${g.policies} policies; ${label}`,
      measure: "pack vs no-op pack, both through makeAnalyzeRpcFun (per resource) and makeAnalyzeStackRpcFun with protobuf requests; per resource",
      value: `${fmt(g.packMs, 0)} ms vs ${fmt(g.noopMs, 0)} ms; ${fmt(g.packUsPerResource, 1)} µs vs ${fmt(g.noopUsPerResource, 1)} µs per resource; ${g.diagnostics} diagnostics; per repetition ${g.ratios.map((x) => fmt(x)).join(", ")}`,
      ratio: `${fmt(g.ratio)}×`,
      target: "≤ 3×",
      met: g.ratio <= 3,
    });
  }
  const paths: Array<[string, GateResult["counts"]]> = [
    ["harness", r.gate.counts],
    ["engine path", r.gateEngine?.counts],
  ];
  for (const [where, c] of paths) {
    if (!c) continue;
    rows.push({
      benchmark: `gate, repeated work (${where})`,
      measure: "document parses / wildcard expansions / JSON.parse repeated for an input already seen",
      value: `parse: ${c.docParseCalls} calls, ${c.docParseStringInputs} distinct, ${c.docParseComputations} computed; expand: ${c.expandCalls} calls, ${c.expandDistinct} distinct, ${c.expandComputations} computed; JSON.parse: ${c.jsonParseCalls} calls, ${c.jsonParseDistinct} distinct`,
      ratio: `${c.docParseRepeats} / ${c.expandRepeats} / ${c.jsonParseRepeats} repeats`,
      target: "0 repeats",
      met: c.docParseRepeats === 0 && c.expandRepeats === 0 && c.jsonParseRepeats === 0,
    });
  }
  const p = r.policySize;
  rows.push({
    benchmark: `policy size, ${p.grants.s3} S3 prefixes + ${p.grants.dynamodb} tables + ${p.grants.secrets} secrets (${p.statementsIn} statements)`,
    measure: "toolkit vs aws-cdk-lib minimizePolicies (chars, no whitespace)",
    value: `${p.ours.totalChars} chars in ${p.ours.inline.length} inline + ${p.ours.managed.length} managed (max ${Math.max(0, ...p.ours.managed)}; quotas ${p.ours.withinQuotas ? "OK" : "EXCEEDED"}) vs CDK ${p.cdk.totalChars} in ${p.cdk.inline.length} + ${p.cdk.managed.length} (max ${Math.max(0, ...p.cdk.managed, ...p.cdk.inline)}; quotas ${p.cdk.withinQuotas ? "OK" : "EXCEEDED"})`,
    ratio: `${fmt(p.ratio)}×`,
    target: "≤ 1× CDK, within quotas",
    met: p.ratio <= 1 && p.ours.withinQuotas,
  });
  rows.push({
    benchmark: `policy size, past what fits (${p.overflow.grants} grants)`,
    measure: "plan-time error",
    value: p.overflow.error ? p.overflow.error.slice(0, 160) : "NO ERROR",
    ratio: "-",
    target: "clear error",
    met: !!p.overflow.error,
  });
  const cd = r.cedar;
  rows.push({
    benchmark: "cedar local engine (bench/cedar.ts)",
    measure: "decisions/s vs allow-all function, same loop",
    value: `${Math.round(cd.decisionsPerSecond)}/s vs ${Math.round(cd.allowAllPerSecond)}/s; authorizeSync ${cd.authorizePerSecond}/s, p50 ${cd.p50Micros} µs, p99 ${cd.p99Micros} µs`,
    ratio: `${fmt(cd.costRatio, 0)}× cost`,
    target: "(reported)",
    met: null,
  });
  if (r.tests) {
    rows.push({
      benchmark: "test suite (npm test)",
      measure: `wall time${r.tests.carriedOver ? ` (carried over from --with-tests run of ${r.tests.measuredAt})` : ""}`,
      value: `${fmt(r.tests.wallSeconds, 0)} s, exit ${r.tests.exitCode}; ${r.tests.summary}`,
      ratio: `${fmt(r.tests.wallSeconds / 180)}× budget`,
      target: "< 180 s",
      met: r.tests.wallSeconds < 180,
    });
  }
  return rows;
}

function markdown(r: Results): string {
  const m = r.machine;
  const lines = [
    `Measured ${r.generatedAt} by \`npm run bench${r.options.withTests ? " -- --with-tests" : ""}${r.options.quick ? " -- --quick" : ""}\` in ${fmt(r.totalSeconds, 0)} s on: ${m.nproc} CPUs (${m.cpu}), ${m.memoryGb} GB memory, Node ${m.node}, ${m.platform}.`,
    `Clouds in the generated assistants: ${r.clouds.wired.join(", ")}${r.clouds.notYetWired.length ? ` (not yet wired into the spec: ${r.clouds.notYetWired.join(", ")})` : ""}. Repetitions: scale ${r.scale.rows[0]?.reps}, gate ${r.gate.reps}${r.gateEngine ? `, gate engine path ${r.gateEngine.reps}` : ""}.`,
    "",
    "| benchmark | measure | value | ratio | target | met |",
    "|---|---|---|---|---|---|",
    ...r.table.map((x) => `| ${x.benchmark} | ${x.measure} | ${x.value.replace(/\|/g, "\\|")} | ${x.ratio} | ${x.target} | ${x.met === null ? "-" : x.met ? "yes" : "**no**"} |`),
  ];
  return lines.join("\n");
}

const START = "<!-- bench:table:start -->";
const END = "<!-- bench:table:end -->";

function updateResultsMd(md: string): void {
  const file = path.join(BENCH_DIR, "RESULTS.md");
  const block = `${START}\n${md}\n${END}`;
  let text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : `# Benchmark results\n\n${START}\n${END}\n`;
  if (!text.includes(START) || !text.includes(END)) text += `\n${START}\n${END}\n`;
  text = text.slice(0, text.indexOf(START)) + block + text.slice(text.indexOf(END) + END.length);
  fs.writeFileSync(file, text);
}

async function main() {
  const t0 = performance.now();
  const scaleReps = QUICK ? 1 : 3;
  const gateReps = QUICK ? 2 : 7;
  log(`bench: machine ${JSON.stringify(machine())}`);
  log("1/5 program scale …");
  const scale = benchScale(QUICK ? [10, 100] : [10, 100, 1000], scaleReps, path.join(ROOT, "dist-bench", "tmp"), log);
  log("2/5 gate cost …");
  const gate = benchGate(gateReps, log, "findings");
  const gateClean = benchGate(gateReps, log, "clean");
  log("2b/5 gate cost through @pulumi/policy's own handlers …");
  const engineReps = QUICK ? 2 : 5;
  const gateEngine = benchGateEngine(engineReps, log, "findings");
  const gateEngineClean = benchGateEngine(engineReps, log, "clean");
  log("3/5 policy size …");
  const policySize = benchPolicySize();
  log("4/5 cedar …");
  const cedar = benchCedarRatio(QUICK ? 3 : 5);
  const tests = WITH_TESTS ? runTests() : previousTests();
  if (WITH_TESTS) log(`5/5 tests: ${fmt(tests!.wallSeconds, 0)} s`);
  const partial = {
    generatedAt: new Date().toISOString(),
    machine: machine(),
    options: { quick: QUICK, withTests: WITH_TESTS },
    clouds: { wired: wiredClouds(), notYetWired: unwiredClouds() },
    scale,
    gate,
    gateClean,
    gateEngine,
    gateEngineClean,
    policySize,
    cedar,
    ...(tests ? { tests } : {}),
  };
  const results: Results = { ...partial, table: table(partial), totalSeconds: (performance.now() - t0) / 1000 };
  // A --quick run is a smoke test: it never replaces the recorded results.
  const jsonOut = QUICK ? path.join(ROOT, "dist-bench", "tmp", "results-quick.json") : path.join(BENCH_DIR, "results.json");
  fs.writeFileSync(jsonOut, `${JSON.stringify(results, null, 2)}\n`);
  const md = markdown(results);
  if (!QUICK) updateResultsMd(md);
  process.stdout.write(`${md}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
