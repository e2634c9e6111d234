/**
 * Whole-stack escalation: a role must not be able to pass (iam:PassRole) or assume (sts:AssumeRole)
 * another role of the same stack that is more privileged than itself. Single-policy analysers
 * (Parliament, Cloudsplaining) cannot see this: the PassRole grant names one role, which looks
 * least-privilege, while that role holds AdministratorAccess.
 *
 * Privilege is core/iam's coarse rank (read < write < escalation < admin) over everything the
 * stack grants each role: inline policies, RolePolicy, attachments of stack policies, managed ARNs.
 * Roles are matched by ARN when known, else by name (and path) in the grant's own account; an
 * auto-named role at preview is matched only by patterns naming every role.
 *
 * Unknown documents are read with `peek`: the trust and grant rules already report each of them
 * (unknownValues: fail), so this rule does not report them again.
 */
import { stackRule, RuleResource, StackContext, StackFinding } from "../rule";
import { iamDocument } from "../documents";
import { grantsOf, privilegeOf, statementCoversAction, RANK_NAMES, rolePatternMatches, type Grant, type Privilege, type PolicyDocument, type RoleName } from "../../core/iam";
import { AWS_IAM, knownIds, peekString, roleGrants, type RoleGrants } from "./aws-iam-no-escalating-grants";

type Config = Record<string, never>;

interface RoleInfo {
  r: RuleResource;
  grants: RoleGrants;
  privilege: Privilege;
  name: RoleName;
  label: string;
  trust?: PolicyDocument;
  ids: Set<string>;
  passes: Array<{ doc: RoleGrants["docs"][number]; g: Grant }>;
  assumes: Array<{ doc: RoleGrants["docs"][number]; g: Grant }>;
  /** The trust admits some AWS principal (or "*"): only then can another role of the stack assume it. */
  trustsAwsPrincipals: boolean;
}

function roleInfo(ctx: StackContext<Config>, r: RuleResource, resources: readonly RuleResource[]): RoleInfo {
  const grants = roleGrants(ctx, r, resources);
  const name: RoleName = { arn: peekString(r, "arn"), name: peekString(r, "name"), path: peekString(r, "path") };
  const trust = ctx.peek(() => iamDocument(r.props, "assumeRolePolicy"));
  return {
    r,
    grants,
    privilege: privilegeOf(
      grants.docs.map((d) => d.doc),
      grants.managedArns,
    ),
    name,
    label: name.name ?? r.name,
    ...(trust?.ok ? { trust: trust.doc } : {}),
    trustsAwsPrincipals: !!trust?.ok && trust.doc.Statement.some((s) => s.Effect === "Allow" && !!s.Principal && (s.Principal === "*" || (s.Principal["AWS"] ?? []).length > 0)),
    ids: knownIds(r),
    passes: grants.docs.flatMap((doc) => grantsOf(doc.doc, "iam:PassRole").map((g) => ({ doc, g }))),
    assumes: grants.docs.flatMap((doc) => grantsOf(doc.doc, "sts:AssumeRole").map((g) => ({ doc, g }))),
  };
}

const ACCOUNT_PRINCIPAL = /^(\d{12}|arn:aws[a-z-]*:iam::\d{12}:root)$/;

/** How T's trust admits R: directly (names R), through identity grants (account root or "*"), or not at all. */
function trustAdmits(target: RoleInfo, source: RoleInfo): "direct" | "identity" | undefined {
  if (!target.trust) return undefined;
  const sourceIds = source.ids;
  const namesSource = (p: string) => sourceIds.has(p) || (p.includes(":role/") && !/[*?]/.test(p) && rolePatternMatches(p, source.name));
  const byDependency = (target.r.propertyDependencies["assumeRolePolicy"] ?? []).some((d) => d.urn === source.r.urn);
  let how: "direct" | "identity" | undefined;
  for (const s of target.trust.Statement) {
    if (s.Effect !== "Allow" || !s.Principal) continue;
    // A NotAction statement allows every action it does not list (read as grantsOf reads identity documents).
    if (!statementCoversAction(s, "sts:AssumeRole")) continue;
    const aws = s.Principal === "*" ? ["*"] : (s.Principal["AWS"] ?? []);
    if (aws.some(namesSource) || (byDependency && aws.length > 0)) return "direct";
    if (aws.some((p) => p === "*" || ACCOUNT_PRINCIPAL.test(p))) how = "identity";
  }
  return how;
}

function where(doc: RoleGrants["docs"][number], statementPath: string): string {
  return `${doc.path}.${statementPath}`;
}

export default stackRule<Config>({
  id: "aws-iam-no-privileged-role-passing",
  title: "Ensure no role can pass or assume a more privileged role of the same stack",
  description:
    "Stack rule: flags a role whose grants (inline, RolePolicy, attached stack policies, managed ARNs) allow iam:PassRole or sts:AssumeRole " +
    "on another role of the stack that is more privileged (read < write < escalation < admin), and trust policies that let a role assume a " +
    "more privileged one.",
  rationale:
    "Passing or assuming a stronger role is privilege escalation in one step; a PassRole on one named role looks least-privilege to " +
    "single-policy linters when that role holds admin",
  remediation:
    "Pass or assume only roles with at most the caller's own privileges (scope iam:PassRole and sts:AssumeRole to those ARNs, add " +
    "iam:PassedToService), or reduce the target role's grants.",
  standards: { nhi: ["NHI5"], agentic: ["ASI03"], maestro: ["L4", "L6"], csf: ["PR.AA-05"] },
  enforcementLevel: "mandatory",
  severity: "critical",
  unknownDefault: "fail",
  configSchema: { properties: {} },
  checkStack(resources, ctx) {
    const roles = resources.filter((r) => r.type === AWS_IAM.role).map((r) => roleInfo(ctx, r, resources));
    const out: StackFinding[] = [];
    // Only pairs where the source can pass, or the target trusts AWS principals, can reach: the rest
    // (federated-only trusts, roles that pass nothing) are skipped without building messages.
    const assumable = roles.filter((t) => t.trustsAwsPrincipals);
    for (const source of roles) {
      for (const target of source.passes.length > 0 ? roles : assumable) {
        if (target === source || target.privilege.rank <= source.privilege.rank) continue;
        const stronger = `${target.label} (${RANK_NAMES[target.privilege.rank]}: ${target.privilege.reason})`;
        const weaker = `${source.label} (${RANK_NAMES[source.privilege.rank]})`;
        const reach = (grants: RoleInfo["passes"], verb: "pass" | "assume", extra: string, fix: string) => {
          for (const { doc, g } of grants) {
            const hit = g.resources.find((p) => rolePatternMatches(p, target.name));
            if (hit === undefined) continue;
            out.push({
              urn: doc.resource.urn,
              message: `must not let role ${weaker} ${verb} the more privileged role ${stronger}; got ${verb === "pass" ? "iam:PassRole" : "sts:AssumeRole"} on ${hit}${extra}`,
              path: where(doc, g.path),
              value: hit,
              fix,
              key: `can-${verb}:${source.label}->${target.label}`,
            });
          }
        };
        reach(source.passes, "pass", "", `narrow iam:PassRole to roles no stronger than ${source.label}, or reduce the grants of ${target.label}`);
        const admits = trustAdmits(target, source);
        if (admits === "direct") {
          out.push({
            urn: target.r.urn,
            message: `must not trust role ${weaker}, which is less privileged than this role ${stronger}; got a trust statement naming it`,
            path: "assumeRolePolicy",
            value: source.label,
            fix: `remove ${source.label} from the trust policy of ${target.label}, or give it its own weaker role`,
            key: `can-assume:${source.label}->${target.label}`,
          });
        } else if (admits === "identity") {
          reach(source.assumes, "assume", " and a trust policy that admits the account", `narrow sts:AssumeRole to roles no stronger than ${source.label}, and make ${target.label} trust named principals only`);
        }
      }
    }
    return out;
  },
});
