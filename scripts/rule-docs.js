#!/usr/bin/env node
/**
 * Writes the rule reference: docs/rules/README.md (the index) and docs/rules/<id>.md for every rule of
 * policies/list.ts, each with its fixtures (test/policies/<id>/) judged by the whole pack
 * (policies/reference.ts `rulePage`, `rulesIndex`). Pages of rules that no longer exist are removed.
 * Reads the compiled build: run through `npm run docs:rules` (which builds first).
 * test/policies/rules-meta.test.ts and rules-fresh.test.ts fail when a page and its rule disagree.
 */
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const { rules, policies } = require(path.join(root, "dist", "policies", "list"));
const { judgedFixtures, rulePage, rulesIndex, REFERENCE_DIR } = require(path.join(root, "dist", "policies", "reference"));

async function main() {
  const dir = path.join(root, REFERENCE_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const written = new Set(["README.md"]);
  fs.writeFileSync(path.join(dir, "README.md"), rulesIndex(rules));
  for (const rule of rules) {
    const page = rulePage(rule, await judgedFixtures(policies, rule, path.join(root, "test", "policies")));
    fs.writeFileSync(path.join(dir, `${rule.id}.md`), page);
    written.add(`${rule.id}.md`);
  }
  for (const f of fs.readdirSync(dir)) if (f.endsWith(".md") && !written.has(f)) fs.rmSync(path.join(dir, f));
  console.log(`rule-docs: ${rules.length} rule pages and the index written to ${REFERENCE_DIR}/`);
}

main().catch((e) => {
  console.error(`rule-docs: ${e.stack ?? e}`);
  process.exit(1);
});
