/**
 * Pins the policy loops of policies/harness.ts with small hand-written ("foreign") policies, i.e.
 * plain @pulumi/policy objects that are not built by toPolicy, so no harness finding detail is
 * attached and the harness's own handling is what shows:
 * - reports without a finding detail: exact violation objects, no `severity` / `urn` key when unset;
 * - errors escaping a policy (onError): `notApplicable()` is swallowed, an UnknownValueError becomes
 *   the server's advisory "can't run policy … during preview" (outcome "unknown"), anything else
 *   (an Error, a string, null) is rethrown with the policy and pack named;
 * - async validations: a promise that resolves late or rejects is awaited (resource and stack);
 * - type filters of resource policies: `__pulumiType` and the pack's RESOURCE_TYPES set on a single
 *   validation function; an array of validations is never filtered (like the server);
 * - stack policies: `__pulumiType` on validateStack (skipped without a resource of that type),
 *   "remediate" reported as "mandatory", parent / propertyDependencies resolved like
 *   makeAnalyzeStackRpcFun (an unresolvable URN is dropped, a missing parent leaves no `parent` key);
 * - the same foreign policies through @pulumi/policy's real server RPC handlers give the same
 *   diagnostics (policy, level, URN, message) as the harness.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type { PolicyResource, ResourceValidation, ResourceValidationPolicy, StackValidation, StackValidationPolicy } from "@pulumi/policy";
import { runPolicies, InputResource, defaultUrn, PACK_NAME, PACK_VERSION } from "../../policies/harness";
import { Diag, serverDiagnostics, toDiag } from "../support/engine-server";
import { UNKNOWN } from "../../policies/engine";
import { RESOURCE_TYPES } from "../../policies/policy";

const THING = "toy:index:Thing";
const OTHER = "toy:index:Other";
const URN_A = "urn:pulumi:stack::project::toy:index:Thing::a";
const URN_B = "urn:pulumi:stack::project::toy:index:Thing::b";
const PACK = "'assistant-guardrails@v0.1.0'";

const thing = (name: string, props: Record<string, unknown> = {}, extra: Partial<InputResource> = {}): InputResource => ({ type: THING, name, props, ...extra });
const other = (name: string, props: Record<string, unknown> = {}): InputResource => ({ type: OTHER, name, props });

function resPolicy(validateResource: ResourceValidation | ResourceValidation[], over: Partial<ResourceValidationPolicy> = {}): ResourceValidationPolicy {
  return { name: "foreign-res", description: "Foreign resources must be fine.", enforcementLevel: "mandatory", validateResource, ...over };
}

function stackPolicy(validateStack: StackValidation, over: Partial<StackValidationPolicy> = {}): StackValidationPolicy {
  return { name: "foreign-stack", description: "The foreign stack must be fine.", enforcementLevel: "mandatory", validateStack, ...over };
}

/** A validation function carrying the `__pulumiType` that `validateResourceOfType` / `validateStackResourcesOfType` attach. */
function typed<F extends object>(fn: F, type: string): F {
  return Object.assign(fn, { __pulumiType: type });
}

/** The error a promise rejects with (fails when it resolves). */
async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection");
}

const later = (ms = 5) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** An Error with a fixed stack, so the rethrown message can be written out literally. */
function boom(): Error {
  const e = new Error("boom");
  e.stack = "Error: boom\n    at fakeRule (toy.ts:1:1)";
  return e;
}

describe("reports from a policy without a finding detail (not built by toPolicy)", () => {
  test("a string report is description + newline + message at the policy's level, with no severity or urn key", async () => {
    const v = await runPolicies([resPolicy((_args, report) => report("bad label"))], [thing("a")]);
    expect(v).toStrictEqual([
      { policyName: "foreign-res", ruleId: "foreign-res", message: "Foreign resources must be fine.\nbad label", enforcementLevel: "mandatory", standards: [] },
    ]);
    expect(Object.keys(v[0]).sort()).toEqual(["enforcementLevel", "message", "policyName", "ruleId", "standards"]);
  });

  test("a string report with a URN and a policy severity and tags keeps all three", async () => {
    const v = await runPolicies([resPolicy((_args, report) => report("bad label", URN_A), { severity: "low", tags: ["T-1"] })], [thing("a")]);
    expect(v).toStrictEqual([
      {
        policyName: "foreign-res",
        ruleId: "foreign-res",
        message: "Foreign resources must be fine.\nbad label",
        urn: URN_A,
        enforcementLevel: "mandatory",
        severity: "low",
        standards: ["T-1"],
      },
    ]);
  });

  test("an object report without severity or urn has no severity or urn key", async () => {
    const p = stackPolicy((_args, report) => report({ name: "sub-policy", message: "sub message" } as never));
    const v = await runPolicies([p], [thing("a")]);
    expect(v).toStrictEqual([{ policyName: "sub-policy", ruleId: "sub-policy", message: "sub message", enforcementLevel: "mandatory", standards: [] }]);
    expect("severity" in v[0]).toBe(false);
  });
});

describe("errors escaping a policy", () => {
  test("notApplicable() in a resource validation is swallowed and the next validation of the array still runs", async () => {
    const p = resPolicy([(args) => args.notApplicable("not for toys"), (_args, report) => report("second validation")]);
    expect(await runPolicies([p], [thing("a")])).toStrictEqual([
      { policyName: "foreign-res", ruleId: "foreign-res", message: "Foreign resources must be fine.\nsecond validation", enforcementLevel: "mandatory", standards: [] },
    ]);
  });

  test("notApplicable() in a stack validation is swallowed: no violation, no error", async () => {
    expect(await runPolicies([stackPolicy((args) => args.notApplicable())], [thing("a")])).toStrictEqual([]);
  });

  test("an unknown prop read by a resource policy becomes the server's advisory 'can't run … during preview' with outcome unknown", async () => {
    const p = resPolicy(
      (args, report) => {
        if (args.props.label !== "ok") report("label is not ok");
      },
      { severity: "high", tags: ["T-1"] },
    );
    const v = await runPolicies([p], [thing("a", { label: UNKNOWN })]);
    expect(v).toStrictEqual([
      {
        policyName: "foreign-res",
        ruleId: "foreign-res",
        message: `can't run policy 'foreign-res' from policy pack ${PACK} during preview: string value at .label can't be known during preview`,
        enforcementLevel: "advisory",
        severity: "high",
        standards: ["T-1"],
        outcome: "unknown",
      },
    ]);
  });

  test("an unknown read by a stack policy without severity: advisory, no severity or urn key", async () => {
    const p = stackPolicy((args) => {
      for (const r of args.resources) void (r.props.nested as { deep: unknown }).deep;
    });
    const v = await runPolicies([p], [thing("a", { nested: { deep: UNKNOWN } })]);
    expect(v).toStrictEqual([
      {
        policyName: "foreign-stack",
        ruleId: "foreign-stack",
        message: `can't run policy 'foreign-stack' from policy pack ${PACK} during preview: string value at .nested.deep can't be known during preview`,
        enforcementLevel: "advisory",
        standards: [],
        outcome: "unknown",
      },
    ]);
  });

  test("an Error from a resource policy is rethrown naming the policy and pack, with the error's stack", async () => {
    const p = resPolicy(() => {
      throw boom();
    });
    const e = await rejection(runPolicies([p], [thing("a")]));
    expect(e.message).toBe("Error validating resource with policy 'foreign-res' from policy pack 'assistant-guardrails@v0.1.0':\nError: boom\n    at fakeRule (toy.ts:1:1)");
  });

  test("an Error from a stack policy is rethrown the same way", async () => {
    const p = stackPolicy(() => {
      throw boom();
    });
    const e = await rejection(runPolicies([p], [thing("a")]));
    expect(e.message).toBe("Error validating resource with policy 'foreign-stack' from policy pack 'assistant-guardrails@v0.1.0':\nError: boom\n    at fakeRule (toy.ts:1:1)");
  });

  test("a thrown string and a thrown null are rethrown as their text", async () => {
    const str = await rejection(
      runPolicies(
        [
          resPolicy(() => {
            throw "plain text";
          }),
        ],
        [thing("a")],
      ),
    );
    expect(str.message).toBe("Error validating resource with policy 'foreign-res' from policy pack 'assistant-guardrails@v0.1.0':\nplain text");
    const nul = await rejection(
      runPolicies(
        [
          stackPolicy(() => {
            throw null;
          }),
        ],
        [thing("a")],
      ),
    );
    expect(nul.message).toBe("Error validating resource with policy 'foreign-stack' from policy pack 'assistant-guardrails@v0.1.0':\nnull");
  });
});

describe("async validations are awaited", () => {
  test("a resource validation whose promise reports late is awaited", async () => {
    const p = resPolicy(async (_args, report) => {
      await later();
      report("late", URN_A);
    });
    expect(await runPolicies([p], [thing("a")])).toStrictEqual([
      { policyName: "foreign-res", ruleId: "foreign-res", message: "Foreign resources must be fine.\nlate", urn: URN_A, enforcementLevel: "mandatory", standards: [] },
    ]);
  });

  test("a stack validation whose promise reports late is awaited", async () => {
    const p = stackPolicy(async (_args, report) => {
      await later();
      report("late", URN_A);
    });
    expect(await runPolicies([p], [thing("a")])).toStrictEqual([
      { policyName: "foreign-stack", ruleId: "foreign-stack", message: "The foreign stack must be fine.\nlate", urn: URN_A, enforcementLevel: "mandatory", standards: [] },
    ]);
  });

  test("a resource validation that rejects late with an Error fails the run", async () => {
    const p = resPolicy(async () => {
      await later();
      throw boom();
    });
    const e = await rejection(runPolicies([p], [thing("a")]));
    expect(e.message).toBe("Error validating resource with policy 'foreign-res' from policy pack 'assistant-guardrails@v0.1.0':\nError: boom\n    at fakeRule (toy.ts:1:1)");
  });

  test("a stack validation that rejects late with an unknown is downgraded to advisory", async () => {
    const p = stackPolicy(async (args) => {
      await later();
      void args.resources[0].props.label;
    });
    expect(await runPolicies([p], [thing("a", { label: UNKNOWN })])).toStrictEqual([
      {
        policyName: "foreign-stack",
        ruleId: "foreign-stack",
        message: `can't run policy 'foreign-stack' from policy pack ${PACK} during preview: string value at .label can't be known during preview`,
        enforcementLevel: "advisory",
        standards: [],
        outcome: "unknown",
      },
    ]);
  });

  test("a validation returning a non-promise value (a number, an object with a non-function then) is fine", async () => {
    const p = resPolicy(((_args: unknown, report: (m: string) => void) => {
      report("sync");
      return { then: 42 };
    }) as unknown as ResourceValidation);
    const s = stackPolicy((() => 7) as unknown as StackValidation);
    expect((await runPolicies([p, s], [thing("a")])).map((v) => v.message)).toEqual(["Foreign resources must be fine.\nsync"]);
  });
});

describe("resource policy type filters", () => {
  test("a single validation with __pulumiType runs only for resources of that type", async () => {
    const seen: string[] = [];
    const p = resPolicy(typed<ResourceValidation>((args) => void seen.push(args.name), OTHER));
    await runPolicies([p], [thing("a"), other("o"), thing("b")]);
    expect(seen).toEqual(["o"]);
  });

  test("a single validation with the pack's RESOURCE_TYPES set runs only for the types in the set", async () => {
    const seen: string[] = [];
    const fn: ResourceValidation = (args) => void seen.push(args.name);
    (fn as unknown as { [RESOURCE_TYPES]: ReadonlySet<string> })[RESOURCE_TYPES] = new Set([OTHER, "toy:index:Third"]);
    await runPolicies([resPolicy(fn)], [thing("a"), other("o"), { type: "toy:index:Third", name: "t" }]);
    expect(seen).toEqual(["o", "t"]);
  });

  test("an array of validations is not type-filtered even if the array carries __pulumiType or RESOURCE_TYPES (like the server)", async () => {
    const seen: string[] = [];
    const arr = typed<ResourceValidation[]>([(args) => void seen.push(`1:${args.name}`), (args) => void seen.push(`2:${args.name}`)], OTHER);
    (arr as unknown as { [RESOURCE_TYPES]: ReadonlySet<string> })[RESOURCE_TYPES] = new Set([OTHER]);
    await runPolicies([resPolicy(arr)], [thing("a"), other("o")]);
    expect(seen).toEqual(["1:a", "2:a", "1:o", "2:o"]);
  });
});

describe("stack policies", () => {
  const runsOn = async (resources: InputResource[]): Promise<number> => {
    let calls = 0;
    const p = stackPolicy(typed<StackValidation>(() => void calls++, OTHER));
    await runPolicies([p], resources);
    return calls;
  };

  test("validateStack with __pulumiType is skipped when no resource has that type (empty stack, other types only)", async () => {
    expect(await runsOn([])).toBe(0);
    expect(await runsOn([thing("a"), thing("b")])).toBe(0);
  });

  test("validateStack with __pulumiType runs once when some resource has that type (only that type, or mixed)", async () => {
    expect(await runsOn([other("o")])).toBe(1);
    expect(await runsOn([thing("a"), other("o")])).toBe(1);
  });

  test("a typed stack policy gets every resource of the stack, not only those of its type", async () => {
    let names: string[] = [];
    const p = stackPolicy(typed<StackValidation>((args) => void (names = args.resources.map((r) => r.name)), OTHER));
    await runPolicies([p], [thing("a"), other("o")]);
    expect(names).toEqual(["a", "o"]);
  });

  test("a stack policy at level remediate (its own default or from config) reports as mandatory", async () => {
    const p = stackPolicy((_args, report) => report("x"), { enforcementLevel: "remediate" });
    expect((await runPolicies([p], [thing("a")])).map((v) => v.enforcementLevel)).toEqual(["mandatory"]);
    const q = stackPolicy((_args, report) => report("x"), { enforcementLevel: "advisory" });
    expect((await runPolicies([q], [thing("a")], { config: { "foreign-stack": "remediate" } })).map((v) => v.enforcementLevel)).toEqual(["mandatory"]);
  });

  test("parent and dependencies resolve to the resource objects; unresolvable URNs are dropped", async () => {
    let got: PolicyResource[] = [];
    const p = stackPolicy((args) => void (got = args.resources));
    await runPolicies(
      [p],
      [
        thing("a"),
        thing("b", {}, { parent: URN_A, dependencies: [URN_A, "urn:missing"], propertyDependencies: { role: [URN_A, "urn:missing"], none: ["urn:missing"] } }),
      ],
    );
    const [a, b] = got;
    expect(b.parent).toBe(a);
    expect(b.dependencies).toHaveLength(1);
    expect(b.dependencies[0]).toBe(a);
    expect(Object.keys(b.propertyDependencies).sort()).toEqual(["none", "role"]);
    expect(b.propertyDependencies.role).toHaveLength(1);
    expect(b.propertyDependencies.role[0]).toBe(a);
    expect(b.propertyDependencies.none).toEqual([]);
    expect(a.dependencies).toEqual([]);
    expect(a.propertyDependencies).toEqual({});
  });

  test("a parent URN that is not in the stack leaves no parent key (like the server)", async () => {
    let got: PolicyResource[] = [];
    await runPolicies([stackPolicy((args) => void (got = args.resources))], [thing("b", {}, { parent: "urn:missing" })]);
    expect(Object.prototype.hasOwnProperty.call(got[0], "parent")).toBe(false);
  });

  test("an empty parent URN means no parent (protobuf's unset string), even when a resource has an empty URN", async () => {
    let got: PolicyResource[] = [];
    await runPolicies([stackPolicy((args) => void (got = args.resources))], [thing("root", {}, { urn: "" }), thing("b", {}, { parent: "" })]);
    expect(got.map((r) => r.urn)).toEqual(["", URN_B]);
    expect(Object.prototype.hasOwnProperty.call(got[1], "parent")).toBe(false);
  });
});

describe("the same foreign policies through @pulumi/policy's server RPC handlers", () => {
  // test/support/engine-server.ts: each resource through `analyze`, then the stack through `analyzeStack`.
  async function viaServer(policies: Array<ResourceValidationPolicy | StackValidationPolicy>, resources: InputResource[]): Promise<Diag[]> {
    return (await serverDiagnostics(policies, resources)).map(toDiag);
  }

  test("string reports, unknowns, typed and async policies, remediate: identical diagnostics on both paths", async () => {
    const policies = [
      resPolicy((args, report) => {
        if (args.props.label !== "ok") report(`label is ${String(args.props.label)}`);
      }),
      resPolicy(
        typed<ResourceValidation>(async (_args, report) => {
          await later(1);
          report("other seen");
        }, OTHER),
        { name: "foreign-typed", severity: "low" },
      ),
      stackPolicy(
        typed<StackValidation>((args, report) => {
          for (const r of args.resources) if (r.props.label === "bad") report("bad label", r.urn);
        }, THING),
        { enforcementLevel: "remediate" },
      ),
      stackPolicy(typed<StackValidation>((_args, report) => report("never"), "toy:index:Absent"), { name: "foreign-absent" }),
      stackPolicy(() => undefined, { name: "foreign-quiet" }),
    ];
    const resources = [thing("a", { label: "bad" }), thing("b", { label: UNKNOWN }), other("o", { label: "ok" })];
    const order = (x: Diag, y: Diag) => JSON.stringify(x).localeCompare(JSON.stringify(y));
    const expected = (await viaServer(policies, resources)).sort(order);
    const got = (await runPolicies(policies, resources)).map((v) => ({ policyName: v.policyName, enforcementLevel: v.enforcementLevel, urn: v.urn ?? "", message: v.message })).sort(order);
    expect(got).toEqual(expected);
    expect(got).toEqual(
      [
        { policyName: "foreign-res", enforcementLevel: "mandatory", urn: "", message: "Foreign resources must be fine.\nlabel is bad" },
        {
          policyName: "foreign-res",
          enforcementLevel: "advisory",
          urn: "",
          message: `can't run policy 'foreign-res' from policy pack ${PACK} during preview: string value at .label can't be known during preview`,
        },
        { policyName: "foreign-typed", enforcementLevel: "mandatory", urn: "", message: "Foreign resources must be fine.\nother seen" },
        { policyName: "foreign-stack", enforcementLevel: "mandatory", urn: URN_A, message: "The foreign stack must be fine.\nbad label" },
        {
          policyName: "foreign-stack",
          enforcementLevel: "advisory",
          urn: "",
          message: `can't run policy 'foreign-stack' from policy pack ${PACK} during preview: string value at .label can't be known during preview`,
        },
      ].sort(order),
    );
  });
});
