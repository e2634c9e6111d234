import * as path from "path";

// core/iam/actions memoises everything at module level (services read once, ARN prefixes, expansions).
// Each test loads its own copy so that the code it asserts on runs inside that very test, whatever
// ran before (mutation runs execute only the tests that cover a mutant).
type Actions = typeof import("../../../core/iam/actions");
function fresh(): Actions {
  let m!: Actions;
  jest.isolateModules(() => {
    m = require("../../../core/iam/actions");
  });
  return m;
}

/** A copy of the module that also knows a made-up service, `fakesvc`, with the given actions. */
function withFakeService(actions: Record<string, { name: string; accessLevel: string; resourceTypes: { name: string }[] }>): Actions {
  const real = jest.requireActual<typeof import("fs")>("fs");
  const readFileSync = (file: string, enc: BufferEncoding): string => {
    if (file.endsWith(path.join("data", "services.json"))) return JSON.stringify([...JSON.parse(real.readFileSync(file, enc)), "FakeSvc"]);
    if (file.endsWith(path.join("data", "actions", "fakesvc.json"))) return JSON.stringify(actions);
    return real.readFileSync(file, enc);
  };
  let m!: Actions;
  jest.isolateModules(() => {
    jest.doMock("fs", () => ({ ...real, readFileSync }));
    m = require("../../../core/iam/actions");
  });
  jest.dontMock("fs");
  return m;
}

describe("resourceArnPrefixes", () => {
  test("sns: a topic ARN ends in its bare name, so its prefix is empty", () => {
    expect(fresh().resourceArnPrefixes("sns")).toEqual([""]);
  });

  test("logs: the resource part after the account, colons kept, cut at the first variable, each once", () => {
    expect(fresh().resourceArnPrefixes("LOGS")).toEqual([
      "anomaly-detector:",
      "delivery:",
      "delivery-destination:",
      "delivery-source:",
      "destination:",
      "log-group:",
      "lookup-table:",
      "scheduled-query:",
    ]);
  });

  test("account: a resource part without a variable is kept whole", () => {
    expect(fresh().resourceArnPrefixes("account")).toEqual(["account", "account/o-"]);
  });

  test("iam holds role/ and user/; the result is memoised (same frozen array)", () => {
    const m = fresh();
    const a = m.resourceArnPrefixes("iam");
    expect(a).toEqual(expect.arrayContaining(["role/", "user/", "policy/"]));
    expect(Object.isFrozen(a)).toBe(true);
    expect(m.resourceArnPrefixes("IAM")).toBe(a);
  });

  test("an unknown service gives [], and its name is never used as a file path", () => {
    const m = fresh();
    expect(m.resourceArnPrefixes("nosuchservice")).toEqual([]);
    // Not a service: must not read data/actions/s3.json through the resourceTypes folder.
    expect(m.resourceArnPrefixes("../actions/s3")).toEqual([]);
  });
});

describe("action info from iam-data", () => {
  test("access levels are split on commas and trimmed", () => {
    const m = fresh();
    expect(m.accessLevels("iam:TagRole")).toEqual(["Tagging", "Write"]);
    expect(m.accessLevels("iam:PutRolePolicy")).toEqual(["Permissions management", "Write"]);
  });

  test("resource types are the names iam-data gives", () => {
    const info = fresh().actionInfo("s3:GetObject");
    expect(info).toEqual({ name: "s3:GetObject", accessLevels: ["Read"], resourceTypes: ["accesspointobject", "object"] });
    expect(fresh().actionInfo("iam:PassRole")?.resourceTypes).toEqual(["role"]);
  });

  test("spaces around the colon are ignored", () => {
    const m = fresh();
    expect(m.canonicalAction("s3 :GetObject")).toBe("s3:GetObject");
    expect(m.canonicalAction("s3: GetObject")).toBe("s3:GetObject");
    expect(m.expandActionPattern("iam : passrole")).toEqual(["iam:PassRole"]);
  });

  test("a string that is not service:action is unknown (no throw)", () => {
    const m = fresh();
    for (const s of ["iam", "iam:", ":PassRole", "", "s3*"]) {
      expect(m.actionInfo(s)).toBeUndefined();
      expect(m.canonicalAction(s)).toBeUndefined();
      expect(m.isKnownAction(s)).toBe(false);
    }
    expect(m.actionInfo("s3:Get*")).toBeUndefined();
    expect(m.actionInfo("s?:GetObject")).toBeUndefined();
    expect(m.actionInfo(42 as unknown as string)).toBeUndefined();
  });

  test("allServices reads services.json once (same frozen array)", () => {
    const m = fresh();
    const a = m.allServices();
    expect(a).toContain("s3");
    expect(Object.isFrozen(a)).toBe(true);
    expect(m.allServices()).toBe(a);
  });
});

describe("classification", () => {
  test("isPermissionsManagementAction", () => {
    const m = fresh();
    expect(m.isPermissionsManagementAction("iam:PutRolePolicy")).toBe(true);
    expect(m.isPermissionsManagementAction("iam:PassRole")).toBe(false);
    expect(m.isPermissionsManagementAction("nope:Nope")).toBe(false);
    expect(m.isPermissionsManagementAction("iam")).toBe(false);
  });

  test("isMutatingAction: write, permissions management, tagging; unknown is not mutating", () => {
    const m = fresh();
    expect(m.isMutatingAction("iam:PassRole")).toBe(true);
    expect(m.isMutatingAction("iam:PutRolePolicy")).toBe(true);
    expect(m.isMutatingAction("iam:TagRole")).toBe(true);
    expect(m.isMutatingAction("s3:GetObject")).toBe(false);
    expect(m.isMutatingAction("nope:Nope")).toBe(false);
    expect(m.isMutatingAction("nope")).toBe(false);
  });

  test("patternMutates: true when any expansion writes", () => {
    const m = fresh();
    expect(m.patternMutates("iam:*")).toBe(true);
    expect(m.patternMutates("s3:Get*")).toBe(false);
    expect(m.patternMutates("nope:*")).toBe(false);
  });

  // iam-data today only combines levels as "Tagging, Write" and "Permissions management, Write":
  // a made-up service pins the rules for the other combinations the data format allows.
  test("levels judged by containment, on any combination iam-data may ship", () => {
    const m = withFakeService({
      onlypm: { name: "OnlyPm", accessLevel: "Permissions management", resourceTypes: [] },
      onlytag: { name: "OnlyTag", accessLevel: "Tagging", resourceTypes: [] },
      readwrite: { name: "ReadWrite", accessLevel: "Read, Write", resourceTypes: [] },
      readlist: { name: "ReadList", accessLevel: "List,Read", resourceTypes: [{ name: "thing" }] },
      nolevel: { name: "NoLevel", accessLevel: "", resourceTypes: [] },
      gaps: { name: "Gaps", accessLevel: "Write,, ", resourceTypes: [] },
    });
    expect(m.canonicalAction("FAKESVC:onlypm")).toBe("fakesvc:OnlyPm");
    expect(m.isMutatingAction("fakesvc:OnlyPm")).toBe(true);
    expect(m.isPermissionsManagementAction("fakesvc:OnlyPm")).toBe(true);
    expect(m.isMutatingAction("fakesvc:OnlyTag")).toBe(true);
    expect(m.isPermissionsManagementAction("fakesvc:OnlyTag")).toBe(false);
    expect(m.isReadOnlyAction("fakesvc:ReadWrite")).toBe(false);
    expect(m.isMutatingAction("fakesvc:ReadWrite")).toBe(true);
    expect(m.isReadOnlyAction("fakesvc:ReadList")).toBe(true);
    expect(m.isMutatingAction("fakesvc:ReadList")).toBe(false);
    expect(m.accessLevels("fakesvc:ReadList")).toEqual(["List", "Read"]);
    // Known but with no level: not read-only (fail closed), not mutating either.
    expect(m.isKnownAction("fakesvc:NoLevel")).toBe(true);
    expect(m.accessLevels("fakesvc:NoLevel")).toEqual([]);
    expect(m.isReadOnlyAction("fakesvc:NoLevel")).toBe(false);
    expect(m.accessLevels("fakesvc:Gaps")).toEqual(["Write"]);
    expect(m.expandActionPattern("fakesvc:*")).toEqual(["fakesvc:OnlyPm", "fakesvc:OnlyTag", "fakesvc:ReadWrite", "fakesvc:ReadList", "fakesvc:NoLevel", "fakesvc:Gaps"]);
  });
});

describe("expansion", () => {
  test('"*" (even with spaces around it) is every canonical action name', () => {
    const m = fresh();
    const all = m.expandActionPattern("*");
    expect(all).toContain("iam:PassRole");
    expect(all).toContain("s3:GetObject");
    expect(all.every((a) => typeof a === "string" && /^[a-z0-9-]+:[A-Za-z0-9-]+$/i.test(a))).toBe(true);
    expect(m.expandActionPattern(" * ")).toEqual(all);
  });

  test("a service wildcard matches only the services it names", () => {
    expect(fresh().expandActionPattern("s3-*:GetObject")).toEqual(["s3-object-lambda:GetObject", "s3-outposts:GetObject"]);
  });

  test("a pattern without a colon matches nothing, even with wildcards", () => {
    const m = fresh();
    expect(m.expandActionPattern("**")).toEqual([]);
    expect(m.expandActionPattern("iam*")).toEqual([]);
    expect(m.expandActionPatternShared("**")).toEqual([]);
  });

  test("non-string patterns give [] (no throw)", () => {
    const m = fresh();
    expect(m.expandActionPattern(5 as unknown as string)).toEqual([]);
    expect(m.expandActionPattern(undefined as unknown as string)).toEqual([]);
    expect(m.expandActionPatternShared(5 as unknown as string)).toEqual([]);
    expect(m.expandActionPatternShared(null as unknown as string)).toEqual([]);
  });

  test("spellings of one pattern share one memoised frozen expansion", () => {
    const m = fresh();
    const a = m.expandActionPatternShared("iam:PassRole");
    expect(a).toEqual(["iam:PassRole"]);
    expect(Object.isFrozen(a)).toBe(true);
    m.expandActionPatternShared("s3:GetObject");
    m.expandActionPatternShared("sts:AssumeRole");
    // A different raw string, the same pattern once trimmed and lower-cased.
    expect(m.expandActionPatternShared(" IAM:passrole ")).toBe(a);
  });
});

describe("wildcardRegex", () => {
  test("regex metacharacters in a pattern are literal", () => {
    const m = fresh();
    expect(m.wildcardRegex("a.b").test("a.b")).toBe(true);
    expect(m.wildcardRegex("a.b").test("axb")).toBe(false);
    expect(m.wildcardRegex("a+b(c)").test("a+b(c)")).toBe(true);
    expect(m.wildcardRegex("a+b(c)").test("ab")).toBe(false);
    expect(m.wildcardRegex("arn:aws:s3:::b/${aws:username}/*").test("arn:aws:s3:::b/${aws:username}/k")).toBe(true);
  });

  test("* and ? match across newlines; case-sensitive when asked", () => {
    const m = fresh();
    expect(m.wildcardRegex("a*b").test("a\nb")).toBe(true);
    expect(m.wildcardRegex("a*b", false).test("a\nb")).toBe(true);
    expect(m.wildcardRegex("a?b", false).test("a\nb")).toBe(true);
    expect(m.wildcardRegex("A*", false).test("abc")).toBe(false);
    expect(m.wildcardRegex("A*", true).test("abc")).toBe(true);
  });
});

describe("expandedLowerSet (built when the module loads)", () => {
  test("is the pattern's expansion in lower case, as a set", () => {
    const m = fresh();
    expect([...m.expandedLowerSet("iam:PassRole")]).toEqual(["iam:passrole"]);
    const set = m.expandedLowerSet("iam:Pass*");
    expect(set).toBeInstanceOf(Set);
    expect(set.has("iam:passrole")).toBe(true);
    expect([...set]).toEqual(m.expandActionPatternShared("iam:Pass*").map((a) => a.toLowerCase()));
  });
});
