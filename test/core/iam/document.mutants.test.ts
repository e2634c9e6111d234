import { isPolicyDocumentLike, isUnknownValueError, parsePolicyDocument, PARSE_LIMITS, values } from "../../../core/iam/document";
import { UnknownInput } from "../../../core/findings";

// The parse cache and the set of produced documents live at module level: tests that depend on
// them load their own copy of the module.
// Only document.ts is evaluated again (its import, core/findings, is shared: re-evaluating it inside
// these tests would make mutation testing count its module-level code as covered by them).
type DocumentModule = typeof import("../../../core/iam/document");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const FINDINGS: unknown = require("../../../core/findings");
function fresh(): DocumentModule {
  let m!: DocumentModule;
  jest.isolateModules(() => {
    jest.doMock("../../../core/findings", () => FINDINGS);
    m = require("../../../core/iam/document");
  });
  return m;
}

const stmt = (extra: Record<string, unknown> = {}) => ({ Effect: "Allow", Action: "s3:GetObject", Resource: "*", ...extra });
const one = (extra: Record<string, unknown> = {}) => ({ Statement: [stmt(extra)] });
const long = (n: number) => "x".repeat(n);

describe("parsePolicyDocument: exact error messages and paths", () => {
  const { maxStringChars: S, maxListEntries: L, maxStatements: N, maxJsonChars: J } = PARSE_LIMITS;
  const cases: [string, unknown, string, string | undefined][] = [
    // Document level
    ["an array document", [], "must be a policy document object; got an array", undefined],
    ["a null document", null, "must be a policy document object; got null", undefined],
    ["an undefined document", undefined, "must be a policy document object; got undefined", undefined],
    ["a boolean document", true, "must be a policy document object; got boolean", undefined],
    ["JSON of a string", '"policy"', "must be a policy document object; got a string", undefined],
    ["JSON too long", " ".repeat(J + 1), `must be at most ${J} characters of JSON; got ${J + 1}`, undefined],
    ["unknown document element", { ...one(), Policy: 1 }, 'must not have unknown element "Policy"', "Policy"],
    ["Version not a string", { Version: 2012, ...one() }, "must be a string; got number", "Version"],
    ["Id not a string", { Id: ["x"], ...one() }, "must be a string; got an array", "Id"],
    ["no Statement", { Version: "2012-10-17" }, "must have a Statement", "Statement"],
    ["empty Statement list", { Statement: [] }, "must have at least one statement; got []", "Statement"],
    ["too many statements", { Statement: Array.from({ length: N + 1 }, () => stmt()) }, `must have at most ${N} statements; got ${N + 1}`, "Statement"],
    // Statement level
    ["a null statement", { Statement: [stmt(), null] }, "must be a statement object; got null", "Statement[1]"],
    ["an array statement", { Statement: [[stmt()]] }, "must be a statement object; got an array", "Statement[0]"],
    ["a string statement", { Statement: ["Allow s3:GetObject"] }, "must be a statement object; got a string", "Statement[0]"],
    ["a number statement", { Statement: [7] }, "must be a statement object; got number", "Statement[0]"],
    ["unknown statement element", one({ Actions: "x" }), 'must not have unknown element "Actions"', "Statement[0].Actions"],
    ["no Effect", { Statement: [{ Action: "s3:GetObject", Resource: "*" }] }, 'must be "Allow" or "Deny"; got nothing', "Statement[0].Effect"],
    ["lower-case Effect", one({ Effect: "allow" }), 'must be "Allow" or "Deny"; got "allow"', "Statement[0].Effect"],
    ["Sid not a string", one({ Sid: 5 }), "must be a string; got number", "Statement[0].Sid"],
    ["Sid too long", one({ Sid: long(S + 1) }), `must be at most ${S} characters; got ${S + 1}`, "Statement[0].Sid"],
    ["both Action and NotAction", one({ NotAction: "s3:PutObject" }), "must have exactly one of Action or NotAction", "Statement[0]"],
    ["both Resource and NotResource", one({ NotResource: "arn:aws:s3:::b/*" }), "must not have both Resource and NotResource", "Statement[0]"],
    // String lists
    ["Resource string too long", one({ Resource: long(S + 1) }), `must be at most ${S} characters; got ${S + 1}`, "Statement[0].Resource"],
    ["Action list too long", one({ Action: Array.from({ length: L + 1 }, (_, i) => `s3:A${i}`) }), `must have at most ${L} entries; got ${L + 1}`, "Statement[0].Action"],
    ["too long string in an Action list", one({ Action: ["s3:GetObject", long(S + 1)] }), `must be at most ${S} characters; got ${S + 1}`, "Statement[0].Action[1]"],
    ["null in an Action list", one({ Action: [null, "s3:GetObject"] }), "must be a string; got null", "Statement[0].Action[0]"],
    ["nested list in an Action list", one({ Action: [["s3:GetObject"]] }), "must be a string; got an array", "Statement[0].Action[0]"],
    ["boolean in an Action list", one({ Action: ["s3:GetObject", true] }), "must be a string; got boolean", "Statement[0].Action[1]"],
    ["number as NotResource", { Statement: [{ Effect: "Deny", NotAction: "s3:GetObject", NotResource: 3 }] }, "must be a string; got number", "Statement[0].NotResource"],
    // Principals
    ["Principal a list", one({ Principal: ["arn:aws:iam::123456789012:root"] }), 'must be "*" or an object of principal lists; got an array', "Statement[0].Principal"],
    ["Principal a number", one({ Principal: 5 }), 'must be "*" or an object of principal lists; got number', "Statement[0].Principal"],
    ["Principal a non-* string", one({ Principal: "arn:aws:iam::123456789012:root" }), 'must be "*" or an object of principal lists; got a string', "Statement[0].Principal"],
    ["Principal {}", one({ Principal: {} }), "must name at least one principal type; got {}", "Statement[0].Principal"],
    ["Principal of an unknown type", one({ Principal: { AWS: "*", Human: "x" } }), 'must use AWS, Service, Federated or CanonicalUser; got "Human"', "Statement[0].Principal.Human"],
    ["Principal AWS a number", one({ Principal: { AWS: 5 } }), "must be a string; got number", "Statement[0].Principal.AWS"],
    ["Principal Service empty", one({ Principal: { Service: [] } }), "must not be empty; got []", "Statement[0].Principal.Service"],
    ["Principal Service holding a number", one({ Principal: { Service: ["ec2.amazonaws.com", 1] } }), "must be a string; got number", "Statement[0].Principal.Service[1]"],
    ["NotPrincipal a number", one({ NotPrincipal: 5 }), 'must be "*" or an object of principal lists; got number', "Statement[0].NotPrincipal"],
    ["NotPrincipal {}", one({ NotPrincipal: {} }), "must name at least one principal type; got {}", "Statement[0].NotPrincipal"],
    ["both Principal and NotPrincipal", one({ Principal: "*", NotPrincipal: { AWS: "*" } }), "must not have both Principal and NotPrincipal", "Statement[0]"],
    // Conditions
    ["Condition a list", one({ Condition: [] }), "must be an object of operators; got an array", "Statement[0].Condition"],
    ["condition operator a string", one({ Condition: { StringEquals: "aws:x" } }), "must be an object of condition keys; got a string", "Statement[0].Condition.StringEquals"],
    ["condition operator a list", one({ Condition: { StringLike: ["a"] } }), "must be an object of condition keys; got an array", "Statement[0].Condition.StringLike"],
    ["condition operator null", one({ Condition: { Bool: null } }), "must be an object of condition keys; got null", "Statement[0].Condition.Bool"],
    ["null in a condition list", one({ Condition: { StringEquals: { "aws:x": ["a", null] } } }), "must be a string; got null", 'Statement[0].Condition.StringEquals["aws:x"][1]'],
    ["object in a condition list", one({ Condition: { StringEquals: { "aws:x": [{}] } } }), "must be a string; got object", 'Statement[0].Condition.StringEquals["aws:x"][0]'],
    ["undefined condition value", one({ Condition: { StringEquals: { "aws:x": undefined } } }), "must be a string; got undefined", 'Statement[0].Condition.StringEquals["aws:x"]'],
    ["empty condition list", one({ Condition: { StringEquals: { "aws:x": [] } } }), "must not be empty; got []", 'Statement[0].Condition.StringEquals["aws:x"]'],
  ];
  test.each(cases)("%s", (_name, input, error, path) => {
    const r = parsePolicyDocument(input);
    expect(r).toEqual(path === undefined ? { ok: false, error } : { ok: false, error, path });
    expect("path" in r).toBe(path !== undefined);
  });

  test("the same errors come out of a JSON string (its lists go the owned-input way)", () => {
    const S = PARSE_LIMITS.maxStringChars;
    expect(parsePolicyDocument(JSON.stringify(one({ Action: [["s3:GetObject"]] })))).toEqual({ ok: false, error: "must be a string; got an array", path: "Statement[0].Action[0]" });
    expect(parsePolicyDocument(JSON.stringify(one({ Action: ["s3:GetObject", long(S + 1)] })))).toEqual({
      ok: false,
      error: `must be at most ${S} characters; got ${S + 1}`,
      path: "Statement[0].Action[1]",
    });
    expect(parsePolicyDocument(JSON.stringify(one({ Condition: { Bool: { "aws:SecureTransport": [false, null] } } })))).toEqual({
      ok: false,
      error: "must be a string; got null",
      path: 'Statement[0].Condition.Bool["aws:SecureTransport"][1]',
    });
  });

  test("invalid JSON reports the JSON error", () => {
    const text = '{"Statement": [}';
    let message = "";
    try {
      JSON.parse(text);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toBe("");
    expect(parsePolicyDocument(text)).toEqual({ ok: false, error: `must be valid JSON; got ${message}` });
  });
});

describe("parsePolicyDocument: limits are inclusive", () => {
  const { maxStringChars: S, maxListEntries: L, maxStatements: N, maxJsonChars: J } = PARSE_LIMITS;

  test("strings of exactly maxStringChars are accepted (Sid, scalar field, list entry)", () => {
    const r = parsePolicyDocument(one({ Sid: long(S), Resource: long(S), Action: ["s3:GetObject", long(S)] }));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.doc.Statement[0].Sid).toBe(long(S));
      expect(r.doc.Statement[0].Resource).toEqual([long(S)]);
      expect(r.doc.Statement[0].Action).toEqual(["s3:GetObject", long(S)]);
    }
  });

  test("a list of exactly maxListEntries is accepted", () => {
    const actions = Array.from({ length: L }, (_, i) => `s3:A${i}`);
    const r = parsePolicyDocument(one({ Action: actions }));
    expect(r.ok && r.doc.Statement[0].Action).toEqual(actions);
  });

  test("exactly maxStatements statements are accepted", () => {
    const r = parsePolicyDocument({ Statement: Array.from({ length: N }, () => stmt()) });
    expect(r.ok && r.doc.Statement.length).toBe(N);
  });

  test("JSON of exactly maxJsonChars characters is parsed", () => {
    const body = JSON.stringify({ Version: "2012-10-17", Statement: [stmt({ Sid: "exact" })] });
    const text = body + " ".repeat(J - body.length);
    expect(text.length).toBe(J);
    expect(parsePolicyDocument(text)).toEqual({ ok: true, doc: { Version: "2012-10-17", Statement: [{ Sid: "exact", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["*"] }] } });
  });
});

describe("parsePolicyDocument: accepted fields are kept", () => {
  test("Version, Id and Sid are kept", () => {
    const r = parsePolicyDocument({ Version: "2008-10-17", Id: "doc-1", Statement: stmt({ Sid: "ReadIt" }) });
    expect(r).toEqual({ ok: true, doc: { Version: "2008-10-17", Id: "doc-1", Statement: [{ Sid: "ReadIt", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["*"] }] } });
  });

  test("NotPrincipal alone is parsed like Principal", () => {
    const r = parsePolicyDocument({
      Statement: [{ Effect: "Deny", NotPrincipal: { AWS: ["arn:aws:iam::123456789012:root"], Service: "ec2.amazonaws.com" }, Action: "s3:*", Resource: "*" }],
    });
    expect(r).toEqual({
      ok: true,
      doc: { Statement: [{ Effect: "Deny", NotPrincipal: { AWS: ["arn:aws:iam::123456789012:root"], Service: ["ec2.amazonaws.com"] }, Action: ["s3:*"], Resource: ["*"] }] },
    });
    expect(r.ok && r.doc.Statement[0].Principal).toBeUndefined();
    expect(parsePolicyDocument({ Statement: [{ Effect: "Deny", NotPrincipal: "*", Action: "s3:*", Resource: "*" }] })).toEqual({
      ok: true,
      doc: { Statement: [{ Effect: "Deny", NotPrincipal: "*", Action: ["s3:*"], Resource: ["*"] }] },
    });
  });

  test("numbers and booleans inside condition lists become strings (object and JSON input)", () => {
    const Condition = { Bool: { "aws:SecureTransport": [false, true] }, NumericLessThan: { "aws:MultiFactorAuthAge": [3600, "60"] } };
    const expected = { Bool: { "aws:SecureTransport": ["false", "true"] }, NumericLessThan: { "aws:MultiFactorAuthAge": ["3600", "60"] } };
    const r = parsePolicyDocument(one({ Condition }));
    expect(r.ok && r.doc.Statement[0].Condition).toEqual(expected);
    const s = parsePolicyDocument(JSON.stringify(one({ Condition, Sid: "json" })));
    expect(s.ok && s.doc.Statement[0].Condition).toEqual(expected);
  });
});

// The module's tables (versions, document and statement elements, principal types) are built when it
// loads: checked on a fresh copy, so a test that loads the module is the one that reads them.
describe("parsePolicyDocument: the module's tables, on a fresh copy", () => {
  test("both policy language versions are accepted, another is refused", () => {
    const m = fresh();
    for (const Version of ["2012-10-17", "2008-10-17"]) expect(m.parsePolicyDocument({ Version, Statement: stmt() }).ok).toBe(true);
    expect(m.parsePolicyDocument({ Version: "2012-10-18", Statement: stmt() })).toEqual({ ok: false, error: 'must be "2012-10-17" or "2008-10-17"; got "2012-10-18"', path: "Version" });
  });

  test("every document and statement element is accepted, an unknown one is refused", () => {
    const m = fresh();
    const principal = { AWS: "arn:aws:iam::123456789012:root" };
    const doc = {
      Version: "2012-10-17",
      Id: "all-elements",
      Statement: [
        { Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: "*", Principal: principal, Condition: { Bool: { "aws:SecureTransport": "true" } } },
        { Sid: "B", Effect: "Deny", NotAction: "s3:GetObject", NotResource: "arn:aws:s3:::b/*", NotPrincipal: principal },
      ],
    };
    expect(m.parsePolicyDocument(doc).ok).toBe(true);
    expect(m.parsePolicyDocument({ ...doc, Extra: 1 })).toEqual({ ok: false, error: 'must not have unknown element "Extra"', path: "Extra" });
    expect(m.parsePolicyDocument({ Statement: [{ ...doc.Statement[0], Extra: 1 }] })).toEqual({ ok: false, error: 'must not have unknown element "Extra"', path: "Statement[0].Extra" });
  });

  test("every principal type is accepted, another is refused", () => {
    const m = fresh();
    for (const type of ["AWS", "Service", "Federated", "CanonicalUser"]) {
      expect(m.parsePolicyDocument({ Statement: [{ ...stmt(), Principal: { [type]: "x" } }] }).ok).toBe(true);
    }
    expect(m.parsePolicyDocument({ Statement: [{ ...stmt(), Principal: { User: "x" } }] }).ok).toBe(false);
  });
});

describe("parsePolicyDocument: unreadable values and unknown-value errors", () => {
  const throwing = (e: unknown) => ({
    get Statement(): unknown {
      throw e;
    },
  });
  const unreadable = (what: string) => ({ ok: false, error: `must be a plain policy document; got an unreadable value (${what})` });

  test("the thrown error's message, or the thrown value itself, is reported", () => {
    expect(parsePolicyDocument(throwing(new Error("boom")))).toEqual(unreadable("boom"));
    expect(parsePolicyDocument(throwing(null))).toEqual(unreadable("null"));
    expect(parsePolicyDocument(throwing(undefined))).toEqual(unreadable("undefined"));
    expect(parsePolicyDocument(throwing("plain string"))).toEqual(unreadable("plain string"));
  });

  test("only errors shaped like UnknownValueError (an Error with the sentinel and a props list) propagate", () => {
    const withProps = Object.assign(new Error("has props"), { props: ["p"] });
    expect(parsePolicyDocument(throwing(withProps))).toEqual(unreadable("has props"));
    const plain = { unknownTypeSentinel: "x", props: ["p"] };
    expect(parsePolicyDocument(throwing(plain))).toEqual(unreadable("[object Object]"));
    const real = Object.assign(new Error("unknown"), { unknownTypeSentinel: "x", props: ["p"] });
    expect(() => parsePolicyDocument(throwing(real))).toThrow(real);
  });

  test("isUnknownValueError", () => {
    expect(isUnknownValueError(new UnknownInput("Statement"))).toBe(true);
    expect(isUnknownValueError(Object.assign(new Error("u"), { unknownTypeSentinel: "x", props: [] }))).toBe(true);
    expect(isUnknownValueError(Object.assign(new Error("u"), { props: [] }))).toBe(false);
    expect(isUnknownValueError(Object.assign(new Error("u"), { unknownTypeSentinel: "x" }))).toBe(false);
    expect(isUnknownValueError(Object.assign(new Error("u"), { unknownTypeSentinel: "x", props: "p" }))).toBe(false);
    expect(isUnknownValueError({ unknownTypeSentinel: "x", props: [] })).toBe(false);
    expect(isUnknownValueError({ props: [] })).toBe(false);
    expect(isUnknownValueError(new Error("plain"))).toBe(false);
    expect(isUnknownValueError(null)).toBe(false);
  });
});

describe("parsePolicyDocument: produced documents and the string cache", () => {
  test("a document this module produced is returned as is", () => {
    const m = fresh();
    const a = m.parsePolicyDocument({ Statement: [stmt({ Sid: "produced-object" })] });
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    const again = m.parsePolicyDocument(a.doc);
    expect(again).toEqual({ ok: true, doc: a.doc });
    expect(again.ok && again.doc).toBe(a.doc);
    const s = m.parsePolicyDocument(JSON.stringify({ Statement: [stmt({ Sid: "produced-string" })] }));
    if (!s.ok) throw new Error(s.error);
    const sAgain = m.parsePolicyDocument(s.doc);
    expect(sAgain.ok && sAgain.doc).toBe(s.doc);
  });

  test("an equal document it did not produce is parsed into a new one", () => {
    const m = fresh();
    const a = m.parsePolicyDocument({ Statement: [stmt()] });
    if (!a.ok) throw new Error(a.error);
    const copy = JSON.parse(JSON.stringify(a.doc));
    const b = m.parsePolicyDocument(copy);
    expect(b).toEqual(a);
    expect(b.ok && b.doc).not.toBe(copy);
  });

  test("only strings are cached", () => {
    const m = fresh();
    expect(m.parseCacheSize()).toBe(0);
    m.parsePolicyDocument({ Statement: [stmt()] });
    m.parsePolicyDocument([]);
    m.parsePolicyDocument(null);
    m.parsePolicyDocument(undefined);
    m.parsePolicyDocument(42);
    expect(m.parseCacheSize()).toBe(0);
    const text = JSON.stringify({ Statement: [stmt()] });
    const r = m.parsePolicyDocument(text);
    expect(m.parseCacheSize()).toBe(1);
    expect(m.parsePolicyDocument(text)).toBe(r);
    expect(m.parsePolicyDocument("{oops")).toBe(m.parsePolicyDocument("{oops"));
    expect(m.parseCacheSize()).toBe(2);
  });
});

describe("isPolicyDocumentLike (strings)", () => {
  test.each<[string, boolean]>([
    [' \n\t{"Statement": []}', true],
    ['{"Statement" :[]}', true],
    ['{"Statement"\n: []}', true],
    ['{"Version":"2012-10-17"}', false],
    ['x "Statement": []', false],
    ['["Statement": 1]', false],
    ["", false],
  ])("%p → %p", (v, expected) => expect(isPolicyDocumentLike(v)).toBe(expected));
});

describe("values", () => {
  test("absent → a new empty list; present → the same list", () => {
    expect(values(undefined)).toEqual([]);
    const list = ["s3:GetObject"];
    expect(values(list)).toBe(list);
    expect(values(list)).toEqual(["s3:GetObject"]);
  });
});
