/** Every rule is documented, fully described, and has defaults for all of its config. */
import { rules, policies } from "../../policies/list";
import { standardsMatrix } from "../../core/standards";
import { rulesIndex } from "../../policies/reference";
import { documentedStandardsMatrix, expectDocumented, POLICY_PACK_DOC } from "../support/rule-docs";

test.each(rules.map((r) => [r.id, r] as const))("%s: documented, described, defaults for its config", (_id, r) => {
  expectDocumented(r);
});

test("policy names are unique and equal rule ids", () => {
  expect(policies.map((p) => p.name)).toEqual(rules.map((r) => r.id));
  expect(new Set(policies.map((p) => p.name)).size).toBe(policies.length);
});

test("docs/policy-pack.md carries the standards matrix of the rules as they are", () => {
  const block = documentedStandardsMatrix();
  expect(block).toBeDefined();
  // On a difference: `npm run docs:standards` rewrites the block from the rules.
  expect(block).toBe(standardsMatrix(rules));
});

describe("the rule reference (docs/rules/, written by `npm run docs:rules`)", () => {
  test("the index links every page, and the pack's doc links the index", () => {
    const index = rulesIndex(rules);
    for (const r of rules) expect(index).toContain(`](${r.id}.md)`);
    expect(POLICY_PACK_DOC).toContain("(rules/README.md)");
  });
});
