/**
 * Hygiene of roles the toolkit manages (tag `managed-by = assistant-identities`): a permissions
 * boundary, an owner (`ai-owner`) and an expiry (`ai-expires`, YYYY-MM-DD) on every such role; and,
 * on any resource carrying `ai-expires` (AWS tags, GCP labels), an expiry that has not passed.
 * Advisory by default: these are review prompts, not defects of the deployment itself.
 */
import { resourceRule } from "../rule";
import type { Finding } from "../../core/findings";
import { parseDay } from "../config";
import { stringMap } from "../documents";

interface Config {
  ownerTag: string;
  expiresTag: string;
  requirePermissionsBoundary: boolean;
}

const ROLE = "aws:iam/role:Role";
const LABELLED = new Set(["gcp:secretmanager/secret:Secret"]);
export const MANAGED_BY = { key: "managed-by", value: "assistant-identities" } as const;

export default resourceRule<Config>({
  id: "assistant-identity-hygiene",
  title: "Ensure toolkit-managed identities have a boundary, an owner and an expiry that has not passed",
  description:
    "Advises on roles tagged managed-by=assistant-identities without a permissions boundary or without ai-owner / ai-expires " +
    "tags, and on any identity or secret whose ai-expires date is in the past or malformed.",
  rationale:
    "An identity nobody owns and nothing expires outlives the assistant it was made for; a boundary caps what any later " +
    "policy change can grant; an expired identity that is still deployed is exactly the orphan offboarding should remove",
  remediation:
    "Set permissionsBoundary, tag ai-owner (a team or person) and ai-expires (YYYY-MM-DD) on each identity, and remove or " +
    "renew identities whose expiry has passed.",
  standards: { nhi: ["NHI1", "NHI5"], agentic: ["ASI10"], maestro: ["L6"], csf: ["PR.AA-01", "PR.AA-05"] },
  enforcementLevel: "advisory",
  severity: "low",
  unknownDefault: "advisory",
  configSchema: {
    properties: {
      ownerTag: { type: "string", minLength: 1, default: "ai-owner", description: "Tag naming the accountable owner." },
      expiresTag: { type: "string", minLength: 1, default: "ai-expires", description: "Tag holding the last day (YYYY-MM-DD) the identity is needed." },
      requirePermissionsBoundary: { type: "boolean", default: true, description: "Require a permissions boundary on toolkit-managed roles." },
    },
  },
  resourceTypes: [ROLE, "aws:iam/user:User", "aws:iam/policy:Policy", "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "aws:secretsmanager/secret:Secret", ...LABELLED],
  checkResource(r, ctx): Finding[] {
    const c = ctx.config;
    const field = LABELLED.has(r.type) ? "labels" : "tags";
    const tags = stringMap(r.props, field);
    const at = (k: string) => `${field}["${k}"]`;
    const out: Finding[] = [];
    const managed = tags[MANAGED_BY.key] === MANAGED_BY.value;
    if (managed && r.type === ROLE) {
      if (c.requirePermissionsBoundary) {
        const boundary = r.props.permissionsBoundary;
        if (typeof boundary !== "string" || boundary === "") {
          out.push({ message: "must have a permissions boundary; got none", path: "permissionsBoundary", fix: "set permissionsBoundary to the toolkit's boundary policy ARN", key: "no-permissions-boundary" });
        }
      }
      if (!tags[c.ownerTag]) out.push({ message: `must name an owner in tag ${c.ownerTag}; got none`, path: at(c.ownerTag), fix: `tag ${c.ownerTag} with the accountable team or person`, key: "no-owner-tag" });
      if (!tags[c.expiresTag]) out.push({ message: `must carry an expiry date in tag ${c.expiresTag}; got none`, path: at(c.expiresTag), fix: `tag ${c.expiresTag} with the last day the identity is needed (YYYY-MM-DD)`, key: "no-expiry-tag" });
    }
    const expires = tags[c.expiresTag];
    if (expires) {
      const day = parseDay(expires);
      if (day === undefined) {
        out.push({ message: `must be a date YYYY-MM-DD; got ${JSON.stringify(expires)}`, path: at(c.expiresTag), value: expires, fix: "write the expiry as YYYY-MM-DD", key: "bad-expiry-date" });
      } else if (ctx.now.getTime() >= day + 86_400_000) {
        out.push({
          message: `must not be deployed after its expiry; got ${c.expiresTag} ${expires}, which has passed (today ${ctx.now.toISOString().slice(0, 10)})`,
          path: at(c.expiresTag),
          value: expires,
          fix: "offboard the identity (delete it and its grants) or, if still needed, renew the expiry with its owner's approval",
          key: "expired",
        });
      }
    }
    return out;
  },
});
