/**
 * `npm run bench:runtimes -- --node <version> [--pulumi <version>] [--reps N] [--gate]`: the scale benchmark
 * (and with --gate the harness gate) of this build run side by side on the project's own runtime and on
 * another Node.js (and, with --pulumi, another @pulumi/pulumi), to tell the toolkit's costs from the
 * runtime's. Not part of `npm run bench` or CI: it downloads a Node.js build (the npm registry's
 * `node-<platform>-<arch>` package) and, with --pulumi, the project's runtime dependencies again with that
 * SDK pinned, into a folder under the system's temp directory. Nothing is written into the project.
 *
 * Prints one table row per runtime: program and floor growth from 100 to 1,000 assistants (with and
 * without GC pauses), the program's cost over the floor at 1,000, and with --gate the pack over the no-op
 * pack on both exports. See bench/RESULTS.md (ninth pass) for what it found.
 */
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { fmt } from "./stats";

const ROOT = path.resolve(__dirname, "../..");
const BUILD = path.resolve(__dirname, "..");

interface RuntimeRow {
  node: string;
  pulumi: string;
  linear: number;
  linearPerRep: number[];
  floorLinear: number;
  mutatorLinear: number;
  floorMutatorLinear: number;
  /** Program time over the floor's at the largest size. */
  ratioAtLargest: number;
  gate?: { clean: number; findings: number; cleanMs: [number, number]; findingsMs: [number, number] };
}

/** In a runtime's own process: the benchmarks of the build this file sits in, as JSON on stdout. */
async function child(reps: number, gate: boolean): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { benchScale } = require("./scale") as typeof import("./scale");
  const { benchGate } = require("./gate") as typeof import("./gate");
  const pulumi = (require("@pulumi/pulumi/package.json") as { version: string }).version;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ai-runtime-scale-"));
  const s = benchScale([10, 100, 1000], reps, tmp, log);
  fs.rmSync(tmp, { recursive: true, force: true });
  const largest = s.rows[s.rows.length - 1]!;
  const row: RuntimeRow = {
    node: process.version,
    pulumi,
    linear: s.linear,
    linearPerRep: s.linearPerRep,
    floorLinear: s.floorLinear,
    mutatorLinear: s.mutatorLinear,
    floorMutatorLinear: s.floorMutatorLinear,
    ratioAtLargest: largest.ratio,
  };
  if (gate) {
    const clean = benchGate(Math.max(reps, 3), log, "clean");
    const findings = benchGate(Math.max(reps, 3), log, "findings");
    row.gate = { clean: clean.ratio, findings: findings.ratio, cleanMs: [clean.packMs, clean.noopMs], findingsMs: [findings.packMs, findings.noopMs] };
  }
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

function run(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) failed with exit code ${r.status}`);
}

function npm(args: string[], cwd: string): void {
  run(process.platform === "win32" ? "npm.cmd" : "npm", ["--no-audit", "--no-fund", "--loglevel=error", ...args], cwd);
}

/** A Node.js build from the npm registry (`node-<platform>-<arch>@version`), installed once per version. */
function installNode(version: string, base: string): string {
  const pkg = `node-${process.platform}-${process.arch}`;
  const dir = path.join(base, `node-${version}`);
  const bin = path.join(dir, "node_modules", pkg, "bin", process.platform === "win32" ? "node.exe" : "node");
  if (!fs.existsSync(bin)) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "runtime-node", private: true }));
    npm(["install", `${pkg}@${version}`], dir);
  }
  return bin;
}

/** The project's runtime dependencies with @pulumi/pulumi pinned to `version` (providers resolve to it: one SDK). */
function installDependencies(version: string, base: string): string {
  const project = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  const dependencies = { ...project.dependencies, "@pulumi/pulumi": version };
  // One folder per dependency list, so a changed package.json installs afresh.
  const dir = path.join(base, `deps-${createHash("sha256").update(JSON.stringify(dependencies)).digest("hex").slice(0, 12)}`);
  const modules = path.join(dir, "node_modules");
  if (!fs.existsSync(path.join(modules, "@pulumi", "pulumi", "package.json"))) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "runtime-deps", private: true, dependencies, overrides: { "@pulumi/pulumi": version } }, null, 2));
    npm(["install", "--ignore-scripts"], dir);
  }
  return modules;
}

/** This build copied next to `modules` (the copy resolves its packages there). */
function copyBuild(modules: string, base: string, name: string): string {
  const dir = path.join(base, `build-${name}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(BUILD, dir, { recursive: true, filter: (src) => path.basename(src) !== "tmp" });
  fs.symlinkSync(modules, path.join(dir, "node_modules"), "dir");
  return dir;
}

function measure(nodeBin: string, build: string, reps: number, gate: boolean): RuntimeRow {
  const r = spawnSync(nodeBin, [path.join(build, "bench", "runtimes.js"), "--child", String(reps), gate ? "gate" : "nogate"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`the benchmarks failed on ${nodeBin} (exit code ${r.status})`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as RuntimeRow;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function main(args: string[]): void {
  const nodeVersion = option(args, "--node");
  const pulumiVersion = option(args, "--pulumi");
  const reps = Number(option(args, "--reps") ?? "2");
  const gate = args.includes("--gate");
  if (!nodeVersion || !/^\d+\.\d+\.\d+$/.test(nodeVersion)) {
    console.error("usage: npm run bench:runtimes -- --node <x.y.z> [--pulumi <x.y.z>] [--reps N] [--gate]  (e.g. --node 22.23.5 --pulumi 3.276.0)");
    process.exit(2);
  }
  if (pulumiVersion !== undefined && !/^\d+\.\d+\.\d+$/.test(pulumiVersion)) {
    console.error(`--pulumi must be an exact version such as 3.276.0; got ${JSON.stringify(pulumiVersion)}`);
    process.exit(2);
  }
  if (!Number.isInteger(reps) || reps < 1) {
    console.error(`--reps must be a whole number of at least 1; got ${JSON.stringify(option(args, "--reps"))}`);
    process.exit(2);
  }
  const base = path.join(os.tmpdir(), "assistant-identities-runtimes");
  const other = installNode(nodeVersion, base);
  const modules = pulumiVersion ? installDependencies(pulumiVersion, base) : path.join(ROOT, "node_modules");
  const rows: RuntimeRow[] = [];
  // The project's runtime first, then the other one, in the same run (ratios are only compared within one run).
  rows.push(measure(process.execPath, BUILD, reps, gate));
  rows.push(measure(other, copyBuild(modules, base, `${nodeVersion}-${pulumiVersion ?? "project"}`), reps, gate));
  const x = (v: number) => `${fmt(v)}×`;
  console.log("| Node.js | @pulumi/pulumi | program growth 1,000/100 (per repetition) | floor growth | without GC: program / floor | program / floor at 1,000 |" + (gate ? " gate clean | gate findings |" : ""));
  console.log("|---|---|---|---|---|---|" + (gate ? "---|---|" : ""));
  for (const r of rows) {
    const g = r.gate ? ` ${x(r.gate.clean)} (${fmt(r.gate.cleanMs[0], 0)} vs ${fmt(r.gate.cleanMs[1], 0)} ms) | ${x(r.gate.findings)} (${fmt(r.gate.findingsMs[0], 0)} vs ${fmt(r.gate.findingsMs[1], 0)} ms) |` : "";
    console.log(`| ${r.node} | ${r.pulumi} | ${x(r.linear)} (${r.linearPerRep.map((v) => fmt(v)).join(", ")}) | ${x(r.floorLinear)} | ${x(r.mutatorLinear)} / ${x(r.floorMutatorLinear)} | ${x(r.ratioAtLargest)} |${g}`);
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args[0] === "--child") {
    child(Number(args[1]), args[2] === "gate").catch((e) => {
      console.error(e);
      process.exit(1);
    });
  } else {
    try {
      main(args);
    } catch (e) {
      console.error(`bench:runtimes: ${(e as Error).message}`);
      process.exit(1);
    }
  }
}
