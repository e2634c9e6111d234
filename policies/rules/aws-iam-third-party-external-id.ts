/**
 * Third-party trust: a role another AWS account may assume must require the external ID that account
 * issued (`sts:ExternalId`), unless the account is the organisation's own. Hosted assistants and CI
 * services assume roles in many customers' accounts; without the external ID any of their other
 * customers can point them at this role (the confused deputy). Every resource with an
 * `assumeRolePolicy` prop is checked, as by aws-iam-trust-pinned, which also reports the trusts this
 * rule cannot read (unknown at preview, invalid); the role's own account (from its ARN, when known)
 * and `trustedAccounts` need no external ID.
 *
 * Advisory by default: the pack cannot tell a vendor's account from another account of the same
 * organisation until `trustedAccounts` lists the latter.
 */
import { stackRule, StackFinding } from "../rule";
import { knownStringProp } from "../engine";
import { crossAccountTrustFindings, parsePolicyDocument, principalAccount } from "../../core/iam";
import { documentFindings } from "./aws-iam-no-escalating-grants";
import { TRUST_PROP, trustPolicyOf } from "./aws-iam-trust-pinned";

interface Config {
  trustedAccounts: string[];
}

export default stackRule<Config>({
  id: "aws-iam-third-party-external-id",
  title: "Ensure roles that another AWS account may assume require that account's external ID",
  description:
    "Flags assumeRolePolicy documents (aws.iam.Role and any resource with that property) whose Allow statements let an AWS principal " +
    "of another account (an account id, its root, a role or user ARN, or Principal \"*\" narrowed to it by aws:PrincipalAccount or " +
    "aws:PrincipalArn) assume the role without a StringEquals condition on sts:ExternalId. The role's own account and the accounts " +
    "listed in trustedAccounts are not judged.",
  rationale:
    "A third party that assumes roles in many customers' accounts (a hosted assistant, a CI service) can be made to use this role for " +
    "another of its customers, since a role ARN is no secret; the external ID it issued to you is what tells its customers apart",
  remediation:
    "Add \"StringEquals\": {\"sts:ExternalId\": \"<the ID the vendor issued to you>\"} to the statement that trusts the vendor's account; " +
    "list your own organisation's accounts in trustedAccounts.",
  standards: { nhi: ["NHI3"], agentic: ["ASI03"], maestro: ["L4", "L7"], csf: ["PR.AA-05"] },
  enforcementLevel: "advisory",
  severity: "high",
  unknownDefault: "advisory",
  configSchema: {
    properties: {
      trustedAccounts: {
        type: "array",
        items: { type: "string", pattern: "^\\d{12}$" },
        default: [],
        description: "Your own organisation's AWS account ids (12 digits): their principals may assume a role without an external ID.",
      },
    },
  },
  checkStack(resources, ctx) {
    const out: StackFinding[] = [];
    for (const r of resources) {
      // A trust unknown at preview is aws-iam-trust-pinned's to report (unknownValues: fail there).
      const raw = trustPolicyOf(ctx, r, "skip");
      // No trust (most resources: not parsed at all), an unknown one (undefined here) or an unreadable
      // one: nothing for this rule; aws-iam-trust-pinned reports the last two (mandatory).
      if (raw === undefined) continue;
      const parsed = parsePolicyDocument(raw);
      if (!parsed.ok) continue;
      const own = principalAccount(knownStringProp(r.props, "arn") ?? "");
      const trustedAccounts = own === undefined ? ctx.config.trustedAccounts : [...ctx.config.trustedAccounts, own];
      for (const f of documentFindings(TRUST_PROP, parsed, (doc) => crossAccountTrustFindings(doc, { trustedAccounts }))) out.push({ urn: r.urn, ...f });
    }
    return out;
  },
});
