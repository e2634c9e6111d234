/**
 * Pins the exact observable behaviour of policies/harness.ts's config and dispatch helpers
 * (PACK_NAME, validatorFor, ajvField, pulumiTypeOf, preparePolicies, notApplicable, defaultOpts)
 * with small hand-written @pulumi/policy policies:
 * - config keys and values: an unknown policy name, a value that is neither a level nor an object,
 *   `all` with properties: the exact PolicyConfigError (policy, field, message);
 * - the ajv schema: no additional properties, the object-form enforcementLevel is checked too,
 *   multi-digit array indexes in the field, the '(root)' fallback, non-strict ajv (unknown keywords
 *   and untyped keywords compile, like the CLI's validator), policies without a configSchema;
 * - getConfig(): only declared defaults are filled; exceptions are checked only when an array;
 * - levels: the pack's default ("advisory", or packEnforcementLevel) and tags → standards;
 * - `__pulumiType`: only a non-empty string restricts a policy, `isType(undefined)` fails like the
 *   server's; notApplicable() throws the server's message and stops the policy;
 * - the resource options a policy sees.
 * Where the harness mirrors @pulumi/policy's server, the test also runs the real `makeAnalyzeRpcFun`.
 * Module-level state (PACK_NAME, the lazily created Ajv instance) is loaded inside the tests
 * (jest.isolateModules).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type { Policies, PolicyConfigSchema, ResourceValidation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { InputResource, preparePolicies, runPolicies, defaultUrn, PACK_NAME, PACK_VERSION } from "../../policies/harness";
import { Diag, serverDiagnostics, toDiag } from "../support/engine-server";

type HarnessModule = typeof import("../../policies/harness");

/** A freshly loaded harness module (its own PACK_NAME, Ajv instance and validator cache). */
function freshHarness(): HarnessModule {
  let m: HarnessModule | undefined;
  jest.isolateModules(() => {
    m = require("../../policies/harness") as HarnessModule;
  });
  return m!;
}

type ErrorShape = { name: string; message: string; policy?: string; field?: string };

/** What `fn` throws, as plain fields (works across isolated module copies of PolicyConfigError). */
function thrown(fn: () => unknown): ErrorShape {
  try {
    fn();
  } catch (e) {
    const err = e as Error & { policy?: string; field?: string };
    return { name: err.name, message: err.message, policy: err.policy, field: err.field };
  }
  throw new Error("expected a throw");
}

/** The PolicyConfigError fields for `invalid config for policy '<policy>' at '<field>': <detail>`. */
const configError = (policy: string, field: string, detail: string): ErrorShape => ({
  name: "PolicyConfigError",
  message: `invalid config for policy '${policy}' at '${field}': ${detail}`,
  policy,
  field,
});

/** A resource policy that reports "bad" (with the resource's URN) for every resource it runs on. */
function always(name: string, over: Partial<ResourceValidationPolicy> = {}): ResourceValidationPolicy {
  return {
    name,
    description: `${name} says no.`,
    enforcementLevel: "mandatory",
    validateResource: (args, report) => report("bad", args.urn),
    ...over,
  };
}

const TYPE_A = "toy:index:A";
const TYPE_B = "toy:index:B";
const res = (type: string, name: string, extra: Partial<InputResource> = {}): InputResource => ({ type, name, props: {}, ...extra });

/** The harness violation of a plain (foreign) policy calling `report(text, urn)` (no urn key when none is given). */
const plainViolation = (p: ResourceValidationPolicy, level: string, text: string, extra: { urn?: string; standards?: string[] } = {}) => ({
  policyName: p.name,
  ruleId: p.name,
  enforcementLevel: level,
  message: `${p.description}\n${text}`,
  ...(extra.urn ? { urn: extra.urn } : {}),
  standards: extra.standards ?? [],
});
const URN_A = "urn:pulumi:stack::project::toy:index:A::a";
const URN_B = "urn:pulumi:stack::project::toy:index:B::b";

// ---- @pulumi/policy's own server (pinned 1.21.0): test/support/engine-server.ts ----
/** Runs resource policies through the server's analyze RPC, one request per resource. */
async function viaServer(policies: Policies, resources: InputResource[], packLevel = "advisory"): Promise<Diag[]> {
  return (await serverDiagnostics(policies, resources, { packLevel, stack: false })).map(toDiag);
}

/** The harness's violations reduced to what the server's diagnostics carry. */
async function viaHarness(policies: Policies, resources: InputResource[], packLevel?: "advisory" | "mandatory"): Promise<Diag[]> {
  const v = await runPolicies(policies, resources, packLevel ? { packEnforcementLevel: packLevel } : {});
  return v.map((x) => ({ policyName: x.policyName, enforcementLevel: x.enforcementLevel, urn: x.urn ?? "", message: x.message }));
}

describe("PACK_NAME", () => {
  test("is 'assistant-guardrails' and names the pack in the unknown-policy error", () => {
    const h = freshHarness();
    expect(h.PACK_NAME).toBe("assistant-guardrails");
    expect(thrown(() => h.preparePolicies([always("toy-a"), always("toy-b")], { config: { "toy-c": "mandatory" } }))).toStrictEqual(
      configError("toy-c", "(policy)", "no policy named 'toy-c' in pack assistant-guardrails; known: toy-a, toy-b"),
    );
  });
});

describe("config keys and value shapes", () => {
  const pack = () => [always("toy-a"), always("toy-b")];

  test("a key that is no policy of the pack (and not 'all') is rejected, listing the known names", () => {
    expect(thrown(() => preparePolicies(pack(), { config: { "toy-a": "advisory", nope: { enforcementLevel: "mandatory" } } }))).toStrictEqual(
      configError("nope", "(policy)", "no policy named 'nope' in pack assistant-guardrails; known: toy-a, toy-b"),
    );
  });

  test.each<[string, unknown, string]>([
    ["a string that is not a level", "bogus", '"bogus"'],
    ["null", null, "null"],
    ["a number", 5, "5"],
    ["a boolean", true, "true"],
    ["an empty array", [], "[]"],
    ["an array of a level", ["mandatory"], '["mandatory"]'],
    ["undefined", undefined, "undefined"],
  ])("a policy value that is %s is rejected at 'enforcementLevel'", (_what, value, shown) => {
    expect(thrown(() => preparePolicies(pack(), { config: { "toy-b": value } }))).toStrictEqual(
      configError("toy-b", "enforcementLevel", `expected one of advisory, mandatory, remediate, disabled or an object; got ${shown}`),
    );
  });

  test("'all' is checked the same way: a string that is not a level is rejected", () => {
    expect(thrown(() => preparePolicies(pack(), { config: { all: "strict" } }))).toStrictEqual(
      configError("all", "enforcementLevel", 'expected one of advisory, mandatory, remediate, disabled or an object; got "strict"'),
    );
  });

  test("'all' with a property is rejected at that property", () => {
    expect(thrown(() => preparePolicies(pack(), { config: { all: { enforcementLevel: "mandatory", maxLength: 3 } } }))).toStrictEqual(
      configError("all", "maxLength", "'all' accepts only an enforcement level"),
    );
  });

  test("levels and objects are accepted: string level, object level, empty object, 'all' level", () => {
    const prepared = preparePolicies(pack(), { config: { all: { enforcementLevel: "advisory" }, "toy-a": "disabled", "toy-b": {} } });
    expect(prepared.map((p) => [p.policy.name, p.level, p.config])).toStrictEqual([
      ["toy-a", "disabled", {}],
      ["toy-b", "advisory", {}],
    ]);
  });
});

describe("schema validation (ajv)", () => {
  const withSchema = (configSchema: PolicyConfigSchema) => always("toy-cfg", { configSchema });
  const prep = (p: ResourceValidationPolicy, config: Record<string, unknown>) => preparePolicies([p], { config: { "toy-cfg": config } });

  test("a property the schema does not declare is rejected (additionalProperties: false)", () => {
    const p = withSchema({ properties: { maxLength: { type: "integer" } } });
    expect(thrown(() => prep(p, { maxLength: 3, maxLen: 4 }))).toStrictEqual(
      configError("toy-cfg", "maxLen", 'must NOT have additional properties ({"additionalProperty":"maxLen"})'),
    );
  });

  test("the object form's enforcementLevel is validated against the levels", () => {
    const p = withSchema({ properties: {} });
    expect(thrown(() => prep(p, { enforcementLevel: "bogus" }))).toStrictEqual(
      configError("toy-cfg", "enforcementLevel", 'must be equal to one of the allowed values ({"allowedValues":["advisory","mandatory","remediate","disabled"]})'),
    );
    expect(thrown(() => prep(p, { enforcementLevel: 7 }))).toStrictEqual(configError("toy-cfg", "enforcementLevel", 'must be string ({"type":"string"})'));
    expect(prep(p, { enforcementLevel: "remediate" })[0].level).toBe("remediate");
  });

  test("required properties of the schema are enforced", () => {
    const p = withSchema({ properties: { team: { type: "string" } }, required: ["team"] });
    expect(thrown(() => prep(p, { enforcementLevel: "mandatory" }))).toStrictEqual(
      configError("toy-cfg", "team", 'must have required property \'team\' ({"missingProperty":"team"})'),
    );
  });

  test("array indexes in the field keep all their digits: items[10], rules[12].name", () => {
    const p = withSchema({
      properties: {
        items: { type: "array", items: { type: "string" } },
        rules: { type: "array", items: { type: "object", properties: { name: { type: "string" } } } },
      },
    });
    const items = Array.from({ length: 11 }, (_, i) => (i === 10 ? 10 : `i${i}`));
    expect(thrown(() => prep(p, { items }))).toStrictEqual(configError("toy-cfg", "items[10]", 'must be string ({"type":"string"})'));
    const rules = Array.from({ length: 13 }, (_, i) => ({ name: i === 12 ? 12 : `r${i}` }));
    expect(thrown(() => prep(p, { rules }))).toStrictEqual(configError("toy-cfg", "rules[12].name", 'must be string ({"type":"string"})'));
  });

  test("an error with an empty path (a property named '') is reported at '(root)'", () => {
    const p = withSchema({ properties: { "": { type: "string" } } });
    expect(thrown(() => prep(p, { "": 5 }))).toStrictEqual(configError("toy-cfg", "(root)", 'must be string ({"type":"string"})'));
  });

  test("ajv is not strict: a schema with an unknown keyword compiles and still validates", () => {
    const h = freshHarness();
    const p = withSchema({ properties: { note: { type: "string", "x-doc": "free text" } } } as unknown as PolicyConfigSchema);
    expect(h.preparePolicies([p], { config: { "toy-cfg": { note: "ok" } } })[0].config).toStrictEqual({ note: "ok" });
    expect(thrown(() => h.preparePolicies([p], { config: { "toy-cfg": { note: 5 } } }))).toStrictEqual(
      configError("toy-cfg", "note", 'must be string ({"type":"string"})'),
    );
  });

  test("ajv is not strict: a keyword without its type (minimum, no type) compiles and still validates", () => {
    const h = freshHarness();
    const p = withSchema({ properties: { maxLength: { minimum: 1 } } });
    expect(h.preparePolicies([p], { config: { "toy-cfg": { maxLength: 2 } } })[0].config).toStrictEqual({ maxLength: 2 });
    expect(thrown(() => h.preparePolicies([p], { config: { "toy-cfg": { maxLength: 0 } } }))).toStrictEqual(
      configError("toy-cfg", "maxLength", 'must be >= 1 ({"comparison":">=","limit":1})'),
    );
  });

  test("the first error is the one that matters: a failed `contains` is reported at the list, not at an item", () => {
    // With allErrors the per-item errors came first ("owners[0]: must match pattern"), though no single item has to match.
    const p = withSchema({ properties: { owners: { type: "array", contains: { type: "string", pattern: "^team-" } } } } as unknown as PolicyConfigSchema);
    expect(thrown(() => prep(p, { owners: ["x", 3] }))).toStrictEqual(configError("toy-cfg", "owners", 'must contain at least 1 valid item(s) ({"minContains":1})'));
    expect(prep(p, { owners: ["x", "team-a"] })[0].config).toStrictEqual({ owners: ["x", "team-a"] });
  });

  test("a policy without a configSchema takes a level, rejects properties, and gets an empty config", () => {
    const p = always("toy-cfg");
    expect(prep(p, { enforcementLevel: "advisory" }).map((x) => [x.level, x.config])).toStrictEqual([["advisory", {}]]);
    expect(preparePolicies([p]).map((x) => [x.level, x.config])).toStrictEqual([["mandatory", {}]]);
    expect(thrown(() => prep(p, { x: 1 }))).toStrictEqual(configError("toy-cfg", "x", 'must NOT have additional properties ({"additionalProperty":"x"})'));
  });
});

describe("getConfig(): defaults and exceptions", () => {
  test("only properties that declare a default are filled in; given values win", () => {
    const p = always("toy-cfg", {
      configSchema: { properties: { maxLength: { type: "integer", default: 5 }, label: { type: "string" }, tags: { type: "array", default: ["a"] } } },
    });
    const [def] = preparePolicies([p]);
    expect(def.config).toStrictEqual({ maxLength: 5, tags: ["a"] });
    expect(Object.keys(def.config)).toEqual(["maxLength", "tags"]);
    const [given] = preparePolicies([p], { config: { "toy-cfg": { maxLength: 9, label: "x" } } });
    expect(given.config).toStrictEqual({ maxLength: 9, tags: ["a"], label: "x" });
  });

  test("the policy sees the defaults through getConfig()", async () => {
    let seen: unknown;
    const p = always("toy-cfg", {
      configSchema: { properties: { maxLength: { type: "integer", default: 5 }, label: { type: "string" } } },
      validateResource: (args) => {
        seen = args.getConfig();
      },
    });
    expect(await runPolicies([p], [res(TYPE_A, "a")])).toStrictEqual([]);
    expect(seen).toStrictEqual({ maxLength: 5 });
  });

  test("an 'exceptions' value that is not an array is not checked as exceptions", () => {
    const p = always("toy-cfg", { configSchema: { properties: { exceptions: { type: "string" } } } });
    expect(preparePolicies([p], { config: { "toy-cfg": { exceptions: "none" } } })[0].config).toStrictEqual({ exceptions: "none" });
  });
});

describe("levels and standards", () => {
  const unlevelled = always("toy-free", { enforcementLevel: undefined });

  test("a policy without a level gets the pack's default, 'advisory' unless packEnforcementLevel is set (like the server)", async () => {
    const r = [res(TYPE_A, "a")];
    expect(preparePolicies([unlevelled])[0].level).toBe("advisory");
    expect(await runPolicies([unlevelled], r)).toStrictEqual([plainViolation(unlevelled, "advisory", "bad", { urn: URN_A })]);
    expect(await runPolicies([unlevelled], r, { packEnforcementLevel: "mandatory" })).toStrictEqual([plainViolation(unlevelled, "mandatory", "bad", { urn: URN_A })]);
    expect(await viaHarness([unlevelled], r)).toStrictEqual(await viaServer([unlevelled], r, "advisory"));
    expect(await viaHarness([unlevelled], r, "mandatory")).toStrictEqual(await viaServer([unlevelled], r, "mandatory"));
  });

  test("a policy without tags has no standards; tags become the standards", async () => {
    const r = [res(TYPE_A, "a")];
    const tagged = always("toy-tagged", { tags: ["OWASP-NHI7"] });
    expect(preparePolicies([always("toy-a"), tagged]).map((p) => p.tags)).toStrictEqual([[], ["OWASP-NHI7"]]);
    expect(await runPolicies([always("toy-a"), tagged], r)).toStrictEqual([
      plainViolation(always("toy-a"), "mandatory", "bad", { urn: URN_A }),
      plainViolation(tagged, "mandatory", "bad", { urn: URN_A, standards: ["OWASP-NHI7"] }),
    ]);
  });
});

describe("__pulumiType (pulumiTypeOf)", () => {
  const typed = (t: unknown): ResourceValidation => Object.assign(((args, report) => report("bad", args.urn)) as ResourceValidation, { __pulumiType: t });
  const both = [res(TYPE_A, "a"), res(TYPE_B, "b")];

  test("a validateResource tagged with a type runs only on that type (like the server)", async () => {
    const p = always("toy-typed", { validateResource: typed(TYPE_A) });
    expect(await runPolicies([p], both)).toStrictEqual([plainViolation(p, "mandatory", "bad", { urn: URN_A })]);
    expect(await viaHarness([p], both)).toStrictEqual(await viaServer([p], both));
  });

  test.each<[string, unknown]>([
    ["a number", 42],
    ["an empty string", ""],
  ])("a __pulumiType that is %s does not restrict the policy (like the server)", async (_what, t) => {
    const p = always("toy-typed", { validateResource: typed(t) });
    expect(await runPolicies([p], both)).toStrictEqual([plainViolation(p, "mandatory", "bad", { urn: URN_A }), plainViolation(p, "mandatory", "bad", { urn: URN_B })]);
    expect(await viaHarness([p], both)).toStrictEqual(await viaServer([p], both));
  });

  test("a stack policy tagged with a type runs only when the stack has that type", async () => {
    const stackTyped = (): StackValidationPolicy => ({
      name: "toy-stack",
      description: "toy-stack says no.",
      enforcementLevel: "advisory",
      validateStack: Object.assign(((_args, report) => report("stack bad")) as StackValidationPolicy["validateStack"], { __pulumiType: TYPE_A }),
    });
    const violation = { policyName: "toy-stack", ruleId: "toy-stack", enforcementLevel: "advisory", message: "toy-stack says no.\nstack bad", standards: [] };
    expect(await runPolicies([stackTyped()], [res(TYPE_B, "b")])).toStrictEqual([]);
    expect(await runPolicies([stackTyped()], both)).toStrictEqual([violation]);
  });

  test("isType: a class with a non-string __pulumiType falls back to isInstance", async () => {
    const seen: boolean[] = [];
    const p = always("toy-istype", {
      validateResource: (args) => {
        seen.push(args.isType({ __pulumiType: 42, isInstance: () => true } as never));
        seen.push(args.isType({ __pulumiType: TYPE_B } as never));
        seen.push(args.isType({ __pulumiType: TYPE_A } as never));
      },
    });
    expect(await runPolicies([p], [res(TYPE_A, "a")])).toStrictEqual([]);
    expect(seen).toStrictEqual([true, false, true]);
  });

  test("isType(undefined) fails reading 'isInstance', as in the server", async () => {
    const p = always("toy-istype", {
      validateResource: (args, report) => {
        try {
          args.isType(undefined as never);
        } catch (e) {
          report(`${(e as Error).name}: ${(e as Error).message}`);
        }
      },
    });
    const r = [res(TYPE_A, "a")];
    expect(await runPolicies([p], r)).toStrictEqual([
      plainViolation(p, "mandatory", "TypeError: Cannot read properties of undefined (reading 'isInstance')"),
    ]);
    expect(await viaHarness([p], r)).toStrictEqual(await viaServer([p], r));
  });
});

describe("notApplicable()", () => {
  test("stops the policy: nothing reported after it, for resource and stack policies", async () => {
    const p = always("toy-na", {
      validateResource: (args, report) => {
        args.notApplicable("not a toy");
        report("after notApplicable");
      },
    });
    const s: StackValidationPolicy = {
      name: "toy-na-stack",
      description: "toy-na-stack says no.",
      enforcementLevel: "mandatory",
      validateStack: (args, report) => {
        args.notApplicable();
        report("after notApplicable");
      },
    };
    expect(await runPolicies([p, s], [res(TYPE_A, "a")])).toStrictEqual([]);
  });

  test("throws an Error whose message is the reason, or 'Policy does not apply' (like the server)", async () => {
    const catching = (reason?: string) =>
      always(reason === undefined ? "toy-na-default" : "toy-na-reason", {
        validateResource: (args, report) => {
          try {
            args.notApplicable(reason);
          } catch (e) {
            report((e as Error).message);
          }
        },
      });
    const policies = [catching(), catching("only for toys")];
    const r = [res(TYPE_A, "a")];
    expect(await runPolicies(policies, r)).toStrictEqual([
      plainViolation(policies[0], "mandatory", "Policy does not apply"),
      plainViolation(policies[1], "mandatory", "only for toys"),
    ]);
    expect(await viaHarness(policies, r)).toStrictEqual(await viaServer(policies, r));
  });
});

describe("resource options (args.opts)", () => {
  test("are the server's defaults, with parent only when the resource has one", async () => {
    const seen: unknown[] = [];
    const p = always("toy-opts", {
      validateResource: (args) => {
        seen.push(args.opts);
      },
    });
    const parent = "urn:pulumi:stack::project::toy:index:A::p";
    const r = [res(TYPE_A, "p"), res(TYPE_A, "c", { parent })];
    const defaults = {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    };
    expect(await runPolicies([p], r)).toStrictEqual([]);
    const harnessOpts = seen.splice(0);
    expect(harnessOpts).toStrictEqual([defaults, { ...defaults, parent }]);
    await viaServer([p], r);
    expect(harnessOpts).toStrictEqual(seen);
  });
});
