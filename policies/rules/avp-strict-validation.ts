/**
 * Amazon Verified Permissions policy stores must validate policies against their schema (STRICT).
 * The tool gateway's Cedar policies (core/cedar) are only as exact as their names: with validation
 * OFF, a policy that reads a misspelt context attribute or action is stored anyway and silently
 * never matches (a forbid that never fires) or errors at request time.
 */
import { resourceRule } from "../rule";
import { lintPolicyStore } from "../../core/cedar/lint";
import type { Finding } from "../../core/findings";

export default resourceRule<Record<string, never>>({
  id: "avp-strict-validation",
  title: "Ensure Verified Permissions policy stores validate policies in STRICT mode",
  description: "Flags Amazon Verified Permissions policy stores whose validationSettings.mode is not STRICT (OFF, or missing).",
  rationale:
    "Request-time authorization of an assistant's tool calls is only as good as its policies: without STRICT validation a " +
    "policy naming a wrong attribute, action or entity type is accepted and then never matches, so a forbid for a dangerous " +
    "chain, an expiry or a revocation can silently stop working",
  remediation:
    'Set validationSettings: { mode: "STRICT" } on the aws.verifiedpermissions.PolicyStore and provision its schema ' +
    "(aws.verifiedpermissions.Schema) before the policies, as components/aws/verified-permissions.ts does.",
  standards: { nhi: ["NHI6"], agentic: ["ASI02", "ASI03"], maestro: ["L6"], csf: ["PR.AA-05"] },
  enforcementLevel: "mandatory",
  severity: "high",
  unknownDefault: "fail",
  configSchema: { properties: {} },
  resourceTypes: ["aws:verifiedpermissions/policyStore:PolicyStore"],
  checkResource(r): Finding[] {
    return lintPolicyStore(r.props);
  },
});
