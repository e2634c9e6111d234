import { documentSize, isPolicyDocumentLike, parseCacheSize, parsePolicyDocument, PARSE_LIMITS, renderPolicyDocument } from "../../../core/iam/document";
import { UnknownInput } from "../../../core/findings";

describe("parsePolicyDocument: accepted shapes are normalised", () => {
  const normal = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/*"] }],
  };
  const cases: [string, unknown][] = [
    ["object with arrays", normal],
    ["object with scalar fields", { Version: "2012-10-17", Statement: { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" } }],
    ["JSON string", JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] })],
    ["pretty JSON string", JSON.stringify(normal, null, 2)],
  ];
  test.each(cases)("%s", (_name, input) => {
    const r = parsePolicyDocument(input);
    expect(r).toEqual({ ok: true, doc: normal });
  });

  test("principals and conditions are normalised; numbers and booleans in conditions become strings", () => {
    const r = parsePolicyDocument({
      Statement: {
        Effect: "Allow",
        Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, Bool: { "aws:SecureTransport": true }, NumericLessThan: { "aws:MultiFactorAuthAge": 3600 } },
      },
    });
    expect(r.ok && r.doc.Statement[0]).toEqual({
      Effect: "Allow",
      Principal: { Federated: ["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"] },
      Action: ["sts:AssumeRoleWithWebIdentity"],
      Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": ["sts.amazonaws.com"] }, Bool: { "aws:SecureTransport": ["true"] }, NumericLessThan: { "aws:MultiFactorAuthAge": ["3600"] } },
    });
  });

  test('Principal "*" stays "*"', () => {
    const r = parsePolicyDocument({ Statement: [{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }] });
    expect(r.ok && r.doc.Statement[0].Principal).toBe("*");
  });

  test("returned documents are frozen", () => {
    const r = parsePolicyDocument({ Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] });
    expect(r.ok).toBe(true);
    if (r.ok) expect(Object.isFrozen(r.doc.Statement[0].Action)).toBe(true);
  });
});

describe("parsePolicyDocument: hostile or invalid input gives an error result, never a throw", () => {
  const huge = JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "x".repeat(PARSE_LIMITS.maxJsonChars) }] });
  const cyclic: Record<string, unknown> = { Effect: "Allow", Action: "s3:GetObject" };
  cyclic["Resource"] = cyclic;
  const throwing = { get Statement(): unknown { throw new Error("boom"); } };
  const deep = "[".repeat(200_000);
  const cases: [string, unknown, string | undefined][] = [
    ["invalid JSON", "{not json", undefined],
    ["deeply nested JSON", deep, undefined],
    ["null", null, undefined],
    ["a number", 42, undefined],
    ["an array", [], undefined],
    ["no Statement", { Version: "2012-10-17" }, "Statement"],
    ["empty Statement list", { Statement: [] }, "Statement"],
    ["null statement", { Statement: [null] }, "Statement[0]"],
    ["number where a string belongs", { Statement: [{ Effect: "Allow", Action: 42, Resource: "*" }] }, "Statement[0].Action"],
    ["number inside an action list", { Statement: [{ Effect: "Allow", Action: ["s3:GetObject", 7], Resource: "*" }] }, "Statement[0].Action[1]"],
    ["bad Effect", { Statement: [{ Effect: "allow", Action: "s3:GetObject", Resource: "*" }] }, "Statement[0].Effect"],
    ["both Action and NotAction", { Statement: [{ Effect: "Allow", Action: "s3:GetObject", NotAction: "s3:PutObject", Resource: "*" }] }, "Statement[0]"],
    ["no Action", { Statement: [{ Effect: "Allow", Resource: "*" }] }, "Statement[0]"],
    ["empty Action list", { Statement: [{ Effect: "Allow", Action: [], Resource: "*" }] }, "Statement[0].Action"],
    ["unknown element", { Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*", Actions: "x" }] }, "Statement[0].Actions"],
    ["bad Version", { Version: "2020-01-01", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] }, "Version"],
    ["null condition value", { Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: { StringEquals: { "aws:x": null } } }] }, 'Statement[0].Condition.StringEquals["aws:x"]'],
    ["condition not an object", { Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: "x" }] }, "Statement[0].Condition"],
    ["bad principal type", { Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Human: "x" } }] }, "Statement[0].Principal.Human"],
    ["huge input", huge, undefined],
    ["too many statements", { Statement: Array.from({ length: PARSE_LIMITS.maxStatements + 1 }, () => ({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" })) }, "Statement"],
    ["cyclic object", { Statement: [cyclic] }, "Statement[0].Resource"],
    ["throwing getter", throwing, undefined],
  ];
  test.each(cases)("%s", (_name, input, path) => {
    let r: ReturnType<typeof parsePolicyDocument> | undefined;
    expect(() => (r = parsePolicyDocument(input))).not.toThrow();
    expect(r!.ok).toBe(false);
    if (r && !r.ok) {
      expect(r.error).toMatch(/^must /);
      expect(r.path).toBe(path);
    }
  });

  test("an unknown-value error (preview proxy) propagates so the caller can apply its unknown policy", () => {
    const proxied = { get Statement(): unknown { throw new UnknownInput("Statement"); } };
    expect(() => parsePolicyDocument(proxied)).toThrow(UnknownInput);
    // @pulumi/policy's UnknownValueError is recognised by shape, without importing it.
    class UnknownValueError extends Error { constructor(public unknownTypeSentinel: string, public props: string[]) { super("unknown"); } }
    const policyProxy = { get Statement(): unknown { throw new UnknownValueError("x", ["assumeRolePolicy"]); } };
    expect(() => parsePolicyDocument(policyProxy)).toThrow("unknown");
  });
});

describe("parse cache", () => {
  test("identical strings parse once (same result object)", () => {
    const s = JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::cache-${Date.now()}/*` }] });
    const a = parsePolicyDocument(s);
    const b = parsePolicyDocument(s);
    expect(a).toBe(b);
  });
  test("the cache is bounded", () => {
    for (let i = 0; i < PARSE_LIMITS.cacheEntries + 50; i++) parsePolicyDocument(JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::b${i}/*` }] }));
    expect(parseCacheSize()).toBe(PARSE_LIMITS.cacheEntries);
  });
});

describe("documentSize counts characters without whitespace, as AWS quotas do", () => {
  test("a string is counted as given, whitespace removed", () => {
    expect(documentSize('{ "a" :\n  "b c" }')).toBe('{"a":"bc"}'.length);
  });
  test("a document is counted as it renders, and equals the size of its rendering", () => {
    const r = parsePolicyDocument({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] });
    if (!r.ok) throw new Error(r.error);
    const expected = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["*"]}]}'.length;
    expect(documentSize(r.doc)).toBe(expected);
    expect(documentSize(renderPolicyDocument(r.doc))).toBe(expected);
  });
});

describe("isPolicyDocumentLike", () => {
  test.each([
    [{ Statement: [] }, true],
    ['{"Version":"2012-10-17","Statement":[]}', true],
    ["arn:aws:iam::aws:policy/ReadOnlyAccess", false],
    [{ statement: [] }, false],
    [null, false],
    [7, false],
  ])("%p → %p", (v, expected) => expect(isPolicyDocumentLike(v)).toBe(expected));
});

describe("parsePolicyDocument keeps a program's objects as they are", () => {
  test("an object input is copied, never frozen; a string input's lists are frozen", () => {
    const input = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: ["arn:aws:s3:::b/*"] }] };
    const r = parsePolicyDocument(input);
    expect(r.ok).toBe(true);
    expect(Object.isFrozen(input.Statement[0].Action)).toBe(false);
    expect(Object.isFrozen(input)).toBe(false);
    if (r.ok) {
      expect(r.doc.Statement[0].Action).not.toBe(input.Statement[0].Action);
      expect(r.doc.Statement[0].Action).toEqual(["s3:GetObject", "s3:PutObject"]);
      expect(Object.isFrozen(r.doc.Statement[0].Action)).toBe(true);
    }
    const s = parsePolicyDocument(JSON.stringify({ Statement: { Effect: "Deny", Action: ["iam:*", "sts:*"], Resource: "*" } }));
    expect(s.ok && Object.isFrozen(s.doc.Statement[0].Action) && Object.isFrozen(s.doc.Statement[0].Resource)).toBe(true);
    // After a string parse, an object parse still copies (the "owned" state does not leak).
    const again = { Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: ["*"] }] };
    parsePolicyDocument(again);
    expect(Object.isFrozen(again.Statement[0].Action)).toBe(false);
  });
});

describe("parsePolicyDocument normalises a JSON string's own objects in place", () => {
  const statement = {
    Sid: "t",
    Effect: "Allow",
    Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, Bool: { "aws:SecureTransport": true } },
  };
  const frozenAll = (v: unknown): boolean => v === null || typeof v !== "object" || (Object.isFrozen(v) && Object.values(v).every(frozenAll));

  test("a string input: every object and list of the result is frozen, single values become lists, scalars strings", () => {
    const r = parsePolicyDocument(JSON.stringify({ Version: "2012-10-17", Statement: [statement] }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(frozenAll(r.doc)).toBe(true);
    expect(r.doc.Statement[0]).toEqual({
      Sid: "t",
      Effect: "Allow",
      Principal: { Federated: [statement.Principal.Federated] },
      Action: ["sts:AssumeRoleWithWebIdentity"],
      Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": ["sts.amazonaws.com"] }, Bool: { "aws:SecureTransport": ["true"] } },
    });
  });

  test("an object input with the same principal and condition: the program's objects are copied, none frozen or changed", () => {
    const input = structuredClone({ Statement: [statement] });
    const r = parsePolicyDocument(input);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(frozenAll(r.doc)).toBe(true);
    expect(input).toEqual({ Statement: [statement] });
    for (const o of [input.Statement[0], input.Statement[0].Principal, input.Statement[0].Condition, input.Statement[0].Condition.StringEquals]) expect(Object.isFrozen(o)).toBe(false);
    expect(r.doc.Statement[0]).not.toBe(input.Statement[0]);
    expect(r.doc.Statement[0].Principal).not.toBe(input.Statement[0].Principal);
    expect(r.doc.Statement[0].Condition).not.toBe(input.Statement[0].Condition);
  });

  test("a string input that fails half way is still an error result (the half-normalised object is dropped)", () => {
    const bad = JSON.stringify({ Statement: [statement, { ...statement, Principal: { Nobody: "x" } }] });
    expect(parsePolicyDocument(bad)).toEqual({ ok: false, error: 'must use AWS, Service, Federated or CanonicalUser; got "Nobody"', path: "Statement[1].Principal.Nobody" });
  });
});

describe("renderPolicyDocument", () => {
  test("writes keys in AWS's order whatever the input's order", () => {
    const r = parsePolicyDocument(JSON.stringify({ Statement: { Effect: "Allow", Action: "s3:GetObject", Resource: "*" }, Id: "x", Version: "2012-10-17" }));
    expect(r.ok && renderPolicyDocument(r.doc)).toBe('{"Version":"2012-10-17","Id":"x","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["*"]}]}');
  });
});
