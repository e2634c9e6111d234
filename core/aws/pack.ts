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
const condKey = (s: IamStatement) => JSON.stringify(s.Condition ?? {}, Object.keys(s.Condition ?? {}).sort());

function normalise(s: IamStatement): IamStatement {
  const out: IamStatement = { Effect: s.Effect };
  if (s.Sid) out.Sid = s.Sid;
  if (s.Action) out.Action = sortedUnique(s.Action);
  if (s.Resource) out.Resource = sortedUnique(s.Resource);
  if (s.Condition) out.Condition = s.Condition;
  return out;
}

function mergeBy(statements: IamStatement[], same: "Resource" | "Action"): IamStatement[] {
  const other = same === "Resource" ? "Action" : "Resource";
  const groups = new Map<string, IamStatement>();
  const out: IamStatement[] = [];
  for (const s of statements) {
    if (s.Sid || !s.Action || !s.Resource) {
      out.push(s);
      continue;
    }
    const k = `${s.Effect}|${condKey(s)}|${key(s[same])}`;
    const g = groups.get(k);
    if (g) g[other] = sortedUnique([...(g[other] ?? []), ...(s[other] ?? [])]);
    else {
      const copy = normalise(s);
      groups.set(k, copy);
      out.push(copy);
    }
  }
  return out;
}

/** Merge until nothing changes. Sids are kept apart (a named statement is never merged). */
export function mergeStatements(statements: IamStatement[]): IamStatement[] {
  let cur = statements.map(normalise);
  for (;;) {
    const next = mergeBy(mergeBy(cur, "Resource"), "Action");
    if (next.length === cur.length) return sortStatements(next);
    cur = next;
  }
}

function sortStatements(statements: IamStatement[]): IamStatement[] {
  return [...statements].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** Split one statement whose resource list alone is too large for a managed policy. */
function splitOversized(s: IamStatement, limit: number): IamStatement[] {
  if (policySize(doc([s])) <= limit || !s.Resource || s.Resource.length < 2) return [s];
  const half = Math.ceil(s.Resource.length / 2);
  return [...splitOversized({ ...s, Resource: s.Resource.slice(0, half) }, limit), ...splitOversized({ ...s, Resource: s.Resource.slice(half) }, limit)];
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
  pieces.sort((a, b) => policySize(doc([b])) - policySize(doc([a])));
  const bins: IamStatement[][] = [];
  for (const p of pieces) {
    const bin = bins.find((b) => policySize(doc([...b, p])) <= QUOTAS.managedPolicy);
    if (bin) bin.push(p);
    else bins.push([p]);
  }
  if (bins.length > managedLimit) {
    return {
      ok: false,
      error: `the grants need ${bins.length} managed policies of ${QUOTAS.managedPolicy} characters; AWS attaches at most ${managedLimit} to a role: split the assistant into narrower assistants or grant whole prefixes instead of many objects`,
    };
  }
  return { ok: true, inline: [], managed: bins.map((b) => doc(sortStatements(b))) };
}
