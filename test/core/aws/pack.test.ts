/** Merging and packing never widen a grant and never drop one; packing respects AWS's quotas. */
import fc from "fast-check";
import { mergeStatements, packStatements, QUOTAS } from "../../../core/aws/pack";
import { doc, policySize, type IamStatement } from "../../../core/aws/types";
import { decideIdentity } from "../../support/iam-oracle";

/** Every (action, resource, condition) triple a statement list allows. */
function triples(statements: IamStatement[]): Set<string> {
  const out = new Set<string>();
  for (const s of statements) {
    // A condition with a multi-valued key allows each value: expand them so merges that union values compare equal.
    const cond = s.Condition ?? {};
    const expanded: Array<Record<string, Record<string, string>>> = [{}];
    for (const [op, kv] of Object.entries(cond)) {
      for (const [k, v] of Object.entries(kv)) {
        const vals = Array.isArray(v) ? v : [v];
        const next: Array<Record<string, Record<string, string>>> = [];
        for (const e of expanded) for (const val of vals) next.push({ ...e, [op]: { ...(e[op] ?? {}), [k]: val } });
        expanded.splice(0, expanded.length, ...next);
      }
    }
    for (const a of s.Action ?? []) for (const r of s.Resource ?? []) for (const c of expanded) out.add(`${a}|${r}|${JSON.stringify(c, Object.keys(c).sort())}`);
  }
  return out;
}

const statement = fc.record({
  Effect: fc.constant("Allow" as const),
  Action: fc.subarray(["s3:GetObject", "s3:PutObject", "s3:ListBucket", "dynamodb:GetItem", "sqs:SendMessage"], { minLength: 1 }),
  Resource: fc.subarray(["arn:aws:s3:::a/*", "arn:aws:s3:::b/*", "arn:aws:s3:::a", "arn:aws:dynamodb:eu-west-1:1:table/t", "arn:aws:sqs:eu-west-1:1:q"], { minLength: 1 }),
  Condition: fc.option(
    fc.oneof(
      fc.record({ StringEquals: fc.record({ "aws:SourceVpc": fc.constantFrom("vpc-1", "vpc-2") }) }),
      fc.record({ StringLike: fc.record({ "s3:prefix": fc.subarray(["p1/*", "p2/*", "p3/*"], { minLength: 1 }) }) }),
    ),
    { nil: undefined },
  ),
});

describe("mergeStatements", () => {
  test("allows exactly the same (action, resource, condition) triples as its input", () => {
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 12 }), (ss) => {
        const clean = ss.map((s) => (s.Condition ? s : { Effect: s.Effect, Action: s.Action, Resource: s.Resource })) as IamStatement[];
        expect([...triples(mergeStatements(clean))].sort()).toEqual([...triples(clean)].sort());
      }),
      { numRuns: 300, seed: 20261129 },
    );
  });

  test("regression: statements that differ in a condition's value are not merged into the wider one", async () => {
    const merged = mergeStatements([
      { Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::a/*"], Condition: { StringEquals: { "aws:SourceVpc": "vpc-1" } } },
      { Effect: "Allow", Action: ["s3:PutObject"], Resource: ["arn:aws:s3:::a/*"], Condition: { StringEquals: { "aws:SourceVpc": "vpc-2" } } },
    ]);
    const put = await decideIdentity({
      principal: "arn:aws:iam::111122223333:role/x",
      action: "s3:PutObject",
      resource: "arn:aws:s3:::a/k",
      accountId: "111122223333",
      context: { "aws:SourceVpc": "vpc-1" },
      identityPolicies: [doc(merged)],
    });
    expect(put).toBe("ImplicitlyDenied");
  });

  test("regression: 300 S3 list prefixes all survive", () => {
    const ss: IamStatement[] = Array.from({ length: 300 }, (_, i) => ({ Effect: "Allow", Action: ["s3:ListBucket"], Resource: ["arn:aws:s3:::lake"], Condition: { StringLike: { "s3:prefix": [`p${i}/*`] } } }));
    const merged = mergeStatements(ss);
    const prefixes = merged.flatMap((s) => (s.Condition!.StringLike!["s3:prefix"] as string[]));
    expect(new Set(prefixes).size).toBe(300);
  });
});

describe("packStatements", () => {
  test("past what fits in one inline policy, managed policies each within 6,144 characters, at most 10", () => {
    const ss: IamStatement[] = Array.from({ length: 400 }, (_, i) => ({ Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem"], Resource: [`arn:aws:dynamodb:eu-west-1:111122223333:table/orders-${i}`], Condition: { DateLessThan: { "aws:CurrentTime": "2027-01-01T00:00:00Z" } } }));
    const packed = packStatements(ss);
    if (!packed.ok) throw new Error(packed.error);
    expect(packed.inline).toEqual([]);
    expect(packed.managed.length).toBeGreaterThan(1);
    expect(packed.managed.length).toBeLessThanOrEqual(QUOTAS.managedPerRole);
    for (const d of packed.managed) expect(policySize(d)).toBeLessThanOrEqual(QUOTAS.managedPolicy);
    expect([...triples(packed.managed.flatMap((d) => d.Statement))].sort()).toEqual([...triples(ss)].sort());
  });

  test("a small set stays one inline policy; reserved inline space (the kill switch) is respected", () => {
    const ss: IamStatement[] = [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::a/*"] }];
    const packed = packStatements(ss, 100);
    expect(packed.ok && packed.inline.length).toBe(1);
    const tight = packStatements(ss, QUOTAS.inlinePerRole);
    expect(tight.ok && tight.managed.length).toBe(1);
  });

  test("more than ten managed policies is a clear error", () => {
    const ss: IamStatement[] = Array.from({ length: 3000 }, (_, i) => ({ Effect: "Allow", Action: [`dynamodb:GetItem`], Resource: [`arn:aws:dynamodb:eu-west-1:111122223333:table/t-${i}`], Condition: { StringEquals: { "aws:SourceVpc": `vpc-${i}` } } }));
    const packed = packStatements(ss);
    expect(packed.ok).toBe(false);
    if (!packed.ok) expect(packed.error).toMatch(/managed policies.*at most 10/);
  });
});
