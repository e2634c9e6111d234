/**
 * Pins the exact observable behaviour of policies/documents.ts that the rule tests left loose: the
 * UnknownValueError path toPlain/stringMap/iamDocument/jsonProp report for an unknown inside a plain
 * or proxied value, what stringMap keeps (string entries of an object, nothing else), jsonProp's
 * three outcomes, parseJsonCached's bounded FIFO cache (2048 entries, oldest evicted first),
 * which trust statements webIdentityStatements selects (Allow + non-SAML Federated + a web-identity
 * action) and the `sub` values/paths subjectValues reads (operator and key matching, `[j]` only
 * for lists of more than one value).
 */
import { iamDocument, jsonProp, list, stringMap, subjectValues, toPlain, webIdentityStatements } from "../../policies/documents";
import { UNKNOWN, UnknownValueError, unknownCheckingProxy } from "../../policies/engine";
import type { PolicyDocument, Statement } from "../../core/iam/document";

type Documents = typeof import("../../policies/documents");

/** The error `fn` throws (fails the test when it returns). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw; got a return");
}

/** Asserts `fn` throws the engine's UnknownValueError for the string sentinel at exactly `props`. */
function expectUnknownAt(fn: () => unknown, props: string[], message: string): void {
  const e = thrown(fn) as { props: unknown; message: string; unknownTypeSentinel: unknown };
  expect(e).toBeInstanceOf(UnknownValueError);
  expect(e.props).toStrictEqual(props);
  expect(e.message).toBe(message);
  expect(e.unknownTypeSentinel).toBe(UNKNOWN);
}

/**
 * The module's imports, shared with each fresh copy: only policies/documents itself is evaluated
 * again (re-evaluating core/iam/document inside a test would make mutation testing count its
 * module-level tables as covered by these tests, which check none of them).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const SHARED: Record<string, unknown> = {
  "../../core/iam/document": require("../../core/iam/document"),
  "../../policies/engine": require("../../policies/engine"),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** A fresh copy of the module (its JSON cache starts empty). */
function freshDocuments(): Documents {
  let m: Documents | undefined;
  jest.isolateModules(() => {
    for (const [path, instance] of Object.entries(SHARED)) jest.doMock(path, () => instance);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    m = require("../../policies/documents") as Documents;
  });
  return m!;
}

const OIDC = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const SAML = "arn:aws:iam::123456789012:saml-provider/corp";
const GH_SUB = "token.actions.githubusercontent.com:sub";

const trust = (...Statement: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });
const federated = (fed: string[], Action: string[], extra: Partial<Statement> = {}): Statement => ({ Effect: "Allow", Principal: { Federated: fed }, Action, ...extra });
/** Indexes of the statements webIdentityStatements selects. */
const selected = (doc: PolicyDocument) => webIdentityStatements(doc).map((w) => w.index);

describe("toPlain: the path of an unknown", () => {
  test("an unknown at the top with no path given names the empty path", () => {
    expectUnknownAt(() => toPlain(UNKNOWN), [], "string value at . can't be known during preview");
  });

  test("an unknown nested in a plain object names the given path plus every key down to it", () => {
    expectUnknownAt(() => toPlain({ a: { b: UNKNOWN } }, ["root"]), ["root", "a", "b"], "string value at .root.a.b can't be known during preview");
  });

  test("a proxied value is copied into plain objects and arrays", () => {
    const p = unknownCheckingProxy({ v: { a: ["x", 1], b: { c: null } } });
    expect(toPlain(p.v, ["v"])).toStrictEqual({ a: ["x", 1], b: { c: null } });
  });
});

describe("stringMap", () => {
  test("absent and null props give {}", () => {
    expect(stringMap({}, "tags")).toStrictEqual({});
    expect(stringMap({ tags: null }, "tags")).toStrictEqual({});
  });

  test("keeps only the string entries of an object", () => {
    expect(stringMap({ tags: { owner: "team-a", count: 5, on: true, nested: { x: "y" }, gone: null } }, "tags")).toStrictEqual({ owner: "team-a" });
  });

  test("a string prop gives {} (not its characters)", () => {
    expect(stringMap({ tags: "ab" }, "tags")).toStrictEqual({});
  });

  test("an array prop gives {} (not its indexes)", () => {
    expect(stringMap({ tags: ["x", "y"] }, "tags")).toStrictEqual({});
  });

  test("a number or boolean prop gives {}", () => {
    expect(stringMap({ tags: 7 }, "tags")).toStrictEqual({});
    expect(stringMap({ tags: true }, "tags")).toStrictEqual({});
  });

  test("an unknown inside a plain map names the prop key and the entry", () => {
    expectUnknownAt(() => stringMap({ tags: { owner: UNKNOWN } }, "tags"), ["tags", "owner"], "string value at .tags.owner can't be known during preview");
  });
});

describe("iamDocument", () => {
  const DOC = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k" }] };
  const PARSED = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/k"] }] };

  test("absent, null and empty-string props give undefined", () => {
    expect(iamDocument({}, "policy")).toBeUndefined();
    expect(iamDocument({ policy: null }, "policy")).toBeUndefined();
    expect(iamDocument({ policy: "" }, "policy")).toBeUndefined();
  });

  test("a JSON string and an object (plain or proxied) parse to the same normalised document", () => {
    expect(iamDocument({ policy: JSON.stringify(DOC) }, "policy")).toStrictEqual({ ok: true, doc: PARSED });
    expect(iamDocument({ policy: DOC }, "policy")).toStrictEqual({ ok: true, doc: PARSED });
    expect(iamDocument(unknownCheckingProxy({ policy: DOC }), "policy")).toStrictEqual({ ok: true, doc: PARSED });
  });

  test("an unknown anywhere in a proxied object throws even where the document is also invalid", () => {
    // Parsed directly, the bad Version would be reported before Statement is ever read.
    const props = unknownCheckingProxy({ policy: { Version: "1999-01-01", Statement: UNKNOWN } });
    expectUnknownAt(() => iamDocument(props, "policy"), ["policy", "Statement"], "string value at .policy.Statement can't be known during preview");
  });

  test("an unknown inside a proxied object under an unknown document element throws instead of reporting the element", () => {
    const props = unknownCheckingProxy({ policy: { Statement: DOC.Statement, Extra: UNKNOWN } });
    expectUnknownAt(() => iamDocument(props, "policy"), ["policy", "Extra"], "string value at .policy.Extra can't be known during preview");
  });

  test("an unknown inside a plain object throws with the prop key at the head of the path", () => {
    expectUnknownAt(
      () => iamDocument({ policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: UNKNOWN, Resource: "*" }] } }, "policy"),
      ["policy", "Statement", "0", "Action"],
      "string value at .policy.Statement.0.Action can't be known during preview",
    );
  });

  test("an invalid document is an error result", () => {
    expect(iamDocument({ policy: { Statement: [] } }, "policy")).toStrictEqual({ ok: false, error: "must have at least one statement; got []", path: "Statement" });
  });
});

describe("jsonProp", () => {
  test("absent, null and empty-string props give undefined", () => {
    expect(jsonProp({}, "policyData")).toBeUndefined();
    expect(jsonProp({ policyData: undefined }, "policyData")).toBeUndefined();
    expect(jsonProp({ policyData: null }, "policyData")).toBeUndefined();
    expect(jsonProp({ policyData: "" }, "policyData")).toBeUndefined();
  });

  test("a JSON string is parsed", () => {
    expect(jsonProp({ policyData: '{"bindings":[{"role":"roles/viewer"}]}' }, "policyData")).toStrictEqual({ ok: true, value: { bindings: [{ role: "roles/viewer" }] } });
  });

  test("an invalid JSON string is an error result with JSON.parse's message", () => {
    expect(jsonProp({ policyData: "nope" }, "policyData")).toStrictEqual({ ok: false, error: 'Unexpected token \'o\', "nope" is not valid JSON' });
  });

  test("an object is returned as a plain copy (not parsed as JSON)", () => {
    expect(jsonProp({ policyData: { bindings: [{ role: "roles/owner", members: ["user:a@example.com"] }] } }, "policyData")).toStrictEqual({
      ok: true,
      value: { bindings: [{ role: "roles/owner", members: ["user:a@example.com"] }] },
    });
    expect(jsonProp(unknownCheckingProxy({ policyData: { etag: "x" } }), "policyData")).toStrictEqual({ ok: true, value: { etag: "x" } });
  });

  test("an unknown inside a plain object throws with the prop key at the head of the path", () => {
    expectUnknownAt(() => jsonProp({ policyData: { etag: UNKNOWN } }, "policyData"), ["policyData", "etag"], "string value at .policyData.etag can't be known during preview");
  });
});

describe("parseJsonCached: identical strings parse once, at most 2048 kept, oldest evicted first", () => {
  test("a repeated string returns the very same result without parsing again", () => {
    const { parseJsonCached } = freshDocuments();
    const spy = jest.spyOn(JSON, "parse");
    try {
      const first = parseJsonCached('{"a":1}');
      const again = parseJsonCached('{"a":1}');
      expect(first).toStrictEqual({ ok: true, value: { a: 1 } });
      expect(again).toBe(first);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  test("an error result is cached too", () => {
    const { parseJsonCached } = freshDocuments();
    const first = parseJsonCached("nope");
    expect(first).toStrictEqual({ ok: false, error: 'Unexpected token \'o\', "nope" is not valid JSON' });
    expect(parseJsonCached("nope")).toBe(first);
  });

  test("a second distinct string does not evict the first", () => {
    const { parseJsonCached } = freshDocuments();
    const a = parseJsonCached("[1]");
    const b = parseJsonCached("[2]");
    expect(parseJsonCached("[1]")).toBe(a);
    expect(parseJsonCached("[2]")).toBe(b);
  });

  test("2048 strings are all kept; the 2049th evicts the oldest and only it", () => {
    const { parseJsonCached } = freshDocuments();
    const results = [];
    for (let i = 0; i < 2048; i++) results.push(parseJsonCached(`[${i}]`));
    expect(parseJsonCached("[0]")).toBe(results[0]);
    expect(parseJsonCached("[2047]")).toBe(results[2047]);

    parseJsonCached("[2048]");
    expect(parseJsonCached("[1]")).toBe(results[1]);
    expect(parseJsonCached("[2047]")).toBe(results[2047]);
    const reparsed = parseJsonCached("[0]");
    expect(reparsed).not.toBe(results[0]);
    expect(reparsed).toStrictEqual({ ok: true, value: [0] });
  });
});

describe("list", () => {
  test("absent → [] and a list is returned as is", () => {
    expect(list(undefined)).toStrictEqual([]);
    const l = ["a", "b"];
    expect(list(l)).toBe(l);
  });
});

describe("webIdentityStatements", () => {
  test("returns the statement, its index and its federated principals", () => {
    const s = federated([OIDC], ["sts:AssumeRoleWithWebIdentity"]);
    const other: Statement = { Effect: "Allow", Principal: { Service: ["ec2.amazonaws.com"] }, Action: ["sts:AssumeRole"] };
    const out = webIdentityStatements(trust(other, s));
    expect(out).toHaveLength(1);
    expect(out[0].s).toBe(s);
    expect(out[0].index).toBe(1);
    expect(out[0].federated).toStrictEqual([OIDC]);
  });

  test("a Deny statement is not selected", () => {
    expect(selected(trust({ Effect: "Deny", Principal: { Federated: [OIDC] }, Action: ["sts:AssumeRoleWithWebIdentity"] }))).toStrictEqual([]);
  });

  test("statements without a Principal or with Principal \"*\" are skipped without error", () => {
    const doc = trust({ Effect: "Allow", Action: ["sts:AssumeRoleWithWebIdentity"], Resource: ["*"] }, { Effect: "Allow", Principal: "*", Action: ["sts:AssumeRoleWithWebIdentity"] }, federated([OIDC], ["sts:AssumeRoleWithWebIdentity"]));
    expect(selected(doc)).toStrictEqual([2]);
  });

  test("all-SAML federation is not web identity, whatever the action", () => {
    expect(selected(trust(federated([SAML], ["sts:*"]), federated([SAML], ["sts:AssumeRoleWithWebIdentity"])))).toStrictEqual([]);
  });

  test("federation mixing SAML and OIDC providers is web identity", () => {
    expect(selected(trust(federated([SAML, OIDC], ["sts:AssumeRoleWithWebIdentity"])))).toStrictEqual([0]);
  });

  test("one web-identity action among others is enough", () => {
    expect(selected(trust(federated([OIDC], ["sts:TagSession", "sts:AssumeRoleWithWebIdentity"])))).toStrictEqual([0]);
  });

  test.each([["sts:AssumeRoleWithWebIdentity"], ["STS:assumerolewithwebidentity"], ["sts:*"], ["*"], ["sts:AssumeRoleWith*"]])("action %s is web identity", (action) => {
    expect(selected(trust(federated([OIDC], [action])))).toStrictEqual([0]);
  });

  test.each([["sts:AssumeRole"], ["sts:TagSession"], ["sts:AssumeRoleWithSAML"]])("action %s alone is not web identity", (action) => {
    expect(selected(trust(federated([OIDC], [action])))).toStrictEqual([]);
  });

  test("a NotAction statement has no web-identity action", () => {
    expect(selected(trust({ Effect: "Allow", Principal: { Federated: [OIDC] }, NotAction: ["sts:AssumeRole"] }))).toStrictEqual([]);
  });
});

describe("subjectValues", () => {
  const withCondition = (Condition: Statement["Condition"]): Statement => federated([OIDC], ["sts:AssumeRoleWithWebIdentity"], { Condition });

  test("no Condition → []", () => {
    expect(subjectValues(federated([OIDC], ["sts:AssumeRoleWithWebIdentity"]), 0)).toStrictEqual([]);
  });

  test("a single value has no [j] in its path", () => {
    expect(subjectValues(withCondition({ StringEquals: { [GH_SUB]: ["repo:o/r:ref:refs/heads/main"] } }), 3)).toStrictEqual([
      { value: "repo:o/r:ref:refs/heads/main", issuer: "token.actions.githubusercontent.com", path: 'Statement[3].Condition.StringEquals["token.actions.githubusercontent.com:sub"]' },
    ]);
  });

  test("several values get [j] in their paths", () => {
    expect(subjectValues(withCondition({ StringLike: { [GH_SUB]: ["repo:o/a:*", "repo:o/b:*"] } }), 0)).toStrictEqual([
      { value: "repo:o/a:*", issuer: "token.actions.githubusercontent.com", path: 'Statement[0].Condition.StringLike["token.actions.githubusercontent.com:sub"][0]' },
      { value: "repo:o/b:*", issuer: "token.actions.githubusercontent.com", path: 'Statement[0].Condition.StringLike["token.actions.githubusercontent.com:sub"][1]' },
    ]);
  });

  test("set, IgnoreCase and IfExists forms count, in any letter case; the key is matched case-insensitively", () => {
    const cond = {
      "ForAnyValue:StringLike": { [GH_SUB]: ["a"] },
      "forallvalues:stringequalsignorecaseifexists": { "Issuer.Example:SUB": ["b"] },
    };
    expect(subjectValues(withCondition(cond), 1)).toStrictEqual([
      { value: "a", issuer: "token.actions.githubusercontent.com", path: 'Statement[1].Condition.ForAnyValue:StringLike["token.actions.githubusercontent.com:sub"]' },
      { value: "b", issuer: "Issuer.Example", path: 'Statement[1].Condition.forallvalues:stringequalsignorecaseifexists["Issuer.Example:SUB"]' },
    ]);
  });

  test("other operators are ignored, including names that only end or only start like StringEquals/StringLike", () => {
    const cond = {
      StringNotEquals: { [GH_SUB]: ["n1"] },
      StringNotLike: { [GH_SUB]: ["n2"] },
      "ForAnyValues:StringLike": { [GH_SUB]: ["n3"] },
      StringEqualsAnything: { [GH_SUB]: ["n4"] },
      StringEquals: { [GH_SUB]: ["kept"] },
    };
    expect(subjectValues(withCondition(cond), 0).map((v) => v.value)).toStrictEqual(["kept"]);
  });

  test("only keys ending in :sub are read (not :aud, not :subject)", () => {
    const cond = {
      StringEquals: {
        "token.actions.githubusercontent.com:aud": ["sts.amazonaws.com"],
        "token.actions.githubusercontent.com:subject": ["x"],
        [GH_SUB]: ["repo:o/r:environment:prod"],
      },
    };
    expect(subjectValues(withCondition(cond), 0)).toStrictEqual([
      { value: "repo:o/r:environment:prod", issuer: "token.actions.githubusercontent.com", path: 'Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]' },
    ]);
  });
});
