/**
 * trustFindingsShared: the memoised, frozen findings list analyzeTrustPolicy copies, one per parsed
 * document and `writing` (the trust rule asks both ways for every role, then once more).
 */
import { analyzeTrustPolicy, parsePolicyDocument, trustFindingsShared, type PolicyDocument } from "../../../core/iam";

function doc(statements: object[]): PolicyDocument {
  const r = parsePolicyDocument(text(statements));
  if (!r.ok) throw new Error(r.error);
  return r.doc;
}

const text = (statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

const FED = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const HOST = "token.actions.githubusercontent.com";

describe("trustFindingsShared", () => {
  // A subject wildcard over one repository's refs: broad only for a role that writes.
  const statements = [
    {
      Effect: "Allow",
      Principal: { Federated: FED },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { [`${HOST}:aud`]: "sts.amazonaws.com" }, StringLike: { [`${HOST}:sub`]: "repo:acme/app:*" } },
    },
    { Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" },
  ];
  const json = text(statements);
  const d = doc(statements);

  test("equals analyzeTrustPolicy's findings both ways, is frozen, and is the same list on a second call", () => {
    const reading = trustFindingsShared(d);
    const writing = trustFindingsShared(d, { writing: true });
    expect(reading.map((f) => f.category)).toEqual(["permissive-principal"]);
    expect(writing.map((f) => f.category)).toEqual(["wildcard-sub", "permissive-principal"]);
    expect(analyzeTrustPolicy(d)).toEqual([...reading]);
    expect(analyzeTrustPolicy(d, { writing: true })).toEqual([...writing]);
    for (const list of [reading, writing]) {
      expect(Object.isFrozen(list)).toBe(true);
      expect(list.every((f) => Object.isFrozen(f))).toBe(true);
    }
    expect(trustFindingsShared(d)).toBe(reading);
    expect(trustFindingsShared(d, { writing: false })).toBe(reading);
    expect(trustFindingsShared(d, { writing: true })).toBe(writing);
    // The document's own JSON text parses to the cached document: the same memo entry.
    expect(trustFindingsShared(json)).toBe(reading);
  });

  test("analyzeTrustPolicy hands out copies: changing one does not reach the memo", () => {
    const copy = analyzeTrustPolicy(d, { writing: true });
    copy[0].message = "changed";
    copy.pop();
    expect(trustFindingsShared(d, { writing: true })[0].message).not.toBe("changed");
    expect(trustFindingsShared(d, { writing: true })).toHaveLength(2);
  });

  test("an unparseable input gives one frozen invalid-document finding", () => {
    const bad = trustFindingsShared("{not json");
    expect(bad).toHaveLength(1);
    expect(bad[0].category).toBe("invalid-document");
    expect(Object.isFrozen(bad) && Object.isFrozen(bad[0])).toBe(true);
    expect(analyzeTrustPolicy("{not json")).toEqual([{ ...bad[0] }]);
  });
});
