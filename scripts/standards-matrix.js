#!/usr/bin/env node
/**
 * Writes the pack's standards matrix (core/standards.ts `standardsMatrix` over policies/list.ts's
 * rules) into docs/policy-pack.md between its `standards:start` / `standards:end` markers.
 * Reads the compiled build: run through `npm run docs:standards` (which builds first).
 * test/policies/rules-meta.test.ts fails when the docs and the rules disagree.
 */
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const { rules } = require(path.join(root, "dist", "policies", "list"));
const { standardsMatrix } = require(path.join(root, "dist", "core", "standards"));

const file = path.join(root, "docs", "policy-pack.md");
const START = "<!-- standards:start -->";
const END = "<!-- standards:end -->";
const text = fs.readFileSync(file, "utf8");
const a = text.indexOf(START);
const b = text.indexOf(END);
if (a < 0 || b < a) {
  console.error(`standards-matrix: ${path.relative(root, file)} has no ${START} … ${END} block; add the two markers where the matrix belongs`);
  process.exit(2);
}
fs.writeFileSync(file, `${text.slice(0, a + START.length)}\n${standardsMatrix(rules)}\n${text.slice(b)}`);
console.log(`standards-matrix: ${rules.length} rules written to ${path.relative(root, file)}`);
