/**
 * The gate: the policy pack run through the engine-faithful harness over a list of resources
 * (from `plan` or from a `pulumi stack export`), with violations turned into inventory findings.
 */
import { createHarness, type InputResource, type Violation } from "../policies/harness";
import { policies, rules } from "../policies/list";
import type { FindingEntry, SourceLocation } from "../core/inventory/schema";
import { StandardId } from "../core/inventory/schema";
import type { SarifRule } from "./sarif";
import { standardIds } from "../core/standards";

/** A resource as `pulumi stack export` (deployment v3) stores it. */
export interface ExportedResource {
  urn: string;
  type: string;
  custom?: boolean;
  id?: string;
  parent?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  provider?: string;
}

export function nameOfUrn(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i >= 0 ? urn.slice(i + 2) : urn;
}

/** What the engine shows a policy: every resource but the engine's own (`pulumi:*` stack and providers). */
export function toInputResources(resources: readonly ExportedResource[]): InputResource[] {
  return resources
    .filter((r) => !r.type.startsWith("pulumi:"))
    .map((r) => ({
      urn: r.urn,
      type: r.type,
      name: nameOfUrn(r.urn),
      // Outputs carry the inputs back plus what the provider computed; a preview has inputs only.
      props: { ...(r.inputs ?? {}), ...(r.outputs ?? {}) },
      parent: r.parent,
      dependencies: r.dependencies ?? [],
      propertyDependencies: r.propertyDependencies ?? {},
    }));
}

export interface GateOptions {
  /** `--policy-config` JSON, in `pulumi preview --policy-pack-config` format. */
  policyConfig?: Record<string, unknown>;
  now?: Date;
  /** Which assistant (name) a URN belongs to, when known. */
  assistantOf?: (urn: string) => string | undefined;
  /** Where in the repository a URN's declaration lives, when known. */
  locationOf?: (urn: string) => SourceLocation | undefined;
}

const ruleById = new Map(rules.map((r) => [r.id, r]));

export function sarifRules(): SarifRule[] {
  return rules.map((r) => ({
    id: r.id,
    title: r.title,
    description: r.description,
    rationale: r.rationale,
    remediation: r.remediation,
    standards: standardIds(r.standards),
    level: r.enforcementLevel,
    severity: r.severity,
  }));
}

export function toFinding(v: Violation, stackUrn: string, opts: GateOptions): FindingEntry {
  const rule = ruleById.get(v.ruleId);
  const urn = v.urn ?? stackUrn;
  const message = v.finding?.message ?? v.message.split("\n").slice(1).join(" ").trim() ?? v.message;
  const entry: FindingEntry = {
    ruleId: v.ruleId,
    title: rule?.title ?? v.policyName,
    level: v.enforcementLevel === "mandatory" ? "mandatory" : "advisory",
    severity: v.severity ?? rule?.severity ?? "medium",
    message: message || v.message,
    resource: urn,
    fix: v.finding?.fix ?? rule?.remediation ?? "see the rule's remediation",
    standards: v.standards.filter((s) => StandardId.safeParse(s).success),
  };
  const assistant = opts.assistantOf?.(urn);
  if (assistant) entry.assistant = assistant;
  if (v.finding?.path) entry.path = v.finding.path;
  if (v.finding?.key) entry.key = v.finding.key;
  const location = opts.locationOf?.(urn);
  if (location) entry.location = location;
  return entry;
}

export async function gate(resources: readonly ExportedResource[], stackUrn: string, opts: GateOptions = {}): Promise<FindingEntry[]> {
  const harness = createHarness(policies, { config: opts.policyConfig, now: opts.now });
  const { violations } = await harness.run(toInputResources(resources));
  return violations.filter((v) => v.enforcementLevel !== "disabled").map((v) => toFinding(v, stackUrn, opts));
}

export const mandatoryCount = (fs: readonly FindingEntry[]) => fs.filter((f) => f.level === "mandatory").length;
