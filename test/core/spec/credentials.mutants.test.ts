/**
 * Mutation gaps in core/spec/credentials.ts (the zod schemas of an assistant's `staticCredentials`
 * and their cross-field checks).
 *
 * Pins, per schema, which inputs are accepted (with the exact parsed output and its defaults) and the
 * exact issues (code, path, message) of rejected ones: the slug and date patterns, the owner, the
 * KMS key / rotation Lambda / rotation role ARNs, the GCP project id, the store union, the access
 * key's actions and resources, the credential's own fields and the list's ceiling. Then pins
 * `credentialErrors`: exact paths and messages of each cross-field error, and how findings of the
 * IAM judge on an access key are re-pathed and re-worded.
 * The schemas are built at import, so every test loads the module inside jest.isolateModules:
 * Stryker's per-test coverage credits only code that runs while a test runs.
 */
export {};

import type { CredentialAssistant, StaticCredential } from "../../../core/spec/credentials";

type CredentialsModule = typeof import("../../../core/spec/credentials");

// zod and the IAM judge are not under test here: the fresh copy of the module gets the instances
// loaded once for the file, so each test re-evaluates core/spec/credentials alone (a mutation run
// executes every test of this file for every mutant).
/* eslint-disable @typescript-eslint/no-require-imports */
const zod = require("zod") as typeof import("zod");
const iam = require("../../../core/iam") as typeof import("../../../core/iam");
/* eslint-enable @typescript-eslint/no-require-imports */

const load = (): CredentialsModule => {
  let m: CredentialsModule | undefined;
  jest.isolateModules(() => {
    jest.doMock("zod", () => zod);
    jest.doMock("../../../core/iam", () => iam);
    m = require("../../../core/spec/credentials") as CredentialsModule;
  });
  return m!;
};

interface Schema {
  safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: { code: string; path: PropertyKey[]; message: string }[] } };
}

/** The issues of a rejected input as { code, path, message }, or "accepted". */
const issues = (schema: Schema, v: unknown) => {
  const r = schema.safeParse(v);
  return r.success ? "accepted" : r.error!.issues.map((i) => ({ code: i.code, path: i.path, message: i.message }));
};
/** The parsed value of an accepted input (fails the test with the issues otherwise). */
const parsed = (schema: Schema, v: unknown) => {
  const r = schema.safeParse(v);
  expect(r.error?.issues ?? []).toEqual([]);
  return r.data;
};

const NOW = new Date("2026-12-01T00:00:00Z");
const LAMBDA = "arn:aws:lambda:eu-west-1:111122223333:function:rotate-billing";
const ROLE = "arn:aws:iam::111122223333:role/secret-rotation";
const UUID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const MRK = "mrk-1234abcd12ab34cd56ef1234567890ab";
const OWNER = { team: "payments", contact: "payments@acme.example" };
const JUSTIFICATION = "The on-premise billing API accepts only a static API key.";
const CRED = {
  id: "legacy-billing",
  system: "legacy-billing-api",
  owner: OWNER,
  justification: JUSTIFICATION,
  exceptionExpires: "2027-03-01",
  store: { kind: "aws-secretsmanager", rotationLambdaArn: LAMBDA, rotationRoleArn: ROLE },
};
const KEY = { actions: ["s3:PutObject"], resources: ["arn:aws:s3:::legacy-drop/exports/x.csv"] };

const TEAM_MSG = "expected the owning team as a lowercase slug";
const CONTACT_MSG = "expected a contact email address";
const OWNER_MSG = "expected an owner { team, contact }: who renews the exception and rotates the credential";
const DATE_MSG = "expected a date as YYYY-MM-DD";
const CALENDAR_MSG = "expected a real calendar date as YYYY-MM-DD";
const KMS_MSG = "expected a customer-managed KMS key id or key ARN (not an alias, not '*')";
const LAMBDA_MSG = "expected the ARN of the rotation Lambda function (arn:aws:lambda:REGION:ACCOUNT:function:NAME)";
const ROLE_MSG = "expected the ARN of the rotation Lambda's execution role (arn:aws:iam::ACCOUNT:role/NAME)";
const WINDOW_MSG = "expected 7 to 30 days";
const PROJECT_MSG = "expected a GCP project id such as acme-agents-prod";
const STORE_MSG = 'expected store.kind to be "aws-secretsmanager" or "gcp-secretmanager"';
const ACTION_MSG = "expected an exact IAM action such as s3:PutObject (no wildcard)";
const RESOURCE_MSG = "expected an exact resource ARN (the only wildcard allowed is a trailing /* under a fixed path)";
const ID_MSG = "expected a credential id (lowercase slug)";
const ID_SLUG_MSG = "expected a lowercase slug such as vendor-webhook";
const SYSTEM_MSG = "expected the system the credential opens (e.g. legacy-billing-api)";
const JUSTIFICATION_MSG = "expected a justification: why this system cannot take a short-lived token";

/** The assistant `credentialErrors` reads, with an aws section by default. */
const assistant = (creds: unknown[] | undefined, over: Partial<CredentialAssistant> = {}): CredentialAssistant => ({
  name: "pr-reviewer",
  expires: "2027-05-31",
  revoked: false,
  aws: {},
  ...(creds === undefined ? {} : { staticCredentials: creds as StaticCredential[] }),
  ...over,
});
const P = "assistants[0].staticCredentials[0]";

describe("CredentialOwner: team slug, contact email, the owner object", () => {
  test("a valid owner parses to exactly its fields (contact case-insensitive)", () => {
    const { CredentialOwner } = load();
    expect(parsed(CredentialOwner, OWNER)).toEqual(OWNER);
    for (const team of ["ab", "p2", "payments-core-9"]) expect(parsed(CredentialOwner, { ...OWNER, team })).toEqual({ ...OWNER, team });
    expect(parsed(CredentialOwner, { ...OWNER, contact: "Pay.Ments+x@Acme.Example" })).toEqual({ ...OWNER, contact: "Pay.Ments+x@Acme.Example" });
  });

  test.each(["payments-", "-payments", "1payments", "Payments", "pay ments", "a"])("team %p is rejected as a lowercase slug (anchored at both ends)", (team) => {
    const { CredentialOwner } = load();
    expect(issues(CredentialOwner, { ...OWNER, team })).toEqual([{ code: "invalid_format", path: ["team"], message: TEAM_MSG }]);
  });

  test("a non-string team or contact gets the owner field's own message", () => {
    const { CredentialOwner } = load();
    expect(issues(CredentialOwner, { team: 5, contact: 5 })).toEqual([
      { code: "invalid_type", path: ["team"], message: TEAM_MSG },
      { code: "invalid_type", path: ["contact"], message: CONTACT_MSG },
    ]);
  });

  test.each(["a@payments@acme.example", " payments@acme.example", "payments@acme.example x", "payments@acme.example1", "payments@acme", "payments"])(
    "contact %p is rejected as an email address (anchored at both ends)",
    (contact) => {
      const { CredentialOwner } = load();
      expect(issues(CredentialOwner, { ...OWNER, contact })).toEqual([{ code: "invalid_format", path: ["contact"], message: CONTACT_MSG }]);
    },
  );

  test("an owner that is not an object names both fields and why they matter", () => {
    const { CredentialOwner } = load();
    expect(issues(CredentialOwner, "payments")).toEqual([{ code: "invalid_type", path: [], message: OWNER_MSG }]);
    expect(issues(CredentialOwner, null)).toEqual([{ code: "invalid_type", path: [], message: OWNER_MSG }]);
  });
});

describe("AwsSecretsManagerStore: KMS key, rotation Lambda and role, recovery window", () => {
  test("a bare store defaults the recovery window to 30 days", () => {
    const { AwsSecretsManagerStore } = load();
    expect(parsed(AwsSecretsManagerStore, { kind: "aws-secretsmanager" })).toEqual({ kind: "aws-secretsmanager", recoveryWindowDays: 30 });
  });

  test("recovery windows of 7 and 30 days are accepted; 6 and 31 are rejected with the range", () => {
    const { AwsSecretsManagerStore } = load();
    for (const d of [7, 30]) expect(parsed(AwsSecretsManagerStore, { kind: "aws-secretsmanager", recoveryWindowDays: d })).toEqual({ kind: "aws-secretsmanager", recoveryWindowDays: d });
    expect(issues(AwsSecretsManagerStore, { kind: "aws-secretsmanager", recoveryWindowDays: 6 })).toEqual([{ code: "too_small", path: ["recoveryWindowDays"], message: WINDOW_MSG }]);
    expect(issues(AwsSecretsManagerStore, { kind: "aws-secretsmanager", recoveryWindowDays: 31 })).toEqual([{ code: "too_big", path: ["recoveryWindowDays"], message: WINDOW_MSG }]);
  });

  test.each([
    UUID, // a bare key id (the ARN prefix is optional)
    MRK, // a multi-Region key id: 32 hex digits
    `arn:aws:kms:eu-west-1:111122223333:key/${UUID}`, // the plain aws partition
    `arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/${MRK}`, // a partition with letters and '-'
    `arn:aws-cn:kms:cn-north-1:111122223333:key/${UUID}`,
  ])("kmsKeyId %p is accepted", (kmsKeyId) => {
    const { AwsSecretsManagerStore } = load();
    expect(parsed(AwsSecretsManagerStore, { kind: "aws-secretsmanager", kmsKeyId })).toEqual({ kind: "aws-secretsmanager", kmsKeyId, recoveryWindowDays: 30 });
  });

  test.each([
    "alias/aws/secretsmanager",
    "*",
    `x${UUID}`, // leading junk
    `${UUID}x`, // trailing junk
    `${MRK}0`, // 33 hex digits
    `arn:aws:kms:eu-west-1:111122223333:alias/${UUID}`,
    `arn:aws:kms:eu-west-1:11112222333:key/${UUID}`, // 11-digit account
  ])("kmsKeyId %p is rejected with the customer-managed key message", (kmsKeyId) => {
    const { AwsSecretsManagerStore } = load();
    expect(issues(AwsSecretsManagerStore, { kind: "aws-secretsmanager", kmsKeyId })).toEqual([{ code: "invalid_format", path: ["kmsKeyId"], message: KMS_MSG }]);
  });

  test.each([
    LAMBDA,
    "arn:aws:lambda:us-gov-west-1:111122223333:function:rotate_Billing-2:prod", // two region words, a named qualifier
    "arn:aws-cn:lambda:cn-north-1:111122223333:function:rotate:$LATEST", // a partition with '-', the $LATEST qualifier
    `arn:aws:lambda:eu-west-1:111122223333:function:${"f".repeat(64)}`,
  ])("rotationLambdaArn %p is accepted", (rotationLambdaArn) => {
    const { AwsSecretsManagerStore } = load();
    expect(parsed(AwsSecretsManagerStore, { kind: "aws-secretsmanager", rotationLambdaArn })).toEqual({ kind: "aws-secretsmanager", rotationLambdaArn, recoveryWindowDays: 30 });
  });

  test.each([
    `x${LAMBDA}`,
    `${LAMBDA}*`,
    `${LAMBDA}:`, // an empty qualifier
    `arn:aws:lambda:eu-west-1:111122223333:function:${"f".repeat(65)}`,
    "arn:aws:lambda:eu-west-1:111122223333:function:*",
  ])("rotationLambdaArn %p is rejected with the Lambda ARN message", (rotationLambdaArn) => {
    const { AwsSecretsManagerStore } = load();
    expect(issues(AwsSecretsManagerStore, { kind: "aws-secretsmanager", rotationLambdaArn })).toEqual([
      { code: "invalid_format", path: ["rotationLambdaArn"], message: LAMBDA_MSG },
    ]);
  });

  test.each([ROLE, "arn:aws-us-gov:iam::111122223333:role/service-role/rotate+x=y,z.w@v_u-t"])("rotationRoleArn %p is accepted", (rotationRoleArn) => {
    const { AwsSecretsManagerStore } = load();
    expect(parsed(AwsSecretsManagerStore, { kind: "aws-secretsmanager", rotationRoleArn })).toEqual({ kind: "aws-secretsmanager", rotationRoleArn, recoveryWindowDays: 30 });
  });

  test.each([`x${ROLE}`, `${ROLE}*`, `${ROLE} x`, "arn:aws:iam::111122223333:user/secret-rotation"])(
    "rotationRoleArn %p is rejected with the execution-role message",
    (rotationRoleArn) => {
      const { AwsSecretsManagerStore } = load();
      expect(issues(AwsSecretsManagerStore, { kind: "aws-secretsmanager", rotationRoleArn })).toEqual([
        { code: "invalid_format", path: ["rotationRoleArn"], message: ROLE_MSG },
      ]);
    },
  );
});

describe("GcpSecretManagerStore and the CredentialStore union", () => {
  test.each(["acme-agents-prod", "abcdef", `a${"b".repeat(28)}9`])("project %p (6 to 30 characters) is accepted", (project) => {
    const { GcpSecretManagerStore } = load();
    expect(parsed(GcpSecretManagerStore, { kind: "gcp-secretmanager", project })).toEqual({ kind: "gcp-secretmanager", project });
  });

  test("the project is optional", () => {
    const { GcpSecretManagerStore } = load();
    expect(parsed(GcpSecretManagerStore, { kind: "gcp-secretmanager" })).toEqual({ kind: "gcp-secretmanager" });
  });

  test.each(["-acme-agents-prod", "1acme-agents-prod", "acme-agents-prod-", "acme-agents-prod x", "abcde", `a${"b".repeat(29)}9`, "acme_agents"])(
    "project %p is rejected with the project-id message",
    (project) => {
      const { GcpSecretManagerStore } = load();
      expect(issues(GcpSecretManagerStore, { kind: "gcp-secretmanager", project })).toEqual([{ code: "invalid_format", path: ["project"], message: PROJECT_MSG }]);
    },
  );

  test("the union parses each kind with its own schema", () => {
    const { CredentialStore } = load();
    expect(parsed(CredentialStore, { kind: "aws-secretsmanager" })).toEqual({ kind: "aws-secretsmanager", recoveryWindowDays: 30 });
    expect(parsed(CredentialStore, { kind: "gcp-secretmanager", project: "acme-agents-prod" })).toEqual({ kind: "gcp-secretmanager", project: "acme-agents-prod" });
  });

  test("an unknown kind or a non-object store names both kinds", () => {
    const { CredentialStore } = load();
    expect(issues(CredentialStore, { kind: "vault" })).toEqual([{ code: "invalid_union", path: ["kind"], message: STORE_MSG }]);
    expect(issues(CredentialStore, "vault")).toEqual([{ code: "invalid_type", path: [], message: STORE_MSG }]);
  });
});

describe("AwsAccessKey: exact actions and resources", () => {
  test("several exact actions and resources are accepted as given", () => {
    const { AwsAccessKey } = load();
    const key = {
      actions: ["s3:PutObject", "s3:GetObject", "sqs:SendMessage"],
      resources: [
        "arn:aws:s3:::legacy-drop/exports/*", // a trailing /* under a fixed path
        "arn:aws:s3:::legacy-drop/exports/x.csv", // no trailing /*
        "arn:aws:sqs:eu-west-1:111122223333:legacy-queue", // a region and a 12-digit account
        "arn:aws-cn:s3:::legacy-drop", // a partition with '-'
      ],
    };
    expect(parsed(AwsAccessKey, key)).toEqual(key);
  });

  test("one action and 20 actions are accepted; none and 21 are rejected with their messages", () => {
    const { AwsAccessKey } = load();
    const actions20 = Array.from({ length: 20 }, () => "s3:GetObject");
    expect(parsed(AwsAccessKey, { ...KEY, actions: actions20 })).toEqual({ ...KEY, actions: actions20 });
    expect(parsed(AwsAccessKey, KEY)).toEqual(KEY);
    expect(issues(AwsAccessKey, { ...KEY, actions: [...actions20, "s3:GetObject"] })).toEqual([
      { code: "too_big", path: ["actions"], message: "expected at most 20 actions: a legacy integration needs few" },
    ]);
    expect(issues(AwsAccessKey, { actions: [], resources: [] })).toEqual([
      { code: "too_small", path: ["actions"], message: "expected at least one action the legacy integration needs" },
      { code: "too_small", path: ["resources"], message: "expected at least one exact resource ARN" },
    ]);
  });

  test.each(["s3:*", "S3:PutObject", " s3:PutObject", "s3:PutObject*", "s3:PutObject x", "s3:Put-Object", "PutObject"])(
    "action %p is rejected as an exact IAM action (anchored at both ends)",
    (action) => {
      const { AwsAccessKey } = load();
      expect(issues(AwsAccessKey, { ...KEY, actions: ["s3:PutObject", action] })).toEqual([{ code: "invalid_format", path: ["actions", 1], message: ACTION_MSG }]);
    },
  );

  test.each([
    "xarn:aws:s3:::legacy-drop",
    "arn:aws:s3:::legacy-drop/*x",
    "arn:aws:s3:::legacy-drop*",
    "arn:aws:s3:::*",
    "arn:aws:s3:::legacy drop",
    "arn:aws:sqs:eu-west-1:11112222333:legacy-queue", // 11-digit account
    "arn:aws:sqs:eu_west_1:111122223333:legacy-queue",
  ])("resource %p is rejected as an exact resource ARN", (resource) => {
    const { AwsAccessKey } = load();
    expect(issues(AwsAccessKey, { ...KEY, resources: [KEY.resources[0], resource] })).toEqual([{ code: "invalid_format", path: ["resources", 1], message: RESOURCE_MSG }]);
  });
});

describe("StaticCredential: fields, defaults and messages", () => {
  test("a valid credential parses with rotationDays 30 and the store's defaults", () => {
    const { StaticCredential } = load();
    expect(parsed(StaticCredential, CRED)).toEqual({ ...CRED, rotationDays: 30, store: { ...CRED.store, recoveryWindowDays: 30 } });
    expect(parsed(StaticCredential, { ...CRED, awsAccessKey: KEY })).toEqual({ ...CRED, awsAccessKey: KEY, rotationDays: 30, store: { ...CRED.store, recoveryWindowDays: 30 } });
  });

  test("a non-string id, system or justification and a non-number rotationDays get their own messages", () => {
    const { StaticCredential } = load();
    expect(issues(StaticCredential, { ...CRED, id: 5, system: 5, justification: 5, rotationDays: "30" })).toEqual([
      { code: "invalid_type", path: ["id"], message: ID_MSG },
      { code: "invalid_type", path: ["system"], message: SYSTEM_MSG },
      { code: "invalid_type", path: ["justification"], message: JUSTIFICATION_MSG },
      { code: "invalid_type", path: ["rotationDays"], message: "expected a rotation period in days" },
    ]);
  });

  test("an id that is no lowercase slug gets the slug message; a too short one the id message", () => {
    const { StaticCredential } = load();
    for (const id of ["Legacy-billing", "legacy-", "-legacy"]) {
      expect(issues(StaticCredential, { ...CRED, id })).toEqual([{ code: "invalid_format", path: ["id"], message: ID_SLUG_MSG }]);
    }
    expect(issues(StaticCredential, { ...CRED, id: "ab" })).toEqual([{ code: "too_small", path: ["id"], message: ID_MSG }]);
  });

  test("a system under 3 characters and a justification under 20 are rejected with their minimums", () => {
    const { StaticCredential } = load();
    expect(issues(StaticCredential, { ...CRED, system: "ab", justification: "x".repeat(19) })).toEqual([
      { code: "too_small", path: ["system"], message: "expected the system the credential opens (at least 3 characters)" },
      {
        code: "too_small",
        path: ["justification"],
        message: "expected a justification of at least 20 characters: why this system cannot take a short-lived token",
      },
    ]);
    expect(parsed(StaticCredential, { ...CRED, system: "abc", justification: "x".repeat(20) })).toMatchObject({ system: "abc", justification: "x".repeat(20) });
  });

  test("rotationDays: 1 and 90 are accepted; fractions, 0 and 91 are rejected with their messages", () => {
    const { StaticCredential } = load();
    for (const rotationDays of [1, 90]) expect(parsed(StaticCredential, { ...CRED, rotationDays })).toMatchObject({ rotationDays });
    expect(issues(StaticCredential, { ...CRED, rotationDays: 1.5 })).toEqual([{ code: "invalid_type", path: ["rotationDays"], message: "expected whole days" }]);
    expect(issues(StaticCredential, { ...CRED, rotationDays: 0 })).toEqual([{ code: "too_small", path: ["rotationDays"], message: "expected at least 1 day" }]);
    expect(issues(StaticCredential, { ...CRED, rotationDays: 91 })).toEqual([{ code: "too_big", path: ["rotationDays"], message: "expected at most 90 days between rotations" }]);
  });

  test("exceptionExpires: a leap day of a leap year is accepted", () => {
    const { StaticCredential } = load();
    expect(parsed(StaticCredential, { ...CRED, exceptionExpires: "2028-02-29" })).toMatchObject({ exceptionExpires: "2028-02-29" });
  });

  test("exceptionExpires: a non-string is rejected with the date message", () => {
    const { StaticCredential } = load();
    expect(issues(StaticCredential, { ...CRED, exceptionExpires: 20270301 })).toEqual([{ code: "invalid_type", path: ["exceptionExpires"], message: DATE_MSG }]);
  });

  test.each(["2027-3-1", "x2027-03-01", "2027-03-01x", "2027-03-01T00:00:00Z"])(
    "exceptionExpires %p is not YYYY-MM-DD (anchored at both ends): both the format and the calendar check fail",
    (exceptionExpires) => {
      const { StaticCredential } = load();
      expect(issues(StaticCredential, { ...CRED, exceptionExpires })).toEqual([
        { code: "invalid_format", path: ["exceptionExpires"], message: DATE_MSG },
        { code: "custom", path: ["exceptionExpires"], message: CALENDAR_MSG },
      ]);
    },
  );

  test.each(["2027-02-30", "2027-02-29", "2027-13-01", "2027-04-31"])("exceptionExpires %p is not a calendar date", (exceptionExpires) => {
    const { StaticCredential } = load();
    expect(issues(StaticCredential, { ...CRED, exceptionExpires })).toEqual([{ code: "custom", path: ["exceptionExpires"], message: CALENDAR_MSG }]);
  });
});

describe("StaticCredentials: the list", () => {
  test("an absent list defaults to an empty one", () => {
    const { StaticCredentials } = load();
    expect(StaticCredentials.parse(undefined)).toEqual([]);
  });

  test("one and ten credentials are accepted; eleven are rejected with the ceiling", () => {
    const { StaticCredentials } = load();
    const out = { ...CRED, rotationDays: 30, store: { ...CRED.store, recoveryWindowDays: 30 } };
    expect(parsed(StaticCredentials, [CRED])).toEqual([out]);
    expect(parsed(StaticCredentials, Array(10).fill(CRED))).toEqual(Array(10).fill(out));
    expect(issues(StaticCredentials, Array(11).fill(CRED))).toEqual([
      { code: "too_big", path: [], message: "expected at most 10 static credentials per assistant: ask why so many systems cannot federate" },
    ]);
  });
});

describe("credentialErrors: dates", () => {
  test("an assistant without static credentials has no errors", () => {
    const { credentialErrors } = load();
    expect(credentialErrors(assistant(undefined), 0, NOW)).toEqual([]);
    expect(credentialErrors(assistant([]), 0, NOW)).toEqual([]);
  });

  test("an expired exception names the credential, its system and its owner as team <contact>", () => {
    const { credentialErrors } = load();
    expect(credentialErrors(assistant([{ ...CRED, exceptionExpires: "2026-11-30" }]), 2, NOW)).toEqual([
      {
        path: "assistants[2].staticCredentials[0].exceptionExpires",
        message:
          'the exception for static credential "legacy-billing" (legacy-billing-api) expired on 2026-11-30: owner payments <payments@acme.example> must review it and set a new exceptionExpires, or remove the credential',
      },
    ]);
  });

  test("an exception exactly 366 days ahead is accepted; 367 days ahead is reported at exceptionExpires", () => {
    const { credentialErrors } = load();
    const a = (exceptionExpires: string) => assistant([{ ...CRED, exceptionExpires }], { expires: "2028-06-01" });
    expect(credentialErrors(a("2027-12-02"), 0, NOW)).toEqual([]);
    expect(credentialErrors(a("2027-12-03"), 0, NOW)).toEqual([
      { path: `${P}.exceptionExpires`, message: "expected an exception that ends within 366 days; got 2027-12-03: exceptions are reviewed at least yearly" },
    ]);
  });

  test("an exception past the assistant's expiry is reported at exceptionExpires; on the same day it is not", () => {
    const { credentialErrors } = load();
    expect(credentialErrors(assistant([{ ...CRED, exceptionExpires: "2027-05-31" }]), 0, NOW)).toEqual([]);
    expect(credentialErrors(assistant([{ ...CRED, exceptionExpires: "2027-06-01" }]), 0, NOW)).toEqual([
      { path: `${P}.exceptionExpires`, message: "expected the exception to end on or before the assistant's expiry (2027-05-31); got 2027-06-01" },
    ]);
  });
});

describe("credentialErrors: stores", () => {
  test("an aws-secretsmanager credential without the assistant's aws section is reported at store.kind", () => {
    const { credentialErrors } = load();
    expect(credentialErrors(assistant([CRED], { aws: undefined }), 0, NOW)).toEqual([
      { path: `${P}.store.kind`, message: "an aws-secretsmanager credential needs the assistant's aws section: only its role may read the secret" },
    ]);
  });

  test("a rotation role without a rotation Lambda is reported at store.rotationLambdaArn", () => {
    const { credentialErrors } = load();
    const ROLE_ONLY = "rotationRoleArn without rotationLambdaArn grants read access to a role that rotates nothing: set both or neither";
    expect(credentialErrors(assistant([{ ...CRED, store: { kind: "aws-secretsmanager", rotationRoleArn: ROLE }, awsAccessKey: KEY }]), 0, NOW)).toEqual([
      { path: `${P}.store.rotationLambdaArn`, message: ROLE_ONLY },
    ]);
    expect(credentialErrors(assistant([{ ...CRED, store: { kind: "aws-secretsmanager", rotationRoleArn: ROLE } }]), 0, NOW)).toEqual([
      {
        path: `${P}.store.rotationLambdaArn`,
        message: "expected rotationLambdaArn: a Secrets Manager secret rotates through a Lambda (only awsAccessKey credentials rotate by replacement)",
      },
      { path: `${P}.store.rotationLambdaArn`, message: ROLE_ONLY },
    ]);
  });

  test("a gcp-secretmanager credential is fine with the assistant's gcp section and without an access key", () => {
    const { credentialErrors } = load();
    expect(credentialErrors(assistant([{ ...CRED, store: { kind: "gcp-secretmanager" } }], { gcp: {} }), 0, NOW)).toEqual([]);
  });

  test("a gcp-secretmanager credential with an IAM user access key is reported at awsAccessKey", () => {
    const { credentialErrors } = load();
    expect(credentialErrors(assistant([{ ...CRED, store: { kind: "gcp-secretmanager" }, awsAccessKey: KEY }], { gcp: {} }), 0, NOW)).toEqual([
      { path: `${P}.awsAccessKey`, message: 'an IAM user access key is stored in AWS Secrets Manager: set store.kind "aws-secretsmanager"' },
    ]);
  });
});

describe("credentialErrors: the IAM judge's findings on an access key", () => {
  const withKey = (awsAccessKey: unknown) => assistant([{ ...CRED, store: { kind: "aws-secretsmanager" }, awsAccessKey }]);

  test("an exact data-plane key has no findings", () => {
    const { credentialErrors } = load();
    expect(credentialErrors(withKey(KEY), 0, NOW)).toEqual([]);
  });

  test("an action finding is re-pathed to awsAccessKey.actions[j] and loses its Statement[0] prefix", () => {
    const { credentialErrors } = load();
    expect(credentialErrors(withKey({ ...KEY, actions: ["s3:PutObject", "s3:PutObjekt"] }), 0, NOW)).toEqual([
      {
        path: `${P}.awsAccessKey.actions[1]`,
        message: 'must name an action AWS defines; got "s3:PutObjekt" (fix: Fix the spelling (service:ActionName) or remove the action.)',
      },
    ]);
  });

  test("a resource finding is re-pathed to awsAccessKey.resources[i]", () => {
    const { credentialErrors } = load();
    expect(credentialErrors(withKey({ ...KEY, resources: [KEY.resources[0], 5] }), 0, NOW)).toEqual([
      {
        path: `${P}.awsAccessKey.resources[1]`,
        message: "must be a string; got number (fix: Write the policy as an AWS policy document (Version, Statement with Effect/Action/Resource).)",
      },
    ]);
  });

  test("a statement-level finding is reported at awsAccessKey itself", () => {
    const { credentialErrors } = load();
    expect(credentialErrors(withKey({ resources: KEY.resources }), 0, NOW)).toEqual([
      {
        path: `${P}.awsAccessKey`,
        message: "must have exactly one of Action or NotAction (fix: Write the policy as an AWS policy document (Version, Statement with Effect/Action/Resource).)",
      },
    ]);
  });

  test("a finding without a path keeps its whole message: only a leading Statement[0] is dropped", () => {
    const { credentialErrors } = load();
    const actions: string[] = ["s3:PutObject"];
    Object.defineProperty(actions, 0, {
      get() {
        throw new Error("Statement[0] unreadable");
      },
    });
    expect(credentialErrors(withKey({ ...KEY, actions }), 0, NOW)).toEqual([
      {
        path: `${P}.awsAccessKey`,
        message:
          "the policy document must be a plain policy document; got an unreadable value (Statement[0] unreadable) (fix: Write the policy as an AWS policy document (Version, Statement with Effect/Action/Resource).)",
      },
    ]);
  });
});
