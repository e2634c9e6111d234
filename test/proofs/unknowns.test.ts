/**
 * Preview unknowns: every rule of the pack (policies/list.ts `rules`) is run on each of its fail
 * fixtures (test/policies/<rule-id>/fail-*.json) with each input of each resource replaced, in turn,
 * by the engine's unknown sentinel (top-level props, and every leaf down to depth 3).
 *
 * What must hold for every substitution (the rule's declared behaviour):
 * - nothing escapes the harness (no exception) and the server's own silent downgrade ("can't run
 *   policy … during preview") never appears: the rule decides about the unknown itself;
 * - every unknown-outcome violation says the value is unknown and carries the declared level:
 *   `unknownValues: fail` (the default for defect rules) → the policy's level, `advisory` → advisory;
 * - no silent pass: when the unknown input is the one a finding was about (the finding's path starts
 *   with it), the pack still reports the resource — the original finding, or a violation saying the
 *   value is unknown at the declared level, from this rule or (at that level or mandatory) from the
 *   pack rule that owns that input (aws-iam-no-privileged-role-passing and
 *   aws-iam-third-party-external-id read documents with `peek` on purpose and leave unknown trust and
 *   grant documents to aws-iam-trust-pinned and aws-iam-no-escalating-grants).
 */
import * as path from "path";
import { policies, rules } from "../../policies/list";
import { runPolicies, type InputResource, type Violation } from "../../policies/harness";
import { SPECIAL_SIG_KEY, UNKNOWN } from "../../policies/engine";
import { FIXTURE_DEFAULT_NOW, readFixtures } from "../../policies/reference";

const FIXTURES = path.join(__dirname, "..", "policies");

const failFixtures = (id: string) => readFixtures(FIXTURES, id).filter(([f]) => f.startsWith("fail-"));

type Seg = string | number;
/** Leaf paths of a props object (JSON-string documents are leaves), the top-level keys included. */
function inputPaths(v: unknown, prefix: Seg[] = [], depth = 0): Seg[][] {
  const out: Seg[][] = prefix.length ? [prefix] : [];
  if (depth >= 3 || v === null || typeof v !== "object") return out;
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...inputPaths(x, [...prefix, i], depth + 1)));
  // A secret envelope's signature is not an input (the engine never sends an unknown there); its value is.
  else for (const [k, x] of Object.entries(v)) if (k !== SPECIAL_SIG_KEY) out.push(...inputPaths(x, [...prefix, k], depth + 1));
  return out;
}

function withUnknown<T>(v: T, p: Seg[]): T {
  const copy = JSON.parse(JSON.stringify(v)); // not structuredClone: under jest it makes arrays of another realm
  let o = copy;
  for (const s of p.slice(0, -1)) o = o[s];
  o[p[p.length - 1]] = UNKNOWN;
  return copy;
}

const urnOf = (r: InputResource) => r.urn ?? `urn:pulumi:stack::project::${r.type}::${r.name}`;
const fmt = (p: Seg[]) => p.map((s, i) => (typeof s === "number" ? `[${s}]` : i ? `.${s}` : s)).join("");

const cases = rules.flatMap((rule) => failFixtures(rule.id).map(([file, fx]) => [rule.id, file, fx] as const));

describe("preview unknowns: every rule, every input unknown in turn", () => {
  const tally = { substitutions: 0, unknownViolations: 0, findingKept: 0, deferredToOwningRule: 0 };

  test("every rule with fixtures is covered", () => {
    const covered = new Set(cases.map(([id]) => id));
    expect(rules.filter((r) => failFixtures(r.id).length > 0).map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
    expect(covered.size).toBeGreaterThanOrEqual(13);
  });

  test.each(cases)("%s / %s", async (id, _file, fx) => {
    const rule = rules.find((r) => r.id === id)!;
    const policy = policies;
    const own = (fx.config ?? {}) as { enforcementLevel?: string; unknownValues?: string };
    const level = own.enforcementLevel === "remediate" ? "mandatory" : (own.enforcementLevel ?? rule.enforcementLevel);
    const mode = own.unknownValues ?? rule.unknownDefault;
    const expectedUnknownLevel = mode === "advisory" ? "advisory" : level;
    const opts = { config: fx.config ? { [id]: fx.config } : {}, now: new Date(`${fx.now ?? FIXTURE_DEFAULT_NOW}T00:00:00Z`) };
    const baseline = (await runPolicies(policy, fx.resources, opts)).filter((v) => v.ruleId === id);
    expect(policy.some((p) => p.name === id)).toBe(true);
    expect(baseline.length).toBeGreaterThan(0); // a fail fixture fails

    const problems: string[] = [];
    for (let ri = 0; ri < fx.resources.length; ri++) {
      const r = fx.resources[ri];
      for (const p of inputPaths(r.props ?? {})) {
        const resources = fx.resources.map((x, i) => (i === ri ? { ...x, props: withUnknown(x.props ?? {}, p) } : x));
        let all: Violation[];
        try {
          all = await runPolicies(policy, resources, opts);
        } catch (e) {
          problems.push(`${r.name}.${fmt(p)}: exception ${(e as Error).message.split("\n").slice(0, process.env.PROOF_DEBUG ? 12 : 1).join(" | ")}`);
          continue;
        }
        tally.substitutions++;
        const vs = all.filter((v) => v.ruleId === id || v.policyName === id);
        for (const v of all) if (/can't run policy/.test(v.message)) problems.push(`${r.name}.${fmt(p)}: the server's silent downgrade in ${v.policyName}`);
        const where = `${r.name}.${fmt(p)}`;
        for (const v of vs) {
          if (/can't run policy/.test(v.message)) problems.push(`${where}: the server's silent downgrade: ${v.message.slice(0, 120)}`);
          if (v.outcome === "unknown") {
            tally.unknownViolations++;
            if (v.enforcementLevel !== expectedUnknownLevel) problems.push(`${where}: unknown reported at ${v.enforcementLevel}, declared ${expectedUnknownLevel}`);
            if (!/unknown/.test(v.message)) problems.push(`${where}: unknown violation does not say so`);
          }
        }
        // No silent pass: an original finding on this very input still yields a violation on the resource.
        const top = fmt(p);
        const hit = baseline.filter((b) => b.urn === urnOf(r) && b.finding?.path !== undefined && (b.finding.path === top || b.finding.path.startsWith(`${top}.`) || b.finding.path.startsWith(`${top}[`)));
        if (hit.length > 0) {
          const after = vs.filter((v) => v.urn === urnOf(r));
          // Another rule's report counts at the declared level or a stricter one (an advisory rule may leave an
          // unknown trust to aws-iam-trust-pinned, which fails it as mandatory).
          const elsewhere = all.filter((v) => v.urn === urnOf(r) && v.outcome === "unknown" && (v.enforcementLevel === expectedUnknownLevel || v.enforcementLevel === "mandatory"));
          if (after.length === 0 && elsewhere.length === 0) problems.push(`${where}: silent pass (was: ${hit.map((h) => h.finding?.key).join(", ")})`);
          else if (after.length === 0) tally.deferredToOwningRule++;
          else if (after.some((v) => v.outcome === "finding")) tally.findingKept++;
        }
      }
    }
    expect(problems).toEqual([]);
  });

  afterAll(() => {
    if (process.env.PROOF_QUIET !== "1") console.log(`unknowns: ${JSON.stringify(tally)}`);
  });
});
