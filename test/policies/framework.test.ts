/**
 * The framework itself, with a toy rule defined here: unknown values decided on purpose, time-boxed
 * exceptions, config validation and defaults, level resolution (`all`), stack rules with `guard`.
 */
import { toPolicy } from "../../policies/policy";
import { createHarness, runPolicies, InputResource } from "../../policies/harness";
import { PolicyConfigError } from "../../policies/config";
import { UNKNOWN, SPECIAL_SIG_KEY, SECRET_SIG } from "../../policies/engine";
import { resourceRule, stackRule } from "../../policies/rule";
import type { Standards } from "../../core/standards";

const standards: Standards = { nhi: ["NHI7"], agentic: ["ASI03"], maestro: ["L4"], csf: ["PR.AA-01"] };

const toy = resourceRule<{ maxLength: number }>({
  id: "toy-short-name",
  title: "Ensure toy names are short",
  description: "Toy names must be short.",
  rationale: "Long toy names are hard to review",
  remediation: "Shorten the name.",
  standards,
  enforcementLevel: "mandatory",
  severity: "high",
  unknownDefault: "fail",
  configSchema: { properties: { maxLength: { type: "integer", minimum: 1, default: 5 } } },
  resourceTypes: ["toy:index:Thing", "toy:index:Other"],
  checkResource(r, ctx) {
    const label: unknown = r.props.label;
    if (typeof label === "string" && label.length > ctx.config.maxLength) {
      return [{ message: `must be at most ${ctx.config.maxLength} characters; got ${label.length}`, path: "label", value: label, fix: "shorten label", key: `label:${label}` }];
    }
    return [];
  },
});

const toyStack = stackRule<Record<string, never>>({
  id: "toy-unique-label",
  title: "Ensure toy labels are unique",
  description: "Toy labels must be unique across the stack.",
  rationale: "Two toys with one label get confused",
  remediation: "Rename one.",
  standards: { nhi: ["NHI9"], agentic: [], maestro: [], csf: [] },
  enforcementLevel: "advisory",
  severity: "medium",
  unknownDefault: "advisory",
  configSchema: { properties: {} },
  checkStack(resources, ctx) {
    const seen = new Map<string, string>();
    const out = [];
    for (const r of resources) {
      const label = ctx.guard(r, () => r.props.label as string | undefined);
      if (label === undefined) continue;
      const first = seen.get(label);
      if (first) out.push({ urn: r.urn, message: `must have a unique label; got '${label}' (also ${first})`, path: "label", fix: "rename", key: `label:${label}` });
      else seen.set(label, r.urn);
    }
    return out;
  },
});

const policies = [toPolicy(toy), toPolicy(toyStack)];
const resourceOnly = [toPolicy(toy)];
const thing = (name: string, label: unknown): InputResource => ({ type: "toy:index:Thing", name, props: { label } });

describe("resource rule wrapper", () => {
  test("reports a finding with where, why, fix, key and standards", async () => {
    const v = await runPolicies(resourceOnly, [thing("a", "toolong")]);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ policyName: "toy-short-name", ruleId: "toy-short-name", enforcementLevel: "mandatory", severity: "high", urn: "urn:pulumi:stack::project::toy:index:Thing::a" });
    expect(v[0].finding).toMatchObject({ path: "label", key: "label:toolong" });
    expect(v[0].message).toBe(
      "Toy names must be short.\ntoy:index:Thing 'a' at label: must be at most 5 characters; got 7. Why it matters: Long toy names are hard to review. " +
        "Fix: shorten label. Finding key: label:toolong. Standards: OWASP NHI7 Long-Lived Secrets; OWASP ASI03 Identity and Privilege Abuse; MAESTRO L4; NIST CSF PR.AA-01.",
    );
    expect(v[0].standards).toEqual(["OWASP-NHI7", "OWASP-ASI03", "MAESTRO-L4", "NIST-CSF-PR.AA-01"]);
  });

  test("type filter: other types are not checked", async () => {
    expect(await runPolicies(resourceOnly, [{ type: "toy:index:Nope", name: "a", props: { label: "toolong" } }])).toEqual([]);
    expect(await runPolicies(resourceOnly, [{ type: "toy:index:Other", name: "a", props: { label: "toolong" } }])).toHaveLength(1);
  });

  test("config thresholds apply and are validated", async () => {
    expect(await runPolicies(resourceOnly, [thing("a", "toolong")], { config: { "toy-short-name": { maxLength: 10 } } })).toEqual([]);
    await expect(runPolicies(resourceOnly, [], { config: { "toy-short-name": { maxLength: "x" } } })).rejects.toThrow(/toy-short-name.*maxLength/);
    await expect(runPolicies(resourceOnly, [], { config: { "toy-short-name": { maxLen: 3 } } })).rejects.toThrow(/toy-short-name.*maxLen/);
    await expect(runPolicies(resourceOnly, [], { config: { "no-such-policy": "mandatory" } })).rejects.toThrow(PolicyConfigError);
    await expect(runPolicies(resourceOnly, [], { config: { "toy-short-name": { exceptions: [{ owner: "o", reason: "r", expires: "2030-01-01" }] } } })).rejects.toThrow(
      /toy-short-name.*exceptions\[0\].*urn' or 'name/,
    );
    await expect(runPolicies(resourceOnly, [], { config: { "toy-short-name": { exceptions: [{ name: "a", owner: "o", reason: "r", expires: "2030-02-31" }] } } })).rejects.toThrow(
      /exceptions\[0\]\.expires/,
    );
  });

  test("levels: own config > all > default; disabled does not run", async () => {
    const r = [thing("a", "toolong")];
    expect((await runPolicies(resourceOnly, r, { config: { all: "advisory" } }))[0].enforcementLevel).toBe("advisory");
    expect((await runPolicies(resourceOnly, r, { config: { all: "advisory", "toy-short-name": "mandatory" } }))[0].enforcementLevel).toBe("mandatory");
    expect(await runPolicies(resourceOnly, r, { config: { "toy-short-name": { enforcementLevel: "disabled" } } })).toEqual([]);
    expect((await runPolicies(resourceOnly, r, { config: { "toy-short-name": "remediate" } }))[0].enforcementLevel).toBe("mandatory");
  });

  test("unknown at preview: fail (default) reports at the policy's level, advisory downgrades", async () => {
    const r = [thing("a", UNKNOWN)];
    const failed = await runPolicies(resourceOnly, r);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ enforcementLevel: "mandatory", outcome: "unknown", finding: { key: "unknown", path: "label" } });
    expect(failed[0].message).toMatch(/cannot be verified at preview: label is unknown/);
    const adv = await runPolicies(resourceOnly, r, { config: { "toy-short-name": { unknownValues: "advisory" } } });
    expect(adv).toHaveLength(1);
    expect(adv[0]).toMatchObject({ enforcementLevel: "advisory", outcome: "unknown" });
    expect(adv[0].message.startsWith("Toy names must be short.\n")).toBe(true);
  });

  test("secrets: a readable secret is checked, an encrypted-only one is unknown", async () => {
    const readable = await runPolicies(resourceOnly, [thing("a", { [SPECIAL_SIG_KEY]: SECRET_SIG, value: "toolong" })]);
    expect(readable.map((v) => v.finding?.key)).toEqual(["label:toolong"]);
    const sealed = await runPolicies(resourceOnly, [thing("a", { [SPECIAL_SIG_KEY]: SECRET_SIG, ciphertext: "AAAA" })]);
    expect(sealed.map((v) => v.outcome)).toEqual(["unknown"]);
  });

  test("exceptions: active ones suppress (and are listed), expired ones do not and say so", async () => {
    const now = new Date("2026-06-15T12:00:00Z");
    const exc = (expires: string, extra: object = {}) => ({ "toy-short-name": { exceptions: [{ name: "a*", owner: "team-x", reason: "legacy", expires, ...extra }] } });
    const h = createHarness(resourceOnly, { config: exc("2026-06-15"), now });
    const res = await h.run([thing("abc", "toolong"), thing("zzz", "toolong")]);
    expect(res.violations.map((v) => v.urn)).toEqual(["urn:pulumi:stack::project::toy:index:Thing::zzz"]);
    expect(res.suppressed).toHaveLength(1);
    const expired = await runPolicies(resourceOnly, [thing("abc", "toolong")], { config: exc("2026-06-14"), now });
    expect(expired).toHaveLength(1);
    expect(expired[0].expiredException?.exception.owner).toBe("team-x");
    expect(expired[0].message).toMatch(/expired on 2026-06-14 and no longer applies/);
    // key globs narrow the exception
    expect(await runPolicies(resourceOnly, [thing("abc", "toolong")], { config: exc("2099-01-01", { key: "label:other" }), now })).toHaveLength(1);
    expect(await runPolicies(resourceOnly, [thing("abc", "toolong")], { config: exc("2099-01-01", { key: "label:*" }), now })).toHaveLength(0);
  });
});

describe("stack rule wrapper", () => {
  test("gets every resource; findings name their resource; guard isolates unknowns", async () => {
    const v = await runPolicies(policies, [thing("a", "x"), thing("b", "x"), thing("c", UNKNOWN), thing("d", "y")]);
    const stack = v.filter((x) => x.ruleId === "toy-unique-label");
    expect(stack.map((x) => [x.urn?.split("::").pop(), x.outcome, x.enforcementLevel])).toEqual([
      ["b", "finding", "advisory"],
      ["c", "unknown", "advisory"],
    ]);
  });

  test("parent and dependencies are resolved to resource objects", async () => {
    let seen: unknown;
    const probe = toPolicy(
      stackRule<Record<string, never>>({
        ...toyStack,
        id: "toy-probe",
        checkStack(resources) {
          seen = resources.map((r) => [r.name, r.parent?.name, r.dependencies.map((d) => d.name), Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.map((d) => d.name)]))]);
          return [];
        },
      }),
    );
    const p = "urn:pulumi:stack::project::toy:index:Thing::p";
    await runPolicies([probe], [
      { urn: p, type: "toy:index:Thing", name: "p", props: {} },
      { type: "toy:index:Thing", name: "c", props: {}, parent: p, dependencies: [p, "urn:missing"], propertyDependencies: { label: [p] } },
    ]);
    expect(seen).toEqual([
      ["p", undefined, [], {}],
      ["c", "p", ["p"], { label: ["p"] }],
    ]);
  });
});

describe("toPolicy metadata", () => {
  test("fills the 1.21.0 policy fields", () => {
    const p = toPolicy(toy);
    expect(p).toMatchObject({
      name: "toy-short-name",
      displayName: "Ensure toy names are short",
      enforcementLevel: "mandatory",
      severity: "high",
      remediationSteps: "Shorten the name.",
      tags: ["OWASP-NHI7", "OWASP-ASI03", "MAESTRO-L4", "NIST-CSF-PR.AA-01"],
      framework: { name: "OWASP Non-Human Identities Top 10", version: "2025", reference: "NHI7" },
    });
    expect(Object.keys(p.configSchema!.properties).sort()).toEqual(["exceptions", "maxLength", "unknownValues"]);
    expect(p.configSchema!.properties.unknownValues.default).toBe("fail");
  });
  test("rejects bad ids and titles", () => {
    expect(() => toPolicy({ ...toy, id: "Bad_Id" })).toThrow(/kebab/);
    expect(() => toPolicy({ ...toy, title: "Toy names are short" })).toThrow(/Ensure/);
  });
});

describe("stripDot (message ends)", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fc = require("fast-check") as typeof import("fast-check");
  test("removes trailing dots and white space exactly as /[.\\s]+$/ did", () => {
    const { stripDot } = jest.requireActual("../../policies/policy") as typeof import("../../policies/policy");
    expect(stripDot("the key is static. ")).toBe("the key is static");
    expect(stripDot("ends with an ellipsis...\n\t")).toBe("ends with an ellipsis");
    expect(stripDot(". .\u00a0.\u2028")).toBe("");
    expect(stripDot("v1.2 is pinned")).toBe("v1.2 is pinned");
    const chars = fc.constantFrom("a", ".", " ", "\n", "\t", "\u00a0", "\u2003", "\u3000", "\ufeff", "\u200b", "x");
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 12 }), (cs) => {
        const s = cs.join("");
        expect(stripDot(s)).toBe(s.replace(/[.\s]+$/, ""));
      }),
      { numRuns: 3000, seed: 29 },
    );
  });
});
