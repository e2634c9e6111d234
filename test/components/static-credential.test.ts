/**
 * AwsStaticCredential and GcpStaticCredential under Pulumi's mocks (cli/engine/run-program records
 * every registration): exact inputs, parents, the two-key replacement wiring, no key material in
 * any output, and the pack's secrets-rotation rule on the generated secrets and on broken copies.
 */
import * as pulumi from "@pulumi/pulumi";
import { runProgram, type RecordedResource } from "../../cli/engine/run-program";
import { runPolicies, type InputResource } from "../../policies/harness";
import { policies } from "../../policies/list";
import { planAwsCredential, planGcpCredential } from "../../core/credentials";
import { StaticCredential } from "../../core/spec/credentials";
import { StaticCredential as InventoryCredential } from "../../core/inventory/schema";
import { credential } from "../core/credentials/fixtures";

const NOW = new Date("2026-12-01T00:00:00Z");
const SCOPE = { partition: "aws", accountId: "111122223333", region: "eu-west-1" };
const ROLE = "arn:aws:iam::111122223333:role/assistants/ai-pr-reviewer-dev";
const MOCK = { accountId: "111122223333", region: "eu-west-1", partition: "aws", gcpProject: "acme-agents-dev", gcpProjectNumber: "123456789012" };
const assistant = (revoked = false) => ({ name: "pr-reviewer", environment: "dev", expires: "2027-05-31", revoked });

const resolve = <T>(o: pulumi.Output<T>) => new Promise<T>((res) => o.apply((v) => res(v)));

interface Run {
  resources: RecordedResource[];
  replaceWith: Map<string, string[]>;
  outputs: Record<string, unknown>;
}

async function run(build: () => Record<string, pulumi.Output<unknown> | unknown>): Promise<Run> {
  const replaceWith = new Map<string, string[]>();
  const r = await runProgram({
    project: "assistant-identities",
    stack: "test",
    config: {},
    mock: MOCK,
    load: () => {
      // run-program records everything but the replaceWith option: wrap the monitor once more.
      const monitor = require("@pulumi/pulumi/runtime/settings").getMonitor();
      const register = monitor.registerResource.bind(monitor);
      monitor.registerResource = (req: any, cb: (e: unknown, resp: any) => void) =>
        register(req, (e: unknown, resp: any) => {
          if (!e && resp) replaceWith.set(req.getName(), req.getReplaceWithList());
          cb(e, resp);
        });
      return build() as Record<string, unknown>;
    },
  });
  return { resources: r.resources, replaceWith, outputs: r.outputs };
}

const one = (rs: RecordedResource[], type: string, name: string) => {
  const found = rs.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} ${name}; have ${rs.filter((r) => r.type === type).map((r) => r.name).join(", ")}`);
  return found[0];
};
const toPolicyInput = (rs: RecordedResource[]): InputResource[] =>
  rs
    .filter((r) => !r.type.startsWith("pulumi:"))
    .map((r) => ({ urn: r.urn, type: r.type, name: r.name, props: { ...r.inputs, ...r.outputs }, parent: r.parent, dependencies: r.dependencies, propertyDependencies: r.propertyDependencies }));
const rotationViolations = async (input: InputResource[]) => (await runPolicies(policies, input, { now: NOW })).filter((v) => v.policyName === "secrets-rotation");

describe("AwsStaticCredential (Lambda rotation)", () => {
  let r: Run;
  const plan = planAwsCredential(StaticCredential.parse(credential()), { namePrefix: "ai", assistant: assistant(), scope: SCOPE, roleArn: ROLE, now: NOW });
  beforeAll(async () => {
    r = await run(() => {
      const { AwsStaticCredential } = require("../../components/aws/static-credential");
      const c = new AwsStaticCredential("ai-pr-reviewer-dev-legacy-billing", { plan, scope: SCOPE, roleName: "ai-pr-reviewer-dev" });
      return { inventory: c.inventory };
    });
  });

  test("secret, owner-only policy, rotation on the spec's period, read grant on the owning role alone", () => {
    const rs = r.resources;
    const comp = one(rs, "assistant-identities:aws:StaticCredential", "ai-pr-reviewer-dev-legacy-billing");
    const secret = one(rs, "aws:secretsmanager/secret:Secret", "ai-pr-reviewer-dev-legacy-billing-secret");
    expect(secret.inputs).toEqual({ name: "ai/pr-reviewer/dev/legacy-billing", description: plan.description, recoveryWindowInDays: 30, tags: plan.tags });
    const policy = one(rs, "aws:secretsmanager/secretPolicy:SecretPolicy", "ai-pr-reviewer-dev-legacy-billing-policy");
    expect(policy.inputs).toEqual({ secretArn: secret.outputs.arn, policy: JSON.stringify(plan.resourcePolicy), blockPublicPolicy: true });
    const rotation = one(rs, "aws:secretsmanager/secretRotation:SecretRotation", "ai-pr-reviewer-dev-legacy-billing-rotation");
    expect(rotation.inputs).toEqual({ secretId: secret.id, rotationLambdaArn: "arn:aws:lambda:eu-west-1:111122223333:function:rotate-billing", rotationRules: { automaticallyAfterDays: 30 } });
    expect(rotation.propertyDependencies.secretId).toEqual([secret.urn]);
    const grant = one(rs, "aws:iam/rolePolicy:RolePolicy", "ai-pr-reviewer-dev-legacy-billing-read");
    expect(grant.inputs.role).toBe("ai-pr-reviewer-dev");
    expect(grant.inputs.name).toBe("static-credential-legacy-billing");
    expect(JSON.parse(grant.inputs.policy as string).Statement).toEqual([
      {
        Sid: "ReadStaticCredential",
        Effect: "Allow",
        Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
        Resource: ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:ai/pr-reviewer/dev/legacy-billing-??????"],
        Condition: { DateLessThan: { "aws:CurrentTime": "2027-03-01T00:00:00Z" } },
      },
    ]);
    // The pattern is known before the secret exists, and matches the ARN AWS gives it (six more characters).
    expect(String(secret.outputs.arn)).toMatch(/^arn:aws:secretsmanager:eu-west-1:111122223333:secret:ai\/pr-reviewer\/dev\/legacy-billing-[A-Za-z0-9]{6}$/);
    for (const x of [secret, policy, rotation, grant]) expect(x.parent).toBe(comp.urn);
    expect(rs.filter((x) => x.parent === comp.urn).map((x) => x.type).sort()).toEqual([
      "aws:iam/rolePolicy:RolePolicy",
      "aws:secretsmanager/secret:Secret",
      "aws:secretsmanager/secretPolicy:SecretPolicy",
      "aws:secretsmanager/secretRotation:SecretRotation",
    ]);
    expect(InventoryCredential.parse((r.outputs.inventory as any))).toMatchObject({ storeRef: secret.outputs.arn, store: "aws-secretsmanager", disabled: false });
  });

  test("the pack's secrets-rotation rule passes on the generated secret, fails with rotation removed or stretched to 120 days", async () => {
    const input = toPolicyInput(r.resources);
    expect(await rotationViolations(input)).toEqual([]);
    const noRotation = input.filter((x) => x.type !== "aws:secretsmanager/secretRotation:SecretRotation");
    expect((await rotationViolations(noRotation)).map((v) => v.finding?.key)).toEqual(["no-rotation"]);
    const stretched = input.map((x) => (x.type === "aws:secretsmanager/secretRotation:SecretRotation" ? { ...x, props: { ...x.props, rotationRules: { automaticallyAfterDays: 120 } } } : x));
    const slow = await rotationViolations(stretched);
    expect(slow.map((v) => v.finding?.key)).toEqual(["rotation-too-slow"]);
    expect(slow[0].message).toContain("must rotate at least every 90 days; got automaticallyAfterDays 120");
  });
});

describe("AwsStaticCredential (IAM user key, rotation by replacement)", () => {
  let r: Run;
  let live: Record<string, unknown>;
  const c = StaticCredential.parse(credential({ store: { kind: "aws-secretsmanager" }, awsAccessKey: { actions: ["s3:PutObject"], resources: ["arn:aws:s3:::legacy-drop/exports/*"] } }));
  const plan = planAwsCredential(c, { namePrefix: "ai", assistant: assistant(), scope: SCOPE, roleArn: ROLE, now: NOW });
  beforeAll(async () => {
    r = await run(() => {
      const { AwsStaticCredential } = require("../../components/aws/static-credential");
      const k = new AwsStaticCredential("cred", { plan, scope: SCOPE, roleName: "ai-pr-reviewer-dev", boundaryArn: "arn:aws:iam::111122223333:policy/assistants/ai-assistant-boundary" });
      live = { packExceptions: k.packExceptions };
      return { inventory: k.inventory, secretArn: k.secretArn };
    });
  });

  test("the user is confined and boundaried; two keys, each replaced with its own Rotating; the newest written write-only", () => {
    const rs = r.resources;
    const user = one(rs, "aws:iam/user:User", "cred-user");
    expect(user.inputs).toEqual({ name: "ai-pr-reviewer-dev-legacy-billing", path: "/assistants/static/", permissionsBoundary: "arn:aws:iam::111122223333:policy/assistants/ai-assistant-boundary", forceDestroy: true, tags: plan.tags });
    expect(JSON.parse(one(rs, "aws:iam/userPolicy:UserPolicy", "cred-user-policy").inputs.policy as string)).toEqual(plan.accessKey!.policy);
    expect(rs.filter((x) => x.name === "cred-user-kill-switch")).toEqual([]);
    const [a, b] = plan.accessKey!.rotation.slots;
    expect(one(rs, "time:index/rotating:Rotating", "cred-key-a-rotation").inputs).toEqual({ rfc3339: a.rfc3339, rotationDays: 60 });
    expect(one(rs, "time:index/rotating:Rotating", "cred-key-b-rotation").inputs).toEqual({ rfc3339: b.rfc3339, rotationDays: 60 });
    expect([a.rfc3339, b.rfc3339]).toEqual(["2026-10-28T00:00:00Z", "2026-11-27T00:00:00Z"]);
    for (const s of ["a", "b"]) {
      const key = one(rs, "aws:iam/accessKey:AccessKey", `cred-key-${s}`);
      expect(key.inputs).toEqual({ user: "ai-pr-reviewer-dev-legacy-billing", status: "Active" });
      expect(r.replaceWith.get(`cred-key-${s}`)).toEqual([one(rs, "time:index/rotating:Rotating", `cred-key-${s}-rotation`).urn]);
    }
    const version = one(rs, "aws:secretsmanager/secretVersion:SecretVersion", "cred-value");
    const keyB = one(rs, "aws:iam/accessKey:AccessKey", "cred-key-b");
    expect(version.inputs.secretStringWoVersion).toBe(12);
    // Marked secret (the engine encrypts it) and write-only (the provider does not keep it in state).
    const wo = version.inputs.secretStringWo as unknown;
    expect((wo as Record<string, unknown>)[pulumi.runtime.specialSigKey]).toBe(pulumi.runtime.specialSecretSig);
    expect(JSON.parse((wo as { value: string }).value)).toEqual({ accessKeyId: keyB.id, secretAccessKey: keyB.outputs.secret, slot: "b" });
    expect(version.inputs.secretString).toBeUndefined();
    expect(rs.filter((x) => x.type === "aws:secretsmanager/secretRotation:SecretRotation")).toEqual([]);
  });

  test("no key material in any output: the inventory names the secret's ARN only", () => {
    const secrets = r.resources.filter((x) => x.type === "aws:iam/accessKey:AccessKey").map((x) => String(x.outputs.secret));
    expect(secrets.every((s) => s.startsWith("mock-secret-"))).toBe(true);
    const exported = JSON.stringify(r.outputs);
    for (const s of secrets) expect(exported).not.toContain(s);
    const components = r.resources.filter((x) => !x.custom);
    for (const s of secrets) expect(JSON.stringify(components.map((x) => x.outputs))).not.toContain(s);
    expect(InventoryCredential.parse(r.outputs.inventory).storeRef).toBe(r.outputs.secretArn);
  });

  test("the pack: the access keys and the Lambda-less secret pass only under the generated, time-boxed exceptions", async () => {
    const input = toPolicyInput(r.resources);
    const without = await runPolicies(policies, input, { now: NOW });
    expect(without.filter((v) => ["no-static-credentials", "secrets-rotation"].includes(v.policyName)).map((v) => `${v.policyName}:${v.urn?.split("::").pop()}`).sort()).toEqual([
      "no-static-credentials:cred-key-a",
      "no-static-credentials:cred-key-b",
      "secrets-rotation:cred-secret",
    ]);
    const config = Object.fromEntries(Object.entries(live.packExceptions as Record<string, unknown[]>).map(([k, v]) => [k, { exceptions: v }]));
    const withEx = await runPolicies(policies, input, { now: NOW, config });
    expect(withEx.filter((v) => ["no-static-credentials", "secrets-rotation"].includes(v.policyName))).toEqual([]);
    // After the exception's last day the same config no longer suppresses.
    const later = await runPolicies(policies, input, { now: new Date("2027-03-01T12:00:00Z"), config });
    expect(later.filter((v) => v.policyName === "no-static-credentials").length).toBe(2);
  });
});

describe("revoked assistant", () => {
  test("AWS: no read grant, deny-all secret policy, keys inactive, user kill switch, rotation kept", async () => {
    const c = StaticCredential.parse(credential({ awsAccessKey: { actions: ["s3:PutObject"], resources: ["arn:aws:s3:::legacy-drop/exports/*"] } }));
    const plan = planAwsCredential(c, { namePrefix: "ai", assistant: assistant(true), scope: SCOPE, roleArn: ROLE, now: NOW });
    const r = await run(() => {
      const { AwsStaticCredential } = require("../../components/aws/static-credential");
      return { inventory: new AwsStaticCredential("cred", { plan, scope: SCOPE, roleName: "ai-pr-reviewer-dev" }).inventory };
    });
    expect(r.resources.filter((x) => x.type === "aws:iam/rolePolicy:RolePolicy")).toEqual([]);
    expect(JSON.parse(one(r.resources, "aws:secretsmanager/secretPolicy:SecretPolicy", "cred-policy").inputs.policy as string).Statement.map((s: any) => `${s.Effect}:${s.Sid}`)).toEqual(["Deny:DenyReadsRevoked"]);
    for (const s of ["a", "b"]) expect(one(r.resources, "aws:iam/accessKey:AccessKey", `cred-key-${s}`).inputs.status).toBe("Inactive");
    expect(JSON.parse(one(r.resources, "aws:iam/userPolicy:UserPolicy", "cred-user-kill-switch").inputs.policy as string).Statement[0]).toEqual({ Sid: "KillSwitchDenyAll", Effect: "Deny", Action: ["*"], Resource: ["*"] });
    expect(one(r.resources, "aws:secretsmanager/secretRotation:SecretRotation", "cred-rotation").inputs.rotationRules).toEqual({ automaticallyAfterDays: 30 });
    expect((r.outputs.inventory as any).disabled).toBe(true);
  });
});

describe("GcpStaticCredential", () => {
  const c = StaticCredential.parse(credential({ store: { kind: "gcp-secretmanager" } }));
  const ctx = (revoked: boolean) => ({ namePrefix: "ai", assistant: assistant(revoked), project: "acme-agents-dev", projectNumber: "123456789012", member: "serviceAccount:ai-pr-reviewer-dev@acme-agents-dev.iam.gserviceaccount.com", now: NOW });
  const build = (revoked: boolean) => () => {
    const { GcpStaticCredential } = require("../../components/gcp/static-credential");
    return { inventory: new GcpStaticCredential("gcred", { plan: planGcpCredential(c, ctx(revoked)) }).inventory };
  };

  test("secret with rotation period, next rotation and topic; publisher for the service agent; one conditioned accessor", async () => {
    const r = await run(build(false));
    const plan = planGcpCredential(c, ctx(false));
    const comp = one(r.resources, "assistant-identities:gcp:StaticCredential", "gcred");
    const topic = one(r.resources, "gcp:pubsub/topic:Topic", "gcred-topic");
    expect(topic.inputs).toEqual({ project: "acme-agents-dev", name: "ai-pr-reviewer-dev-legacy-billing-rotation", labels: plan.labels });
    expect(one(r.resources, "gcp:pubsub/topicIAMMember:TopicIAMMember", "gcred-topic-publisher").inputs).toEqual({
      project: "acme-agents-dev",
      topic: "ai-pr-reviewer-dev-legacy-billing-rotation",
      role: "roles/pubsub.publisher",
      member: "serviceAccount:service-123456789012@gcp-sa-secretmanager.iam.gserviceaccount.com",
    });
    const secret = one(r.resources, "gcp:secretmanager/secret:Secret", "gcred-secret");
    expect(secret.inputs).toEqual({
      project: "acme-agents-dev",
      secretId: "ai-pr-reviewer-dev-legacy-billing",
      replication: { auto: {} },
      rotation: { rotationPeriod: "2592000s", nextRotationTime: "2026-12-27T00:00:00Z" },
      topics: [{ name: "projects/acme-agents-dev/topics/ai-pr-reviewer-dev-legacy-billing-rotation" }],
      labels: plan.labels,
      annotations: plan.annotations,
    });
    expect(one(r.resources, "gcp:secretmanager/secretIamMember:SecretIamMember", "gcred-accessor").inputs).toEqual({
      project: "acme-agents-dev",
      secretId: "ai-pr-reviewer-dev-legacy-billing",
      role: "roles/secretmanager.secretAccessor",
      member: "serviceAccount:ai-pr-reviewer-dev@acme-agents-dev.iam.gserviceaccount.com",
      condition: plan.accessor!.condition,
    });
    for (const x of r.resources.filter((x) => x.type.startsWith("gcp:"))) expect(x.parent).toBe(comp.urn);
    expect(InventoryCredential.parse(r.outputs.inventory)).toMatchObject({ store: "gcp-secretmanager", storeRef: "projects/123456789012/secrets/ai-pr-reviewer-dev-legacy-billing" });

    const input = toPolicyInput(r.resources);
    expect(await rotationViolations(input)).toEqual([]);
    const strip = (f: (p: Record<string, any>) => Record<string, any>) => input.map((x) => (x.type === "gcp:secretmanager/secret:Secret" ? { ...x, props: f({ ...x.props }) } : x));
    expect((await rotationViolations(strip(({ rotation: _r, ...p }) => p))).map((v) => v.finding?.key)).toEqual(["no-rotation"]);
    expect((await rotationViolations(strip((p) => ({ ...p, rotation: { ...p.rotation, rotationPeriod: `${120 * 86400}s` } })))).map((v) => v.finding?.key)).toEqual(["rotation-too-slow"]);
    expect((await rotationViolations(strip(({ topics: _t, ...p }) => p))).map((v) => v.finding?.key)).toEqual(["no-rotation-topic"]);
  });

  test("revoked: no accessor binding, rotation and topic kept", async () => {
    const r = await run(build(true));
    expect(r.resources.filter((x) => x.type === "gcp:secretmanager/secretIamMember:SecretIamMember")).toEqual([]);
    expect(one(r.resources, "gcp:secretmanager/secret:Secret", "gcred-secret").inputs.rotation).toEqual({ rotationPeriod: "2592000s", nextRotationTime: "2026-12-27T00:00:00Z" });
    expect((r.outputs.inventory as any).disabled).toBe(true);
  });
});
