/**
 * Role trust policies must pin who can assume them: a web identity (GitHub Actions, GitLab, EKS,
 * SPIFFE, any OIDC issuer) needs `aud` and an exact `sub`; no `Principal: "*"` without conditions;
 * no set operators on single-valued keys. Every resource in the stack with an `assumeRolePolicy`
 * prop is checked (aws.iam.Role, and any other type or component that takes one).
 *
 * A stack rule because whether a role "writes" (then a subject wildcard over branches,
 * environments or pull requests of one repository is too broad) comes from the grants the stack
 * gives it (`writingRoles: auto`).
 */
import { stackRule, StackFinding, type RuleContext, type RuleResource } from "../rule";
import { toPlain } from "../documents";
import { parsePolicyDocument, privilegeOf, trustFindingsShared, type IamCategory, type TrustCategory } from "../../core/iam";
import { documentFindings, roleGrants } from "./aws-iam-no-escalating-grants";

interface Config {
  writingRoles: "auto" | "always" | "never";
  ignoreCategories: TrustCategory[];
}

export const TRUST_PROP = "assumeRolePolicy";

/**
 * A resource's trust policy as written (a JSON string or a plain object), or undefined when it has
 * none. An unknown one is recorded against the resource (`ctx.guard`), or with `unknowns: "skip"`
 * passed over (a rule beside this one, which reports it). Any type with the prop counts.
 */
export function trustPolicyOf(ctx: RuleContext<unknown>, r: RuleResource, unknowns: "report" | "skip" = "report"): unknown {
  if (ctx.peek(() => TRUST_PROP in r.props) !== true) return undefined;
  const read = <T>(fn: () => T) => (unknowns === "skip" ? ctx.peek(fn) : ctx.guard(r, fn));
  return read(() => {
    const v = r.props[TRUST_PROP];
    return v === undefined || v === null || v === "" ? undefined : typeof v === "string" ? v : toPlain(v, [TRUST_PROP]);
  });
}
const CATEGORIES: TrustCategory[] = ["missing-sub", "missing-aud", "wildcard-sub", "default-service-account", "set-operator-single-valued", "permissive-principal", "unpinned-federated"];

export default stackRule<Config>({
  id: "aws-iam-trust-pinned",
  title: "Ensure role trust policies pin the exact workload that may assume the role",
  description:
    "Flags assumeRolePolicy documents (aws.iam.Role and any resource with that property) whose web-identity trust lacks a sub or aud " +
    "condition, has no condition at all, uses a subject wildcard that admits other repositories, owners, projects or service accounts " +
    "(or, for roles that can write, other branches and environments), names a namespace's default Kubernetes service account, uses " +
    "ForAnyValue/ForAllValues on single-valued keys, or allows Principal \"*\" without a condition that pins the caller (its account, " +
    "organisation, ARN, network or token subject).",
  rationale:
    "A shared OIDC issuer signs tokens for every repository and cluster workload on it: without an exact sub, any of them (a fork, " +
    "another team's repo, a compromised pod) becomes this assistant's identity",
  remediation:
    "Use StringEquals on <issuer>:aud and <issuer>:sub with the exact subject (GitHub: repo:OWNER/REPO:environment:ENV, preferably the " +
    "immutable repo:OWNER@ID/REPO@ID form; Kubernetes: system:serviceaccount:NS:NAME) and remove permissive statements.",
  standards: { nhi: ["NHI6", "NHI4"], agentic: ["ASI03"], maestro: ["L4"], csf: ["PR.AA-03", "PR.AA-05"] },
  enforcementLevel: "mandatory",
  severity: "critical",
  unknownDefault: "fail",
  configSchema: {
    properties: {
      writingRoles: {
        type: "string",
        enum: ["auto", "always", "never"],
        default: "auto",
        description:
          "Which roles count as writing (then a wildcard over one repository's branches/environments is reported): auto = the role is granted " +
          "any write action in this stack, or its grants cannot be read; always; never.",
      },
      ignoreCategories: { type: "array", items: { type: "string", enum: CATEGORIES }, default: [], description: "Finding categories not to report." },
    },
  },
  checkStack(resources, ctx) {
    const out: StackFinding[] = [];
    const ignored = new Set<IamCategory>(ctx.config.ignoreCategories);
    for (const r of resources) {
      const raw = trustPolicyOf(ctx, r);
      if (raw === undefined) continue;
      const parsed = parsePolicyDocument(raw);
      const analyse = (writing: boolean) => trustFindingsShared(parsed.ok ? parsed.doc : raw, { writing }).filter((f) => !ignored.has(f.category));
      // Whether the role writes only matters when the verdict depends on it (a subject wildcard over
      // branches or environments): the role's grants are read for those trusts alone.
      const writing = (() => {
        if (ctx.config.writingRoles !== "auto") return ctx.config.writingRoles === "always";
        const keys = (fs: ReturnType<typeof analyse>) => fs.map((f) => `${f.key}|${f.path}`).join(",");
        if (keys(analyse(true)) === keys(analyse(false))) return false;
        const grants = roleGrants(ctx, r, resources);
        return grants.incomplete || privilegeOf(grants.docs.map((d) => d.doc), grants.managedArns).rank >= 2;
      })();
      const judge = () => analyse(writing);
      for (const f of documentFindings(TRUST_PROP, parsed, judge)) out.push({ urn: r.urn, ...f });
    }
    return out;
  },
});
