/**
 * Statement merging and quota packing, pinned exactly: which statements merge (and which never
 * do: named ones, NotAction/NotResource ones, non-OR condition operators, several OR keys), the
 * canonical comparison of conditions, the fixpoint and output order; the inline/managed limits
 * at their exact boundaries, first-fit-decreasing bins, splitting of oversized statements by
 * resources and by OR-key values, and the exact errors past what fits.
 */
import { mergeStatements, packStatements, QUOTAS } from "../../../core/aws/pack";
import { doc, policySize, type IamStatement } from "../../../core/aws/types";

const GET = "s3:GetObject";
const PUT = "s3:PutObject";
const BUCKET = "arn:aws:s3:::lake";
const allow = (Action: string[], Resource: string[], Condition?: IamStatement["Condition"]): IamStatement =>
  Condition ? { Effect: "Allow", Action, Resource, Condition } : { Effect: "Allow", Action, Resource };

/** `build(n)` grows by exactly n characters; returns build(n) whose one-statement document is `size` characters. */
function docOfSize(size: number, build: (n: number) => IamStatement): IamStatement {
  const s = build(size - policySize(doc([build(0)])));
  expect(policySize(doc([s]))).toBe(size);
  return s;
}
/** build(n) whose two-statement document with `other` is `size` characters. */
function pairOfSize(size: number, other: IamStatement, build: (n: number) => IamStatement): IamStatement {
  const s = build(size - policySize(doc([other, build(0)])));
  expect(policySize(doc([other, s]))).toBe(size);
  return s;
}
const x = (n: number) => "x".repeat(n);
/** Forces the managed path: the whole inline budget is taken by other inline policies. */
const NO_INLINE = QUOTAS.inlinePerRole;

describe("mergeStatements: normalising and ordering", () => {
  test("a lone statement has its actions and resources sorted and de-duplicated, and gains no keys", () => {
    expect(mergeStatements([allow([PUT, GET, PUT], ["arn:aws:s3:::b/*", "arn:aws:s3:::a/*"])])).toStrictEqual([
      { Effect: "Allow", Action: [GET, PUT], Resource: ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"] },
    ]);
  });

  test("same actions: resources unioned and sorted; same resources: actions unioned and sorted", () => {
    expect(mergeStatements([allow([GET], ["arn:aws:s3:::b/*"]), allow([GET], ["arn:aws:s3:::a/*"])])).toStrictEqual([
      { Effect: "Allow", Action: [GET], Resource: ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"] },
    ]);
    expect(mergeStatements([allow([PUT], [BUCKET]), allow([GET], [BUCKET])])).toStrictEqual([{ Effect: "Allow", Action: [GET, PUT], Resource: [BUCKET] }]);
  });

  test("statements that do not merge come out sorted by their JSON, whatever the input order", () => {
    expect(mergeStatements([allow([PUT], ["arn:aws:s3:::b/*"]), allow([GET], ["arn:aws:s3:::a/*"])])).toStrictEqual([
      { Effect: "Allow", Action: [GET], Resource: ["arn:aws:s3:::a/*"] },
      { Effect: "Allow", Action: [PUT], Resource: ["arn:aws:s3:::b/*"] },
    ]);
  });

  test("merging runs to a fixpoint: a union of condition values can make two statements mergeable in a later pass", () => {
    const merged = mergeStatements([
      allow([GET], [BUCKET], { StringEquals: { "aws:SourceVpc": "vpc-1" } }),
      allow([GET], [BUCKET], { StringEquals: { "aws:SourceVpc": "vpc-2" } }),
      allow([PUT], [BUCKET], { StringEquals: { "aws:SourceVpc": ["vpc-1", "vpc-2"] } }),
    ]);
    expect(merged).toStrictEqual([{ Effect: "Allow", Action: [GET, PUT], Resource: [BUCKET], Condition: { StringEquals: { "aws:SourceVpc": ["vpc-1", "vpc-2"] } } }]);
  });
});

describe("mergeStatements: what never merges", () => {
  test("named statements (Sid) keep their Sid and are never merged, by resources or by condition values", () => {
    expect(mergeStatements([{ Sid: "B", ...allow([PUT], [BUCKET]) }, { Sid: "A", ...allow([GET], [BUCKET]) }])).toStrictEqual([
      { Effect: "Allow", Sid: "A", Action: [GET], Resource: [BUCKET] },
      { Effect: "Allow", Sid: "B", Action: [PUT], Resource: [BUCKET] },
    ]);
    expect(
      mergeStatements([
        { Sid: "A", ...allow([GET], [BUCKET], { StringEquals: { "aws:SourceVpc": "vpc-1" } }) },
        { Sid: "B", ...allow([GET], [BUCKET], { StringEquals: { "aws:SourceVpc": "vpc-2" } }) },
      ]),
    ).toStrictEqual([
      { Effect: "Allow", Sid: "A", Action: [GET], Resource: [BUCKET], Condition: { StringEquals: { "aws:SourceVpc": "vpc-1" } } },
      { Effect: "Allow", Sid: "B", Action: [GET], Resource: [BUCKET], Condition: { StringEquals: { "aws:SourceVpc": "vpc-2" } } },
    ]);
    // A named statement does not absorb an unnamed twin either.
    expect(mergeStatements([{ Sid: "A", ...allow([GET], [BUCKET]) }, allow([PUT], [BUCKET])])).toHaveLength(2);
  });

  test("statements without Action or without Resource are never merged and gain no Action/Resource key", () => {
    const notAction = mergeStatements([
      { Effect: "Deny", NotAction: [GET], Resource: [BUCKET] },
      { Effect: "Deny", NotAction: [PUT], Resource: [BUCKET] },
    ]);
    expect(notAction).toHaveLength(2);
    for (const s of notAction) {
      expect(s).not.toHaveProperty("Action");
      expect(s.Resource).toEqual([BUCKET]);
    }
    const notResource = mergeStatements([
      { Effect: "Deny", Action: [GET], NotResource: ["arn:aws:s3:::a/*"] },
      { Effect: "Deny", Action: [GET], NotResource: ["arn:aws:s3:::b/*"] },
    ]);
    expect(notResource).toHaveLength(2);
    for (const s of notResource) {
      expect(s).not.toHaveProperty("Resource");
      expect(s.Action).toEqual([GET]);
    }
    const withConditions = mergeStatements([
      { Effect: "Deny", NotAction: [GET], Resource: [BUCKET], Condition: { StringEquals: { "aws:SourceVpc": "vpc-1" } } },
      { Effect: "Deny", NotAction: [PUT], Resource: [BUCKET], Condition: { StringEquals: { "aws:SourceVpc": "vpc-2" } } },
    ]);
    expect(withConditions).toHaveLength(2);
    expect(withConditions.map((s) => s.Condition)).toEqual([{ StringEquals: { "aws:SourceVpc": "vpc-1" } }, { StringEquals: { "aws:SourceVpc": "vpc-2" } }]);
  });

  test("NotAction, NotResource and Principal survive merging and packing (they were dropped)", () => {
    const stmts: IamStatement[] = [
      { Effect: "Deny", NotAction: [PUT, GET, GET], Resource: [BUCKET] },
      { Effect: "Deny", Action: [GET], NotResource: ["arn:aws:s3:::b/*", "arn:aws:s3:::a/*"] },
      { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: [GET], Resource: [BUCKET] },
    ];
    const merged = mergeStatements(stmts);
    expect(merged).toContainEqual({ Effect: "Deny", NotAction: [GET, PUT].sort(), Resource: [BUCKET] });
    expect(merged).toContainEqual({ Effect: "Deny", Action: [GET], NotResource: ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"] });
    expect(merged).toContainEqual({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: [GET], Resource: [BUCKET] });
    const packed = packStatements(stmts);
    expect(packed.ok).toBe(true);
    const all = packed.ok ? [...packed.inline, ...packed.managed].flatMap((d) => d.Statement) : [];
    expect(all.filter((x) => x.NotAction || x.NotResource || x.Principal)).toHaveLength(3);
  });
});

describe("mergeStatements: conditions compare as sets, whatever their spelling", () => {
  test("operators and keys in another order still merge", () => {
    const merged = mergeStatements([
      allow([GET], [BUCKET], { StringEquals: { "aws:SourceVpc": "vpc-1", "aws:PrincipalTag/team": "data" }, DateLessThan: { "aws:CurrentTime": "2027-01-01T00:00:00Z" } }),
      allow([PUT], [BUCKET], { DateLessThan: { "aws:CurrentTime": "2027-01-01T00:00:00Z" }, StringEquals: { "aws:PrincipalTag/team": "data", "aws:SourceVpc": "vpc-1" } }),
    ]);
    expect(merged).toStrictEqual([
      {
        Effect: "Allow",
        Action: [GET, PUT],
        Resource: [BUCKET],
        Condition: { StringEquals: { "aws:SourceVpc": "vpc-1", "aws:PrincipalTag/team": "data" }, DateLessThan: { "aws:CurrentTime": "2027-01-01T00:00:00Z" } },
      },
    ]);
  });

  test("value lists in another order still merge (the first statement's condition is kept)", () => {
    const merged = mergeStatements([
      allow([GET], [BUCKET], { StringNotEquals: { "aws:SourceVpc": ["vpc-2", "vpc-1"] } }),
      allow([PUT], [BUCKET], { StringNotEquals: { "aws:SourceVpc": ["vpc-1", "vpc-2"] } }),
    ]);
    expect(merged).toStrictEqual([{ Effect: "Allow", Action: [GET, PUT], Resource: [BUCKET], Condition: { StringNotEquals: { "aws:SourceVpc": ["vpc-2", "vpc-1"] } } }]);
  });

  test("a single value and a one-element list are the same condition", () => {
    const merged = mergeStatements([
      allow([GET], [BUCKET], { StringNotEquals: { "aws:SourceVpc": "vpc-1" } }),
      allow([PUT], [BUCKET], { StringNotEquals: { "aws:SourceVpc": ["vpc-1"] } }),
    ]);
    expect(merged).toStrictEqual([{ Effect: "Allow", Action: [GET, PUT], Resource: [BUCKET], Condition: { StringNotEquals: { "aws:SourceVpc": "vpc-1" } } }]);
  });
});

describe("mergeStatements: unioning the values of the one OR key", () => {
  test.each(["StringEquals", "StringLike", "StringEqualsIgnoreCase", "ArnEquals", "ArnLike", "ForAnyValue:StringLike", "StringLikeIfExists", "ForAnyValue:ArnLikeIfExists"])(
    "%s: single values are unioned into one sorted list",
    (op) => {
      const merged = mergeStatements([allow([GET], [BUCKET], { [op]: { "aws:SourceArn": "b" } }), allow([GET], [BUCKET], { [op]: { "aws:SourceArn": "a" } })]);
      expect(merged).toStrictEqual([{ Effect: "Allow", Action: [GET], Resource: [BUCKET], Condition: { [op]: { "aws:SourceArn": ["a", "b"] } } }]);
    },
  );

  test("list values are unioned, de-duplicated and sorted", () => {
    const merged = mergeStatements([
      allow([GET], [BUCKET], { StringLike: { "s3:prefix": ["p3/*", "p1/*"] } }),
      allow([GET], [BUCKET], { StringLike: { "s3:prefix": ["p2/*", "p1/*"] } }),
    ]);
    expect(merged).toStrictEqual([{ Effect: "Allow", Action: [GET], Resource: [BUCKET], Condition: { StringLike: { "s3:prefix": ["p1/*", "p2/*", "p3/*"] } } }]);
  });

  test("a statement that merges with nothing keeps its condition value as written", () => {
    expect(mergeStatements([allow([GET], [BUCKET], { StringLike: { "s3:prefix": "p1/*" } })])).toStrictEqual([
      { Effect: "Allow", Action: [GET], Resource: [BUCKET], Condition: { StringLike: { "s3:prefix": "p1/*" } } },
    ]);
  });

  test("the other operators of the condition stay as they are and must be equal", () => {
    const expiry = { DateLessThan: { "aws:CurrentTime": "2027-01-01T00:00:00Z" } };
    expect(
      mergeStatements([allow([GET], [BUCKET], { StringLike: { "s3:prefix": "p2/*" }, ...expiry }), allow([GET], [BUCKET], { StringLike: { "s3:prefix": "p1/*" }, ...expiry })]),
    ).toStrictEqual([{ Effect: "Allow", Action: [GET], Resource: [BUCKET], Condition: { StringLike: { "s3:prefix": ["p1/*", "p2/*"] }, ...expiry } }]);
    // Different expiries: the statements allow different requests and stay apart.
    expect(
      mergeStatements([
        allow([GET], [BUCKET], { StringLike: { "s3:prefix": "p1/*" }, DateLessThan: { "aws:CurrentTime": "2027-01-01T00:00:00Z" } }),
        allow([GET], [BUCKET], { StringLike: { "s3:prefix": "p2/*" }, DateLessThan: { "aws:CurrentTime": "2028-01-01T00:00:00Z" } }),
      ]),
    ).toHaveLength(2);
  });

  test.each(["StringNotEquals", "StringNotLike", "ForAllValues:StringLike", "ForAllValues:StringEquals", "NumericLessThan", "DateLessThan", "IpAddress"])(
    "%s is not an OR of its values: statements differing only there stay apart",
    (op) => {
      const merged = mergeStatements([allow([GET], [BUCKET], { [op]: { "aws:SourceArn": "b" } }), allow([GET], [BUCKET], { [op]: { "aws:SourceArn": "a" } })]);
      expect(merged).toStrictEqual([
        { Effect: "Allow", Action: [GET], Resource: [BUCKET], Condition: { [op]: { "aws:SourceArn": "a" } } },
        { Effect: "Allow", Action: [GET], Resource: [BUCKET], Condition: { [op]: { "aws:SourceArn": "b" } } },
      ]);
    },
  );

  test("operators that only contain ForAnyValue:/IfExists in the middle are unknown, not OR", () => {
    for (const op of ["StringForAnyValue:Equals", "StringIfExistsLike"]) {
      expect(mergeStatements([allow([GET], [BUCKET], { [op]: { k: "b" } }), allow([GET], [BUCKET], { [op]: { k: "a" } })])).toHaveLength(2);
    }
  });

  test("with two OR keys there is no single varying key: nothing is unioned", () => {
    const merged = mergeStatements([
      allow([GET], [BUCKET], { StringEquals: { "aws:SourceVpc": "vpc-1", "aws:PrincipalTag/team": "b" } }),
      allow([GET], [BUCKET], { StringEquals: { "aws:SourceVpc": "vpc-1", "aws:PrincipalTag/team": "a" } }),
    ]);
    expect(merged).toHaveLength(2);
    expect(merged.map((s) => s.Condition!.StringEquals["aws:PrincipalTag/team"])).toEqual(["a", "b"]);
  });
});

describe("packStatements: inline", () => {
  test("nothing to grant: no policies at all", () => {
    expect(packStatements([])).toStrictEqual({ ok: true, inline: [], managed: [] });
    expect(packStatements([], NO_INLINE)).toStrictEqual({ ok: true, inline: [], managed: [] });
  });

  test("the inline policy plus the reserved characters may reach 10,240 exactly", () => {
    const ss = [allow([PUT, GET], [BUCKET])];
    const single = doc(mergeStatements(ss));
    const room = QUOTAS.inlinePerRole - policySize(single);
    expect(packStatements(ss, room)).toStrictEqual({ ok: true, inline: [single], managed: [] });
    expect(packStatements(ss, room + 1)).toStrictEqual({ ok: true, inline: [], managed: [single] });
  });
});

describe("packStatements: managed policies at their exact limits", () => {
  test("a statement of exactly 6,144 characters is one managed policy; one more character splits its resources in halves", () => {
    const build = (n: number) => allow([GET], [`arn:aws:s3:::a/${x(n)}`, "arn:aws:s3:::b/*"]);
    const fits = docOfSize(QUOTAS.managedPolicy, build);
    expect(packStatements([fits], NO_INLINE)).toStrictEqual({ ok: true, inline: [], managed: [doc([fits])] });

    const over = docOfSize(QUOTAS.managedPolicy + 1, build);
    expect(packStatements([over], NO_INLINE)).toStrictEqual({
      ok: true,
      inline: [],
      managed: [doc([allow([GET], [over.Resource![0]])]), doc([allow([GET], ["arn:aws:s3:::b/*"])])],
    });
  });

  test("two statements share a managed policy when together they are exactly 6,144 characters, not 6,145", () => {
    const small = allow([PUT], ["arn:aws:s3:::b/*"]);
    const build = (n: number) => allow([GET], [`arn:aws:s3:::a/${x(n)}`]);
    const fits = pairOfSize(QUOTAS.managedPolicy, small, build);
    expect(packStatements([small, fits], NO_INLINE)).toStrictEqual({ ok: true, inline: [], managed: [doc([fits, small])] });

    const over = pairOfSize(QUOTAS.managedPolicy + 1, small, build);
    const two = { ok: true, inline: [], managed: [doc([over]), doc([small])] };
    expect(packStatements([small, over], NO_INLINE)).toStrictEqual(two);
    // At most `managedLimit` managed policies: exactly the limit is fine, one more is an error that says what to do.
    expect(packStatements([small, over], NO_INLINE, 2)).toStrictEqual(two);
    expect(packStatements([small, over], NO_INLINE, 1)).toStrictEqual({
      ok: false,
      error:
        "the grants need 2 managed policies of 6144 characters; AWS attaches at most 1 to a role: split the assistant into narrower assistants or grant whole prefixes instead of many objects",
    });
    expect(packStatements([small, fits], NO_INLINE, 1)).toStrictEqual({ ok: true, inline: [], managed: [doc([fits, small])] });
  });

  test("first fit, largest first: two 4,000- and two 2,000-character statements fill two policies, not three", () => {
    const of = (action: string, size: number) => {
      const build = (n: number) => allow([action], [`arn:aws:s3:::${action.slice(3)}/${x(n)}`]);
      const s = build(size - JSON.stringify(build(0)).length);
      expect(JSON.stringify(s).length).toBe(size);
      return s;
    };
    // Merge order (sorted JSON) puts the small ones first.
    const [smallA, smallB, bigA, bigB] = [of("s3:GetA", 2000), of("s3:GetB", 2000), of("s3:PutA", 4000), of("s3:PutB", 4000)];
    expect(packStatements([bigB, smallB, bigA, smallA], NO_INLINE)).toStrictEqual({
      ok: true,
      inline: [],
      managed: [doc([smallA, bigA]), doc([smallB, bigB])],
    });
  });
});

describe("packStatements: splitting statements too large for one managed policy", () => {
  const long = (tag: string) => `${tag}${x(3500)}`;

  test("by resources, in halves, until each part fits", () => {
    const ss = [allow([GET], [`arn:aws:s3:::${long("c")}`, `arn:aws:s3:::${long("a")}`, `arn:aws:s3:::${long("b")}`])];
    expect(policySize(doc(ss))).toBeGreaterThan(QUOTAS.inlinePerRole);
    expect(packStatements(ss)).toStrictEqual({
      ok: true,
      inline: [],
      managed: ["a", "b", "c"].map((t) => doc([allow([GET], [`arn:aws:s3:::${long(t)}`])])),
    });
  });

  test("one resource: by the values of its OR key (e.g. merged s3:prefix lists), in halves, until each part fits", () => {
    const ss = ["c", "a", "b"].map((t) => allow(["s3:ListBucket"], [BUCKET], { StringLike: { "s3:prefix": [long(t)] } }));
    expect(policySize(doc(mergeStatements(ss)))).toBeGreaterThan(QUOTAS.inlinePerRole);
    expect(packStatements(ss)).toStrictEqual({
      ok: true,
      inline: [],
      managed: ["a", "b", "c"].map((t) => doc([allow(["s3:ListBucket"], [BUCKET], { StringLike: { "s3:prefix": [long(t)] } })])),
    });
  });

  describe("a statement that cannot be split is an error with its size", () => {
    const actions = Array.from({ length: 400 }, (_, i) => `s3:Action${String(i).padStart(4, "0")}`);
    const big = (Condition?: IamStatement["Condition"]) => allow(actions, [BUCKET], Condition);
    const error = (size: number) => ({ ok: false, error: `one statement is ${size} characters, more than a managed policy holds (6144)` });

    test("one resource and no condition", () => {
      expect(policySize(doc([big()]))).toBe(6501);
      expect(packStatements([big()], NO_INLINE)).toStrictEqual(error(6501));
    });

    test("one resource and one OR value (a string or a one-element list)", () => {
      const asString = big({ StringLike: { "s3:prefix": "home/*" } });
      expect(packStatements([asString], NO_INLINE)).toStrictEqual(error(policySize(doc([asString]))));
      expect(policySize(doc([asString]))).toBe(6551);
      const asList = big({ StringLike: { "s3:prefix": ["home/*"] } });
      expect(packStatements([asList], NO_INLINE)).toStrictEqual(error(6553));
    });

    test("no Resource list (NotResource)", () => {
      const s: IamStatement = { Effect: "Deny", Action: actions, NotResource: [BUCKET] };
      const packed = packStatements([s], NO_INLINE);
      expect(packed.ok).toBe(false);
      expect(!packed.ok && packed.error).toMatch(/^one statement is \d+ characters, more than a managed policy holds \(6144\)$/);
    });
  });
});
