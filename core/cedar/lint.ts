/**
 * Checks for the request-time authorization layer, as pure functions returning Finding[] (the pack
 * rules in policies/rules/avp-*.ts wrap them):
 *  - lintPolicyStore: a Verified Permissions policy store must validate policies against its
 *    schema (validationSettings.mode STRICT); with OFF a policy naming a wrong attribute or a
 *    misspelt action is stored and silently never matches (or matches more than meant).
 *  - lintCedarPolicy: a `permit` must be scoped to a principal and a resource (and an action):
 *    `permit (principal, action, resource)` or one scoped by entity type alone lets anyone do
 *    anything the rest of the set does not forbid.
 * Cedar text is parsed with the real parser (@cedar-policy/cedar-wasm), not pattern-matched.
 */
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import type { Finding } from "../findings";

type Json = unknown;

/** Does the expression mention the variable (principal, resource, …) anywhere? */
function mentions(expr: Json, v: string): boolean {
  if (Array.isArray(expr)) return expr.some((x) => mentions(x, v));
  if (expr && typeof expr === "object") {
    const o = expr as Record<string, Json>;
    if (o.Var === v) return true;
    return Object.values(o).some((x) => mentions(x, v));
  }
  return false;
}

type Scope = { op: string; entity_type?: string; in?: unknown };

/** A principal or resource constraint that names entities (==, in, is…in, or a template slot), or a `when` that reads the variable. */
function scoped(c: Scope, conditions: { kind: string; body: Json }[], v: string): boolean {
  if (c.op === "==" || c.op === "in") return true;
  if (c.op === "is" && c.in !== undefined) return true;
  return conditions.some((cl) => cl.kind === "when" && mentions(cl.body, v));
}

function lintOne(json: cedar.PolicyJson, text: string, index: number, count: number, path: string): Finding[] {
  if (json.effect !== "permit") return [];
  const conditions = json.conditions as { kind: string; body: Json }[];
  const where = count > 1 ? `${path}[${index}]` : path;
  const value = text.length > 300 ? `${text.slice(0, 297)}...` : text;
  const findings: Finding[] = [];
  const p = json.principal as Scope;
  const r = json.resource as Scope;
  if (!scoped(p, conditions, "principal")) {
    findings.push({
      message: `must scope a permit to a principal (principal == …, principal in …, or a when condition on principal); got ${p.op === "is" ? `principal is ${p.entity_type}` : "any principal"}`,
      path: where,
      value,
      fix: "name the principal (permit (principal == Ns::Assistant::\"name\", …)), as the generated policies do",
      key: p.op === "is" ? `Principal::is:${p.entity_type}` : "Principal::All",
    });
  }
  if (!scoped(r, conditions, "resource")) {
    findings.push({
      message: `must scope a permit to a resource (resource == …, resource in …, or a when condition on resource); got ${r.op === "is" ? `resource is ${r.entity_type}` : "any resource"}`,
      path: where,
      value,
      fix: "name the target (resource == Ns::Type::\"id\"), or use resource is Ns::Type with a when condition on its attributes (bucket, key prefix, host)",
      key: r.op === "is" ? `Resource::is:${r.entity_type}` : "Resource::All",
    });
  }
  if ((json.action as { op: string }).op === "All") {
    findings.push({
      message: "must scope a permit to named actions (action == … or action in [...]); got any action",
      path: where,
      value,
      fix: "name the action (action == Ns::Action::\"github:comment\")",
      key: "Action::All",
    });
  }
  return findings;
}

/**
 * What cedar-wasm (4.x) cannot take safely. Deep nesting or a long operator chain overflows the
 * engine's WebAssembly stack ("memory access out of bounds", measured: brackets ~130 deep, ~4,000
 * chained operators, ~1,000 nested if-then-else) and leaves the module unusable for every later call
 * in the process, so such text must never reach it. Shorter chains can still exhaust the JavaScript
 * stack when the caller's own stack is deep (400 chained operators inside a jest worker): that
 * RangeError leaves the engine usable and is reported as the same finding. Limits far above any real
 * policy, below both.
 */
export const CEDAR_TEXT_LIMITS = { maxDepth: 64, maxOperatorsPerPolicy: 200 } as const;

const WORD_OPERATORS = new Set(["in", "has", "like", "is", "if", "then", "else"]);

/**
 * Why `text` must not be handed to the Cedar engine (too deep or too long a chain), or undefined.
 * A lexical scan: string literals and `//` comments are skipped; `;` at depth 0 ends a policy.
 */
export function cedarTextProblem(text: string): string | undefined {
  let depth = 0;
  let ops = 0;
  let policy = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "(" || c === "[" || c === "{") {
      depth++;
      if (depth > CEDAR_TEXT_LIMITS.maxDepth) return `brackets nested more than ${CEDAR_TEXT_LIMITS.maxDepth} deep (policy ${policy})`;
    } else if (c === ")" || c === "]" || c === "}") {
      depth = Math.max(0, depth - 1);
    } else if (c === ";" && depth === 0) {
      policy++;
      ops = 0;
    } else if ("&|=!<>+-*.".includes(c)) {
      // Two-character operators (&&, ||, ==, !=, <=, >=) count once.
      if (!("&|=".includes(text[i + 1] ?? "") && "&|=!<>".includes(c))) ops++;
    } else if (/[A-Za-z_]/.test(c) && !/[A-Za-z0-9_]/.test(text[i - 1] ?? "")) {
      let j = i;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j]!)) j++;
      if (WORD_OPERATORS.has(text.slice(i, j))) ops++;
      i = j - 1;
    }
    if (ops > CEDAR_TEXT_LIMITS.maxOperatorsPerPolicy) return `more than ${CEDAR_TEXT_LIMITS.maxOperatorsPerPolicy} operators in one policy (policy ${policy})`;
  }
  return undefined;
}

/**
 * Lint one Cedar policy statement (or a policy set in one string, as Verified Permissions policy
 * text or a .cedar file). `path` names where it came from in the checked value.
 */
export function lintCedarPolicy(statement: string, path = "statement"): Finding[] {
  const shown = statement.length > 300 ? `${statement.slice(0, 297)}...` : statement;
  const tooComplex = cedarTextProblem(statement);
  if (tooComplex) {
    return [tooComplexFinding(tooComplex, path, shown)];
  }
  try {
    return lintParsed(statement, path, shown);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return [tooComplexFinding(`a text that exhausted the engine's stack (${e.message})`, path, shown)];
  }
}

function tooComplexFinding(why: string, path: string, value: string): Finding {
  return { message: `must be a Cedar text the engine can read safely; got ${why}`, path, value, fix: "split the condition into several policies or flatten it", key: "TooComplex" };
}

function lintParsed(statement: string, path: string, shown: string): Finding[] {
  const parts = cedar.policySetTextToParts(statement);
  if (parts.type === "failure") {
    return [
      {
        message: `must be valid Cedar; got a parse error: ${parts.errors.map((e) => e.message).join("; ")}`,
        path,
        value: shown,
        fix: "fix the policy text (cedar-wasm checkParsePolicySet or the Cedar CLI shows where)",
        key: "Parse",
      },
    ];
  }
  // policySetTextToParts lists static policies sorted by their generated id as a string ("policy10"
  // before "policy2"), then the templates: put the parts back in source order so `[i]` is the i-th in the text.
  const taken = new Set<number>();
  const offset = (text: string): number => {
    let at = statement.indexOf(text);
    while (at >= 0 && taken.has(at)) at = statement.indexOf(text, at + 1);
    taken.add(at);
    return at;
  };
  const all: { text: string; template: boolean }[] = [
    ...parts.policies.map((text) => ({ text, template: false })),
    ...parts.policy_templates.map((text) => ({ text, template: true })),
  ]
    .map((part) => ({ ...part, at: offset(part.text) }))
    .sort((a, b) => a.at - b.at);
  const findings: Finding[] = [];
  all.forEach(({ text, template }, i) => {
    const answer = template ? cedar.templateToJson(text) : cedar.policyToJson(text);
    if (answer.type === "failure") {
      findings.push({ message: `must be valid Cedar; got: ${answer.errors.map((e) => e.message).join("; ")}`, path, value: text, fix: "fix the policy text", key: "Parse" });
      return;
    }
    findings.push(...lintOne(answer.json, text, i, all.length, path));
  });
  return findings;
}

/** A Verified Permissions policy store's inputs (the @pulumi/aws PolicyStore args, resolved). */
export interface PolicyStoreProps {
  validationSettings?: { mode?: unknown } | null;
  [k: string]: unknown;
}

export function lintPolicyStore(props: PolicyStoreProps): Finding[] {
  const mode = props.validationSettings?.mode;
  if (mode === "STRICT") return [];
  return [
    {
      message: `must validate policies against the schema (validationSettings.mode STRICT); got ${mode === undefined || mode === null ? "no validation settings" : JSON.stringify(mode)}`,
      path: mode === undefined || mode === null ? "validationSettings" : "validationSettings.mode",
      value: mode ?? null,
      fix: 'set validationSettings: { mode: "STRICT" } and provision a schema (aws.verifiedpermissions.Schema) before the policies',
      key: `ValidationMode::${typeof mode === "string" ? mode : "missing"}`,
    },
  ];
}

/** A Verified Permissions policy's inputs (the @pulumi/aws Policy args, resolved): lints the static statement. */
export interface PolicyProps {
  definition?: { static?: { statement?: unknown } | null; templateLinked?: unknown } | null;
  [k: string]: unknown;
}

export function lintVerifiedPermissionsPolicy(props: PolicyProps): Finding[] {
  const statement = props.definition?.static?.statement;
  if (typeof statement !== "string") return [];
  return lintCedarPolicy(statement, "definition.static.statement");
}
