/** Hostile input never throws: random JSON values and near-miss policy shapes through every entry point. */
import fc from "fast-check";
import { parsePolicyDocument } from "../../../core/iam/document";
import { analyzeIdentityPolicy, judgeRawStatements } from "../../../core/iam/identity";
import { analyzeTrustPolicy, webIdentityTrusts } from "../../../core/iam/trust";

const scalar = fc.oneof(fc.string(), fc.constantFrom("*", "iam:*", "iam:PassRole", "s3:Get*", "arn:aws:iam::1:role/*", "Allow", "Deny"), fc.integer(), fc.boolean(), fc.constant(null));
const listOrOne = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }));
const statement = fc.record(
  {
    Effect: fc.oneof(fc.constantFrom("Allow", "Deny"), scalar),
    Action: listOrOne,
    NotAction: listOrOne,
    Resource: listOrOne,
    Principal: fc.oneof(fc.constant("*"), fc.dictionary(fc.constantFrom("AWS", "Federated", "Service", "Other"), listOrOne), scalar),
    Condition: fc.oneof(fc.dictionary(fc.string(), fc.dictionary(fc.string(), listOrOne)), scalar),
  },
  { requiredKeys: [] },
);
const nearMiss = fc.record({ Version: fc.oneof(fc.constant("2012-10-17"), scalar), Statement: fc.oneof(statement, fc.array(statement, { maxLength: 4 }), scalar) }, { requiredKeys: [] });

function noThrow(v: unknown): void {
  parsePolicyDocument(v);
  analyzeIdentityPolicy(v);
  analyzeTrustPolicy(v, { writing: true });
  webIdentityTrusts(v);
  judgeRawStatements(v);
  if (typeof v !== "string") parsePolicyDocument(JSON.stringify(v) ?? "");
}

test("random JSON values never throw", () => {
  fc.assert(fc.property(fc.jsonValue(), (v) => { expect(() => noThrow(v)).not.toThrow(); }), { numRuns: 300, seed: 7 });
});

test("near-miss policy documents never throw, and a parse either succeeds or names an error", () => {
  fc.assert(
    fc.property(nearMiss, (v) => {
      expect(() => noThrow(v)).not.toThrow();
      const r = parsePolicyDocument(v);
      if (!r.ok) expect(r.error).toMatch(/^must /);
    }),
    { numRuns: 500, seed: 11 },
  );
});
