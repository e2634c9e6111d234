/**
 * Static, long-lived credentials: AWS access keys and console passwords, GCP service account keys,
 * writable GitHub deploy keys, and cloud keys stored as GitHub secrets (Actions, Dependabot,
 * Codespaces; repository, environment or organisation). Identifiers (a role ARN, a workload
 * identity provider name, a service account email) are fine as secrets: only names that carry key
 * material match.
 */
import { resourceRule } from "../rule";
import { globMatch } from "../config";
import type { Finding } from "../../core/findings";

interface Config {
  secretNamePatterns: string[];
  extraSecretNamePatterns: string[];
  allowedSecretNames: string[];
}

const T = {
  accessKey: "aws:iam/accessKey:AccessKey",
  loginProfile: "aws:iam/userLoginProfile:UserLoginProfile",
  saKey: "gcp:serviceaccount/key:Key",
  deployKey: "github:index/repositoryDeployKey:RepositoryDeployKey",
} as const;

/** Every GitHub secret resource with a `secretName` (checked against the 6.15.0 type tokens). */
export const GITHUB_SECRET_TYPES = [
  "github:index/actionsSecret:ActionsSecret",
  "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret",
  "github:index/actionsOrganizationSecret:ActionsOrganizationSecret",
  "github:index/dependabotSecret:DependabotSecret",
  "github:index/dependabotOrganizationSecret:DependabotOrganizationSecret",
  "github:index/codespacesSecret:CodespacesSecret",
  "github:index/codespacesOrganizationSecret:CodespacesOrganizationSecret",
  "github:index/codespacesUserSecret:CodespacesUserSecret",
] as const;

/** Secret names that hold cloud key material (globs, case-insensitive). */
export const DEFAULT_SECRET_NAME_PATTERNS = [
  "*AWS_SECRET_ACCESS_KEY*",
  "*AWS_ACCESS_KEY_ID*",
  "*AWS_SESSION_TOKEN*",
  "*AWS_SECRET_KEY*",
  "*GOOGLE_CREDENTIALS*",
  "*GOOGLE_APPLICATION_CREDENTIALS*",
  "*GCP_CREDENTIALS*",
  "*GCLOUD_SERVICE_KEY*",
  "*GCP_SA_KEY*",
  "*_SA_KEY",
  "*_SA_KEY_*",
  "*SERVICE_ACCOUNT_KEY*",
  "*SERVICE_ACCOUNT_JSON*",
  "*AZURE_CLIENT_SECRET*",
  "*ARM_CLIENT_SECRET*",
  "*AZURE_CREDENTIALS*",
  "*AZURE_CLIENT_CERTIFICATE*",
  "*ARM_ACCESS_KEY*",
  "*AZURE_STORAGE_KEY*",
];

/** JSON of a prop read only for the message: a preview unknown must not turn a certain finding into an "unknown" outcome. */
function shown(ctx: { peek<T>(fn: () => T): T | undefined }, read: () => unknown): string {
  const box = ctx.peek(() => ({ v: read() }));
  return box ? String(JSON.stringify(box.v)) : "(unknown at preview)";
}

function matchesAny(patterns: readonly string[], name: string): string | undefined {
  const upper = name.toUpperCase();
  return patterns.find((p) => globMatch(p.toUpperCase(), upper));
}

export default resourceRule<Config>({
  id: "no-static-credentials",
  title: "Ensure no static cloud credentials are created or stored as CI secrets",
  description:
    "Flags AWS access keys and console passwords, GCP service account keys, writable GitHub deploy keys, and GitHub " +
    "Actions/Dependabot/Codespaces secrets whose names carry cloud key material.",
  rationale:
    "A static key never expires, is copied into CI logs, caches and forks, and works from anywhere; a workload (an AI " +
    "assistant most of all) should federate with short-lived OIDC tokens instead",
  remediation:
    "Delete the key and federate: an IAM role trusted through the CI's OIDC issuer (AWS), Workload Identity Federation " +
    "(GCP), a read-only deploy key or a GitHub App token (GitHub). Keep only identifiers (role ARN, provider name) as CI secrets or variables.",
  standards: { nhi: ["NHI7", "NHI2", "NHI6"], agentic: ["ASI03"], maestro: ["L4"], csf: ["PR.AA-01"] },
  enforcementLevel: "mandatory",
  severity: "critical",
  unknownDefault: "fail",
  configSchema: {
    properties: {
      secretNamePatterns: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: DEFAULT_SECRET_NAME_PATTERNS,
        description: "Globs (case-insensitive) of secret names that hold cloud key material. Replaces the built-in list.",
      },
      extraSecretNamePatterns: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: [],
        description: "Globs added to secretNamePatterns.",
      },
      allowedSecretNames: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: [],
        description: "Globs of secret names that hold identifiers only and must never be flagged.",
      },
    },
  },
  resourceTypes: [T.accessKey, T.loginProfile, T.saKey, T.deployKey, ...GITHUB_SECRET_TYPES],
  checkResource(r, ctx): Finding[] {
    const p = r.props;
    switch (r.type) {
      case T.accessKey:
        return [
          {
            message: `must not create a long-lived IAM access key; got an access key for user ${shown(ctx, () => p.user)}`,
            value: ctx.peek(() => p.user),
            fix: "delete the aws.iam.AccessKey and let the workload assume a role through OIDC (AssumeRoleWithWebIdentity)",
            key: "aws-access-key",
          },
        ];
      case T.loginProfile:
        return [
          {
            message: `must not give a workload identity a console password; got a login profile for user ${shown(ctx, () => p.user)}`,
            value: ctx.peek(() => p.user),
            fix: "delete the aws.iam.UserLoginProfile; humans sign in through IAM Identity Center, workloads federate",
            key: "aws-console-password",
          },
        ];
      case T.saKey: {
        // Only an uploaded key sets publicKeyData, so an unknown one (another resource's output) is uploaded too.
        const uploaded = ctx.peek(() => typeof p.publicKeyData === "string" && p.publicKeyData.length > 0) ?? true;
        return [
          {
            message: `must not create a service account key; got ${uploaded ? "an uploaded public key" : "a Google-generated key"} for ${shown(ctx, () => p.serviceAccountId)}`,
            value: ctx.peek(() => p.serviceAccountId),
            fix: "delete the gcp.serviceaccount.Key and use Workload Identity Federation (roles/iam.workloadIdentityUser on the service account); enforce iam.managed.disableServiceAccountKeyCreation",
            key: "gcp-service-account-key",
          },
        ];
      }
      case T.deployKey:
        // The provider's default for readOnly is true; only an explicit false is writable.
        if (p.readOnly === false) {
          return [
            {
              message: `must be read-only; got readOnly: false on deploy key ${shown(ctx, () => p.title)} for ${shown(ctx, () => p.repository)}`,
              path: "readOnly",
              value: false,
              fix: "set readOnly: true, or push with a GitHub App installation token (1 hour) instead of an SSH key",
              key: "writable-deploy-key",
            },
          ];
        }
        return [];
      default: {
        const name = p.secretName;
        if (typeof name !== "string") return [];
        const c = ctx.config;
        if (matchesAny(c.allowedSecretNames, name)) return [];
        const hit = matchesAny([...c.secretNamePatterns, ...c.extraSecretNamePatterns], name);
        if (!hit) return [];
        return [
          {
            message: `must not store cloud key material as a GitHub secret; got secret ${JSON.stringify(name)} (matches ${hit})`,
            path: "secretName",
            value: name,
            fix: "federate the workflow with OIDC (aws-actions/configure-aws-credentials role-to-assume, google-github-actions/auth workload_identity_provider, azure/login client-id with federated credentials) and delete the secret",
            key: `ci-secret:${name}`,
          },
        ];
      }
    }
  },
});
