/**
 * Statement merging and packing into AWS quotas (after aws-cdk's merge-statements and
 * _splitDocument). Pure: statements in, documents out, or an error that says what does not fit.
 *
 * Two statements merge when they have the same effect and conditions and either the same
 * resources (actions are unioned) or the same actions (resources are unioned). Both forms keep the
 * exact set of allowed (action, resource) pairs, so merging never widens a grant.
 */
import { doc, policySize, type IamDocument, type IamStatement } from "./types";

export const QUOTAS = {
  trust: 2048,
  inlinePerRole: 10240,
  managedPolicy: 6144,
  managedPerRole: 10,
} as const;

const sortedUnique = (xs: string[]) => [...new Set(xs)].sort();
const key = (xs: string[] | undefined) => JSON.stringify(sortedUnique(xs ?? []));

/** Canonical JSON: object keys sorted at every level, value lists sorted (IAM treats them as sets). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return JSON.stringify(v.map(String).sort());
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(typeof v === "string" ? [v] : v);
}

// Two statements merge only when their conditions are EQUAL (operators, keys and values). (A
// replacer array in JSON.stringify filters keys at every depth, so it compared operators only.)
const condKey = (s: IamStatement) => canonical(s.Condition ?? {});

/** Sorted, de-duplicated lists; every element of the statement kept (NotAction, NotResource and Principal too). */
function normalise(s: IamStatement): IamStatement {
  const out: IamStatement = { Effect: s.Effect };
  if (s.Sid) out.Sid = s.Sid;
  if (s.Principal) out.Principal = s.Principal;
  if (s.Action) out.Action = sortedUnique(s.Action);
  if (s.NotAction) out.NotAction = sortedUnique(s.NotAction);
  if (s.Resource) out.Resource = sortedUnique(s.Resource);
  if (s.NotResource) out.NotResource = sortedUnique(s.NotResource);
  if (s.Condition) out.Condition = s.Condition;
  return out;
}

function mergeBy(statements: IamStatement[], same: "Resource" | "Action"): IamStatement[] {
  const other = same === "Resource" ? "Action" : "Resource";
  const groups = new Map<string, { s: IamStatement; values: Set<string> }>();
  const out: IamStatement[] = [];
  for (const s of statements) {
    if (s.Sid || !s.Action || !s.Resource) {
      out.push(s);
      continue;
    }
    const k = `${s.Effect}|${condKey(s)}|${key(s[same])}`;
    const g = groups.get(k);
    if (g) for (const x of s[other] ?? []) g.values.add(x);
    else {
      const copy = normalise(s);
      groups.set(k, { s: copy, values: new Set(copy[other]) });
      out.push(copy);
    }
  }
  // Union once per group (sorting on every merge was quadratic in the group's size).
  for (const { s, values } of groups.values()) if (values.size !== (s[other] ?? []).length) s[other] = [...values].sort();
  return out;
}

/**
 * Operators for which several values of one key mean "any of them" (OR), so statements that differ
 * only in that key's values merge into one with the union of the values, allowing exactly the same
 * requests. Negated operators (…Not…) and ForAllValues are not OR and never merge this way.
 */
function orOperator(op: string): boolean {
  const base = op.replace(/^ForAnyValue:/, "").replace(/IfExists$/, "");
  return !op.startsWith("ForAllValues:") && ["StringEquals", "StringLike", "StringEqualsIgnoreCase", "ArnEquals", "ArnLike"].includes(base);
}

/** The single OR-mergeable (operator, key) of a condition, when it has exactly one. */
function varyingKey(c: IamStatement["Condition"]): { op: string; key: string } | undefined {
  let found: { op: string; key: string } | undefined;
  for (const op of Object.keys(c ?? {})) {
    if (!orOperator(op)) continue;
    for (const k of Object.keys(c![op])) {
      if (found) return undefined;
      found = { op, key: k };
    }
  }
  return found;
}

/** Merge statements with the same effect, actions and resources whose conditions differ only in the values of their one OR-key. */
function mergeConditionValues(statements: IamStatement[]): IamStatement[] {
  const groups = new Map<string, { s: IamStatement; op: string; key: string; values: Set<string> }>();
  const out: IamStatement[] = [];
  for (const s of statements) {
    const v = s.Sid || !s.Action || !s.Resource || !s.Condition ? undefined : varyingKey(s.Condition);
    if (!v) {
      out.push(s);
      continue;
    }
    const rest: Record<string, unknown> = { ...s.Condition };
    const restOp = { ...s.Condition![v.op] };
    delete restOp[v.key];
    rest[v.op] = restOp;
    const k = `${s.Effect}|${key(s.Action)}|${key(s.Resource)}|${v.op}|${v.key}|${canonical(rest)}`;
    const vals = s.Condition![v.op][v.key];
    const g = groups.get(k);
    if (g) for (const x of Array.isArray(vals) ? vals : [vals]) g.values.add(x);
    else {
      const copy: IamStatement = { ...s, Condition: { ...s.Condition, [v.op]: { ...s.Condition![v.op] } } };
      groups.set(k, { s: copy, op: v.op, key: v.key, values: new Set(Array.isArray(vals) ? vals : [vals]) });
      out.push(copy);
    }
  }
  for (const g of groups.values()) {
    const before = g.s.Condition![g.op][g.key];
    if (g.values.size !== (Array.isArray(before) ? before.length : 1)) g.s.Condition![g.op][g.key] = [...g.values].sort();
  }
  return out;
}

/** Merge until nothing changes. Sids are kept apart (a named statement is never merged). */
export function mergeStatements(statements: IamStatement[]): IamStatement[] {
  let cur = statements.map(normalise);
  for (;;) {
    const next = mergeConditionValues(mergeBy(mergeBy(cur, "Resource"), "Action"));
    if (next.length === cur.length) return sortStatements(next);
    cur = next;
  }
}

function sortStatements(statements: IamStatement[]): IamStatement[] {
  // Serialise each statement once (not twice per comparison).
  return statements
    .map((s) => ({ s, k: JSON.stringify(s) }))
    .sort((a, b) => a.k.localeCompare(b.k))
    .map((x) => x.s);
}

/** Split one statement whose resource list alone is too large for a managed policy. */
function splitOversized(s: IamStatement, limit: number): IamStatement[] {
  if (policySize(doc([s])) <= limit) return [s];
  if (s.Resource && s.Resource.length >= 2) {
    const half = Math.ceil(s.Resource.length / 2);
    return [...splitOversized({ ...s, Resource: s.Resource.slice(0, half) }, limit), ...splitOversized({ ...s, Resource: s.Resource.slice(half) }, limit)];
  }
  // One resource but many values of its OR-key (e.g. s3:prefix after mergeConditionValues): split
  // the values; "any of V1" or "any of V2" is "any of V1 ∪ V2", so nothing is lost or widened.
  const v = s.Sid ? undefined : varyingKey(s.Condition);
  const values = v ? s.Condition![v.op][v.key] : undefined;
  if (!v || !Array.isArray(values) || values.length < 2) return [s];
  const half = Math.ceil(values.length / 2);
  const withValues = (xs: string[]): IamStatement => ({ ...s, Condition: { ...s.Condition, [v.op]: { ...s.Condition![v.op], [v.key]: xs } } });
  return [...splitOversized(withValues(values.slice(0, half)), limit), ...splitOversized(withValues(values.slice(half)), limit)];
}

export type Packed =
  | { ok: true; inline: IamDocument[]; managed: IamDocument[] }
  | { ok: false; error: string };

/**
 * Packs grant statements for one role. Everything goes into one inline policy when it fits beside
 * the other inline policies (`reservedInline` characters, e.g. the kill switch); otherwise into
 * managed policies of at most 6,144 characters each (first fit, largest first), at most 10.
 */
export function packStatements(statements: IamStatement[], reservedInline = 0, managedLimit: number = QUOTAS.managedPerRole): Packed {
  const merged = mergeStatements(statements);
  if (merged.length === 0) return { ok: true, inline: [], managed: [] };
  const single = doc(merged);
  if (policySize(single) + reservedInline <= QUOTAS.inlinePerRole) return { ok: true, inline: [single], managed: [] };

  const pieces = merged.flatMap((s) => splitOversized(s, QUOTAS.managedPolicy));
  const tooBig = pieces.find((s) => policySize(doc([s])) > QUOTAS.managedPolicy);
  if (tooBig) return { ok: false, error: `one statement is ${policySize(doc([tooBig]))} characters, more than a managed policy holds (${QUOTAS.managedPolicy})` };
  // Sizes are additive: doc([...b, p]) is doc(b) plus p's JSON plus one comma, so each bin keeps its
  // size instead of re-serialising the bin for every piece.
  const sized = pieces.map((s) => ({ s, size: JSON.stringify(s).length })).sort((a, b) => b.size - a.size);
  const empty = policySize(doc([]));
  const bins: Array<{ statements: IamStatement[]; size: number }> = [];
  for (const p of sized) {
    const bin = bins.find((b) => b.size + 1 + p.size <= QUOTAS.managedPolicy);
    if (bin) {
      bin.statements.push(p.s);
      bin.size += 1 + p.size;
    } else bins.push({ statements: [p.s], size: empty + p.size });
  }
  if (bins.length > managedLimit) {
    return {
      ok: false,
      error: `the grants need ${bins.length} managed policies of ${QUOTAS.managedPolicy} characters; AWS attaches at most ${managedLimit} to a role: split the assistant into narrower assistants or grant whole prefixes instead of many objects`,
    };
  }
  return { ok: true, inline: [], managed: bins.map((b) => doc(sortStatements(b.statements))) };
}
