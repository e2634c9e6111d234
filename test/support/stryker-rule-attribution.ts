/**
 * Mutation runs only (jest.stryker.config.js `setupFilesAfterEnv`; never in `npm test`).
 *
 * A rule's definition (type lists, tables, config schema, texts) is built when its module loads.
 * Stryker credits code that runs while a test FILE loads to no test: with `ignoreStatic` it leaves
 * those mutants out, and once some test evaluates the module again (test/policies/rules-fresh.test.ts)
 * it runs only that test for them, although the rule's own unit tests exercise the same tables.
 * This hook evaluates the rule of test/policies/<rule-id>/ again (imports shared) before each test in
 * that folder, so Stryker also runs the rule's own tests for its load-time mutants. The tests still
 * use the module their file imported, which jest loads with the same mutant active: the fresh copy
 * only tells Stryker which tests can see the rule's definition; it decides no verdict.
 */
import * as fs from "fs";
import * as path from "path";
import { freshRule, RULES_DIR } from "./fresh-rule";

beforeEach(() => {
  const m = /[\\/]test[\\/]policies[\\/]([a-z0-9-]+)[\\/][^\\/]+\.test\.ts$/.exec(expect.getState().testPath ?? "");
  if (m && fs.existsSync(path.join(RULES_DIR, `${m[1]}.ts`))) freshRule(`${m[1]}.ts`);
});
