/**
 * Differential proof, web-identity trust policies: random trust documents (GitHub classic and
 * immutable subjects, GitLab, EKS service accounts, SPIFFE IDs through an OIDC issuer;
 * StringEquals / StringLike / ForAnyValue / ForAllValues / negated operators; missing sub or aud;
 * extra Principal "*" statements; Deny statements) on an aws:iam/role:Role, judged by the whole
 * pack through the harness and by @cloud-copilot/iam-simulate (test/support/iam-oracle.ts).
 *
 * Tokens tried: a fixed set from unrelated repositories / owners / projects / service accounts
 * (look-alikes included), and tokens made from the policy's own patterns by filling each wildcard.
 * A token is *unrelated* when its workload (GitHub owner/repo, GitLab project, namespace:SA, SPIFFE
 * ID) is neither the intended one nor one the policy names exactly (an exact list of two
 * repositories is a shared role, which no-shared-identity reports).
 *
 * Obligations (hard):
 * - an unrelated token the simulator lets assume the role ⇒ a mandatory aws-iam-trust-pinned
 *   finding on the subject (missing-sub, wildcard-sub, unpinned-federated, permissive-principal,
 *   set-operator-single-valued on a sub key);
 * - for a role the stack lets write, a token of the intended repository in a context (branch, PR,
 *   environment) the policy does not name exactly, likewise;
 * - the intended subject with a foreign audience admitted ⇒ missing-aud / unpinned-federated /
 *   permissive-principal;
 * - two workloads named exactly and both admitted ⇒ no-shared-identity role-shared-by-workloads.
 * False positives (a subject finding while the simulator admits no unrelated token) are counted.
 */
import fc from "fast-check";
import { decideAssume } from "../support/iam-oracle";
import type { Violation } from "../../policies/harness";
import { ACCT, mandatory, regressions, report, runPack, runs, seed } from "./support";

export interface Issuer {
  id: string;
  host: string;
  /** Subject → workload id, undefined when the issuer never signs such a subject. */
  workload(sub: string): string | undefined;
  /** Whether two workload ids are one workload (default: equal). */
  same?(a: string, b: string): boolean;
  intended: string[];
  /** The intended workload in other contexts (branch, PR, environment). */
  otherContexts: string[];
  unrelated: string[];
}

export const ISSUERS: Issuer[] = [
  {
    id: "github",
    host: "token.actions.githubusercontent.com",
    workload: (s) => /^repo:([^/:]+)\/([^/:]+):(.+)$/.exec(s)?.slice(1, 3).join("/"),
    // The classic and immutable forms of one repository are one workload (no-shared-identity counts them
    // as one); two immutable forms are the same only with the same ids (acme@9999 is a re-registered owner).
    same: (a, b) => a === b || (a.replace(/@\d+/g, "") === b.replace(/@\d+/g, "") && (!a.includes("@") || !b.includes("@"))),
    intended: ["repo:acme/app:environment:prod", "repo:acme@1001/app@2002:environment:prod"],
    otherContexts: ["repo:acme/app:pull_request", "repo:acme/app:ref:refs/heads/feature", "repo:acme/app:environment:staging", "repo:acme@1001/app@2002:pull_request"],
    unrelated: [
      "repo:evil/tool:environment:prod",
      "repo:acme/other:environment:prod",
      "repo:acme-evil/app:environment:prod",
      "repo:acme/app-fork:environment:prod",
      "repo:\u0430cme/app:environment:prod", // Cyrillic а
      "repo:acme/\u0430pp:environment:prod",
      "repo:evil@99/app@98:environment:prod",
      "repo:acme@1001/other@3003:environment:prod",
      "repo:acme@9999/app@2002:environment:prod",
    ],
  },
  {
    id: "gitlab",
    host: "gitlab.com",
    workload: (s) => /^project_path:([^:]+\/[^:]+):ref_type:(branch|tag):ref:(.+)$/.exec(s)?.[1],
    intended: ["project_path:acme/app:ref_type:branch:ref:main"],
    otherContexts: ["project_path:acme/app:ref_type:branch:ref:feature", "project_path:acme/app:ref_type:tag:ref:v1"],
    unrelated: ["project_path:evil/app:ref_type:branch:ref:main", "project_path:acme/other:ref_type:branch:ref:main", "project_path:acme/app/sub:ref_type:branch:ref:main", "project_path:acme/app-fork:ref_type:branch:ref:main"],
  },
  {
    id: "eks",
    host: "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789",
    workload: (s) => /^system:serviceaccount:([^:]+):([^:]+)$/.exec(s)?.slice(1, 3).join(":"),
    intended: ["system:serviceaccount:agents:claude"],
    otherContexts: [],
    unrelated: ["system:serviceaccount:agents:other", "system:serviceaccount:kube-system:admin", "system:serviceaccount:agents-evil:claude", "system:serviceaccount:agents:claude-evil", "system:serviceaccount:\u0430gents:claude"],
  },
  {
    id: "spiffe",
    host: "oidc.spire.acme.example",
    workload: (s) => (/^spiffe:\/\/[^/]+\/.+$/.test(s) ? s : undefined),
    intended: ["spiffe://acme.example/ns/agents/sa/claude"],
    otherContexts: [],
    unrelated: ["spiffe://acme.example/ns/agents/sa/other", "spiffe://evil.example/ns/agents/sa/claude", "spiffe://acme.example/ns/agents/sa/claude/x", "spiffe://acme.example/ns/agents/sa/claude-evil"],
  },
];

const AUD = "sts.amazonaws.com";
const ROLE_ARN = `arn:aws:iam::${ACCT}:role/agent`;
const providerArn = (host: string) => `arn:aws:iam::${ACCT}:oidc-provider/${host}`;
const FILLS = ["", "x", "-evil", "evil", "evil/x", ":x", "x:y", "evil/tool:environment:prod"];
const hasWild = (s: string) => /[*?]/.test(s);

const POSITIVE = /^(ForAnyValue:|ForAllValues:)?(StringEquals|StringEqualsIgnoreCase|StringLike)(IfExists)?$/i;

interface Statement {
  Effect: string;
  Principal: unknown;
  Action: string;
  Condition?: Record<string, Record<string, string[]>>;
}
export interface TrustCase {
  issuer: string;
  writing: boolean;
  policy: { Version: string; Statement: Statement[] };
}

function subValues(policy: TrustCase["policy"], host: string, exactOnly: boolean): string[] {
  const out: string[] = [];
  for (const s of policy.Statement) {
    if (s.Effect !== "Allow") continue;
    for (const [op, block] of Object.entries(s.Condition ?? {})) {
      if (!POSITIVE.test(op)) continue;
      for (const [k, vs] of Object.entries(block)) if (k.toLowerCase() === `${host}:sub`.toLowerCase()) out.push(...vs.filter((v) => !exactOnly || !hasWild(v)));
    }
  }
  return out;
}

const assume = (c: TrustCase, issuer: Issuer, sub: string, aud = AUD) =>
  decideAssume({ trust: c.policy, roleArn: ROLE_ARN, providerArn: providerArn(issuer.host), claims: { sub, aud }, now: "2026-11-15T00:00:00Z" }) === "Allowed";

const cat = (v: Violation) => String(v.finding?.key ?? "").split("::")[0];
const SUB_FLAGS = new Set(["missing-sub", "wildcard-sub", "unpinned-federated", "permissive-principal"]);
const subFlagged = (vs: Violation[]) => vs.some((v) => SUB_FLAGS.has(cat(v)) || (cat(v) === "set-operator-single-valued" && /:sub$/i.test(String(v.finding?.key))));
const audFlagged = (vs: Violation[]) => vs.some((v) => ["missing-aud", "unpinned-federated", "permissive-principal"].includes(cat(v)));

export interface TrustVerdict {
  problems: string[];
  unrelatedAdmitted: number;
  subjectFlagged: boolean;
  intendedAdmitted: boolean;
}

export async function judgeTrust(c: TrustCase): Promise<TrustVerdict> {
  const issuer = ISSUERS.find((i) => i.id === c.issuer)!;
  const resources = [{ type: "aws:iam/role:Role", name: "agent", props: { name: "agent", assumeRolePolicy: JSON.stringify(c.policy) } }] as Array<{ type: string; name: string; props: Record<string, unknown> }>;
  if (c.writing) resources.push({ type: "aws:iam/rolePolicy:RolePolicy", name: "agent-write", props: { role: "agent", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::acme-artifacts/app/*" }] }) } });
  const all = await runPack(resources);
  const trust = mandatory(all, "aws-iam-trust-pinned");
  const shared = mandatory(all, "no-shared-identity").some((v) => v.finding?.key === "role-shared-by-workloads");

  const named = subValues(c.policy, issuer.host, true);
  const namedWorkloads = [...issuer.intended, ...named].map(issuer.workload).filter((w): w is string => w !== undefined);
  const same = issuer.same ?? ((a: string, b: string) => a === b);
  const isNamed = (w: string) => namedWorkloads.some((n) => same(n, w));
  const fromPatterns = subValues(c.policy, issuer.host, false)
    .filter(hasWild)
    .flatMap((p) => FILLS.map((f) => p.replace(/\*/g, f).replace(/\?/g, f.slice(0, 1) || "x")));
  const candidates = [...new Set([...issuer.unrelated, ...fromPatterns])];
  const problems: string[] = [];
  let unrelatedAdmitted = 0;
  for (const sub of candidates) {
    const w = issuer.workload(sub);
    if (w === undefined || isNamed(w)) continue;
    if (!assume(c, issuer, sub)) continue;
    unrelatedAdmitted++;
    if (!subFlagged(trust)) problems.push(`unrelated ${sub} can assume, no subject finding`);
  }
  if (c.writing) {
    for (const sub of [...issuer.otherContexts, ...fromPatterns]) {
      const w = issuer.workload(sub);
      if (w === undefined || !issuer.intended.map(issuer.workload).includes(w) || named.includes(sub) || issuer.intended.includes(sub)) continue;
      if (assume(c, issuer, sub) && !subFlagged(trust)) problems.push(`writing role: ${sub} (other context) can assume, no subject finding`);
    }
  }
  const intendedAdmitted = issuer.intended.some((s) => assume(c, issuer, s));
  if (issuer.intended.some((s) => assume(c, issuer, s, "https://evil.example")) && !audFlagged(trust)) problems.push("a token for another audience can assume, no aud finding");
  const distinct = (ws: string[]) => ws.filter((w, i) => !ws.slice(0, i).some((x) => same(x, w)));
  const admitted = distinct(named.filter((s) => assume(c, issuer, s)).map(issuer.workload).filter((w): w is string => w !== undefined));
  if (admitted.length > 1 && !shared && !subFlagged(trust)) problems.push(`admits ${admitted.length} named workloads (${admitted.join(", ")}), not reported as shared`);
  return { problems, unrelatedAdmitted, subjectFlagged: subFlagged(trust), intendedAdmitted };
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/** A subject pattern: one of the issuer's subjects as is, with a span replaced by `*`, or a character by `?`. */
function patternArb(issuer: Issuer): fc.Arbitrary<string> {
  const base = fc.constantFrom(...issuer.intended, ...issuer.intended, ...issuer.otherContexts);
  return fc.oneof(
    { weight: 3, arbitrary: base },
    {
      weight: 4,
      arbitrary: fc.tuple(base, fc.nat(1000), fc.nat(1000)).map(([s, a, b]) => {
        const i = a % (s.length + 1);
        const j = i + (b % (s.length - i + 1));
        return `${s.slice(0, i)}*${s.slice(j)}`;
      }),
    },
    { weight: 1, arbitrary: fc.tuple(base, fc.nat(1000)).map(([s, a]) => { const i = a % s.length; return `${s.slice(0, i)}?${s.slice(i + 1)}`; }) },
    { weight: 1, arbitrary: fc.constant("*") },
  );
}

const SUB_OPS = ["StringEquals", "StringLike", "StringLike", "ForAnyValue:StringLike", "ForAllValues:StringEquals", "StringNotLike", "StringLikeIfExists", "StringEqualsIgnoreCase"];

function trustCaseArb(issuer: Issuer): fc.Arbitrary<TrustCase> {
  const host = issuer.host;
  const subCond = fc.tuple(fc.constantFrom(...SUB_OPS), fc.uniqueArray(patternArb(issuer), { minLength: 1, maxLength: 2 }));
  return fc
    .record({
      aud: fc.constantFrom("StringEquals", "StringEquals", "StringEquals", "ForAnyValue:StringEquals", "none", "StringLike*"),
      subs: fc.array(subCond, { minLength: 0, maxLength: 2 }),
      extra: fc.constantFrom("none", "none", "none", "none", "star", "aws-star", "star-conditioned", "deny-other-owners"),
      writing: fc.boolean(),
    })
    .map(({ aud, subs, extra, writing }) => {
      const cond: Record<string, Record<string, string[]>> = {};
      const add = (op: string, key: string, v: string[]) => ((cond[op] ??= {})[key] = v);
      if (aud === "StringLike*") add("StringLike", `${host}:aud`, ["*"]);
      else if (aud !== "none") add(aud, `${host}:aud`, [AUD]);
      for (const [op, values] of subs) add(op, `${host}:sub`, values);
      const statements: Statement[] = [{ Effect: "Allow", Principal: { Federated: providerArn(host) }, Action: "sts:AssumeRoleWithWebIdentity", ...(Object.keys(cond).length ? { Condition: cond } : {}) }];
      if (extra === "star") statements.push({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRoleWithWebIdentity" });
      if (extra === "aws-star") statements.push({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRoleWithWebIdentity" });
      if (extra === "star-conditioned") statements.push({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "aws:PrincipalAccount": [ACCT] } } });
      if (extra === "deny-other-owners") statements.push({ Effect: "Deny", Principal: { Federated: providerArn(host) }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringNotLike: { [`${host}:sub`]: [`${issuer.intended[0].slice(0, 12)}*`] } } });
      return { issuer: issuer.id, writing, policy: { Version: "2012-10-17", Statement: statements } };
    });
}

export const anyTrustCaseArb = fc.oneof(...ISSUERS.map(trustCaseArb));

// ---------------------------------------------------------------------------------------------

describe("differential: web-identity trust policies, pack vs iam-simulate", () => {
  const tally = { cases: 0, unrelatedAdmittedCases: 0, intendedAdmitted: 0, subjectFlagged: 0, safe: 0, safeButFlagged: 0, safeButFlaggedAdmitsNothing: 0, safeButFlaggedDeny: 0 };

  test("every unrelated workload, foreign audience or (for writing roles) other context the simulator admits is flagged", async () => {
    await fc.assert(
      fc.asyncProperty(anyTrustCaseArb, async (c) => {
        const v = await judgeTrust(c);
        tally.cases++;
        if (v.unrelatedAdmitted) tally.unrelatedAdmittedCases++;
        else {
          tally.safe++;
          if (v.subjectFlagged) {
            tally.safeButFlagged++;
            if (!v.intendedAdmitted) tally.safeButFlaggedAdmitsNothing++;
            else if (c.policy.Statement.some((s) => s.Effect === "Deny")) tally.safeButFlaggedDeny++;
          }
        }
        if (v.intendedAdmitted) tally.intendedAdmitted++;
        if (v.subjectFlagged) tally.subjectFlagged++;
        expect(v.problems).toEqual([]);
      }),
      { numRuns: runs(150), seed: seed(4242), endOnFailure: false },
    );
    report("trust differential", { ...tally, falsePositivePermille: tally.safe ? Math.round((1000 * tally.safeButFlagged) / tally.safe) : 0 });
    expect(tally.unrelatedAdmittedCases).toBeGreaterThan(tally.cases / 10);
    expect(tally.intendedAdmitted).toBeGreaterThan(tally.cases / 4);
    expect(tally.safe).toBeGreaterThan(tally.cases / 10);
  }, 300_000 + runs(0) * 1000);

  const fixed = regressions<{ description: string; case: TrustCase; unrelatedAdmitted: boolean }>("trust");
  test.each(fixed.map(([f, r]) => [f, r] as const))("regression %s", async (_f, r) => {
    const v = await judgeTrust(r.case);
    expect(v.unrelatedAdmitted > 0).toBe(r.unrelatedAdmitted);
    expect(v.problems).toEqual([]);
  });
});
