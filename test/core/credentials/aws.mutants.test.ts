/**
 * Pins the exact observable behaviour of core/credentials/aws.ts that plan.test.ts left loose: the
 * exported action lists and user path (loaded inside the tests: they are module-level constants),
 * the resource policy's exempt list when revoked (with and without a rotation role), the secret ARN
 * pattern, a KMS key given as an ARN, the refusal of a non-AWS store, the exact description, rotation
 * only when both the Lambda and its role are named, the 64-character IAM user name and sorted
 * access-key resources.
 */
import { planAwsCredential, secretArnPattern, secretReadGrant, secretResourcePolicy } from "../../../core/credentials/aws";
import { StaticCredential } from "../../../core/spec/credentials";
import { credential } from "./fixtures";

const NOW = new Date("2026-12-01T00:00:00Z");
const ACCOUNT = "111122223333";
const SCOPE = { partition: "aws", accountId: ACCOUNT, region: "eu-west-1" };
const OWNER_ROLE = `arn:aws:iam::${ACCOUNT}:role/assistants/ai-pr-reviewer-dev`;
const ROT_ROLE = `arn:aws:iam::${ACCOUNT}:role/secret-rotation`;
const LAMBDA = `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:rotate-billing`;
const SECRET_ARN = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:ai/pr-reviewer/dev/legacy-billing-??????`;
const UNTIL = { DateLessThan: { "aws:CurrentTime": "2027-03-01T00:00:00Z" } };
const live = { name: "pr-reviewer", environment: "dev", expires: "2027-05-31", revoked: false };
const awsCtx = (over: Partial<typeof live> = {}) => ({ namePrefix: "ai", assistant: { ...live, ...over }, scope: SCOPE, roleArn: OWNER_ROLE, now: NOW });
const parse = (over: Record<string, unknown> = {}) => StaticCredential.parse(credential(over));

type AwsModule = typeof import("../../../core/credentials/aws");
/** A fresh copy of the module, so its module-level constants are evaluated inside the test. */
// Its imports are shared, loaded once with this file: re-evaluating them inside a test would make their
// module-level tables (core/iam's escalation sets, reached through core/aws/plan) count as covered by it.
/* eslint-disable @typescript-eslint/no-require-imports */
const SHARED: Record<string, unknown> = {
  "../../../core/aws/types": require("../../../core/aws/types"),
  "../../../core/aws/plan": require("../../../core/aws/plan"),
  "../../../core/credentials/schedule": require("../../../core/credentials/schedule"),
  "../../../core/credentials/common": require("../../../core/credentials/common"),
};
/* eslint-enable @typescript-eslint/no-require-imports */
const freshModule = (): AwsModule => {
  let m: AwsModule | undefined;
  jest.isolateModules(() => {
    for (const [path, instance] of Object.entries(SHARED)) jest.doMock(path, () => instance);
    m = require("../../../core/credentials/aws");
  });
  return m!;
};

describe("module constants", () => {
  test("read actions are DescribeSecret and GetSecretValue; only GetSecretValue is denied to others; users live under /assistants/static/", () => {
    const m = freshModule();
    expect(m.SECRET_READ_ACTIONS).toEqual(["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]);
    expect(m.SECRET_DENIED_ACTIONS).toEqual(["secretsmanager:GetSecretValue"]);
    expect(m.STATIC_USER_PATH).toBe("/assistants/static/");
  });

  test("the resource policy denies GetSecretValue and allows the owner both read actions (fresh module)", () => {
    const m = freshModule();
    expect(m.secretResourcePolicy({ roleArn: OWNER_ROLE, accessEndsAt: "2027-03-01T00:00:00Z", disabled: false }).Statement).toEqual([
      {
        Sid: "DenyReadsToEveryoneButOwner",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: ["secretsmanager:GetSecretValue"],
        Resource: ["*"],
        Condition: { StringNotEquals: { "aws:PrincipalArn": [OWNER_ROLE] } },
      },
      { Sid: "AllowOwnerRead", Effect: "Allow", Principal: { AWS: OWNER_ROLE }, Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], Resource: ["*"], Condition: UNTIL },
    ]);
  });

  test("the IAM user of an access key gets the path /assistants/static/ (fresh module)", () => {
    const m = freshModule();
    const c = parse({ store: { kind: "aws-secretsmanager" }, awsAccessKey: { actions: ["s3:PutObject"], resources: ["arn:aws:s3:::legacy-drop/exports/*"] } });
    expect(m.planAwsCredential(c, awsCtx()).accessKey!.userPath).toBe("/assistants/static/");
  });
});

describe("secretResourcePolicy: the exempt list", () => {
  test("revoked with a rotation role: the Deny exempts the rotation role alone (not the owner), no Allow", () => {
    expect(secretResourcePolicy({ roleArn: OWNER_ROLE, rotationRoleArn: ROT_ROLE, accessEndsAt: "2027-03-01T00:00:00Z", disabled: true })).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "DenyReadsRevoked", Effect: "Deny", Principal: { AWS: "*" }, Action: ["secretsmanager:GetSecretValue"], Resource: ["*"], Condition: { StringNotEquals: { "aws:PrincipalArn": [ROT_ROLE] } } },
      ],
    });
  });

  test("revoked without a rotation role: the Deny has no Condition (nobody is exempt)", () => {
    const p = secretResourcePolicy({ roleArn: OWNER_ROLE, accessEndsAt: "2027-03-01T00:00:00Z", disabled: true });
    expect(p.Statement).toEqual([{ Sid: "DenyReadsRevoked", Effect: "Deny", Principal: { AWS: "*" }, Action: ["secretsmanager:GetSecretValue"], Resource: ["*"] }]);
    expect(Object.keys(p.Statement[0])).toEqual(["Sid", "Effect", "Principal", "Action", "Resource"]);
  });
});

describe("secretArnPattern", () => {
  test("is the Secrets Manager ARN of the secret name followed by -??????", () => {
    expect(secretArnPattern({ secretName: "ai/pr-reviewer/dev/legacy-billing" }, SCOPE)).toBe(SECRET_ARN);
    expect(secretArnPattern({ secretName: "x/y" }, { partition: "aws-cn", accountId: "444455556666", region: "cn-north-1" })).toBe("arn:aws-cn:secretsmanager:cn-north-1:444455556666:secret:x/y-??????");
  });
});

describe("secretReadGrant: KMS key", () => {
  test("a key given as an ARN is used as is (not wrapped in another key ARN)", () => {
    const keyArn = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0b5e3d2a-1111-4c2b-9a7e-3c3c3c3c3c3c`;
    const grant = secretReadGrant({ id: "legacy-billing", disabled: false, accessEndsAt: "2027-03-01T00:00:00Z", kmsKeyId: keyArn }, SECRET_ARN, SCOPE);
    expect(grant!.Statement[1]).toEqual({
      Sid: "DecryptViaSecretsManager",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [keyArn],
      Condition: { ...UNTIL, StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
    });
  });
});

describe("planAwsCredential", () => {
  test("refuses a credential stored in GCP Secret Manager, naming it", () => {
    const c = parse({ id: "vendor-hook", store: { kind: "gcp-secretmanager" } });
    expect(() => planAwsCredential(c, awsCtx())).toThrow(new Error("static credential vendor-hook is not stored in aws-secretsmanager"));
  });

  test("the secret's description names the system, assistant, environment, owner, exception end and justification", () => {
    expect(planAwsCredential(parse(), awsCtx()).description).toBe(
      "Static credential for legacy-billing-api used by AI assistant pr-reviewer (dev); owner payments; exception until 2027-03-01. The on-premise billing API accepts only a static API key (vendor roadmap: OIDC in 2027).",
    );
  });

  test("rotation is planned only when both the Lambda and its role are named", () => {
    expect(planAwsCredential(parse({ store: { kind: "aws-secretsmanager", rotationLambdaArn: LAMBDA } }), awsCtx()).rotation).toBeNull();
    expect(planAwsCredential(parse({ store: { kind: "aws-secretsmanager", rotationRoleArn: ROT_ROLE } }), awsCtx()).rotation).toBeNull();
    expect(planAwsCredential(parse(), awsCtx()).rotation).toEqual({ lambdaArn: LAMBDA, roleArn: ROT_ROLE, automaticallyAfterDays: 30 });
  });

  test("the IAM user name is cut to IAM's 64 characters", () => {
    const c = parse({
      id: "legacy-billing-export-to-the-on-prem-api",
      store: { kind: "aws-secretsmanager" },
      awsAccessKey: { actions: ["s3:PutObject"], resources: ["arn:aws:s3:::legacy-drop/exports/*"] },
    });
    const p = planAwsCredential(c, { ...awsCtx({ name: "pr-reviewer-for-the-billing-team", environment: "stage" }), namePrefix: "aiplatfm" });
    expect(p.accessKey!.userName).toBe("aiplatfm-pr-reviewer-for-the-billing-team-stage-legacy-billing-e");
  });

  test("the access key's resources are sorted, like its actions", () => {
    const c = parse({
      store: { kind: "aws-secretsmanager" },
      awsAccessKey: { actions: ["s3:PutObject", "s3:GetObject"], resources: ["arn:aws:s3:::legacy-drop/exports/z.csv", "arn:aws:s3:::legacy-drop/exports/a.csv"] },
    });
    expect(planAwsCredential(c, awsCtx()).accessKey!.policy.Statement).toEqual([
      {
        Sid: "LegacyIntegrationOnly",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject"],
        Resource: ["arn:aws:s3:::legacy-drop/exports/a.csv", "arn:aws:s3:::legacy-drop/exports/z.csv"],
        Condition: UNTIL,
      },
    ]);
  });
});
