/**
 * Shared pieces of the proof suites (test/proofs): run sizes, the pack runner, regression files.
 *
 * Run sizes: a small fixed-seed set in `npm test`; `npm run test:proofs:long` sets PROOF_RUNS
 * (default there 5000) and PROOF_LONG=1 (the 50 MB hostile inputs). PROOF_SEED replays one seed.
 */
import * as fs from "fs";
import * as path from "path";
import { createHarness, type InputResource, type Violation } from "../../policies/harness";
import { policies } from "../../policies/list";

/** Number of generated cases per property (fast default, or PROOF_RUNS). */
export function runs(fast: number): number {
  const n = Number(process.env.PROOF_RUNS);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fast;
}

export const LONG = process.env.PROOF_LONG === "1";

/** Fixed seed (replayable); PROOF_SEED overrides it. */
export function seed(fixed: number): number {
  const s = Number(process.env.PROOF_SEED);
  return Number.isFinite(s) && process.env.PROOF_SEED !== undefined ? s : fixed;
}

export const ACCT = "123456789012";

let harness: ReturnType<typeof createHarness> | undefined;

/** The whole pack, default config, through the engine-faithful harness (prepared once). */
export async function runPack(resources: readonly InputResource[], now = new Date("2026-11-15T00:00:00Z")): Promise<Violation[]> {
  harness ??= createHarness(policies, { now });
  return (await harness.run(resources)).violations;
}

export const mandatory = (vs: readonly Violation[], ruleId: string): Violation[] => vs.filter((v) => v.ruleId === ruleId && v.enforcementLevel === "mandatory");

export const REGRESSIONS = path.join(__dirname, "regressions");

/** Regression files of one kind (`<kind>-*.json`), each `{ description, ... }`. */
export function regressions<T>(kind: string): Array<[string, T]> {
  if (!fs.existsSync(REGRESSIONS)) return [];
  return fs
    .readdirSync(REGRESSIONS)
    .filter((f) => f.startsWith(`${kind}-`) && f.endsWith(".json"))
    .sort()
    .map((f) => [f, JSON.parse(fs.readFileSync(path.join(REGRESSIONS, f), "utf8")) as T]);
}

/** A tally printed once per suite (false-positive rates etc.), so long runs report their numbers. */
export function report(title: string, tally: Record<string, number>): void {
  if (process.env.PROOF_QUIET === "1") return;
  // eslint-disable-next-line no-console
  console.log(`${title}: ${Object.entries(tally).map(([k, v]) => `${k}=${v}`).join(", ")}`);
}
