/**
 * Pins planStackAudit (core/audit/stack.ts): which assistants of a whole spec reach the AWS audit
 * plan (only those with an aws section, by role ARN with its path), the empty result when none do,
 * the platform scope handed to the plan, and the data-event types derived from every grant.
 */
import { planStackAudit, roleArnOf } from "../../../core/audit/stack";
import { planAwsAssistant } from "../../../core/aws/plan";
import { StackSpec } from "../../../core/spec/schema";
import { validAssistant, validSpec } from "../../support/spec";

/** The default assistant without its aws section (a valid assistant with no AWS access). */
function withoutAws(over: Record<string, unknown> = {}): Record<string, unknown> {
  const { aws: _aws, ...rest } = validAssistant(over);
  return rest;
}
/** A parsed spec; `platformAws` is merged into platform.aws. */
function spec(assistants: unknown[], platformAws: Record<string, unknown> = {}) {
  const raw = validSpec(assistants);
  Object.assign(raw.platform.aws, platformAws);
  return StackSpec.parse(raw);
}

describe("roleArnOf", () => {
  test("is arn:<partition>:iam::<account>:role<path><name> of the assistant's plan", () => {
    const s = spec([validAssistant()], { partition: "aws-us-gov", region: "us-gov-west-1" });
    const plan = planAwsAssistant(s.assistants[0], 0, s.platform).plan!;
    expect(roleArnOf(plan)).toBe("arn:aws-us-gov:iam::111122223333:role/assistants/ai-pr-reviewer-dev");
  });
});

describe("planStackAudit: no assistant with aws access", () => {
  test("returns exactly { errors: [] } and no plan, even though platform.aws is set", () => {
    const s = spec([withoutAws({ name: "triage-bot" })]);
    expect(s.platform.aws).toBeDefined();
    expect(planStackAudit(s)).toStrictEqual({ errors: [] });
  });
});

describe("planStackAudit: assistants with aws access", () => {
  test("only the assistants with an aws section are audited, by role name and ARN with its path", () => {
    const s = spec([withoutAws({ name: "triage-bot" }), validAssistant({ audit: { queryLookbackDays: 30 } })]);
    const r = planStackAudit(s);
    expect(r.errors).toStrictEqual([]);
    expect(r.plan!.assistants).toStrictEqual([
      { name: "pr-reviewer", environment: "dev", roleName: "ai-pr-reviewer-dev", roleArn: "arn:aws:iam::111122223333:role/assistants/ai-pr-reviewer-dev", lookbackDays: 30 },
    ]);
    expect(r.plan!.secretAccess.description).toBe(
      "Secret and key access (Secrets Manager, SSM parameters, KMS decrypt, STS assume) of AI assistant sessions (1 role), kept 2557 days",
    );
    expect(r.plan!.secretAccess.selectors[0].fieldSelectors[3]).toStrictEqual({
      field: "userIdentity.arn",
      startsWiths: ["arn:aws:sts::111122223333:assumed-role/ai-pr-reviewer-dev/"],
    });
  });

  test("the plan's scope is platform.aws's partition, account and region", () => {
    const r = planStackAudit(spec([validAssistant()], { partition: "aws-us-gov", region: "us-gov-west-1" }));
    expect(r.errors).toStrictEqual([]);
    expect(r.plan!.scope).toStrictEqual({ partition: "aws-us-gov", accountId: "111122223333", region: "us-gov-west-1" });
    expect(r.plan!.assistants.map((a) => a.roleArn)).toStrictEqual(["arn:aws-us-gov:iam::111122223333:role/assistants/ai-pr-reviewer-dev"]);
  });

  test("data-event types come from the grants of the assistants with aws access (s3-read: AWS::S3::Object)", () => {
    const r = planStackAudit(spec([validAssistant(), withoutAws({ name: "triage-bot" })]));
    expect(r.errors).toStrictEqual([]);
    expect(r.plan!.dataEventTypes).toStrictEqual(["AWS::S3::Object"]);
    expect(r.plan!.toolCalls.selectors.map((x) => x.name)).toStrictEqual([
      "Assistant sessions: management calls to every other service",
      "Assistant sessions: other calls to Secrets Manager, SSM, KMS and STS",
      "Assistant sessions: AWS::S3::Object data events",
    ]);
  });
});
