/**
 * Pins the engine-path plumbing the broader policy tests left loose:
 * - engine.ts: `deserializeProps` turns an encrypted-only secret inside an ARRAY into the unknown
 *   sentinel (arrays stay arrays, the caller's input is not mutated); `unproxied` passes null,
 *   undefined and primitives through and unwraps the unknown-checking proxy;
 * - rule.ts: `isStackRule` tells resource rules from stack rules (and so `toPolicy`'s policy kind);
 * - list.ts: rule discovery (a missing rules folder, `.ts` preferred over `.js`, the exact errors for
 *   a file without a default export or named after another id), loaded with mocked `fs`;
 * - index.ts: the exact `new PolicyPack(...)` call (name, description, level, policy list and order),
 *   with the PolicyPack constructor mocked so no gRPC server starts.
 * list.ts and index.ts do their work at import, so they are loaded inside each test (jest.isolateModules).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import * as path from "path";
import type * as fsType from "fs";
import { deserializeProps, isUnknownValueError, knownStringProp, unproxied, unknownCheckingProxy, UNKNOWN, SPECIAL_SIG_KEY, SECRET_SIG } from "../../policies/engine";
import { toPlain } from "../../policies/documents";
import { isStackRule, resourceRule, stackRule, Rule } from "../../policies/rule";
import { toPolicy } from "../../policies/policy";
import type { Standards } from "../../core/standards";
import * as loadedList from "../../policies/list";

type ListModule = typeof import("../../policies/list");

const RULES_DIR = path.join(__dirname, "..", "..", "policies", "rules");

/** A secret as `pulumi stack export` writes it without --show-secrets (no `value`). */
const sealed = () => ({ [SPECIAL_SIG_KEY]: SECRET_SIG, ciphertext: "AAAA" });
/** A readable secret. */
const open = (value: unknown) => ({ [SPECIAL_SIG_KEY]: SECRET_SIG, value });

const standards: Standards = { nhi: ["NHI7"], agentic: [], maestro: [], csf: [] };

function toyResourceRule(id: string, title = "Ensure toys are fine"): Rule {
  return resourceRule<Record<string, never>>({
    id,
    title,
    description: "Toys must be fine.",
    rationale: "Broken toys hurt",
    remediation: "Fix the toy.",
    standards,
    enforcementLevel: "advisory",
    severity: "low",
    unknownDefault: "advisory",
    configSchema: { properties: {} },
    resourceTypes: ["toy:index:Thing"],
    checkResource: () => [],
  });
}

function toyStackRule(id: string): Rule {
  return stackRule<Record<string, never>>({
    id,
    title: "Ensure the stack of toys is fine",
    description: "The toy stack must be fine.",
    rationale: "Broken stacks hurt",
    remediation: "Fix the stack.",
    standards,
    enforcementLevel: "advisory",
    severity: "low",
    unknownDefault: "advisory",
    configSchema: { properties: {} },
    checkStack: () => [],
  });
}

/**
 * Loads policies/list.ts afresh with `fs.existsSync` / `fs.readdirSync` faked for the rules folder
 * only, and the given rule files as virtual modules under that folder.
 */
function loadListWith(opts: { rulesDirExists?: boolean; files?: string[]; modules?: Record<string, unknown> }): ListModule {
  const realFs = jest.requireActual<typeof fsType>("fs");
  const modules = opts.modules ?? {};
  jest.doMock("fs", () => ({
    ...realFs,
    existsSync: (p: fsType.PathLike) => (p === RULES_DIR ? (opts.rulesDirExists ?? true) : realFs.existsSync(p)),
    readdirSync: (p: fsType.PathLike, ...rest: unknown[]) => (p === RULES_DIR ? [...(opts.files ?? [])] : (realFs.readdirSync as (...a: unknown[]) => unknown)(p, ...rest)),
  }));
  for (const [f, mod] of Object.entries(modules)) jest.doMock(path.join(RULES_DIR, f), () => mod, { virtual: true });
  try {
    let m: ListModule | undefined;
    jest.isolateModules(() => {
      m = require("../../policies/list");
    });
    return m!;
  } finally {
    jest.dontMock("fs");
    for (const f of Object.keys(modules)) jest.dontMock(path.join(RULES_DIR, f));
  }
}

/** The message of what `fn` throws. */
function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a throw");
}

describe("deserializeProps: encrypted-only secrets inside arrays", () => {
  test("a sealed secret in an array becomes the unknown sentinel; the array stays an array", () => {
    const got = deserializeProps({ list: ["a", sealed(), open("shown"), 7] });
    expect(got).toStrictEqual({ list: ["a", UNKNOWN, "shown", 7] });
    expect(Array.isArray(got.list)).toBe(true);
  });

  test("sealed secrets in nested arrays and in objects inside arrays are replaced too", () => {
    const got = deserializeProps({ rows: [[sealed(), "x"], { k: sealed(), v: "y" }], top: sealed() });
    expect(got).toStrictEqual({ rows: [[UNKNOWN, "x"], { k: UNKNOWN, v: "y" }], top: UNKNOWN });
  });

  test("an array without sealed secrets deserialises unchanged", () => {
    expect(deserializeProps({ list: ["a", open("b"), ["c"]] })).toStrictEqual({ list: ["a", "b", ["c"]] });
  });

  test("the caller's raw props are not mutated (arrays and objects are copied before replacing)", () => {
    const raw = { list: ["a", sealed()], nested: [{ k: sealed() }] };
    deserializeProps(raw);
    expect(raw).toStrictEqual({
      list: ["a", { [SPECIAL_SIG_KEY]: SECRET_SIG, ciphertext: "AAAA" }],
      nested: [{ k: { [SPECIAL_SIG_KEY]: SECRET_SIG, ciphertext: "AAAA" } }],
    });
  });

  test("an unknown in an array is reported by the proxy at its index", () => {
    const props = unknownCheckingProxy(deserializeProps({ list: ["a", sealed()] }));
    expect(props.list[0]).toBe("a");
    expect(() => props.list[1]).toThrow(expect.objectContaining({ props: ["list", "1"] }));
  });
});

describe("unproxied", () => {
  test("null, undefined and primitives are returned as they are", () => {
    expect(unproxied(null)).toBeNull();
    expect(unproxied(undefined)).toBeUndefined();
    expect(unproxied("text")).toBe("text");
    expect(unproxied(42)).toBe(42);
    expect(unproxied(false)).toBe(false);
  });

  test("a plain object is returned as is; a proxied one yields its target, readable without unknown checks", () => {
    const plain = { a: 1 };
    expect(unproxied(plain)).toBe(plain);
    const raw = { a: UNKNOWN, b: "x" };
    const target = unproxied(unknownCheckingProxy(raw));
    expect(target).toBe(raw);
    expect(target.a).toBe(UNKNOWN);
  });
});

describe("knownStringProp: what peek(() => toPlain(props[key])) reads as a string, without the proxy", () => {
  const proxyModule = require("@pulumi/policy/proxy") as Record<string, string>;
  const sentinels = ["unknownStringValue", "unknownObjectValue", "unknownArrayValue", "unknownNumberValue", "unknownBooleanValue", "unknownAssetValue", "unknownArchiveValue"].map((k) => proxyModule[k]);

  /** The reading it replaces: through the proxy, an unknown (of any kind) read as undefined. */
  function throughProxy(props: Record<string, unknown>, key: string): string | undefined {
    try {
      const v = toPlain(props[key], [key]);
      return typeof v === "string" ? v : undefined;
    } catch (e) {
      if (isUnknownValueError(e)) return undefined;
      throw e;
    }
  }

  test("every one of the proxy's seven unknown sentinels reads as undefined, as through the proxy", () => {
    expect(new Set(sentinels).size).toBe(7);
    for (const u of sentinels) {
      const props = unknownCheckingProxy({ name: u });
      expect(throughProxy(props, "name")).toBeUndefined();
      expect(knownStringProp(props, "name")).toBeUndefined();
    }
  });

  test.each([
    ["a string", { name: "ai-agent" }, "ai-agent"],
    ["an empty string", { name: "" }, ""],
    ["a number", { name: 7 }, undefined],
    ["an object", { name: { a: "b" } }, undefined],
    ["an object holding an unknown", { name: { a: UNKNOWN } }, undefined],
    ["a list", { name: ["x"] }, undefined],
    ["null", { name: null }, undefined],
    ["an absent prop", {}, undefined],
  ])("%s: the same answer proxied, unproxied and through the proxy", (_what, raw, expected) => {
    expect(knownStringProp(unknownCheckingProxy(raw as Record<string, unknown>), "name")).toBe(expected);
    expect(knownStringProp(raw as Record<string, unknown>, "name")).toBe(expected);
    expect(throughProxy(unknownCheckingProxy(raw as Record<string, unknown>), "name")).toBe(expected);
  });
});

describe("isStackRule and the policy kind toPolicy builds", () => {
  test("a resource rule is not a stack rule; a stack rule is", () => {
    expect(isStackRule(toyResourceRule("toy-res"))).toBe(false);
    expect(isStackRule(toyStackRule("toy-stack"))).toBe(true);
  });

  test("toPolicy turns a resource rule into a resource policy and a stack rule into a stack policy", () => {
    const res = toPolicy(toyResourceRule("toy-res"));
    expect(typeof (res as { validateResource?: unknown }).validateResource).toBe("function");
    expect("validateStack" in res).toBe(false);
    const st = toPolicy(toyStackRule("toy-stack"));
    expect(typeof (st as { validateStack?: unknown }).validateStack).toBe("function");
    expect("validateResource" in st).toBe(false);
  });
});

describe("list.ts: rule discovery", () => {
  test("no rules folder (e.g. a build without rules): no rules and no policies", () => {
    const m = loadListWith({ rulesDirExists: false });
    expect(m.rules).toStrictEqual([]);
    expect(m.policies).toStrictEqual([]);
    expect(Object.isFrozen(m.rules)).toBe(true);
  });

  test("the .ts source wins over a compiled .js of the same id, whichever is listed first; other names are ignored", () => {
    const m = loadListWith({
      files: ["toy-b.js", "toy-b.ts", "toy-c.ts", "toy-c.js", "toy-a.js", "toy-a.d.ts", "README.md", "Toy_D.ts"],
      modules: {
        "toy-b.js": { default: toyResourceRule("toy-b", "Ensure compiled b") },
        "toy-b.ts": { default: toyResourceRule("toy-b", "Ensure source b") },
        "toy-c.ts": { default: toyResourceRule("toy-c", "Ensure source c") },
        "toy-c.js": { default: toyResourceRule("toy-c", "Ensure compiled c") },
        "toy-a.js": { default: toyStackRule("toy-a") },
      },
    });
    expect(m.rules.map((r) => [r.id, r.title])).toStrictEqual([
      ["toy-a", "Ensure the stack of toys is fine"],
      ["toy-b", "Ensure source b"],
      ["toy-c", "Ensure source c"],
    ]);
    expect(m.policies.map((p) => [p.name, p.displayName])).toStrictEqual([
      ["toy-a", "Ensure the stack of toys is fine"],
      ["toy-b", "Ensure source b"],
      ["toy-c", "Ensure source c"],
    ]);
  });

  test("a rule file without a default export is an error naming the file", () => {
    expect(thrown(() => loadListWith({ files: ["toy-a.ts"], modules: { "toy-a.ts": { rule: toyResourceRule("toy-a") } } }))).toBe(
      "policies/rules/toy-a.ts must default-export a Rule",
    );
    expect(thrown(() => loadListWith({ files: ["toy-a.js"], modules: { "toy-a.js": { default: "toy-a" } } }))).toBe("policies/rules/toy-a.js must default-export a Rule");
  });

  test("a rule file named after another id is an error naming the file and the id", () => {
    expect(thrown(() => loadListWith({ files: ["toy-a.ts"], modules: { "toy-a.ts": { default: toyResourceRule("toy-z") } } }))).toBe(
      "policies/rules/toy-a.ts exports rule id 'toy-z'; the file must be named after the id",
    );
  });
});

describe("index.ts: the PolicyPack it constructs", () => {
  test("one PolicyPack 'assistant-guardrails', advisory by default, with every policy of the list in id order", () => {
    const PolicyPack = jest.fn();
    jest.doMock("@pulumi/policy", () => ({ ...jest.requireActual("@pulumi/policy"), PolicyPack }));
    // index.ts is evaluated afresh; the list (and the rules behind it) is the one loaded with this file,
    // so the rules' module-level definitions are not re-run inside this test.
    jest.doMock("../../policies/list", () => loadedList);
    let list: ListModule | undefined;
    try {
      jest.isolateModules(() => {
        require("../../policies/index");
        list = require("../../policies/list");
      });
    } finally {
      jest.dontMock("@pulumi/policy");
      jest.dontMock("../../policies/list");
    }
    expect(list).toBe(loadedList);
    expect(PolicyPack).toHaveBeenCalledTimes(1);
    const [name, args] = PolicyPack.mock.calls[0] as [string, { description: string; enforcementLevel: string; policies: Array<{ name: string }> }];
    expect(name).toBe("assistant-guardrails");
    expect(Object.keys(args).sort()).toStrictEqual(["description", "enforcementLevel", "policies"]);
    expect(args.description).toBe(
      "Guardrails for workload identities of AI coding assistants (and any other non-human identity): static credentials, " +
        "unpinned federation, overbroad grants, rotation, session length, identity reuse. Mapped to OWASP NHI Top 10, OWASP " +
        "Agentic (ASI), CSA MAESTRO and NIST CSF 2.0.",
    );
    expect(args.enforcementLevel).toBe("advisory");
    expect(args.policies).toBe(list!.policies);
    expect(args.policies.map((p) => p.name)).toStrictEqual([
      "assistant-identity-hygiene",
      "avp-no-blanket-permit",
      "avp-strict-validation",
      "aws-iam-no-admin-managed-policy",
      "aws-iam-no-escalating-grants",
      "aws-iam-no-privileged-role-passing",
      "aws-iam-third-party-external-id",
      "aws-iam-trust-pinned",
      "gcp-iam-least-privilege",
      "gcp-wif-provider-condition",
      "github-bot-least-privilege",
      "no-shared-identity",
      "no-static-credentials",
      "oidc-role-session-duration",
      "secrets-rotation",
    ]);
  });
});
