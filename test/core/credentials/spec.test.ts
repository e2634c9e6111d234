/** The static-credential spec: schema messages and the cross-field checks (owner named on an expired exception). */
import { z } from "zod";
import { credentialErrors, StaticCredential, StaticCredentials, DEFAULT_ROTATION_DAYS } from "../../../core/spec/credentials";
import { AuditPlatform, AuditSettings, auditErrors } from "../../../core/spec/audit";

const NOW = new Date("2026-12-01T00:00:00Z");
import { credential } from "./fixtures";

const LAMBDA = "arn:aws:lambda:eu-west-1:111122223333:function:rotate-billing";
const ROT_ROLE = "arn:aws:iam::111122223333:role/secret-rotation";

const assistant = (creds: unknown[], over: Record<string, unknown> = {}) => ({
  name: "pr-reviewer",
  expires: "2027-05-31",
  revoked: false,
  aws: {},
  staticCredentials: StaticCredentials.parse(creds),
  ...over,
});

const messages = (r: z.ZodSafeParseResult<unknown>) => (r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));

describe("StaticCredential schema", () => {
  test("defaults rotationDays to 30 and the recovery window to 30", () => {
    const c = StaticCredential.parse(credential());
    expect(c.rotationDays).toBe(DEFAULT_ROTATION_DAYS);
    expect(c.store).toEqual({ kind: "aws-secretsmanager", rotationLambdaArn: LAMBDA, rotationRoleArn: ROT_ROLE, recoveryWindowDays: 30 });
  });

  test("rotation beyond 90 days is rejected with the ceiling in the message", () => {
    expect(messages(StaticCredential.safeParse(credential({ rotationDays: 120 })))).toEqual(["rotationDays: expected at most 90 days between rotations"]);
    expect(StaticCredential.safeParse(credential({ rotationDays: 90 })).success).toBe(true);
  });

  test("a missing owner or justification is a config error", () => {
    const { owner: _o, ...noOwner } = credential();
    const { justification: _j, ...noJustification } = credential();
    expect(messages(StaticCredential.safeParse(noOwner))).toEqual(["owner: expected an owner { team, contact }: who renews the exception and rotates the credential"]);
    expect(messages(StaticCredential.safeParse(noJustification))).toEqual(["justification: expected a justification: why this system cannot take a short-lived token"]);
    expect(messages(StaticCredential.safeParse(credential({ justification: "legacy" })))).toEqual([
      "justification: expected a justification of at least 20 characters: why this system cannot take a short-lived token",
    ]);
    expect(messages(StaticCredential.safeParse(credential({ owner: { team: "payments" } })))).toEqual(["owner.contact: expected a contact email address"]);
  });

  test("strict objects, exact stores, exact access-key actions", () => {
    expect(messages(StaticCredential.safeParse(credential({ value: "hunter2" })))[0]).toMatch(/^: Unrecognized key: "value"/);
    expect(messages(StaticCredential.safeParse(credential({ store: { kind: "vault" } })))).toEqual(['store.kind: expected store.kind to be "aws-secretsmanager" or "gcp-secretmanager"']);
    expect(messages(StaticCredential.safeParse(credential({ store: { kind: "aws-secretsmanager", kmsKeyId: "alias/aws/secretsmanager" } })))).toEqual([
      "store.kmsKeyId: expected a customer-managed KMS key id or key ARN (not an alias, not '*')",
    ]);
    expect(messages(StaticCredential.safeParse(credential({ awsAccessKey: { actions: ["s3:*"], resources: ["arn:aws:s3:::*"] } })))).toEqual([
      "awsAccessKey.actions.0: expected an exact IAM action such as s3:PutObject (no wildcard)",
      "awsAccessKey.resources.0: expected an exact resource ARN (the only wildcard allowed is a trailing /* under a fixed path)",
    ]);
  });
});

describe("credentialErrors", () => {
  test("a valid credential has no problems", () => {
    expect(credentialErrors(assistant([credential()]), 0, NOW)).toEqual([]);
  });

  test("an expired exception fails with the owner's name and contact", () => {
    const errs = credentialErrors(assistant([credential(), credential({ id: "vendor-hook", exceptionExpires: "2026-11-30" })]), 3, NOW);
    expect(errs).toEqual([
      {
        path: "assistants[3].staticCredentials[1].exceptionExpires",
        message:
          'the exception for static credential "vendor-hook" (legacy-billing-api) expired on 2026-11-30: owner payments <payments@acme.example> must review it and set a new exceptionExpires, or remove the credential',
      },
    ]);
    // Access ends at 00:00Z of the date: the same day counts as expired.
    expect(credentialErrors(assistant([credential({ exceptionExpires: "2026-12-01" })]), 0, NOW)).toHaveLength(1);
  });

  test("the exception may not outlive the assistant, nor run more than a year", () => {
    expect(credentialErrors(assistant([credential({ exceptionExpires: "2027-06-01" })]), 0, NOW).map((e) => e.message)).toEqual([
      "expected the exception to end on or before the assistant's expiry (2027-05-31); got 2027-06-01",
    ]);
    expect(credentialErrors(assistant([credential({ exceptionExpires: "2028-01-01" })], { expires: "2028-06-01" }), 0, NOW).map((e) => e.message)).toEqual([
      "expected an exception that ends within 366 days; got 2028-01-01: exceptions are reviewed at least yearly",
    ]);
  });

  test("duplicate ids, missing rotation Lambda or role, store without its cloud", () => {
    const errs = credentialErrors(
      assistant([
        credential(),
        credential({ store: { kind: "aws-secretsmanager" } }),
        credential({ id: "x-rot", store: { kind: "aws-secretsmanager", rotationLambdaArn: LAMBDA } }),
        credential({ id: "gcp-one", store: { kind: "gcp-secretmanager" } }),
      ]),
      0,
      NOW,
    );
    expect(errs).toEqual([
      { path: "assistants[0].staticCredentials[1].id", message: '"legacy-billing" is declared twice (also staticCredentials[0]): ids are unique per assistant' },
      {
        path: "assistants[0].staticCredentials[1].store.rotationLambdaArn",
        message: "expected rotationLambdaArn: a Secrets Manager secret rotates through a Lambda (only awsAccessKey credentials rotate by replacement)",
      },
      {
        path: "assistants[0].staticCredentials[2].store.rotationRoleArn",
        message: "expected rotationRoleArn (the rotation Lambda's execution role): the resource policy denies every other principal, so rotation needs it named",
      },
      { path: "assistants[0].staticCredentials[3].store.kind", message: "a gcp-secretmanager credential needs the assistant's gcp section: only its principal may read the secret" },
    ]);
  });

  test("an IAM user key is judged like a raw statement: escalation and unknown actions fail closed", () => {
    const key = (actions: string[]) => credential({ store: { kind: "aws-secretsmanager" }, awsAccessKey: { actions, resources: ["arn:aws:s3:::legacy-drop/exports/x.csv"] } });
    expect(credentialErrors(assistant([key(["s3:PutObject"])]), 0, NOW)).toEqual([]);
    const esc = credentialErrors(assistant([key(["s3:PutObject", "iam:CreateAccessKey"])]), 0, NOW);
    expect(esc.length).toBeGreaterThan(0);
    expect(esc.every((e) => e.path.startsWith("assistants[0].staticCredentials[0].awsAccessKey.actions"))).toBe(true);
    expect(esc.map((e) => e.message).join(" ")).toMatch(/iam:CreateAccessKey/);
    expect(credentialErrors(assistant([key(["s3:PutObjekt"])]), 0, NOW).length).toBeGreaterThan(0);
  });
});

describe("audit spec", () => {
  test("defaults: CloudTrail Lake, 2557 / 365 days; GCP 400 / 90 days in the global location", () => {
    expect(AuditPlatform.parse({ aws: {}, gcp: {} })).toEqual({
      aws: { mechanism: "cloudtrail-lake", secretAccessRetentionDays: 2557, toolCallRetentionDays: 365 },
      gcp: { location: "global", secretAccessRetentionDays: 400, toolCallRetentionDays: 90, dataAccessServices: [] },
    });
    expect(AuditSettings.parse(undefined)).toEqual({ queryLookbackDays: 7 });
  });

  test("retention outside the store's range, and CloudWatch's fixed values", () => {
    expect(messages(AuditPlatform.safeParse({ aws: { toolCallRetentionDays: 4000 } }))).toEqual(["aws.toolCallRetentionDays: expected at most 3653 days of tool-call retention"]);
    const p = AuditPlatform.parse({ aws: { mechanism: "eventbridge-cloudwatch", toolCallRetentionDays: 100 } });
    expect(auditErrors(p)).toEqual([
      {
        path: "platform.audit.aws.toolCallRetentionDays",
        message: "expected a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); got 100",
      },
    ]);
    expect(auditErrors(AuditPlatform.parse({ aws: { mechanism: "eventbridge-cloudwatch", toolCallRetentionDays: 90, secretAccessRetentionDays: 2557 } }))).toEqual([]);
  });
});
