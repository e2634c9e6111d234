/**
 * One identity, one assistant, one environment (OWASP NHI9 reuse, NHI8 environment isolation):
 * - an AWS role whose web-identity trust admits subjects of two workloads (repositories, projects,
 *   Kubernetes service accounts, SPIFFE ids) or two environments;
 * - a GCP service account whose workloadIdentityUser / token-creator members are two workloads or two
 *   environments;
 * - one subject trusted by roles tagged with different ai-environment (or ai-assistant) values.
 */
import { stackRule, RuleResource, StackFinding } from "../rule";
import { iamDocument, jsonProp, stringMap, subjectValues, toPlain, webIdentityStatements } from "../documents";
import { MANAGED_BY } from "./assistant-identity-hygiene";
import { pushTo } from "../../core/group";

interface Config {
  environmentTag: string;
  assistantTag: string;
  scope: "all" | "toolkit";
  impersonationRoles: string[];
}

export interface SubjectInfo {
  workload: string;
  environment?: string;
}

/** Which workload (and environment, when the subject carries one) a federated subject stands for. */
export function subjectInfo(sub: string): SubjectInfo {
  const gh = /^repo:([^:]+):(.*)$/.exec(sub) ?? /^repo:([^:]+)$/.exec(sub);
  if (gh) {
    const repo = gh[1].replace(/@[^/]*/g, "").toLowerCase();
    const env = gh[2] !== undefined ? /^environment:(.+)$/.exec(gh[2]) : null;
    return { workload: `github:${repo}`, ...(env ? { environment: decodeURIComponent(env[1]) } : {}) };
  }
  const gl = /^project_path:([^:]+)(:|$)/.exec(sub);
  if (gl) return { workload: `gitlab:${gl[1].toLowerCase()}` };
  const k8s = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(sub);
  if (k8s) return { workload: `k8s:${k8s[1]}/${k8s[2]}` };
  return { workload: sub };
}

/** Workload/environment of a GCP principal (principal://…/subject/S or principalSet://…/attribute.K/V). */
function principalInfo(member: string): Partial<SubjectInfo> | undefined {
  const subj = /^principal:\/\/iam\.googleapis\.com\/.+\/subject\/(.+)$/.exec(member);
  if (subj) return subjectInfo(subj[1]);
  const attr = /^principalSet:\/\/iam\.googleapis\.com\/.+\/attribute\.([^/]+)\/(.+)$/.exec(member);
  if (attr) {
    const [, k, v] = attr;
    if (k === "repository") return { workload: `github:${v.toLowerCase()}` };
    if (k === "repository_id") return { workload: `github-id:${v}` };
    if (k === "environment") return { environment: v };
    return { workload: `${k}=${v}` };
  }
  if (member.startsWith("serviceAccount:")) return { workload: member };
  return undefined;
}

const ROLE = "aws:iam/role:Role";
const SA_IAM = new Set(["gcp:serviceaccount/iAMMember:IAMMember", "gcp:serviceaccount/iAMBinding:IAMBinding", "gcp:serviceaccount/iAMPolicy:IAMPolicy"]);

function distinct<T>(xs: Array<T | undefined>): T[] {
  return [...new Set(xs.filter((x): x is T => x !== undefined))];
}

export default stackRule<Config>({
  id: "no-shared-identity",
  title: "Ensure each workload identity serves one assistant in one environment",
  description:
    "Flags AWS roles and GCP service accounts trusted by subjects of two workloads or two environments, and subjects trusted " +
    "by roles tagged with different ai-environment or ai-assistant values.",
  rationale:
    "A shared identity makes every workload that uses it as powerful as the union of their needs, lets a compromised " +
    "development pipeline reach production, and makes it impossible to revoke or audit one assistant without the others",
  remediation:
    "Give each assistant and environment its own role or service account, trusted by exactly that workload's subject " +
    "(e.g. repo:ORG/REPO:environment:prod), and tag it with ai-assistant and ai-environment.",
  standards: { nhi: ["NHI9", "NHI8"], agentic: ["ASI03"], maestro: ["L4"], csf: ["PR.AA-01", "PR.AA-05"] },
  enforcementLevel: "mandatory",
  severity: "high",
  unknownDefault: "fail",
  configSchema: {
    properties: {
      environmentTag: { type: "string", minLength: 1, default: "ai-environment", description: "Tag holding an identity's environment." },
      assistantTag: { type: "string", minLength: 1, default: "ai-assistant", description: "Tag holding an identity's assistant." },
      scope: { type: "string", enum: ["all", "toolkit"], default: "all", description: "Check every role, or only roles tagged managed-by=assistant-identities." },
      impersonationRoles: {
        type: "array",
        items: { type: "string" },
        default: ["roles/iam.workloadIdentityUser", "roles/iam.serviceAccountTokenCreator"],
        description: "GCP roles on a service account that let a principal act as it.",
      },
    },
  },
  checkStack(resources, ctx) {
    const c = ctx.config;
    const out: StackFinding[] = [];
    /** subject → roles trusting it, with their tags */
    const bySubject = new Map<string, Array<{ r: RuleResource; env?: string; assistant?: string }>>();

    for (const r of resources) {
      if (r.type !== ROLE) continue;
      const read = ctx.guard(r, () => {
        const tags = stringMap(r.props, "tags");
        if (c.scope === "toolkit" && tags[MANAGED_BY.key] !== MANAGED_BY.value) return undefined;
        const trust = iamDocument(r.props, "assumeRolePolicy");
        if (!trust?.ok) return undefined;
        const subs = webIdentityStatements(trust.doc).flatMap(({ s, index }) => subjectValues(s, index));
        return { tags, subs };
      });
      if (!read) continue;
      const { tags, subs } = read;
      const infos = subs.map((s) => ({ ...s, ...subjectInfo(s.value) }));
      const workloads = distinct(infos.map((i) => i.workload));
      const envs = distinct(infos.map((i) => i.environment));
      if (workloads.length > 1) {
        out.push({
          urn: r.urn,
          message: `must be assumable by one workload; got ${workloads.length}: ${workloads.join(", ")}`,
          path: infos.find((i) => i.workload === workloads[1])?.path,
          value: workloads,
          fix: "split the role: one role per assistant/workload, each trusting only its own subject",
          key: "role-shared-by-workloads",
        });
      }
      if (envs.length > 1) {
        out.push({
          urn: r.urn,
          message: `must serve one environment; got subjects for ${envs.join(", ")}`,
          path: infos.find((i) => i.environment === envs[1])?.path,
          value: envs,
          fix: "create one role per environment, each trusting repo:ORG/REPO:environment:<that environment> only",
          key: "role-spans-environments",
        });
      }
      for (const s of distinct(infos.map((i) => i.value))) {
        const list = bySubject.get(s) ?? [];
        list.push({ r, env: tags[c.environmentTag], assistant: tags[c.assistantTag] });
        bySubject.set(s, list);
      }
    }

    for (const [sub, roles] of bySubject) {
      if (roles.length < 2) continue;
      for (const [tag, field, key] of [
        [c.environmentTag, "env", "subject-across-environments"],
        [c.assistantTag, "assistant", "subject-across-assistants"],
      ] as const) {
        const values = distinct(roles.map((x) => x[field]));
        if (values.length < 2) continue;
        for (const x of roles) {
          if (x[field] === undefined) continue;
          out.push({
            urn: x.r.urn,
            message: `must not share subject ${JSON.stringify(sub)} with roles of another ${tag}; got ${tag} values ${values.join(", ")} across ${roles.map((y) => y.r.name).join(", ")}`,
            path: `tags["${tag}"]`,
            value: sub,
            fix: `give each ${tag} its own subject (e.g. a GitHub environment per ${tag === c.environmentTag ? "environment" : "assistant"}) and trust only that subject`,
            key: `${key}:${sub}`,
          });
        }
      }
    }

    // GCP: principals allowed to act as one service account.
    const bySa = new Map<string, Array<{ r: RuleResource; member: string; path: string }>>();
    for (const r of resources) {
      if (!SA_IAM.has(r.type)) continue;
      const grants = ctx.guard(r, () => {
        const dep = r.propertyDependencies.serviceAccountId?.[0];
        const sa = dep ? dep.urn : String(toPlain(r.props.serviceAccountId, ["serviceAccountId"]));
        const found: Array<{ sa: string; member: string; path: string }> = [];
        if ("policyData" in r.props) {
          const parsed = jsonProp(r.props, "policyData");
          const bindings = parsed?.ok ? (parsed.value as { bindings?: Array<{ role?: string; members?: string[] }> }).bindings ?? [] : [];
          bindings.forEach((b, i) => {
            if (b.role && c.impersonationRoles.includes(b.role)) (b.members ?? []).forEach((m, j) => found.push({ sa, member: m, path: `policyData.bindings[${i}].members[${j}]` }));
          });
          return found;
        }
        if (!c.impersonationRoles.includes(r.props.role as string)) return found;
        if ("members" in r.props) (toPlain(r.props.members, ["members"]) as string[]).forEach((m, j) => found.push({ sa, member: m, path: `members[${j}]` }));
        else found.push({ sa, member: String(toPlain(r.props.member, ["member"])), path: "member" });
        return found;
      });
      for (const g of grants ?? []) pushTo(bySa, g.sa, { r, member: g.member, path: g.path });
    }
    for (const [sa, grants] of bySa) {
      const infos = grants.map((g) => ({ ...g, info: principalInfo(g.member) }));
      const workloads = distinct(infos.map((i) => i.info?.workload));
      const envs = distinct(infos.map((i) => i.info?.environment));
      const first = infos[0];
      if (workloads.length > 1) {
        const at = infos.find((i) => i.info?.workload === workloads[1])!;
        out.push({ urn: at.r.urn, message: `must let one workload act as service account ${sa}; got ${workloads.length}: ${workloads.join(", ")}`, path: at.path, value: workloads, fix: "create one service account per assistant/workload", key: "service-account-shared-by-workloads" });
      }
      if (envs.length > 1) {
        const at = infos.find((i) => i.info?.environment === envs[1]) ?? first;
        out.push({ urn: at.r.urn, message: `must serve one environment; got principals of ${envs.join(", ")} on service account ${sa}`, path: at.path, value: envs, fix: "create one service account per environment", key: "service-account-spans-environments" });
      }
    }
    return out;
  },
});
