/** Hundreds of assistants: the selectors collapse to one stack-wide session prefix instead of exceeding CloudTrail's 500 values. */
import { AwsAuditPlatform } from "../../../core/spec/audit";
import { planAwsAudit, selectsEvent, type AuditAssistantRef } from "../../../core/audit";

const SCOPE = { partition: "aws", accountId: "111122223333", region: "eu-west-1" };
const ref = (i: number): AuditAssistantRef => ({ name: `bot-${i}`, environment: "dev", roleName: `ai-bot-${i}-dev`, roleArn: `arn:aws:iam::111122223333:role/assistants/ai-bot-${i}-dev`, lookbackDays: 7 });
const plan = (n: number) => planAwsAudit(Array.from({ length: n }, (_, i) => ref(i)), AwsAuditPlatform.parse({}), { namePrefix: "ai", scope: SCOPE, grantKinds: ["s3-read"] });
const record = (role: string) => ({ eventCategory: "Management" as const, eventSource: "secretsmanager.amazonaws.com", eventName: "GetSecretValue", userIdentity: { arn: `arn:aws:sts::111122223333:assumed-role/${role}/s` } });
const sessionValues = (p: ReturnType<typeof plan>) => p.plan!.secretAccess.selectors[0].fieldSelectors.find((f) => f.field === "userIdentity.arn")!.startsWiths!;

test("a small stack keeps one session prefix per role", () => {
  expect(sessionValues(plan(10))).toHaveLength(10);
});

test("300 assistants fit: one stack-wide prefix, still selecting every assistant and nobody outside the prefix", () => {
  const p = plan(300);
  expect(p.errors).toEqual([]);
  expect(sessionValues(p)).toEqual(["arn:aws:sts::111122223333:assumed-role/ai-"]);
  expect(selectsEvent(p.plan!.secretAccess.selectors, record("ai-bot-299-dev"))).toBe(true);
  expect(selectsEvent(p.plan!.secretAccess.selectors, record("deploy-admin"))).toBe(false);
});
