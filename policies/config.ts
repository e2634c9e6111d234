/**
 * Config shared by every rule: time-boxed exceptions and the unknown-value mode. Builds the full
 * configSchema a policy declares, applies schema defaults to whatever `getConfig()` returns (the
 * CLI fills defaults too, but the in-process server and old CLIs do not), and compiles exceptions.
 */
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import type { CommonConfig, Rule, RuleException, UnknownMode } from "./rule";

const DATE_RE = "^\\d{4}-\\d{2}-\\d{2}$";

export function commonSchemaProperties(unknownDefault: UnknownMode): Record<string, PolicyConfigJSONSchema> {
  return {
    exceptions: {
      type: "array",
      description:
        "Time-boxed exceptions. Each names the resource (urn and/or name glob), optionally the finding key (glob), " +
        "who accepted the risk, why, and the last day it applies (YYYY-MM-DD). An expired exception no longer suppresses.",
      default: [],
      items: {
        type: "object",
        properties: {
          urn: { type: "string", minLength: 1, description: "Glob over the resource URN." },
          name: { type: "string", minLength: 1, description: "Glob over the resource name." },
          key: { type: "string", minLength: 1, description: "Glob over the finding key; absent = all findings of this rule." },
          owner: { type: "string", minLength: 1 },
          reason: { type: "string", minLength: 1 },
          expires: { type: "string", pattern: DATE_RE, description: "Last day (UTC) the exception applies." },
        },
        required: ["owner", "reason", "expires"],
        additionalProperties: false,
      },
    },
    unknownValues: {
      type: "string",
      enum: ["fail", "advisory"],
      default: unknownDefault,
      description:
        "What to do when a checked value is unknown at preview: 'fail' reports a violation at the policy's level, " +
        "'advisory' reports an advisory.",
    },
  };
}

/** The complete configSchema of a rule's policy (rule properties + common ones). */
export function fullConfigSchema(rule: Rule): { properties: Record<string, PolicyConfigJSONSchema>; required?: string[] } {
  const own = rule.configSchema.properties;
  for (const k of ["exceptions", "unknownValues", "enforcementLevel"]) {
    if (k in own) throw new Error(`rule '${rule.id}': configSchema must not declare '${k}' (it is common to every rule)`);
  }
  const schema: { properties: Record<string, PolicyConfigJSONSchema>; required?: string[] } = {
    properties: { ...own, ...commonSchemaProperties(rule.unknownDefault) },
  };
  if (rule.configSchema.required?.length) schema.required = [...rule.configSchema.required];
  return schema;
}

/** The levels `--policy-pack-config` accepts, as a string or as `enforcementLevel`. */
export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;

/**
 * JSON Schema (draft 2020-12) of a `--policy-pack-config` file for this pack, for editors and CI
 * (`assistant-identities schema` writes it to schema/policy-config.schema.json). It accepts what the
 * harness and the CLI accept: `all` with a level only; per rule a level, or an object of the rule's
 * own settings, the common ones (exceptions, unknownValues) and `enforcementLevel`; no other keys.
 */
export function policyConfigJsonSchema(rules: readonly Rule[]): Record<string, unknown> {
  const level = { $ref: "#/$defs/enforcementLevel" };
  const properties: Record<string, unknown> = {
    all: { description: "One level for every policy of the pack (a policy's own level wins).", anyOf: [level, { type: "object", properties: { enforcementLevel: level }, additionalProperties: false }] },
  };
  for (const rule of rules) {
    const full = fullConfigSchema(rule);
    properties[rule.id] = {
      description: `${rule.title} (default level: ${rule.enforcementLevel}). ${rule.description}`,
      anyOf: [level, { type: "object", properties: { ...full.properties, enforcementLevel: level }, ...(full.required ? { required: full.required } : {}), additionalProperties: false }],
    };
  }
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://assistant-identities.dev/schema/policy-config.schema.json",
    title: "--policy-pack-config of the assistant-guardrails policy pack",
    type: "object",
    properties,
    additionalProperties: false,
    $defs: { enforcementLevel: { type: "string", enum: [...ENFORCEMENT_LEVELS] } },
  };
}

/** Schema defaults (top level, like the CLI's reconcile step), deep-copied. */
export function schemaDefaults(rule: Rule): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fullConfigSchema(rule).properties)) {
    if (v.default !== undefined) out[k] = structuredClone(v.default);
  }
  return out;
}

export class PolicyConfigError extends Error {
  constructor(
    public readonly policy: string,
    public readonly field: string,
    detail: string,
  ) {
    super(`invalid config for policy '${policy}' at '${field}': ${detail}`);
    this.name = "PolicyConfigError";
  }
}

/** Checks the schema cannot express: an exception must name a resource and carry a real date. */
export function checkExceptions(policy: string, exceptions: readonly RuleException[]): void {
  exceptions.forEach((e, i) => {
    if (e.urn === undefined && e.name === undefined) {
      throw new PolicyConfigError(policy, `exceptions[${i}]`, "an exception must name the resource with 'urn' or 'name' (a glob)");
    }
    if (parseDay(e.expires) === undefined) {
      throw new PolicyConfigError(policy, `exceptions[${i}].expires`, `'${e.expires}' is not a valid date (YYYY-MM-DD)`);
    }
  });
}

/** Midnight UTC of a YYYY-MM-DD date, or undefined when it is not a real calendar date (or its year is before 0100, which Date.UTC would read as 19xx). */
export function parseDay(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3]);
  const d = new Date(t);
  if (d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) return undefined;
  return t;
}

const DAY = 86_400_000;

/** True while `now` is on or before the exception's last day. */
export function exceptionActive(e: RuleException, now: Date): boolean {
  const t = parseDay(e.expires);
  return t !== undefined && now.getTime() < t + DAY;
}

const globCache = new Map<string, RegExp>();
/** `*` = any run of characters (including `/` and `:`), `?` = one character; anchored. */
export function globToRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (!re) {
    const src = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    re = new RegExp(`^${src}$`);
    globCache.set(glob, re);
  }
  return re;
}

export function globMatch(glob: string, value: string): boolean {
  return globToRegExp(glob).test(value);
}

export interface ExceptionMatch {
  exception: RuleException;
  active: boolean;
}

/** The first matching active exception, else the first matching expired one, else undefined. */
export function matchException(
  exceptions: readonly RuleException[],
  where: { urn: string; name: string },
  key: string | undefined,
  now: Date,
): ExceptionMatch | undefined {
  let expired: RuleException | undefined;
  for (const e of exceptions) {
    if (e.urn !== undefined && !globMatch(e.urn, where.urn)) continue;
    if (e.name !== undefined && !globMatch(e.name, where.name)) continue;
    if (e.key !== undefined && (key === undefined || !globMatch(e.key, key))) continue;
    if (exceptionActive(e, now)) return { exception: e, active: true };
    expired ??= e;
  }
  return expired ? { exception: expired, active: false } : undefined;
}

/**
 * Resolves a rule's effective config: schema defaults overlaid with what the engine passed. Cached
 * by the JSON of the raw config (the engine hands a fresh object to every call).
 */
export function makeConfigResolver<C>(rule: Rule<C>): (raw: Record<string, unknown>) => Readonly<C & CommonConfig> {
  const defaults = schemaDefaults(rule);
  const cache = new Map<string, Readonly<C & CommonConfig>>();
  let lastRaw: unknown;
  let lastResolved: Readonly<C & CommonConfig> | undefined;
  return (raw) => {
    if (raw === lastRaw && lastResolved) return lastResolved;
    const key = JSON.stringify(raw ?? {});
    let c = cache.get(key);
    if (!c) {
      // A key given as undefined (an in-process caller; the engine's JSON has none) keeps its default.
      const given = Object.fromEntries(Object.entries(raw ?? {}).filter(([, v]) => v !== undefined));
      const merged = { ...structuredClone(defaults), ...given } as C & CommonConfig;
      checkExceptions(rule.id, merged.exceptions ?? []);
      c = Object.freeze(merged);
      if (cache.size > 64) cache.clear();
      cache.set(key, c);
    }
    lastRaw = raw;
    lastResolved = c;
    return c;
  };
}
