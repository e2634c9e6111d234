/**
 * GCP IAM grants that no workload identity should get, on every IAM member / binding / policy
 * resource of @pulumi/gcp (project, folder, organisation and the 400+ resource-level types):
 * - basic roles (roles/owner, roles/editor, roles/viewer) to anyone, anywhere;
 * - allUsers / allAuthenticatedUsers anywhere (unless the role is in allowPublicRoles);
 * - whole-pool principal sets (`principalSet://…/workloadIdentityPools/POOL/*`, workforce pools too);
 * - GKE principal sets over a whole namespace or cluster (`…/PROJECT.svc.id.goog/namespace/NS`, `…/kubernetes.cluster/URL`);
 * - a namespace's default Kubernetes service account (GKE `PROJECT.svc.id.goog[NS/default]`, or a
 *   federated cluster's `…/subject/system:serviceaccount:NS:default`): every pod that names none runs as it;
 * - impersonation and IAM-admin roles at project, folder or organisation level to service accounts
 *   and federated principals (they reach every service account below, not one).
 */
import { resourceRule } from "../rule";
import type { Finding } from "../../core/findings";
import { GCP_HIERARCHY_IAM_TYPES, GCP_IAM_TYPES } from "../gcp-iam-types";
import { jsonProp, toPlain } from "../documents";
import { defaultServiceAccountMember, isWholePool, kubernetesScopeMember } from "../../core/gcp/provider";

interface Config {
  basicRoles: string[];
  privilegedRoles: string[];
  allowPublicRoles: string[];
}

export const DEFAULT_PRIVILEGED_ROLES = [
  "roles/iam.serviceAccountTokenCreator",
  "roles/iam.serviceAccountUser",
  "roles/iam.serviceAccountKeyAdmin",
  "roles/iam.serviceAccountAdmin",
  "roles/iam.workloadIdentityUser",
  "roles/iam.serviceAccountOpenIdTokenCreator",
  "roles/iam.securityAdmin",
  "roles/iam.roleAdmin",
  "roles/iam.organizationRoleAdmin",
  "roles/iam.workloadIdentityPoolAdmin",
  "roles/resourcemanager.projectIamAdmin",
  "roles/resourcemanager.folderIamAdmin",
  "roles/resourcemanager.folderAdmin",
  "roles/resourcemanager.organizationAdmin",
  "roles/secretmanager.admin",
];

const FEDERATED_OR_SA = /^(serviceAccount:|principal:\/\/|principalSet:\/\/)/;

interface Grant {
  role: string;
  member: string;
  path: string;
  conditional: boolean;
}

/** Role/member pairs of one IAM resource, whatever its flavour. Unknown reads throw. */
function grantsOf(props: Record<string, any>): Grant[] | Finding {
  if ("policyData" in props) {
    const parsed = jsonProp(props, "policyData");
    if (!parsed) return [];
    if (!parsed.ok) {
      return { message: `must be valid IAM policy JSON; got ${parsed.error}`, path: "policyData", fix: "build policyData with gcp.organizations.getIAMPolicy", key: "policy-data-unreadable" };
    }
    const bindings = (parsed.value as { bindings?: unknown })?.bindings;
    const out: Grant[] = [];
    if (!Array.isArray(bindings)) return out;
    bindings.forEach((b: { role?: unknown; members?: unknown; condition?: unknown }, i) => {
      if (typeof b?.role !== "string" || !Array.isArray(b.members)) return;
      b.members.forEach((m: unknown, j: number) => {
        if (typeof m === "string") out.push({ role: b.role as string, member: m, path: `policyData.bindings[${i}].members[${j}]`, conditional: b.condition !== undefined });
      });
    });
    return out;
  }
  const role = props.role;
  if (typeof role !== "string") return [];
  // `in` does not go through the proxy's get: a condition that is unknown at preview does not matter here.
  const conditional = "condition" in props;
  if ("members" in props) {
    const members = toPlain(props.members, ["members"]);
    if (!Array.isArray(members)) return [];
    return members.flatMap((m, j) => (typeof m === "string" ? [{ role, member: m, path: `members[${j}]`, conditional }] : []));
  }
  const member = props.member;
  return typeof member === "string" ? [{ role, member, path: "member", conditional }] : [];
}

export default resourceRule<Config>({
  id: "gcp-iam-least-privilege",
  title: "Ensure GCP IAM grants avoid basic roles, public members, whole pools and hierarchy-wide impersonation",
  description:
    "Flags GCP IAM members, bindings and policies that grant basic roles (owner/editor/viewer), grant anything to allUsers " +
    "or allAuthenticatedUsers, grant to a whole workload/workforce identity pool, a whole GKE namespace or cluster, or a " +
    "namespace's default Kubernetes service account, or grant impersonation or IAM-admin roles at project, folder or " +
    "organisation level to service accounts or federated principals.",
  rationale:
    "Basic roles carry thousands of permissions; public members open resources to the internet; a whole-pool principal set " +
    "admits every identity the pool's issuer can mint; impersonation or IAM-admin at project level lets one workload become " +
    "any service account in the project and escalate to owner",
  remediation:
    "Grant predefined or custom roles with only the needed permissions, to one principal or an attribute-scoped principalSet, " +
    "on the single resource (e.g. roles/iam.workloadIdentityUser on one service account via gcp.serviceaccount.IAMMember).",
  standards: { nhi: ["NHI5", "NHI6"], agentic: ["ASI03"], maestro: ["L4", "L6"], csf: ["PR.AA-05"] },
  enforcementLevel: "mandatory",
  severity: "critical",
  unknownDefault: "fail",
  configSchema: {
    properties: {
      basicRoles: {
        type: "array",
        items: { type: "string" },
        default: ["roles/owner", "roles/editor", "roles/viewer"],
        description: "Roles treated as basic (never granted).",
      },
      privilegedRoles: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_PRIVILEGED_ROLES,
        description: "Impersonation and IAM-admin roles that must not be granted at project/folder/organisation level to service accounts or federated principals.",
      },
      allowPublicRoles: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Roles that may be granted to allUsers/allAuthenticatedUsers (e.g. roles/storage.objectViewer for a public website bucket).",
      },
    },
  },
  resourceTypes: [...GCP_IAM_TYPES],
  checkResource(r, ctx): Finding[] {
    const grants = grantsOf(r.props);
    if (!Array.isArray(grants)) return [grants];
    const c = ctx.config;
    const hierarchy = GCP_HIERARCHY_IAM_TYPES.has(r.type);
    const level = r.type.split(":")[1].split("/")[0];
    const out: Finding[] = [];
    for (const g of grants) {
      if (c.basicRoles.includes(g.role)) {
        out.push({
          message: `must not grant a basic role; got ${g.role} to ${g.member}`,
          path: g.path,
          value: g.role,
          fix: "replace the basic role with predefined roles that cover only what the workload does",
          key: `basic-role:${g.role}`,
        });
      }
      if ((g.member === "allUsers" || g.member === "allAuthenticatedUsers") && !c.allowPublicRoles.includes(g.role)) {
        out.push({
          message: `must not grant to ${g.member}; got ${g.role} for ${g.member}`,
          path: g.path,
          value: g.member,
          fix: "grant to specific principals; if the resource is meant to be public, list the role in allowPublicRoles",
          key: `public:${g.member}`,
        });
      }
      if (isWholePool(g.member)) {
        out.push({
          message: `must not grant to every identity of a pool; got ${g.role} for ${g.member}`,
          path: g.path,
          value: g.member,
          fix: "grant to principal://…/subject/SUBJECT or principalSet://…/attribute.repository_id/ID instead of /*",
          key: "whole-pool",
        });
      }
      const k8s = kubernetesScopeMember(g.member);
      if (k8s) {
        out.push({
          message: `must not grant to every pod of a Kubernetes ${k8s.scope}; got ${g.role} for ${g.member} (${k8s.scope === "namespace" ? `namespace ${k8s.value}, any service account, any cluster of the fleet` : `cluster ${k8s.value}, any namespace and service account`})`,
          path: g.path,
          value: g.member,
          fix: "grant to one Kubernetes service account: principal://iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/PROJECT.svc.id.goog/subject/ns/NAMESPACE/sa/KSA",
          key: `whole-${k8s.scope}`,
        });
      }
      const namespace = defaultServiceAccountMember(g.member);
      if (namespace !== undefined) {
        out.push({
          message: `must not grant to a namespace's default Kubernetes service account; got ${g.role} for ${g.member}, which every pod of namespace ${namespace} that names no service account runs as`,
          path: g.path,
          value: g.member,
          fix: `create a Kubernetes service account for the workload in ${namespace}, run it as that account, and grant to that account's principal`,
          key: `default-service-account:${g.member}`,
        });
      }
      if (hierarchy && c.privilegedRoles.includes(g.role) && FEDERATED_OR_SA.test(g.member)) {
        out.push({
          message: `must not grant ${g.role} at ${level} level to a workload identity; got it for ${g.member}${g.conditional ? " (a condition does not narrow which service accounts it reaches)" : ""}`,
          path: g.path,
          value: g.role,
          fix: `grant ${g.role} on the one service account that needs it (gcp.serviceaccount.IAMMember), not on the ${level === "projects" ? "project" : level === "folder" ? "folder" : "organisation"}`,
          key: `hierarchy-privileged-role:${g.role}`,
        });
      }
    }
    return out;
  },
});
