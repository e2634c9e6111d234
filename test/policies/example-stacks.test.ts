/**
 * The example stacks pass the whole pack with zero mandatory violations, and deliberately broken
 * copies of their plans produce exactly the expected rules — the gate as CI runs it.
 */
import { gate, mandatoryCount } from "../../cli/gate";
import type { RecordedResource } from "../../cli/engine/run-program";
import { planExample, NOW, ROOT } from "../support/plan";
import { planStack } from "../../cli/engine/plan-stack";
import { UNKNOWN } from "../../cli/engine/run-program";

type R = RecordedResource;
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));
const set = (r: R, key: string, value: unknown) => {
  r.inputs[key] = value;
  r.outputs[key] = value;
};

describe.each(["dev", "prod"])("the %s example stack", (stack) => {
  let resources: R[];
  beforeAll(async () => {
    resources = (await planExample(stack)).run.resources;
  }, 120000);

  test("passes the whole pack: no finding at all", async () => {
    const findings = await gate(resources, resources[0].urn, { now: NOW });
    expect(findings).toEqual([]);
  });

  test("passes at preview of a new stack too (every computed output unknown), with no finding at all", async () => {
    const preview = (await planStack({ root: ROOT, stack, now: NOW, preview: true })).run.resources;
    // Not vacuous: some inputs really are unknown at preview (e.g. a rotation's secretId, a policy's ARN).
    const unknownInputs = preview.filter((r) => JSON.stringify(r.inputs).includes(UNKNOWN));
    expect(unknownInputs.length).toBeGreaterThan(0);
    // Trust and grant documents never are: the pack can judge them before anything exists.
    for (const r of preview.filter((x) => ["aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy"].includes(x.type))) {
      expect(String(r.inputs.assumeRolePolicy ?? r.inputs.policy)).not.toContain(UNKNOWN);
    }
    const findings = await gate(preview, preview[0].urn, { now: NOW });
    expect(findings).toEqual([]);
  }, 120000);
});

describe("broken copies of the dev stack", () => {
  let base: R[];
  beforeAll(async () => {
    base = (await planExample("dev")).run.resources;
  }, 120000);

  const find = (rs: R[], type: string, pred: (r: R) => boolean = () => true) => {
    const r = rs.find((x) => x.type === type && pred(x));
    if (!r) throw new Error(`no ${type} in the plan`);
    return r;
  };
  const reviewerRole = (rs: R[]) => find(rs, "aws:iam/role:Role", (r) => r.name === "ai-pr-reviewer-dev-aws-role");
  const trustOf = (r: R) => JSON.parse(r.inputs.assumeRolePolicy as string);

  const CASES: Array<[string, (rs: R[]) => void, string[]]> = [
    [
      "trust widened to every repository of the owner",
      (rs) => {
        const role = reviewerRole(rs);
        const t = trustOf(role);
        const c = t.Statement[0].Condition;
        delete c.StringEquals["token.actions.githubusercontent.com:sub"];
        c.StringLike = { "token.actions.githubusercontent.com:sub": "repo:acme/*" };
        set(role, "assumeRolePolicy", JSON.stringify(t));
      },
      ["aws-iam-trust-pinned"],
    ],
    [
      "trust without an audience",
      (rs) => {
        const role = reviewerRole(rs);
        const t = trustOf(role);
        delete t.Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:aud"];
        set(role, "assumeRolePolicy", JSON.stringify(t));
      },
      ["aws-iam-trust-pinned"],
    ],
    [
      "a grant that passes any role",
      (rs) => {
        const p = find(rs, "aws:iam/rolePolicy:RolePolicy", (r) => r.name === "ai-pr-reviewer-dev-aws-grants");
        const d = JSON.parse(p.inputs.policy as string);
        d.Statement.push({ Effect: "Allow", Action: ["iam:PassRole"], Resource: ["*"] });
        set(p, "policy", JSON.stringify(d));
      },
      ["aws-iam-no-escalating-grants"],
    ],
    [
      "AdministratorAccess attached",
      (rs) => {
        const role = reviewerRole(rs);
        rs.push({ ...clone(role), urn: role.urn.replace(/aws:iam\/role:Role::.*$/, "aws:iam/rolePolicyAttachment:RolePolicyAttachment::admin"), type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", name: "admin", inputs: { role: role.inputs.name, policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }, outputs: { role: role.inputs.name, policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" } });
      },
      ["aws-iam-no-admin-managed-policy"],
    ],
    ["a 12-hour session", (rs) => set(reviewerRole(rs), "maxSessionDuration", 43200), ["oidc-role-session-duration"]],
    [
      "a long-lived access key",
      (rs) =>
        rs.push({ urn: "urn:pulumi:dev::assistant-identities::aws:iam/accessKey:AccessKey::ci-key", type: "aws:iam/accessKey:AccessKey", name: "ci-key", custom: true, inputs: { user: "ci-bot" }, outputs: { user: "ci-bot" }, dependencies: [], propertyDependencies: {} }),
      ["no-static-credentials"],
    ],
    [
      "the pager token's rotation removed",
      (rs) => {
        const i = rs.findIndex((r) => r.type === "aws:secretsmanager/secretRotation:SecretRotation");
        if (i < 0) throw new Error("no rotation in the plan");
        rs.splice(i, 1);
      },
      ["secrets-rotation"],
    ],
    [
      "the pager token rotating every 180 days",
      (rs) => set(find(rs, "aws:secretsmanager/secretRotation:SecretRotation"), "rotationRules", { automaticallyAfterDays: 180 }),
      ["secrets-rotation"],
    ],
    ["the GCP provider's attribute condition removed", (rs) => set(find(rs, "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider"), "attributeCondition", undefined), ["gcp-wif-provider-condition"]],
    [
      "a project editor binding for the assistant",
      (rs) => {
        const sa = find(rs, "gcp:serviceaccount/account:Account");
        rs.push({ urn: "urn:pulumi:dev::assistant-identities::gcp:projects/iAMMember:IAMMember::editor", type: "gcp:projects/iAMMember:IAMMember", name: "editor", custom: true, inputs: { project: "acme-agents-dev", role: "roles/editor", member: `serviceAccount:${sa.outputs.email}` }, outputs: { project: "acme-agents-dev", role: "roles/editor", member: `serviceAccount:${sa.outputs.email}` }, dependencies: [], propertyDependencies: {} });
      },
      ["gcp-iam-least-privilege"],
    ],
    [
      "a second role trusting the reviewer's subject",
      (rs) => {
        const role = reviewerRole(rs);
        const twin = clone(role);
        twin.urn = role.urn.replace("ai-pr-reviewer-dev-aws-role", "twin-role");
        twin.name = "twin-role";
        set(twin, "name", "twin-role");
        set(twin, "tags", { ...(role.inputs.tags as object), "ai-assistant": "other-bot" });
        rs.push(twin);
      },
      ["no-shared-identity"],
    ],
  ];

  test.each(CASES)("%s", async (_what, breakIt, expected) => {
    const rs = clone(base);
    breakIt(rs);
    const findings = await gate(rs, rs[0].urn, { now: NOW });
    expect([...new Set(findings.filter((f) => f.level === "mandatory").map((f) => f.ruleId))].sort()).toEqual(expected);
    expect(mandatoryCount(findings)).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.resource).toMatch(/^urn:pulumi:dev::/);
      expect(f.fix.length).toBeGreaterThan(10);
      expect(f.standards.length).toBeGreaterThan(0);
    }
  });

  test("role tags stripped → advisory hygiene finding only", async () => {
    const rs = clone(base);
    const role = reviewerRole(rs);
    set(role, "tags", { "managed-by": "assistant-identities", "ai-assistant": "pr-reviewer" });
    const findings = await gate(rs, rs[0].urn, { now: NOW });
    expect(findings.map((f) => [f.ruleId, f.level])).toEqual(expect.arrayContaining([["assistant-identity-hygiene", "advisory"]]));
    expect(mandatoryCount(findings)).toBe(0);
  });
});
