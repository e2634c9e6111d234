/** Every rule is documented, fully described, and has defaults for all of its config. */
import * as fs from "fs";
import * as path from "path";
import { rules, policies } from "../../policies/list";
import { standardsMatrix } from "../../core/standards";

const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "policy-pack.md"), "utf8");

test.each(rules.map((r) => [r.id, r] as const))("%s: documented, described, defaults for its config", (id, r) => {
  expect(doc).toMatch(new RegExp(`^\\| \`${id}\` \\| ${r.enforcementLevel} \\| ${r.severity} \\|`, "m"));
  expect(r.title.startsWith("Ensure ")).toBe(true);
  for (const s of [r.description, r.rationale, r.remediation]) expect(s.length).toBeGreaterThan(20);
  expect(r.standards.nhi.length).toBeGreaterThan(0);
  for (const [k, s] of Object.entries(r.configSchema.properties)) expect({ k, hasDefault: s.default !== undefined }).toEqual({ k, hasDefault: true });
});

test("policy names are unique and equal rule ids", () => {
  expect(policies.map((p) => p.name)).toEqual(rules.map((r) => r.id));
  expect(new Set(policies.map((p) => p.name)).size).toBe(policies.length);
});

test("docs/policy-pack.md carries the standards matrix of the rules as they are", () => {
  const block = /<!-- standards:start -->\n([\s\S]*?)\n<!-- standards:end -->/.exec(doc);
  expect(block).not.toBeNull();
  // On a difference: `npm run docs:standards` rewrites the block from the rules.
  expect(block![1]).toBe(standardsMatrix(rules));
});
