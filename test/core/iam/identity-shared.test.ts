/**
 * identityFindingsShared: the memoised, frozen findings list analyzeIdentityPolicy copies; and the
 * grantsOf / statementCoversAction fast path (memoised service part of each pattern) against a
 * direct reading through the action expansion.
 */
import fc from "fast-check";
import { analyzeIdentityPolicy, identityFindingsShared, grantsOf, statementCoversAction, expandActionPattern, parsePolicyDocument, type PolicyDocument, type Statement } from "../../../core/iam";

function doc(statements: object[]): PolicyDocument {
  const r = parsePolicyDocument(JSON.stringify({ Version: "2012-10-17", Statement: statements }));
  if (!r.ok) throw new Error(r.error);
  return r.doc;
}

describe("identityFindingsShared", () => {
  const d = doc([
    { Effect: "Allow", Action: ["iam:*", "s3:PutObject"], Resource: "*" },
    { Effect: "Allow", NotAction: "s3:GetObject", Resource: "arn:aws:s3:::b/k" },
  ]);

  test("equals analyzeIdentityPolicy's findings, is frozen, and is the same list on a second call", () => {
    const shared = identityFindingsShared(d);
    expect(shared.map((f) => f.category)).toEqual(["service-wildcard-escalation", "wildcard-resource-write", "not-action-allow"]);
    expect(analyzeIdentityPolicy(d)).toEqual([...shared]);
    expect(Object.isFrozen(shared)).toBe(true);
    expect(shared.every((f) => Object.isFrozen(f))).toBe(true);
    expect(identityFindingsShared(d)).toBe(shared);
    expect(identityFindingsShared(d, { allowActions: [], ignoreCategories: [] })).toBe(shared);
  });

  test("analyzeIdentityPolicy hands out copies: changing one does not reach the memo", () => {
    const copy = analyzeIdentityPolicy(d);
    copy[0].message = "changed";
    copy.pop();
    expect(identityFindingsShared(d)[0].message).not.toBe("changed");
    expect(identityFindingsShared(d)).toHaveLength(3);
  });

  test("options make their own entry: ignored categories and allowed actions", () => {
    const ignored = identityFindingsShared(d, { ignoreCategories: ["not-action-allow"] });
    expect(ignored.map((f) => f.category)).toEqual(["service-wildcard-escalation", "wildcard-resource-write"]);
    const allowed = identityFindingsShared(d, { allowActions: ["iam:*", "s3:PutObject"] });
    expect(allowed.map((f) => f.category)).toEqual(["not-action-allow"]);
    expect(identityFindingsShared(d).map((f) => f.category)).toHaveLength(3);
  });

  test("an unparseable input gives one frozen invalid-document finding", () => {
    const bad = identityFindingsShared("{not json");
    expect(bad).toHaveLength(1);
    expect(bad[0].category).toBe("invalid-document");
    expect(Object.isFrozen(bad) && Object.isFrozen(bad[0])).toBe(true);
  });
});

/** The reading before the fast path: a pattern names the action when it is a full wildcard or its expansion holds it. */
function coversDirectly(s: Statement, action: string): boolean {
  const want = action.toLowerCase();
  const names = (p: string) => p.trim() === "*" || p.trim() === "*:*" || expandActionPattern(p).some((a) => a.toLowerCase() === want);
  return s.NotAction ? !s.NotAction.some(names) : (s.Action ?? []).some(names);
}

describe("statementCoversAction and grantsOf against the direct reading", () => {
  const PATTERNS = ["iam:PassRole", "IAM:passrole", " iam:PassRole ", "iam:Pass*", "i?m:PassRole", "*am:*", "iam:*", "*", "*:*", "sts:AssumeRole", "STS:Assume*", "sts:*", "s3:GetObject", "s3:*", "iam", "ec2:RunInstances", "*:AssumeRole", "lambda:CreateFunction"];
  const statement = fc.record({
    effect: fc.constantFrom("Allow", "Deny"),
    not: fc.boolean(),
    actions: fc.array(fc.constantFrom(...PATTERNS), { minLength: 1, maxLength: 4 }),
    conditioned: fc.boolean(),
    resource: fc.constantFrom(undefined, "*", "arn:aws:iam::123456789012:role/x"),
  });

  test("property: same answer for iam:PassRole, sts:AssumeRole and s3:GetObject on 500 random statements", () => {
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 5 }), fc.constantFrom("iam:PassRole", "sts:AssumeRole", "s3:GetObject", "IAM:PASSROLE"), (raw, action) => {
        const d = doc(
          raw.map((s) => ({
            Effect: s.effect,
            [s.not ? "NotAction" : "Action"]: s.actions,
            ...(s.resource ? { Resource: s.resource } : { NotResource: "arn:aws:s3:::b" }),
            ...(s.conditioned ? { Condition: { Bool: { "aws:SecureTransport": "true" } } } : {}),
          })),
        );
        const expected = d.Statement.flatMap((s, i) =>
          s.Effect === "Allow" && coversDirectly(s, action) ? [{ resources: s.NotResource || !s.Resource ? ["*"] : [...s.Resource], path: `Statement[${i}]`, conditioned: s.Condition !== undefined }] : [],
        );
        for (const s of d.Statement) expect(statementCoversAction(s, action)).toBe(coversDirectly(s, action));
        expect(grantsOf(d, action)).toEqual(expected);
      }),
      { numRuns: 500, seed: 20261129 },
    );
  });

  test("a pattern of another service is not expanded and does not name the action; a wildcard service part does", () => {
    const s = (Action: string[]): Statement => doc([{ Effect: "Allow", Action, Resource: "*" }]).Statement[0];
    expect(statementCoversAction(s(["s3:*"]), "iam:PassRole")).toBe(false);
    expect(statementCoversAction(s(["i?m:Pass*"]), "iam:PassRole")).toBe(true);
    expect(statementCoversAction(s(["*:PassRole"]), "iam:PassRole")).toBe(true);
    expect(statementCoversAction(s([" IAM:PassRole"]), "iam:passrole")).toBe(true);
  });
});
