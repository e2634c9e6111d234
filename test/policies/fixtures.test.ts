/**
 * One table test for every rule: test/policies/<rule-id>/{pass,fail}-*.json run through the harness
 * with the whole pack (as the engine would), then filtered to that rule.
 *
 * Fixture format (see docs/policy-pack.md):
 * {
 *   "description": "what this case is",
 *   "resources": [{ "urn"?, "type", "name", "props", "parent"?, "dependencies"?, "propertyDependencies"? }],
 *   "config"?: { ...this rule's policy config (thresholds, exceptions, unknownValues, enforcementLevel) },
 *   "now"?: "YYYY-MM-DD",               // pins "today" (default 2026-11-15)
 *   "expect"?: [{ "resource": name, "key": finding key, "path"?: finding path,
 *                 "outcome"?: "finding" | "unknown", "enforcementLevel"?: "mandatory" | "advisory" }]
 * }
 * pass-*: zero violations of the rule. fail-*: exactly the expected (resource, key, path) multiset,
 * and outcome/level where given.
 */
import * as fs from "fs";
import * as path from "path";
import { policies, rules } from "../../policies/list";
import { runPolicies, InputResource, Violation } from "../../policies/harness";
import { standardsLine } from "../../core/standards";

const ROOT = __dirname;
const DEFAULT_NOW = "2026-11-15";

interface Expectation {
  resource: string;
  key: string;
  path?: string;
  outcome?: "finding" | "unknown";
  enforcementLevel?: "mandatory" | "advisory";
}

interface Fixture {
  description: string;
  resources: InputResource[];
  config?: Record<string, unknown>;
  now?: string;
  expect?: Expectation[];
}

function fixturesOf(ruleId: string): Array<[string, Fixture]> {
  const dir = path.join(ROOT, ruleId);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /^(pass|fail)-.+\.json$/.test(f))
    .sort()
    .map((f) => [f, JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as Fixture]);
}

const cases = rules.flatMap((r) => fixturesOf(r.id).map(([file, fx]) => [r.id, file, fx] as const));

function resourceName(v: Violation, fx: Fixture): string {
  const r = fx.resources.find((x) => (x.urn ?? `urn:pulumi:stack::project::${x.type}::${x.name}`) === v.urn);
  return r?.name ?? String(v.urn);
}

function project(v: Violation, fx: Fixture): Expectation {
  const e: Expectation = { resource: resourceName(v, fx), key: String(v.finding?.key) };
  if (v.finding?.path !== undefined) e.path = v.finding.path;
  return e;
}

const order = (a: Expectation, b: Expectation) => JSON.stringify(a).localeCompare(JSON.stringify(b));

describe("every rule has its fixtures", () => {
  test.each(rules.map((r) => [r.id]))("%s has >= 2 pass and >= 2 fail fixtures", (id) => {
    const files = fixturesOf(id).map(([f]) => f);
    expect(files.filter((f) => f.startsWith("pass-")).length).toBeGreaterThanOrEqual(2);
    expect(files.filter((f) => f.startsWith("fail-")).length).toBeGreaterThanOrEqual(2);
  });
  test("no fixture folder without a rule", () => {
    const ids = new Set(rules.map((r) => r.id));
    const dirs = fs.readdirSync(ROOT).filter((d) => fs.statSync(path.join(ROOT, d)).isDirectory() && !d.startsWith("_"));
    expect(dirs.filter((d) => !ids.has(d))).toEqual([]);
  });
});

describe("rule fixtures", () => {
  test.each(cases.map(([id, file, fx]) => [`${id}/${file}`, id, file, fx] as const))("%s", async (_label, id, file, fx) => {
    expect(typeof fx.description).toBe("string");
    const rule = rules.find((r) => r.id === id)!;
    const config = fx.config ? { [id]: fx.config } : undefined;
    const all = await runPolicies(policies, fx.resources, { config, now: new Date(`${fx.now ?? DEFAULT_NOW}T12:00:00Z`) });
    const mine = all.filter((v) => v.ruleId === id);
    if (file.startsWith("pass-")) {
      expect(mine.map((v) => v.message)).toEqual([]);
      return;
    }
    expect(fx.expect?.length).toBeGreaterThan(0);
    expect(mine.map((v) => project(v, fx)).sort(order)).toEqual(fx.expect!.map(({ resource, key, path: p }) => (p === undefined ? { resource, key } : { resource, key, path: p })).sort(order));
    for (const exp of fx.expect!) {
      if (!exp.outcome && !exp.enforcementLevel) continue;
      const hit = mine.find((v) => project(v, fx).resource === exp.resource && v.finding?.key === exp.key);
      if (exp.outcome) expect(hit?.outcome).toBe(exp.outcome);
      if (exp.enforcementLevel) expect(hit?.enforcementLevel).toBe(exp.enforcementLevel);
    }
    for (const v of mine) {
      expect(v.message.startsWith(`${rule.description}\n`)).toBe(true);
      expect(v.message).toContain(`Standards: ${standardsLine(rule.standards)}.`);
      expect(v.message).toContain("Fix: ");
      expect(v.message).toContain("Why it matters: ");
    }
  });
});
