/**
 * One switch, every cloud: `revoked: true` on an assistant denies it on AWS (deny-all and the
 * older-sessions deny), disables its GCP service account and bindings, removes its GitHub access and
 * blocks its environment, keeps its static credential rotating but unreadable, and forbids its tool
 * calls — all in one `pulumi up`.
 */
import { runProgram, type RecordedResource } from "../../cli/engine/run-program";
import { readStackConfig } from "../../cli/engine/stack-config";
import { mockContextFor, validateStackConfig } from "../../cli/engine/plan-stack";
import { NOW, ROOT } from "../support/plan";

async function planWith(edit: (assistants: any[]) => void) {
  const cfg = readStackConfig(ROOT, "dev");
  const assistants = JSON.parse(JSON.stringify(cfg.spec.assistants));
  edit(assistants);
  const spec = validateStackConfig({ ...cfg, spec: { ...cfg.spec, assistants } }, NOW);
  process.env.ASSISTANT_IDENTITIES_NOW = NOW.toISOString();
  try {
    return await runProgram({
      project: "assistant-identities",
      stack: "dev",
      config: { ...cfg.config, "assistant-identities:assistants": JSON.stringify(assistants) },
      mock: mockContextFor(spec),
      load: () => require("../../index")(),
    });
  } finally {
    delete process.env.ASSISTANT_IDENTITIES_NOW;
  }
}

const under = (rs: RecordedResource[], assistant: string) => rs.filter((r) => r.urn.includes(`::ai-${assistant}-dev`) || r.name.startsWith(`ai-${assistant}-dev`));
const ofType = (rs: RecordedResource[], t: string) => rs.filter((r) => r.type === t);

describe("the kill switch", () => {
  let live: RecordedResource[];
  let revoked: RecordedResource[];
  beforeAll(async () => {
    live = (await planWith(() => undefined)).resources;
    revoked = (
      await planWith((as) => {
        for (const a of as) if (a.name === "pr-reviewer" || a.name === "oncall-agent") {
          a.revoked = true;
          a.revokeSessionsIssuedBefore = "2026-12-01T00:00:00Z";
        }
      })
    ).resources;
  }, 120000);

  test("AWS: an inline deny-all and AWS's older-sessions deny on each revoked role, none on live ones", () => {
    for (const name of ["pr-reviewer", "oncall-agent"]) {
      const [kill] = ofType(under(revoked, name), "aws:iam/rolePolicy:RolePolicy").filter((r) => r.inputs.name === "kill-switch");
      expect(JSON.parse(kill.inputs.policy as string).Statement).toEqual([
        { Sid: "KillSwitchDenyAll", Effect: "Deny", Action: ["*"], Resource: ["*"] },
        { Sid: "RevokeOlderSessions", Effect: "Deny", Action: ["*"], Resource: ["*"], Condition: { DateLessThan: { "aws:TokenIssueTime": "2026-12-01T00:00:00Z" } } },
      ]);
    }
    expect(ofType(under(revoked, "data-assistant"), "aws:iam/rolePolicy:RolePolicy").filter((r) => r.inputs.name === "kill-switch")).toEqual([]);
    expect(live.filter((r) => r.inputs.name === "kill-switch")).toEqual([]);
  });

  test("GCP: the service account is disabled and its grants are gone", () => {
    const sa = ofType(under(revoked, "pr-reviewer"), "gcp:serviceaccount/account:Account");
    expect(sa).toHaveLength(1);
    expect(sa[0].inputs.disabled).toBe(true);
    expect(ofType(under(live, "pr-reviewer"), "gcp:serviceaccount/account:Account")[0].inputs.disabled).toBe(false);
    const grants = (rs: RecordedResource[]) => under(rs, "pr-reviewer").filter((r) => /IAMMember|IamMember/.test(r.type));
    expect(grants(live).length).toBeGreaterThan(0);
    expect(grants(revoked)).toEqual([]);
  });

  test("GitHub: the App's repository access is removed, the environment is blocked, the variables are gone", () => {
    const t = "github:index/appInstallationRepositories:AppInstallationRepositories";
    expect(ofType(under(live, "pr-reviewer"), t)).toHaveLength(1);
    expect(ofType(under(revoked, "pr-reviewer"), t)).toEqual([]);
    expect(ofType(under(revoked, "pr-reviewer"), "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable")).toEqual([]);
    const env = ofType(under(revoked, "pr-reviewer"), "github:index/repositoryEnvironment:RepositoryEnvironment")[0];
    expect(env.inputs.deploymentBranchPolicy).toEqual({ protectedBranches: false, customBranchPolicies: true });
    expect(ofType(under(revoked, "pr-reviewer"), "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy")).toEqual([]);
  });

  test("tool calls: the Cedar policy store gains a forbid for the revoked assistant", () => {
    const policies = (rs: RecordedResource[]) => ofType(under(rs, "pr-reviewer"), "aws:verifiedpermissions/policy:Policy").map((r) => JSON.stringify(r.inputs.definition));
    expect(policies(live).some((d) => /forbid/.test(d) && /revoked/i.test(d))).toBe(false);
    expect(policies(revoked).some((d) => /forbid/.test(d) && /revoked/i.test(d))).toBe(true);
  });

  test("static credentials: the rotation schedule is kept, reads are denied to everyone", () => {
    const rot = (rs: RecordedResource[]) => ofType(under(rs, "oncall-agent"), "aws:secretsmanager/secretRotation:SecretRotation");
    expect(rot(revoked)).toHaveLength(1);
    expect(rot(revoked)[0].inputs.rotationRules).toEqual(rot(live)[0].inputs.rotationRules);
    const policy = JSON.parse(ofType(under(revoked, "oncall-agent"), "aws:secretsmanager/secretPolicy:SecretPolicy")[0].inputs.policy as string);
    const allows = policy.Statement.filter((s: any) => s.Effect === "Allow");
    expect(allows).toEqual([]);
    expect(policy.Statement.some((s: any) => s.Effect === "Deny" && JSON.stringify(s.Action).includes("secretsmanager:GetSecretValue"))).toBe(true);
  });
});

describe("revoking one of several assistants on a shared GCP provider", () => {
  test("its clause leaves the provider's condition, the others stay admitted, and the stack still plans", async () => {
    const cfg = readStackConfig(ROOT, "dev");
    const assistants = JSON.parse(JSON.stringify(cfg.spec.assistants));
    const twin = JSON.parse(JSON.stringify(assistants[0]));
    twin.name = "pr-summarizer";
    twin.source.environment = "ai-summary-dev";
    twin.github.environment.name = "ai-summary-dev";
    twin.github.app.installationId = 51234999;
    twin.revoked = true;
    delete twin.tools;
    assistants.push(twin);
    const spec = validateStackConfig({ ...cfg, spec: { ...cfg.spec, assistants } }, NOW);
    process.env.ASSISTANT_IDENTITIES_NOW = NOW.toISOString();
    try {
      const run = await runProgram({
        project: "assistant-identities",
        stack: "dev",
        config: { ...cfg.config, "assistant-identities:assistants": JSON.stringify(assistants) },
        mock: mockContextFor(spec),
        load: () => require("../../index")(),
      });
      const provider = run.resources.find((r) => r.type === "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider" && String(r.inputs.attributeCondition).includes("712345678"))!;
      expect(provider.inputs.disabled).toBe(false);
      expect(String(provider.inputs.attributeCondition)).toContain("ai-review-dev");
      expect(String(provider.inputs.attributeCondition)).not.toContain("ai-summary-dev");
    } finally {
      delete process.env.ASSISTANT_IDENTITIES_NOW;
    }
  }, 60000);
});
