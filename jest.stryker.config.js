/**
 * Jest config for mutation testing (stryker.conf.json): the project's config, minus suites that
 * cannot see a mutant (the CLI tests run the compiled CLI in child processes, the pack's gRPC
 * process) or are too slow to rerun per mutant (the 10,000-resource run, the browser report, the
 * hostile-input files, the example stacks). The component suites (Pulumi mocks) are in.
 */
const base = require("./jest.config.js");

// Property suites (test/proofs) rerun for every mutant they cover: keep them at a small fixed size.
process.env.PROOF_RUNS = process.env.PROOF_RUNS || "15";
process.env.PROOF_QUIET = "1";

module.exports = {
  ...base,
  // Before each test of test/policies/<rule-id>/, evaluates that rule's module again, so Stryker
  // runs the rule's own tests for its load-time definition too (see the file).
  setupFilesAfterEnv: ["<rootDir>/test/support/stryker-rule-attribution.ts"],
  // Runs only the files holding the tests that cover the active mutant (see the file).
  testSequencer: "<rootDir>/jest.stryker.sequencer.js",
  // Stops a mutant run at the first failing file (see the file).
  runner: "<rootDir>/jest.stryker.runner.js",
  testPathIgnorePatterns: [
    "/node_modules/",
    "<rootDir>/test/cli/",
    "<rootDir>/test/policies/pack-process.test.ts",
    "<rootDir>/test/policies/scale.test.ts",
    // Plans both example stacks under mocks before its tests (2.5 s per mutant it covers, and it
    // covers nearly every mutant); the unit and fixture suites must kill what it would.
    "<rootDir>/test/policies/example-stacks.test.ts",
    // Checks the docs table; fails while a rule is being added, and never kills a mutant.
    "<rootDir>/test/policies/rules-meta.test.ts",
    "<rootDir>/test/proofs/hostile",
    "<rootDir>/test/architecture.test.ts",
    "<rootDir>/test/licenses.test.ts",
  ],
};
