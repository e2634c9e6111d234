/**
 * The Rule: one check, one file (`policies/rules/<id>.ts`, default export). A rule is metadata plus a
 * pure check; `toPolicy` (policy.ts) turns it into a real @pulumi/policy policy, adding the common
 * config (time-boxed exceptions, unknown-value handling), the message format and the standards line.
 *
 * Rules never call `reportViolation` themselves: they return `Finding`s (core/findings.ts). Reading a
 * preview unknown from `props` throws @pulumi/policy's `UnknownValueError`; let it propagate (the
 * wrapper decides, per `unknownValues`, whether that is a violation or an advisory), or use
 * `ctx.guard` in stack rules so one unknown resource does not hide the findings of the others.
 */
import type { Finding, Severity } from "../core/findings";
import type { Standards } from "../core/standards";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/** What a rule does with a value it cannot read at preview (unknown output, encrypted secret). */
export type UnknownMode = "fail" | "advisory";

/** Default level of a rule: clear defects are "mandatory", hygiene is "advisory". */
export type DefaultLevel = "mandatory" | "advisory";

/** One time-boxed exception from the policy config. */
export interface RuleException {
  /** Glob (`*`, `?`) over the resource URN. */
  urn?: string;
  /** Glob over the resource's logical name. */
  name?: string;
  /** Glob over the finding key (cdk-nag style, e.g. `role:roles/editor`); absent = every finding of the rule. */
  key?: string;
  /** Who accepted the risk. */
  owner: string;
  /** Why. */
  reason: string;
  /** Last day (UTC, inclusive) the exception applies, YYYY-MM-DD. */
  expires: string;
}

/** Config every rule accepts, besides its own. */
export interface CommonConfig {
  exceptions: RuleException[];
  unknownValues: UnknownMode;
}

/** A resource as a rule sees it: the engine's PolicyResource shape, props behind the unknown-checking proxy. */
export interface RuleResource {
  type: string;
  name: string;
  urn: string;
  props: Record<string, any>;
  parent?: RuleResource;
  dependencies: RuleResource[];
  propertyDependencies: Record<string, RuleResource[]>;
}

export interface RuleContext<C> {
  /** The rule's config with schema defaults applied, plus the common config. */
  config: Readonly<C & CommonConfig>;
  /** "Today" for expiry checks (the harness can pin it; the engine uses the clock). */
  now: Date;
  /**
   * Runs `fn` (which reads `resource`'s props); an unknown read inside it is recorded against
   * `resource` (reported per `unknownValues`) and `undefined` is returned, so the other findings
   * (and, in stack rules, the other resources) are still checked.
   */
  guard<T>(resource: RuleResource, fn: () => T): T | undefined;
  /** Runs `fn`; an unknown read inside it just yields `undefined` (for optional look-ups such as matching by ARN). */
  peek<T>(fn: () => T): T | undefined;
}

export interface ResourceContext<C> extends RuleContext<C> {
  type: string;
  name: string;
  urn: string;
}

export interface StackContext<C> extends RuleContext<C> {
  /** Resources of the stack by URN. */
  byUrn: ReadonlyMap<string, RuleResource>;
}

/** A finding of a stack rule names the resource it is about. */
export type StackFinding = Finding & { urn: string };

/** The rule's own config schema (the common part is added by `toPolicy`). Use `default` for every property. */
export interface RuleConfigSchema {
  properties: Record<string, PolicyConfigJSONSchema>;
  required?: string[];
}

interface RuleBase {
  /** kebab-case; also the policy name. */
  id: string;
  /** "Ensure …". */
  title: string;
  /** What the rule checks, one or two sentences. */
  description: string;
  /** Why it matters (goes into every message). */
  rationale: string;
  /** How to fix it in general (each finding also carries its own `fix`). */
  remediation: string;
  standards: Standards;
  enforcementLevel: DefaultLevel;
  severity: Severity;
  /** Default for `unknownValues`: "fail" for trust/grant/credential rules, "advisory" for hygiene. */
  unknownDefault: UnknownMode;
  configSchema: RuleConfigSchema;
  /** Documentation link. */
  url?: string;
}

export interface ResourceRule<C = Record<string, unknown>> extends RuleBase {
  /** Pulumi type tokens, e.g. "aws:iam/accessKey:AccessKey". */
  resourceTypes: string[];
  checkResource(resource: RuleResource, ctx: ResourceContext<C>): Finding[];
}

export interface StackRule<C = Record<string, unknown>> extends RuleBase {
  checkStack(resources: RuleResource[], ctx: StackContext<C>): StackFinding[];
}

export type Rule<C = any> = ResourceRule<C> | StackRule<C>;

export function isStackRule(r: Rule): r is StackRule {
  return typeof (r as StackRule).checkStack === "function";
}

/** Identity helpers that keep a rule's config type attached to its checks. */
export function resourceRule<C>(r: ResourceRule<C>): ResourceRule<C> {
  return r;
}
export function stackRule<C>(r: StackRule<C>): StackRule<C> {
  return r;
}
