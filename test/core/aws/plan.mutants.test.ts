/**
 * An assistant's AWS plan, pinned field by field: role name, tags, provider, trust, raw statements
 * (and the spec paths of their errors), the expiry on every grant, the kill switch, the trust
 * quota and the plan cache.
 */
import { assistantTags, killSwitchPolicy, planAwsAssistant, roleName } from "../../../core/aws/plan";
import { QUOTAS } from "../../../core/aws/pack";
import { trustPolicy } from "../../../core/aws/trust";
import { policySize } from "../../../core/aws/types";
import { awsFederation } from "../../../core/oidc/subjects";
import { StackSpec, type Assistant, type Platform } from "../../../core/spec/schema";
import { validAssistant, validSpec } from "../../support/spec";

const GH = "token.actions.githubusercontent.com";
const REASON = "no catalogue grant covers this queue";
const EXPIRY = { DateLessThan: { "aws:CurrentTime": "2027-03-31T00:00:00Z" } };

/** A parsed (defaults applied) assistant and platform; `platformAws` is merged into platform.aws. */
function parsed(over: Record<string, unknown> = {}, platformAws: Record<string, unknown> = {}): { a: Assistant; p: Platform } {
  const raw = validSpec([validAssistant(over)]);
  Object.assign(raw.platform.aws, platformAws);
  const spec = StackSpec.parse(raw);
  return { a: spec.assistants[0], p: spec.platform };
}
const planOf = (over: Record<string, unknown> = {}, platformAws: Record<string, unknown> = {}, index = 0) => {
  const { a, p } = parsed(over, platformAws);
  return planAwsAssistant(a, index, p);
};
const rawStatements = (statements: unknown[]) => ({ aws: { statements } });

describe("names and tags", () => {
  test("roleName is <prefix>-<name>-<environment>", () => {
    expect(roleName("ai", { name: "pr-reviewer", environment: "prod" })).toBe("ai-pr-reviewer-prod");
  });

  test("assistantTags are exactly the six ownership tags", () => {
    const { a } = parsed({ environment: "stage", expires: "2027-02-01" });
    expect(assistantTags(a)).toStrictEqual({
      "ai-assistant": "pr-reviewer",
      "ai-owner": "devex",
      "ai-contact": "devex@acme.example",
      "ai-environment": "stage",
      "ai-expires": "2027-02-01",
      "managed-by": "assistant-identities",
    });
  });
});

describe("planAwsAssistant: a valid assistant", () => {
  test("the whole plan of the default assistant", () => {
    const r = planOf({ maxSessionSeconds: 900 });
    expect(r.errors).toEqual([]);
    const plan = r.plan!;
    const providerArn = `arn:aws:iam::111122223333:oidc-provider/${GH}`;
    expect(plan.roleName).toBe("ai-pr-reviewer-dev");
    expect(plan.rolePath).toBe("/assistants/");
    expect(plan.scope).toStrictEqual({ partition: "aws", accountId: "111122223333", region: "eu-west-1" });
    expect(plan.providerArn).toBe(providerArn);
    expect(plan.providerExists).toBe(false);
    expect(plan.maxSessionDuration).toBe(3600);
    expect(plan.sessionSeconds).toBe(900);
    expect(plan.expiresAt).toBe("2027-03-31T00:00:00Z");
    expect(plan.killSwitch).toBeNull();
    expect(plan.tags["ai-assistant"]).toBe("pr-reviewer");
    expect(plan.trustPolicy.Statement[0].Principal).toStrictEqual({ Federated: providerArn });
    expect(plan.trustPolicy.Statement[0].Condition).toStrictEqual({
      StringEquals: { [`${GH}:aud`]: "sts.amazonaws.com", [`${GH}:sub`]: "repo:acme/app:environment:ai-review" },
      ...EXPIRY,
    });
    expect(plan.managedPolicies).toEqual([]);
  });

  test("every grant statement carries the expiry, added to (not replacing) its own conditions", () => {
    const plan = planOf().plan!;
    expect(plan.inlinePolicies).toStrictEqual([
      {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: ["arn:aws:s3:::acme-artifacts/app/*"], Condition: EXPIRY },
          { Effect: "Allow", Action: ["s3:ListBucket"], Resource: ["arn:aws:s3:::acme-artifacts"], Condition: { StringLike: { "s3:prefix": ["app/*"] }, ...EXPIRY } },
        ],
      },
    ]);
    // The planned grants themselves stay without the expiry.
    expect(plan.grants[0].statements[0].Condition).toBeUndefined();
  });

  test("an existing OIDC provider is trusted as given and not created", () => {
    const existing = `arn:aws:iam::111122223333:oidc-provider/${GH}`.replace("111122223333", "999988887777");
    const plan = planOf({}, { existingOidcProviders: { [`https://${GH}`]: existing } }).plan!;
    expect(plan.providerArn).toBe(existing);
    expect(plan.providerExists).toBe(true);
    expect(plan.trustPolicy.Statement[0].Principal).toStrictEqual({ Federated: existing });
  });

  test("an existing provider for another issuer does not count", () => {
    const plan = planOf({}, { existingOidcProviders: { "https://gitlab.com": "arn:aws:iam::111122223333:oidc-provider/gitlab.com" } }).plan!;
    expect(plan.providerArn).toBe(`arn:aws:iam::111122223333:oidc-provider/${GH}`);
    expect(plan.providerExists).toBe(false);
  });
});

describe("planAwsAssistant: raw statements", () => {
  test("become 'raw' write grants named by Sid or position, with only the fields the spec gave", () => {
    const plan = planOf(
      rawStatements([
        { sid: "SendToQueue", actions: ["sqs:SendMessage"], resources: ["arn:aws:sqs:eu-west-1:111122223333:q"], conditions: { StringEquals: { "aws:SourceVpc": "vpc-1" } }, reason: REASON },
        { actions: ["sqs:GetQueueUrl"], resources: ["arn:aws:sqs:eu-west-1:111122223333:r"], reason: REASON },
      ]),
    ).plan!;
    expect(plan.grants).toStrictEqual([
      {
        kind: "raw",
        target: "SendToQueue",
        access: "write",
        statements: [{ Effect: "Allow", Action: ["sqs:SendMessage"], Resource: ["arn:aws:sqs:eu-west-1:111122223333:q"], Sid: "SendToQueue", Condition: { StringEquals: { "aws:SourceVpc": "vpc-1" } } }],
      },
      { kind: "raw", target: "statement 1", access: "write", statements: [{ Effect: "Allow", Action: ["sqs:GetQueueUrl"], Resource: ["arn:aws:sqs:eu-west-1:111122223333:r"] }] },
    ]);
    const statements = plan.inlinePolicies.flatMap((d) => d.Statement);
    expect(statements).toContainEqual({
      Sid: "SendToQueue",
      Effect: "Allow",
      Action: ["sqs:SendMessage"],
      Resource: ["arn:aws:sqs:eu-west-1:111122223333:q"],
      Condition: { StringEquals: { "aws:SourceVpc": "vpc-1" }, ...EXPIRY },
    });
  });

  test("a rejected action: the error names the spec's actions[j] and drops the document path from the message", () => {
    const r = planOf(rawStatements([{ actions: ["sqs:GetQueueUrl"], resources: ["arn:aws:sqs:eu-west-1:111122223333:r"], reason: REASON }, { actions: ["s3:GetObject", "*"], resources: ["arn:aws:s3:::b/*"], reason: REASON }]));
    expect(r.plan).toBeUndefined();
    expect(r.errors).toStrictEqual([{ path: "assistants[0].aws.statements[1].actions[1]", message: 'must not allow every action; got "*" (fix: List the exact actions needed.)' }]);
  });

  const DOC_FIX = "(fix: Write the policy as an AWS policy document (Version, Statement with Effect/Action/Resource).)";
  test("a bad resource: the error names the spec's resources[j]", () => {
    const r = planOf(rawStatements([{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*", "x".repeat(20001)], reason: REASON }]));
    expect(r.errors).toContainEqual({ path: "assistants[0].aws.statements[0].resources[1]", message: `must be at most 20000 characters; got 20001 ${DOC_FIX}` });
  });

  test("a bad condition: the error names the spec's conditions path", () => {
    const r = planOf(rawStatements([{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"], conditions: { StringEquals: { "aws:SourceVpc": [] } }, reason: REASON }]));
    expect(r.errors).toStrictEqual([{ path: 'assistants[0].aws.statements[0].conditions.StringEquals["aws:SourceVpc"]', message: `must not be empty; got [] ${DOC_FIX}` }]);
  });

  test("an error outside Action/Resource/Condition names the statement itself", () => {
    const r = planOf(rawStatements([{ sid: "A".repeat(20001), actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"], reason: REASON }]));
    expect(r.errors[0]).toStrictEqual({ path: "assistants[0].aws.statements[0]", message: `must be at most 20000 characters; got 20001 ${DOC_FIX}` });
  });
});

describe("planAwsAssistant: errors", () => {
  test("an assistant without an aws section", () => {
    const { a, p } = parsed({ aws: undefined });
    expect(planAwsAssistant(a, 2, p)).toStrictEqual({ errors: [{ path: "assistants[2].aws", message: "expected an aws section" }] });
  });

  test("the trust policy may be exactly AWS's default quota, not one character more", () => {
    const source = (subject: string) => ({ kind: "oidc", issuer: "https://idp.example.com", subject, audience: "aud-1" });
    const sizeWith = (subject: string) => {
      const { a } = parsed({ source: source(subject) });
      return policySize(trustPolicy(awsFederation(a.source), "arn:aws:iam::111122223333:oidc-provider/idp.example.com", a.expires));
    };
    const fits = "s".repeat(QUOTAS.trust - sizeWith("s") + 1);
    expect(sizeWith(fits)).toBe(2048);
    expect(planOf({ source: source(fits) }).errors).toEqual([]);
    const r = planOf({ source: source(`${fits}t`) }, {}, 3);
    expect(r.plan).toBeUndefined();
    expect(r.errors).toStrictEqual([{ path: "assistants[3].source", message: "the trust policy is 2049 characters; AWS allows 2048 by default: shorten the subject" }]);
  });
});

describe("killSwitchPolicy", () => {
  test("live: no kill switch", () => {
    expect(killSwitchPolicy({ revoked: false })).toBeNull();
  });

  test("revoked: deny everything everywhere", () => {
    expect(killSwitchPolicy({ revoked: true })).toStrictEqual({ Version: "2012-10-17", Statement: [{ Sid: "KillSwitchDenyAll", Effect: "Deny", Action: ["*"], Resource: ["*"] }] });
  });

  test("revoking older sessions: deny everything to tokens issued before the instant, written without milliseconds", () => {
    const revoke = { Sid: "RevokeOlderSessions", Effect: "Deny", Action: ["*"], Resource: ["*"], Condition: { DateLessThan: { "aws:TokenIssueTime": "2026-12-10T10:20:30Z" } } };
    expect(killSwitchPolicy({ revoked: false, revokeSessionsIssuedBefore: "2026-12-10T10:20:30Z" })).toStrictEqual({ Version: "2012-10-17", Statement: [revoke] });
    expect(killSwitchPolicy({ revoked: true, revokeSessionsIssuedBefore: "2026-12-10T12:20:30+02:00" })!.Statement).toStrictEqual([
      { Sid: "KillSwitchDenyAll", Effect: "Deny", Action: ["*"], Resource: ["*"] },
      revoke,
    ]);
  });

  test("a cutoff with a fraction of a second is rounded up, so a session issued in that second is still denied", () => {
    const cutoff = (t: string) => killSwitchPolicy({ revoked: false, revokeSessionsIssuedBefore: t })!.Statement[0].Condition;
    expect(cutoff("2026-12-10T10:20:30.750Z")).toStrictEqual({ DateLessThan: { "aws:TokenIssueTime": "2026-12-10T10:20:31Z" } });
    expect(cutoff("2026-12-10T10:20:30.000000001Z")).toStrictEqual({ DateLessThan: { "aws:TokenIssueTime": "2026-12-10T10:20:31Z" } });
    expect(cutoff("2026-12-10T12:20:30.000+02:00")).toStrictEqual({ DateLessThan: { "aws:TokenIssueTime": "2026-12-10T10:20:30Z" } });
    expect(cutoff("2026-12-10T12:20:30.25+02:00")).toStrictEqual({ DateLessThan: { "aws:TokenIssueTime": "2026-12-10T10:20:31Z" } });
    expect(cutoff("2026-12-10T10:20:59.5Z")).toStrictEqual({ DateLessThan: { "aws:TokenIssueTime": "2026-12-10T10:21:00Z" } });
  });

  test("the plan carries the kill switch", () => {
    const plan = planOf({ revoked: true }).plan!;
    expect(plan.killSwitch!.Statement.map((s) => s.Sid)).toEqual(["KillSwitchDenyAll"]);
  });
});

describe("the plan cache", () => {
  test("the same (assistant, index, platform) returns the very same result; another index does not", () => {
    const { a, p } = parsed();
    const first = planAwsAssistant(a, 0, p);
    expect(planAwsAssistant(a, 0, p)).toBe(first);
    expect(planAwsAssistant(a, 0, p)).toBe(first);
    const other = planAwsAssistant(a, 1, p);
    expect(other).not.toBe(first);
    expect(planAwsAssistant(a, 1, p)).toBe(other);
  });
});
