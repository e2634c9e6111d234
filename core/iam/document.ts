/**
 * IAM policy documents: parse anything a Pulumi program may hand over (a JSON string or an object,
 * a single statement or an array, string-or-array fields) into one normalised shape, or an error
 * result. Never throws on hostile input (the one exception: an unknown-value error raised while
 * reading a preview proxy propagates, see `isUnknownValueError`). Pure; no @pulumi import.
 */
import { UnknownInput } from "../findings";

export type Effect = "Allow" | "Deny";

/** Principal block: `"*"` or `{ AWS | Service | Federated | CanonicalUser: string[] }`. */
export type PrincipalBlock = "*" | Record<string, string[]>;

/** Condition block: operator (e.g. `StringEquals`, `ForAnyValue:StringLike`) → key → values. */
export type ConditionBlock = Record<string, Record<string, string[]>>;

export interface Statement {
  Sid?: string;
  Effect: Effect;
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Principal?: PrincipalBlock;
  NotPrincipal?: PrincipalBlock;
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: Statement[];
}

export type ParseResult = { ok: true; doc: PolicyDocument } | { ok: false; error: string; path?: string };

/** Limits that keep hostile input cheap. AWS's own limits are far lower (10,240 characters inline). */
export const PARSE_LIMITS = {
  /** Characters of a JSON string input. */
  maxJsonChars: 200_000,
  maxStatements: 1_000,
  /** Entries in one Action/Resource/Principal/Condition value list. */
  maxListEntries: 5_000,
  maxStringChars: 20_000,
  /** Cached parses of identical strings. */
  cacheEntries: 4096,
} as const;

const VERSIONS = new Set(["2012-10-17", "2008-10-17"]);
const STATEMENT_KEYS = new Set(["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"]);
const DOCUMENT_KEYS = new Set(["Version", "Id", "Statement"]);

class ParseError extends Error {
  constructor(
    message: string,
    public readonly path: string,
  ) {
    super(message);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkString(v: unknown, path: string): string {
  if (typeof v !== "string") throw new ParseError(`must be a string; got ${describe(v)}`, path);
  if (v.length > PARSE_LIMITS.maxStringChars) throw new ParseError(`must be at most ${PARSE_LIMITS.maxStringChars} characters; got ${v.length}`, path);
  return v;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "string" ? "a string" : typeof v;
}

// Documents are parsed by the thousand on a large stack: the hot paths below build no path strings
// unless they throw, and freeze what they build as they build it (results are cached and shared).

/**
 * True while normalising the value JSON.parse just returned for a string input: nothing else holds
 * it, so it is normalised in place (its statements, principals, conditions and lists of strings are
 * checked, frozen and kept instead of copied). Input objects from a program are never frozen or kept.
 */
let ownedInput = false;

/** A string or a non-empty array of strings → a frozen string[]. `path` names the field. */
function stringList(v: unknown, path: string, scalars = false): string[] {
  if (!Array.isArray(v)) {
    if (typeof v === "string" && v.length <= PARSE_LIMITS.maxStringChars) return Object.freeze([v]) as string[];
    // AWS accepts JSON numbers and booleans as condition values (`"Bool": {"aws:SecureTransport": false}`).
    if (scalars && (typeof v === "number" || typeof v === "boolean")) return Object.freeze([String(v)]) as string[];
    return Object.freeze([checkString(v, path)]) as string[];
  }
  if (v.length === 0) throw new ParseError("must not be empty; got []", path);
  if (v.length > PARSE_LIMITS.maxListEntries) throw new ParseError(`must have at most ${PARSE_LIMITS.maxListEntries} entries; got ${v.length}`, path);
  if (ownedInput && v.every((x) => typeof x === "string" && x.length <= PARSE_LIMITS.maxStringChars)) return Object.freeze(v) as string[];
  const out = new Array<string>(v.length);
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (typeof x === "string" && x.length <= PARSE_LIMITS.maxStringChars) out[i] = x;
    else if (scalars && (typeof x === "number" || typeof x === "boolean")) out[i] = String(x);
    else out[i] = checkString(x, `${path}[${i}]`);
  }
  return Object.freeze(out) as string[];
}

const PRINCIPAL_TYPES = new Set(["AWS", "Service", "Federated", "CanonicalUser"]);

function parsePrincipal(v: unknown, path: string): PrincipalBlock {
  if (v === "*") return "*";
  if (!isPlainObject(v)) throw new ParseError(`must be "*" or an object of principal lists; got ${describe(v)}`, path);
  // A just-parsed JSON object is normalised in place (nothing else holds it); a program's own is copied.
  const out: Record<string, string[]> = ownedInput ? (v as Record<string, string[]>) : {};
  const keys = Object.keys(v);
  if (keys.length === 0) throw new ParseError("must name at least one principal type; got {}", path);
  for (const k of keys) {
    if (!PRINCIPAL_TYPES.has(k)) throw new ParseError(`must use AWS, Service, Federated or CanonicalUser; got ${JSON.stringify(k)}`, `${path}.${k}`);
    out[k] = stringList(v[k], `${path}.${k}`);
  }
  return Object.freeze(out);
}

function parseCondition(v: unknown, path: string): ConditionBlock {
  if (!isPlainObject(v)) throw new ParseError(`must be an object of operators; got ${describe(v)}`, path);
  const out: ConditionBlock = ownedInput ? (v as ConditionBlock) : {};
  for (const op of Object.keys(v)) {
    const block = v[op];
    if (!isPlainObject(block)) throw new ParseError(`must be an object of condition keys; got ${describe(block)}`, `${path}.${op}`);
    const keys: Record<string, string[]> = ownedInput ? (block as Record<string, string[]>) : {};
    for (const key of Object.keys(block)) keys[key] = stringList(block[key], `${path}.${op}[${JSON.stringify(key)}]`, true);
    out[op] = Object.freeze(keys);
  }
  return Object.freeze(out);
}

const LIST_FIELDS = ["Action", "NotAction", "Resource", "NotResource"] as const;

function parseStatement(v: unknown, i: number): Statement {
  const at = (field?: string) => (field === undefined ? `Statement[${i}]` : `Statement[${i}].${field}`);
  if (!isPlainObject(v)) throw new ParseError(`must be a statement object; got ${describe(v)}`, at());
  for (const k of Object.keys(v)) if (!STATEMENT_KEYS.has(k)) throw new ParseError(`must not have unknown element ${JSON.stringify(k)}`, at(k));
  if (v.Effect !== "Allow" && v.Effect !== "Deny") throw new ParseError(`must be "Allow" or "Deny"; got ${JSON.stringify(v.Effect) ?? "nothing"}`, at("Effect"));
  // A just-parsed JSON statement is normalised in place (its keys stay in the order written: nothing
  // reads them in order); a program's own object is copied, Effect first.
  const s: Statement = ownedInput ? (v as unknown as Statement) : { Effect: v.Effect };
  if (v.Sid !== undefined) s.Sid = checkString(v.Sid, at("Sid"));
  for (const k of LIST_FIELDS) if (v[k] !== undefined) s[k] = stringList(v[k], at(k));
  if ((s.Action === undefined) === (s.NotAction === undefined)) throw new ParseError("must have exactly one of Action or NotAction", at());
  if (s.Resource !== undefined && s.NotResource !== undefined) throw new ParseError("must not have both Resource and NotResource", at());
  if (v.Principal !== undefined) s.Principal = parsePrincipal(v.Principal, at("Principal"));
  if (v.NotPrincipal !== undefined) s.NotPrincipal = parsePrincipal(v.NotPrincipal, at("NotPrincipal"));
  if (s.Principal !== undefined && s.NotPrincipal !== undefined) throw new ParseError("must not have both Principal and NotPrincipal", at());
  if (v.Condition !== undefined) s.Condition = parseCondition(v.Condition, at("Condition"));
  return Object.freeze(s);
}

/** Normalise a JSON value into a frozen document (every object and list in it frozen). */
function parseObject(input: unknown): PolicyDocument {
  if (!isPlainObject(input)) throw new ParseError(`must be a policy document object; got ${describe(input)}`, "");
  for (const k of Object.keys(input)) if (!DOCUMENT_KEYS.has(k)) throw new ParseError(`must not have unknown element ${JSON.stringify(k)}`, k);
  // Keys in AWS's order (Version, Id, Statement): renderPolicyDocument writes them in this order.
  const head: { Version?: string; Id?: string } = {};
  if (input.Version !== undefined) {
    const version = checkString(input.Version, "Version");
    if (!VERSIONS.has(version)) throw new ParseError(`must be "2012-10-17" or "2008-10-17"; got ${JSON.stringify(version)}`, "Version");
    head.Version = version;
  }
  if (input.Id !== undefined) head.Id = checkString(input.Id, "Id");
  const raw = input.Statement;
  if (raw === undefined) throw new ParseError("must have a Statement", "Statement");
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw new ParseError("must have at least one statement; got []", "Statement");
  if (list.length > PARSE_LIMITS.maxStatements) throw new ParseError(`must have at most ${PARSE_LIMITS.maxStatements} statements; got ${list.length}`, "Statement");
  const statements = new Array<Statement>(list.length);
  for (let i = 0; i < list.length; i++) statements[i] = parseStatement(list[i], i);
  return Object.freeze({ ...head, Statement: Object.freeze(statements) as Statement[] });
}

/** `UnknownInput` from core/findings, or @pulumi/policy's `UnknownValueError` (duck-typed: no @pulumi import here). */
export function isUnknownValueError(e: unknown): boolean {
  return e instanceof UnknownInput || (e instanceof Error && "unknownTypeSentinel" in e && Array.isArray((e as { props?: unknown }).props));
}

function parseUncached(input: unknown): ParseResult {
  try {
    let value = input;
    if (typeof input === "string") {
      if (input.length > PARSE_LIMITS.maxJsonChars) return { ok: false, error: `must be at most ${PARSE_LIMITS.maxJsonChars} characters of JSON; got ${input.length}` };
      try {
        value = JSON.parse(input);
      } catch (e) {
        return { ok: false, error: `must be valid JSON; got ${(e as Error).message}` };
      }
    }
    ownedInput = typeof input === "string";
    return { ok: true, doc: parseObject(value) };
  } catch (e) {
    if (e instanceof ParseError) return e.path ? { ok: false, error: e.message, path: e.path } : { ok: false, error: e.message };
    // A value not known yet (a preview unknown behind @pulumi/policy's proxy) is not a defect of the
    // document: let it through so the caller applies its unknown-values policy.
    if (isUnknownValueError(e)) throw e;
    // A getter that throws, a Proxy, a stack overflow: still an error result, never a throw.
    return { ok: false, error: `must be a plain policy document; got an unreadable value (${(e as Error)?.message ?? String(e)})` };
  } finally {
    ownedInput = false;
  }
}

const cache = new Map<string, ParseResult>();
/** Documents this module produced (normalised and frozen): passing one back parses nothing. */
const produced = new WeakSet<object>();

/** Cached parses (bounded; the oldest entry goes first). Exposed for tests and benchmarks. */
export function parseCacheSize(): number {
  return cache.size;
}

/**
 * Parse and normalise a policy document. Accepts a JSON string or an object, as @pulumi/aws does.
 * Results for strings are cached (identical strings parse once); returned documents are frozen.
 */
export function parsePolicyDocument(input: unknown): ParseResult {
  if (typeof input === "object" && input !== null && produced.has(input)) return { ok: true, doc: input as PolicyDocument };
  if (typeof input !== "string") return remember(parseUncached(input));
  const hit = cache.get(input);
  if (hit) return hit;
  const result = remember(parseUncached(input));
  if (cache.size >= PARSE_LIMITS.cacheEntries) cache.delete(cache.keys().next().value as string);
  cache.set(input, result);
  return result;
}

function remember(r: ParseResult): ParseResult {
  if (r.ok) produced.add(r.doc);
  return r;
}

/** Compact JSON of a document (what a renderer should send to AWS). */
export function renderPolicyDocument(doc: PolicyDocument): string {
  return JSON.stringify(doc);
}

/**
 * Size as AWS counts it against its quotas: characters of the JSON without whitespace.
 * A string is counted as given; a document as `renderPolicyDocument` renders it.
 */
export function documentSize(doc: PolicyDocument | string): number {
  const json = typeof doc === "string" ? doc : renderPolicyDocument(doc);
  return json.replace(/\s/g, "").length;
}

/** Cheap shape test: an object (or JSON text of one) with a Statement. Does not validate. */
export function isPolicyDocumentLike(v: unknown): boolean {
  if (typeof v === "string") {
    const t = v.trimStart();
    return t.startsWith("{") && /"Statement"\s*:/.test(v);
  }
  return isPlainObject(v) && "Statement" in v;
}

/** Values of a string list field (empty when absent). */
export function values(list: string[] | undefined): string[] {
  return list ?? [];
}
