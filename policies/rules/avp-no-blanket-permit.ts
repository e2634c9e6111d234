/**
 * Cedar `permit` policies (and templates) in Amazon Verified Permissions must be scoped to a
 * principal, an action and a resource. `permit (principal, action, resource)`, or a permit scoped
 * by entity type alone, lets every assistant call every tool on every target the rest of the set
 * does not forbid. Parsed with the real Cedar parser (core/cedar/lint.ts).
 */
import { resourceRule } from "../rule";
import { lintCedarPolicy, lintVerifiedPermissionsPolicy } from "../../core/cedar/lint";
import type { Finding } from "../../core/findings";

const T = {
  policy: "aws:verifiedpermissions/policy:Policy",
  template: "aws:verifiedpermissions/policyTemplate:PolicyTemplate",
} as const;

export default resourceRule<Record<string, never>>({
  id: "avp-no-blanket-permit",
  title: "Ensure Verified Permissions permit policies name a principal, an action and a resource",
  description:
    "Flags Amazon Verified Permissions static policies and policy templates with a Cedar permit whose principal, action or " +
    "resource is unconstrained (or constrained by entity type only, with no when condition on it).",
  rationale:
    "A blanket permit turns request-time authorization into allow-by-default: any assistant may call any tool on any target " +
    "unless a forbid happens to catch it, which defeats per-tool, per-target least privilege",
  remediation:
    "Write one permit per assistant, action and target (principal == …, action == …, resource == … or resource is T with " +
    "a when condition on its attributes), as core/cedar compiles them from the assistant's tools section.",
  standards: { nhi: ["NHI5"], agentic: ["ASI02", "ASI03"], maestro: ["L3", "L6"], csf: ["PR.AA-05"] },
  enforcementLevel: "mandatory",
  severity: "high",
  unknownDefault: "fail",
  configSchema: { properties: {} },
  resourceTypes: [T.policy, T.template],
  checkResource(r): Finding[] {
    if (r.type === T.template) {
      const statement = r.props.statement;
      return typeof statement === "string" ? lintCedarPolicy(statement, "statement") : [];
    }
    return lintVerifiedPermissionsPolicy(r.props);
  },
});
