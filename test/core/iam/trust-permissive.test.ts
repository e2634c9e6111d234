/**
 * core/iam/trust.ts, Principal "*" (or {"AWS": "*"}) with conditions: reported as permissive-principal
 * unless a condition pins something the caller cannot choose (its account, organisation, ARN, user,
 * network, or a token's subject). Checked against @cloud-copilot/iam-simulate: a role in account
 * 123456789012, a caller of account 999988887777 that sends whatever the caller controls (TLS, the
 * region, an external ID, which is no secret, its own tags): reported exactly when AWS lets it in.
 */
import { analyzeTrustPolicy } from "../../../core/iam";
import { decideAssumeRole } from "../../support/iam-oracle";

const OWN = "123456789012";
const ATTACKER = "999988887777";
const CALLER = `arn:aws:iam::${ATTACKER}:role/attacker`;

type Block = Record<string, Record<string, string | string[]>>;
/** What the attacker's request carries: its real identity and network, and for the keys it controls the value each condition asks for. */
function attackerContext(condition: Block | undefined): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {
    "aws:PrincipalAccount": ATTACKER,
    "aws:PrincipalArn": CALLER,
    "aws:PrincipalOrgID": "o-attacker",
    "aws:PrincipalOrgPaths": ["o-attacker/r-ab12/"],
    "aws:SourceIp": "198.51.100.7",
    "aws:userid": "AROAATTACKER:session",
  };
  for (const block of Object.values(condition ?? {})) {
    for (const [key, values] of Object.entries(block)) {
      if (key in context || /^aws:(PrincipalAccount|PrincipalArn|PrincipalOrgID|PrincipalOrgPaths|SourceIp|SourceVpc|userid|username)$/i.test(key)) continue;
      context[key] = [values].flat()[0]!.replace(/\*/g, "x");
    }
  }
  return context;
}

/** [what, the condition, reported, admitted by AWS]: the two agree except where a comment says why. */
const CONDITIONS: Array<[string, Block | undefined, boolean, boolean]> = [
  ["no condition", undefined, true, true],
  ["TLS only", { Bool: { "aws:SecureTransport": "true" } }, true, true],
  ["an external ID (no secret)", { StringEquals: { "sts:ExternalId": "acme-7f3c9e" } }, true, true],
  ["a requested region", { StringEquals: { "aws:RequestedRegion": "eu-west-1" } }, true, true],
  ["a tag on the caller (its own admins set it)", { StringEquals: { "aws:PrincipalTag/team": "platform" } }, true, true],
  ["an account pattern of *", { StringLike: { "aws:PrincipalAccount": "*" } }, true, true],
  ["an account prefix pattern", { StringLike: { "aws:PrincipalAccount": "9999*" } }, true, true],
  ["a role name in any account", { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/attacker" } }, true, true],
  ["ArnEquals with a wildcard account", { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::*:role/attacker" } }, true, true],
  ["one exact account and one pattern", { StringLike: { "aws:PrincipalAccount": [OWN, "9999*"] } }, true, true],
  ["an organisation path with a wildcard organisation", { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": "o-*/*" } }, true, true],
  ["a user id pattern with a wildcard unique id", { StringLike: { "aws:userid": "AROA*:session" } }, true, true],
  // An AWS caller always carries its account, so AWS denies this one; reported all the same, since a
  // web identity or SAML caller carries none and IfExists then passes.
  ["an account with IfExists", { StringEqualsIfExists: { "aws:PrincipalAccount": OWN } }, true, false],
  ["not another account", { StringNotEquals: { "aws:PrincipalAccount": "111122223333" } }, true, true],
  ["ForAllValues on the organisation", { "ForAllValues:StringEquals": { "aws:PrincipalOrgID": "o-abc123" } }, true, true],
  // Every repository's token of that issuer carries this audience: the request here carries it too.
  ["a token audience only", { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } }, true, true],
  ["the account", { StringEquals: { "aws:PrincipalAccount": OWN } }, false, false],
  ["the organisation", { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } }, false, false],
  ["ForAnyValue on the organisation", { "ForAnyValue:StringEquals": { "aws:PrincipalOrgID": "o-abc123" } }, false, false],
  ["an ARN pattern in the account", { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${OWN}:role/*` } }, false, false],
  ["an organisation path under the organisation", { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": "o-abc123/r-ab12/*" } }, false, false],
  ["a user id pattern of one role", { StringLike: { "aws:userid": "AROAOWNROLE:*" } }, false, false],
  ["a network", { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } }, false, false],
  ["TLS and the account", { Bool: { "aws:SecureTransport": "true" }, StringEquals: { "aws:PrincipalAccount": OWN } }, false, false],
];

describe.each([
  ['Principal "*"', "*"],
  ['{"AWS": "*"}', { AWS: "*" }],
] as const)("%s", (_label, Principal) => {
  test.each(CONDITIONS)("with %s: reported, and admitted by AWS for a caller of another account, as listed", (_name, Condition, reported, admitted) => {
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal, Action: "sts:AssumeRole", ...(Condition ? { Condition } : {}) }] };
    expect(analyzeTrustPolicy(trust).some((f) => f.key === "permissive-principal")).toBe(reported);
    // The attacker tries as a member of its own organisation and as an account in none.
    const withOrg = attackerContext(Condition);
    const { ["aws:PrincipalOrgID"]: _org, ["aws:PrincipalOrgPaths"]: _paths, ...withoutOrg } = withOrg;
    expect([withOrg, withoutOrg].some((context) => decideAssumeRole(trust, CALLER, context) === "Allowed")).toBe(admitted);
  });
});

test("the message says which conditions any account can meet; without conditions it says there are none", () => {
  const withTls = analyzeTrustPolicy({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { Bool: { "aws:SecureTransport": "true" }, StringEquals: { "sts:ExternalId": "x", "aws:RequestedRegion": "eu-west-1" } } }] });
  expect(withTls.map((f) => f.message)).toEqual([
    'Statement[0] must name who may assume the role; got Principal {"AWS":["*"]} with conditions any AWS account can meet (aws:SecureTransport, sts:ExternalId, aws:RequestedRegion): none pins the caller\'s account, organisation, ARN, network or token subject',
  ]);
  expect(analyzeTrustPolicy({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }] }).map((f) => f.message)).toEqual([
    'Statement[0] must name who may assume the role; got Principal "*" with no Condition',
  ]);
});

test("a web identity subject pins the caller; a subject pattern with a wildcard does not (StringEquals reads * literally)", () => {
  const trust = (op: string, sub: string) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRoleWithWebIdentity", Condition: { [op]: { "token.actions.githubusercontent.com:sub": sub } } }] });
  const reported = (op: string, sub: string) => analyzeTrustPolicy(trust(op, sub)).some((f) => f.key === "permissive-principal");
  expect(reported("StringEquals", "repo:acme/app:environment:prod")).toBe(false);
  expect(reported("StringLike", "repo:acme/app:environment:prod")).toBe(false);
  expect(reported("StringEquals", "*")).toBe(false);
  expect(reported("StringLike", "*")).toBe(true);
  expect(reported("StringLike", "repo:acme/*")).toBe(true);
});

test("a source address range of the whole internet (0.0.0.0/0, ::/0) pins nothing; a narrower one does", () => {
  // Not held to the simulator: @cloud-copilot/iam-simulate matches no address against a /0 range (its
  // mask for a zero-length prefix), where AWS matches every address.
  const trust = (cidr: string | string[]) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { IpAddress: { "aws:SourceIp": cidr } } }] });
  for (const cidr of ["0.0.0.0/0", "::/0", ["203.0.113.0/24", "0.0.0.0/0"]]) expect(analyzeTrustPolicy(trust(cidr)).map((f) => f.key)).toEqual(["permissive-principal"]);
  for (const cidr of ["203.0.113.0/24", "2001:db8::/32", "198.51.100.7/32"]) expect(analyzeTrustPolicy(trust(cidr))).toEqual([]);
});
