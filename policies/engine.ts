/**
 * Typed access to the pieces of @pulumi/policy (pinned 1.21.0) that the engine path uses but the
 * package does not type: the unknown-checking proxy, its error, the sentinels, the deserialiser and
 * the config normaliser. Nothing here starts a server.
 */
/* eslint-disable @typescript-eslint/no-require-imports */

export interface UnknownValueErrorLike extends Error {
  props: Array<string | symbol>;
  unknownTypeSentinel: string;
}

interface ProxyModule {
  unknownCheckingProxy<T extends object>(o: T): T;
  UnknownValueError: new (sentinel: string, props: string[]) => UnknownValueErrorLike;
  unknownStringValue: string;
  unknownObjectValue: string;
  unknownArrayValue: string;
  unknownNumberValue: string;
  unknownBooleanValue: string;
  unknownAssetValue: string;
  unknownArchiveValue: string;
  isSpecialProxy: string;
  getSpecialProxyTarget: string;
}

interface DeserializeModule {
  deserializeProperties(struct: { toJavaScript(): Record<string, unknown> }, proxySecrets: boolean): Record<string, any>;
}

export type NormalizedConfig = Record<string, { enforcementLevel?: string; properties?: Record<string, unknown> }>;

interface ProtoutilModule {
  normalizeConfig(config: Record<string, unknown>): NormalizedConfig;
}

const proxy = require("@pulumi/policy/proxy") as ProxyModule;
const deserialize = require("@pulumi/policy/deserialize") as DeserializeModule;
const protoutil = require("@pulumi/policy/protoutil") as ProtoutilModule;

export const unknownCheckingProxy = proxy.unknownCheckingProxy;
export const UnknownValueError = proxy.UnknownValueError;

/** The engine's unknown sentinel (the string form is what the CLI sends for every computed value). */
export const UNKNOWN = proxy.unknownStringValue;
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  proxy.unknownStringValue,
  proxy.unknownObjectValue,
  proxy.unknownArrayValue,
  proxy.unknownNumberValue,
  proxy.unknownBooleanValue,
]);

/** Signature key and secret signature of Pulumi's serialised special values. */
export const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isUnknownValueError(e: unknown): e is UnknownValueErrorLike {
  return e instanceof proxy.UnknownValueError;
}

/** True for a value that is one of the engine's unknown sentinels. */
export function isUnknownSentinel(v: unknown): boolean {
  return typeof v === "string" && UNKNOWN_SENTINELS.has(v);
}

/** Every sentinel the unknown-checking proxy throws on: UNKNOWN_SENTINELS and the asset and archive ones. */
const PROXY_UNKNOWNS: ReadonlySet<string> = new Set([...UNKNOWN_SENTINELS, proxy.unknownAssetValue, proxy.unknownArchiveValue]);

/**
 * A string prop as `peek(() => toPlain(props[key]))` reads it, without going through the proxy: the
 * string, or undefined when the prop is absent, not a string, or unknown. Rules read names, ids and
 * ARNs of thousands of resources this way.
 */
export function knownStringProp(props: Record<string, unknown>, key: string): string | undefined {
  const v = (unproxied(props) as Record<string, unknown>)[key];
  return typeof v === "string" && !PROXY_UNKNOWNS.has(v) ? v : undefined;
}

/** The raw object behind the unknown-checking proxy (no unknown checks when reading it!). */
export function unproxied<T>(v: T): T {
  if (v !== null && typeof v === "object" && (v as any)[proxy.isSpecialProxy] === true) {
    return (v as any)[proxy.getSpecialProxyTarget];
  }
  return v;
}

/**
 * Deserialises raw engine properties exactly as @pulumi/policy's server does
 * (`deserializeProperties(req.getProperties(), false)`): undefined keys dropped, secrets unwrapped,
 * assets and archives turned into runtime objects. A secret that carries only `ciphertext` (a
 * `pulumi stack export` without `--show-secrets`) cannot be read, so it becomes an unknown.
 */
export function deserializeProps(raw: Record<string, unknown>): Record<string, any> {
  const prepared = replaceCiphertextSecrets(raw) as Record<string, unknown>;
  return deserialize.deserializeProperties({ toJavaScript: () => prepared }, false);
}

function replaceCiphertextSecrets(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const r = replaceCiphertextSecrets(v[i]);
      if (r !== v[i]) (out ??= v.slice())[i] = r;
    }
    return out ?? v;
  }
  const o = v as Record<string, unknown>;
  if (o[SPECIAL_SIG_KEY] === SECRET_SIG && !("value" in o)) return UNKNOWN;
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(o)) {
    const r = replaceCiphertextSecrets(o[k]);
    if (r !== o[k]) (out ??= { ...o })[k] = r;
  }
  return out ?? o;
}

/** The CLI's `--policy-pack-config` normalisation (a string value is just a level). */
export function normalizeConfig(config: Record<string, unknown>): NormalizedConfig {
  return protoutil.normalizeConfig(config);
}
