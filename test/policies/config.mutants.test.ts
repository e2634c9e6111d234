/**
 * Pins the exact observable behaviour of policies/config.ts that the framework tests left loose:
 * the full common configSchema (exceptions items, unknownValues) and what the harness rejects with
 * it, the reserved property names and the copied `required` list of fullConfigSchema, schemaDefaults
 * (only properties that declare a default), PolicyConfigError's name and message, checkExceptions'
 * messages, parseDay's anchoring and calendar checks, the inclusive last day of an exception, glob
 * `?`, matchException's urn / name / key filters, and makeConfigResolver's own exception check.
 */
import {
  checkExceptions,
  commonSchemaProperties,
  exceptionActive,
  fullConfigSchema,
  globMatch,
  makeConfigResolver,
  matchException,
  parseDay,
  PolicyConfigError,
  schemaDefaults,
} from "../../policies/config";
import { runPolicies } from "../../policies/harness";
import { toPolicy } from "../../policies/policy";
import { resourceRule, ResourceRule, RuleException } from "../../policies/rule";

type ToyConfig = { maxLength: number; label?: string };

/** A minimal resource rule; `configSchema` and other fields can be overridden per test. */
function toyRule(overrides: Partial<ResourceRule<ToyConfig>> = {}): ResourceRule<ToyConfig> {
  return resourceRule<ToyConfig>({
    id: "toy-config",
    title: "Ensure toy config is read",
    description: "Toy config.",
    rationale: "Toys need config",
    remediation: "Configure the toy.",
    standards: { nhi: [], agentic: [], maestro: [], csf: [] },
    enforcementLevel: "mandatory",
    severity: "low",
    unknownDefault: "fail",
    configSchema: { properties: { maxLength: { type: "integer", minimum: 1, default: 5 }, label: { type: "string" } } },
    resourceTypes: ["toy:index:Thing"],
    checkResource: () => [],
    ...overrides,
  });
}

const exc = (extra: Partial<RuleException> = {}): RuleException => ({ owner: "team-x", reason: "legacy", expires: "2026-06-15", ...extra });
const URN_A = "urn:pulumi:dev::proj::toy:index:Thing::alpha";
const WHERE_A = { urn: URN_A, name: "alpha" };
const NOON = new Date("2026-06-10T12:00:00Z");

/** The message of what `fn` throws (fails the test when it does not throw). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a throw");
}

describe("commonSchemaProperties: the exact common schema", () => {
  const expected = (unknownDefault: string) => ({
    exceptions: {
      type: "array",
      description:
        "Time-boxed exceptions. Each names the resource (urn and/or name glob), optionally the finding key (glob), " +
        "who accepted the risk, why, and the last day it applies (YYYY-MM-DD). An expired exception no longer suppresses.",
      default: [],
      items: {
        type: "object",
        properties: {
          urn: { type: "string", minLength: 1, description: "Glob over the resource URN." },
          name: { type: "string", minLength: 1, description: "Glob over the resource name." },
          key: { type: "string", minLength: 1, description: "Glob over the finding key; absent = all findings of this rule." },
          owner: { type: "string", minLength: 1 },
          reason: { type: "string", minLength: 1 },
          expires: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "Last day (UTC) the exception applies." },
        },
        required: ["owner", "reason", "expires"],
        additionalProperties: false,
      },
    },
    unknownValues: {
      type: "string",
      enum: ["fail", "advisory"],
      default: unknownDefault,
      description:
        "What to do when a checked value is unknown at preview: 'fail' reports a violation at the policy's level, " +
        "'advisory' reports an advisory.",
    },
  });

  test("unknownDefault 'fail': exceptions and unknownValues schemas, descriptions included", () => {
    expect(commonSchemaProperties("fail")).toStrictEqual(expected("fail"));
  });

  test("unknownDefault 'advisory' only changes the unknownValues default", () => {
    expect(commonSchemaProperties("advisory")).toStrictEqual(expected("advisory"));
  });
});

describe("the common schema as the harness enforces it", () => {
  const policies = () => [toPolicy(toyRule())];
  const run = (config: Record<string, unknown>) => runPolicies(policies(), [], { config: { "toy-config": config } });
  const base = { name: "alpha", owner: "team-x", reason: "legacy", expires: "2030-01-01" };

  test("an exception with an unlisted property is rejected (additionalProperties: false)", async () => {
    await expect(run({ exceptions: [{ ...base, extra: 1 }] })).rejects.toThrow(
      "invalid config for policy 'toy-config' at 'exceptions[0].extra': must NOT have additional properties ({\"additionalProperty\":\"extra\"})",
    );
  });

  test.each(["owner", "reason", "expires"])("an exception without %s is rejected (required)", async (field) => {
    const e: Record<string, unknown> = { ...base };
    delete e[field];
    await expect(run({ exceptions: [e] })).rejects.toThrow(
      `invalid config for policy 'toy-config' at 'exceptions[0].${field}': must have required property '${field}' ({"missingProperty":"${field}"})`,
    );
  });

  test.each(["urn", "name", "key", "owner", "reason"])("an empty %s is rejected (minLength 1)", async (field) => {
    await expect(run({ exceptions: [{ ...base, [field]: "" }] })).rejects.toThrow(
      `invalid config for policy 'toy-config' at 'exceptions[0].${field}': must NOT have fewer than 1 characters ({"limit":1})`,
    );
  });

  test.each(["urn", "name", "key", "owner", "reason", "expires"])("a non-string %s is rejected (type string)", async (field) => {
    await expect(run({ exceptions: [{ ...base, [field]: 7 }] })).rejects.toThrow(
      `invalid config for policy 'toy-config' at 'exceptions[0].${field}': must be string ({"type":"string"})`,
    );
  });

  test("an expiry that is not YYYY-MM-DD is rejected by the schema pattern", async () => {
    await expect(run({ exceptions: [{ ...base, expires: "2030-1-01" }] })).rejects.toThrow(
      'invalid config for policy \'toy-config\' at \'exceptions[0].expires\': must match pattern "^\\d{4}-\\d{2}-\\d{2}$" ({"pattern":"^\\\\d{4}-\\\\d{2}-\\\\d{2}$"})',
    );
  });

  test("exceptions must be an array of objects", async () => {
    await expect(run({ exceptions: {} })).rejects.toThrow("invalid config for policy 'toy-config' at 'exceptions': must be array ({\"type\":\"array\"})");
    await expect(run({ exceptions: ["x"] })).rejects.toThrow("invalid config for policy 'toy-config' at 'exceptions[0]': must be object ({\"type\":\"object\"})");
  });

  test("unknownValues accepts only 'fail' and 'advisory'", async () => {
    await expect(run({ unknownValues: "warn" })).rejects.toThrow(
      "invalid config for policy 'toy-config' at 'unknownValues': must be equal to one of the allowed values ({\"allowedValues\":[\"fail\",\"advisory\"]})",
    );
    await expect(run({ unknownValues: 1 })).rejects.toThrow("invalid config for policy 'toy-config' at 'unknownValues': must be string ({\"type\":\"string\"})");
    await expect(run({ unknownValues: "advisory", exceptions: [base] })).resolves.toEqual([]);
  });
});

describe("fullConfigSchema", () => {
  test.each(["exceptions", "unknownValues", "enforcementLevel"])("a rule declaring '%s' itself is rejected with the rule id", (k) => {
    const rule = toyRule({ configSchema: { properties: { maxLength: { type: "integer", default: 5 }, [k]: { type: "string" } } } });
    const e = thrown(() => fullConfigSchema(rule));
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toBe(`rule 'toy-config': configSchema must not declare '${k}' (it is common to every rule)`);
  });

  test("own properties come first, then the common ones; no required list when the rule has none", () => {
    const rule = toyRule();
    const s = fullConfigSchema(rule);
    expect(Object.keys(s)).toEqual(["properties"]);
    expect(Object.keys(s.properties)).toEqual(["maxLength", "label", "exceptions", "unknownValues"]);
    expect(s.properties.maxLength).toStrictEqual({ type: "integer", minimum: 1, default: 5 });
    expect(s.properties.unknownValues.default).toBe("fail");
  });

  test("an empty required list is left out", () => {
    const s = fullConfigSchema(toyRule({ configSchema: { properties: { label: { type: "string" } }, required: [] } }));
    expect("required" in s).toBe(false);
  });

  test("the rule's required list is kept, as a copy", () => {
    const required = ["label", "maxLength"];
    const s = fullConfigSchema(toyRule({ configSchema: { properties: { maxLength: { type: "integer" }, label: { type: "string" } }, required } }));
    expect(s.required).toEqual(["label", "maxLength"]);
    expect(s.required).not.toBe(required);
  });

  test("the required list reaches the harness: a config without the required property is rejected", async () => {
    const rule = toyRule({ configSchema: { properties: { maxLength: { type: "integer" }, label: { type: "string" } }, required: ["label"] } });
    await expect(runPolicies([toPolicy(rule)], [], { config: { "toy-config": { maxLength: 3 } } })).rejects.toThrow(
      "invalid config for policy 'toy-config' at 'label': must have required property 'label' ({\"missingProperty\":\"label\"})",
    );
  });
});

describe("schemaDefaults", () => {
  test("holds exactly the properties that declare a default (no key for the others)", () => {
    const d = schemaDefaults(toyRule());
    expect(Object.keys(d).sort()).toEqual(["exceptions", "maxLength", "unknownValues"]);
    expect(d).toStrictEqual({ maxLength: 5, exceptions: [], unknownValues: "fail" });
  });

  test("uses the rule's unknownDefault and a falsy default still counts", () => {
    const rule = toyRule({ unknownDefault: "advisory", configSchema: { properties: { strict: { type: "boolean", default: false }, label: { type: "string" } } } });
    expect(schemaDefaults(rule)).toStrictEqual({ strict: false, exceptions: [], unknownValues: "advisory" });
  });

  test("returns deep copies: mutating one result does not change the schema or the next result", () => {
    const rule = toyRule({ configSchema: { properties: { tags: { type: "array", items: { type: "string" }, default: ["a"] } } } });
    const first = schemaDefaults(rule) as { tags: string[]; exceptions: unknown[] };
    first.tags.push("b");
    first.exceptions.push("x");
    expect(schemaDefaults(rule)).toStrictEqual({ tags: ["a"], exceptions: [], unknownValues: "fail" });
  });
});

describe("PolicyConfigError", () => {
  test("has its own name, the policy, the field and a message naming both", () => {
    const e = new PolicyConfigError("toy-config", "exceptions[2].expires", "nope");
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("PolicyConfigError");
    expect(e.policy).toBe("toy-config");
    expect(e.field).toBe("exceptions[2].expires");
    expect(e.message).toBe("invalid config for policy 'toy-config' at 'exceptions[2].expires': nope");
    expect(String(e)).toBe("PolicyConfigError: invalid config for policy 'toy-config' at 'exceptions[2].expires': nope");
  });
});

describe("checkExceptions", () => {
  test("an exception naming the resource by urn only, or by name only, is accepted", () => {
    expect(checkExceptions("toy-config", [exc({ urn: "urn:*" }), exc({ name: "alpha" }), exc({ urn: "urn:*", name: "a*" })])).toBeUndefined();
  });

  test("an exception naming neither urn nor name is rejected at its index", () => {
    const e = thrown(() => checkExceptions("toy-config", [exc({ name: "alpha" }), exc({ key: "k" })])) as PolicyConfigError;
    expect(e).toBeInstanceOf(PolicyConfigError);
    expect(e.field).toBe("exceptions[1]");
    expect(e.message).toBe("invalid config for policy 'toy-config' at 'exceptions[1]': an exception must name the resource with 'urn' or 'name' (a glob)");
  });

  test("an expiry that is not a calendar date is rejected with the date and its index", () => {
    const e = thrown(() => checkExceptions("toy-config", [exc({ name: "alpha" }), exc({ urn: "urn:*", expires: "2030-02-31" })])) as PolicyConfigError;
    expect(e).toBeInstanceOf(PolicyConfigError);
    expect(e.field).toBe("exceptions[1].expires");
    expect(e.message).toBe("invalid config for policy 'toy-config' at 'exceptions[1].expires': '2030-02-31' is not a valid date (YYYY-MM-DD)");
  });
});

describe("parseDay", () => {
  test.each<[string, number]>([
    ["2026-06-15", 1781481600000],
    ["2024-02-29", 1709164800000],
    ["2030-12-31", 1924905600000],
    ["1970-01-01", 0],
  ])("%s → midnight UTC", (s, t) => expect(parseDay(s)).toBe(t));

  test.each([
    ["2030-01-01x", "trailing text"],
    ["x2030-01-01", "leading text"],
    ["2030-01-01T00:00:00Z", "a timestamp"],
    [" 2030-01-01", "leading space"],
    ["2030-1-01", "one-digit month"],
    ["2030-13-01", "month 13 (rolls into the next year, same day)"],
    ["2030-00-10", "month 00"],
    ["2030-02-31", "day past the month's end"],
    ["2023-02-29", "29 February of a common year"],
    ["2030-01-00", "day 00"],
    ["2030-01-32", "day 32"],
  ])("%s is not a date (%s)", (s) => expect(parseDay(s)).toBeUndefined());

  // Date.UTC reads years 0-99 as 1900-1999; the year comparison is what keeps parseDay from
  // returning 1999-12-31 for "0099-12-31". Such years are rejected; 0100 is the first one read as is.
  test.each(["0099-12-31", "0000-01-01", "0026-06-30"])("%s (a year before 0100) is rejected, not read as 19xx", (s) => expect(parseDay(s)).toBeUndefined());

  test("0100-01-01 is read as the year 100", () => {
    expect(parseDay("0100-01-01")).toBe(-59011459200000);
  });
});

describe("exceptionActive: the last day is inclusive, in UTC", () => {
  test.each<[string, boolean]>([
    ["2026-06-14T00:00:00.000Z", true],
    ["2026-06-15T00:00:00.000Z", true],
    ["2026-06-15T23:59:59.999Z", true],
    ["2026-06-16T00:00:00.000Z", false],
    ["2026-06-16T00:00:00.001Z", false],
  ])("expires 2026-06-15, now %s → %p", (now, active) => expect(exceptionActive(exc({ name: "a" }), new Date(now))).toBe(active));

  test("an invalid expiry is never active", () => {
    expect(exceptionActive(exc({ name: "a", expires: "2030-02-31" }), new Date("2000-01-01T00:00:00Z"))).toBe(false);
  });
});

describe("globMatch", () => {
  test.each<[string, string, boolean]>([
    ["a?c", "abc", true],
    ["a?c", "ac", false],
    ["a?c", "abbc", false],
    ["a*c", "ac", true],
    ["a*c", "a/b:c", true],
    ["a.c", "abc", false],
    ["a.c", "a.c", true],
    ["role:roles/*", "role:roles/editor", true],
    ["alpha", "alpha-2", false],
    ["alpha", "x-alpha", false],
  ])("%s over %s → %p", (glob, value, expected) => expect(globMatch(glob, value)).toBe(expected));
});

describe("matchException", () => {
  test("an urn glob must match the resource URN", () => {
    const byUrn = exc({ urn: "urn:pulumi:dev::proj::toy:index:Thing::al*" });
    expect(matchException([byUrn], WHERE_A, "k", NOON)).toEqual({ exception: byUrn, active: true });
    expect(matchException([byUrn], { urn: "urn:pulumi:dev::proj::toy:index:Thing::beta", name: "alpha" }, "k", NOON)).toBeUndefined();
  });

  test("an urn-only exception matches any name (the name filter is skipped)", () => {
    const byUrn = exc({ urn: "*::alpha" });
    expect(matchException([byUrn], WHERE_A, undefined, NOON)).toEqual({ exception: byUrn, active: true });
  });

  test("urn and name must both match when both are given", () => {
    const both = exc({ urn: "*::alpha", name: "beta" });
    expect(matchException([both], WHERE_A, "k", NOON)).toBeUndefined();
  });

  test("a key glob does not match a finding without a key", () => {
    const keyed = exc({ name: "alpha", key: "*" });
    expect(matchException([keyed], WHERE_A, undefined, NOON)).toBeUndefined();
    expect(matchException([keyed], WHERE_A, "anything", NOON)).toEqual({ exception: keyed, active: true });
  });

  test("an exception without a key matches a finding without a key", () => {
    const any = exc({ name: "alpha" });
    expect(matchException([any], WHERE_A, undefined, NOON)).toEqual({ exception: any, active: true });
  });

  test("the first active match wins over an earlier expired one; otherwise the first expired one is returned", () => {
    const old1 = exc({ name: "alpha", expires: "2026-01-01", owner: "old-1" });
    const old2 = exc({ name: "al*", expires: "2026-02-01", owner: "old-2" });
    const live = exc({ name: "alpha", expires: "2026-12-31", owner: "live" });
    expect(matchException([old1, old2, live], WHERE_A, "k", NOON)).toEqual({ exception: live, active: true });
    expect(matchException([old1, old2], WHERE_A, "k", NOON)).toEqual({ exception: old1, active: false });
  });
});

describe("makeConfigResolver", () => {
  test("overlays the raw config on the schema defaults and freezes the result", () => {
    const resolve = makeConfigResolver(toyRule());
    const c = resolve({ maxLength: 9 });
    expect(c).toStrictEqual({ maxLength: 9, exceptions: [], unknownValues: "fail" });
    expect(Object.isFrozen(c)).toBe(true);
    expect(resolve({})).toStrictEqual({ maxLength: 5, exceptions: [], unknownValues: "fail" });
  });

  test("checks the exceptions it is given (even when the caller skipped validation)", () => {
    const resolve = makeConfigResolver(toyRule());
    const e = thrown(() => resolve({ exceptions: [exc({ name: "alpha" }), exc()] })) as PolicyConfigError;
    expect(e).toBeInstanceOf(PolicyConfigError);
    expect(e.message).toBe("invalid config for policy 'toy-config' at 'exceptions[1]': an exception must name the resource with 'urn' or 'name' (a glob)");
    expect(() => resolve({ exceptions: [exc({ name: "alpha", expires: "2026-02-30" })] })).toThrow(
      "invalid config for policy 'toy-config' at 'exceptions[0].expires': '2026-02-30' is not a valid date (YYYY-MM-DD)",
    );
  });

  test("a config whose exceptions are absent (explicitly undefined) is not rejected", () => {
    const resolve = makeConfigResolver(toyRule());
    const c = resolve({ exceptions: undefined, maxLength: 7 });
    expect(c.maxLength).toBe(7);
    expect(c.unknownValues).toBe("fail");
    // Undefined keeps the default (an empty list), so reporting a finding can iterate it.
    expect(c.exceptions).toStrictEqual([]);
  });
});
