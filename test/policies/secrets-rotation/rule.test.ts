/**
 * Pins the exact observable behaviour of policies/rules/secrets-rotation.ts that the fixtures leave
 * loose: the schedule reader `scheduleIntervalDays` (rate units, regex anchoring and spacing, cron
 * field count, fixed year, month lists / ranges / steps / names, day-of-month vs day-of-week), how a
 * SecretRotation is linked to its secret (property dependency, id / name / ARN, dependencies, unknown
 * secretId), each finding's full message / path / value / fix / key, the boundaries at
 * maxRotationDays, identifierSecrets matching, and the GCP rotationPeriod / topics checks.
 */
import { policies } from "../../../policies/list";
import { runPolicies, InputResource } from "../../../policies/harness";
import { scheduleIntervalDays } from "../../../policies/rules/secrets-rotation";

const NOW = new Date("2026-11-15T12:00:00Z");
/** The engine's sentinel for a value unknown at preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const AWS_SECRET = "aws:secretsmanager/secret:Secret";
const AWS_ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
const GCP_SECRET = "gcp:secretmanager/secret:Secret";
const urnOf = (type: string, name: string) => `urn:pulumi:stack::project::${type}::${name}`;
const secretUrn = (name: string) => urnOf(AWS_SECRET, name);
const rotationUrn = (name: string) => urnOf(AWS_ROTATION, name);
const gcpUrn = (name: string) => urnOf(GCP_SECRET, name);

const pack = policies.filter((p) => p.name === "secrets-rotation");

/** An AWS secret named `prod/<name>` (override or drop props as needed). */
const secret = (name: string, props: Record<string, unknown> = { name: `prod/${name}` }): InputResource => ({ type: AWS_SECRET, name, props });
/** A SecretRotation `<secret>-rot` linked to its secret by a property dependency (secretId unknown, as at preview). */
const rotationOf = (secretName: string, props: Record<string, unknown>): InputResource => ({
  type: AWS_ROTATION,
  name: `${secretName}-rot`,
  props: { secretId: UNKNOWN, ...props },
  propertyDependencies: { secretId: [secretUrn(secretName)] },
});
const gcpSecret = (name: string, props: Record<string, unknown>): InputResource => ({ type: GCP_SECRET, name, props: { secretId: name, replication: { auto: {} }, ...props } });
const TOPICS = [{ name: "projects/p/topics/rotate" }];

/** The rule's violations: who, level, outcome and the structured finding. */
async function check(resources: InputResource[], config?: Record<string, unknown>) {
  const vs = await runPolicies(pack, resources, { now: NOW, config: config ? { "secrets-rotation": config } : undefined });
  return vs.map((v) => ({ urn: v.urn, enforcementLevel: v.enforcementLevel, outcome: v.outcome, finding: v.finding }));
}
const found = (urn: string, finding: Record<string, unknown>) => ({ urn, enforcementLevel: "mandatory", outcome: "finding", finding });

const NO_ROTATION = {
  message: "must have an aws.secretsmanager.SecretRotation in the stack; got none targeting this secret",
  fix: "add a SecretRotation with secretId: <this secret>.id and rotationRules.automaticallyAfterDays <= 90, or list the secret in identifierSecrets if it holds only identifiers",
  key: "no-rotation",
};

describe("scheduleIntervalDays: rate(...)", () => {
  test.each<[string, number]>([
    ["rate(5 days)", 5],
    ["rate(1 day)", 1],
    ["rate(10 days)", 10],
    ["RATE(3 DAYS)", 3],
    ["rate(48 hours)", 2],
    ["rate(24 hour)", 1],
    ["rate(2880 minutes)", 2],
    ["rate(1440 minute)", 1],
    // Spacing: inside the parentheses, between number and unit, around the expression.
    ["rate( 5 days )", 5],
    ["rate(5   days)", 5],
    ["  rate(5 days)  ", 5],
  ])("%p is %p days apart", (expr, days) => {
    expect(scheduleIntervalDays(expr)).toStrictEqual({ days });
  });

  test.each(["rate(1 week)", "xrate(5 days)", "rate(5 days)x", "rate(5days)", "bogus", ""])("%p is neither rate(...) nor cron(...)", (expr) => {
    expect(scheduleIntervalDays(expr)).toStrictEqual({ error: "is neither rate(...) nor cron(...)" });
  });
});

describe("scheduleIntervalDays: cron(...) shape", () => {
  test.each<[string, number]>([
    ["cron(0 0 * * ? *)", 1],
    ["cron( 0 0 * * ? * )", 1],
    ["cron(0  0 * *   ? *)", 1],
    ["  cron(0 0 * * ? *)  ", 1],
    ["CRON(0 0 * * ? *)", 1],
  ])("%p (daily) is %p day apart", (expr, days) => {
    expect(scheduleIntervalDays(expr)).toStrictEqual({ days });
  });

  test.each(["xcron(0 0 * * ? *)", "cron(0 0 * * ? *)x", "cron()"])("%p is neither rate(...) nor cron(...)", (expr) => {
    expect(scheduleIntervalDays(expr)).toStrictEqual({ error: "is neither rate(...) nor cron(...)" });
  });

  test.each(["cron(0 0 * * ?)", "cron(0 0 * * ? * *)", "cron(daily)"])("%p does not have 6 fields", (expr) => {
    expect(scheduleIntervalDays(expr)).toStrictEqual({ error: "cron needs 6 fields (minutes hours day-of-month month day-of-week year)" });
  });

  test("a fixed year is refused (the schedule stops)", () => {
    expect(scheduleIntervalDays("cron(0 0 * * ? 2027)")).toStrictEqual({ error: "a cron with a fixed year runs a bounded number of times" });
  });
});

describe("scheduleIntervalDays: month field", () => {
  test.each<[string, number]>([
    // Every month: "*" or "?".
    ["cron(0 0 * * ? *)", 1],
    ["cron(0 0 * ? ? *)", 1],
    // Quarterly as a list, as a step over "*", and as a step from a month: counted on the calendar
    // (Oct 1 -> Jan 1 is 92 days; a yearly run is 366 days apart across a leap day).
    ["cron(0 0 1 1,4,7,10 ? *)", 92],
    ["cron(0 0 1 */3 ? *)", 92],
    ["cron(0 0 1 1/3 ? *)", 92],
    // Ranges and names (any case); the gap wraps around the year.
    ["cron(0 0 1 JAN-MAR ? *)", 306],
    ["cron(0 0 1 1-3 ? *)", 306],
    ["cron(0 0 1 jan,jul ? *)", 184],
    ["cron(0 0 1 JUL,JAN ? *)", 184],
    ["cron(0 0 1 7,1 ? *)", 184],
    ["cron(0 0 1 10,2 ? *)", 243],
    ["cron(0 0 1 1,2 ? *)", 335],
    ["cron(0 0 1 12 ? *)", 366],
    ["cron(0 0 1 DEC ? *)", 366],
    ["cron(0 0 1 6 ? *)", 366],
    // Every month spelled out is monthly at the day level.
    ["cron(0 0 1 1-12 ? *)", 31],
    ["cron(0 0 * JAN-DEC ? *)", 1],
  ])("%p is up to %p days apart", (expr, days) => {
    expect(scheduleIntervalDays(expr)).toStrictEqual({ days });
  });

  test.each<[string, string]>([
    ["cron(0 0 1 13 ? *)", '"13"'],
    ["cron(0 0 1 0 ? *)", '"0"'],
    ["cron(0 0 1 1.5 ? *)", '"1.5"'],
    ["cron(0 0 1 1-13 ? *)", '"1-13"'],
    ["cron(0 0 1 FOO ? *)", '"FOO"'],
    ["cron(0 0 1 */x ? *)", '"*/x"'],
    // A step below 1 spoils the whole field, even when another part is readable.
    ["cron(0 0 1 12-1/0,3 ? *)", '"12-1/0,3"'],
    // Read with the day fields' grammar (the month field had a reader of its own that took these):
    // a reversed range, two dashes, a step that is not a plain integer, a number JavaScript reads but
    // AWS does not. Each spoils the field even beside a readable part.
    ["cron(0 0 1 12-1,3 ? *)", '"12-1,3"'],
    ["cron(0 0 1 1-2-3 ? *)", '"1-2-3"'],
    ["cron(0 0 1 1/2.0 ? *)", '"1/2.0"'],
    ["cron(0 0 1 1/3/2 ? *)", '"1/3/2"'],
    ["cron(0 0 1 0x3 ? *)", '"0x3"'],
    ["cron(0 0 1 1e1 ? *)", '"1e1"'],
    ["cron(0 0 1 1,,3 ? *)", '"1,,3"'],
  ])("%p: the month field %s cannot be read", (expr, field) => {
    expect(scheduleIntervalDays(expr)).toStrictEqual({ error: `cannot read month field ${field}` });
  });
});

describe("scheduleIntervalDays: day-of-month and day-of-week (every month)", () => {
  test.each<[string, number]>([
    ["cron(0 0 * * ? *)", 1],
    ["cron(0 0 ? * * *)", 1],
    ["cron(0 0 * * * *)", 1],
    ["cron(0 0 ? * ? *)", 1],
    // A fixed day of the month: monthly.
    ["cron(0 4 1 * ? *)", 31],
    ["cron(0 4 15 * * *)", 31],
    // A fixed day of the week: weekly.
    ["cron(0 0 ? * MON *)", 7],
    ["cron(0 0 * * 2 *)", 7],
  ])("%p is up to %p days apart", (expr, days) => {
    expect(scheduleIntervalDays(expr)).toStrictEqual({ days });
  });
});

// Defect found by the mutation review: a day some months lack (29-31) or an n-th/last weekday was
// taken to recur every month (31 days), so schedules up to 184 days apart passed a 90-day maximum.
// The expected gaps were counted on a calendar by hand (e.g. the 31st of every other month from
// January: Jul 31 -> Jan 31 skips Sep and Nov, 184 days).
describe("scheduleIntervalDays: days that some months lack, n-th and last weekdays", () => {
  test.each<[string, number]>([
    ["cron(0 0 31 */2 ? *)", 184],
    ["cron(0 0 31 * ? *)", 61],
    ["cron(0 0 29 2 ? *)", 1461],
    ["cron(0 0 30 * ? *)", 60], // Jan 30 -> Mar 30 in a leap year
    ["cron(0 0 ? * 6#5 *)", 119],
    ["cron(0 0 ? * FRI#1 *)", 35],
    ["cron(0 0 ? * 6L *)", 35],
    // Unchanged: every month has a 1st and a last day; a list holding the 1st runs every month.
    ["cron(0 0 28 * ? *)", 31],
    ["cron(0 0 1,31 * ? *)", 30],
    ["cron(0 0 L * ? *)", 31],
  ])("%p is up to %p days apart", (expr, days) => {
    expect(scheduleIntervalDays(expr)).toStrictEqual({ days });
  });

  test("a day no named month has never runs: an error, not a schedule", () => {
    expect(scheduleIntervalDays("cron(0 0 30 2 ? *)")).toStrictEqual({ error: "never runs (no month it names has that day)" });
  });

  test("the 31st of every other month fails a 90-day maximum through the rule", async () => {
    expect(await check([secret("db"), rotationOf("db", { rotationRules: { scheduleExpression: "cron(0 0 31 */2 ? *)" } })])).toStrictEqual([
      found(secretUrn("db"), {
        message: 'must rotate at least every 90 days; got "cron(0 0 31 */2 ? *)" (up to 184 days apart)',
        path: "db-rot.rotationRules.scheduleExpression",
        value: "cron(0 0 31 */2 ? *)",
        fix: "use a schedule at most 90 days apart",
        key: "rotation-too-slow",
      }),
    ]);
  });
});

describe("AWS secret: linking a rotation to its secret", () => {
  test("a secret without any rotation: the full engine message", async () => {
    const vs = await runPolicies(pack, [secret("db")], { now: NOW });
    expect(vs.map((v) => [v.urn, v.enforcementLevel, v.message])).toStrictEqual([
      [
        secretUrn("db"),
        "mandatory",
        "Flags AWS Secrets Manager secrets without a SecretRotation in the stack (or with one that is disabled or slower than maxRotationDays) and GCP Secret Manager secrets without rotation, without a rotation topic, or with a longer rotationPeriod.\n" +
          "aws:secretsmanager/secret:Secret 'db': must have an aws.secretsmanager.SecretRotation in the stack; got none targeting this secret. " +
          "Why it matters: A secret that never rotates stays valid after every leak, every departed engineer and every compromised agent session that once read it; rotation bounds how long stolen material works. " +
          "Fix: add a SecretRotation with secretId: <this secret>.id and rotationRules.automaticallyAfterDays <= 90, or list the secret in identifierSecrets if it holds only identifiers. " +
          "Finding key: no-rotation. " +
          "Standards: OWASP NHI7 Long-Lived Secrets; OWASP NHI2 Secret Leakage; OWASP ASI03 Identity and Privilege Abuse; MAESTRO L4; MAESTRO L6; NIST CSF PR.AA-01.",
      ],
    ]);
    expect(await check([secret("db")])).toStrictEqual([found(secretUrn("db"), NO_ROTATION)]);
  });

  test("a rotation whose secretId is the secret's id matches it", async () => {
    const resources = [
      secret("db", { name: "prod/db", id: "sec-db-id" }),
      { type: AWS_ROTATION, name: "db-rot", props: { secretId: "sec-db-id", rotationRules: { automaticallyAfterDays: 30 } } },
    ];
    expect(await check(resources)).toStrictEqual([]);
  });

  test("a rotation whose secretId is the secret's name matches it", async () => {
    const resources = [secret("db"), { type: AWS_ROTATION, name: "db-rot", props: { secretId: "prod/db", rotationRules: { automaticallyAfterDays: 30 } } }];
    expect(await check(resources)).toStrictEqual([]);
  });

  test("a known secretId that names no secret falls back to the rotation's dependencies (and the rotation is then checked)", async () => {
    const resources = [
      secret("db"),
      {
        type: AWS_ROTATION,
        name: "db-rot",
        props: { secretId: "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf", rotationRules: { automaticallyAfterDays: 120 } },
        dependencies: [secretUrn("db")],
      },
    ];
    expect(await check(resources)).toStrictEqual([
      found(secretUrn("db"), {
        message: "must rotate at least every 90 days; got automaticallyAfterDays 120",
        path: "db-rot.rotationRules.automaticallyAfterDays",
        value: 120,
        fix: "set automaticallyAfterDays to 90 or less",
        key: "rotation-too-slow",
      }),
    ]);
  });

  test("a known secretId that names no secret and no dependency: the secret has no rotation", async () => {
    const resources = [secret("db"), { type: AWS_ROTATION, name: "db-rot", props: { secretId: "arn:aws:secretsmanager:us-east-1:123456789012:secret:other-AbCdEf", rotationRules: { automaticallyAfterDays: 30 } } }];
    expect(await check(resources)).toStrictEqual([found(secretUrn("db"), NO_ROTATION)]);
  });

  test("an unknown secretId without a property dependency does not use the dependencies: the secret is reported (fail closed) and the rotation is an unknown", async () => {
    const resources = [
      secret("db"),
      { type: AWS_ROTATION, name: "db-rot", props: { secretId: UNKNOWN, rotationRules: { automaticallyAfterDays: 30 } }, dependencies: [secretUrn("db")] },
    ];
    expect(await check(resources)).toStrictEqual([
      found(secretUrn("db"), NO_ROTATION),
      {
        urn: rotationUrn("db-rot"),
        enforcementLevel: "mandatory",
        outcome: "unknown",
        finding: {
          message:
            "cannot be verified at preview: secretId is unknown (string value at .secretId can't be known during preview); unknown values are treated as failures (unknownValues: fail)",
          path: "secretId",
          fix: "make the value known at preview (a literal or a value computed from known inputs instead of another resource's output), or run the gate again on `pulumi up`/`pulumi stack export`, or set unknownValues: advisory for this policy",
          key: "unknown",
        },
      },
    ]);
  });

  test("a rotation without secretId links to no secret, even through its dependencies", async () => {
    const resources = [secret("db"), { type: AWS_ROTATION, name: "db-rot", props: { rotationRules: { automaticallyAfterDays: 30 } }, dependencies: [secretUrn("db")] }];
    expect(await check(resources)).toStrictEqual([found(secretUrn("db"), NO_ROTATION)]);
  });

  test("a property dependency on something other than a secret does not count: the known secretId still matches by ARN", async () => {
    const arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf";
    const versionUrn = urnOf("aws:secretsmanager/secretVersion:SecretVersion", "db-v1");
    const resources = [
      secret("db", { name: "prod/db", arn }),
      { type: "aws:secretsmanager/secretVersion:SecretVersion", name: "db-v1", props: { secretId: arn } },
      { type: AWS_ROTATION, name: "db-rot", props: { secretId: arn, rotationRules: { automaticallyAfterDays: 30 } }, propertyDependencies: { secretId: [versionUrn] } },
    ];
    expect(await check(resources)).toStrictEqual([]);
  });

  test("an empty secretId does not match a secret with an empty name", async () => {
    const resources = [secret("db", { name: "" }), { type: AWS_ROTATION, name: "db-rot", props: { secretId: "", rotationRules: { automaticallyAfterDays: 30 } } }];
    expect(await check(resources)).toStrictEqual([found(secretUrn("db"), NO_ROTATION)]);
  });
});

describe("AWS secret: the rotation's settings", () => {
  test("rotationEnabled: false", async () => {
    const resources = [secret("db"), rotationOf("db", { rotationEnabled: false, rotationRules: { automaticallyAfterDays: 30 } })];
    expect(await check(resources)).toStrictEqual([
      found(secretUrn("db"), { message: "must rotate; got rotationEnabled: false on db-rot", path: "db-rot.rotationEnabled", value: false, fix: "remove rotationEnabled: false", key: "rotation-disabled" }),
    ]);
  });

  test("automaticallyAfterDays equal to maxRotationDays passes; one more fails", async () => {
    expect(await check([secret("db"), rotationOf("db", { rotationRules: { automaticallyAfterDays: 90 } })])).toStrictEqual([]);
    expect(await check([secret("db"), rotationOf("db", { rotationRules: { automaticallyAfterDays: 91 } })])).toStrictEqual([
      found(secretUrn("db"), {
        message: "must rotate at least every 90 days; got automaticallyAfterDays 91",
        path: "db-rot.rotationRules.automaticallyAfterDays",
        value: 91,
        fix: "set automaticallyAfterDays to 90 or less",
        key: "rotation-too-slow",
      }),
    ]);
  });

  test("a schedule exactly maxRotationDays apart passes; one day more fails", async () => {
    expect(await check([secret("db"), rotationOf("db", { rotationRules: { scheduleExpression: "rate(90 days)" } })])).toStrictEqual([]);
    expect(await check([secret("db"), rotationOf("db", { rotationRules: { scheduleExpression: "rate(2160 hours)" } })])).toStrictEqual([]);
    expect(await check([secret("db"), rotationOf("db", { rotationRules: { scheduleExpression: "rate(91 days)" } })])).toStrictEqual([
      found(secretUrn("db"), {
        message: 'must rotate at least every 90 days; got "rate(91 days)" (up to 91 days apart)',
        path: "db-rot.rotationRules.scheduleExpression",
        value: "rate(91 days)",
        fix: "use a schedule at most 90 days apart",
        key: "rotation-too-slow",
      }),
    ]);
  });

  test("a quarterly cron is up to 92 days apart (Oct 1 -> Jan 1)", async () => {
    expect(await check([secret("db"), rotationOf("db", { rotationRules: { scheduleExpression: "cron(0 0 1 */3 ? *)" } })])).toStrictEqual([
      found(secretUrn("db"), {
        message: 'must rotate at least every 90 days; got "cron(0 0 1 */3 ? *)" (up to 92 days apart)',
        path: "db-rot.rotationRules.scheduleExpression",
        value: "cron(0 0 1 */3 ? *)",
        fix: "use a schedule at most 90 days apart",
        key: "rotation-too-slow",
      }),
    ]);
  });

  test("an unreadable schedule is reported with the reason", async () => {
    const resources = [secret("db"), rotationOf("db", { rotationRules: { scheduleExpression: "rate(1 week)" } }), secret("api"), rotationOf("api", { rotationRules: { scheduleExpression: "cron(0 0 * * ? 2027)" } })];
    expect(await check(resources)).toStrictEqual([
      found(secretUrn("db"), {
        message: 'must have a readable rotation schedule; got "rate(1 week)", which is neither rate(...) nor cron(...)',
        path: "db-rot.rotationRules.scheduleExpression",
        value: "rate(1 week)",
        fix: "use rate(N days) with N <= 90",
        key: "rotation-schedule-unreadable",
      }),
      found(secretUrn("api"), {
        message: 'must have a readable rotation schedule; got "cron(0 0 * * ? 2027)", which a cron with a fixed year runs a bounded number of times',
        path: "api-rot.rotationRules.scheduleExpression",
        value: "cron(0 0 * * ? 2027)",
        fix: "use rate(N days) with N <= 90",
        key: "rotation-schedule-unreadable",
      }),
    ]);
  });

  test("no rotationRules, or rotationRules with neither field: rotation-no-schedule", async () => {
    const expected = (name: string) =>
      found(secretUrn(name), {
        message: "must have rotationRules.automaticallyAfterDays or scheduleExpression; got neither",
        path: `${name}-rot.rotationRules`,
        fix: "set rotationRules.automaticallyAfterDays <= 90",
        key: "rotation-no-schedule",
      });
    const resources = [secret("db"), rotationOf("db", {}), secret("api"), rotationOf("api", { rotationRules: { duration: "2h" } })];
    expect(await check(resources)).toStrictEqual([expected("db"), expected("api")]);
  });

  test("maxRotationDays from the config appears in every message and fix", async () => {
    const resources = [secret("a"), rotationOf("a", { rotationRules: { scheduleExpression: "rate(31 days)" } }), secret("b"), rotationOf("b", {}), secret("c")];
    expect(await check(resources, { maxRotationDays: 30 })).toStrictEqual([
      found(secretUrn("a"), {
        message: 'must rotate at least every 30 days; got "rate(31 days)" (up to 31 days apart)',
        path: "a-rot.rotationRules.scheduleExpression",
        value: "rate(31 days)",
        fix: "use a schedule at most 30 days apart",
        key: "rotation-too-slow",
      }),
      found(secretUrn("b"), { message: "must have rotationRules.automaticallyAfterDays or scheduleExpression; got neither", path: "b-rot.rotationRules", fix: "set rotationRules.automaticallyAfterDays <= 30", key: "rotation-no-schedule" }),
      found(secretUrn("c"), { ...NO_ROTATION, fix: "add a SecretRotation with secretId: <this secret>.id and rotationRules.automaticallyAfterDays <= 30, or list the secret in identifierSecrets if it holds only identifiers" }),
    ]);
  });
});

describe("identifierSecrets", () => {
  test("a glob over the resource name alone skips the secret", async () => {
    expect(await check([secret("role-arn", { name: "prod/other" })], { identifierSecrets: ["role-arn"] })).toStrictEqual([]);
  });

  test("a glob over the URN alone skips the secret", async () => {
    expect(await check([secret("role-arn", { name: "prod/other" })], { identifierSecrets: ["urn:pulumi:*::role-arn"] })).toStrictEqual([]);
  });

  test("a glob over the AWS secret name alone skips the secret", async () => {
    expect(await check([secret("x", { name: "ai/claude/role-arn" })], { identifierSecrets: ["ai/*/role-arn"] })).toStrictEqual([]);
  });

  test("a glob that matches nothing skips nothing", async () => {
    expect(await check([secret("db")], { identifierSecrets: ["nothing-*"] })).toStrictEqual([found(secretUrn("db"), NO_ROTATION)]);
  });

  test("a secret without a name is not matched through its absent name", async () => {
    expect(await check([secret("db", {})], { identifierSecrets: ["undefined"] })).toStrictEqual([found(secretUrn("db"), NO_ROTATION)]);
  });

  test("a GCP secret listed by its secretId is not checked", async () => {
    expect(await check([gcpSecret("res-name", { secretId: "ai-client-id" })], { identifierSecrets: ["ai-*-id"] })).toStrictEqual([]);
  });
});

describe("GCP secret", () => {
  const NO_TOPIC = {
    message: "must name a Pub/Sub topic for rotation notifications; got no topics",
    path: "topics",
    fix: "add topics: [{ name: <topic>.id }] and grant the Secret Manager service agent roles/pubsub.publisher on it",
    key: "no-rotation-topic",
  };

  test("neither rotation nor topics", async () => {
    expect(await check([gcpSecret("tok", {})])).toStrictEqual([
      found(gcpUrn("tok"), {
        message: "must set rotation.rotationPeriod (and nextRotationTime); got no rotation",
        path: "rotation",
        fix: 'set rotation { rotationPeriod: "7776000s", nextRotationTime } and a rotation topic',
        key: "no-rotation",
      }),
      found(gcpUrn("tok"), NO_TOPIC),
    ]);
  });

  test("an empty topics list is no topic", async () => {
    expect(await check([gcpSecret("tok", { rotation: { rotationPeriod: "2592000s" }, topics: [] })])).toStrictEqual([found(gcpUrn("tok"), NO_TOPIC)]);
  });

  test("a rotationPeriod of exactly maxRotationDays passes; one second more fails (rounded days in the message)", async () => {
    expect(await check([gcpSecret("tok", { rotation: { rotationPeriod: "7776000s" }, topics: TOPICS })])).toStrictEqual([]);
    expect(await check([gcpSecret("tok", { rotation: { rotationPeriod: "7776001s" }, topics: TOPICS })])).toStrictEqual([
      found(gcpUrn("tok"), {
        message: 'must rotate at least every 90 days; got rotationPeriod "7776001s" (90 days)',
        path: "rotation.rotationPeriod",
        value: "7776001s",
        fix: 'set rotationPeriod to "7776000s" or less',
        key: "rotation-too-slow",
      }),
    ]);
  });

  test("a yearly rotationPeriod, with maxRotationDays from the config", async () => {
    expect(await check([gcpSecret("tok", { rotation: { rotationPeriod: "31536000s" }, topics: TOPICS })], { maxRotationDays: 30 })).toStrictEqual([
      found(gcpUrn("tok"), {
        message: 'must rotate at least every 30 days; got rotationPeriod "31536000s" (365 days)',
        path: "rotation.rotationPeriod",
        value: "31536000s",
        fix: 'set rotationPeriod to "2592000s" or less',
        key: "rotation-too-slow",
      }),
    ]);
  });

  test.each(["2592000s", " 2592000s ", "2592000.25s", "2592000.5s"])("rotationPeriod %p is read as 30 days (passes)", async (rotationPeriod) => {
    expect(await check([gcpSecret("tok", { rotation: { rotationPeriod }, topics: TOPICS })])).toStrictEqual([]);
  });

  test.each<[string, string]>([
    ["P30D", 'must rotate at least every 90 days; got rotationPeriod "P30D"'],
    ["x2592000s", 'must rotate at least every 90 days; got rotationPeriod "x2592000s"'],
    ["2592000sx", 'must rotate at least every 90 days; got rotationPeriod "2592000sx"'],
    ["2592000.s", 'must rotate at least every 90 days; got rotationPeriod "2592000.s"'],
    ["30d", 'must rotate at least every 90 days; got rotationPeriod "30d"'],
  ])("rotationPeriod %p cannot be read: reported without a day count", async (rotationPeriod, message) => {
    expect(await check([gcpSecret("tok", { rotation: { rotationPeriod }, topics: TOPICS })])).toStrictEqual([
      found(gcpUrn("tok"), {
        message,
        path: "rotation.rotationPeriod",
        value: rotationPeriod,
        fix: 'set rotationPeriod to "7776000s" or less',
        key: "rotation-too-slow",
      }),
    ]);
  });
});

describe("scheduleIntervalDays: every day-of-month and day-of-week form Secrets Manager accepts, counted on the calendar", () => {
  test.each<[string, number]>([
    // Steps in the day of the month: AWS's own example, every 7 days from the 1st (… 29th, then the 1st).
    ["cron(0 8 1/7 * ? *)", 7],
    ["cron(0 0 */10 * ? *)", 10], // 1, 11, 21, 31: Jan 21 -> Feb 1 is 11 days, but Feb 21 -> Mar 1 is 8 and Apr 21 -> May 1 is 10
    ["cron(0 0 1-20/5 * ? *)", 16], // 1, 6, 11, 16: the 16th of a 31-day month -> the 1st
    ["cron(0 0 1,15 * ? *)", 17],
    // Days of the week: ranges, lists, steps, the last day of the week (Saturday).
    ["cron(0 0 ? * MON-FRI *)", 3],
    ["cron(0 0 ? * 2-6 *)", 3],
    ["cron(0 0 ? * MON,THU *)", 4],
    ["cron(0 0 ? * 2/2 *)", 3], // Mon, Wed, Fri
    ["cron(0 0 ? * SUN-SAT *)", 1],
    ["cron(0 0 ? * L *)", 7],
    ["cron(0 0 ? * sun#2 *)", 35],
  ])("%p is up to %p days apart", (expr, days) => {
    expect(scheduleIntervalDays(expr)).toStrictEqual({ days });
  });

  test.each(["x29", "15W", "LW", "32", "0", "5-3", "1/0", "1/x", "1/2/3", "/2", "1-2-3", "1,", "L-3"])("the day-of-month field %p cannot be read", (dom) => {
    expect(scheduleIntervalDays(`cron(0 0 ${dom} * ? *)`)).toStrictEqual({ error: `cannot read day-of-month field ${JSON.stringify(dom)}` });
  });

  test.each(["FRI#6", "FRI#0", "8", "0", "XYZ", "XYZL", "8L", "FRI#x", "FRI#1x", "-FRI#1", "6Lx", "-6L", "FRI-MON", "MON/0", "MON,"])("the day-of-week field %p cannot be read", (dow) => {
    expect(scheduleIntervalDays(`cron(0 0 ? * ${dow} *)`)).toStrictEqual({ error: `cannot read day-of-week field ${JSON.stringify(dow)}` });
  });

  test("a day of the month and a day of the week together: an error (AWS wants one of them to be ?)", () => {
    expect(scheduleIntervalDays("cron(0 0 15 * MON *)")).toStrictEqual({ error: "sets both day-of-month and day-of-week (one of them must be ?)" });
  });

  /** Counted another way: one Date per day from 2025 to 2052 (made once), fields read by a separate small matcher, gaps including the wrap to 2053. */
  const CALENDAR = (() => {
    const out: Array<{ t: number; d: number; m: number; wd: number; monthLength: number }> = [];
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2053, 0, 1); t += 86_400_000) {
      const date = new Date(t);
      const m = date.getUTCMonth() + 1;
      out.push({ t: t / 86_400_000, d: date.getUTCDate(), m, wd: date.getUTCDay() + 1, monthLength: new Date(Date.UTC(date.getUTCFullYear(), m, 0)).getUTCDate() });
    }
    return out;
  })();
  function bruteForceGap(dom: string, month: string, dow: string): number | undefined {
    const names: Record<string, number> = { SUN: 1, MON: 2, TUE: 3, WED: 4, THU: 5, FRI: 6, SAT: 7, JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, OCT: 10, NOV: 11, DEC: 12 };
    const expand = (field: string, max: number) => {
      const set = new Set<number>();
      for (const part of field.split(",")) {
        const [r, st] = part.split("/");
        const [a, b] = r === "*" ? [1, max] : r.split("-").map((x) => names[x.toUpperCase()] ?? Number(x));
        for (let v = a; v <= (b ?? (st ? max : a)); v += Number(st ?? 1)) set.add(v);
      }
      return set;
    };
    const months = expand(month, 12);
    const domSet = dom === "L" || dom === "*" || dom === "?" ? undefined : expand(dom, 31);
    const dowSet = /[#L]/.test(dow) || dow === "*" || dow === "?" ? undefined : expand(dow, 7);
    const runs: number[] = [];
    for (const { t, d, m, wd, monthLength } of CALENDAR) {
      let ok = months.has(m);
      if (dom === "L") ok &&= d === monthLength;
      else if (domSet) ok &&= domSet.has(d);
      if (/#/.test(dow)) {
        const [day, n] = dow.split("#");
        ok &&= wd === (names[day.toUpperCase()] ?? Number(day)) && d > 7 * (Number(n) - 1) && d <= 7 * Number(n);
      } else if (dow === "L") ok &&= wd === 7; // the last day of the week: every Saturday
      else if (/L$/.test(dow)) ok &&= wd === (names[dow.slice(0, -1).toUpperCase()] ?? Number(dow.slice(0, -1))) && monthLength - d < 7;
      else if (dowSet) ok &&= dowSet.has(wd);
      if (ok) runs.push(t);
    }
    if (runs.length === 0) return undefined;
    let gap = runs[0] + (Date.UTC(2053, 0, 1) - Date.UTC(2025, 0, 1)) / 86_400_000 - runs[runs.length - 1];
    for (let i = 1; i < runs.length; i++) gap = Math.max(gap, runs[i] - runs[i - 1]);
    return gap;
  }

  const DOMS = ["*", "1", "15", "28", "29", "30", "31", "L", "1,15", "29-31", "1/7", "*/10", "5-25/10"];
  const DOWS = ["MON", "2-6", "SAT,SUN", "2/3", "FRI#1", "6#5", "MON#4", "5L", "SUNL", "L"];
  const MONTHS = ["*", "1,4,7,10", "*/2", "FEB", "2-3", "JAN,JUL", "11-12", "2/5"];
  const exprs = MONTHS.flatMap((month) => [...DOMS.map((dom) => [dom, month, "?"]), ...DOWS.map((dow) => ["?", month, dow])]);

  test(`${exprs.length} schedules: the same longest gap as a day-by-day count with Date`, () => {
    const differ: string[] = [];
    for (const [dom, month, dow] of exprs) {
      const expected = bruteForceGap(dom, month, dow);
      const got = scheduleIntervalDays(`cron(0 0 ${dom} ${month} ${dow} *)`);
      const want = expected === undefined ? { error: "never runs (no month it names has that day)" } : { days: expected };
      if (JSON.stringify(got) !== JSON.stringify(want)) differ.push(`${dom} ${month} ${dow}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
    }
    expect(differ).toEqual([]);
  });
});
