/**
 * Test sequencer for mutation runs only (jest.stryker.config.js). Stryker's jest runner, with
 * perTest coverage, runs every test FILE for every mutant and skips the non-covering tests by
 * name (testNamePattern): loading all 38 files costs ~8 s a mutant even when one test covers it.
 * This sequencer drops the files in which no test matches the pattern, using an index of test
 * full names per file (reports/mutation/test-index-v2.json, written by scripts/mutation.js from a
 * plain `jest --json` run). A dropped file would have run zero tests, so verdicts do not change.
 * Anything it cannot place (no index, a file missing from it, a pattern matching nothing known)
 * falls back to running every file, as Stryker would. Kept files run fastest first (their time in
 * the index run): jest.stryker.runner.js stops at the first failing file. STRYKER_SEQ_LOG=<file>
 * appends each selection (kept/all and the files) to that file, to see what a mutant run loads.
 */
const fs = require("fs");
const path = require("path");
const Sequencer = require("@jest/test-sequencer").default;

// Stryker runs in a sandbox copy without reports/: scripts/mutation.js passes the index's path.
const INDEX = process.env.STRYKER_TEST_INDEX || path.join(__dirname, "reports", "mutation", "test-index-v2.json");
let index;
function loadIndex() {
  if (index === undefined) {
    try {
      index = JSON.parse(fs.readFileSync(INDEX, "utf8"));
    } catch {
      index = null;
    }
  }
  return index;
}

const byRel = (t) => path.relative(__dirname, t.path).split(path.sep).join("/");

class CoveringFilesSequencer extends Sequencer {
  constructor(options) {
    super(options);
    this.pattern = options && options.globalConfig ? options.globalConfig.testNamePattern : undefined;
  }

  sort(tests) {
    const sorted = super.sort(tests);
    const idx = this.pattern ? loadIndex() : null;
    if (!idx) return sorted;
    const ms = (t) => (idx.durations && idx.durations[byRel(t)]) ?? Infinity;
    const re = new RegExp(this.pattern, "i");
    let matchedAny = false;
    const keep = sorted.filter((t) => {
      const names = idx.names[byRel(t)];
      if (!names) return true; // not indexed: run it
      const hit = names.some((n) => re.test(n));
      matchedAny = matchedAny || hit;
      return hit;
    });
    if (process.env.STRYKER_SEQ_LOG) fs.appendFileSync(process.env.STRYKER_SEQ_LOG, `${keep.length}/${sorted.length} ${keep.map(byRel).join(",")}\n`);
    return matchedAny ? keep.sort((a, b) => ms(a) - ms(b)) : sorted;
  }
}

module.exports = CoveringFilesSequencer;
