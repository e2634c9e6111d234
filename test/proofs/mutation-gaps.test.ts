/**
 * Tests written for mutants Stryker found surviving (docs/proofs.md): each closes a real gap — a
 * behaviour no other test pinned, which a bug could have changed silently.
 */
import { policies } from "../../policies/list";
import { runPolicies, type InputResource } from "../../policies/harness";
import { UNKNOWN } from "../../policies/engine";

const GH = "token.actions.githubusercontent.com";
const trustDoc = (sub: string) => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${GH}` }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { [`${GH}:aud`]: "sts.amazonaws.com" }, StringLike: { [`${GH}:sub`]: sub } } }],
});

async function trustFindings(resources: InputResource[], config: Record<string, unknown> = {}) {
  const vs = await runPolicies(policies, resources, { config: { "aws-iam-trust-pinned": config }, now: new Date("2026-11-15T00:00:00Z") });
  return vs.filter((v) => v.ruleId === "aws-iam-trust-pinned").map((v) => ({ resource: v.urn?.split("::").pop(), key: v.finding?.key, path: v.finding?.path, level: v.enforcementLevel, outcome: v.outcome }));
}

describe("aws-iam-trust-pinned (surviving mutants)", () => {
  test("an absent, null or empty assumeRolePolicy is not a document to judge (no finding)", async () => {
    expect(
      await trustFindings([
        { type: "aws:iam/role:Role", name: "null-trust", props: { assumeRolePolicy: null } },
        { type: "aws:iam/role:Role", name: "empty-trust", props: { assumeRolePolicy: "" } },
        { type: "aws:iam/role:Role", name: "no-trust", props: { name: "x" } },
      ]),
    ).toEqual([]);
  });

  test("a trust policy given as an object is judged like its JSON string", async () => {
    const doc = trustDoc("repo:*");
    const asObject = await trustFindings([{ type: "aws:iam/role:Role", name: "r", props: { assumeRolePolicy: doc } }]);
    const asString = await trustFindings([{ type: "aws:iam/role:Role", name: "r", props: { assumeRolePolicy: JSON.stringify(doc) } }]);
    expect(asObject).toEqual(asString);
    expect(asObject.map((f) => f.key)).toEqual(["wildcard-sub::repo:*"]);
  });

  test("an unknown inside an object trust policy is reported at its full property path", async () => {
    const doc = trustDoc("repo:acme/app:environment:prod") as any;
    doc.Statement[0].Condition.StringLike[`${GH}:sub`] = UNKNOWN;
    const f = await trustFindings([{ type: "aws:iam/role:Role", name: "r", props: { assumeRolePolicy: doc } }]);
    expect(f).toEqual([{ resource: "r", key: "unknown", path: `assumeRolePolicy.Statement.0.Condition.StringLike.${GH}:sub`, level: "mandatory", outcome: "unknown" }]);
  });

  test("writingRoles: always reports a branch wildcard on a role with no grants; never accepts it on a writing role", async () => {
    const readOnly: InputResource[] = [{ type: "aws:iam/role:Role", name: "reader", props: { name: "reader", assumeRolePolicy: JSON.stringify(trustDoc("repo:acme/app:*")) } }];
    expect(await trustFindings(readOnly)).toEqual([]);
    expect((await trustFindings(readOnly, { writingRoles: "always" })).map((f) => f.key)).toEqual(["wildcard-sub::repo:acme/app:*"]);
    const writer: InputResource[] = [
      { type: "aws:iam/role:Role", name: "writer", props: { name: "writer", assumeRolePolicy: JSON.stringify(trustDoc("repo:acme/app:*")) } },
      { type: "aws:iam/rolePolicy:RolePolicy", name: "w", props: { role: "writer", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::b/app/*" }] }) } },
    ];
    expect((await trustFindings(writer)).map((f) => f.key)).toEqual(["wildcard-sub::repo:acme/app:*"]);
    expect(await trustFindings(writer, { writingRoles: "never" })).toEqual([]);
  });
});

describe("oidc-role-session-duration (surviving mutants)", () => {
  const run = async (props: Record<string, unknown>) =>
    (await runPolicies(policies, [{ type: "aws:iam/role:Role", name: "r", props }], { now: new Date("2026-11-15T00:00:00Z") })).filter((v) => v.ruleId === "oidc-role-session-duration");

  test("a long session with no, or an unreadable, trust policy is left to the trust rules (no session finding, no crash)", async () => {
    expect(await run({ maxSessionDuration: 43200 })).toEqual([]);
    expect(await run({ maxSessionDuration: 43200, assumeRolePolicy: "{not json" })).toEqual([]);
  });

  test("the message names the OIDC provider(s) the role trusts, and not a Principal \"*\" statement", async () => {
    const provider = `arn:aws:iam::123456789012:oidc-provider/${GH}`;
    const doc = { Version: "2012-10-17", Statement: [...trustDoc("repo:acme/app:environment:prod").Statement, { Effect: "Allow", Principal: "*", Action: "sts:AssumeRoleWithWebIdentity" }] };
    const vs = await run({ maxSessionDuration: 43200, assumeRolePolicy: JSON.stringify(doc) });
    expect(vs.map((v) => v.finding?.message)).toEqual([`must keep sessions at most 3600 s for a role assumed through OIDC (${provider}); got maxSessionDuration 43200`]);
  });

  test("two trusted providers are both named", async () => {
    const gl = "arn:aws:iam::123456789012:oidc-provider/gitlab.com";
    const doc = trustDoc("repo:acme/app:environment:prod") as any;
    doc.Statement[0].Principal.Federated = [`arn:aws:iam::123456789012:oidc-provider/${GH}`, gl];
    const vs = await run({ maxSessionDuration: 7200, assumeRolePolicy: JSON.stringify(doc) });
    expect(vs.map((v) => v.finding?.message)).toEqual([`must keep sessions at most 3600 s for a role assumed through OIDC (arn:aws:iam::123456789012:oidc-provider/${GH}, ${gl}); got maxSessionDuration 7200`]);
  });
});
