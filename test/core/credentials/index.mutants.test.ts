/**
 * Pins the exact observable behaviour of core/credentials/index.ts on the paths plan.test.ts left
 * out: a GCP plan's inventory entry (store name, nextRotation with Secret Manager's 300 s lead) and
 * its absence of pack exceptions, and an IAM-user-key plan's nextRotation at a period boundary.
 * (The cloud checks on lines 25 and 52 only narrow types: GCP plans carry no access key, and an
 * access key's next replacement is the credential's own grid point, so their mutants are equivalent.)
 */
import { inventoryCredential, packExceptions, planAwsCredential, planGcpCredential } from "../../../core/credentials";
import { StaticCredential } from "../../../core/spec/credentials";
import { credential } from "./fixtures";

const ACCOUNT = "111122223333";
const SCOPE = { partition: "aws", accountId: ACCOUNT, region: "eu-west-1" };
const OWNER_ROLE = `arn:aws:iam::${ACCOUNT}:role/assistants/ai-pr-reviewer-dev`;
const GCP_MEMBER = "serviceAccount:ai-pr-reviewer-dev@acme-agents-dev.iam.gserviceaccount.com";
const JUSTIFICATION = "The on-premise billing API accepts only a static API key (vendor roadmap: OIDC in 2027).";
const live = { name: "pr-reviewer", environment: "dev", expires: "2027-05-31", revoked: false };
const parse = (over: Record<string, unknown> = {}) => StaticCredential.parse(credential(over));
/** One minute before the 30-day grid point 2026-12-27T00:00:00Z. */
const JUST_BEFORE = new Date("2026-12-26T23:59:00Z");
const gcpCtx = (now: Date) => ({ namePrefix: "ai", assistant: live, project: "acme-agents-dev", projectNumber: "123456789012", member: GCP_MEMBER, now });
const awsCtx = (now: Date) => ({ namePrefix: "ai", assistant: live, scope: SCOPE, roleArn: OWNER_ROLE, now });

describe("inventoryCredential", () => {
  test("GCP plan: gcp-secretmanager, and nextRotation one period on when the grid point is under 300 s away", () => {
    const p = planGcpCredential(parse({ store: { kind: "gcp-secretmanager" } }), gcpCtx(JUST_BEFORE));
    expect(inventoryCredential(p, "projects/123456789012/secrets/ai-pr-reviewer-dev-legacy-billing")).toEqual({
      id: "legacy-billing",
      system: "legacy-billing-api",
      store: "gcp-secretmanager",
      storeRef: "projects/123456789012/secrets/ai-pr-reviewer-dev-legacy-billing",
      owner: "payments <payments@acme.example>",
      justification: JUSTIFICATION,
      rotationDays: 30,
      nextRotation: "2027-01-26T00:00:00Z",
      exceptionExpires: "2027-03-01",
      disabled: false,
    });
  });

  test("IAM user key: nextRotation is the next key replacement, the coming grid point (no lead required)", () => {
    const c = parse({ store: { kind: "aws-secretsmanager" }, awsAccessKey: { actions: ["s3:PutObject"], resources: ["arn:aws:s3:::legacy-drop/exports/*"] } });
    const p = planAwsCredential(c, awsCtx(JUST_BEFORE));
    expect(p.accessKey!.rotation.nextRotation).toBe("2026-12-27T00:00:00Z");
    expect(inventoryCredential(p, "arn:aws:secretsmanager:eu-west-1:111122223333:secret:x").nextRotation).toBe("2026-12-27T00:00:00Z");
  });
});

describe("packExceptions", () => {
  test("a GCP plan needs no pack exceptions", () => {
    const p = planGcpCredential(parse({ store: { kind: "gcp-secretmanager" } }), gcpCtx(new Date("2026-12-01T00:00:00Z")));
    expect(packExceptions(p, { accessKeys: "k", secret: "s" })).toEqual({});
  });
});
