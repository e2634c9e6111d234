/**
 * The rule fixtures (test/policies/<rule-id>/{pass,fail}-*.json) and how one is judged, shared by
 * test/policies/fixtures.test.ts (the pack as loaded) and test/policies/rules-fresh.test.ts (each
 * rule loaded afresh inside a test, so mutation testing measures its module-level definition).
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
import * as path from "path";
import type { Policies } from "@pulumi/policy";
import type { Violation } from "../../policies/harness";
import { fixtureResource, judgeFixture, readFixtures, type FixtureExpectation as Expectation, type RuleFixture as Fixture } from "../../policies/reference";
import type { Rule } from "../../policies/rule";
import { standardsLine } from "../../core/standards";

export type { Expectation, Fixture };

export const FIXTURES_ROOT = path.join(__dirname, "..", "policies");

/** A rule's fixtures, by file name, sorted. */
export function fixturesOf(ruleId: string): Array<[string, Fixture]> {
  return readFixtures(FIXTURES_ROOT, ruleId);
}

function resourceName(v: Violation, fx: Fixture): string {
  return fixtureResource(fx, v.urn)?.name ?? String(v.urn);
}

function project(v: Violation, fx: Fixture): Expectation {
  const e: Expectation = { resource: resourceName(v, fx), key: String(v.finding?.key) };
  if (v.finding?.path !== undefined) e.path = v.finding.path;
  return e;
}

const order = (a: Expectation, b: Expectation) => JSON.stringify(a).localeCompare(JSON.stringify(b));

/**
 * Runs `policies` (a whole pack, as the engine would) over one fixture of `rule` and checks the
 * rule's violations against the fixture: none for pass-*, exactly the expected ones for fail-*, and
 * every message in the engine's shape (the rule's description, standards, fix, why).
 */
export async function expectFixture(policies: Policies, rule: Rule, file: string, fx: Fixture): Promise<void> {
  expect(typeof fx.description).toBe("string");
  const mine = await judgeFixture(policies, rule, fx);
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
}
