/**
 * Roles that a web identity (OIDC: GitHub Actions, GitLab, Kubernetes, any OIDC issuer) can assume
 * must not allow sessions longer than `maxSessionSeconds` (default 3600, AWS's own default). The
 * trust policy may be a JSON string or an object; it is read only when the duration is too long.
 */
import { resourceRule } from "../rule";
import type { Finding } from "../../core/findings";
import { iamDocument, webIdentityStatements } from "../documents";

interface Config {
  maxSessionSeconds: number;
}

export default resourceRule<Config>({
  id: "oidc-role-session-duration",
  title: "Ensure roles assumed through OIDC keep sessions short",
  description: "Flags aws.iam.Role resources whose trust policy admits a web identity (OIDC federation) and whose maxSessionDuration exceeds the configured maximum.",
  rationale:
    "A CI job or an assistant task needs minutes; a 12-hour session turns one stolen token (from a log, a cache or a " +
    "prompt-injected agent) into half a day of access that revoking the role's trust does not end",
  remediation: "Set maxSessionDuration to 3600 or less (omit it for AWS's default of 3600) and have long jobs re-assume the role.",
  standards: { nhi: ["NHI7", "NHI4"], agentic: ["ASI03"], maestro: ["L4"], csf: ["PR.AA-01", "PR.AA-03"] },
  enforcementLevel: "mandatory",
  severity: "medium",
  unknownDefault: "fail",
  configSchema: {
    properties: {
      maxSessionSeconds: { type: "integer", minimum: 900, maximum: 43200, default: 3600, description: "Longest allowed maxSessionDuration for OIDC-trusted roles, in seconds." },
    },
  },
  resourceTypes: ["aws:iam/role:Role"],
  checkResource(r, ctx): Finding[] {
    const max = ctx.config.maxSessionSeconds;
    const duration = r.props.maxSessionDuration;
    if (typeof duration !== "number" || duration <= max) return [];
    const trust = iamDocument(r.props, "assumeRolePolicy");
    if (!trust?.ok) return []; // unreadable trust policies are the trust rules' business
    const web = webIdentityStatements(trust.doc);
    if (!web.length) return [];
    const fed = web.flatMap(({ federated }) => federated);
    return [
      {
        message: `must keep sessions at most ${max} s for a role assumed through OIDC (${fed.join(", ")}); got maxSessionDuration ${duration}`,
        path: "maxSessionDuration",
        value: duration,
        fix: `set maxSessionDuration to ${max} or less (or omit it)`,
        key: "session-too-long",
      },
    ];
  },
});
