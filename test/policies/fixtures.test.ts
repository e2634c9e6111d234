/**
 * One table test for every rule: test/policies/<rule-id>/{pass,fail}-*.json run through the harness
 * with the whole pack (as the engine would), then filtered to that rule. The fixture format and how a
 * fixture is judged: test/support/fixtures.ts.
 */
import * as fs from "fs";
import * as path from "path";
import { policies, rules } from "../../policies/list";
import { expectFixture, fixturesOf, FIXTURES_ROOT } from "../support/fixtures";

const cases = rules.flatMap((r) => fixturesOf(r.id).map(([file, fx]) => [r.id, file, fx] as const));

describe("every rule has its fixtures", () => {
  test.each(rules.map((r) => [r.id]))("%s has >= 2 pass and >= 2 fail fixtures", (id) => {
    const files = fixturesOf(id).map(([f]) => f);
    expect(files.filter((f) => f.startsWith("pass-")).length).toBeGreaterThanOrEqual(2);
    expect(files.filter((f) => f.startsWith("fail-")).length).toBeGreaterThanOrEqual(2);
  });
  test("no fixture folder without a rule", () => {
    const ids = new Set(rules.map((r) => r.id));
    const dirs = fs.readdirSync(FIXTURES_ROOT).filter((d) => fs.statSync(path.join(FIXTURES_ROOT, d)).isDirectory() && !d.startsWith("_"));
    expect(dirs.filter((d) => !ids.has(d))).toEqual([]);
  });
});

describe("rule fixtures", () => {
  test.each(cases.map(([id, file, fx]) => [`${id}/${file}`, id, file, fx] as const))("%s", async (_label, id, file, fx) => {
    await expectFixture(policies, rules.find((r) => r.id === id)!, file, fx);
  });
});
