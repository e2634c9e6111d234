/**
 * Differential proof, GCP Workload Identity attribute conditions: random CEL conditions over GitHub
 * token claims (==, !=, in, startsWith/endsWith/contains/matches, has(), &&, ||, !, ?:, attributes
 * mapped from claims — honestly or from an author-controlled claim) are judged by the real pack
 * (gcp-wif-provider-condition through the harness) and evaluated by the CEL engine
 * (@marcbachmann/cel-js through core/gcp/cel.ts) against attackers' claim sets.
 *
 * An attacker is a workload of another owner (plain, look-alike Cyrillic, `acme-evil` prefix) or
 * another repository of the same owner. Its identity claims (repository, ids, owner, the repo part
 * of sub) are fixed; the claims a workflow author controls (ref, environment, workflow, …, the
 * context part of sub) it sets to whatever the condition asks for (every literal the condition
 * compares them with).
 *
 * Obligation (hard): a condition that admits any other-owner attacker ⇒ a mandatory
 * gcp-wif-provider-condition finding. Same-owner attackers admitted without a finding are counted:
 * the rule accepts an owner-level pin by design (docs/policy-pack.md). Conditions flagged although no
 * attacker gets in are counted as the false-positive rate.
 */
import fc from "fast-check";
import { evaluateAttributeCondition, celString } from "../../core/gcp/cel";
import { mandatory, regressions, report, runPack, runs, seed } from "./support";

const RULE = "gcp-wif-provider-condition";

interface Identity {
  repository: string;
  repository_id: string;
  repository_owner: string;
  repository_owner_id: string;
}
const INTENDED: Identity = { repository: "acme/app", repository_id: "2002", repository_owner: "acme", repository_owner_id: "1001" };
const OTHER_OWNERS: Identity[] = [
  { repository: "evil/tool", repository_id: "666", repository_owner: "evil", repository_owner_id: "999" },
  { repository: "\u0430cme/app", repository_id: "667", repository_owner: "\u0430cme", repository_owner_id: "998" },
  { repository: "acme-evil/app", repository_id: "668", repository_owner: "acme-evil", repository_owner_id: "997" },
];
const SAME_OWNER: Identity[] = [{ repository: "acme/other", repository_id: "3003", repository_owner: "acme", repository_owner_id: "1001" }];

const AUTHOR_CLAIMS = ["ref", "environment", "workflow", "event_name", "job_workflow_ref"] as const;
const AUTHOR_DEFAULTS: Record<string, string> = { ref: "refs/heads/main", environment: "prod", workflow: "deploy", event_name: "push", job_workflow_ref: "acme/wf/.github/workflows/d.yml@refs/heads/main" };
const IDENTITY_CLAIMS = ["repository", "repository_id", "repository_owner", "repository_owner_id", "sub"] as const;

export interface CelCase {
  condition: string;
  mapping: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const intendedValue = (claim: string): string[] => {
  switch (claim) {
    case "sub":
      return ["repo:acme/app:ref:refs/heads/main", "repo:acme/app:environment:prod", "repo:acme@1001/app@2002:environment:prod"];
    case "repository":
      return ["acme/app", "rival/tool"];
    case "repository_owner":
      return ["acme"];
    default:
      return claim in INTENDED ? [INTENDED[claim as keyof Identity]] : [AUTHOR_DEFAULTS[claim] ?? "x", "refs/heads/release", "staging"];
  }
};
const PREFIXES: Record<string, string[]> = {
  sub: ["repo:acme/", "repo:acme", "repo:acme/app:", "repo:", "repo:acme@1001/"],
  repository: ["acme/", "acme", "acme/app"],
  repository_owner: ["acme", "ac"],
  repository_id: ["20", "2002"],
  repository_owner_id: ["1001"],
  ref: ["refs/heads/", "refs/tags/"],
  environment: ["pro"],
  workflow: ["dep"],
  event_name: ["pu"],
  job_workflow_ref: ["acme/wf/"],
};

const claimArb = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...IDENTITY_CLAIMS) }, { weight: 2, arbitrary: fc.constantFrom(...AUTHOR_CLAIMS) });

/** How the condition reads a claim: assertion.c, assertion['c'], or attribute.repository (mapped). */
const readArb = (claim: string) =>
  claim === "repository"
    ? fc.constantFrom(`assertion.${claim}`, `assertion['${claim}']`, "attribute.repository")
    : fc.constantFrom(`assertion.${claim}`, `assertion['${claim}']`);

const atomArb: fc.Arbitrary<string> = claimArb.chain((claim) =>
  readArb(claim).chain((read) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...intendedValue(claim)).map((v) => `${read} == ${celString(v)}`) },
      { weight: 1, arbitrary: fc.constantFrom(...intendedValue(claim)).map((v) => `${celString(v)} == ${read}`) },
      { weight: 1, arbitrary: fc.constantFrom(...intendedValue(claim)).map((v) => `${read} != ${celString(v)}`) },
      { weight: 2, arbitrary: fc.uniqueArray(fc.constantFrom(...intendedValue(claim)), { minLength: 1, maxLength: 2 }).map((vs) => `${read} in [${vs.map(celString).join(", ")}]`) },
      { weight: 3, arbitrary: fc.constantFrom(...(PREFIXES[claim] ?? ["x"])).map((p) => `${read}.startsWith(${celString(p)})`) },
      { weight: 1, arbitrary: fc.constantFrom("endsWith('/app')", "contains('acme')", "matches('^acme/.*')", "endsWith('main')").map((m) => `${read}.${m}`) },
      { weight: 1, arbitrary: fc.constant(`has(assertion.${claim})`) },
    ),
  ),
);

const conditionArb: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 5, arbitrary: atomArb },
    { weight: 3, arbitrary: fc.tuple(tie("expr"), tie("expr")).map(([a, b]) => `(${a} && ${b})`) },
    { weight: 2, arbitrary: fc.tuple(tie("expr"), tie("expr")).map(([a, b]) => `(${a} || ${b})`) },
    { weight: 1, arbitrary: tie("expr").map((a) => `!(${a})`) },
    { weight: 1, arbitrary: fc.tuple(tie("expr"), tie("expr"), tie("expr")).map(([a, b, c]) => `(${a} ? ${b} : ${c})`) },
    { weight: 1, arbitrary: fc.constantFrom("true", "false") },
  ),
})).expr;

export const celCaseArb: fc.Arbitrary<CelCase> = fc.record({
  condition: conditionArb,
  mapping: fc.constantFrom<Record<string, string>>(
    { "google.subject": "assertion.sub", "attribute.repository": "assertion.repository" },
    { "google.subject": "assertion.sub", "attribute.repository": "assertion.workflow" }, // an attribute named like a pin, mapped from an author-controlled claim
    { "google.subject": "assertion.sub" },
  ),
});

// ---------------------------------------------------------------------------------------------
// The oracle
// ---------------------------------------------------------------------------------------------

function literalsFor(condition: string, claim: string): string[] {
  const out = new Set<string>();
  const names = [`assertion\\.${claim}\\b`, `assertion\\['${claim}'\\]`];
  for (const n of names) {
    for (const m of condition.matchAll(new RegExp(`${n}\\s*(?:==|!=)\\s*'([^']*)'`, "g"))) out.add(m[1]);
    for (const m of condition.matchAll(new RegExp(`'([^']*)'\\s*==\\s*${n}`, "g"))) out.add(m[1]);
    for (const m of condition.matchAll(new RegExp(`${n}\\s*in\\s*\\[([^\\]]*)\\]`, "g"))) for (const v of m[1].matchAll(/'([^']*)'/g)) out.add(v[1]);
    for (const m of condition.matchAll(new RegExp(`${n}\\.startsWith\\('([^']*)'\\)`, "g"))) out.add(`${m[1]}x`);
  }
  return [...out];
}

/** Attacker claim sets for one identity: author-controlled claims set to every value the condition names (capped). */
function attackerClaims(id: Identity, c: CelCase): Array<Record<string, string>> {
  const choices: Array<[string, string[]]> = AUTHOR_CLAIMS.map((k) => [k, [...new Set([AUTHOR_DEFAULTS[k], ...literalsFor(c.condition, k), ...(c.mapping["attribute.repository"] === `assertion.${k}` ? literalsFor(c.condition.replace(/attribute\.repository/g, `assertion.${k}`), k) : [])])]]);
  const subContexts = new Set(["ref:refs/heads/main", "environment:prod", "pull_request"]);
  for (const s of literalsFor(c.condition, "sub")) {
    const m = /^repo:[^:]*:(.+)$/.exec(s);
    if (m) subContexts.add(m[1]);
  }
  let sets: Array<Record<string, string>> = [{ ...id }];
  for (const [k, vs] of choices) sets = sets.flatMap((s) => vs.map((v) => ({ ...s, [k]: v }))).slice(0, 512);
  const [owner, repo] = id.repository.split("/");
  const subs = [...subContexts].flatMap((ctx) => [`repo:${id.repository}:${ctx}`, `repo:${owner}@${id.repository_owner_id}/${repo}@${id.repository_id}:${ctx}`]);
  return sets.flatMap((s) => subs.map((sub) => ({ ...s, sub }))).slice(0, 2048);
}

function admits(c: CelCase, claims: Record<string, string>): boolean {
  const attributes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.mapping)) {
    const m = /^attribute\.(\w+)$/.exec(k);
    const src = /^assertion\.(\w+)$/.exec(v);
    if (m && src) attributes[m[1]] = claims[src[1]];
  }
  return evaluateAttributeCondition(c.condition, claims, attributes).admitted;
}

export interface CelVerdict {
  flagged: boolean;
  otherOwnerAdmitted: string | undefined;
  sameOwnerAdmitted: boolean;
  intendedAdmitted: boolean;
}

export async function judgeCel(c: CelCase): Promise<CelVerdict> {
  const vs = mandatory(
    await runPack([{ type: "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider", name: "gh", props: { oidc: { issuerUri: "https://token.actions.githubusercontent.com" }, attributeCondition: c.condition, attributeMapping: c.mapping } }]),
    RULE,
  );
  const first = (ids: Identity[]) => {
    for (const id of ids) for (const claims of attackerClaims(id, c)) if (admits(c, claims)) return JSON.stringify(claims);
    return undefined;
  };
  return { flagged: vs.length > 0, otherOwnerAdmitted: first(OTHER_OWNERS), sameOwnerAdmitted: first(SAME_OWNER) !== undefined, intendedAdmitted: first([INTENDED]) !== undefined };
}

// ---------------------------------------------------------------------------------------------

describe("differential: GCP attribute conditions, pack vs the CEL engine", () => {
  const tally = { cases: 0, otherOwnerAdmitted: 0, sameOwnerOnlyAdmitted: 0, sameOwnerOnlyUnflagged: 0, safe: 0, safeButFlagged: 0, intendedAdmitted: 0 };

  test("every condition that admits a token of another owner is flagged (mandatory)", async () => {
    await fc.assert(
      fc.asyncProperty(celCaseArb, async (c) => {
        const v = await judgeCel(c);
        tally.cases++;
        if (v.intendedAdmitted) tally.intendedAdmitted++;
        if (v.otherOwnerAdmitted) tally.otherOwnerAdmitted++;
        else if (v.sameOwnerAdmitted) {
          tally.sameOwnerOnlyAdmitted++;
          if (!v.flagged) tally.sameOwnerOnlyUnflagged++;
        } else {
          tally.safe++;
          if (v.flagged) tally.safeButFlagged++;
        }
        expect({ condition: c.condition, admitted: v.otherOwnerAdmitted, flagged: v.otherOwnerAdmitted ? v.flagged : true }).toEqual({ condition: c.condition, admitted: v.otherOwnerAdmitted, flagged: true });
      }),
      { numRuns: runs(150), seed: seed(8128), endOnFailure: false },
    );
    report("gcp condition differential", { ...tally, falsePositivePermille: tally.safe ? Math.round((1000 * tally.safeButFlagged) / tally.safe) : 0 });
    expect(tally.otherOwnerAdmitted).toBeGreaterThan(tally.cases / 10);
    expect(tally.safe).toBeGreaterThan(tally.cases / 20);
  }, 300_000 + runs(0) * 1000);

  // Shrunk counter-examples would land in regressions/gcp-*.json; none found so far (see docs/proofs.md).
  const fixed = regressions<{ description: string; case: CelCase; otherOwnerAdmitted: boolean }>("gcp");
  for (const [f, r] of fixed) {
    test(`regression ${f}`, async () => {
      const v = await judgeCel(r.case);
      expect(v.otherOwnerAdmitted !== undefined).toBe(r.otherOwnerAdmitted);
      if (v.otherOwnerAdmitted) expect(v.flagged).toBe(true);
    });
  }
});
