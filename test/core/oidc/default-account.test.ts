/**
 * A namespace's `default` Kubernetes service account is one subject but not one workload: the same
 * core function refuses it in the spec (SPIFFE and generic OIDC sources; the Kubernetes source's own
 * field is refused by the schema) and reports it in any trust policy (core/iam trust analysis, used
 * by aws-iam-trust-pinned).
 */
import { defaultServiceAccountNamespace, KUBERNETES_DEFAULT_SERVICE_ACCOUNT } from "../../../core/oidc/subjects";
import { analyzeTrustPolicy } from "../../../core/iam";
import { validateSpec } from "../../../core/spec";
import { validAssistant, validSpec } from "../../support/spec";
// Imported here, not inside the test: loading the rule modules inside a test makes their module-level
// definitions count as covered by it (see docs/proofs.md, "Module-level code").
import { runPolicies } from "../../../policies/harness";
import { policies } from "../../../policies/list";

describe("defaultServiceAccountNamespace", () => {
  test.each([
    ["system:serviceaccount:agents:default", "agents"],
    ["system:serviceaccount:kube-system:default", "kube-system"],
    ["spiffe://example.org/ns/agents/sa/default", "agents"],
    ["SPIFFE://example.org/ns/tools/sa/default", "tools"],
    ["system:serviceaccount:agents:claude", undefined],
    ["system:serviceaccount:agents:default-reviewer", undefined],
    ["system:serviceaccount:agents:Default", undefined],
    ["system:serviceaccount:default:claude", undefined],
    ["system:serviceaccount:agents:default:extra", undefined],
    ["system:serviceaccounts:agents", undefined],
    ["spiffe://example.org/ns/agents/sa/claude", undefined],
    ["spiffe://example.org/ns/agents/sa/default/extra", undefined],
    ["spiffe://example.org/agents/default", undefined],
    ["repo:acme/default:ref:refs/heads/main", undefined],
    ["default", undefined],
    ["x-system:serviceaccount:agents:default", undefined],
    ["repo:acme/app:spiffe://example.org/ns/agents/sa/default", undefined],
  ])("%s → %p", (subject, expected) => expect(defaultServiceAccountNamespace(subject)).toBe(expected));

  test("the name is Kubernetes' own", () => expect(KUBERNETES_DEFAULT_SERVICE_ACCOUNT).toBe("default"));
});

const EKS = "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789";
const trust = (condition: Record<string, Record<string, unknown>>) => ({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${EKS}` },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { [`${EKS}:aud`]: "sts.amazonaws.com" }, ...condition },
    },
  ],
});

describe("trust analysis: default-service-account", () => {
  test("an exact default subject is one high finding with the path, value, message and fix", () => {
    const found = analyzeTrustPolicy(trust({ StringLike: { [`${EKS}:sub`]: ["system:serviceaccount:agents:claude", "system:serviceaccount:agents:default"] } }));
    const path = `Statement[0].Condition["StringLike"]["${EKS}:sub"][1]`;
    expect(found).toEqual([
      {
        category: "default-service-account",
        severity: "high",
        path,
        value: "system:serviceaccount:agents:default",
        key: "default-service-account::system:serviceaccount:agents:default",
        message: `${path} must name the workload's own service account; got "system:serviceaccount:agents:default", the default service account of namespace "agents", which every pod there that names no service account runs as`,
        fix: "Create a service account for this workload in agents, run the workload as it (serviceAccountName), and trust that account's subject instead.",
      },
    ]);
  });

  test("a negative condition naming the default account is not a trust of it", () => {
    const found = analyzeTrustPolicy(trust({ StringEquals: { [`${EKS}:aud`]: "sts.amazonaws.com", [`${EKS}:sub`]: "system:serviceaccount:agents:claude" }, StringNotEquals: { [`${EKS}:sub`]: "system:serviceaccount:agents:default" } }));
    expect(found).toEqual([]);
  });

  test("a Deny statement is not judged", () => {
    const doc = trust({ StringLike: { [`${EKS}:sub`]: "system:serviceaccount:agents:default" } });
    doc.Statement[0].Effect = "Deny";
    expect(analyzeTrustPolicy(doc)).toEqual([]);
  });
});

describe("spec: SPIFFE and OIDC sources may not name a default service account", () => {
  const withSource = (source: Record<string, unknown>) => validateSpec(validSpec([validAssistant({ source })]), { now: new Date("2026-11-29T00:00:00Z") });

  test("a SPIFFE ID of SPIRE's Kubernetes attestor for the default account", () => {
    const { spec, errors } = withSource({ kind: "spiffe", issuer: "https://spire.acme.example", spiffeId: "spiffe://acme.example/ns/agents/sa/default", audience: "sts.amazonaws.com" });
    expect(spec).toBeUndefined();
    expect(errors).toEqual([
      {
        path: "assistants[0].source.spiffeId",
        message:
          'expected the assistant\'s own service account, not the default one of namespace "agents" (every pod there that names no service account runs as it): create a service account for the assistant and use its SPIFFE ID',
      },
    ]);
  });

  test("a generic OIDC subject in the service-account token's form", () => {
    const { errors } = withSource({ kind: "oidc", issuer: "https://k8s.acme.example", subject: "system:serviceaccount:tools:default", audience: "sts.amazonaws.com" });
    expect(errors).toEqual([
      {
        path: "assistants[0].source.subject",
        message:
          'expected the assistant\'s own service account, not the default one of namespace "tools" (every pod there that names no service account runs as it): create a service account for the assistant and use its subject',
      },
    ]);
  });

  test("the assistant's own account passes", () => {
    expect(withSource({ kind: "spiffe", issuer: "https://spire.acme.example", spiffeId: "spiffe://acme.example/ns/agents/sa/claude", audience: "sts.amazonaws.com" }).errors).toEqual([]);
    expect(withSource({ kind: "oidc", issuer: "https://k8s.acme.example", subject: "system:serviceaccount:tools:claude", audience: "sts.amazonaws.com" }).errors).toEqual([]);
  });
});

describe("defaultServiceAccountMember (GCP IAM members)", () => {
  // Loaded here: core/gcp/provider is not needed by the other groups.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { defaultServiceAccountMember } = require("../../../core/gcp/provider") as typeof import("../../../core/gcp/provider");
  const POOLS = "principal://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools";
  test.each([
    ["serviceAccount:p.svc.id.goog[agents/default]", "agents"],
    ["serviceAccount:acme-prod.svc.id.goog[kube-system/default]", "kube-system"],
    ["serviceAccount:p.svc.id.goog[agents/claude]", undefined],
    ["serviceAccount:p.svc.id.goog[agents/default-sa]", undefined],
    ["serviceAccount:ai@p.iam.gserviceaccount.com", undefined],
    ["serviceAccount:default@p.iam.gserviceaccount.com", undefined],
    [`${POOLS}/p.svc.id.goog/subject/ns/agents/sa/default`, "agents"],
    [`${POOLS}/p.svc.id.goog/subject/ns/agents/sa/claude`, undefined],
    [`${POOLS}/ai-assistants/subject/ns/agents/sa/default`, undefined],
    [`${POOLS}/ai-assistants/subject/system:serviceaccount:tools:default`, "tools"],
    [`${POOLS}/ai-assistants/subject/system:serviceaccount:tools:claude`, undefined],
    [`${POOLS}/spire/subject/spiffe://acme.example/ns/agents/sa/default`, "agents"],
    [`${POOLS}/ai-assistants/subject/repo:acme/default:ref:refs/heads/main`, undefined],
    ["principalSet://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/p.svc.id.goog/namespace/agents", undefined],
    ["allUsers", undefined],
  ])("%s → %p", (member, expected) => expect(defaultServiceAccountMember(member)).toBe(expected));
});

describe("kubernetesScopeMember (GKE principal sets over a namespace or a cluster)", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { kubernetesScopeMember, isBroadMember } = require("../../../core/gcp/provider") as typeof import("../../../core/gcp/provider");
  const POOLS = "principalSet://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools";
  const CLUSTER = "https://container.googleapis.com/v1/projects/acme-prod/locations/europe-west1/clusters/agents";
  test.each([
    [`${POOLS}/acme-prod.svc.id.goog/namespace/agents`, { scope: "namespace", value: "agents" }],
    [`${POOLS}/acme-prod.svc.id.goog/kubernetes.cluster/${CLUSTER}`, { scope: "cluster", value: CLUSTER }],
    [`${POOLS}/acme-prod.svc.id.goog/kubernetes.serviceaccount.uid/4a8f2c1e`, undefined],
    [`${POOLS}/ai-assistants/namespace/agents`, undefined],
    [`${POOLS}/ai-assistants/attribute.repository_id/2002`, undefined],
    ["principal://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/acme-prod.svc.id.goog/subject/ns/agents/sa/claude", undefined],
    ["serviceAccount:acme-prod.svc.id.goog[agents/claude]", undefined],
  ])("%s → %p", (member, expected) => expect(kubernetesScopeMember(member)).toEqual(expected));

  test("a namespace or cluster set is a broad member (the components refuse to bind one); one service account is not", () => {
    expect(isBroadMember(`${POOLS}/acme-prod.svc.id.goog/namespace/agents`)).toBe(true);
    expect(isBroadMember(`${POOLS}/acme-prod.svc.id.goog/kubernetes.cluster/${CLUSTER}`)).toBe(true);
    expect(isBroadMember(`${POOLS}/acme-prod.svc.id.goog/kubernetes.serviceaccount.uid/4a8f2c1e`)).toBe(false);
  });
});

describe("gcp-iam-least-privilege messages for Kubernetes members", () => {
  test("whole namespace, whole cluster and default service account: full message and fix", async () => {
    const NS = "principalSet://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/acme-prod.svc.id.goog/namespace/agents";
    const GKE_DEFAULT = "serviceAccount:acme-prod.svc.id.goog[agents/default]";
    const found = (await runPolicies(policies, [{ type: "gcp:storage/bucketIAMBinding:BucketIAMBinding", name: "b", props: { bucket: "x", role: "roles/storage.objectViewer", members: [NS, GKE_DEFAULT] } }], { now: new Date("2026-11-29T12:00:00Z") }))
      .filter((v) => v.ruleId === "gcp-iam-least-privilege")
      .map((v) => v.finding);
    expect(found).toEqual([
      {
        message: `must not grant to every pod of a Kubernetes namespace; got roles/storage.objectViewer for ${NS} (namespace agents, any service account, any cluster of the fleet)`,
        path: "members[0]",
        value: NS,
        fix: "grant to one Kubernetes service account: principal://iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/PROJECT.svc.id.goog/subject/ns/NAMESPACE/sa/KSA",
        key: "whole-namespace",
      },
      {
        message: `must not grant to a namespace's default Kubernetes service account; got roles/storage.objectViewer for ${GKE_DEFAULT}, which every pod of namespace agents that names no service account runs as`,
        path: "members[1]",
        value: GKE_DEFAULT,
        fix: "create a Kubernetes service account for the workload in agents, run it as that account, and grant to that account's principal",
        key: `default-service-account:${GKE_DEFAULT}`,
      },
    ]);
  });
});
