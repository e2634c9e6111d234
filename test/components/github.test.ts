/** AssistantGithubAccess under Pulumi's mocks: exact inputs, agreement at construction, kill switch. */
import * as pulumi from "@pulumi/pulumi";
import { recordingMocks, resolve, settle, one, type Rec } from "./gcp-mocks";
import { gh, gitlab } from "../core/gcp/fixtures";
import { GithubAccess } from "../../core/spec/github";
import { awsFederation } from "../../core/oidc/subjects";
import { conditionClause, principal, googleSubject } from "../../core/gcp/provider";
import type { GithubPlanInput } from "../../core/github/plan";
import type { AssistantGithubAccessArgs } from "../../components/github";

let records: Rec[];
let out: Record<string, unknown>;
const KEYS = ["repository_owner_id", "repository_id", "environment"] as const;
const TEMPLATE_SUBJECT = "repository_owner_id:1001:repository_id:2002:environment:ai-review-prod";
const ROLE_ARN = "arn:aws:iam::111122223333:role/assistants/ai-pr-reviewer-prod";
const PROVIDER = "projects/123456789012/locations/global/workloadIdentityPools/ai-prod/providers/github";

function args(a: GithubPlanInput, o: Partial<AssistantGithubAccessArgs> = {}): AssistantGithubAccessArgs {
  const src = a.source.kind === "github-actions" ? a.source : undefined;
  return {
    assistant: a,
    namePrefix: "ai",
    ...(src
      ? {
          aws: { roleArn: pulumi.output(ROLE_ARN), trustedSubjects: [awsFederation(src).subject], extraClaims: awsFederation(src).extraClaims },
          gcp: {
            providerName: PROVIDER,
            serviceAccountEmail: "ai-pr-reviewer-prod@acme-agents-prod.iam.gserviceaccount.com",
            attributeCondition: conditionClause(src, a.github),
            principal: principal("123456789012", "ai-prod", googleSubject(src)),
          },
        }
      : {}),
    ...o,
  };
}

const reviewer: GithubPlanInput = {
  name: "pr-reviewer",
  environment: "prod",
  revoked: false,
  source: gh({ environment: "ai-review-prod", subjectClaims: [...KEYS] }),
  github: GithubAccess.parse({
    app: { appId: 11, installationId: 22, repositories: ["payments-api", "docs"] },
    environment: { name: "ai-review-prod", branches: ["main", "release/*"], reviewers: { teams: [77] }, waitTimerMinutes: 5 },
    subjectTemplate: { includeClaimKeys: [...KEYS] },
  }),
};
const pusher: GithubPlanInput = {
  name: "doc-bot",
  environment: "prod",
  revoked: false,
  source: gh({ environment: undefined, branch: "main" }),
  github: GithubAccess.parse({ collaborator: { username: "acme-doc-bot", permission: "push", repositories: ["docs"] }, ruleset: { requiredApprovals: 2, requireCodeOwnerReview: true } }),
};
const revoked: GithubPlanInput = {
  ...reviewer,
  name: "old-bot",
  revoked: true,
  source: gh({ environment: "ai-old" }),
  github: GithubAccess.parse({ collaborator: { username: "acme-old-bot", permission: "pull", repositories: ["payments-api"] }, environment: { name: "ai-old", branches: "protected" } }),
};

beforeAll(async () => {
  records = await recordingMocks();
  const { AssistantGithubAccess } = await import("../../components/github");
  const r = new AssistantGithubAccess("ai-pr-reviewer-prod-github", args(reviewer));
  const p = new AssistantGithubAccess("ai-doc-bot-prod-github", args(pusher, { gcp: undefined }));
  const o = new AssistantGithubAccess("ai-old-bot-prod-github", args(revoked));
  out = {
    subject: await resolve(r.subject),
    env: await resolve(r.environmentName),
    repos: await resolve(r.repositories),
    pusherRepos: await resolve(p.repositories),
    oldRevoked: await resolve(o.revoked),
    oldRepos: await resolve(o.repositories),
  };
  await settle();
});

const N = "ai-pr-reviewer-prod-github";

describe("AssistantGithubAccess", () => {
  test("subject template: use_default false, immutable keys first", () => {
    expect(one(records, "github:index/actionsRepositoryOidcSubjectClaimCustomizationTemplate:ActionsRepositoryOidcSubjectClaimCustomizationTemplate", `${N}-oidc-template`).inputs).toEqual({
      repository: "payments-api",
      useDefault: false,
      includeClaimKeys: ["repository_owner_id", "repository_id", "environment"],
    });
  });

  test("environment: custom branch policy, reviewers, no admin bypass", () => {
    const env = one(records, "github:index/repositoryEnvironment:RepositoryEnvironment", `${N}-environment`);
    expect(env.inputs).toEqual({
      repository: "payments-api",
      environment: "ai-review-prod",
      preventSelfReview: true,
      canAdminsBypass: false,
      waitTimer: 5,
      reviewers: [{ users: [], teams: [77] }],
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    });
    expect(one(records, "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy", `${N}-branch-0`).inputs).toEqual({ repository: "payments-api", environment: "ai-review-prod", branchPattern: "main" });
    const p1 = one(records, "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy", `${N}-branch-1`);
    expect(p1.inputs).toEqual({ repository: "payments-api", environment: "ai-review-prod", branchPattern: "release/*" });
    expect(p1.dependencies).toContain(env.urn);
  });

  test("environment variables, not secrets: role ARN, provider, service account", () => {
    const vars = records.filter((r) => r.type === "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable" && r.name.startsWith(N));
    expect(vars.map((v) => v.inputs).sort((x, y) => x.variableName.localeCompare(y.variableName))).toEqual([
      { repository: "payments-api", environment: "ai-review-prod", variableName: "AWS_ROLE_ARN", value: ROLE_ARN },
      { repository: "payments-api", environment: "ai-review-prod", variableName: "GCP_SERVICE_ACCOUNT", value: "ai-pr-reviewer-prod@acme-agents-prod.iam.gserviceaccount.com" },
      { repository: "payments-api", environment: "ai-review-prod", variableName: "GCP_WORKLOAD_IDENTITY_PROVIDER", value: PROVIDER },
    ]);
    expect(records.filter((r) => /actionsSecret|ActionsSecret/.test(r.type))).toEqual([]);
  });

  test("App installation scoped to exactly the listed repositories", () => {
    expect(one(records, "github:index/appInstallationRepositories:AppInstallationRepositories", `${N}-app-repositories`).inputs).toEqual({ installationId: "22", selectedRepositories: ["docs", "payments-api"] });
  });

  test("rulesets keep each writable default branch behind a review nobody bypasses", () => {
    const rs = records.filter((r) => r.type === "github:index/repositoryRuleset:RepositoryRuleset" && r.name.startsWith(N));
    expect(rs.map((r) => r.inputs.repository)).toEqual(["docs", "payments-api"]);
    expect(rs[0]!.inputs).toEqual({
      repository: "docs",
      name: "ai-pr-reviewer-prod-default-branch",
      target: "branch",
      enforcement: "active",
      bypassActors: [],
      conditions: { refName: { includes: ["~DEFAULT_BRANCH"], excludes: [] } },
      rules: {
        deletion: true,
        nonFastForward: true,
        pullRequest: { requiredApprovingReviewCount: 1, dismissStaleReviewsOnPush: true, requireCodeOwnerReview: false, requireLastPushApproval: true, requiredReviewThreadResolution: false },
      },
    });
  });

  test("collaborator with push: one collaborator per repository, repository-wide prefixed variables (no environment), ruleset with its settings", () => {
    expect(one(records, "github:index/repositoryCollaborator:RepositoryCollaborator", "ai-doc-bot-prod-github-collaborator-docs").inputs).toEqual({ repository: "docs", username: "acme-doc-bot", permission: "push" });
    expect(one(records, "github:index/actionsVariable:ActionsVariable", "ai-doc-bot-prod-github-var-doc_bot_aws_role_arn").inputs).toEqual({ repository: "payments-api", variableName: "DOC_BOT_AWS_ROLE_ARN", value: ROLE_ARN });
    expect(records.filter((r) => r.name.startsWith("ai-doc-bot-prod-github-var-gcp"))).toEqual([]);
    expect(one(records, "github:index/repositoryRuleset:RepositoryRuleset", "ai-doc-bot-prod-github-ruleset-docs").inputs.rules.pullRequest).toMatchObject({ requiredApprovingReviewCount: 2, requireCodeOwnerReview: true });
  });

  test("kill switch: access removed, environment blocked, variables removed", () => {
    const old = records.filter((r) => r.name.startsWith("ai-old-bot-prod-github-") && r.type.startsWith("github:"));
    expect(old.map((r) => r.type)).toEqual(["github:index/repositoryEnvironment:RepositoryEnvironment"]);
    expect(old[0]!.inputs.deploymentBranchPolicy).toEqual({ protectedBranches: false, customBranchPolicies: true });
    expect(out).toMatchObject({ oldRevoked: true, oldRepos: [] });
  });

  test("outputs and parents", () => {
    expect(out).toMatchObject({ subject: TEMPLATE_SUBJECT, env: "ai-review-prod", repos: ["docs", "payments-api"], pusherRepos: ["docs"] });
    const comps = records.filter((r) => r.type === "assistant-identities:github:AssistantGithubAccess");
    expect(comps).toHaveLength(3);
    for (const r of records.filter((x) => x.type.startsWith("github:"))) expect(r.parent).toBe(comps.find((c) => r.name.startsWith(`${c.name}-`))!.urn);
  });

  test("construction fails when GitHub, AWS and GCP disagree, saying which side to fix", async () => {
    const { AssistantGithubAccess } = await import("../../components/github");
    const before = records.length;
    // AWS built for the default subject while the stack manages a custom template
    const wrongAws = args(reviewer);
    wrongAws.aws = { ...wrongAws.aws!, trustedSubjects: ["repo:acme/payments-api:environment:ai-review-prod"] };
    expect(() => new AssistantGithubAccess("bad-aws", wrongAws)).toThrow(/^\[aws\] AWS must trust the subject GitHub will issue, "repository_owner_id:1001:repository_id:2002:environment:ai-review-prod"/);
    // the spec's environment is not the one the stack creates
    const drift: GithubPlanInput = { ...reviewer, github: GithubAccess.parse({ ...reviewer.github, environment: { name: "production", branches: "protected" } }) };
    expect(() => new AssistantGithubAccess("bad-env", args(drift, { gcp: args(reviewer).gcp }))).toThrow(/\[spec\] source.environment must equal github.environment.name/);
    // environment/template on a non-GitHub source
    const lab: GithubPlanInput = { name: "lab", environment: "prod", revoked: false, source: gitlab(), github: GithubAccess.parse({ environment: { name: "x", branches: "protected" } }) };
    expect(() => new AssistantGithubAccess("bad-src", args(lab))).toThrow(/need a github-actions source/);
    await settle();
    expect(records.slice(before).filter((r) => r.type.startsWith("github:"))).toEqual([]);
  });
});
