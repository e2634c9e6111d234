/**
 * Static-credential plans: the rotation grid, the two overlapping keys, the exact AWS and GCP
 * artefacts, and the IAM simulator's proof that only the owning assistant's role reads its secret.
 */
import { boundaryPolicy } from "../../../core/aws/boundary";
import { planAwsCredential, planGcpCredential, rotationSchedule, keyRotation, secretReadGrant, inventoryCredential, packExceptions, ROTATION_EPOCH } from "../../../core/credentials";
import { StaticCredential as InventoryCredential } from "../../../core/inventory/schema";
import { StaticCredential } from "../../../core/spec/credentials";
import { evaluateIamCondition } from "../../../core/gcp/cel";
import { decideIdentity } from "../../support/iam-oracle";
import { credential } from "./fixtures";

const NOW = new Date("2026-12-01T00:00:00Z");
const ACCOUNT = "111122223333";
const SCOPE = { partition: "aws", accountId: ACCOUNT, region: "eu-west-1" };
const OWNER_ROLE = `arn:aws:iam::${ACCOUNT}:role/assistants/ai-pr-reviewer-dev`;
const OTHER_ROLE = `arn:aws:iam::${ACCOUNT}:role/assistants/ai-triage-bot-dev`;
const ROT_ROLE = `arn:aws:iam::${ACCOUNT}:role/secret-rotation`;
const SECRET_ARN = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:ai/pr-reviewer/dev/legacy-billing-AbCdEf`;
const live = { name: "pr-reviewer", environment: "dev", expires: "2027-05-31", revoked: false };
const awsCtx = (over: Partial<typeof live> = {}, now = NOW) => ({ namePrefix: "ai", assistant: { ...live, ...over }, scope: SCOPE, roleArn: OWNER_ROLE, now });
const parse = (over: Record<string, unknown> = {}) => StaticCredential.parse(credential(over));
const DAY = 86_400_000;

describe("rotation grid", () => {
  test("next rotation is the next grid point after now; re-planning within a period gives the same answer", () => {
    expect(rotationSchedule(30, NOW)).toEqual({ rotationDays: 30, generation: 11, periodStart: "2026-11-27T00:00:00Z", next: "2026-12-27T00:00:00Z" });
    expect(rotationSchedule(30, new Date("2026-12-26T23:59:00Z")).next).toBe("2026-12-27T00:00:00Z");
    expect(rotationSchedule(30, new Date("2026-12-27T00:00:00Z")).next).toBe("2027-01-26T00:00:00Z");
    // GCP needs at least 300 s of lead: a rotation 60 s away moves one period on.
    expect(rotationSchedule(30, new Date("2026-12-26T23:59:00Z"), { minLeadSeconds: 300 }).next).toBe("2027-01-26T00:00:00Z");
  });

  test("two keys, each living 2N days, replaced alternately every N days: a valid older key always overlaps the newest", () => {
    const n = 30;
    for (let t = ROTATION_EPOCH + 3 * DAY; t < ROTATION_EPOCH + 400 * DAY; t += 7 * DAY + 3_600_000) {
      const r = keyRotation(n, new Date(t));
      const [a, b] = r.slots;
      expect(a.rotationDays).toBe(60);
      // Each slot's life contains now.
      for (const s of r.slots) {
        expect(Date.parse(s.rfc3339)).toBeLessThanOrEqual(t);
        expect(Date.parse(s.nextRotation)).toBeGreaterThan(t);
        expect(Date.parse(s.nextRotation) - Date.parse(s.rfc3339)).toBe(60 * DAY);
      }
      // The slots are N days apart, so the older one is valid at least until the newer one is N days old.
      expect(Math.abs(Date.parse(a.rfc3339) - Date.parse(b.rfc3339))).toBe(n * DAY);
      const newest = r.current === "a" ? a : b;
      expect(Date.parse(newest.rfc3339)).toBe(Math.max(Date.parse(a.rfc3339), Date.parse(b.rfc3339)));
      expect(r.nextRotation).toBe([a.nextRotation, b.nextRotation].sort()[0]);
    }
  });
});

describe("AWS plan", () => {
  test("exact secret, resource policy, rotation and tags", () => {
    const p = planAwsCredential(parse({ store: { kind: "aws-secretsmanager", rotationLambdaArn: "arn:aws:lambda:eu-west-1:111122223333:function:rotate-billing", rotationRoleArn: ROT_ROLE, kmsKeyId: "0b5e3d2a-1111-4c2b-9a7e-3c3c3c3c3c3c" } }), awsCtx());
    expect(p.secretName).toBe("ai/pr-reviewer/dev/legacy-billing");
    expect(p.accessEndsAt).toBe("2027-03-01T00:00:00Z");
    expect(p.rotation).toEqual({ lambdaArn: "arn:aws:lambda:eu-west-1:111122223333:function:rotate-billing", roleArn: ROT_ROLE, automaticallyAfterDays: 30 });
    expect(p.resourcePolicy).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyReadsToEveryoneButOwner",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: ["secretsmanager:GetSecretValue"],
          Resource: ["*"],
          Condition: { StringNotEquals: { "aws:PrincipalArn": [OWNER_ROLE, ROT_ROLE] } },
        },
        {
          Sid: "AllowOwnerRead",
          Effect: "Allow",
          Principal: { AWS: OWNER_ROLE },
          Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
          Resource: ["*"],
          Condition: { DateLessThan: { "aws:CurrentTime": "2027-03-01T00:00:00Z" } },
        },
      ],
    });
    expect(secretReadGrant(p, SECRET_ARN, SCOPE)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "ReadStaticCredential", Effect: "Allow", Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], Resource: [SECRET_ARN], Condition: { DateLessThan: { "aws:CurrentTime": "2027-03-01T00:00:00Z" } } },
        {
          Sid: "DecryptViaSecretsManager",
          Effect: "Allow",
          Action: ["kms:Decrypt"],
          Resource: ["arn:aws:kms:eu-west-1:111122223333:key/0b5e3d2a-1111-4c2b-9a7e-3c3c3c3c3c3c"],
          Condition: { DateLessThan: { "aws:CurrentTime": "2027-03-01T00:00:00Z" }, StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
        },
      ],
    });
    expect(p.tags).toEqual({
      "ai-assistant": "pr-reviewer",
      "ai-environment": "dev",
      "ai-credential": "legacy-billing",
      "ai-credential-system": "legacy-billing-api",
      "ai-credential-owner": "payments",
      "ai-credential-contact": "payments@acme.example",
      "ai-exception-expires": "2027-03-01",
      "ai-rotation-days": "30",
      "managed-by": "assistant-identities",
    });
    const inv = inventoryCredential(p, SECRET_ARN);
    expect(InventoryCredential.parse(inv)).toEqual({
      id: "legacy-billing",
      system: "legacy-billing-api",
      store: "aws-secretsmanager",
      storeRef: SECRET_ARN,
      owner: "payments <payments@acme.example>",
      justification: credential().justification,
      rotationDays: 30,
      nextRotation: "2026-12-27T00:00:00Z",
      exceptionExpires: "2027-03-01",
      disabled: false,
    });
  });

  test("revoked: everyone but the rotation role is denied, no Allow, no read grant, rotation kept", () => {
    const p = planAwsCredential(parse(), awsCtx({ revoked: true }));
    expect(p.disabled).toBe(true);
    expect(p.rotation).not.toBeNull();
    expect(p.resourcePolicy.Statement).toEqual([
      { Sid: "DenyReadsRevoked", Effect: "Deny", Principal: { AWS: "*" }, Action: ["secretsmanager:GetSecretValue"], Resource: ["*"], Condition: { StringNotEquals: { "aws:PrincipalArn": [ROT_ROLE] } } },
    ]);
    expect(secretReadGrant(p, SECRET_ARN, SCOPE)).toBeNull();
    expect(inventoryCredential(p, SECRET_ARN).disabled).toBe(true);
  });

  test("IAM user key: confined user, two slots, inactive keys and a deny-all when revoked, pack exceptions time-boxed to the day before", () => {
    const c = parse({ store: { kind: "aws-secretsmanager" }, awsAccessKey: { actions: ["s3:PutObject", "s3:GetObject"], resources: ["arn:aws:s3:::legacy-drop/exports/*"] } });
    const p = planAwsCredential(c, awsCtx());
    expect(p.rotation).toBeNull();
    expect(p.accessKey).toEqual({
      userName: "ai-pr-reviewer-dev-legacy-billing",
      userPath: "/assistants/static/",
      policy: {
        Version: "2012-10-17",
        Statement: [
          { Sid: "LegacyIntegrationOnly", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: ["arn:aws:s3:::legacy-drop/exports/*"], Condition: { DateLessThan: { "aws:CurrentTime": "2027-03-01T00:00:00Z" } } },
        ],
      },
      killSwitch: null,
      status: "Active",
      rotation: keyRotation(30, NOW),
    });
    const r = planAwsCredential(c, awsCtx({ revoked: true }));
    expect(r.accessKey!.status).toBe("Inactive");
    expect(r.accessKey!.killSwitch!.Statement).toEqual([{ Sid: "KillSwitchDenyAll", Effect: "Deny", Action: ["*"], Resource: ["*"] }]);
    expect(packExceptions(p, { accessKeys: "cred-key-*", secret: "cred-secret" })).toEqual({
      "no-static-credentials": [{ name: "cred-key-*", owner: "payments <payments@acme.example>", expires: "2027-02-28", reason: `unavoidable static credential for legacy-billing-api: ${c.justification}` }],
      "secrets-rotation": [
        {
          name: "cred-secret",
          key: "no-rotation",
          owner: "payments <payments@acme.example>",
          expires: "2027-02-28",
          reason: "rotated by replacement: two IAM access keys on 60-day @pulumiverse/time Rotating schedules offset by 30 days",
        },
      ],
    });
    expect(packExceptions(planAwsCredential(parse(), awsCtx()), { accessKeys: "k", secret: "s" })).toEqual({});
  });
});

describe("simulation: only the owning assistant's role reads its secret", () => {
  // AWS sets aws:PrincipalArn on every request (for a role session: the role ARN with its path); the simulator needs it given.
  const request = (principal: string, identityPolicies: unknown[], resourcePolicy: unknown, at: string, action = "secretsmanager:GetSecretValue") =>
    decideIdentity({ principal, action, resource: SECRET_ARN, accountId: ACCOUNT, identityPolicies, boundary: boundaryPolicy(), resourcePolicy, context: { "aws:CurrentTime": at, "aws:PrincipalArn": principal } });
  const adminLike = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["secretsmanager:*"], Resource: ["*"] }] };

  test("live: the owner is allowed; another assistant's role is denied even with secretsmanager:* on *", async () => {
    const p = planAwsCredential(parse(), awsCtx());
    const grant = secretReadGrant(p, SECRET_ARN, SCOPE)!;
    expect(await request(OWNER_ROLE, [grant], p.resourcePolicy, "2026-12-02T10:00:00Z")).toBe("Allowed");
    expect(await request(OWNER_ROLE, [grant], p.resourcePolicy, "2026-12-02T10:00:00Z", "secretsmanager:DescribeSecret")).toBe("Allowed");
    expect(await request(OTHER_ROLE, [adminLike], p.resourcePolicy, "2026-12-02T10:00:00Z")).toBe("ExplicitlyDenied");
    expect(await request(`arn:aws:iam::${ACCOUNT}:user/alice`, [adminLike], p.resourcePolicy, "2026-12-02T10:00:00Z")).toBe("ExplicitlyDenied");
    // Same-account: the grant alone (identity policy) without the other role being exempt still meets the Deny.
    expect(await request(OTHER_ROLE, [secretReadGrant(p, SECRET_ARN, SCOPE)], p.resourcePolicy, "2026-12-02T10:00:00Z")).toBe("ExplicitlyDenied");
  });

  test("after the exception ends the owner is no longer allowed", async () => {
    const p = planAwsCredential(parse(), awsCtx());
    const grant = secretReadGrant(p, SECRET_ARN, SCOPE)!;
    expect(await request(OWNER_ROLE, [grant], p.resourcePolicy, "2027-03-01T00:00:01Z")).not.toBe("Allowed");
  });

  test("after revocation the owner is explicitly denied, whatever its identity policies say", async () => {
    const p = planAwsCredential(parse(), awsCtx({ revoked: true }));
    const stale = secretReadGrant(planAwsCredential(parse(), awsCtx()), SECRET_ARN, SCOPE)!;
    expect(await request(OWNER_ROLE, [stale], p.resourcePolicy, "2026-12-02T10:00:00Z")).toBe("ExplicitlyDenied");
    expect(await request(OTHER_ROLE, [adminLike], p.resourcePolicy, "2026-12-02T10:00:00Z")).toBe("ExplicitlyDenied");
  });

  test("the rotation role keeps access to rotate (reads are not denied to it)", async () => {
    const p = planAwsCredential(parse(), awsCtx({ revoked: true }));
    const rotator = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"], Resource: [SECRET_ARN] }] };
    expect(await decideIdentity({ principal: ROT_ROLE, action: "secretsmanager:GetSecretValue", resource: SECRET_ARN, accountId: ACCOUNT, identityPolicies: [rotator], resourcePolicy: p.resourcePolicy, context: { "aws:PrincipalArn": ROT_ROLE } })).toBe("Allowed");
  });
});

describe("GCP plan", () => {
  const gcpCtx = (over: Partial<typeof live> = {}) => ({
    namePrefix: "ai",
    assistant: { ...live, ...over },
    project: "acme-agents-dev",
    projectNumber: "123456789012",
    member: "serviceAccount:ai-pr-reviewer-dev@acme-agents-dev.iam.gserviceaccount.com",
    now: NOW,
  });
  const gcpCred = () => parse({ store: { kind: "gcp-secretmanager" }, rotationDays: 60 });

  test("exact secret, rotation, topic, publisher and the one conditioned accessor", () => {
    const p = planGcpCredential(gcpCred(), gcpCtx());
    expect(p).toMatchObject({
      project: "acme-agents-dev",
      secretId: "ai-pr-reviewer-dev-legacy-billing",
      secretName: "projects/123456789012/secrets/ai-pr-reviewer-dev-legacy-billing",
      rotation: { rotationPeriod: "5184000s", nextRotationTime: "2026-12-27T00:00:00Z" },
      topicName: "ai-pr-reviewer-dev-legacy-billing-rotation",
      publisherMember: "serviceAccount:service-123456789012@gcp-sa-secretmanager.iam.gserviceaccount.com",
      accessor: {
        role: "roles/secretmanager.secretAccessor",
        member: "serviceAccount:ai-pr-reviewer-dev@acme-agents-dev.iam.gserviceaccount.com",
        condition: {
          title: "exception until 2027-03-01",
          description: "pr-reviewer: static credential legacy-billing (legacy-billing-api), owner payments; access ends 2027-03-01T00:00:00Z",
          expression: 'request.time < timestamp("2027-03-01T00:00:00Z")',
        },
      },
    });
    expect(p.labels).toEqual({
      "ai-assistant": "pr-reviewer",
      "ai-environment": "dev",
      "ai-credential": "legacy-billing",
      "ai-credential-owner": "payments",
      "ai-exception-expires": "2027-03-01",
      "ai-rotation-days": "60",
      "managed-by": "assistant-identities",
    });
    // The condition admits reads before the exception ends and none after (CEL, as IAM evaluates it).
    expect(evaluateIamCondition(p.accessor!.condition.expression, new Date("2027-02-28T23:59:59Z")).admitted).toBe(true);
    expect(evaluateIamCondition(p.accessor!.condition.expression, new Date("2027-03-01T00:00:00Z")).admitted).toBe(false);
  });

  test("revoked or expired: no accessor, rotation kept", () => {
    const r = planGcpCredential(gcpCred(), gcpCtx({ revoked: true }));
    expect(r.accessor).toBeNull();
    expect(r.rotation.rotationPeriod).toBe("5184000s");
    const e = planGcpCredential(gcpCred(), { ...gcpCtx(), now: new Date("2027-03-02T00:00:00Z") });
    expect(e.accessor).toBeNull();
    expect(e.exceptionExpired).toBe(true);
  });
});
