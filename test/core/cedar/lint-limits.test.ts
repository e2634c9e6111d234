/**
 * Hostile Cedar text: nesting or operator chains past what cedar-wasm's WebAssembly stack takes
 * ("memory access out of bounds", after which every later call in the process fails) is refused by
 * a lexical pre-check before the engine sees it; text at the limits is read by the real engine.
 * Also: a finding's `[i]` is the i-th policy in the text (the engine lists parts in another order).
 */
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { CEDAR_TEXT_LIMITS, cedarTextProblem, lintCedarPolicy } from "../../../core/cedar/lint";
import { compileToolPolicies } from "../../../core/cedar";
import { DATA_ANALYST, PR_REVIEWER } from "./examples";

const permitWhen = (cond: string) => `permit (principal == User::"a", action, resource == Doc::"d") when { ${cond} };`;
const SCOPED = 'permit (principal == User::"a", action == Action::"read", resource == Doc::"d");';

describe("cedarTextProblem: what must never reach the engine", () => {
  test.each([
    ["parentheses 200 deep", permitWhen(`${"(".repeat(200)}true${")".repeat(200)}`), "brackets nested more than 64 deep (policy 1)"],
    ["a set nested 130 deep", permitWhen(`${"[".repeat(130)}1${"]".repeat(130)} == []`), "brackets nested more than 64 deep (policy 1)"],
    ["a record nested 130 deep", permitWhen(`${"{a:".repeat(130)}1${"}".repeat(130)} == {}`), "brackets nested more than 64 deep (policy 1)"],
    ["5,000 chained &&", permitWhen(Array(5000).fill("true").join(" && ")), "more than 200 operators in one policy (policy 1)"],
    ["4,000 chained +", permitWhen(`${Array(4000).fill("1").join("+")} == 1`), "more than 200 operators in one policy (policy 1)"],
    ["4,000 chained attribute reads", permitWhen(`context${".a".repeat(4000)} == 1`), "more than 200 operators in one policy (policy 1)"],
    ["1,000 nested if-then-else", permitWhen(`${"if true then ".repeat(1000)}true${" else false".repeat(1000)}`), "more than 200 operators in one policy (policy 1)"],
    ["a deep second policy", `${SCOPED}\n${permitWhen(`${"(".repeat(70)}true${")".repeat(70)}`)}`, "brackets nested more than 64 deep (policy 2)"],
  ])("%s", (_name, text, problem) => {
    expect(cedarTextProblem(text)).toBe(problem);
  });

  test("brackets, operators and keywords inside strings and comments do not count; each policy has its own operator budget", () => {
    expect(cedarTextProblem(permitWhen(`context.s == "${"((((&&".repeat(500)}\\"((("`))).toBeUndefined();
    expect(cedarTextProblem(`// ${"(".repeat(100)} if in has\n${SCOPED}`)).toBeUndefined();
    const half = permitWhen(Array(150).fill("true").join(" && "));
    expect(cedarTextProblem(`${half}\n${half}\n${half}`)).toBeUndefined();
  });

  test("text at the limits is read by the real engine (the limits sit below where it breaks)", () => {
    const d = CEDAR_TEXT_LIMITS.maxDepth - 2; // `when {` is one level, the parentheses the rest
    const deep = permitWhen(`${"(".repeat(d)}true${")".repeat(d)}`);
    const chain = permitWhen(Array(CEDAR_TEXT_LIMITS.maxOperatorsPerPolicy - 2).fill("true").join(" && "));
    for (const text of [deep, chain]) {
      expect(cedarTextProblem(text)).toBeUndefined();
      const parts = cedar.policySetTextToParts(text);
      expect(parts.type).toBe("success");
      if (parts.type === "success") expect(cedar.policyToJson(parts.policies[0]!).type).toBe("success");
    }
  });
});

test("every policy the toolkit generates for the example assistants is far inside the limits", () => {
  for (const spec of [PR_REVIEWER, DATA_ANALYST]) {
    const bundle = compileToolPolicies(spec);
    expect(bundle.policies.length).toBeGreaterThan(3);
    for (const p of bundle.policies) expect([p.id, cedarTextProblem(p.statement)]).toStrictEqual([p.id, undefined]);
  }
});

describe("lintCedarPolicy on hostile text", () => {
  test("deep text is a TooComplex finding, and the engine still works afterwards in the same process", () => {
    const text = permitWhen(`${"(".repeat(200)}true${")".repeat(200)}`);
    expect(lintCedarPolicy(text, "definition.static.statement")).toStrictEqual([
      {
        message: "must be a Cedar text the engine can read safely; got brackets nested more than 64 deep (policy 1)",
        path: "definition.static.statement",
        value: `${text.slice(0, 297)}...`,
        fix: "split the condition into several policies or flatten it",
        key: "TooComplex",
      },
    ]);
    expect(lintCedarPolicy(SCOPED)).toStrictEqual([]);
    expect(cedar.policySetTextToParts(SCOPED).type).toBe("success");
  });
});

describe("lintCedarPolicy: [i] is the policy's place in the text", () => {
  test("in a set of 12 policies, a blanket permit 11th is reported at statement[10]", () => {
    const texts = Array.from({ length: 12 }, (_, k) => (k === 10 ? "permit (principal, action, resource);" : SCOPED.replace('"a"', `"u${k}"`)));
    const findings = lintCedarPolicy(texts.join("\n"));
    expect(findings.map((f) => f.path)).toStrictEqual(["statement[10]", "statement[10]", "statement[10]"]);
  });
  test("a template first and a blanket permit second: the permit is statement[1]", () => {
    const text = 'permit (principal == ?principal, action == Action::"read", resource == Doc::"d");\npermit (principal, action, resource);';
    expect([...new Set(lintCedarPolicy(text).map((f) => f.path))]).toStrictEqual(["statement[1]"]);
  });
});

describe("lintCedarPolicy when the engine runs out of JavaScript stack", () => {
  test("a RangeError from the engine (a deep caller stack) is a TooComplex finding; any other error still throws", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const wasm = require("@cedar-policy/cedar-wasm/nodejs") as { policySetTextToParts: (t: string) => unknown };
    const spy = jest.spyOn(wasm, "policySetTextToParts").mockImplementation(() => {
      throw new RangeError("Maximum call stack size exceeded");
    });
    try {
      expect(lintCedarPolicy(SCOPED, "statement")).toStrictEqual([
        {
          message: "must be a Cedar text the engine can read safely; got a text that exhausted the engine's stack (Maximum call stack size exceeded)",
          path: "statement",
          value: SCOPED,
          fix: "split the condition into several policies or flatten it",
          key: "TooComplex",
        },
      ]);
      spy.mockImplementation(() => {
        throw new TypeError("engine broke");
      });
      expect(() => lintCedarPolicy(SCOPED)).toThrow("engine broke");
    } finally {
      spy.mockRestore();
    }
    expect(lintCedarPolicy(SCOPED)).toStrictEqual([]);
  });
});
