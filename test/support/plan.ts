import * as path from "path";
import { planStack } from "../../cli/engine/plan-stack";
import type { RecordedResource } from "../../cli/engine/run-program";

export const ROOT = path.resolve(__dirname, "../..");
/** Tests judge expiry as of this instant, so the example stacks stay valid whatever today is. */
export const NOW = new Date("2026-12-01T00:00:00Z");

export async function planExample(stack: string) {
  return planStack({ root: ROOT, stack, now: NOW });
}

export const ofType = (rs: RecordedResource[], type: string) => rs.filter((r) => r.type === type);
export const named = (rs: RecordedResource[], type: string, name: string) => {
  const r = rs.find((x) => x.type === type && x.name === name);
  if (!r) throw new Error(`no ${type} named ${name}; have ${rs.filter((x) => x.type === type).map((x) => x.name).join(", ")}`);
  return r;
};
