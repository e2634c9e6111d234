/**
 * The pack's policy list. Every `policies/rules/<id>.ts` (or compiled `.js`) default-exports one
 * Rule; they are discovered here, so adding a rule is adding a file. Order: by id.
 *
 * Importing this module never starts the policy server (only index.ts calls `new PolicyPack`).
 */
import * as fs from "fs";
import * as path from "path";
import { toPolicy, AssistantPolicy } from "./policy";
import type { Rule } from "./rule";

const RULES_DIR = path.join(__dirname, "rules");

function loadRules(): Rule[] {
  const files = new Map<string, string>();
  if (!fs.existsSync(RULES_DIR)) return [];
  for (const f of fs.readdirSync(RULES_DIR)) {
    const m = /^([a-z0-9-]+)\.(ts|js)$/.exec(f);
    if (!m || f.endsWith(".d.ts")) continue;
    if (!files.has(m[1]) || m[2] === "ts") files.set(m[1], f);
  }
  const out: Rule[] = [];
  for (const [id, f] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(RULES_DIR, f)) as { default?: Rule };
    const rule = mod.default;
    if (!rule || typeof rule !== "object") throw new Error(`policies/rules/${f} must default-export a Rule`);
    if (rule.id !== id) throw new Error(`policies/rules/${f} exports rule id '${rule.id}'; the file must be named after the id`);
    out.push(rule);
  }
  return out;
}

/** The Rule objects, by id. */
export const rules: readonly Rule[] = Object.freeze(loadRules());

/** The policies for `new PolicyPack(...)`, in the same order. */
export const policies: AssistantPolicy[] = rules.map(toPolicy);
