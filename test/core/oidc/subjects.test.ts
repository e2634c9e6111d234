/**
 * Subject formats are the security contract of every trust policy and GCP condition: the exact
 * `sub` and claim values a source yields. Each is pinned as GitHub, GitLab, Kubernetes and SPIFFE
 * issue it (identity-facts.md), so a changed template cannot pass unnoticed.
 */
import { awsFederation, githubClaimValue, githubContext, githubSubject, issuerHost, subjectFor } from "../../../core/oidc/subjects";
import type { GithubActionsSource, Source } from "../../../core/spec/schema";

const GH = "https://token.actions.githubusercontent.com";
const gh = (over: Partial<GithubActionsSource> = {}): GithubActionsSource =>
  ({
    kind: "github-actions",
    repository: "acme/app",
    ownerId: 1001,
    repositoryId: 2002,
    subjectForm: "classic",
    issuer: GH,
    ...over,
  }) as GithubActionsSource;

describe("issuerHost", () => {
  test("strips only a leading https:// scheme", () => {
    expect(issuerHost(GH)).toBe("token.actions.githubusercontent.com");
    expect(issuerHost("https://gitlab.example.com/idp")).toBe("gitlab.example.com/idp");
    // an https:// later in the string is part of the host path, not a scheme
    expect(issuerHost("oidc.example.com/https://x")).toBe("oidc.example.com/https://x");
  });
});

describe("githubContext", () => {
  test("environment wins over branch and tag; branch over tag", () => {
    expect(githubContext({ environment: "ai", branch: "main", tag: "v1" })).toBe("environment:ai");
    expect(githubContext({ branch: "main", tag: "v1" })).toBe("ref:refs/heads/main");
    expect(githubContext({ tag: "v1" })).toBe("ref:refs/tags/v1");
  });

  test("a source with none of them is an error that names the three choices", () => {
    expect(() => githubContext({})).toThrow("a GitHub Actions source needs one of environment, branch or tag");
  });
});

describe("githubClaimValue", () => {
  test("each template claim has the value GitHub puts in the token", () => {
    const s = gh({ environment: "ai", branch: "main", workflowRef: "acme/wf/.github/workflows/a.yml@refs/heads/main" });
    expect(githubClaimValue(s, "repo")).toBe("acme/app");
    expect(githubClaimValue(gh({ subjectForm: "immutable", branch: "main" }), "repo")).toBe("acme@1001/app@2002");
    expect(githubClaimValue(s, "context")).toBe("environment:ai");
    expect(githubClaimValue(s, "repository")).toBe("acme/app");
    expect(githubClaimValue(s, "repository_id")).toBe("2002");
    expect(githubClaimValue(s, "repository_owner")).toBe("acme");
    expect(githubClaimValue(s, "repository_owner_id")).toBe("1001");
    expect(githubClaimValue(s, "environment")).toBe("ai");
    expect(githubClaimValue(s, "job_workflow_ref")).toBe("acme/wf/.github/workflows/a.yml@refs/heads/main");
  });

  test("ref and ref_type follow the branch, else the tag, else nothing", () => {
    expect(githubClaimValue(gh({ branch: "main", tag: "v1" }), "ref")).toBe("refs/heads/main");
    expect(githubClaimValue(gh({ branch: "main", tag: "v1" }), "ref_type")).toBe("branch");
    expect(githubClaimValue(gh({ tag: "v1" }), "ref")).toBe("refs/tags/v1");
    expect(githubClaimValue(gh({ tag: "v1" }), "ref_type")).toBe("tag");
    expect(githubClaimValue(gh({ environment: "ai" }), "ref")).toBeUndefined();
    expect(githubClaimValue(gh({ environment: "ai" }), "ref_type")).toBeUndefined();
  });

  test("an unpinned or unknown claim has no value", () => {
    expect(githubClaimValue(gh({ branch: "main" }), "environment")).toBeUndefined();
    expect(githubClaimValue(gh({ branch: "main" }), "job_workflow_ref")).toBeUndefined();
    expect(githubClaimValue(gh({ branch: "main" }), "actor")).toBeUndefined();
    expect(githubClaimValue(gh({ branch: "main" }), "")).toBeUndefined();
  });
});

describe("githubSubject", () => {
  test("the default template, classic and immutable", () => {
    expect(githubSubject(gh({ environment: "ai" }))).toBe("repo:acme/app:environment:ai");
    expect(githubSubject(gh({ subjectForm: "immutable", branch: "main" }))).toBe("repo:acme@1001/app@2002:ref:refs/heads/main");
  });

  test("a custom claim list renders key:value, the context alone, joined by ':'", () => {
    expect(githubSubject(gh({ branch: "main", subjectClaims: ["repository_owner_id", "repository_id", "context"] }))).toBe("repository_owner_id:1001:repository_id:2002:ref:refs/heads/main");
    expect(githubSubject(gh({ tag: "v1", subjectClaims: ["repo", "ref_type", "ref"] }))).toBe("repo:acme/app:ref_type:tag:ref:refs/tags/v1");
  });

  test("a claim the spec does not pin is an error that names it", () => {
    expect(() => githubSubject(gh({ branch: "main", subjectClaims: ["repo", "environment"] }))).toThrow("subject claim environment has no value in the spec");
  });
});

describe("subjectFor", () => {
  test("each source kind yields its issuer's subject format", () => {
    expect(subjectFor(gh({ environment: "ai" }))).toBe("repo:acme/app:environment:ai");
    expect(subjectFor({ kind: "gitlab-ci", projectPath: "platform/agents", refType: "tag", ref: "v1", issuer: "https://gitlab.com" } as Source)).toBe("project_path:platform/agents:ref_type:tag:ref:v1");
    expect(subjectFor({ kind: "kubernetes", issuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/X", namespace: "agents", serviceAccount: "reviewer" } as Source)).toBe("system:serviceaccount:agents:reviewer");
    expect(subjectFor({ kind: "spiffe", issuer: "https://spire.example.com", spiffeId: "spiffe://example.org/ns/a/sa/b", audience: "aws" } as Source)).toBe("spiffe://example.org/ns/a/sa/b");
    expect(subjectFor({ kind: "oidc", issuer: "https://idp.example.com", subject: "agent-7", audience: "x" } as Source)).toBe("agent-7");
  });
});

describe("awsFederation", () => {
  test("a GitHub workflow ref is pinned as an extra claim unless the subject already carries it", () => {
    const wf = "acme/wf/.github/workflows/a.yml@refs/heads/main";
    expect(awsFederation(gh({ environment: "ai", workflowRef: wf }))).toEqual({
      issuer: GH,
      issuerHost: "token.actions.githubusercontent.com",
      subject: "repo:acme/app:environment:ai",
      subjectIsPattern: false,
      audience: "sts.amazonaws.com",
      extraClaims: { job_workflow_ref: wf },
    });
    expect(awsFederation(gh({ branch: "main", workflowRef: wf, subjectClaims: ["repo", "job_workflow_ref"] })).extraClaims).toEqual({});
    expect(awsFederation(gh({ branch: "main", workflowRef: wf, subjectClaims: ["repo", "ref"] })).extraClaims).toEqual({ job_workflow_ref: wf });
    expect(awsFederation(gh({ branch: "main" })).extraClaims).toEqual({});
  });

  test("only a GitHub source pins a workflow ref; the audience defaults to STS's", () => {
    const k8s = { kind: "kubernetes", issuer: "https://k.example.com", namespace: "a", serviceAccount: "b", workflowRef: "x" } as unknown as Source;
    expect(awsFederation(k8s).extraClaims).toEqual({});
    expect(awsFederation({ kind: "oidc", issuer: "https://idp.example.com", subject: "agent-*", audience: "mine" } as Source)).toMatchObject({ subject: "agent-*", subjectIsPattern: true, audience: "mine" });
  });
});
