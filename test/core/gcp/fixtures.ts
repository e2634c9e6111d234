/** Shared spec fragments for the GCP and GitHub core tests (parsed, so defaults apply). */
import { GithubActionsSource, GitlabCiSource, KubernetesSource, SpiffeSource, OidcSource } from "../../../core/spec/schema";
import { GcpAccess, GcpPlatform, type GcpAccessInput } from "../../../core/spec/gcp";
import type { GcpAssistantInput, GcpStackInput } from "../../../core/gcp/plan";

export const gh = (o: Record<string, unknown> = {}) =>
  GithubActionsSource.parse({ kind: "github-actions", repository: "acme/payments-api", ownerId: 1001, repositoryId: 2002, environment: "prod", ...o });
export const gitlab = (o: Record<string, unknown> = {}) => GitlabCiSource.parse({ kind: "gitlab-ci", projectPath: "platform/agents", ref: "main", ...o });
export const k8s = (o: Record<string, unknown> = {}) =>
  KubernetesSource.parse({ kind: "kubernetes", issuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC123", namespace: "agents", serviceAccount: "pr-reviewer", ...o });
export const spiffe = (o: Record<string, unknown> = {}) =>
  SpiffeSource.parse({ kind: "spiffe", issuer: "https://spire.example.com", spiffeId: "spiffe://example.org/ns/agents/sa/reviewer", audience: "gcp", ...o });
export const oidc = (o: Record<string, unknown> = {}) => OidcSource.parse({ kind: "oidc", issuer: "https://idp.example.com", subject: "agent-7", audience: "gcp", ...o });

export const platform = (o: Record<string, unknown> = {}) => GcpPlatform.parse({ projectId: "acme-agents-prod", projectNumber: "123456789012", ...o });
export const stack = (o: Record<string, unknown> = {}): GcpStackInput => ({ namePrefix: "ai", stack: "prod", gcp: platform(o) });

export const assistant = (o: Partial<Omit<GcpAssistantInput, "gcp">> & { gcp?: GcpAccessInput } = {}): GcpAssistantInput => ({
  name: "pr-reviewer",
  environment: "prod",
  expires: "2027-03-01",
  revoked: false,
  source: gh(),
  ...o,
  gcp: GcpAccess.parse(o.gcp ?? { grants: [{ kind: "storage-bucket-read", bucket: "acme-reports", prefix: "weekly/" }] }),
});
