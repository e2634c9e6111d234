/**
 * Pins the per-resource part of policies/harness.ts that the broader tests left loose:
 * - `opts`: the exact PolicyResourceOptions a resource policy and a stack policy see (the server's
 *   getResourceOptions for a request without timeouts: zero customTimeouts, `parent` only when set),
 *   compared with @pulumi/policy's real server;
 * - `isType` / `asType` (the server's isTypeOf): a class's `__pulumiType` decides when it has one,
 *   otherwise a static `isInstance` called with `{ __pulumiType: type }` must return exactly `true`;
 *   anything else is not the type; on resource policy args and on stack resources, compared with the
 *   server;
 * - checkPropsDepth: depth MAX_PROPS_DEPTH accepted, MAX_PROPS_DEPTH + 1 refused with the exact error
 *   (through objects and arrays, naming the top-level property), and the same through `run`;
 *   a resource without props still runs;
 * - a "disabled" stack policy does not run;
 * - a violation reported as an object: its name and severity win, the policy's fill in otherwise
 *   (exact violation objects, and the server's diagnostics for the same reports).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type { Policies, PolicyResource, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { checkPropsDepth, createHarness, defaultUrn, InputResource, MAX_PROPS_DEPTH, PACK_NAME, PACK_VERSION, runPolicies } from "../../policies/harness";
import { LEVEL_NAMES, serverDiagnostics } from "../support/engine-server";

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

const THING = "toy:index:Thing";
const OTHER = "toy:index:Other";
const URN_A = "urn:pulumi:stack::project::toy:index:Thing::a";
const URN_P = "urn:pulumi:stack::project::toy:index:Thing::p";

function resourcePolicy(name: string, validate: (args: ResourceValidationArgs, report: ReportViolation) => void, extra: Partial<ResourceValidationPolicy> = {}): ResourceValidationPolicy {
  return { name, description: `Policy ${name}.`, enforcementLevel: "mandatory", validateResource: validate, ...extra };
}

function stackPolicy(name: string, validate: StackValidationPolicy["validateStack"], extra: Partial<StackValidationPolicy> = {}): StackValidationPolicy {
  return { name, description: `Policy ${name}.`, enforcementLevel: "mandatory", validateStack: validate, ...extra };
}

/** Runs `policies` through the real server (test/support/engine-server.ts): one Analyze call per resource, then one AnalyzeStack call. */
function viaServer(policies: Policies, resources: InputResource[]): Promise<any[]> {
  return serverDiagnostics(policies, resources);
}

/** A chain of `n` nested objects: `{ k: { k: ... {} } }` (the outermost counts as level 1). */
function chain(n: number): Record<string, unknown> {
  let v: Record<string, unknown> = {};
  for (let i = 1; i < n; i++) v = { k: v };
  return v;
}

/** A chain of `n` nested arrays: `[[...[]]]`. */
function arrays(n: number): unknown[] {
  let v: unknown[] = [];
  for (let i = 1; i < n; i++) v = [v];
  return v;
}

const tooDeep = (urn: string, top: string) =>
  `${urn}: property "${top}" is nested more than 512 levels deep; a Pulumi program cannot produce that (the engine's limit is 100): the input is corrupt or hostile`;

// ---------------------------------------------------------------------------------------------
// opts (defaultOpts)
// ---------------------------------------------------------------------------------------------

const NO_PARENT_OPTS = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

describe("resource options a policy sees", () => {
  const input: InputResource[] = [
    { urn: URN_P, type: THING, name: "p", props: {} },
    { urn: URN_A, type: THING, name: "a", props: {}, parent: URN_P },
  ];

  test("a resource policy gets zero custom timeouts, empty lists, protect false, and parent only when the resource has one", async () => {
    const seen: Record<string, unknown> = {};
    const probe = resourcePolicy("probe-opts", (args) => {
      seen[args.name] = args.opts;
    });
    expect(await runPolicies([probe], input)).toEqual([]);
    expect(seen).toStrictEqual({ p: NO_PARENT_OPTS, a: { ...NO_PARENT_OPTS, parent: URN_P } });
    expect("parent" in (seen.p as object)).toBe(false);
  });

  test("stack resources carry the same opts (the parent URN in opts, the parent object beside it)", async () => {
    let seen: unknown;
    const probe = stackPolicy("probe-stack-opts", (args) => {
      seen = args.resources.map((r) => [r.name, r.opts, r.parent?.name]);
    });
    await runPolicies([probe], input);
    expect(seen).toStrictEqual([
      ["p", NO_PARENT_OPTS, undefined],
      ["a", { ...NO_PARENT_OPTS, parent: URN_P }, "p"],
    ]);
  });

  test("the @pulumi/policy server builds exactly the same opts for the same resources", async () => {
    const record = (into: unknown[]) => [
      resourcePolicy("probe-opts", (args) => void into.push(["resource", args.name, args.opts])),
      stackPolicy("probe-stack-opts", (args) => void into.push(...args.resources.map((r) => ["stack", r.name, r.opts]))),
    ];
    const fromServer: unknown[] = [];
    const fromHarness: unknown[] = [];
    await viaServer(record(fromServer), input);
    await runPolicies(record(fromHarness), input);
    expect(fromHarness).toStrictEqual(fromServer);
    expect(fromHarness).toHaveLength(4);
  });
});

// ---------------------------------------------------------------------------------------------
// isType / asType (isTypeOf)
// ---------------------------------------------------------------------------------------------

/** Generated SDK classes carry a static `__pulumiType`. */
class TypedThing {
  static __pulumiType = THING;
}
class TypedOther {
  static __pulumiType = OTHER;
}
/** Classes that only answer `isInstance` (like @pulumi/pulumi's own resource classes). */
class InstanceThing {
  static isInstance(o: unknown): boolean {
    return (o as { __pulumiType?: unknown } | undefined)?.__pulumiType === THING;
  }
}
class InstanceOther {
  static isInstance(o: unknown): boolean {
    return (o as { __pulumiType?: unknown } | undefined)?.__pulumiType === OTHER;
  }
}

/** The classes, by label; the resource under test is a toy:index:Thing. */
const CLASSES: Array<[string, unknown]> = [
  ["__pulumiType of the type", TypedThing],
  ["__pulumiType of another type", TypedOther],
  ["__pulumiType of the type, isInstance says no", { __pulumiType: THING, isInstance: () => false }],
  ["__pulumiType of another type, isInstance says yes", { __pulumiType: OTHER, isInstance: () => true }],
  ["isInstance only, accepting the type", InstanceThing],
  ["isInstance only, accepting another type", InstanceOther],
  ["isInstance returning a truthy non-boolean", { isInstance: () => 1 }],
  ["isInstance that is not a function", { isInstance: true }],
  ["neither __pulumiType nor isInstance", {}],
];

/** Per class: isType's value as a boolean, and whether asType returned the resource's props (else its value). */
const EXPECTED_TYPES = [
  ["__pulumiType of the type", true, "props"],
  ["__pulumiType of another type", false, undefined],
  ["__pulumiType of the type, isInstance says no", true, "props"],
  ["__pulumiType of another type, isInstance says yes", false, undefined],
  ["isInstance only, accepting the type", true, "props"],
  ["isInstance only, accepting another type", false, undefined],
  ["isInstance returning a truthy non-boolean", false, undefined],
  ["isInstance that is not a function", false, undefined],
  ["neither __pulumiType nor isInstance", false, undefined],
];

function typeTable(r: { props: unknown; isType: (c: any) => boolean; asType: (c: any) => unknown }) {
  return CLASSES.map(([label, cls]) => {
    const as = r.asType(cls);
    return [label, Boolean(r.isType(cls)), as === r.props ? "props" : as];
  });
}

const typeProbes = (into: Record<string, unknown>) => [
  resourcePolicy("probe-types", (args) => {
    into.resource = typeTable(args as unknown as PolicyResource);
  }),
  stackPolicy("probe-stack-types", (args) => {
    into.stack = typeTable(args.resources[0]);
  }),
];

const THING_A: InputResource[] = [{ type: THING, name: "a", props: { label: "x" } }];

describe("isType / asType", () => {
  test("on a resource policy's args and on a stack resource: __pulumiType decides, else isInstance must return exactly true", async () => {
    const seen: Record<string, unknown> = {};
    await runPolicies(typeProbes(seen), THING_A);
    expect(seen).toStrictEqual({ resource: EXPECTED_TYPES, stack: EXPECTED_TYPES });
  });

  test("the @pulumi/policy server gives the same answers", async () => {
    const fromServer: Record<string, unknown> = {};
    await viaServer(typeProbes(fromServer), THING_A);
    expect(fromServer).toStrictEqual({ resource: EXPECTED_TYPES, stack: EXPECTED_TYPES });
  });

  test("isType returns exactly true / false for classes with __pulumiType or isInstance", async () => {
    const seen: unknown[] = [];
    await runPolicies(
      [resourcePolicy("probe-booleans", (args) => void seen.push(...[TypedThing, TypedOther, InstanceThing, InstanceOther].map((c) => args.isType(c as never))))],
      THING_A,
    );
    expect(seen).toStrictEqual([true, false, true, false]);
  });

  test("isInstance is called once per query with exactly { __pulumiType: <the resource's type> }", async () => {
    const calls: unknown[] = [];
    const spy = {
      isInstance(o: unknown) {
        calls.push(o);
        return true;
      },
    };
    let results: unknown[] = [];
    await runPolicies(
      [resourcePolicy("probe-spy", (args) => void (results = [args.isType(spy as never), args.asType(spy as never) === args.props]))],
      [{ type: OTHER, name: "o", props: {} }],
    );
    expect(results).toEqual([true, true]);
    expect(calls).toStrictEqual([{ __pulumiType: OTHER }, { __pulumiType: OTHER }]);
  });
});

// ---------------------------------------------------------------------------------------------
// checkPropsDepth
// ---------------------------------------------------------------------------------------------

describe("checkPropsDepth", () => {
  test("the limit is 512", () => {
    expect(MAX_PROPS_DEPTH).toBe(512);
  });

  test("objects nested exactly MAX_PROPS_DEPTH deep are accepted", () => {
    expect(checkPropsDepth(URN_A, { a: chain(512), b: "x", c: null })).toBeUndefined();
  });

  test("objects nested MAX_PROPS_DEPTH + 1 deep are refused with the URN and the top-level property", () => {
    expect(() => checkPropsDepth(URN_A, { shallow: { x: 1 }, deep: chain(513) })).toThrow(new Error(tooDeep(URN_A, "deep")));
  });

  test("arrays count as levels too", () => {
    expect(checkPropsDepth(URN_A, { list: arrays(512) })).toBeUndefined();
    expect(() => checkPropsDepth(URN_A, { list: arrays(513) })).toThrow(new Error(tooDeep(URN_A, "list")));
  });

  test("a deep branch inside an array inside an object is found, named by its top-level property", () => {
    // level 1: the object; 2: the array; 3..513: the chain (511 objects) -> 513 levels.
    expect(() => checkPropsDepth(URN_A, { top: { items: [{ ok: 1 }, chain(511)] } })).toThrow(new Error(tooDeep(URN_A, "top")));
    expect(checkPropsDepth(URN_A, { top: { items: [{ ok: 1 }, chain(510)] } })).toBeUndefined();
  });

  test("scalars and nulls below the deepest allowed object do not count", () => {
    let v: Record<string, unknown> = { s: "x", n: 1, z: null, t: true };
    for (let i = 1; i < 512; i++) v = { k: v };
    expect(checkPropsDepth(URN_A, { a: v })).toBeUndefined();
  });

  test("empty props are fine", () => {
    expect(checkPropsDepth(URN_A, {})).toBeUndefined();
  });
});

describe("props depth through the harness", () => {
  const probe = () => resourcePolicy("probe-run", (_args, report) => report("ran"));

  test("a resource whose props nest too deep makes run() reject with the exact error (default URN)", async () => {
    await expect(runPolicies([probe()], [{ type: THING, name: "deep", props: { spec: chain(513) } }])).rejects.toThrow(
      new Error(tooDeep("urn:pulumi:stack::project::toy:index:Thing::deep", "spec")),
    );
  });

  test("the error names the resource's own URN when it has one", async () => {
    await expect(runPolicies([probe()], [{ urn: URN_A, type: THING, name: "a", props: { spec: chain(513) } }])).rejects.toThrow(new Error(tooDeep(URN_A, "spec")));
  });

  test("props nested exactly MAX_PROPS_DEPTH deep run normally, and so does a resource without props", async () => {
    const v = await runPolicies([probe()], [{ urn: URN_A, type: THING, name: "a", props: { spec: chain(512) } }, { type: THING, name: "bare" }]);
    expect(v).toStrictEqual([
      { policyName: "probe-run", ruleId: "probe-run", message: "Policy probe-run.\nran", enforcementLevel: "mandatory", standards: [] },
      { policyName: "probe-run", ruleId: "probe-run", message: "Policy probe-run.\nran", enforcementLevel: "mandatory", standards: [] },
    ]);
  });

  test("a resource without props gets empty props", async () => {
    let keys: unknown;
    await runPolicies([resourcePolicy("probe-bare", (args) => void (keys = Object.keys(args.props)))], [{ type: THING, name: "bare" }]);
    expect(keys).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Disabled stack policies
// ---------------------------------------------------------------------------------------------

describe("a disabled stack policy", () => {
  const loud = () => stackPolicy("loud-stack", (_args, report) => report("stack finding"), { severity: "high" });

  test("runs and reports at its own level when enabled", async () => {
    expect(await runPolicies([loud()], THING_A)).toStrictEqual([
      { policyName: "loud-stack", ruleId: "loud-stack", message: "Policy loud-stack.\nstack finding", enforcementLevel: "mandatory", severity: "high", standards: [] },
    ]);
  });

  test("does not run when its config disables it (nor when `all` does)", async () => {
    let ran = false;
    const p = stackPolicy("loud-stack", (_args, report) => {
      ran = true;
      report("stack finding");
    });
    expect(await runPolicies([p], THING_A, { config: { "loud-stack": "disabled" } })).toEqual([]);
    expect(await runPolicies([p], THING_A, { config: { all: "disabled" } })).toEqual([]);
    expect(await runPolicies([p], THING_A, { config: { "loud-stack": { enforcementLevel: "disabled" } } })).toEqual([]);
    expect(ran).toBe(false);
  });

  test("does not run when its own default level is disabled", async () => {
    expect(await runPolicies([stackPolicy("off-stack", (_a, report) => report("x"), { enforcementLevel: "disabled" })], THING_A)).toEqual([]);
  });

  test("is left out of the prepared stack run while a resource policy still runs", async () => {
    const h = createHarness([loud(), resourcePolicy("res", (_a, report) => report("r"))], { config: { "loud-stack": "disabled" } });
    const res = await h.run(THING_A);
    expect(res.violations.map((v) => v.policyName)).toEqual(["res"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Violations reported as objects (makeReport)
// ---------------------------------------------------------------------------------------------

describe("a violation reported as an object", () => {
  /** A resource policy that reports each of `infos` as an object. */
  const objectReporter = (infos: object[], extra: Partial<ResourceValidationPolicy> = {}) =>
    resourcePolicy(
      "obj-res",
      (_args, report) => {
        for (const info of infos) (report as unknown as (m: unknown) => void)(info);
      },
      extra,
    );

  test("without name or severity: the policy's name (as policyName and ruleId) and severity fill in", async () => {
    const v = await runPolicies([objectReporter([{ message: "custom text" }], { severity: "low", tags: ["STD-1"] })], THING_A);
    expect(v).toStrictEqual([
      { policyName: "obj-res", ruleId: "obj-res", message: "custom text", enforcementLevel: "mandatory", severity: "low", standards: ["STD-1"] },
    ]);
  });

  test("its own name and severity win over the policy's", async () => {
    const info = { name: "sub-rule", message: "m", severity: "critical", urn: URN_P, enforcementLevel: "advisory" };
    const v = await runPolicies([objectReporter([info], { severity: "low" })], THING_A);
    expect(v).toStrictEqual([{ policyName: "sub-rule", ruleId: "sub-rule", message: "m", urn: URN_P, enforcementLevel: "advisory", severity: "critical", standards: [] }]);
  });

  test("its own severity is kept when the policy has none; no severity at all leaves the key out", async () => {
    const v = await runPolicies([objectReporter([{ name: "n1", severity: "medium" }, { name: "n2" }])], THING_A);
    expect(v).toStrictEqual([
      { policyName: "n1", ruleId: "n1", message: "Policy obj-res.", enforcementLevel: "mandatory", severity: "medium", standards: [] },
      { policyName: "n2", ruleId: "n2", message: "Policy obj-res.", enforcementLevel: "mandatory", standards: [] },
    ]);
  });

  test("the @pulumi/policy server produces the same diagnostics for the same object reports", async () => {
    const infos = [{ message: "custom text" }, { name: "sub-rule", message: "m", severity: "critical", urn: URN_P }, { name: "n2", description: "described" }];
    const policies = [objectReporter(infos, { severity: "low" })];
    const SEVERITY = ["", "low", "medium", "high", "critical"];
    const fromServer = (await viaServer(policies, THING_A)).map((d) => ({
      policyName: d.getPolicyname(),
      message: d.getMessage(),
      urn: d.getUrn(),
      enforcementLevel: LEVEL_NAMES[d.getEnforcementlevel()],
      severity: SEVERITY[d.getSeverity()],
    }));
    const fromHarness = (await runPolicies(policies, THING_A)).map((v) => ({
      policyName: v.policyName,
      message: v.message,
      urn: v.urn ?? "",
      enforcementLevel: v.enforcementLevel,
      severity: v.severity ?? "",
    }));
    expect(fromHarness).toStrictEqual(fromServer);
    expect(fromHarness).toStrictEqual([
      { policyName: "obj-res", message: "custom text", urn: "", enforcementLevel: "mandatory", severity: "low" },
      { policyName: "sub-rule", message: "m", urn: URN_P, enforcementLevel: "mandatory", severity: "critical" },
      { policyName: "n2", message: "described", urn: "", enforcementLevel: "mandatory", severity: "low" },
    ]);
  });

  test("a stack policy's object report follows the same rules", async () => {
    const p = stackPolicy("obj-stack", (_args, report) => {
      (report as unknown as (m: unknown) => void)({ message: "s1" });
      (report as unknown as (m: unknown) => void)({ name: "s-sub", message: "s2", severity: "high" });
    }, { severity: "medium" });
    expect(await runPolicies([p], THING_A)).toStrictEqual([
      { policyName: "obj-stack", ruleId: "obj-stack", message: "s1", enforcementLevel: "mandatory", severity: "medium", standards: [] },
      { policyName: "s-sub", ruleId: "s-sub", message: "s2", enforcementLevel: "mandatory", severity: "high", standards: [] },
    ]);
  });
});

describe("report(null)", () => {
  // ReportViolation is typed (message: string), so only untyped or foreign JavaScript gets here; the
  // server reads `.name` of the object it was given, so the call fails, and the harness fails the same way.
  const nul = resourcePolicy("nul", (_args, report) => (report as unknown as (m: unknown) => void)(null));

  test("fails the run naming the policy, like the server's analyze call", async () => {
    const input: InputResource[] = [{ type: THING, name: "a" }];
    const harness = await runPolicies([nul], input).then(
      () => "resolved",
      (e: Error) => e.message.split("\n").slice(0, 2).join("\n"),
    );
    expect(harness).toBe("Error validating resource with policy 'nul' from policy pack 'assistant-guardrails@v0.1.0':\nTypeError: Cannot read properties of null (reading 'name')");
    const fromServer = await viaServer([nul], input).then(
      () => "resolved",
      (e: Error) => e.message.split("\n").slice(0, 2).join("\n"),
    );
    expect(fromServer).toBe(harness);
  });
});
