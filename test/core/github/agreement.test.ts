import { checkAgreement, assertAgreement, AgreementError, awsGlobMatch, type AgreementInput } from "../../../core/github/agreement";
import { githubClaims, renderGithubSubject } from "../../../core/github/claims";
import { awsFederation, githubSubject } from "../../../core/oidc/subjects";
import { conditionClause, principal } from "../../../core/gcp/provider";
import { GithubAccess } from "../../../core/spec/github";
import type { GithubActionsSource } from "../../../core/spec/schema";
import { gh } from "../gcp/fixtures";

/** What the stack builds from the spec, the way the AWS and GCP planners do. */
function built(source: GithubActionsSource, github?: AgreementInput["github"]): AgreementInput {
  const fed = awsFederation(source);
  return {
    source,
    github,
    aws: { trustedSubjects: [fed.subject], subjectIsPattern: fed.subjectIsPattern, extraClaims: fed.extraClaims },
    gcp: { attributeCondition: conditionClause(source, github), principal: principal("123456789012", "ai-prod", githubSubject(source)) },
  };
}
const github = (o: Record<string, unknown>) => GithubAccess.parse(o);
const sides = (i: AgreementInput) => checkAgreement(i).problems.map((p) => p.side);

describe("agreement holds when everything is built from one spec", () => {
  test.each([
    ["classic, environment", gh(), github({ environment: { name: "prod", branches: "protected" } })],
    ["immutable, environment", gh({ subjectForm: "immutable" }), github({ environment: { name: "prod", branches: ["main"] } })],
    ["classic, branch, no github section", gh({ environment: undefined, branch: "main" }), undefined],
    ["immutable, tag", gh({ environment: undefined, tag: "v1", subjectForm: "immutable" }), undefined],
    [
      "custom template (owner id, repo id, environment)",
      gh({ subjectClaims: ["repository_owner_id", "repository_id", "environment"] }),
      github({ environment: { name: "prod", branches: "protected" }, subjectTemplate: { includeClaimKeys: ["repository_owner_id", "repository_id", "environment"] } }),
    ],
    [
      "custom template with context",
      gh({ subjectClaims: ["repository_owner_id", "repository_id", "context"] }),
      github({ subjectTemplate: { includeClaimKeys: ["repository_owner_id", "repository_id", "context"] } }),
    ],
    [
      "custom template with job_workflow_ref and a reusable workflow",
      gh({ environment: undefined, branch: "main", workflowRef: "acme/shared/.github/workflows/a.yml@refs/heads/main", subjectClaims: ["repository_owner_id", "repository_id", "ref", "job_workflow_ref"] }),
      github({ subjectTemplate: { includeClaimKeys: ["repository_owner_id", "repository_id", "ref", "job_workflow_ref"] } }),
    ],
    ["reusable workflow pinned by AWS's extra claim", gh({ workflowRef: "acme/shared/.github/workflows/a.yml@refs/heads/main" }), undefined],
  ])("%s", (_n, source, gh_) => {
    const r = checkAgreement(built(source, gh_));
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.issuedSubject).toBe(githubSubject(source));
  });

  test("exact subjects for the three forms", () => {
    expect(assertAgreement(built(gh()))).toBe("repo:acme/payments-api:environment:prod");
    expect(assertAgreement(built(gh({ subjectForm: "immutable" })))).toBe("repo:acme@1001/payments-api@2002:environment:prod");
    const t = gh({ subjectClaims: ["repository_owner_id", "repository_id", "environment"] });
    expect(assertAgreement(built(t, github({ subjectTemplate: { includeClaimKeys: ["repository_owner_id", "repository_id", "environment"] } })))).toBe(
      "repository_owner_id:1001:repository_id:2002:environment:prod",
    );
  });
});

describe("mismatches say which side to fix", () => {
  test("the stack manages a template the source does not describe → spec (and AWS/GCP follow the spec)", () => {
    const src = gh();
    const r = checkAgreement(built(src, github({ subjectTemplate: { includeClaimKeys: ["repository_owner_id", "repository_id", "environment"] } })));
    expect(r.ok).toBe(false);
    expect(r.issuedSubject).toBe("repository_owner_id:1001:repository_id:2002:environment:prod");
    expect(r.problems[0]).toMatchObject({ side: "spec", path: "source.subjectClaims", fix: 'set source.subjectClaims to ["repository_owner_id","repository_id","environment"]' });
    expect(r.problems.find((p) => p.path === "aws.trust.sub")).toMatchObject({ side: "spec", fix: expect.stringMatching(/AWS trust follows the source/) });
    expect(r.problems.find((p) => p.path === "gcp.principal")).toMatchObject({ side: "spec" });
  });

  test("environment name differs between source and the managed environment → spec", () => {
    const i = built(gh(), github({ environment: { name: "production", branches: "protected" } }));
    const r = checkAgreement(i);
    expect(r.problems[0]).toMatchObject({ side: "spec", path: "source.environment", fix: 'set source.environment to "production"' });
    expect(r.issuedSubject).toBe("repo:acme/payments-api:environment:production");
    expect(sides(i).every((s) => s === "spec")).toBe(true);
  });

  test("AWS trusts the classic subject of an immutable-form repository → aws", () => {
    const src = gh({ subjectForm: "immutable" });
    const i = { ...built(src), aws: { trustedSubjects: ["repo:acme/payments-api:environment:prod"] } };
    expect(checkAgreement(i).problems).toEqual([
      expect.objectContaining({ side: "aws", message: expect.stringMatching(/AWS must trust the subject GitHub will issue, "repo:acme@1001\/payments-api@2002:environment:prod"/) }),
    ]);
  });

  test("the spec says classic but the repository issues the immutable form → both clouds are told", () => {
    // AWS and GCP were built from a classic-form source; the repository (created after 2026-07-15) issues immutable subjects.
    const r = checkAgreement({ ...built(gh()), source: gh({ subjectForm: "immutable" }) });
    expect(r.issuedSubject).toBe("repo:acme@1001/payments-api@2002:environment:prod");
    expect(r.problems.map((p) => [p.side, p.path])).toEqual([
      ["aws", "aws.trust.sub"],
      ["gcp", "gcp.principal"],
    ]);
  });

  test("AWS built for another context → aws", () => {
    expect(sides({ ...built(gh()), aws: { trustedSubjects: ["repo:acme/payments-api:ref:refs/heads/main"] } })).toEqual(["aws"]);
  });

  test("AWS pins another reusable workflow → aws", () => {
    const src = gh({ workflowRef: "acme/shared/.github/workflows/a.yml@refs/heads/main" });
    const i = built(src);
    i.aws!.extraClaims = { job_workflow_ref: "acme/shared/.github/workflows/b.yml@refs/heads/main" };
    expect(checkAgreement(i).problems).toEqual([expect.objectContaining({ side: "aws", path: "aws.trust.job_workflow_ref" })]);
  });

  test("AWS pattern that covers the subject passes with a note", () => {
    const r = checkAgreement({ ...built(gh()), aws: { trustedSubjects: ["repo:acme/payments-api:environment:*"], subjectIsPattern: true } });
    expect(r.ok).toBe(true);
    expect(r.notes.join()).toMatch(/through a pattern/);
  });

  test("GCP condition for another repository, or a principal for another subject → gcp", () => {
    const base = built(gh());
    expect(checkAgreement({ ...base, gcp: { attributeCondition: conditionClause(gh({ repositoryId: 9 })) } }).problems).toEqual([
      expect.objectContaining({ side: "gcp", path: "gcp.provider.attributeCondition", message: expect.stringMatching(/evaluates to false/) }),
    ]);
    expect(checkAgreement({ ...base, gcp: { attributeCondition: base.gcp!.attributeCondition, principal: principal("1", "p", "repo:acme/payments-api:ref:refs/heads/main") } }).problems).toEqual([
      expect.objectContaining({ side: "gcp", path: "gcp.principal" }),
    ]);
  });

  test("template lists ref but nothing pins the branch → github cannot render", () => {
    const keys = ["repository_owner_id", "repository_id", "ref"] as const;
    const r = checkAgreement({ source: gh({ subjectClaims: [...keys] }), github: github({ subjectTemplate: { includeClaimKeys: keys } }) });
    // the subject would change with every branch: the spec must pin one
    expect(r.problems).toEqual([expect.objectContaining({ side: "spec", message: expect.stringMatching(/subject claim ref has no value/) })]);
  });

  test("branch not allowed to deploy to the managed environment → spec", () => {
    const src = gh({ branch: "feature" });
    const r = checkAgreement(built(src, github({ environment: { name: "prod", branches: ["main", "release/*"] } })));
    expect(r.problems[0]).toMatchObject({ side: "spec", path: "github.environment.branches" });
    expect(checkAgreement(built(gh({ branch: "release/v2" }), github({ environment: { name: "prod", branches: ["main", "release/*"] } }))).ok).toBe(true);
  });

  test("assertAgreement throws one line per problem, prefixed with the side", () => {
    expect(() => assertAgreement({ ...built(gh()), aws: { trustedSubjects: ["repo:acme/other:environment:prod"] } })).toThrow(AgreementError);
    expect(() => assertAgreement({ ...built(gh()), aws: { trustedSubjects: ["repo:acme/other:environment:prod"] } })).toThrow(/^\[aws\] AWS must trust/);
  });
});

describe("GitHub's renderer", () => {
  test("default template: environment wins over pull_request over ref", () => {
    const c = githubClaims(gh());
    expect(renderGithubSubject(c)).toBe("repo:acme/payments-api:environment:prod");
    const { environment: _e, ...noEnv } = c;
    expect(renderGithubSubject({ ...noEnv, event_name: "pull_request", ref: "refs/pull/1/merge" })).toBe("repo:acme/payments-api:pull_request");
    expect(renderGithubSubject({ ...noEnv, ref: "refs/heads/main" })).toBe("repo:acme/payments-api:ref:refs/heads/main");
    expect(renderGithubSubject({ ...noEnv, ref: "refs/heads/main" }, { form: "immutable" })).toBe("repo:acme@1001/payments-api@2002:ref:refs/heads/main");
  });
  test("':' inside a value is %3A", () => {
    expect(renderGithubSubject({ ...githubClaims(gh()), environment: "a:b" })).toBe("repo:acme/payments-api:environment:a%3Ab");
  });
  test("a template key the token lacks cannot render", () => {
    const { environment: _e, ...noEnv } = githubClaims(gh());
    expect(() => renderGithubSubject(noEnv, { template: ["repository_owner_id", "repository_id", "environment"] })).toThrow(/no environment claim/);
  });
  test("awsGlobMatch", () => {
    expect(awsGlobMatch("repo:acme/*", "repo:acme/x:ref:refs/heads/main")).toBe(true);
    expect(awsGlobMatch("repo:acme/x:ref:refs/heads/ma?n", "repo:acme/x:ref:refs/heads/main")).toBe(true);
    expect(awsGlobMatch("repo:acme/x.y", "repo:acme/xzy")).toBe(false);
  });
});
