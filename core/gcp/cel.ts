/**
 * CEL, evaluated with a real engine (@marcbachmann/cel-js, MIT): provider attribute conditions
 * against token claim sets, and IAM conditions against request.time / resource.name.
 *
 * Semantics follow GCP: a condition that does not evaluate to `true` (false, a non-boolean, or an
 * evaluation error such as a missing claim) rejects. A condition that does not parse is an error.
 */
import { parse } from "@marcbachmann/cel-js";

/** A CEL string literal for any value: single-quoted, with `\` and `'` escaped, control characters as \xHH. */
export function celString(value: string): string {
  let out = "'";
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === "'") out += "\\'";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + "'";
}

export interface Evaluation {
  /** The condition evaluated to exactly `true`. */
  admitted: boolean;
  /** The raw result when it was not a boolean, or the evaluation error. */
  value?: unknown;
  error?: string;
}

const cache = new Map<string, (ctx: Record<string, unknown>) => unknown>();

function compiled(condition: string): (ctx: Record<string, unknown>) => unknown {
  let fn = cache.get(condition);
  if (!fn) {
    try {
      fn = parse(condition) as unknown as (ctx: Record<string, unknown>) => unknown;
    } catch (e) {
      throw new Error(`the CEL condition does not parse: ${(e as Error).message.split("\n")[0]}; got ${condition}`);
    }
    if (cache.size > 500) cache.clear();
    cache.set(condition, fn);
  }
  return fn;
}

/** Throws when the condition does not parse (GCP refuses it at create time). */
export function assertParses(condition: string): void {
  compiled(condition);
}

/** Evaluate with an arbitrary context (variables `assertion`, `request`, `resource`, …). */
export function evaluate(condition: string, context: Record<string, unknown>): Evaluation {
  const fn = compiled(condition);
  try {
    const value = fn(context);
    return value === true ? { admitted: true } : { admitted: false, value };
  } catch (e) {
    return { admitted: false, error: (e as Error).message.split("\n")[0] };
  }
}

/** Evaluate a provider attributeCondition against the claims of one token (`assertion`). */
export function evaluateAttributeCondition(condition: string, claims: Record<string, unknown>, attributes: Record<string, unknown> = {}): Evaluation {
  return evaluate(condition, { assertion: claims, attribute: attributes, google: {} });
}

/** Evaluate an IAM condition at an instant, for a resource name/type. */
export function evaluateIamCondition(condition: string, at: Date, resource: { name?: string; type?: string; service?: string } = {}): Evaluation {
  return evaluate(condition, {
    request: { time: at },
    resource: { name: resource.name ?? "", type: resource.type ?? "", service: resource.service ?? "" },
  });
}

export interface ClaimFixture {
  /** What the fixture stands for, e.g. "good: the declared workload", "bad: another owner". */
  name: string;
  claims: Record<string, unknown>;
  expect: "admit" | "reject";
}

export interface FixtureResult extends Evaluation {
  name: string;
  expect: "admit" | "reject";
  ok: boolean;
}

export interface ConditionCheck {
  ok: boolean;
  results: FixtureResult[];
  /** The fixtures whose outcome was not the expected one. */
  failures: FixtureResult[];
}

/**
 * `checkCondition(condition, fixtures)`: evaluate the condition against every claim set and say
 * which ones came out otherwise than expected.
 */
export function checkCondition(condition: string, fixtures: ClaimFixture[]): ConditionCheck {
  const results = fixtures.map((f) => {
    const e = evaluateAttributeCondition(condition, f.claims);
    return { ...e, name: f.name, expect: f.expect, ok: (f.expect === "admit") === e.admitted };
  });
  const failures = results.filter((r) => !r.ok);
  return { ok: failures.length === 0, results, failures };
}
