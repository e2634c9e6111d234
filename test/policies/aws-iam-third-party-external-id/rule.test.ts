/**
 * policies/rules/aws-iam-third-party-external-id.ts beyond its fixtures: the whole violation as the
 * engine would print it, that a trust it cannot read (unknown at preview, invalid) is left to
 * aws-iam-trust-pinned, which reports it once, that the role's own account comes from its ARN, and
 * that trustedAccounts takes account ids only.
 */
import { policies } from "../../../policies/list";
import { runPolicies, type InputResource } from "../../../policies/harness";
import { PolicyConfigError } from "../../../policies/config";
import { UNKNOWN } from "../../../policies/engine";

const RULE = "aws-iam-third-party-external-id";
const NOW = new Date("2026-11-15T12:00:00Z");
const VENDOR = "210987654321";

const role = (name: string, trust: unknown, extra: Record<string, unknown> = {}): InputResource => ({ type: "aws:iam/role:Role", name, props: { assumeRolePolicy: trust, ...extra } });
const vendorTrust = (principal = VENDOR) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: principal }, Action: "sts:AssumeRole" }] });

test("the violation: advisory by default, high, the description, the finding, why, fix, key and standards", async () => {
  const [v, ...rest] = (await runPolicies(policies, [role("vendor", vendorTrust())], { now: NOW })).filter((x) => x.ruleId === RULE);
  expect(rest).toEqual([]);
  expect(v).toMatchObject({ policyName: RULE, enforcementLevel: "advisory", severity: "high", urn: "urn:pulumi:stack::project::aws:iam/role:Role::vendor", outcome: "finding" });
  expect(v.standards).toEqual(["OWASP-NHI3", "OWASP-ASI03", "MAESTRO-L4", "MAESTRO-L7", "NIST-CSF-PR.AA-05"]);
  expect(v.message).toBe(
    [
      'Flags assumeRolePolicy documents (aws.iam.Role and any resource with that property) whose Allow statements let an AWS principal of another account (an account id, its root, a role or user ARN, or Principal "*" narrowed to it by aws:PrincipalAccount or aws:PrincipalArn) assume the role without a StringEquals condition on sts:ExternalId. The role\'s own account and the accounts listed in trustedAccounts are not judged.',
      `aws:iam/role:Role 'vendor' at assumeRolePolicy.Statement[0].Principal.AWS[0]: must require the external ID account ${VENDOR} issued for you before it assumes the role; got ${VENDOR} with no StringEquals condition on sts:ExternalId. ` +
        "Why it matters: A third party that assumes roles in many customers' accounts (a hosted assistant, a CI service) can be made to use this role for another of its customers, since a role ARN is no secret; the external ID it issued to you is what tells its customers apart. " +
        `Fix: Add "StringEquals": {"sts:ExternalId": "<the ID the third party gave you>"} to Statement[0]; if ${VENDOR} is your own organisation's account, list it in trustedAccounts. ` +
        `Finding key: no-external-id::${VENDOR}. ` +
        "Standards: OWASP NHI3 Vulnerable Third-Party NHI; OWASP ASI03 Identity and Privilege Abuse; MAESTRO L4; MAESTRO L7; NIST CSF PR.AA-05.",
    ].join("\n"),
  );
});

test("a trust unknown at preview or invalid: nothing from this rule, one mandatory violation from aws-iam-trust-pinned", async () => {
  const all = await runPolicies(policies, [role("computed", UNKNOWN), role("broken", "{not json")], { now: NOW });
  expect(all.filter((v) => v.ruleId === RULE)).toEqual([]);
  const pinned = all.filter((v) => v.ruleId === "aws-iam-trust-pinned");
  expect(pinned.map((v) => [v.urn?.split("::").pop(), v.outcome, v.enforcementLevel])).toEqual([
    ["broken", "finding", "mandatory"],
    ["computed", "unknown", "mandatory"],
  ]);
});

test("the role's own account comes from its known ARN; an unknown ARN or one of another service makes no account its own", async () => {
  const own = `arn:aws:iam::${VENDOR}:role/same-account`;
  const judged = async (arn: unknown) => (await runPolicies(policies, [role("r", vendorTrust(`arn:aws:iam::${VENDOR}:root`), { arn })], { now: NOW })).filter((v) => v.ruleId === RULE).length;
  expect(await judged(own)).toBe(0);
  expect(await judged(UNKNOWN)).toBe(1);
  expect(await judged(`arn:aws:s3:::${VENDOR}`)).toBe(1);
  expect(await judged("arn:aws:iam::123456789012:role/other-account")).toBe(1);
});

test("any resource type with an assumeRolePolicy is judged, a JSON string as a document", async () => {
  const all = await runPolicies(policies, [{ type: "acme:platform:AgentRole", name: "component", props: { assumeRolePolicy: JSON.stringify(vendorTrust()) } }], { now: NOW });
  expect(all.filter((v) => v.ruleId === RULE).map((v) => v.finding?.key)).toEqual([`no-external-id::${VENDOR}`]);
});

test("trustedAccounts takes 12-digit account ids: anything else is a config error naming the setting", async () => {
  const run = (trustedAccounts: unknown) => runPolicies(policies, [role("vendor", vendorTrust())], { now: NOW, config: { [RULE]: { trustedAccounts } } });
  expect((await run([VENDOR])).filter((v) => v.ruleId === RULE)).toEqual([]);
  for (const bad of [["21098765432"], [`arn:aws:iam::${VENDOR}:root`], [" 210987654321"], "210987654321"]) {
    await expect(run(bad)).rejects.toThrow(PolicyConfigError);
    await expect(run(bad)).rejects.toThrow(/trustedAccounts/);
  }
});
