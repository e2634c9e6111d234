/**
 * Runs a policy list the way the Pulumi engine and @pulumi/policy 1.21.0's server do, in-process,
 * for the tests and the offline gate (no CLI, no gRPC):
 *
 * - config: the `--policy-pack-config` file is normalised like the CLI (a string is a level), each
 *   policy's part is validated with ajv against its configSchema (an error names the policy and the
 *   field), schema defaults are filled in, and `getConfig()` returns the properties without
 *   `enforcementLevel`, like server.js;
 * - level: the policy's own config > `all` > the policy's default > the pack's default; "disabled"
 *   policies do not run; "remediate" is reported as "mandatory";
 * - resources: props are deserialised by @pulumi/policy's own `deserializeProperties` (secrets
 *   unwrapped; an encrypted-only secret becomes an unknown) and wrapped in its
 *   `unknownCheckingProxy`; unknowns are marked with the engine's sentinel;
 * - resource policies run per resource, skipped by `__pulumiType` like the server; stack policies get
 *   every resource with parent / dependencies / propertyDependencies resolved to resource objects;
 * - an `UnknownValueError` escaping a policy becomes the server's advisory "can't run … during
 *   preview"; `notApplicable()` is swallowed; any other error propagates (the engine fails too).
 *
 * Difference, for speed: props are deserialised once per resource and shared by all policies (the
 * server does it per policy); rules must not mutate props.
 */
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import type {
  EnforcementLevel,
  Policies,
  PolicyResource,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { Finding, Severity } from "../core/findings";
import { checkExceptions, ENFORCEMENT_LEVELS, PolicyConfigError } from "./config";
import packageJson from "./package.json";
import type { RuleException } from "./rule";
import { deserializeProps, isUnknownValueError, normalizeConfig, unknownCheckingProxy } from "./engine";
import { HARNESS_HOOKS, HarnessHooks, Outcome, ReportDetail, RESOURCE_TYPES } from "./policy";

export const PACK_NAME = "assistant-guardrails";
/** The pack version (policies/package.json, which `new PolicyPack` reads too); imported so tsc emits it next to the build. */
export const PACK_VERSION: string = packageJson.version;

/** One resource as the engine (or a `pulumi stack export`) describes it. */
export interface InputResource {
  /** Defaults to `urn:pulumi:stack::project::<type>::<name>`. */
  urn?: string;
  type: string;
  name: string;
  /** Raw property values: unknowns as the engine's sentinel, secrets as `{sig, value}` or `{sig, ciphertext}`. */
  props?: Record<string, unknown>;
  /** URN of the parent resource. */
  parent?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
}

export interface Violation {
  policyName: string;
  /** Equal to policyName for this pack's policies. */
  ruleId: string;
  enforcementLevel: EnforcementLevel;
  severity?: Severity;
  /** Exactly what the engine prints: the policy description, a newline, then the finding text. */
  message: string;
  urn?: string;
  /** The structured finding, when the policy is one of ours (absent for foreign policies). */
  finding?: Finding;
  outcome?: Outcome;
  /** Standard ids (the policy's tags), e.g. "OWASP-NHI7". */
  standards: string[];
  /** Set when an expired exception matched (it no longer suppresses). */
  expiredException?: ReportDetail["exception"];
}

export interface HarnessOptions {
  /** The `--policy-pack-config` JSON (policy name → level or { enforcementLevel?, ...props }; `all`). */
  config?: Record<string, unknown>;
  /** Pin "today" (exception expiry, `ai-expires` dates). */
  now?: Date;
  /** The pack's default level (PolicyPack args.enforcementLevel); "advisory" like @pulumi/policy. */
  packEnforcementLevel?: EnforcementLevel;
  /** Stack tags (`args.stackTags`). */
  stackTags?: Record<string, string>;
}

export interface HarnessResult {
  violations: Violation[];
  /** Findings an active exception suppressed (not reported to the engine). */
  suppressed: ReportDetail[];
}

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

interface Prepared {
  policy: AnyPolicy;
  level: EnforcementLevel;
  config: Record<string, unknown>;
  tags: string[];
}

let ajvInstance: Ajv | undefined;
const validatorCache = new WeakMap<object, ValidateFunction>();

function validatorFor(policy: AnyPolicy): ValidateFunction {
  const key = policy as object;
  let v = validatorCache.get(key);
  if (!v) {
    // Only the first error is reported, so Ajv stops at it: with allErrors a failed `contains` lists its
    // per-item errors first ("owners[0]: must match …") instead of "owners: must contain …".
    ajvInstance ??= new Ajv({ strict: false });
    const cs = policy.configSchema;
    const schema = {
      type: "object",
      properties: { ...(cs?.properties ?? {}), enforcementLevel: { type: "string", enum: [...ENFORCEMENT_LEVELS] } },
      ...(cs?.required?.length ? { required: cs.required } : {}),
      additionalProperties: false,
    };
    v = ajvInstance.compile(schema);
    validatorCache.set(key, v);
  }
  return v;
}

function ajvField(e: ErrorObject): string {
  const base = e.instancePath.replace(/^\//, "").replace(/\/(\d+)(?=\/|$)/g, "[$1]").replace(/\//g, ".");
  if (e.keyword === "additionalProperties") {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    return base ? `${base}.${extra}` : extra;
  }
  if (e.keyword === "required") {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    return base ? `${base}.${missing}` : missing;
  }
  return base || "(root)";
}

function isResourcePolicy(p: AnyPolicy): p is ResourceValidationPolicy {
  const v = (p as ResourceValidationPolicy).validateResource;
  return typeof v === "function" || Array.isArray(v);
}

function isStackPolicy(p: AnyPolicy): p is StackValidationPolicy {
  return typeof (p as StackValidationPolicy).validateStack === "function";
}

function pulumiTypeOf(o: unknown): string | undefined {
  const t = (o as { __pulumiType?: unknown } | undefined)?.__pulumiType;
  return typeof t === "string" && t.length > 0 ? t : undefined;
}

/** Validates the pack config and resolves, per policy, its level and `getConfig()` value. */
export function preparePolicies(policies: Policies, opts: HarnessOptions = {}): Prepared[] {
  const names = new Set(policies.map((p) => p.name));
  const raw = opts.config ?? {};
  for (const k of Object.keys(raw)) {
    if (k !== "all" && !names.has(k)) {
      throw new PolicyConfigError(k, "(policy)", `no policy named '${k}' in pack ${PACK_NAME}; known: ${[...names].join(", ")}`);
    }
    const v = raw[k];
    if (typeof v === "string" ? !(ENFORCEMENT_LEVELS as readonly string[]).includes(v) : v === null || typeof v !== "object" || Array.isArray(v)) {
      throw new PolicyConfigError(k, "enforcementLevel", `expected one of ${ENFORCEMENT_LEVELS.join(", ")} or an object; got ${JSON.stringify(v)}`);
    }
  }
  const norm = normalizeConfig(raw);
  const allLevel = norm.all?.enforcementLevel as EnforcementLevel | undefined;
  if (norm.all?.properties) {
    throw new PolicyConfigError("all", Object.keys(norm.all.properties)[0], "'all' accepts only an enforcement level");
  }
  const packLevel = opts.packEnforcementLevel ?? "advisory";
  return policies.map((policy) => {
    const own = norm[policy.name];
    const given = { ...(own?.properties ?? {}), ...(own?.enforcementLevel ? { enforcementLevel: own.enforcementLevel } : {}) };
    const validate = validatorFor(policy);
    if (!validate(given)) {
      const e = validate.errors![0];
      throw new PolicyConfigError(policy.name, ajvField(e), `${e.message ?? "invalid"}${e.params ? ` (${JSON.stringify(e.params)})` : ""}`);
    }
    // The CLI fills top-level schema defaults before it configures the pack.
    const config: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(policy.configSchema?.properties ?? {})) {
      if (s.default !== undefined) config[k] = structuredClone(s.default);
    }
    Object.assign(config, own?.properties ?? {});
    if (Array.isArray(config.exceptions)) checkExceptions(policy.name, config.exceptions as RuleException[]);
    const level = ((own?.enforcementLevel as EnforcementLevel | undefined) || allLevel || policy.enforcementLevel || packLevel) as EnforcementLevel;
    return { policy, level, config: Object.freeze(config), tags: policy.tags ?? [] };
  });
}

class NotApplicable extends Error {}
function notApplicable(reason?: string): never {
  throw new NotApplicable(reason ?? "Policy does not apply");
}

function defaultOpts(parent?: string) {
  return {
    protect: false,
    ignoreChanges: [] as string[],
    aliases: [] as string[],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [] as string[],
    ...(parent ? { parent } : {}),
  };
}

export function defaultUrn(type: string, name: string): string {
  return `urn:pulumi:stack::project::${type}::${name}`;
}

function isTypeOf(type: string, cls: unknown): boolean {
  const t = pulumiTypeOf(cls);
  if (t) return t === type;
  const isInstance = (cls as { isInstance?: unknown }).isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

/**
 * Deepest nesting of a resource's props the harness reads. The engine itself sends props as a
 * protobuf Struct (recursion limit 100), so real programs stay far below; a hostile or corrupt stack
 * export can nest 100,000 levels, which would overflow the recursive deserialiser and the rules.
 */
export const MAX_PROPS_DEPTH = 512;

/** Throws a clear error (resource URN and top-level prop) when props nest deeper than MAX_PROPS_DEPTH. Iterative. */
export function checkPropsDepth(urn: string, props: Record<string, unknown>): void {
  const stack: Array<[unknown, number, string]> = Object.entries(props).map(([k, v]) => [v, 1, k]);
  while (stack.length > 0) {
    const [v, depth, top] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth > MAX_PROPS_DEPTH) {
      throw new Error(`${urn}: property "${top}" is nested more than ${MAX_PROPS_DEPTH} levels deep; a Pulumi program cannot produce that (the engine's limit is 100): the input is corrupt or hostile`);
    }
    for (const x of Array.isArray(v) ? v : Object.values(v)) if (x !== null && typeof x === "object") stack.push([x, depth + 1, top]);
  }
}

/** A prepared harness: config validated once, then `run` any number of resource lists. */
export function createHarness(policies: Policies, opts: HarnessOptions = {}) {
  const prepared = preparePolicies(policies, opts);
  const stackTags: ReadonlyMap<string, string> = new Map(Object.entries(opts.stackTags ?? {}));
  const resourcePolicies = prepared.filter((p) => p.level !== "disabled" && isResourcePolicy(p.policy));
  const stackPolicies = prepared.filter((p) => p.level !== "disabled" && isStackPolicy(p.policy));

  async function run(input: readonly InputResource[]): Promise<HarnessResult> {
    const violations: Violation[] = [];
    const suppressed: ReportDetail[] = [];
    let pending: ReportDetail | undefined;
    const hooks: HarnessHooks = {
      now: opts.now,
      sink: (d) => {
        if (d.suppressed) suppressed.push(d);
        else pending = d;
      },
    };

    // Deserialise + proxy once per resource.
    const resources: PolicyResource[] = input.map((r) => {
      const urn = r.urn ?? defaultUrn(r.type, r.name);
      checkPropsDepth(urn, r.props ?? {});
      const props = unknownCheckingProxy(deserializeProps(r.props ?? {}));
      const type = r.type;
      return {
        type,
        name: r.name,
        urn,
        props,
        opts: defaultOpts(r.parent),
        dependencies: [],
        propertyDependencies: {},
        isType: (cls: unknown) => isTypeOf(type, cls),
        asType: (cls: unknown) => (isTypeOf(type, cls) ? props : undefined),
      } as unknown as PolicyResource;
    });

    const makeReport = (p: Prepared, level: EnforcementLevel) => {
      const policy = p.policy;
      return (message: unknown, urn?: string): void => {
        const detail = pending;
        pending = undefined;
        let v: Violation;
        // Like server.js: `null` takes this branch too, and reading `.name` throws, so the call fails as the engine's does.
        if (typeof message === "object") {
          const info = message as { name?: string; message?: string; description?: string; urn?: string; enforcementLevel?: EnforcementLevel; severity?: Severity };
          v = {
            policyName: info.name || policy.name,
            ruleId: info.name || policy.name,
            message: info.message || info.description || policy.description,
            urn: info.urn,
            enforcementLevel: info.enforcementLevel || level,
            severity: info.severity || policy.severity,
            standards: p.tags,
          };
        } else {
          v = {
            policyName: policy.name,
            ruleId: policy.name,
            message: message ? `${policy.description}\n${message}` : policy.description,
            urn,
            enforcementLevel: level,
            severity: policy.severity,
            standards: p.tags,
          };
        }
        if (detail) {
          v.ruleId = detail.ruleId;
          v.finding = detail.finding;
          v.outcome = detail.outcome;
          if (detail.exception && !detail.exception.active) v.expiredException = detail.exception;
        }
        if (v.severity === undefined) delete v.severity;
        if (v.urn === undefined) delete v.urn;
        violations.push(v);
      };
    };

    const onError = (p: Prepared, e: unknown): void => {
      if (e instanceof NotApplicable) return;
      if (isUnknownValueError(e)) {
        // Same as server.js: a policy that did not handle an unknown is downgraded to advisory.
        violations.push({
          policyName: p.policy.name,
          ruleId: p.policy.name,
          message: `can't run policy '${p.policy.name}' from policy pack '${PACK_NAME}@v${PACK_VERSION}' during preview: ${e.message}`,
          enforcementLevel: "advisory",
          ...(p.policy.severity ? { severity: p.policy.severity } : {}),
          standards: p.tags,
          outcome: "unknown",
        });
        return;
      }
      // As server.js (asGrpcError): the policy named, a colon and a newline, then the error's stack (or the thrown value).
      throw new Error(`Error validating resource with policy '${p.policy.name}' from policy pack '${PACK_NAME}@v${PACK_VERSION}':\n${e instanceof Error ? e.stack : e}`);
    };

    // Resource policies, per resource, in pack order.
    for (const res of resources) {
      for (const p of resourcePolicies) {
        const policy = p.policy as ResourceValidationPolicy;
        const vr = policy.validateResource!;
        if (!Array.isArray(vr)) {
          const t = pulumiTypeOf(vr);
          if (t && t !== res.type) continue;
          const set = (vr as unknown as { [RESOURCE_TYPES]?: ReadonlySet<string> })[RESOURCE_TYPES];
          if (set && !set.has(res.type)) continue;
        }
        const level: EnforcementLevel = p.level === "remediate" ? "mandatory" : p.level;
        const report = makeReport(p, level);
        const validations: ResourceValidation[] = Array.isArray(vr) ? vr : [vr];
        for (const validation of validations) {
          const args = {
            type: res.type,
            props: res.props,
            urn: res.urn,
            name: res.name,
            opts: res.opts,
            stackTags,
            isType: res.isType,
            asType: res.asType,
            getConfig: () => p.config,
            notApplicable,
            [HARNESS_HOOKS]: hooks,
          } as unknown as ResourceValidationArgs;
          try {
            const r = validation(args, report);
            if (r && typeof (r as Promise<void>).then === "function") await r;
          } catch (e) {
            onError(p, e);
          }
        }
      }
    }

    // Stack policies: resolve parent and dependencies to resource objects (makeAnalyzeStackRpcFun).
    if (stackPolicies.length) {
      const byUrn = new Map<string, PolicyResource>();
      for (const r of resources) byUrn.set(r.urn, r);
      input.forEach((r, i) => {
        const res = resources[i] as { parent?: PolicyResource; dependencies: PolicyResource[]; propertyDependencies: Record<string, PolicyResource[]> };
        if (r.parent) {
          const parent = byUrn.get(r.parent);
          if (parent) res.parent = parent;
        }
        res.dependencies = (r.dependencies ?? []).map((d) => byUrn.get(d)).filter((d): d is PolicyResource => !!d);
        for (const [k, v] of Object.entries(r.propertyDependencies ?? {})) {
          res.propertyDependencies[k] = v.map((d) => byUrn.get(d)).filter((d): d is PolicyResource => !!d);
        }
      });
      for (const p of stackPolicies) {
        const policy = p.policy as StackValidationPolicy;
        const t = pulumiTypeOf(policy.validateStack);
        if (t && !resources.some((r) => r.type === t)) continue;
        const level: EnforcementLevel = p.level === "remediate" ? "mandatory" : p.level;
        const args = {
          resources,
          getConfig: () => p.config,
          stackTags,
          notApplicable,
          [HARNESS_HOOKS]: hooks,
        } as unknown as StackValidationArgs;
        try {
          const r = policy.validateStack(args, makeReport(p, level));
          if (r && typeof (r as Promise<void>).then === "function") await r;
        } catch (e) {
          onError(p, e);
        }
      }
    }
    return { violations, suppressed };
  }

  return { run, prepared };
}

/** One-shot: validate config, run every policy over `resources`, return the violations. */
export async function runPolicies(policies: Policies, resources: readonly InputResource[], opts: HarnessOptions = {}): Promise<Violation[]> {
  return (await createHarness(policies, opts).run(resources)).violations;
}
