/**
 * Test runner for mutation runs only (jest.stryker.config.js): jest's own runner, plus bail. In a
 * mutant run (Stryker sets a testNamePattern) it stops at the first test file with a failing test:
 * that failure already kills the mutant, and Stryker overrides jest's `bail` option. Files run
 * fastest first (jest.stryker.sequencer.js). The initial (coverage) run has no pattern and runs
 * everything, as before.
 */
const TestRunner = require("jest-runner").default;

class BailingRunner extends TestRunner {
  async runTests(tests, watcher, options) {
    if (!this._globalConfig.testNamePattern || !options.serial) return super.runTests(tests, watcher, options);
    let failed = false;
    const offSuccess = this.on("test-file-success", ([, result]) => {
      if (result.numFailingTests > 0 || result.testExecError) failed = true;
    });
    const offFailure = this.on("test-file-failure", () => {
      failed = true;
    });
    try {
      for (const test of tests) {
        if (failed) break;
        await super.runTests([test], watcher, options);
      }
    } finally {
      offSuccess();
      offFailure();
    }
  }
}

module.exports = BailingRunner;
