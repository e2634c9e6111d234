/**
 * Differential proof, identity policies: random but valid IAM documents (actions from AWS's action
 * data, wildcards, NotAction, Allow/Deny mixes, conditions, several statements) are judged twice —
 * by the real pack (aws-iam-no-escalating-grants on an aws:iam/policy:Policy through the harness)
 * and by @cloud-copilot/iam-simulate.
 *
 * Obligation: when the simulator allows an escalation action (core/iam ESCALATION_ACTIONS) on two
 * unrelated resources of its type (so on "*" or on any IAM resource, not a named one; see
 * iam-victims.ts), with iam:PassRole allowed the same way for the actions that need it, the pack
 * must report a mandatory finding that names that action (or a statement-wide wildcard / NotAction).
 *
 * False positives: a mandatory escalation-ground finding on a document where the simulator allows
 * no escalation is counted, not forbidden: the rule is deliberately conservative (Deny statements
 * and Conditions do not clear an Allow; `*`, NotAction and wildcards over permissions-management
 * actions are flagged whatever the resource). The rates are printed and documented in docs/proofs.md.
 */
import fc from "fast-check";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { ESCALATION_METHODS, allServices, expandActionPattern } from "../../core/iam";
import type { Violation } from "../../policies/harness";
import { ACCT, mandatory, regressions, report, runPack, runs, seed } from "./support";
import { FILL_A, arnTemplate, fillTemplate, victims } from "./iam-victims";

const RULE = "aws-iam-no-escalating-grants";
const CONTEXT = { "aws:SecureTransport": "true", "aws:RequestedRegion": "eu-west-1" };

async function allowed(policy: object, action: string, resource: string): Promise<boolean> {
  const res: any = await runSimulation(
    {
      request: { principal: `arn:aws:iam::${ACCT}:role/agent`, action, resource: { resource, accountId: ACCT }, contextVariables: CONTEXT },
      identityPolicies: [{ name: "p", policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (res.resultType === "error") throw new Error(`simulation error for ${action} on ${resource}: ${JSON.stringify(res.errors)}`);
  return res.overallResult === "Allowed";
}

const allowedOnBoth = async (policy: object, action: string) => {
  const [a, b] = victims(action);
  return (await allowed(policy, action, a)) && (await allowed(policy, action, b));
};

/** Escalation actions the simulator allows broadly (PassRole-paired ones only with a broad PassRole). */
export async function escalationObligations(policy: object): Promise<string[]> {
  const canPass = await allowedOnBoth(policy, "iam:PassRole");
  const out: string[] = [];
  for (const m of ESCALATION_METHODS) {
    if (m.needsPassRole && !canPass) continue;
    if (await allowedOnBoth(policy, m.action)) out.push(m.action);
  }
  return out;
}

const STATEMENT_WIDE = new Set(["wildcard-action", "not-action-allow"]);
const ESCALATION_GROUND = new Set(["wildcard-action", "not-action-allow", "escalation-action", "service-wildcard-escalation"]);
const category = (v: Violation) => String(v.finding?.key ?? "").split("::")[0];

function covers(vs: readonly Violation[], action: string): boolean {
  return vs.some((v) => {
    const c = category(v);
    if (STATEMENT_WIDE.has(c)) return true;
    if (c === "escalation-action") return v.finding?.value === action;
    if (c === "service-wildcard-escalation") return ((v.finding?.value as { actions?: string[] })?.actions ?? []).includes(action);
    return false;
  });
}

export interface IdentityVerdict {
  obligations: string[];
  missed: string[];
  escalationFindings: string[];
}

export async function judgeIdentity(policy: object): Promise<IdentityVerdict> {
  const vs = mandatory(await runPack([{ type: "aws:iam/policy:Policy", name: "p", props: { policy: JSON.stringify(policy) } }]), RULE);
  const obligations = await escalationObligations(policy);
  const byAction = new Map(ESCALATION_METHODS.map((m) => [m.action, m]));
  const missed = obligations.filter((a) => !(covers(vs, a) || (byAction.get(a)!.needsPassRole === true && covers(vs, "iam:PassRole"))));
  return { obligations, missed, escalationFindings: vs.filter((v) => ESCALATION_GROUND.has(category(v))).map((v) => String(v.finding?.key)) };
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const ESCALATION = ESCALATION_METHODS.map((m) => m.action);
/** A fixed sample of plain actions from a fixed sample of services (deterministic: sorted data). */
const SERVICES = ["s3", "iam", "sts", "lambda", "ec2", "ssm", "secretsmanager", "kms", "dynamodb", "logs", "sqs", "glue", "codebuild", "cloudformation", "ecs", "sagemaker", "bedrock", "ecr"].filter((s) => allServices().includes(s));
const PLAIN = SERVICES.flatMap((s) => expandActionPattern(`${s}:*`).filter((_, i) => i % 7 === 0));

/** An action pattern: exact (any case), a wildcard cut of one, `?` for a letter, service-wide, or everything. */
const actionArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ESCALATION) },
  { weight: 3, arbitrary: fc.constantFrom(...PLAIN) },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.constantFrom(...ESCALATION, ...PLAIN), fc.nat(40)).map(([a, k]) => {
      const i = a.indexOf(":") + 1 + (k % (a.length - a.indexOf(":")));
      return `${a.slice(0, i)}*`;
    }),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...ESCALATION), fc.nat(40)).map(([a, k]) => { const i = a.indexOf(":") + 1 + (k % (a.length - a.indexOf(":") - 1)); return `${a.slice(0, i)}?${a.slice(i + 1)}`; }) },
  { weight: 1, arbitrary: fc.constantFrom("*", "iam:*", "sts:*", "lambda:*", "ssm:*", "s3:*", "ec2:*") },
  { weight: 1, arbitrary: fc.constantFrom(...ESCALATION).map((a) => a.toLowerCase()) },
);

/** A resource: "*", a victim type's ARN cut at any point and wildcarded, a named/prefixed one, or another service's. */
const TEMPLATES = [...new Set(ESCALATION.map(arnTemplate).filter((t): t is string => t !== undefined))];
const resourceArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constant("*") },
  {
    weight: 5,
    arbitrary: fc.tuple(fc.constantFrom(...TEMPLATES), fc.nat(200), fc.boolean()).map(([t, k, q]) => {
      const full = fillTemplate(t, FILL_A);
      const i = 8 + (k % (full.length - 7)); // keep "arn:aws:" so it stays an ARN
      return q ? `${full.slice(0, i)}?${full.slice(i + 1)}` : `${full.slice(0, i)}*`;
    }),
  },
  { weight: 2, arbitrary: fc.constantFrom(...TEMPLATES).map((t) => fillTemplate(t, "app-*")) },
  { weight: 1, arbitrary: fc.constantFrom(...TEMPLATES).map((t) => fillTemplate(t, "named-resource")) },
  { weight: 1, arbitrary: fc.constantFrom("arn:aws:s3:::bucket/*", "arn:aws:s3:::*", `arn:aws:iam::${ACCT}:*`, "arn:aws:iam::*:*", "arn:*:*:*:*:*", `arn:aws:iam::${ACCT}:role/assistants/*`) },
);

const conditionArb = fc.constantFrom(
  { Bool: { "aws:SecureTransport": "true" } }, // holds in the simulated request
  { StringEquals: { "aws:RequestedRegion": "us-east-1" } }, // does not hold
  { StringLike: { "aws:RequestedRegion": "eu-*" } }, // holds
);

const list = <T>(arb: fc.Arbitrary<T>, max: number) => fc.uniqueArray(arb, { minLength: 1, maxLength: max });

const statementArb = fc
  .record({
    effect: fc.constantFrom("Allow", "Allow", "Allow", "Deny"),
    actions: list(actionArb, 3),
    resources: list(resourceArb, 2),
    notResource: fc.nat(19).map((n) => n === 0),
    useNotAction: fc.nat(9).map((n) => n === 0),
    condition: fc.option(conditionArb, { freq: 4 }),
  })
  .map(({ effect, actions, resources, notResource, useNotAction, condition }) => {
    const s: Record<string, unknown> = { Effect: effect };
    s[useNotAction ? "NotAction" : "Action"] = actions.length === 1 ? actions[0] : actions;
    s[notResource ? "NotResource" : "Resource"] = resources.length === 1 ? resources[0] : resources;
    if (condition) s.Condition = condition;
    return s;
  });

export const identityPolicyArb = fc.array(statementArb, { minLength: 1, maxLength: 4 }).map((Statement) => ({ Version: "2012-10-17", Statement }));

// ---------------------------------------------------------------------------------------------

describe("differential: identity policies, pack vs iam-simulate", () => {
  const tally = { cases: 0, withObligations: 0, obligations: 0, clean: 0, cleanFlagged: 0, cleanFlaggedDeny: 0, cleanFlaggedCondition: 0, cleanFlaggedWildcardOnly: 0 };

  test("every escalation the simulator allows broadly is flagged (mandatory)", async () => {
    await fc.assert(
      fc.asyncProperty(identityPolicyArb, async (policy) => {
        const v = await judgeIdentity(policy);
        tally.cases++;
        if (v.obligations.length) {
          tally.withObligations++;
          tally.obligations += v.obligations.length;
        } else {
          tally.clean++;
          if (v.escalationFindings.length) {
            tally.cleanFlagged++;
            const st = policy.Statement as Array<Record<string, unknown>>;
            if (st.some((s) => s.Effect === "Deny")) tally.cleanFlaggedDeny++;
            else if (st.some((s) => s.Condition)) tally.cleanFlaggedCondition++;
            else tally.cleanFlaggedWildcardOnly++;
          }
        }
        expect(v.missed).toEqual([]);
      }),
      { numRuns: runs(60), seed: seed(20261115), endOnFailure: false },
    );
    report("identity differential", { ...tally, falsePositivePermille: tally.clean ? Math.round((1000 * tally.cleanFlagged) / tally.clean) : 0 });
    // Not vacuous: the generator reaches both sides of the oracle.
    expect(tally.withObligations).toBeGreaterThan(tally.cases / 10);
    expect(tally.clean).toBeGreaterThan(tally.cases / 10);
  }, 300_000 + runs(0) * 1000);

  const fixed = regressions<{ description: string; policy: object; expectFlagged: string[] }>("identity");
  test("regression fixtures exist", () => expect(fixed.length).toBeGreaterThan(0));
  test.each(fixed.map(([f, r]) => [f, r] as const))("regression %s", async (_f, r) => {
    const v = await judgeIdentity(r.policy);
    expect(v.obligations).toEqual(expect.arrayContaining(r.expectFlagged));
    expect(v.missed).toEqual([]);
  });
});
