/**
 * No admin-equivalent AWS managed policy (AdministratorAccess, PowerUserAccess, IAMFullAccess,
 * AWSOrganizationsFullAccess, …; core/iam/escalation.ts lists each with its reason) may be attached
 * to a role, user or group: RolePolicyAttachment, UserPolicyAttachment, GroupPolicyAttachment,
 * PolicyAttachment, the *PolicyAttachmentsExclusive resources and Role.managedPolicyArns.
 *
 * A stack rule so that an ARN unknown at preview can be told apart: when the value comes from an
 * aws.iam.Policy of the same stack (its `arn` output), it is a customer policy, which
 * aws-iam-no-escalating-grants judges by its document; any other unknown ARN fails closed.
 */
import { stackRule, RuleResource, StackContext, StackFinding } from "../rule";
import { toPlain } from "../documents";
import { adminEquivalentReason, wildcardRegex } from "../../core/iam";
import { AWS_IAM, ATTACHMENT_ARN_PROPS as ARN_PROPS } from "./aws-iam-no-escalating-grants";

interface Config {
  allowedPolicyArns: string[];
}


/** The ARNs of prop `key` with their paths. Unknown entries: skipped when they come from stack policies, else reported unknown. */
function arnsOf(r: RuleResource, key: string, ctx: StackContext<Config>): Array<{ arn: string; path: string }> {
  const deps = r.propertyDependencies[key] ?? [];
  const fromStackPolicies = deps.length > 0 && deps.every((d) => d.type === AWS_IAM.policy);
  const read = <T>(fn: () => T): T | undefined => (fromStackPolicies ? ctx.peek(fn) : ctx.guard(r, fn));
  const top = read(() => r.props[key] as unknown);
  if (top === undefined || top === null) return [];
  if (!Array.isArray(top)) {
    const v = read(() => toPlain(top, [key]));
    return typeof v === "string" ? [{ arn: v, path: key }] : [];
  }
  const out: Array<{ arn: string; path: string }> = [];
  for (let i = 0; i < top.length; i++) {
    const v = read(() => toPlain(top[i], [key, String(i)]));
    if (typeof v === "string") out.push({ arn: v, path: `${key}[${i}]` });
  }
  return out;
}

export default stackRule<Config>({
  id: "aws-iam-no-admin-managed-policy",
  title: "Ensure no admin-equivalent AWS managed policy is attached",
  description:
    "Flags attachments of AWS managed policies whose grants reach admin or a known escalation path (AdministratorAccess, PowerUserAccess, " +
    "IAMFullAccess, AWSOrganizationsFullAccess, AWSLambda_FullAccess, AmazonSSMFullAccess, …) through RolePolicyAttachment, " +
    "UserPolicyAttachment, GroupPolicyAttachment, PolicyAttachment, the *PolicyAttachmentsExclusive resources or Role managedPolicyArns, " +
    "in any partition.",
  rationale:
    "Managed admin policies are the most common shortcut in OIDC examples (Pulumi's own suggests AdministratorAccess); on an assistant's " +
    "identity they turn any stolen token or injected prompt into control of the account",
  remediation: "Attach a customer policy listing the exact actions and resources the workload needs, capped by a permissions boundary.",
  standards: { nhi: ["NHI5"], agentic: ["ASI03"], maestro: ["L4"], csf: ["PR.AA-05"] },
  enforcementLevel: "mandatory",
  severity: "critical",
  unknownDefault: "fail",
  configSchema: {
    properties: {
      allowedPolicyArns: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Managed policy ARNs (globs, e.g. \"arn:*:iam::aws:policy/AWSLambda_FullAccess\") accepted despite being on the list.",
      },
    },
  },
  checkStack(resources, ctx) {
    const allowed = ctx.config.allowedPolicyArns.map((p) => wildcardRegex(p));
    const out: StackFinding[] = [];
    for (const r of resources) {
      const key = ARN_PROPS.get(r.type);
      if (key === undefined) continue;
      for (const { arn, path } of arnsOf(r, key, ctx)) {
        const why = adminEquivalentReason(arn);
        if (why === undefined || allowed.some((re) => re.test(arn))) continue;
        const name = arn.slice(arn.indexOf(":policy/") + ":policy/".length);
        out.push({
          urn: r.urn,
          message: `must not attach the admin-equivalent managed policy ${name}; got ${arn}, which ${why}`,
          path,
          value: arn,
          fix: "replace it with a customer policy of exact actions on exact resources (and a permissions boundary)",
          key: `admin-policy:${name}`,
        });
      }
    }
    return out;
  },
});
