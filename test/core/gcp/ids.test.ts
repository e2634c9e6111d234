import { poolId, providerId, serviceAccountId, serviceAccountEmail, wifIdProblem, customRoleId, providerName, cloudSqlIamUserName } from "../../../core/gcp/ids";
import { GITHUB_ISSUER } from "../../../core/spec/schema";

describe("Workload Identity ids", () => {
  test.each([
    ["abc", /4-32/],
    ["a".repeat(33), /4-32/],
    ["Abcd", /4-32/],
    ["gcp-pool", /reserved/],
    ["-abcd", /start nor end/],
    ["abcd-", /start nor end/],
    ["ab_cd", /4-32/],
  ])("%s is refused", (id, why) => expect(wifIdProblem(id)).toMatch(why));
  test.each(["abcd", "a".repeat(32), "ai-prod", "0123"])("%s is accepted", (id) => expect(wifIdProblem(id)).toBeUndefined());

  test("pool id: <prefix>-<stack>, deterministic, hashed when long, never gcp-", () => {
    expect(poolId("ai", "prod")).toBe("ai-prod");
    expect(poolId("ai", "Team_Prod")).toBe("ai-team-prod");
    const long = poolId("ai", "a-very-long-stack-name-for-the-platform-team");
    expect(long).toHaveLength(32);
    expect(wifIdProblem(long)).toBeUndefined();
    expect(poolId("ai", "a-very-long-stack-name-for-the-platform-team")).toBe(long);
    expect(poolId("ai", "a-very-long-stack-name-for-the-platform-teams")).not.toBe(long);
    expect(poolId("gcp", "x")).not.toMatch(/^gcp-/);
    expect(poolId("ai", "p")).toBe("ai-p");
    expect(poolId("a", "b")).toMatch(/^[a-z0-9-]{4,32}$/);
    expect(poolId("ai", "prod", "shared-pool")).toBe("shared-pool");
    expect(() => poolId("ai", "prod", "gcp-pool")).toThrow(/reserved/);
  });

  test("provider id per issuer: fixed names for github.com and gitlab.com, else kind + hash", () => {
    expect(providerId("github-actions", GITHUB_ISSUER)).toBe("github");
    expect(providerId("gitlab-ci", "https://gitlab.com")).toBe("gitlab");
    const ghe = providerId("github-actions", `${GITHUB_ISSUER}/acme`);
    expect(ghe).toMatch(/^github-[0-9a-f]{8}$/);
    expect(providerId("github-actions", `${GITHUB_ISSUER}/acme`)).toBe(ghe);
    expect(providerId("kubernetes", "https://oidc.eks.eu-west-1.amazonaws.com/id/A")).not.toBe(providerId("kubernetes", "https://oidc.eks.eu-west-1.amazonaws.com/id/B"));
    expect(providerName("123456789012", "ai-prod", "github")).toBe("projects/123456789012/locations/global/workloadIdentityPools/ai-prod/providers/github");
  });
});

describe("service account id (6-30)", () => {
  test("short names are kept", () => {
    expect(serviceAccountId("ai", "pr-reviewer", "prod")).toBe("ai-pr-reviewer-prod");
    expect(serviceAccountEmail("ai-pr-reviewer-prod", "acme-agents")).toBe("ai-pr-reviewer-prod@acme-agents.iam.gserviceaccount.com");
  });
  test("long names are cut and hashed, deterministic and distinct per env", () => {
    const name = "documentation-summariser-bot-x";
    const prod = serviceAccountId("platform", name, "prod");
    const stage = serviceAccountId("platform", name, "stage");
    expect(prod.length).toBeLessThanOrEqual(30);
    expect(prod).toMatch(/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/);
    expect(prod).not.toBe(stage);
    expect(serviceAccountId("platform", name, "prod")).toBe(prod);
  });
  test("exactly 30 characters fits without hashing", () => {
    const name = "a".repeat(30 - "ai--dev".length);
    expect(serviceAccountId("ai", name, "dev")).toBe(`ai-${name}-dev`);
    expect(serviceAccountId("ai", name, "dev")).toHaveLength(30);
  });
  test("custom role id and Cloud SQL IAM user name", () => {
    expect(customRoleId("ai", "pr-reviewer", "prod", "vertexPredict")).toBe("ai_pr_reviewer_prod_vertexPredict");
    const long = customRoleId("platform", "a".repeat(32), "stage", "vertexPredict");
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long).toMatch(/^[A-Za-z0-9_.]+$/);
    expect(cloudSqlIamUserName("ai-x@p.iam.gserviceaccount.com")).toBe("ai-x@p.iam");
  });
});
