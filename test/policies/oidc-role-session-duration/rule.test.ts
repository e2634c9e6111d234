/**
 * Pins the exact observable behaviour of policies/rules/oidc-role-session-duration.ts that the
 * fixtures (which check keys and paths only) leave loose: the full session-too-long finding
 * (message naming every trusted OIDC provider, path, value, fix with the configured maximum, key)
 * with its level and outcome, the boundary at maxSessionSeconds, and which trust statements count
 * (web identity only; a SAML or service trust does not).
 */
import { policies } from "../../../policies/list";
import { runPolicies, InputResource } from "../../../policies/harness";

const NOW = new Date("2026-11-15T12:00:00Z");
const ROLE = "aws:iam/role:Role";
const GH = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const EKS = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC";
const SAML = "arn:aws:iam::123456789012:saml-provider/okta";
const urnOf = (name: string) => `urn:pulumi:stack::project::${ROLE}::${name}`;

const pack = policies.filter((p) => p.name === "oidc-role-session-duration");

/** The rule's violations through the harness: who, level, outcome and the structured finding. */
async function check(resources: InputResource[], config?: Record<string, unknown>) {
  const vs = await runPolicies(pack, resources, { now: NOW, config: config ? { "oidc-role-session-duration": config } : undefined });
  return vs.map((v) => ({ urn: v.urn, enforcementLevel: v.enforcementLevel, outcome: v.outcome, finding: v.finding }));
}
const found = (urn: string, finding: Record<string, unknown>) => ({ urn, enforcementLevel: "mandatory", outcome: "finding", finding });

/** A trust statement admitting `federated` with `action`. */
const stmt = (federated: string | string[], action = "sts:AssumeRoleWithWebIdentity") => ({ Effect: "Allow", Principal: { Federated: federated }, Action: action });
/** A role whose trust policy (a JSON string) holds `statements`, with the given maxSessionDuration. */
const role = (name: string, maxSessionDuration: number, ...statements: object[]): InputResource => ({
  type: ROLE,
  name,
  props: { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: statements }), maxSessionDuration },
});

describe("session-too-long: the exact finding", () => {
  test("default maximum: message names the provider, value is the duration, fix names 3600", async () => {
    expect(await check([role("gh", 43200, stmt(GH))])).toStrictEqual([
      found(urnOf("gh"), {
        message: `must keep sessions at most 3600 s for a role assumed through OIDC (${GH}); got maxSessionDuration 43200`,
        path: "maxSessionDuration",
        value: 43200,
        fix: "set maxSessionDuration to 3600 or less (or omit it)",
        key: "session-too-long",
      }),
    ]);
  });

  test("maxSessionSeconds: 1800 is the limit in the message and the fix", async () => {
    expect(await check([role("gh", 3600, stmt(GH))], { maxSessionSeconds: 1800 })).toStrictEqual([
      found(urnOf("gh"), {
        message: `must keep sessions at most 1800 s for a role assumed through OIDC (${GH}); got maxSessionDuration 3600`,
        path: "maxSessionDuration",
        value: 3600,
        fix: "set maxSessionDuration to 1800 or less (or omit it)",
        key: "session-too-long",
      }),
    ]);
  });

  test("providers of every web-identity statement are named in order; SAML and service statements are not", async () => {
    const service = { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" };
    expect(await check([role("multi", 7200, stmt(GH), stmt(SAML, "sts:AssumeRoleWithSAML"), service, stmt(EKS, "sts:*"))])).toStrictEqual([
      found(urnOf("multi"), {
        message: `must keep sessions at most 3600 s for a role assumed through OIDC (${GH}, ${EKS}); got maxSessionDuration 7200`,
        path: "maxSessionDuration",
        value: 7200,
        fix: "set maxSessionDuration to 3600 or less (or omit it)",
        key: "session-too-long",
      }),
    ]);
  });
});

describe("session-too-long: when it applies", () => {
  test("exactly maxSessionSeconds is allowed; one second more is not", async () => {
    const vs = await check([role("at", 1800, stmt(GH)), role("over", 1801, stmt(GH))], { maxSessionSeconds: 1800 });
    expect(vs.map((v) => [v.urn, v.finding?.key, v.finding?.value])).toStrictEqual([[urnOf("over"), "session-too-long", 1801]]);
  });

  test("a long session on a role trusted only through SAML is out of scope", async () => {
    expect(await check([role("saml", 43200, stmt(SAML, "sts:AssumeRoleWithSAML"))])).toStrictEqual([]);
  });
});
