/**
 * What docs/policy-pack.md says about the rules, and the checks every rule must pass against it:
 * shared by test/policies/rules-meta.test.ts (the rules as loaded) and
 * test/policies/rules-fresh.test.ts (each rule file evaluated afresh, for mutation testing).
 */
import * as fs from "fs";
import * as path from "path";
import type { Rule } from "../../policies/rule";

export const POLICY_PACK_DOC = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "policy-pack.md"), "utf8");

/** The standards matrix between the doc's standards markers, or undefined when the markers are missing. */
export function documentedStandardsMatrix(doc = POLICY_PACK_DOC): string | undefined {
  return /<!-- standards:start -->\n([\s\S]*?)\n<!-- standards:end -->/.exec(doc)?.[1];
}

/** The rule has its row (id, level, severity) in the doc, a full description and a default for every setting. */
export function expectDocumented(r: Rule, doc = POLICY_PACK_DOC): void {
  expect(doc).toMatch(new RegExp(`^\\| \`${r.id}\` \\| ${r.enforcementLevel} \\| ${r.severity} \\|`, "m"));
  expect(r.title.startsWith("Ensure ")).toBe(true);
  for (const s of [r.description, r.rationale, r.remediation]) expect(s.length).toBeGreaterThan(20);
  expect(r.standards.nhi.length).toBeGreaterThan(0);
  for (const [k, s] of Object.entries(r.configSchema.properties)) expect({ k, hasDefault: s.default !== undefined }).toEqual({ k, hasDefault: true });
}
