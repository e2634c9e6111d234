/**
 * Program scale: the real program (components/program.ts) under Pulumi's mocks with N generated
 * assistants, against a FLOOR that registers the same resources (same types, names, parents,
 * dependencies and inputs, copied from a recorded run of the program) with plain
 * `new aws.iam.Role(...)` / `new pulumi.ComponentResource(...)` calls and no toolkit logic.
 *
 * Each (size, mode) runs in its own child process (`node scale.js <mode> <n> <record.json>`), so
 * peak memory (process.resourceUsage().maxRSS) is per size and per mode. Both modes run through the
 * same recorder (cli/engine/run-program.ts), so the mocks' and recorder's costs are the same.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { performance, PerformanceObserver } from "perf_hooks";
import { BENCH_NOW, generateConfig, PROJECT, ACCOUNT, REGION } from "./generate";
import { median } from "./stats";

export interface ChildResult {
  mode: "program" | "floor";
  n: number;
  /** Wall time of each timed run (ms), after an untimed warm-up run of WARMUP assistants. */
  runsMs: number[];
  /** Garbage-collection pause time inside each timed run (ms): Node's `gc` performance entries that start and end within the run. */
  gcMs: number[];
  resources: number;
  /** Peak RSS of the process after the first run (KB), and RSS before the first run. */
  maxRssKb: number;
  rssBeforeKb: number;
}

const MOCK = { accountId: ACCOUNT, region: REGION, partition: "aws", gcpProject: "assistants-project", gcpProjectNumber: "123456789012" };

/** Inner runs per process: more for small sizes (a 10-assistant run is milliseconds). */
export function innerRuns(n: number): number {
  return n <= 10 ? 7 : n <= 100 ? 3 : 1;
}

/** Warm-up size: every process first runs this many assistants (modules loaded, JIT warm), untimed. */
export const WARMUP = 10;

interface Recorded {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent?: string;
  inputs: Record<string, unknown>;
  dependencies: string[];
}

/** `aws:iam/role:Role` → aws.iam.Role; `github:index/x:X` → github.X; unknown → CustomResource. */
function classFor(type: string): (new (name: string, args: any, opts?: any) => any) | undefined {
  const m = /^([a-z0-9-]+):([A-Za-z0-9]+)\/[A-Za-z0-9]+:([A-Za-z0-9]+)$/.exec(type);
  if (!m) return undefined;
  const [, pkg, mod, cls] = m;
  const pkgName = { aws: "@pulumi/aws", gcp: "@pulumi/gcp", github: "@pulumi/github", time: "@pulumiverse/time" }[pkg];
  if (!pkgName) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require(pkgName);
  const ns = mod === "index" ? lib : lib[mod];
  return ns?.[cls];
}

/** The floor program: replays a recording, registering each resource once, parents first. */
function floorProgram(recorded: Recorded[], outputs: Record<string, unknown>) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
  const byUrn = new Map(recorded.map((r) => [r.urn, r]));
  const made = new Map<string, import("@pulumi/pulumi").Resource>();
  const components: import("@pulumi/pulumi").ComponentResource[] = [];
  const classes = new Map<string, any>();
  const make = (urn: string): import("@pulumi/pulumi").Resource | undefined => {
    const hit = made.get(urn);
    if (hit) return hit;
    const r = byUrn.get(urn);
    if (!r) return undefined; // the stack
    const parent = r.parent ? make(r.parent) : undefined;
    const dependsOn = r.dependencies.map(make).filter((d): d is import("@pulumi/pulumi").Resource => !!d);
    let res: import("@pulumi/pulumi").Resource;
    if (!r.custom) {
      const c = new pulumi.ComponentResource(r.type, r.name, {}, { parent });
      components.push(c);
      res = c;
    } else {
      let Cls = classes.get(r.type);
      if (!Cls) classes.set(r.type, (Cls = classFor(r.type)));
      res = Cls
        ? new Cls(r.name, r.inputs, { parent, dependsOn })
        : new (pulumi.CustomResource as unknown as new (t: string, n: string, i: object, o: object) => import("@pulumi/pulumi").Resource)(r.type, r.name, r.inputs, { parent, dependsOn });
    }
    made.set(urn, res);
    return res;
  };
  for (const r of recorded) make(r.urn);
  for (const c of components) (c as unknown as { registerOutputs(o: object): void }).registerOutputs({});
  return outputs;
}

async function child(mode: "program" | "floor", n: number, recordFile: string, warmupRecord: string): Promise<void> {
  // Load everything both modes need before the first timed run.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runProgram } = require("../cli/engine/run-program") as typeof import("../cli/engine/run-program");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const aws = require("@pulumi/aws");
  void [aws.iam.Role, aws.iam.Policy, aws.iam.RolePolicy, aws.iam.RolePolicyAttachment, aws.iam.OpenIdConnectProvider];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { program } = require("../components/program") as typeof import("../components/program");
  process.env.ASSISTANT_IDENTITIES_NOW = BENCH_NOW.toISOString();
  const config = generateConfig(n);

  let recorded: Recorded[] = [];
  let recordedOutputs: Record<string, unknown> = {};
  if (mode === "floor") {
    const rec = JSON.parse(fs.readFileSync(recordFile, "utf8")) as { resources: Recorded[]; outputs: Record<string, unknown> };
    recorded = rec.resources;
    recordedOutputs = rec.outputs;
  }

  // Warm-up (untimed): the same code path on WARMUP assistants, so module loading and JIT warm-up
  // are out of every timed run, whatever the size (the floor replays the WARMUP-size recording).
  if (fs.existsSync(warmupRecord) || mode === "program") {
    const warm = mode === "floor" ? (JSON.parse(fs.readFileSync(warmupRecord, "utf8")) as { resources: Recorded[]; outputs: Record<string, unknown> }) : undefined;
    await runProgram({
      project: PROJECT,
      stack: "bench",
      config: generateConfig(WARMUP),
      mock: MOCK,
      load: () => (warm ? floorProgram(warm.resources, warm.outputs) : program()),
    });
  }
  const runsMs: number[] = [];
  const gcMs: number[] = [];
  // Every GC pause of the process, with its start time; each run sums those inside its own window.
  const pauses: Array<{ start: number; end: number }> = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push({ start: e.startTime, end: e.startTime + e.duration });
  });
  gcObserver.observe({ entryTypes: ["gc"] });
  let resources = 0;
  let maxRssKb = 0;
  const rssBeforeKb = Math.round(process.memoryUsage().rss / 1024);
  const runs = innerRuns(n);
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    const run = await runProgram({
      project: PROJECT,
      stack: "bench",
      config,
      mock: MOCK,
      load: () => (mode === "program" ? program() : floorProgram(recorded, recordedOutputs)),
    });
    const t1 = performance.now();
    runsMs.push(t1 - t0);
    // GC entries are delivered asynchronously: let them arrive (untimed) before summing this run's.
    await new Promise((r) => setTimeout(r, 50));
    gcMs.push(pauses.filter((p) => p.start >= t0 && p.end <= t1).reduce((n, p) => n + p.end - p.start, 0));
    if (k === 0) {
      maxRssKb = process.resourceUsage().maxRSS;
      resources = run.resources.length - 1;
      if (mode === "program" && !fs.existsSync(recordFile)) {
        const resourcesOut: Recorded[] = run.resources
          .filter((r) => r.type !== "pulumi:pulumi:Stack")
          .map((r) => ({ urn: r.urn, type: r.type, name: r.name, custom: r.custom, parent: r.parent?.includes("::pulumi:pulumi:Stack::") ? undefined : r.parent, inputs: r.inputs, dependencies: r.dependencies }));
        fs.writeFileSync(recordFile, JSON.stringify({ resources: resourcesOut, outputs: run.outputs }));
      }
    }
  }
  gcObserver.disconnect();
  const out: ChildResult = { mode, n, runsMs, gcMs, resources, maxRssKb, rssBeforeKb };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

export interface ScaleRow {
  n: number;
  resources: number;
  programMs: number;
  floorMs: number;
  /** Garbage-collection pauses inside the timed runs (ms; median over repetitions of each side's median). */
  programGcMs: number;
  floorGcMs: number;
  /** Median over repetitions of program/floor, each side the median of its inner runs. */
  ratio: number;
  msPerAssistant: number;
  peakRssMb: number;
  floorPeakRssMb: number;
  /** (peak RSS − RSS before the run) / n, KB. */
  kbPerAssistant: number;
  floorKbPerAssistant: number;
  memRatio: number;
  reps: number;
}

/** Thrown when the program refuses a generated stack (e.g. a stack-wide quota): reported, not fatal. */
export class ScaleChildError extends Error {}

function spawnChild(mode: string, n: number, recordFile: string, warmupRecord: string): ChildResult {
  try {
    const out = execFileSync(process.execPath, [__filename, mode, String(n), recordFile, warmupRecord], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 16 * 1024 * 1024,
    });
    const line = out.trim().split("\n").pop()!;
    return JSON.parse(line) as ChildResult;
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? "");
    const problem = stderr.split("\n").find((l) => /^\s*- /.test(l)) ?? stderr.split("\n").find((l) => /Error/.test(l)) ?? String(e);
    throw new ScaleChildError(`${mode} with ${n} assistants failed: ${problem.trim()}`);
  }
}

/**
 * Growth from the second-largest to the largest size, per repetition and as the median: the
 * program's (the target), the floor's (same resources, no toolkit logic) and both without their
 * garbage-collection pauses (what is left is the work itself; GC is where superlinearity shows).
 */
export interface ScaleGrowth {
  linear: number;
  linearPerRep: number[];
  floorLinear: number;
  floorLinearPerRep: number[];
  /** time minus GC pauses. */
  mutatorLinear: number;
  floorMutatorLinear: number;
}

export type ScaleResult = { rows: ScaleRow[]; failed?: string } & ScaleGrowth;

export function benchScale(sizes: number[], reps: number, tmpDir: string, log: (s: string) => void): ScaleResult {
  try {
    return benchScaleOrThrow(sizes, reps, tmpDir, log);
  } catch (e) {
    if (!(e instanceof ScaleChildError) || sizes.length < 2) throw e;
    // A size the program refuses (a stack-wide quota): report it and measure the sizes below it.
    log(`  scale: ${e.message}; measuring ${sizes.slice(0, -1).join(", ")} only`);
    const below = benchScale(sizes.slice(0, -1), reps, tmpDir, log);
    return { ...below, failed: below.failed ?? e.message };
  }
}

function benchScaleOrThrow(sizes: number[], reps: number, tmpDir: string, log: (s: string) => void): ScaleResult {
  fs.mkdirSync(tmpDir, { recursive: true });
  const results = new Map<number, { program: ChildResult[]; floor: ChildResult[] }>();
  for (const n of sizes) results.set(n, { program: [], floor: [] });
  const linearPerRep: number[] = [];
  const floorLinearPerRep: number[] = [];
  const mutatorPerRep: number[] = [];
  const floorMutatorPerRep: number[] = [];
  /** Median of a child's runs, and of its runs minus their GC pauses. */
  const timeOf = (r: ChildResult) => median(r.runsMs);
  const mutatorOf = (r: ChildResult) => median(r.runsMs.map((ms, i) => ms - (r.gcMs[i] ?? 0)));
  for (let rep = 0; rep < reps; rep++) {
    for (const n of sizes) {
      const rec = path.join(tmpDir, `record-${n}.json`);
      if (rep === 0 && fs.existsSync(rec)) fs.rmSync(rec);
      // Alternate which side goes first, so drift in machine load hits both.
      const order: Array<"program" | "floor"> = rep % 2 === 0 || !fs.existsSync(rec) ? ["program", "floor"] : ["floor", "program"];
      for (const mode of order) {
        const r = spawnChild(mode, n, rec, path.join(tmpDir, `record-${WARMUP}.json`));
        results.get(n)![mode].push(r);
        log(`  scale n=${n} rep=${rep + 1}/${reps} ${mode}: ${r.runsMs.map((x) => x.toFixed(0)).join("/")} ms, ${r.resources} resources, maxRSS ${(r.maxRssKb / 1024).toFixed(0)} MB`);
      }
    }
    const big = sizes[sizes.length - 1];
    const mid = sizes[sizes.length - 2];
    if (mid !== undefined) {
      const [b, m] = [results.get(big)!, results.get(mid)!];
      linearPerRep.push(timeOf(b.program[rep]) / timeOf(m.program[rep]));
      floorLinearPerRep.push(timeOf(b.floor[rep]) / timeOf(m.floor[rep]));
      mutatorPerRep.push(mutatorOf(b.program[rep]) / mutatorOf(m.program[rep]));
      floorMutatorPerRep.push(mutatorOf(b.floor[rep]) / mutatorOf(m.floor[rep]));
    }
  }
  const rows = sizes.map((n) => {
    const { program, floor } = results.get(n)!;
    const pm = program.map(timeOf);
    const fm = floor.map(timeOf);
    const ratios = pm.map((p, i) => p / fm[i]);
    const kb = (r: ChildResult) => Math.max(0, r.maxRssKb - r.rssBeforeKb) / n;
    const pk = median(program.map(kb));
    const fk = median(floor.map(kb));
    return {
      n,
      resources: program[0].resources,
      programMs: median(pm),
      floorMs: median(fm),
      programGcMs: median(program.map((r) => median(r.gcMs))),
      floorGcMs: median(floor.map((r) => median(r.gcMs))),
      ratio: median(ratios),
      msPerAssistant: median(pm) / n,
      peakRssMb: median(program.map((r) => r.maxRssKb)) / 1024,
      floorPeakRssMb: median(floor.map((r) => r.maxRssKb)) / 1024,
      kbPerAssistant: pk,
      floorKbPerAssistant: fk,
      memRatio: median(program.map((r) => r.maxRssKb)) / median(floor.map((r) => r.maxRssKb)),
      reps,
    };
  });
  return {
    rows,
    linear: median(linearPerRep),
    linearPerRep,
    floorLinear: median(floorLinearPerRep),
    floorLinearPerRep,
    mutatorLinear: median(mutatorPerRep),
    floorMutatorLinear: median(floorMutatorPerRep),
  };
}

if (require.main === module) {
  const [mode, n, rec, warm] = process.argv.slice(2);
  child(mode as "program" | "floor", Number(n), rec, warm).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
