/**
 * Proof with a real IAM simulator (@cloud-copilot/iam-simulate) that every example assistant's
 * role admits exactly its own workload, grants exactly its catalogue grants, and is fenced by the
 * boundary, the expiry and the kill switch.
 */
import { IAM_WRITE_PATTERNS, boundaryPolicy } from "../../../core/aws/boundary";
import { CATALOGUE, expandGrant } from "../../../core/aws/grants";
import { planAwsAssistant, type AwsAssistantPlan } from "../../../core/aws/plan";
import { oidcProviderArn } from "../../../core/aws/trust";
import { accessLevels, expandActionPattern, ESCALATION_ACTIONS } from "../../../core/iam";
import { subjectFor } from "../../../core/oidc/subjects";
import type { Assistant, AwsGrant, StackSpec } from "../../../core/spec/schema";
import { readStackConfig } from "../../../cli/engine/stack-config";
import { validateStackConfig } from "../../../cli/engine/plan-stack";
import { decideAssume, decideIdentity, defaultKeyPolicy, sampleResource } from "../../support/iam-oracle";
import { ROOT, NOW } from "../../support/plan";

const BEFORE = "2026-12-15T12:00:00Z";
const stacks: Array<[string, StackSpec]> = ["dev", "prod"].map((s) => [s, validateStackConfig(readStackConfig(ROOT, s), NOW)]);
const cases: Array<[string, Assistant, AwsAssistantPlan, StackSpec]> = stacks.flatMap(([stack, spec]) =>
  spec.assistants.map((a, i) => [`${stack}/${a.name}`, a, planAwsAssistant(a, i, spec.platform).plan!, spec] as [string, Assistant, AwsAssistantPlan, StackSpec]),
);
const roleArn = (p: AwsAssistantPlan) => `arn:aws:iam::${p.scope.accountId}:role${p.rolePath}${p.roleName}`;

function ownClaims(a: Assistant, p: AwsAssistantPlan): Record<string, string> {
  return { sub: p.federation.subject, aud: p.federation.audience, ...p.federation.extraClaims };
}

/** Tokens that must NOT assume the role: [what, provider ARN, claims]. */
function strangers(a: Assistant, p: AwsAssistantPlan): Array<[string, string, Record<string, string>]> {
  const own = ownClaims(a, p);
  const out: Array<[string, string, Record<string, string>]> = [
    ["another audience", p.providerArn, { ...own, aud: "api://default" }],
    ["another issuer", oidcProviderArn(p.scope, "gitlab.com"), own],
    ["no subject", p.providerArn, { aud: own.aud }],
  ];
  const s = a.source;
  if (s.kind === "github-actions") {
    const [owner, repo] = s.repository.split("/");
    const sub = (x: Partial<typeof s>) => subjectFor({ ...s, ...x } as typeof s);
    // A custom template has no branch or pull_request form: those cases apply to the default template only.
    const defaultTemplate = !s.subjectClaims;
    out.push(
      ["another repository", p.providerArn, { ...own, sub: sub({ repository: `${owner}/other-repo`, repositoryId: s.repositoryId + 1 }) }],
      ["another owner", p.providerArn, { ...own, sub: sub({ repository: `evil-${owner}/${repo}`, ownerId: s.ownerId + 7 }) }],
      ["another environment", p.providerArn, { ...own, sub: sub({ environment: "production-approvals" }) }],
      ...(defaultTemplate
        ? ([
            ["a branch instead of the environment", p.providerArn, { ...own, sub: sub({ environment: undefined, branch: "main" }) }],
            ["a pull_request subject", p.providerArn, { ...own, sub: `${sub({}).split(":").slice(0, 2).join(":")}:pull_request` }],
          ] as Array<[string, string, Record<string, string>]>)
        : [["the default subject of the same repository", p.providerArn, { ...own, sub: sub({ subjectClaims: undefined }) }] as [string, string, Record<string, string>]]),
      ["a renamed repository reusing the name with a new id", p.providerArn, { ...own, sub: sub({ repositoryId: s.repositoryId + 1000, subjectForm: "immutable" }) }],
    );
    if (s.subjectForm === "immutable") out.push(["the classic subject form", p.providerArn, { ...own, sub: sub({ subjectForm: "classic" }) }]);
    if (s.workflowRef) out.push(["another reusable workflow", p.providerArn, { ...own, job_workflow_ref: s.workflowRef.replace("pr-review.yml", "deploy.yml") }]);
  }
  if (s.kind === "kubernetes") {
    out.push(
      ["another service account", p.providerArn, { ...own, sub: `system:serviceaccount:${s.namespace}:default` }],
      ["another namespace", p.providerArn, { ...own, sub: `system:serviceaccount:kube-system:${s.serviceAccount}` }],
      ["another cluster", oidcProviderArn(p.scope, "oidc.eks.eu-west-1.amazonaws.com/id/0000000000000000000000000000FFFF"), own],
    );
  }
  if (s.kind === "spiffe") {
    out.push(
      ["another SPIFFE ID", p.providerArn, { ...own, sub: s.spiffeId.replace("data-assistant", "batch-runner") }],
      ["another trust domain", p.providerArn, { ...own, sub: s.spiffeId.replace("spiffe://", "spiffe://evil.") }],
    );
  }
  return out;
}

const keyPolicyFor = (action: string, accountId: string) => (action.startsWith("kms:") ? { resourcePolicy: defaultKeyPolicy(accountId) } : {});
const concrete = (arn: string) => arn.replace(/-\?\?\?\?\?\?$/, "-Ab12Cd").replace(/\*/g, "item-1");

/** The same grant kind on the resource next door. */
function neighbour(g: AwsGrant): AwsGrant {
  const x: any = { ...g };
  for (const k of ["bucket", "table", "secret", "logGroup", "queue", "topic", "functionName", "repository"]) if (k in x) x[k] = `${x[k]}-other`;
  if ("prefix" in x && x.prefix) x.prefix = "elsewhere/";
  if ("parameter" in x) x.parameter = String(x.parameter).replace(/\/(dev|prod)\//, "/shared/");
  if ("keyId" in x) x.keyId = "00000000-0000-4000-8000-000000000000";
  if ("modelId" in x) x.modelId = "meta.llama3-70b-instruct-v1:0";
  if ("dbUser" in x) x.dbUser = "admin";
  return x;
}

describe.each(cases)("%s", (_id, a, plan, spec) => {
  const role = roleArn(plan);

  test("its own workload can assume the role before expiry", () => {
    expect(decideAssume({ trust: plan.trustPolicy, roleArn: role, providerArn: plan.providerArn, claims: ownClaims(a, plan), now: BEFORE })).toBe("Allowed");
  });

  test("nobody can assume it after the expiry date", () => {
    expect(decideAssume({ trust: plan.trustPolicy, roleArn: role, providerArn: plan.providerArn, claims: ownClaims(a, plan), now: `${a.expires}T00:00:01Z` })).not.toBe("Allowed");
  });

  test.each(strangers(a, plan))("a token from %s cannot assume it", (_what, providerArn, claims) => {
    expect(decideAssume({ trust: plan.trustPolicy, roleArn: role, providerArn, claims, now: BEFORE })).not.toBe("Allowed");
  });

  const grants = (a.aws?.grants ?? []).map((g) => [g.kind, g] as [string, AwsGrant]);
  const policies = [...plan.inlinePolicies, ...plan.managedPolicies];
  const ctx = (g: AwsGrant) => ({ "aws:CurrentTime": BEFORE, ...("prefix" in g && g.prefix ? { "s3:prefix": `${g.prefix}x` } : {}) });

  test.each(grants)("%s: every granted action is allowed on its resource, through the boundary", async (_k, g) => {
    const planned = expandGrant(g, plan.scope);
    for (const s of planned.statements) for (const action of s.Action!) for (const r of s.Resource!) {
      const decision = await decideIdentity({ principal: role, action, resource: concrete(r), accountId: plan.scope.accountId, context: ctx(g), identityPolicies: policies, boundary: boundaryPolicy(), ...keyPolicyFor(action, plan.scope.accountId) });
      if (decision !== "Allowed") throw new Error(`${action} on ${concrete(r)}: ${decision}`);
    }
  });

  test.each(grants)("%s: the same actions are denied on the neighbouring resource and after expiry", async (_k, g) => {
    const own = expandGrant(g, plan.scope);
    const next = expandGrant(neighbour(g), plan.scope);
    let checked = 0;
    for (const [i, s] of next.statements.entries()) for (const action of s.Action!) for (const r of s.Resource!) {
      if (r === "*") continue; // ecr:GetAuthorizationToken has no resource ARN
      const d = await decideIdentity({ principal: role, action, resource: concrete(r), accountId: plan.scope.accountId, context: { ...ctx(neighbour(g)) }, identityPolicies: policies, boundary: boundaryPolicy(), ...keyPolicyFor(action, plan.scope.accountId) });
      if (d === "Allowed") throw new Error(`${action} on neighbour ${concrete(r)} was allowed`);
      checked++;
      const ownR = concrete(own.statements[i].Resource![0]);
      const late = await decideIdentity({ principal: role, action, resource: ownR, accountId: plan.scope.accountId, context: { ...ctx(g), "aws:CurrentTime": `${a.expires}T00:00:01Z` }, identityPolicies: policies, boundary: boundaryPolicy(), ...keyPolicyFor(action, plan.scope.accountId) });
      if (late === "Allowed") throw new Error(`${action} on ${ownR} was allowed after expiry`);
    }
    expect(checked).toBeGreaterThan(0);
  });

  test("the kill switch denies every grant; revoking older sessions denies sessions issued before the instant", async () => {
    const revoked = planAwsAssistant({ ...a, revoked: true }, 0, spec.platform).plan!;
    const older = planAwsAssistant({ ...a, revokeSessionsIssuedBefore: "2026-12-10T00:00:00Z" }, 0, spec.platform).plan!;
    const g = a.aws!.grants[0];
    const s = expandGrant(g, plan.scope).statements[0];
    const req = { principal: role, action: s.Action![0], resource: concrete(s.Resource![0]), accountId: plan.scope.accountId, boundary: boundaryPolicy(), ...keyPolicyFor(s.Action![0], plan.scope.accountId) };
    const withKill = (p: AwsAssistantPlan) => [...p.inlinePolicies, ...p.managedPolicies, p.killSwitch!];
    expect(await decideIdentity({ ...req, context: ctx(g), identityPolicies: withKill(revoked) })).toBe("ExplicitlyDenied");
    expect(await decideIdentity({ ...req, context: { ...ctx(g), "aws:TokenIssueTime": "2026-12-09T23:00:00Z" }, identityPolicies: withKill(older) })).toBe("ExplicitlyDenied");
    expect(await decideIdentity({ ...req, context: { ...ctx(g), "aws:TokenIssueTime": "2026-12-10T01:00:00Z" }, identityPolicies: withKill(older) })).toBe("Allowed");
  });
});

describe("the permissions boundary", () => {
  const everything = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["*"], Resource: ["*"] }] };
  const iamAndSts = [...ESCALATION_ACTIONS].filter((x) => /^(iam|sts):/.test(x));

  test.each(iamAndSts)("denies %s even when a grant allows everything", async (action) => {
    const d = await decideIdentity({ principal: "arn:aws:iam::111122223333:role/assistants/x", action, resource: sampleResource(action, "111122223333"), accountId: "111122223333", identityPolicies: [everything], boundary: boundaryPolicy() });
    expect(d).toBe("ExplicitlyDenied");
  });

  test.each(["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "logs:DeleteLogGroup", "organizations:LeaveOrganization", "account:PutAlternateContact"])(
    "denies audit tampering and organisation changes: %s",
    async (action) => {
      const d = await decideIdentity({ principal: "arn:aws:iam::111122223333:role/assistants/x", action, resource: sampleResource(action, "111122223333"), accountId: "111122223333", identityPolicies: [everything], boundary: boundaryPolicy() });
      expect(d).toBe("ExplicitlyDenied");
    },
  );

  test("its IAM write patterns cover every IAM write and permissions-management action in AWS's data except PassRole", () => {
    const writes = expandActionPattern("iam:*").filter((x) => accessLevels(x).some((l) => /Write|Permissions management|Tagging/.test(l)));
    const covered = new Set(IAM_WRITE_PATTERNS.flatMap(expandActionPattern));
    const missing = writes.filter((x) => !covered.has(x) && x !== "iam:PassRole");
    expect(writes.length).toBeGreaterThan(50);
    expect(missing).toEqual([]);
    expect([...covered].filter((x) => accessLevels(x).every((l) => /Read|List/.test(l)))).toEqual([]);
  });
});

describe("the catalogue", () => {
  test("no grant kind yields a '*' action or a wildcard service action", () => {
    const scope = { partition: "aws", accountId: "111122223333", region: "eu-west-1" };
    const samples: Record<string, any> = {
      bucket: "b-1", prefix: "p/", table: "t-1", secret: "s", parameter: "/x", keyId: "00000000-0000-4000-8000-000000000000", logGroup: "/g", queue: "q", topic: "t", functionName: "f", modelId: "a.b", repository: "r", dbResourceId: "db-ABCDEFGHIJ", dbUser: "u",
    };
    for (const kind of Object.keys(CATALOGUE)) {
      const g = expandGrant({ kind, ...samples } as any, scope);
      for (const s of g.statements) for (const act of s.Action!) {
        expect(act).not.toMatch(/\*/);
        expect(expandActionPattern(act)).toEqual([act]);
      }
    }
  });
});
