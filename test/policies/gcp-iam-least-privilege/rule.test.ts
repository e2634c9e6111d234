/**
 * Pins the exact behaviour of policies/rules/gcp-iam-least-privilege.ts that the fixtures (which
 * check keys and paths only) left loose: each finding kind's full message/path/value/fix/key, the
 * level word and "project"/"folder"/"organisation" in the hierarchy finding, the "(a condition does
 * not narrow …)" suffix for conditional grants (IAMMember `condition` and policyData bindings), an
 * unreadable policyData, and which malformed inputs (absent policyData, `null` or binding-less JSON,
 * bindings without a string role or a members array, non-string members, no role, no member, no
 * members array) yield no grant instead of a finding or a crash.
 */
import rule, { DEFAULT_PRIVILEGED_ROLES } from "../../../policies/rules/gcp-iam-least-privilege";
import { policies } from "../../../policies/list";
import { runPolicies } from "../../../policies/harness";
import { UNKNOWN } from "../../../policies/engine";
import type { Finding } from "../../../core/findings";

const PROJECT_MEMBER = "gcp:projects/iAMMember:IAMMember";
const PROJECT_BINDING = "gcp:projects/iAMBinding:IAMBinding";
const PROJECT_POLICY = "gcp:projects/iAMPolicy:IAMPolicy";
const FOLDER_MEMBER = "gcp:folder/iAMMember:IAMMember";
const ORG_MEMBER = "gcp:organizations/iAMMember:IAMMember";
const BUCKET_MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember";

const SA = "serviceAccount:ai-claude@p.iam.gserviceaccount.com";
const POOL = "principalSet://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/ai-assistants/*";
const TOKEN_CREATOR = "roles/iam.serviceAccountTokenCreator";

const DEFAULT_CONFIG = {
  basicRoles: ["roles/owner", "roles/editor", "roles/viewer"],
  privilegedRoles: DEFAULT_PRIVILEGED_ROLES,
  allowPublicRoles: [] as string[],
  exceptions: [],
  unknownValues: "fail",
};

/** Calls the rule's check directly on one resource of `type` (plain props, no proxy). */
function check(type: string, props: Record<string, unknown>, config: Partial<typeof DEFAULT_CONFIG> = {}): Finding[] {
  const urn = `urn:pulumi:stack::project::${type}::r`;
  const ctx = {
    config: { ...DEFAULT_CONFIG, ...config },
    now: new Date("2026-11-15T12:00:00Z"),
    guard: <T>(_r: unknown, fn: () => T) => fn(),
    peek: <T>(fn: () => T) => fn(),
    type,
    name: "r",
    urn,
  };
  const resource = { type, name: "r", urn, props, dependencies: [], propertyDependencies: {} };
  return rule.checkResource(resource, ctx as unknown as Parameters<typeof rule.checkResource>[1]);
}

/** A project IAM policy whose policyData is `bindings` as JSON. */
const policyData = (bindings: unknown) => check(PROJECT_POLICY, { project: "p", policyData: JSON.stringify({ bindings }) });

const BASIC_FIX = "replace the basic role with predefined roles that cover only what the workload does";
const PUBLIC_FIX = "grant to specific principals; if the resource is meant to be public, list the role in allowPublicRoles";

const basic = (role: string, member: string, path: string): Finding => ({
  message: `must not grant a basic role; got ${role} to ${member}`,
  path,
  value: role,
  fix: BASIC_FIX,
  key: `basic-role:${role}`,
});

const publicGrant = (role: string, member: string, path: string): Finding => ({
  message: `must not grant to ${member}; got ${role} for ${member}`,
  path,
  value: member,
  fix: PUBLIC_FIX,
  key: `public:${member}`,
});

describe("findings: exact message, path, value, fix and key per kind", () => {
  test("basic role on a project member", () => {
    expect(check(PROJECT_MEMBER, { project: "p", role: "roles/editor", member: SA })).toStrictEqual([
      {
        message: "must not grant a basic role; got roles/editor to serviceAccount:ai-claude@p.iam.gserviceaccount.com",
        path: "member",
        value: "roles/editor",
        fix: "replace the basic role with predefined roles that cover only what the workload does",
        key: "basic-role:roles/editor",
      },
    ]);
  });

  test("allUsers on a bucket: public finding naming allUsers", () => {
    expect(check(BUCKET_MEMBER, { bucket: "b", role: "roles/storage.objectViewer", member: "allUsers" })).toStrictEqual([
      {
        message: "must not grant to allUsers; got roles/storage.objectViewer for allUsers",
        path: "member",
        value: "allUsers",
        fix: "grant to specific principals; if the resource is meant to be public, list the role in allowPublicRoles",
        key: "public:allUsers",
      },
    ]);
  });

  test("allUsers with the role in allowPublicRoles: no finding", () => {
    expect(check(BUCKET_MEMBER, { bucket: "b", role: "roles/storage.objectViewer", member: "allUsers" }, { allowPublicRoles: ["roles/storage.objectViewer"] })).toEqual([]);
  });

  test("whole workload identity pool on a service account", () => {
    expect(check("gcp:serviceaccount/iAMMember:IAMMember", { serviceAccountId: "projects/p/serviceAccounts/a@p.iam.gserviceaccount.com", role: "roles/iam.workloadIdentityUser", member: POOL })).toStrictEqual([
      {
        message:
          "must not grant to every identity of a pool; got roles/iam.workloadIdentityUser for principalSet://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/ai-assistants/*",
        path: "member",
        value: POOL,
        fix: "grant to principal://…/subject/SUBJECT or principalSet://…/attribute.repository_id/ID instead of /*",
        key: "whole-pool",
      },
    ]);
  });

  test("one binding member can yield a basic and a public finding, in that order (binding members by index)", () => {
    expect(check(PROJECT_BINDING, { project: "p", role: "roles/viewer", members: ["user:x@acme.com", "allAuthenticatedUsers"] })).toStrictEqual([
      basic("roles/viewer", "user:x@acme.com", "members[0]"),
      basic("roles/viewer", "allAuthenticatedUsers", "members[1]"),
      publicGrant("roles/viewer", "allAuthenticatedUsers", "members[1]"),
    ]);
  });
});

describe("hierarchy-privileged-role: level in the message, resource word in the fix", () => {
  test("project level, unconditional: no condition suffix", () => {
    expect(check(PROJECT_MEMBER, { project: "p", role: TOKEN_CREATOR, member: SA })).toStrictEqual([
      {
        message: "must not grant roles/iam.serviceAccountTokenCreator at projects level to a workload identity; got it for serviceAccount:ai-claude@p.iam.gserviceaccount.com",
        path: "member",
        value: TOKEN_CREATOR,
        fix: "grant roles/iam.serviceAccountTokenCreator on the one service account that needs it (gcp.serviceaccount.IAMMember), not on the project",
        key: "hierarchy-privileged-role:roles/iam.serviceAccountTokenCreator",
      },
    ]);
  });

  test("project level with a condition: the message says the condition does not narrow it", () => {
    const condition = { title: "expires", expression: "request.time < timestamp('2026-12-31T00:00:00Z')" };
    expect(check(PROJECT_MEMBER, { project: "p", role: TOKEN_CREATOR, member: SA, condition })).toStrictEqual([
      {
        message:
          "must not grant roles/iam.serviceAccountTokenCreator at projects level to a workload identity; got it for serviceAccount:ai-claude@p.iam.gserviceaccount.com (a condition does not narrow which service accounts it reaches)",
        path: "member",
        value: TOKEN_CREATOR,
        fix: "grant roles/iam.serviceAccountTokenCreator on the one service account that needs it (gcp.serviceaccount.IAMMember), not on the project",
        key: "hierarchy-privileged-role:roles/iam.serviceAccountTokenCreator",
      },
    ]);
  });

  test("folder level: 'folder' in message and fix", () => {
    const member = "principal://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/ai-assistants/subject/repo:acme/app:ref:refs/heads/main";
    expect(check(FOLDER_MEMBER, { folder: "folders/1", role: "roles/resourcemanager.projectIamAdmin", member })).toStrictEqual([
      {
        message: `must not grant roles/resourcemanager.projectIamAdmin at folder level to a workload identity; got it for ${member}`,
        path: "member",
        value: "roles/resourcemanager.projectIamAdmin",
        fix: "grant roles/resourcemanager.projectIamAdmin on the one service account that needs it (gcp.serviceaccount.IAMMember), not on the folder",
        key: "hierarchy-privileged-role:roles/resourcemanager.projectIamAdmin",
      },
    ]);
  });

  test("organisation level: raw 'organizations' in the message, 'organisation' in the fix", () => {
    expect(check(ORG_MEMBER, { orgId: "1", role: "roles/iam.serviceAccountUser", member: SA })).toStrictEqual([
      {
        message: "must not grant roles/iam.serviceAccountUser at organizations level to a workload identity; got it for serviceAccount:ai-claude@p.iam.gserviceaccount.com",
        path: "member",
        value: "roles/iam.serviceAccountUser",
        fix: "grant roles/iam.serviceAccountUser on the one service account that needs it (gcp.serviceaccount.IAMMember), not on the organisation",
        key: "hierarchy-privileged-role:roles/iam.serviceAccountUser",
      },
    ]);
  });

  test("through the engine proxy, an IAMMember condition is still seen (mandatory finding with the suffix)", async () => {
    const violations = await runPolicies(
      policies,
      [{ type: PROJECT_MEMBER, name: "tc", props: { project: "p", role: TOKEN_CREATOR, member: SA, condition: { title: "t", expression: "true" } } }],
      { now: new Date("2026-11-15T12:00:00Z") },
    );
    const mine = violations.filter((v) => v.ruleId === "gcp-iam-least-privilege");
    expect(mine.map((v) => [v.enforcementLevel, v.outcome, v.finding])).toStrictEqual([
      [
        "mandatory",
        "finding",
        {
          message:
            "must not grant roles/iam.serviceAccountTokenCreator at projects level to a workload identity; got it for serviceAccount:ai-claude@p.iam.gserviceaccount.com (a condition does not narrow which service accounts it reaches)",
          path: "member",
          value: TOKEN_CREATOR,
          fix: "grant roles/iam.serviceAccountTokenCreator on the one service account that needs it (gcp.serviceaccount.IAMMember), not on the project",
          key: "hierarchy-privileged-role:roles/iam.serviceAccountTokenCreator",
        },
      ],
    ]);
  });
});

describe("policyData (IAMPolicy resources)", () => {
  test("absent, null-ish or empty policyData: no grants, no crash", () => {
    expect(check(PROJECT_POLICY, { project: "p", policyData: "" })).toEqual([]);
    expect(check(PROJECT_POLICY, { project: "p", policyData: undefined })).toEqual([]);
  });

  test("invalid JSON: policy-data-unreadable with the parser's error", () => {
    expect(check(PROJECT_POLICY, { project: "p", policyData: "[" })).toStrictEqual([
      {
        message: "must be valid IAM policy JSON; got Unexpected end of JSON input",
        path: "policyData",
        fix: "build policyData with gcp.organizations.getIAMPolicy",
        key: "policy-data-unreadable",
      },
    ]);
  });

  test("invalid JSON through the engine: one mandatory policy-data-unreadable finding", async () => {
    const violations = await runPolicies(policies, [{ type: PROJECT_POLICY, name: "bad", props: { project: "p", policyData: "{\"bindings\": [" } }], {
      now: new Date("2026-11-15T12:00:00Z"),
    });
    const mine = violations.filter((v) => v.ruleId === "gcp-iam-least-privilege");
    expect(mine.map((v) => [v.enforcementLevel, v.outcome, v.finding])).toStrictEqual([
      [
        "mandatory",
        "finding",
        {
          message: "must be valid IAM policy JSON; got Unexpected end of JSON input",
          path: "policyData",
          fix: "build policyData with gcp.organizations.getIAMPolicy",
          key: "policy-data-unreadable",
        },
      ],
    ]);
  });

  test("JSON null, no bindings, or bindings that are not an array: no grants", () => {
    expect(check(PROJECT_POLICY, { project: "p", policyData: "null" })).toEqual([]);
    expect(check(PROJECT_POLICY, { project: "p", policyData: "{}" })).toEqual([]);
    expect(check(PROJECT_POLICY, { project: "p", policyData: JSON.stringify({ bindings: { role: "roles/owner", members: [SA] } }) })).toEqual([]);
  });

  test("bindings that are null, lack a string role, or lack a members array are skipped; the others still count", () => {
    expect(
      policyData([
        null,
        { members: ["allUsers"] },
        { role: 5, members: ["allUsers"] },
        { role: "roles/owner" },
        { role: "roles/owner", members: "user:x@acme.com" },
        { role: "roles/editor", members: ["user:y@acme.com"] },
      ]),
    ).toStrictEqual([basic("roles/editor", "user:y@acme.com", "policyData.bindings[5].members[0]")]);
  });

  test("non-string members of a binding are skipped, indices of the others kept", () => {
    expect(policyData([{ role: "roles/owner", members: [5, null, "user:x@acme.com"] }])).toStrictEqual([basic("roles/owner", "user:x@acme.com", "policyData.bindings[0].members[2]")]);
  });

  test("a binding condition adds the suffix to its hierarchy finding only", () => {
    const fix = "grant roles/iam.serviceAccountTokenCreator on the one service account that needs it (gcp.serviceaccount.IAMMember), not on the project";
    expect(
      policyData([
        { role: TOKEN_CREATOR, members: [SA], condition: { title: "t", expression: "true" } },
        { role: TOKEN_CREATOR, members: ["serviceAccount:b@p.iam.gserviceaccount.com"] },
      ]),
    ).toStrictEqual([
      {
        message:
          "must not grant roles/iam.serviceAccountTokenCreator at projects level to a workload identity; got it for serviceAccount:ai-claude@p.iam.gserviceaccount.com (a condition does not narrow which service accounts it reaches)",
        path: "policyData.bindings[0].members[0]",
        value: TOKEN_CREATOR,
        fix,
        key: "hierarchy-privileged-role:roles/iam.serviceAccountTokenCreator",
      },
      {
        message: "must not grant roles/iam.serviceAccountTokenCreator at projects level to a workload identity; got it for serviceAccount:b@p.iam.gserviceaccount.com",
        path: "policyData.bindings[1].members[0]",
        value: TOKEN_CREATOR,
        fix,
        key: "hierarchy-privileged-role:roles/iam.serviceAccountTokenCreator",
      },
    ]);
  });
});

describe("member / binding resources: malformed inputs yield no grant", () => {
  test("no role: nothing, even for allUsers", () => {
    expect(check(BUCKET_MEMBER, { bucket: "b", member: "allUsers" })).toEqual([]);
    expect(check(PROJECT_BINDING, { project: "p", role: 7, members: ["allUsers"] })).toEqual([]);
  });

  test("a member resource without a string member: nothing, even for a basic role", () => {
    expect(check(PROJECT_MEMBER, { project: "p", role: "roles/owner" })).toEqual([]);
    expect(check(PROJECT_MEMBER, { project: "p", role: "roles/owner", member: 42 })).toEqual([]);
  });

  test("members that is not an array: nothing", () => {
    expect(check(PROJECT_BINDING, { project: "p", role: "roles/owner", members: null })).toEqual([]);
    expect(check(PROJECT_BINDING, { project: "p", role: "roles/owner", members: "user:x@acme.com" })).toEqual([]);
  });

  test("non-string entries of members are skipped, indices of the others kept", () => {
    expect(check(PROJECT_BINDING, { project: "p", role: "roles/owner", members: [1, null, "user:x@acme.com"] })).toStrictEqual([basic("roles/owner", "user:x@acme.com", "members[2]")]);
  });

  test("an unknown members entry read without the proxy throws UnknownValueError at members.1", () => {
    let err: unknown;
    try {
      check(PROJECT_BINDING, { project: "p", role: "roles/owner", members: ["user:x@acme.com", UNKNOWN] });
    } catch (e) {
      err = e;
    }
    expect((err as { props?: unknown })?.props).toEqual(["members", "1"]);
    expect((err as { unknownTypeSentinel?: unknown })?.unknownTypeSentinel).toBe(UNKNOWN);
  });
});
