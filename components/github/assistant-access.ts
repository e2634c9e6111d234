import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { githubPlan, type GithubAssistantPlan, type GithubPlanInput, type GithubVariableSource } from "../../core/github/plan";
import { assertAgreement } from "../../core/github/agreement";

export interface AssistantGithubAccessArgs {
  assistant: GithubPlanInput;
  namePrefix: string;
  /** The assistant's AWS role: its ARN goes into an Actions variable; its trusted subjects are checked for agreement. */
  aws?: { roleArn: pulumi.Input<string>; trustedSubjects: string[]; subjectIsPattern?: boolean; extraClaims?: Record<string, string> };
  /** The assistant's GCP identity: provider and service account go into variables; condition and principal are checked for agreement. */
  gcp?: { providerName: string; serviceAccountEmail?: string; attributeCondition: string; principal: string };
}

/**
 * What the stack manages on GitHub for one assistant: the repository's OIDC subject template, a
 * deployment environment (branch policy, reviewers), Actions variables (never secrets), the
 * assistant's own access (App installation repositories or a collaborator) and default-branch
 * rulesets it cannot bypass. Construction first checks that the subject GitHub will issue is the
 * one AWS trusts and GCP admits (core/github/agreement.ts). Kill switch: access removed, the
 * environment blocked (no branch may deploy), variables removed.
 */
export class AssistantGithubAccess extends pulumi.ComponentResource {
  public readonly plan: GithubAssistantPlan;
  /** The subject GitHub will issue (github-actions sources). */
  public readonly subject: pulumi.Output<string | undefined>;
  public readonly environmentName: pulumi.Output<string | undefined>;
  public readonly repositories: pulumi.Output<string[]>;
  public readonly revoked: pulumi.Output<boolean>;

  constructor(name: string, args: AssistantGithubAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("assistant-identities:github:AssistantGithubAccess", name, {}, opts);
    const a = args.assistant;
    let subject: string | undefined;
    if (a.source.kind === "github-actions") {
      subject = assertAgreement({
        source: a.source,
        github: a.github,
        aws: args.aws && { trustedSubjects: args.aws.trustedSubjects, subjectIsPattern: args.aws.subjectIsPattern, extraClaims: args.aws.extraClaims },
        gcp: args.gcp && { attributeCondition: args.gcp.attributeCondition, principal: args.gcp.principal },
      });
    }
    const p = (this.plan = githubPlan(a, { namePrefix: args.namePrefix, hasAws: !!args.aws, hasGcp: !!args.gcp, gcpServiceAccount: !!args.gcp?.serviceAccountEmail }));
    const o = { parent: this };

    let template: github.ActionsRepositoryOidcSubjectClaimCustomizationTemplate | undefined;
    if (p.subjectTemplate) {
      template = new github.ActionsRepositoryOidcSubjectClaimCustomizationTemplate(
        `${name}-oidc-template`,
        { repository: p.subjectTemplate.repository, useDefault: false, includeClaimKeys: p.subjectTemplate.includeClaimKeys },
        o,
      );
    }

    let env: github.RepositoryEnvironment | undefined;
    if (p.environment) {
      const e = p.environment;
      env = new github.RepositoryEnvironment(
        `${name}-environment`,
        {
          repository: e.repository,
          environment: e.environment,
          preventSelfReview: e.preventSelfReview,
          canAdminsBypass: e.canAdminsBypass,
          ...(e.waitTimer !== undefined ? { waitTimer: e.waitTimer } : {}),
          ...(e.reviewers.length > 0 ? { reviewers: e.reviewers } : {}),
          deploymentBranchPolicy: e.deploymentBranchPolicy,
        },
        { ...o, dependsOn: template ? [template] : [] },
      );
      e.branchPatterns.forEach((pattern, i) => {
        new github.RepositoryEnvironmentDeploymentPolicy(`${name}-branch-${i}`, { repository: e.repository, environment: e.environment, branchPattern: pattern }, { ...o, dependsOn: [env!] });
      });
    }

    const values: Record<GithubVariableSource, pulumi.Input<string> | undefined> = {
      "aws-role-arn": args.aws?.roleArn,
      "gcp-workload-identity-provider": args.gcp?.providerName,
      "gcp-service-account": args.gcp?.serviceAccountEmail,
    };
    for (const v of p.variables) {
      const value = values[v.from]!;
      if (v.scope === "environment") {
        new github.ActionsEnvironmentVariable(`${name}-var-${v.name.toLowerCase()}`, { repository: p.repository!, environment: p.environment!.environment, variableName: v.name, value }, { ...o, dependsOn: [env!] });
      } else {
        new github.ActionsVariable(`${name}-var-${v.name.toLowerCase()}`, { repository: p.repository!, variableName: v.name, value }, o);
      }
    }

    if (p.app) {
      new github.AppInstallationRepositories(`${name}-app-repositories`, { installationId: p.app.installationId, selectedRepositories: p.app.repositories }, o);
    }
    for (const c of p.collaborators) {
      new github.RepositoryCollaborator(`${name}-collaborator-${c.repository}`, { repository: c.repository, username: c.username, permission: c.permission }, o);
    }
    for (const r of p.rulesets) {
      new github.RepositoryRuleset(
        `${name}-ruleset-${r.repository}`,
        {
          repository: r.repository,
          name: r.name,
          target: "branch",
          enforcement: "active",
          bypassActors: [],
          conditions: { refName: { includes: ["~DEFAULT_BRANCH"], excludes: [] } },
          rules: {
            deletion: true,
            nonFastForward: true,
            pullRequest: {
              requiredApprovingReviewCount: r.requiredApprovals,
              dismissStaleReviewsOnPush: r.dismissStaleReviewsOnPush,
              requireCodeOwnerReview: r.requireCodeOwnerReview,
              requireLastPushApproval: true,
              requiredReviewThreadResolution: false,
            },
          },
        },
        o,
      );
    }

    this.subject = pulumi.output(subject);
    this.environmentName = pulumi.output(p.environment?.environment);
    this.repositories = pulumi.output(p.app ? p.app.repositories : p.collaborators.map((c) => c.repository));
    this.revoked = pulumi.output(p.revoked);
    this.registerOutputs({ subject: this.subject, environmentName: this.environmentName, repositories: this.repositories, revoked: this.revoked });
  }
}
