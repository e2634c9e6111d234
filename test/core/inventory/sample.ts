/**
 * A hand-written inventory shaped like what `plan` writes for a three-assistant stack. Shared by the
 * inventory, SARIF and report tests. Built fresh on each call so tests can mutate their copy.
 */
import type { Inventory } from "../../../core/inventory/schema";

export const SAMPLE_NOW = new Date("2026-11-15T12:00:00Z");

const URN = (type: string, name: string) => `urn:pulumi:dev::assistant-identities::ai:assistant:Assistant$${type}::${name}`;

export function sampleInventory(): Inventory {
  return {
    schemaVersion: "1.0.0",
    project: "assistant-identities",
    stack: "dev",
    generatedAt: "2026-11-15T11:58:07Z",
    assistants: [
      {
        name: "pr-reviewer",
        owner: { team: "platform-eng", contact: "platform-eng@example.com" },
        purpose: "Reviews pull requests and posts comments on acme/payments-api",
        environment: "dev",
        expires: "2027-03-31",
        revoked: false,
        identities: [
          {
            cloud: "aws",
            kind: "aws-iam-role",
            id: "arn:aws:iam::111122223333:role/ai-dev-pr-reviewer",
            issuer: "https://token.actions.githubusercontent.com",
            subject: "repo:acme/payments-api:environment:ai-review",
            audience: "sts.amazonaws.com",
            maxSessionSeconds: 3600,
            boundaryArn: "arn:aws:iam::111122223333:policy/ai-dev-boundary",
          },
          {
            cloud: "github",
            kind: "github-app-installation",
            id: "installation/48213377",
            issuer: "https://token.actions.githubusercontent.com",
            subject: "repo:acme/payments-api:environment:ai-review",
            audience: "https://github.com/acme",
            maxSessionSeconds: 3600,
          },
        ],
        access: [
          {
            system: "aws",
            target: "s3://acme-review-artifacts/reports/",
            resources: ["arn:aws:s3:::acme-review-artifacts/reports/*", "arn:aws:s3:::acme-review-artifacts"],
            actions: ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"],
            expires: "2027-03-31",
          },
          {
            system: "aws",
            target: "dynamodb:review-state",
            resources: ["arn:aws:dynamodb:eu-west-1:111122223333:table/review-state"],
            actions: ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"],
            expires: "2027-03-31",
          },
          {
            system: "github",
            target: "github:acme/payments-api",
            resources: ["acme/payments-api"],
            actions: ["contents:read", "pull_requests:write"],
            expires: "2027-03-31",
          },
        ],
        staticCredentials: [],
        audit: {
          toolCalls: { destination: "arn:aws:logs:eu-west-1:111122223333:log-group:/ai/dev/pr-reviewer/tool-calls", query: "fields @timestamp, tool, target | sort @timestamp desc" },
          secretAccess: { destination: "arn:aws:cloudtrail:eu-west-1:111122223333:trail/ai-dev", query: "eventName = 'GetSecretValue' and userIdentity.arn like '%ai-dev-pr-reviewer%'" },
        },
      },
      {
        name: "docs-writer",
        owner: { team: "devex", contact: "devex@example.com" },
        purpose: "Drafts documentation pages from merged changes",
        environment: "stage",
        expires: "2026-12-01",
        revoked: false,
        identities: [
          {
            cloud: "gcp",
            kind: "gcp-service-account",
            id: "ai-stage-docs-writer@acme-docs.iam.gserviceaccount.com",
            issuer: "https://token.actions.githubusercontent.com",
            subject: "repo:acme/docs:ref:refs/heads/main",
            audience: "//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/ai/providers/github",
            maxSessionSeconds: 3600,
          },
          {
            cloud: "gcp",
            kind: "gcp-wif-principal",
            id: "principal://iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/ai/subject/repo:acme/docs:ref:refs/heads/main",
            issuer: "https://token.actions.githubusercontent.com",
            subject: "repo:acme/docs:ref:refs/heads/main",
            audience: "//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/ai/providers/github",
            maxSessionSeconds: 3600,
          },
        ],
        access: [
          {
            system: "gcp",
            target: "projects/_/buckets/acme-docs-drafts",
            resources: ["projects/_/buckets/acme-docs-drafts"],
            actions: ["roles/storage.objectCreator", "roles/storage.objectViewer"],
            expires: "2026-12-01",
          },
        ],
        staticCredentials: [
          {
            id: "confluence-api-token",
            system: "confluence",
            store: "gcp-secretmanager",
            storeRef: "projects/acme-docs/secrets/confluence-api-token",
            owner: "devex@example.com",
            justification: "Confluence Cloud has no workload identity federation",
            rotationDays: 30,
            lastRotated: "2026-10-01",
            nextRotation: "2026-10-31",
            exceptionExpires: "2026-12-05",
            disabled: false,
          },
        ],
        audit: {
          toolCalls: { destination: "projects/acme-docs/logs/ai-tool-calls", query: 'logName="projects/acme-docs/logs/ai-tool-calls" AND jsonPayload.assistant="docs-writer"' },
        },
      },
      {
        name: "release-bot",
        owner: { team: "release", contact: "release@example.com" },
        purpose: "Tags releases and pushes images to ECR",
        environment: "prod",
        expires: "2027-06-30",
        revoked: true,
        revokeSessionsIssuedBefore: "2026-11-14T09:30:00Z",
        identities: [
          {
            cloud: "aws",
            kind: "aws-iam-role",
            id: "arn:aws:iam::444455556666:role/ai-prod-release-bot",
            issuer: "https://token.actions.githubusercontent.com",
            subject: "repo:acme/release:environment:production",
            audience: "sts.amazonaws.com",
            maxSessionSeconds: 900,
          },
        ],
        access: [
          {
            system: "aws",
            target: "ecr:release-images",
            resources: ["arn:aws:ecr:eu-west-1:444455556666:repository/release-images"],
            actions: ["ecr:BatchCheckLayerAvailability", "ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"],
            expires: "2027-06-30",
          },
        ],
        staticCredentials: [
          {
            id: "npm-publish-token",
            system: "npm",
            store: "aws-secretsmanager",
            storeRef: "arn:aws:secretsmanager:eu-west-1:444455556666:secret:ai/prod/release-bot/npm-AbCdEf",
            owner: "release@example.com",
            justification: "npm trusted publishing is not enabled for this scope yet",
            rotationDays: 90,
            lastRotated: "2026-09-01",
            nextRotation: "2026-11-30",
            exceptionExpires: "2027-01-31",
            disabled: false,
          },
        ],
        audit: {
          toolCalls: { destination: "arn:aws:logs:eu-west-1:444455556666:log-group:/ai/prod/release-bot/tool-calls", query: "fields @timestamp, tool | sort @timestamp desc" },
          secretAccess: { destination: "arn:aws:cloudtrail:eu-west-1:444455556666:trail/ai-prod", query: "eventName = 'GetSecretValue'" },
        },
      },
    ],
    findings: [
      {
        ruleId: "static-credential-rotation",
        title: "Static credentials are rotated on schedule",
        level: "mandatory",
        severity: "high",
        message: "must rotate confluence-api-token by its nextRotation; got nextRotation 2026-10-31, which has passed",
        resource: URN("gcp:secretmanager/secret:Secret", "ai-stage-docs-writer-confluence-api-token"),
        assistant: "docs-writer",
        path: "staticCredentials[0].nextRotation",
        key: "Credential::confluence-api-token",
        fix: "Rotate the token and record lastRotated, or disable the credential.",
        standards: ["OWASP-NHI7", "MAESTRO-L4", "NIST-CSF-PR.AA-01"],
        location: { file: "stacks/Pulumi.dev.yaml", line: 42 },
      },
      {
        ruleId: "assistant-audit-logs",
        title: "Assistants log tool calls and secret access",
        level: "advisory",
        severity: "medium",
        message: "must send secret-access events to a log sink; got none for docs-writer",
        resource: URN("ai:assistant:Assistant", "docs-writer"),
        assistant: "docs-writer",
        fix: "Add audit.secretAccess with the trail or log bucket that records Secret Manager access.",
        standards: ["OWASP-ASI10", "MAESTRO-L5", "NIST-CSF-DE.CM-03", "NIST-CSF-PR.PS-04"],
        location: { file: "stacks/Pulumi.dev.yaml", line: 31 },
      },
      {
        ruleId: "aws-trust-subject-pinned",
        title: "Trust policies pin the exact OIDC subject",
        level: "mandatory",
        severity: "critical",
        message: 'must pin token.actions.githubusercontent.com:sub with StringEquals; got StringLike "repo:acme/*"',
        resource: "urn:pulumi:dev::assistant-identities::aws:iam/role:Role::imported-legacy-role",
        path: 'AssumeRolePolicyDocument.Statement[0].Condition.StringLike["token.actions.githubusercontent.com:sub"]',
        fix: "Replace StringLike with StringEquals and the exact subject of one repository and environment.",
        standards: ["OWASP-NHI5", "OWASP-ASI03", "MAESTRO-L4", "NIST-CSF-PR.AA-05"],
      },
      {
        ruleId: "session-duration",
        title: "Sessions are short",
        level: "advisory",
        severity: "low",
        message: "must keep sessions at or under 3600 seconds; got 3600 (the maximum), consider 900",
        resource: URN("aws:iam/role:Role", "ai-dev-pr-reviewer"),
        assistant: "pr-reviewer",
        path: "maxSessionDuration",
        fix: "Lower maxSessionSeconds to the length of one review job.",
        standards: ["OWASP-NHI7", "MAESTRO-L4"],
        location: { file: "stacks/Pulumi.dev.yaml", line: 12 },
      },
    ],
  };
}
