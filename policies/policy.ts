/**
 * toPolicy: a Rule → a real @pulumi/policy ResourceValidationPolicy / StackValidationPolicy.
 *
 * The wrapper adds what every rule needs and no rule should re-implement:
 * - config: schema defaults applied to `args.getConfig()`, common `exceptions` and `unknownValues`;
 * - unknowns: an `UnknownValueError` (the engine's proxy) or `UnknownInput` (core) is decided on
 *   purpose — `fail` reports a violation at the policy's level, `advisory` an advisory — instead of
 *   the server's silent "can't run policy during preview" advisory;
 * - exceptions: an active matching exception suppresses a finding; an expired one does not, and
 *   the message says so;
 * - the message: what, where (resource + path), why, fix, finding key, standards.
 *
 * Only `import type` from @pulumi/policy here: loading this module never starts a server.
 */
import type {
  EnforcementLevel,
  PolicyComplianceFramework,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { Finding, Severity, UnknownInput } from "../core/findings";
import { standardIds, standardsLine } from "../core/standards";
import { fullConfigSchema, makeConfigResolver, matchException, ExceptionMatch } from "./config";
import { isUnknownValueError } from "./engine";
import { CommonConfig, isStackRule, ResourceRule, Rule, RuleContext, RuleResource, StackRule } from "./rule";

/** Extra channel the harness puts on the validation args (absent under the real engine). */
export const HARNESS_HOOKS = Symbol.for("assistant-identities.policy-harness");

/** Set of type tokens a wrapped resource validation applies to (harness fast path). */
export const RESOURCE_TYPES = Symbol.for("assistant-identities.resource-types");

export type Outcome = "finding" | "unknown";

/** Structured details of one reported (or suppressed) finding, for the harness and the offline gate. */
export interface ReportDetail {
  ruleId: string;
  urn?: string;
  finding: Finding;
  outcome: Outcome;
  /** Level forced by the wrapper (unknown + advisory); otherwise the resolved policy level applies. */
  enforcementLevel?: EnforcementLevel;
  exception?: ExceptionMatch;
  suppressed: boolean;
}

export interface HarnessHooks {
  now?: Date;
  /** Called right before each `reportViolation`, and for suppressed findings (which are not reported). */
  sink?: (d: ReportDetail) => void;
}

export type AssistantPolicy = (ResourceValidationPolicy | StackValidationPolicy) & { ruleId: string };

function hooksOf(args: object): HarnessHooks | undefined {
  return (args as Record<symbol, HarnessHooks | undefined>)[HARNESS_HOOKS];
}

const NHI_FRAMEWORK: Omit<PolicyComplianceFramework, "reference"> = {
  name: "OWASP Non-Human Identities Top 10",
  version: "2025",
  specification: "https://owasp.org/www-project-non-human-identities-top-10/2025/",
};

/** `s` without trailing dots and white space (what `s.replace(/[.\s]+$/, "")` returns, without a regex scan of every message). */
export function stripDot(s: string): string {
  let t = s;
  for (;;) {
    const u = t.trimEnd();
    let end = u.length;
    while (end > 0 && u.charCodeAt(end - 1) === 46) end--;
    const v = end === u.length ? u : u.slice(0, end);
    if (v === t) return t;
    t = v;
  }
}

/** Where a finding is, as every message says it: `type 'name'`, then ` at path` when the finding has one. */
export function findingPlace(where: { type: string; name: string }, path: string | undefined): string {
  return `${where.type} '${where.name}'${path ? ` at ${path}` : ""}`;
}

/** The violation text (the server prefixes the policy description and a newline). */
export function formatMessage(rule: Rule, where: { type: string; name: string }, f: Finding, note?: string): string {
  const loc = findingPlace(where, f.path);
  const fixed = ruleText(rule);
  const parts = [`${loc}: ${stripDot(f.message)}.`, fixed.why, `Fix: ${stripDot(f.fix)}.`];
  if (f.key) parts.push(`Finding key: ${f.key}.`);
  parts.push(fixed.standards);
  if (note) parts.push(note);
  return parts.join(" ");
}

/** The parts of a message that depend on the rule only (a large stack reports thousands of findings of one rule). */
const ruleTexts = new WeakMap<Rule, { why: string; standards: string }>();
function ruleText(rule: Rule): { why: string; standards: string } {
  let t = ruleTexts.get(rule);
  if (!t) {
    t = { why: `Why it matters: ${stripDot(rule.rationale)}.`, standards: `Standards: ${standardsLine(rule.standards)}.` };
    ruleTexts.set(rule, t);
  }
  return t;
}

function unknownFinding(e: unknown, mode: CommonConfig["unknownValues"]): Finding {
  let path: string | undefined;
  let what: string;
  if (isUnknownValueError(e)) {
    path = e.props.map(String).join(".");
    what = `${path || "a value"} is unknown (${e.message})`;
  } else {
    what = `${(e as UnknownInput).what} is unknown`;
  }
  return {
    message:
      `cannot be verified at preview: ${what}; ` +
      (mode === "fail" ? "unknown values are treated as failures (unknownValues: fail)" : "reported as advisory (unknownValues: advisory)"),
    path,
    fix:
      "make the value known at preview (a literal or a value computed from known inputs instead of another resource's output), " +
      "or run the gate again on `pulumi up`/`pulumi stack export`, or set unknownValues: advisory for this policy",
    key: "unknown",
  };
}

function isUnknown(e: unknown): boolean {
  return isUnknownValueError(e) || e instanceof UnknownInput;
}

interface Emitter {
  emit(where: { type: string; name: string; urn?: string }, f: Finding, outcome: Outcome): void;
}

function makeEmitter(
  rule: Rule,
  description: string,
  config: Readonly<CommonConfig>,
  now: Date,
  report: ReportViolation,
  hooks: HarnessHooks | undefined,
): Emitter {
  return {
    emit(where, f, outcome) {
      const exception = where.urn !== undefined ? matchException(config.exceptions, { urn: where.urn, name: where.name }, f.key, now) : undefined;
      if (exception?.active) {
        hooks?.sink?.({ ruleId: rule.id, urn: where.urn, finding: f, outcome, exception, suppressed: true });
        return;
      }
      const note = exception
        ? `An exception for this finding (owner ${exception.exception.owner}: ${exception.exception.reason}) expired on ${exception.exception.expires} and no longer applies; renew or remove it.`
        : undefined;
      const message = formatMessage(rule, where, f, note);
      const forceAdvisory = outcome === "unknown" && config.unknownValues === "advisory";
      hooks?.sink?.({
        ruleId: rule.id,
        urn: where.urn,
        finding: f,
        outcome,
        enforcementLevel: forceAdvisory ? "advisory" : undefined,
        exception,
        suppressed: false,
      });
      if (forceAdvisory) {
        // The object form is what @pulumi/policy's server accepts to override the level (it is not
        // in the published type). It does not prefix the description, so do it here.
        (report as unknown as (o: object) => void)({
          message: `${description}\n${message}`,
          urn: where.urn,
          enforcementLevel: "advisory",
          severity: rule.severity,
        });
      } else {
        report(message, where.urn);
      }
    },
  };
}

function guardFor(unknowns: Map<string, { r: RuleResource; e: unknown }>) {
  return <T>(r: RuleResource, fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (e) {
      if (!isUnknown(e)) throw e;
      const path = isUnknownValueError(e) ? e.props.map(String).join(".") : (e as UnknownInput).what;
      const k = `${r.urn}\u0000${path}`;
      if (!unknowns.has(k)) unknowns.set(k, { r, e });
      return undefined;
    }
  };
}

function peek<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (isUnknown(e)) return undefined;
    throw e;
  }
}

function commonFields(rule: Rule) {
  const framework: PolicyComplianceFramework | undefined = rule.standards.nhi.length
    ? { ...NHI_FRAMEWORK, reference: rule.standards.nhi.join(", ") }
    : undefined;
  return {
    name: rule.id,
    displayName: rule.title,
    description: rule.description,
    enforcementLevel: rule.enforcementLevel as EnforcementLevel,
    severity: rule.severity as Severity,
    configSchema: fullConfigSchema(rule),
    remediationSteps: rule.remediation,
    tags: standardIds(rule.standards),
    ...(framework ? { framework } : {}),
    ...(rule.url ? { url: rule.url } : {}),
  };
}

function resourcePolicy(rule: ResourceRule): AssistantPolicy {
  const types = new Set(rule.resourceTypes);
  const resolve = makeConfigResolver(rule);
  const validate = (args: ResourceValidationArgs, report: ReportViolation): void => {
    if (!types.has(args.type)) return;
    const hooks = hooksOf(args);
    const now = hooks?.now ?? new Date();
    const config = resolve(args.getConfig<Record<string, unknown>>());
    const resource: RuleResource = {
      type: args.type,
      name: args.name,
      urn: args.urn,
      props: args.props,
      dependencies: [],
      propertyDependencies: {},
    };
    const unknowns = new Map<string, { r: RuleResource; e: unknown }>();
    const ctx = { config, now, type: args.type, name: args.name, urn: args.urn, guard: guardFor(unknowns), peek };
    const out = makeEmitter(rule, rule.description, config, now, report, hooks);
    let findings: Finding[];
    try {
      findings = rule.checkResource(resource, ctx);
    } catch (e) {
      if (!isUnknown(e)) throw e;
      findings = [];
      unknowns.set("", { r: resource, e });
    }
    for (const f of findings) out.emit(resource, f, "finding");
    for (const { e } of unknowns.values()) out.emit(resource, unknownFinding(e, config.unknownValues), "unknown");
  };
  // Lets the server (and the harness) skip other types without calling us, like validateResourceOfType.
  if (rule.resourceTypes.length === 1) (validate as unknown as { __pulumiType: string }).__pulumiType = rule.resourceTypes[0];
  // The harness may skip a call for a type outside this set (the call would return without effect).
  (validate as unknown as { [RESOURCE_TYPES]: ReadonlySet<string> })[RESOURCE_TYPES] = types;
  return { ...commonFields(rule), ruleId: rule.id, validateResource: validate };
}

/**
 * URN → resource for a stack's resource list, built once per list and shared by every stack rule
 * that sees the same list (one map of 10,000 entries per rule was a visible share of a large run).
 * Rebuilt if the list's length changed since (a caller reusing and growing its array).
 */
function urnIndex(resources: readonly RuleResource[]): ReadonlyMap<string, RuleResource> {
  const hit = urnIndexes.get(resources);
  if (hit && hit.length === resources.length) return hit.byUrn;
  const byUrn = new Map<string, RuleResource>();
  for (const r of resources) byUrn.set(r.urn, r);
  urnIndexes.set(resources, { length: resources.length, byUrn });
  return byUrn;
}
const urnIndexes = new WeakMap<readonly RuleResource[], { length: number; byUrn: ReadonlyMap<string, RuleResource> }>();

function stackPolicy(rule: StackRule): AssistantPolicy {
  const resolve = makeConfigResolver(rule);
  const validate = (args: StackValidationArgs, report: ReportViolation): void => {
    const hooks = hooksOf(args);
    const now = hooks?.now ?? new Date();
    const config = resolve(args.getConfig<Record<string, unknown>>());
    const resources = args.resources as unknown as RuleResource[];
    const byUrn = urnIndex(resources);
    const unknowns = new Map<string, { r: RuleResource; e: unknown }>();
    const ctx: RuleContext<unknown> & { byUrn: ReadonlyMap<string, RuleResource> } = { config, now, guard: guardFor(unknowns), peek, byUrn };
    const out = makeEmitter(rule, rule.description, config, now, report, hooks);
    let findings: Array<Finding & { urn: string }>;
    try {
      findings = rule.checkStack(resources, ctx);
    } catch (e) {
      if (!isUnknown(e)) throw e;
      findings = [];
      out.emit({ type: "stack", name: "(whole stack)" }, unknownFinding(e, config.unknownValues), "unknown");
    }
    for (const f of findings) {
      const r = byUrn.get(f.urn);
      const { urn, ...finding } = f;
      out.emit({ type: r?.type ?? "resource", name: r?.name ?? urn, urn }, finding, "finding");
    }
    for (const { r, e } of unknowns.values()) out.emit(r, unknownFinding(e, config.unknownValues), "unknown");
  };
  return { ...commonFields(rule), ruleId: rule.id, validateStack: validate };
}

/** A Rule as a real policy for `new PolicyPack(...)`. */
export function toPolicy(rule: Rule): AssistantPolicy {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(rule.id)) throw new Error(`rule id '${rule.id}' must be kebab-case`);
  if (rule.id === "all") throw new Error("'all' is reserved by the policy config format");
  if (!rule.title.startsWith("Ensure ")) throw new Error(`rule '${rule.id}': title must start with "Ensure "`);
  return isStackRule(rule) ? stackPolicy(rule) : resourcePolicy(rule as ResourceRule);
}
