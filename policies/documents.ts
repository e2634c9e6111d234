/**
 * Reading props the way rules need them: deep plain copies through the unknown-checking proxy (an
 * unknown anywhere inside throws the engine's UnknownValueError with the full path), IAM documents
 * given as JSON strings or objects (parsed once per distinct string by core/iam/document), tags and
 * labels, and JSON-string props such as GCP `policyData`.
 */
import { parsePolicyDocument, ParseResult, PolicyDocument, Statement } from "../core/iam/document";
import { isUnknownSentinel, unproxied, UnknownValueError } from "./engine";

/**
 * A plain deep copy of a prop value read through the proxy: every nested read goes through the
 * proxy's `get`, so an unknown inside throws UnknownValueError naming its path.
 */
export function toPlain(v: unknown, path: string[] = []): unknown {
  if (v === null || typeof v !== "object") {
    if (isUnknownSentinel(v)) throw new UnknownValueError(v as string, path);
    return v;
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (let i = 0; i < v.length; i++) out.push(toPlain(v[i], [...path, String(i)]));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(unproxied(v) as object)) out[k] = toPlain((v as Record<string, unknown>)[k], [...path, k]);
  return out;
}

/** A string-keyed map prop (tags, labels) as a plain record; absent → {}. Throws on unknown. */
export function stringMap(props: Record<string, any>, key: string): Record<string, string> {
  const v = props[key];
  if (v === undefined || v === null) return {};
  const plain = toPlain(v, [key]);
  if (typeof plain !== "object" || plain === null || Array.isArray(plain)) return {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(plain)) if (typeof x === "string") out[k] = x;
  return out;
}

/** Parse an IAM policy document prop (JSON string or object). Unknowns throw; invalid → `ok: false`. */
export function iamDocument(props: Record<string, any>, key: string): ParseResult | undefined {
  const v = props[key];
  if (v === undefined || v === null || v === "") return undefined;
  return parsePolicyDocument(typeof v === "string" ? v : toPlain(v, [key]));
}

export type { PolicyDocument, Statement };

const jsonCache = new Map<string, { ok: true; value: unknown } | { ok: false; error: string }>();

/** JSON.parse with a bounded cache (identical strings across 10,000 resources parse once). */
export function parseJsonCached(s: string): { ok: true; value: unknown } | { ok: false; error: string } {
  let r = jsonCache.get(s);
  if (!r) {
    try {
      r = { ok: true, value: JSON.parse(s) };
    } catch (e) {
      r = { ok: false, error: (e as Error).message };
    }
    if (jsonCache.size >= 2048) jsonCache.delete(jsonCache.keys().next().value as string);
    jsonCache.set(s, r);
  }
  return r;
}

/** A JSON-string-or-object prop as a plain value. Unknowns throw. */
export function jsonProp(props: Record<string, any>, key: string): { ok: true; value: unknown } | { ok: false; error: string } | undefined {
  const v = props[key];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "string") return parseJsonCached(v);
  return { ok: true, value: toPlain(v, [key]) };
}

/** Values of an IAM string list (absent → []). */
export function list(v: string[] | undefined): string[] {
  return v ?? [];
}

/** The trust statements that let a web identity (OIDC) federate: Allow + Federated principal (+ web-identity action), with their federated principals. */
export function webIdentityStatements(doc: PolicyDocument): Array<{ s: Statement; index: number; federated: readonly string[] }> {
  const out: Array<{ s: Statement; index: number; federated: readonly string[] }> = [];
  doc.Statement.forEach((s, index) => {
    if (s.Effect !== "Allow") return;
    const fed = s.Principal && s.Principal !== "*" ? s.Principal.Federated : undefined;
    if (!fed?.length) return;
    const saml = fed.every((f) => /:saml-provider\//.test(f));
    const actions = list(s.Action).map((a) => a.toLowerCase());
    const webIdentity = actions.some((a) => a === "sts:assumerolewithwebidentity" || a === "sts:*" || a === "*" || a === "sts:assumerolewith*");
    if (webIdentity && !saml) out.push({ s, index, federated: fed });
  });
  return out;
}

/** `sub` values a web-identity statement admits (StringEquals/StringLike and their set forms), with their JSON-ish path. */
export function subjectValues(s: Statement, index: number): Array<{ value: string; path: string; issuer: string }> {
  const out: Array<{ value: string; path: string; issuer: string }> = [];
  for (const [op, keys] of Object.entries(s.Condition ?? {})) {
    // AWS operator names and condition keys are case-insensitive; IfExists still admits every listed subject.
    if (!/^(ForAnyValue:|ForAllValues:)?String(Equals|Like)(IgnoreCase)?(IfExists)?$/i.test(op)) continue;
    for (const [k, vals] of Object.entries(keys)) {
      const m = /^(.+):sub$/i.exec(k);
      if (!m) continue;
      vals.forEach((value, j) => out.push({ value, issuer: m[1], path: `Statement[${index}].Condition.${op}["${k}"]${vals.length > 1 ? `[${j}]` : ""}` }));
    }
  }
  return out;
}
