#!/usr/bin/env node
/**
 * Writes the pack's standards matrix (core/standards.ts `standardsMatrix` over policies/list.ts's
 * rules) into docs/policy-pack.md between its `standards:start` / `standards:end` markers.
 * Reads the compiled build: run through `npm run docs:standards` (which builds first).
 * test/policies/rules-meta.test.ts fails when the docs and the rules disagree.
 */
const path = require("path");
const { writeBetweenMarkers } = require("./markers");

const root = path.resolve(__dirname, "..");
const { rules } = require(path.join(root, "dist", "policies", "list"));
const { standardsMatrix } = require(path.join(root, "dist", "core", "standards"));

const file = path.join(root, "docs", "policy-pack.md");
writeBetweenMarkers(file, "standards", standardsMatrix(rules), "standards-matrix");
console.log(`standards-matrix: ${rules.length} rules written to ${path.relative(root, file)}`);
