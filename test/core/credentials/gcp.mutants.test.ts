/**
 * Pins the exact observable behaviour of core/credentials/gcp.ts that the broader plan tests left
 * loose: the exported role constants, the complete plan object (cloud tag, annotations, schedule),
 * the 300 s rotation lead Secret Manager requires, GCP label sanitising and truncation (63 chars),
 * the 255-character secret and topic ids, the 256-character condition description, and the refusal
 * of a credential stored elsewhere.
 *
 * The module is loaded inside each test (jest.isolateModules) because its constants and the `label`
 * helper are built at import time.
 */
import type * as GcpModule from "../../../core/credentials/gcp";
import { StaticCredential } from "../../../core/spec/credentials";
import { credential } from "./fixtures";

// Its imports are shared, loaded once with this file: re-evaluating them inside a test would make their
// module-level tables (core/iam's escalation sets, reached through core/aws/plan) count as covered by it.
/* eslint-disable @typescript-eslint/no-require-imports */
const SHARED: Record<string, unknown> = {
  "../../../core/aws/plan": require("../../../core/aws/plan"),
  "../../../core/credentials/common": require("../../../core/credentials/common"),
};
/* eslint-enable @typescript-eslint/no-require-imports */
const loadGcp = (): typeof GcpModule => {
  let m: typeof GcpModule | undefined;
  jest.isolateModules(() => {
    for (const [path, instance] of Object.entries(SHARED)) jest.doMock(path, () => instance);
    m = require("../../../core/credentials/gcp");
  });
  return m!;
};

const NOW = new Date("2026-12-01T00:00:00Z");
const MEMBER = "serviceAccount:ai-pr-reviewer-dev@acme-agents-dev.iam.gserviceaccount.com";
const live = { name: "pr-reviewer", environment: "dev", expires: "2027-05-31", revoked: false };
const ctx = (assistant: Partial<typeof live> = {}, now = NOW, namePrefix = "ai") => ({
  namePrefix,
  assistant: { ...live, ...assistant },
  project: "acme-agents-dev",
  projectNumber: "123456789012",
  member: MEMBER,
  now,
});
const gcpCred = (over: Record<string, unknown> = {}) => StaticCredential.parse(credential({ store: { kind: "gcp-secretmanager" }, rotationDays: 60, ...over }));

describe("exported constants", () => {
  test("the accessor and publisher roles and the minimum rotation lead are the GCP values", () => {
    const m = loadGcp();
    expect(m.SECRET_ACCESSOR_ROLE).toBe("roles/secretmanager.secretAccessor");
    expect(m.PUBSUB_PUBLISHER_ROLE).toBe("roles/pubsub.publisher");
    expect(m.MIN_ROTATION_LEAD_SECONDS).toBe(300);
  });
});

describe("planGcpCredential: the complete plan", () => {
  test("every field of a live credential's plan, including cloud, annotations and the schedule", () => {
    const { planGcpCredential } = loadGcp();
    expect(planGcpCredential(gcpCred(), ctx())).toStrictEqual({
      cloud: "gcp",
      id: "legacy-billing",
      system: "legacy-billing-api",
      owner: "payments <payments@acme.example>",
      justification: "The on-premise billing API accepts only a static API key (vendor roadmap: OIDC in 2027).",
      exceptionExpires: "2027-03-01",
      accessEndsAt: "2027-03-01T00:00:00Z",
      rotationDays: 60,
      schedule: { rotationDays: 60, generation: 5, periodStart: "2026-10-28T00:00:00Z", next: "2026-12-27T00:00:00Z" },
      revoked: false,
      exceptionExpired: false,
      disabled: false,
      project: "acme-agents-dev",
      secretId: "ai-pr-reviewer-dev-legacy-billing",
      secretName: "projects/123456789012/secrets/ai-pr-reviewer-dev-legacy-billing",
      labels: {
        "ai-assistant": "pr-reviewer",
        "ai-environment": "dev",
        "ai-credential": "legacy-billing",
        "ai-credential-owner": "payments",
        "ai-exception-expires": "2027-03-01",
        "ai-rotation-days": "60",
        "managed-by": "assistant-identities",
      },
      annotations: {
        "assistant-identities/system": "legacy-billing-api",
        "assistant-identities/owner-contact": "payments@acme.example",
        "assistant-identities/justification": "The on-premise billing API accepts only a static API key (vendor roadmap: OIDC in 2027).",
      },
      rotation: { rotationPeriod: "5184000s", nextRotationTime: "2026-12-27T00:00:00Z" },
      topicName: "ai-pr-reviewer-dev-legacy-billing-rotation",
      publisherMember: "serviceAccount:service-123456789012@gcp-sa-secretmanager.iam.gserviceaccount.com",
      accessor: {
        role: "roles/secretmanager.secretAccessor",
        member: MEMBER,
        condition: {
          title: "exception until 2027-03-01",
          description: "pr-reviewer: static credential legacy-billing (legacy-billing-api), owner payments; access ends 2027-03-01T00:00:00Z",
          expression: 'request.time < timestamp("2027-03-01T00:00:00Z")',
        },
      },
      member: MEMBER,
    });
  });

  test("a credential stored in AWS Secrets Manager is refused with the credential's id", () => {
    const { planGcpCredential } = loadGcp();
    const aws = StaticCredential.parse(credential());
    expect(() => planGcpCredential(aws, ctx())).toThrow(new Error("static credential legacy-billing is not stored in gcp-secretmanager"));
  });
});

describe("planGcpCredential: rotation lead", () => {
  test("a grid point 60 s away is less than Secret Manager's 300 s lead: nextRotationTime moves one period on", () => {
    const { planGcpCredential } = loadGcp();
    const p = planGcpCredential(gcpCred(), ctx({}, new Date("2026-12-26T23:59:00Z")));
    expect(p.rotation).toStrictEqual({ rotationPeriod: "5184000s", nextRotationTime: "2027-02-25T00:00:00Z" });
    expect(p.schedule).toStrictEqual({ rotationDays: 60, generation: 5, periodStart: "2026-10-28T00:00:00Z", next: "2027-02-25T00:00:00Z" });
  });
});

describe("planGcpCredential: GCP label values", () => {
  test("uppercase is lowered and characters outside a-z 0-9 _ - become '-'", () => {
    const { planGcpCredential } = loadGcp();
    const p = planGcpCredential(gcpCred(), ctx({ name: "PR.Reviewer_v2", environment: "Dev Stage" }));
    expect(p.labels["ai-assistant"]).toBe("pr-reviewer_v2");
    expect(p.labels["ai-environment"]).toBe("dev-stage");
  });

  test("a label value is cut to 63 characters", () => {
    const { planGcpCredential } = loadGcp();
    const p = planGcpCredential(gcpCred(), ctx({ name: `${"x".repeat(60)}abcdefghij` }));
    expect(p.labels["ai-assistant"]).toBe(`${"x".repeat(60)}abc`);
  });
});

describe("planGcpCredential: length limits", () => {
  test("the secret id is cut to 255 characters and the topic name (secret id + -rotation) too", () => {
    const { planGcpCredential } = loadGcp();
    const p = planGcpCredential(gcpCred(), ctx({ name: "p".repeat(300) }));
    const id255 = `ai-${"p".repeat(252)}`;
    expect(p.secretId).toBe(id255);
    expect(p.secretName).toBe(`projects/123456789012/secrets/${id255}`);
    expect(p.topicName).toBe(id255);
  });

  test("a topic name that would pass 255 characters loses the end of '-rotation'", () => {
    const { planGcpCredential } = loadGcp();
    // The secret id ("ai-" + 228 × "q" + "-dev-legacy-billing") is 250 characters, so "-rotation" (9) overflows by 4.
    const p = planGcpCredential(gcpCred(), ctx({ name: "q".repeat(228) }));
    expect(p.secretId).toBe(`ai-${"q".repeat(228)}-dev-legacy-billing`);
    expect(p.secretId).toHaveLength(250);
    expect(p.topicName).toBe(`ai-${"q".repeat(228)}-dev-legacy-billing-rota`);
  });

  test("the condition description of schema-maximal fields is cut to 256 characters", () => {
    const { planGcpCredential } = loadGcp();
    const c = gcpCred({ id: "k".repeat(40), system: "s".repeat(128), owner: { team: "t".repeat(63), contact: "payments@acme.example" } });
    const p = planGcpCredential(c, ctx());
    expect(p.accessor!.condition.description).toBe(`pr-reviewer: static credential ${"k".repeat(40)} (${"s".repeat(128)}), owner ${"t".repeat(46)}`);
    expect(p.accessor!.condition.description).toHaveLength(256);
    expect(p.accessor!.condition.title).toBe("exception until 2027-03-01");
    expect(p.labels["ai-credential-owner"]).toBe("t".repeat(63));
  });
});
