/**
 * The role's trust policy is a security contract: one OIDC provider, AssumeRoleWithWebIdentity
 * only, StringEquals on aud and sub (StringLike only for an allowed wildcard subject), the pinned
 * extra claims, and the expiry. Pinned exactly.
 */
import { expiryInstant, oidcProviderArn, trustPolicy } from "../../../core/aws/trust";
import type { Federation } from "../../../core/oidc/subjects";

const H = "token.actions.githubusercontent.com";
const ARN = `arn:aws:iam::111122223333:oidc-provider/${H}`;
const fed = (over: Partial<Federation> = {}): Federation => ({
  issuer: `https://${H}`,
  issuerHost: H,
  subject: "repo:acme/app:environment:ai-review",
  subjectIsPattern: false,
  audience: "sts.amazonaws.com",
  extraClaims: {},
  ...over,
});

describe("oidcProviderArn and expiryInstant", () => {
  test("the provider ARN names the partition, account and issuer host", () => {
    expect(oidcProviderArn({ partition: "aws", accountId: "111122223333" }, H)).toBe(ARN);
    expect(oidcProviderArn({ partition: "aws-us-gov", accountId: "444455556666" }, "gitlab.example.com/idp")).toBe("arn:aws-us-gov:iam::444455556666:oidc-provider/gitlab.example.com/idp");
  });

  test("the expiry is 00:00Z of the expiry date", () => {
    expect(expiryInstant("2027-03-31")).toBe("2027-03-31T00:00:00Z");
  });
});

describe("trustPolicy", () => {
  test("an exact subject: StringEquals on aud and sub, no StringLike, and the expiry", () => {
    expect(trustPolicy(fed(), ARN, "2027-03-31")).toStrictEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AssumeFromPinnedWorkload",
          Effect: "Allow",
          Principal: { Federated: ARN },
          Action: ["sts:AssumeRoleWithWebIdentity"],
          Condition: {
            StringEquals: { [`${H}:aud`]: "sts.amazonaws.com", [`${H}:sub`]: "repo:acme/app:environment:ai-review" },
            DateLessThan: { "aws:CurrentTime": "2027-03-31T00:00:00Z" },
          },
        },
      ],
    });
  });

  test("a wildcard subject: sub moves to StringLike, aud stays StringEquals", () => {
    const t = trustPolicy(fed({ subject: "repo:acme/app:*", subjectIsPattern: true }), ARN, "2027-01-15");
    expect(t.Statement).toHaveLength(1);
    expect(t.Statement[0].Condition).toStrictEqual({
      StringEquals: { [`${H}:aud`]: "sts.amazonaws.com" },
      StringLike: { [`${H}:sub`]: "repo:acme/app:*" },
      DateLessThan: { "aws:CurrentTime": "2027-01-15T00:00:00Z" },
    });
    expect(Object.keys(t.Statement[0].Condition!)).toEqual(["StringEquals", "StringLike", "DateLessThan"]);
  });

  test("extra claims are pinned with StringEquals on <issuer>:<claim>", () => {
    const t = trustPolicy(fed({ extraClaims: { job_workflow_ref: "acme/ci/.github/workflows/review.yml@refs/heads/main" } }), ARN, "2027-03-31");
    expect(t.Statement[0].Condition!.StringEquals).toStrictEqual({
      [`${H}:aud`]: "sts.amazonaws.com",
      [`${H}:sub`]: "repo:acme/app:environment:ai-review",
      [`${H}:job_workflow_ref`]: "acme/ci/.github/workflows/review.yml@refs/heads/main",
    });
    expect(t.Statement[0].Condition!.StringLike).toBeUndefined();
  });

  test("the condition keys use the federation's issuer host and the given provider ARN", () => {
    const t = trustPolicy(fed({ issuerHost: "gitlab.com", subject: "project_path:g/p:ref_type:branch:ref:main", audience: "https://gitlab.com" }), "arn:aws:iam::1:oidc-provider/gitlab.com", "2027-03-31");
    expect(t.Statement[0].Principal).toStrictEqual({ Federated: "arn:aws:iam::1:oidc-provider/gitlab.com" });
    expect(t.Statement[0].Condition!.StringEquals).toStrictEqual({ "gitlab.com:aud": "https://gitlab.com", "gitlab.com:sub": "project_path:g/p:ref_type:branch:ref:main" });
  });
});
