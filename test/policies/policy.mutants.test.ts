/**
 * Pins the exact observable behaviour of policies/policy.ts (toPolicy, the wrapper) that the broader
 * framework tests left loose:
 * - metadata: the OWASP NHI framework object (name, version, specification, reference joined with
 *   ", "), `url`, `__pulumiType` only for single-type rules, the registry keys of the exported symbols,
 *   the exact id errors (kebab-case anchored at both ends, "all" reserved);
 * - unknowns: the full message for an `UnknownValueError` with an empty path ("a value"), for a core
 *   `UnknownInput`, in advisory mode; an unknown thrown by a stack rule itself (whole stack, never
 *   suppressed by an exception); `guard` keys by the dotted path; non-unknown errors propagate out of
 *   checkResource, checkStack, `guard` and `peek`;
 * - messages: a finding without a key has no "Finding key" part; a stack finding about a URN that is
 *   not in the stack is "resource '<urn>'";
 * - hooks: no hooks (the real engine) or hooks without a sink work; the sink gets the forced
 *   "advisory" level; a stack rule gets the pinned `now`; a resource rule sees empty dependencies.
 * policy.ts's module-level constants are loaded inside the tests (jest.isolateModules).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { toPolicy, HARNESS_HOOKS, AssistantPolicy, ReportDetail } from "../../policies/policy";
import { runPolicies, InputResource } from "../../policies/harness";
import { UNKNOWN, UnknownValueError } from "../../policies/engine";
import { resourceRule, stackRule, ResourceRule, StackRule, RuleResource } from "../../policies/rule";
import { UnknownInput } from "../../core/findings";
import type { Standards } from "../../core/standards";

type PolicyModule = typeof import("../../policies/policy");

const standards: Standards = { nhi: ["NHI7"], agentic: [], maestro: [], csf: [] };
const STANDARDS_LINE = "Standards: OWASP NHI7 Long-Lived Secrets.";
const UNKNOWN_FIX =
  "Fix: make the value known at preview (a literal or a value computed from known inputs instead of another resource's output), " +
  "or run the gate again on `pulumi up`/`pulumi stack export`, or set unknownValues: advisory for this policy.";
const UNKNOWN_FIX_RAW =
  "make the value known at preview (a literal or a value computed from known inputs instead of another resource's output), " +
  "or run the gate again on `pulumi up`/`pulumi stack export`, or set unknownValues: advisory for this policy";
const FAIL_TAIL = "unknown values are treated as failures (unknownValues: fail)";
const ADVISORY_TAIL = "reported as advisory (unknownValues: advisory)";
const FAR_FUTURE = "2999-12-31";

function toyRule(over: Partial<ResourceRule<Record<string, never>>> = {}): ResourceRule<Record<string, never>> {
  return resourceRule<Record<string, never>>({
    id: "toy-res",
    title: "Ensure toys are fine",
    description: "Toys must be fine.",
    rationale: "Broken toys hurt",
    remediation: "Fix the toy.",
    standards,
    enforcementLevel: "mandatory",
    severity: "high",
    unknownDefault: "fail",
    configSchema: { properties: {} },
    resourceTypes: ["toy:index:Thing"],
    checkResource: () => [],
    ...over,
  });
}

function toyStack(over: Partial<StackRule<Record<string, never>>> = {}): StackRule<Record<string, never>> {
  return stackRule<Record<string, never>>({
    id: "toy-stack",
    title: "Ensure the toy stack is fine",
    description: "The toy stack must be fine.",
    rationale: "Broken stacks hurt",
    remediation: "Fix the stack.",
    standards,
    enforcementLevel: "mandatory",
    severity: "medium",
    unknownDefault: "fail",
    configSchema: { properties: {} },
    checkStack: () => [],
    ...over,
  });
}

const URN_A = "urn:pulumi:stack::project::toy:index:Thing::a";
const thing = (name: string, props: Record<string, unknown> = {}): InputResource => ({ type: "toy:index:Thing", name, props });

type Report = jest.Mock<void, unknown[]>;
type RawValidate = (args: object, report: Report) => void;
const validateResourceOf = (p: AssistantPolicy) => (p as ResourceValidationPolicy).validateResource as unknown as RawValidate;
const validateStackOf = (p: AssistantPolicy) => (p as StackValidationPolicy).validateStack as unknown as RawValidate;

/** Resource validation args as the real engine passes them (no harness hooks unless given). */
function resourceArgs(config: Record<string, unknown>, hooks?: object): object {
  return {
    type: "toy:index:Thing",
    name: "a",
    urn: URN_A,
    props: {},
    getConfig: () => config,
    ...(hooks ? { [HARNESS_HOOKS]: hooks } : {}),
  };
}

function stackArgs(resources: RuleResource[], config: Record<string, unknown> = {}): object {
  return { resources, getConfig: () => config };
}

const plainResource = (name: string): RuleResource => ({
  type: "toy:index:Thing",
  name,
  urn: `urn:pulumi:stack::project::toy:index:Thing::${name}`,
  props: {},
  dependencies: [],
  propertyDependencies: {},
});

/** What `fn` throws. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

function loadPolicyModule(): PolicyModule {
  let m: PolicyModule | undefined;
  jest.isolateModules(() => {
    m = require("../../policies/policy");
  });
  return m!;
}

describe("module constants and policy metadata", () => {
  test("HARNESS_HOOKS and RESOURCE_TYPES are the global symbols of their documented registry keys", () => {
    const m = loadPolicyModule();
    expect(m.HARNESS_HOOKS).toBe(Symbol.for("assistant-identities.policy-harness"));
    expect(m.RESOURCE_TYPES).toBe(Symbol.for("assistant-identities.resource-types"));
  });

  test("the framework is OWASP NHI Top 10 2025 with its specification URL and the rule's NHI ids joined with ', '", () => {
    const m = loadPolicyModule();
    const p = m.toPolicy(toyRule({ standards: { nhi: ["NHI1", "NHI7"], agentic: ["ASI03"], maestro: [], csf: [] } }));
    expect(p.framework).toStrictEqual({
      name: "OWASP Non-Human Identities Top 10",
      version: "2025",
      specification: "https://owasp.org/www-project-non-human-identities-top-10/2025/",
      reference: "NHI1, NHI7",
    });
  });

  test("a rule's url becomes the policy's url; without one the policy has no url key", () => {
    expect(toPolicy(toyRule({ url: "https://example.test/docs/toy-res" })).url).toBe("https://example.test/docs/toy-res");
    expect("url" in toPolicy(toyRule())).toBe(false);
  });

  test("__pulumiType is set to the only type of a single-type rule and absent for a multi-type rule", () => {
    const single = validateResourceOf(toPolicy(toyRule())) as unknown as { __pulumiType?: string };
    expect(single.__pulumiType).toBe("toy:index:Thing");
    const multi = validateResourceOf(toPolicy(toyRule({ resourceTypes: ["toy:index:Thing", "toy:index:Other"] }))) as unknown as { __pulumiType?: string };
    expect(multi.__pulumiType).toBeUndefined();
    expect("__pulumiType" in multi).toBe(false);
  });

  test("an id that is kebab-case only as a prefix is rejected with the exact message", () => {
    expect((thrownBy(() => toPolicy(toyRule({ id: "toy-res_2" }))) as Error).message).toBe("rule id 'toy-res_2' must be kebab-case");
    expect((thrownBy(() => toPolicy(toyRule({ id: "toy-" }))) as Error).message).toBe("rule id 'toy-' must be kebab-case");
  });

  test("the id 'all' is rejected: it is reserved by the policy config format", () => {
    expect((thrownBy(() => toPolicy(toyRule({ id: "all" }))) as Error).message).toBe("'all' is reserved by the policy config format");
    expect((thrownBy(() => toPolicy(toyStack({ id: "all" }))) as Error).message).toBe("'all' is reserved by the policy config format");
  });
});

describe("finding messages", () => {
  test("a finding without a key has no 'Finding key' part", async () => {
    const p = toPolicy(toyRule({ checkResource: () => [{ message: "must be fine; got broken", path: "label", fix: "repair it" }] }));
    const v = await runPolicies([p], [thing("a")]);
    expect(v).toHaveLength(1);
    expect(v[0].message).toBe(
      "Toys must be fine.\ntoy:index:Thing 'a' at label: must be fine; got broken. Why it matters: Broken toys hurt. Fix: repair it. " + STANDARDS_LINE,
    );
  });

  test("a stack finding about a URN that is not in the stack is reported as resource '<urn>'", async () => {
    const p = toPolicy(toyStack({ checkStack: () => [{ urn: "urn:elsewhere", message: "must be fine", path: "p", fix: "repair", key: "k1" }] }));
    const v = await runPolicies([p], [thing("a")]);
    expect(v).toStrictEqual([
      {
        policyName: "toy-stack",
        ruleId: "toy-stack",
        enforcementLevel: "mandatory",
        severity: "medium",
        message: "The toy stack must be fine.\nresource 'urn:elsewhere' at p: must be fine. Why it matters: Broken stacks hurt. Fix: repair. Finding key: k1. " + STANDARDS_LINE,
        urn: "urn:elsewhere",
        finding: { message: "must be fine", path: "p", fix: "repair", key: "k1" },
        outcome: "finding",
        standards: ["OWASP-NHI7"],
      },
    ]);
  });
});

describe("unknown values in resource rules", () => {
  test("an UnknownValueError with an empty path is reported as 'a value is unknown (<engine message>)' without a path", async () => {
    const p = toPolicy(
      toyRule({
        checkResource: () => {
          throw new UnknownValueError(UNKNOWN, []);
        },
      }),
    );
    const v = await runPolicies([p], [thing("a")]);
    expect(v).toHaveLength(1);
    expect(v[0].message).toBe(
      "Toys must be fine.\ntoy:index:Thing 'a': cannot be verified at preview: a value is unknown (string value at . can't be known during preview); " +
        `${FAIL_TAIL}. Why it matters: Broken toys hurt. ${UNKNOWN_FIX} Finding key: unknown. ${STANDARDS_LINE}`,
    );
    expect(v[0]).toMatchObject({ enforcementLevel: "mandatory", outcome: "unknown", urn: URN_A });
    expect(v[0].finding).toStrictEqual({
      message: `cannot be verified at preview: a value is unknown (string value at . can't be known during preview); ${FAIL_TAIL}`,
      path: "",
      fix: UNKNOWN_FIX_RAW,
      key: "unknown",
    });
  });

  test("a core UnknownInput is reported as '<what> is unknown' without a path", async () => {
    const p = toPolicy(
      toyRule({
        checkResource: () => {
          throw new UnknownInput("the trust policy");
        },
      }),
    );
    const v = await runPolicies([p], [thing("a")]);
    expect(v).toHaveLength(1);
    expect(v[0].message).toBe(
      "Toys must be fine.\ntoy:index:Thing 'a': cannot be verified at preview: the trust policy is unknown; " +
        `${FAIL_TAIL}. Why it matters: Broken toys hurt. ${UNKNOWN_FIX} Finding key: unknown. ${STANDARDS_LINE}`,
    );
    expect(v[0].finding).toStrictEqual({
      message: `cannot be verified at preview: the trust policy is unknown; ${FAIL_TAIL}`,
      path: undefined,
      fix: UNKNOWN_FIX_RAW,
      key: "unknown",
    });
  });

  test("in advisory mode the message says 'reported as advisory' and the level is advisory", async () => {
    const p = toPolicy(
      toyRule({
        unknownDefault: "advisory",
        checkResource: (r) => [{ message: `got ${String(r.props.label)}`, fix: "f" }],
      }),
    );
    const v = await runPolicies([p], [thing("a", { label: UNKNOWN })]);
    expect(v).toHaveLength(1);
    expect(v[0].message).toBe(
      "Toys must be fine.\ntoy:index:Thing 'a' at label: cannot be verified at preview: label is unknown (string value at .label can't be known during preview); " +
        `${ADVISORY_TAIL}. Why it matters: Broken toys hurt. ${UNKNOWN_FIX} Finding key: unknown. ${STANDARDS_LINE}`,
    );
    expect(v[0]).toMatchObject({ enforcementLevel: "advisory", outcome: "unknown", urn: URN_A });
  });

  test("an ordinary error from checkResource propagates unchanged (it is not an unknown)", () => {
    const boom = new Error("boom");
    const p = toPolicy(
      toyRule({
        checkResource: () => {
          throw boom;
        },
      }),
    );
    const report: Report = jest.fn();
    expect(thrownBy(() => validateResourceOf(p)(resourceArgs({}), report))).toBe(boom);
    expect(report).not.toHaveBeenCalled();
  });

  test("the resource a rule sees has no dependencies and no property dependencies", () => {
    let seen: RuleResource | undefined;
    const p = toPolicy(
      toyRule({
        checkResource: (r) => {
          seen = r;
          return [];
        },
      }),
    );
    validateResourceOf(p)(resourceArgs({}), jest.fn());
    expect(seen!.dependencies).toStrictEqual([]);
    expect(seen!.propertyDependencies).toStrictEqual({});
  });
});

describe("unknown values and errors in stack rules", () => {
  test("an unknown thrown by checkStack itself is one whole-stack finding at the policy's level, without a URN", async () => {
    const p = toPolicy(
      toyStack({
        checkStack: () => {
          throw new UnknownInput("the role graph");
        },
      }),
    );
    const v = await runPolicies([p], [thing("a")]);
    expect(v).toStrictEqual([
      {
        policyName: "toy-stack",
        ruleId: "toy-stack",
        enforcementLevel: "mandatory",
        severity: "medium",
        message:
          "The toy stack must be fine.\nstack '(whole stack)': cannot be verified at preview: the role graph is unknown; " +
          `${FAIL_TAIL}. Why it matters: Broken stacks hurt. ${UNKNOWN_FIX} Finding key: unknown. ${STANDARDS_LINE}`,
        finding: { message: `cannot be verified at preview: the role graph is unknown; ${FAIL_TAIL}`, path: undefined, fix: UNKNOWN_FIX_RAW, key: "unknown" },
        outcome: "unknown",
        standards: ["OWASP-NHI7"],
      },
    ]);
  });

  test("a whole-stack unknown in advisory mode is an advisory with outcome 'unknown'", async () => {
    const p = toPolicy(
      toyStack({
        unknownDefault: "advisory",
        checkStack: () => {
          throw new UnknownInput("the role graph");
        },
      }),
    );
    const v = await runPolicies([p], [thing("a")]);
    expect(v.map((x) => [x.enforcementLevel, x.outcome, x.message])).toStrictEqual([
      [
        "advisory",
        "unknown",
        "The toy stack must be fine.\nstack '(whole stack)': cannot be verified at preview: the role graph is unknown; " +
          `${ADVISORY_TAIL}. Why it matters: Broken stacks hurt. ${UNKNOWN_FIX} Finding key: unknown. ${STANDARDS_LINE}`,
      ],
    ]);
  });

  test("an exception never suppresses the whole-stack unknown (it has no URN), even one matching every name", async () => {
    const p = toPolicy(
      toyStack({
        checkStack: () => {
          throw new UnknownInput("the role graph");
        },
      }),
    );
    const config = { "toy-stack": { exceptions: [{ name: "*", owner: "team-x", reason: "legacy", expires: FAR_FUTURE }] } };
    const v = await runPolicies([p], [thing("a")], { config, now: new Date("2026-01-01T00:00:00Z") });
    expect(v.map((x) => [x.outcome, x.finding?.key, x.expiredException])).toStrictEqual([["unknown", "unknown", undefined]]);
  });

  test("an ordinary error from checkStack propagates unchanged", () => {
    const boom = new Error("boom");
    const p = toPolicy(
      toyStack({
        checkStack: () => {
          throw boom;
        },
      }),
    );
    const report: Report = jest.fn();
    expect(thrownBy(() => validateStackOf(p)(stackArgs([plainResource("a")]), report))).toBe(boom);
    expect(report).not.toHaveBeenCalled();
  });

  test("guard records unknowns per resource and dotted path: 'a.b' and 'ab' are two unknowns", async () => {
    const p = toPolicy(
      toyStack({
        checkStack: (resources, ctx) => {
          for (const r of resources) {
            ctx.guard(r, () => r.props.a.b);
            ctx.guard(r, () => r.props.ab);
            ctx.guard(r, () => r.props.a.b);
          }
          return [];
        },
      }),
    );
    const v = await runPolicies([p], [thing("a", { a: { b: UNKNOWN }, ab: UNKNOWN })]);
    expect(v.map((x) => [x.urn, x.outcome, x.finding?.path, x.finding?.message])).toStrictEqual([
      [URN_A, "unknown", "a.b", `cannot be verified at preview: a.b is unknown (string value at .a.b can't be known during preview); ${FAIL_TAIL}`],
      [URN_A, "unknown", "ab", `cannot be verified at preview: ab is unknown (string value at .ab can't be known during preview); ${FAIL_TAIL}`],
    ]);
  });

  test("guard rethrows an ordinary error unchanged", () => {
    const boom = new Error("boom");
    const p = toPolicy(
      toyStack({
        checkStack: (resources, ctx) => {
          for (const r of resources) {
            ctx.guard(r, () => {
              throw boom;
            });
          }
          return [];
        },
      }),
    );
    const report: Report = jest.fn();
    expect(thrownBy(() => validateStackOf(p)(stackArgs([plainResource("a")]), report))).toBe(boom);
    expect(report).not.toHaveBeenCalled();
  });

  test("peek returns the value, undefined for an unknown, and rethrows an ordinary error unchanged", () => {
    const boom = new Error("boom");
    const seen: unknown[] = [];
    const p = toPolicy(
      toyStack({
        checkStack: (_resources, ctx) => {
          seen.push(ctx.peek(() => 7));
          seen.push(
            ctx.peek(() => {
              throw new UnknownInput("x");
            }),
          );
          ctx.peek(() => {
            throw boom;
          });
          seen.push("not reached");
          return [];
        },
      }),
    );
    const report: Report = jest.fn();
    expect(thrownBy(() => validateStackOf(p)(stackArgs([plainResource("a")]), report))).toBe(boom);
    expect(seen).toStrictEqual([7, undefined]);
    expect(report).not.toHaveBeenCalled();
  });

  test("a stack rule gets the harness's pinned 'now'", async () => {
    const now = new Date("2020-02-02T02:02:02Z");
    let seen: Date | undefined;
    const p = toPolicy(
      toyStack({
        checkStack: (_r, ctx) => {
          seen = ctx.now;
          return [];
        },
      }),
    );
    await runPolicies([p], [thing("a")], { now });
    expect(seen).toBe(now);
  });
});

describe("harness hooks are optional", () => {
  const finding = { message: "must be fine; got broken", fix: "repair it", key: "k1" };
  const expectedText = `toy:index:Thing 'a': must be fine; got broken. Why it matters: Broken toys hurt. Fix: repair it. Finding key: k1. ${STANDARDS_LINE}`;
  const activeException = { exceptions: [{ name: "a", owner: "team-x", reason: "legacy", expires: FAR_FUTURE }] };

  test("without hooks (the real engine) an active exception suppresses the finding silently", () => {
    const p = toPolicy(toyRule({ checkResource: () => [finding] }));
    const report: Report = jest.fn();
    validateResourceOf(p)(resourceArgs(activeException), report);
    expect(report).not.toHaveBeenCalled();
  });

  test("hooks without a sink: an active exception suppresses, a finding is reported with its text and URN", () => {
    const p = toPolicy(toyRule({ checkResource: () => [finding] }));
    const hooks = { now: new Date("2026-01-01T00:00:00Z") };
    const suppressedReport: Report = jest.fn();
    validateResourceOf(p)(resourceArgs(activeException, hooks), suppressedReport);
    expect(suppressedReport).not.toHaveBeenCalled();
    const report: Report = jest.fn();
    validateResourceOf(p)(resourceArgs({}, hooks), report);
    expect(report.mock.calls).toStrictEqual([[expectedText, URN_A]]);
  });

  test("the sink gets enforcementLevel 'advisory' for an unknown in advisory mode; the report is the object form", () => {
    const p = toPolicy(
      toyRule({
        checkResource: () => {
          throw new UnknownInput("the label");
        },
      }),
    );
    const details: ReportDetail[] = [];
    const report: Report = jest.fn();
    validateResourceOf(p)(resourceArgs({ unknownValues: "advisory" }, { sink: (d: ReportDetail) => details.push(d) }), report);
    const f = { message: `cannot be verified at preview: the label is unknown; ${ADVISORY_TAIL}`, path: undefined, fix: UNKNOWN_FIX_RAW, key: "unknown" };
    expect(details).toStrictEqual([
      { ruleId: "toy-res", urn: URN_A, finding: f, outcome: "unknown", enforcementLevel: "advisory", exception: undefined, suppressed: false },
    ]);
    expect(report.mock.calls).toStrictEqual([
      [
        {
          message:
            "Toys must be fine.\ntoy:index:Thing 'a': cannot be verified at preview: the label is unknown; " +
            `${ADVISORY_TAIL}. Why it matters: Broken toys hurt. ${UNKNOWN_FIX} Finding key: unknown. ${STANDARDS_LINE}`,
          urn: URN_A,
          enforcementLevel: "advisory",
          severity: "high",
        },
      ],
    ]);
  });
});

describe("stack rules share one URN index per resource list", () => {
  test("two stack rules over the same list see the same byUrn map; a grown list gets a fresh one that knows the new resource", () => {
    const seen: Array<ReadonlyMap<string, RuleResource>> = [];
    const spy = (resources: readonly RuleResource[], ctx: { byUrn: ReadonlyMap<string, RuleResource> }) => {
      seen.push(ctx.byUrn);
      return resources.map((r) => ({ urn: r.urn, message: `saw ${r.name}`, fix: "Fix it." }));
    };
    const one = toPolicy(toyStack({ id: "toy-stack-one", checkStack: spy }));
    const two = toPolicy(toyStack({ id: "toy-stack-two", checkStack: spy }));
    const list = [plainResource("a"), plainResource("b")];
    const report: Report = jest.fn();
    validateStackOf(one)(stackArgs(list), report);
    validateStackOf(two)(stackArgs(list), report);
    expect(seen[0]).toBe(seen[1]);
    expect([...seen[0].keys()]).toEqual([list[0].urn, list[1].urn]);
    list.push(plainResource("c"));
    validateStackOf(one)(stackArgs(list), report);
    expect(seen[2]).not.toBe(seen[0]);
    expect(seen[2].get(list[2].urn)).toBe(list[2]);
    // Each finding was placed on its resource (type and name read from the index), the new one included.
    const lastCall = report.mock.calls[report.mock.calls.length - 1];
    expect(lastCall[1]).toBe(list[2].urn);
    expect(String(lastCall[0])).toContain("saw c");
  });
});
