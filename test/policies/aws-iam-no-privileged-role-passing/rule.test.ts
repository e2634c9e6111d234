/**
 * Pins the behaviour of policies/rules/aws-iam-no-privileged-role-passing.ts that its fixtures leave
 * loose (they check keys and paths only):
 * - the exact finding of each kind: PassRole on a stronger role, AssumeRole on a stronger role whose
 *   trust admits the account, and a trust that names a weaker role (message, fix, key, path, value);
 * - how roles are named: the label is the `name` prop (the logical name only without one), a known
 *   `arn` is matched as is, and the `path` prop is part of the ARN a name is matched as;
 * - which trusts let another role of the stack assume the target at all (any statement with an AWS
 *   principal or "*"), and how a trust admits a role: by naming it (never by a wildcard pattern), by
 *   depending on its output (only in a statement with an AWS principal), or through the account
 *   ("*", account id or root ARN), only in Allow statements with an action that covers sts:AssumeRole;
 * - statements without a Principal are skipped without error.
 */
import { policies } from "../../../policies/list";
import { runPolicies, type InputResource } from "../../../policies/harness";

const RULE_ID = "aws-iam-no-privileged-role-passing";
const ONLY_THIS_RULE = policies.filter((p) => p.name === RULE_ID);

const ROLE = "aws:iam/role:Role";
const ACCT = "123456789012";
const arnOf = (name: string) => `arn:aws:iam::${ACCT}:role/${name}`;
const urnOf = (logical: string) => `urn:pulumi:dev::app::${ROLE}::${logical}`;

const ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess";
/** How core/iam explains the rank of a role holding AdministratorAccess. */
const ADMIN_REASON = `admin: ${ADMIN_ARN} grants Action * on Resource *`;

const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });
const allow = (Action: string | string[], Resource: string) => ({ Effect: "Allow", Action, Resource });
/** A trust statement admitting AWS principals. */
const trustsAws = (AWS: string | string[], Action: string | string[] = "sts:AssumeRole") => ({ Effect: "Allow", Principal: { AWS }, Action });
const SERVICE_STATEMENT = { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" };
const SERVICE_TRUST = doc(SERVICE_STATEMENT);
const READ = allow("s3:GetObject", "arn:aws:s3:::data/*");

interface RoleOpts {
  /** Props besides the documents (name, arn, path); `name` defaults to the logical name. */
  props?: Record<string, unknown>;
  trust?: object;
  /** Statements of the role's one inline policy. */
  grants?: object[];
  admin?: boolean;
  propertyDependencies?: Record<string, string[]>;
}

function role(logical: string, o: RoleOpts = {}): InputResource {
  return {
    urn: urnOf(logical),
    type: ROLE,
    name: logical,
    props: {
      name: logical,
      ...o.props,
      assumeRolePolicy: o.trust ?? SERVICE_TRUST,
      ...(o.grants ? { inlinePolicies: [{ name: "own", policy: doc(...o.grants) }] } : {}),
      ...(o.admin ? { managedPolicyArns: [ADMIN_ARN] } : {}),
    },
    ...(o.propertyDependencies ? { propertyDependencies: o.propertyDependencies } : {}),
  };
}

/** A read-only role (rank "read") with extra grant statements. */
const reader = (logical: string, extra: object[] = [], o: RoleOpts = {}) => role(logical, { ...o, grants: [READ, ...extra] });
/** A role holding AdministratorAccess (rank "admin"). */
const admin = (logical: string, o: RoleOpts = {}) => role(logical, { ...o, admin: true });

/** This rule's violations: the resource (logical name), the structured finding, outcome and level. */
async function run(resources: InputResource[]) {
  const all = await runPolicies(ONLY_THIS_RULE, resources, { now: new Date("2026-11-15T12:00:00Z") });
  return all
    .filter((v) => v.ruleId === RULE_ID)
    .map((v) => ({ resource: resources.find((r) => r.urn === v.urn)?.name, finding: v.finding, outcome: v.outcome, enforcementLevel: v.enforcementLevel }));
}

/** Only the finding keys, in report order. */
async function keys(resources: InputResource[]) {
  return (await run(resources)).map((v) => v.finding?.key);
}

/** The trust finding a stronger `target` gets for naming the weaker `source` (read rank). */
const directFinding = (resource: string, source: string, target: string) => ({
  resource,
  finding: {
    message: `must not trust role ${source} (read), which is less privileged than this role ${target} (${ADMIN_REASON}); got a trust statement naming it`,
    path: "assumeRolePolicy",
    value: source,
    fix: `remove ${source} from the trust policy of ${target}, or give it its own weaker role`,
    key: `can-assume:${source}->${target}`,
  },
  outcome: "finding",
  enforcementLevel: "mandatory",
});

describe("exact findings of each kind", () => {
  test("iam:PassRole on a stronger role: message names both ranks and the grant, fix narrows PassRole, at the granting statement", async () => {
    const stack = [admin("app-admin"), reader("ci", [allow("iam:PassRole", arnOf("app-admin"))])];
    expect(await run(stack)).toStrictEqual([
      {
        resource: "ci",
        finding: {
          message: `must not let role ci (write) pass the more privileged role app-admin (${ADMIN_REASON}); got iam:PassRole on ${arnOf("app-admin")}`,
          path: "inlinePolicies[0].policy.Statement[1]",
          value: arnOf("app-admin"),
          fix: "narrow iam:PassRole to roles no stronger than ci, or reduce the grants of app-admin",
          key: "can-pass:ci->app-admin",
        },
        outcome: "finding",
        enforcementLevel: "mandatory",
      },
    ]);
  });

  test("sts:AssumeRole on a stronger role whose trust admits the account: message says so, fix asks for named principals", async () => {
    const stack = [admin("ops", { trust: doc(trustsAws(`arn:aws:iam::${ACCT}:root`)) }), reader("agent", [allow("sts:AssumeRole", arnOf("ops"))])];
    expect(await run(stack)).toStrictEqual([
      {
        resource: "agent",
        finding: {
          message: `must not let role agent (write) assume the more privileged role ops (${ADMIN_REASON}); got sts:AssumeRole on ${arnOf("ops")} and a trust policy that admits the account`,
          path: "inlinePolicies[0].policy.Statement[1]",
          value: arnOf("ops"),
          fix: "narrow sts:AssumeRole to roles no stronger than agent, and make ops trust named principals only",
          key: "can-assume:agent->ops",
        },
        outcome: "finding",
        enforcementLevel: "mandatory",
      },
    ]);
  });

  test("a trust naming a weaker role is reported on the stronger role, at assumeRolePolicy, valued by the weaker role's label", async () => {
    const stack = [reader("agent"), admin("ops", { trust: doc(trustsAws(arnOf("agent"))) })];
    expect(await run(stack)).toStrictEqual([directFinding("ops", "agent", "ops")]);
  });

  test("sts:AssumeRole on a stronger role whose trust admits neither the role nor the account is not reported", async () => {
    const stack = [admin("ops", { trust: doc(trustsAws(arnOf("security-team"))) }), reader("agent", [allow("sts:AssumeRole", arnOf("ops"))])];
    expect(await run(stack)).toStrictEqual([]);
  });
});

describe("how roles are named", () => {
  test("the label is the role's name prop, not its logical name; a role with no name prop is labelled by its logical name", async () => {
    const stack = [
      // No name prop (auto-named), but its ARN is known.
      role("admin-role", { props: { name: undefined, arn: arnOf("ai-admin-7f3a") }, admin: true }),
      reader("agent-role", [allow("iam:PassRole", arnOf("ai-admin-7f3a"))], { props: { name: "ai-agent" } }),
    ];
    expect(await run(stack)).toStrictEqual([
      {
        resource: "agent-role",
        finding: {
          message: `must not let role ai-agent (write) pass the more privileged role admin-role (${ADMIN_REASON}); got iam:PassRole on ${arnOf("ai-admin-7f3a")}`,
          path: "inlinePolicies[0].policy.Statement[1]",
          value: arnOf("ai-admin-7f3a"),
          fix: "narrow iam:PassRole to roles no stronger than ai-agent, or reduce the grants of admin-role",
          key: "can-pass:ai-agent->admin-role",
        },
        outcome: "finding",
        enforcementLevel: "mandatory",
      },
    ]);
  });

  test("a known arn is matched as is: a grant on the same role name in another account does not reach it", async () => {
    const stack = [
      admin("app-admin", { props: { arn: arnOf("app-admin") } }),
      reader("ci", [allow("iam:PassRole", "arn:aws:iam::111111111111:role/app-admin")]),
    ];
    expect(await run(stack)).toStrictEqual([]);
  });

  test("the path prop is part of the role's ARN: a grant on role/ops/admin reaches it, one on role/admin does not", async () => {
    const target = admin("admin", { props: { path: "/ops/" } });
    expect(await keys([target, reader("ci", [allow("iam:PassRole", arnOf("ops/admin"))])])).toEqual(["can-pass:ci->admin"]);
    expect(await keys([target, reader("ci", [allow("iam:PassRole", arnOf("admin"))])])).toEqual([]);
  });
});

describe("which trusts another role can assume through", () => {
  test("one AWS statement among service statements is enough: the trust naming the role is reported", async () => {
    const stack = [reader("agent"), admin("ops", { trust: doc(SERVICE_STATEMENT, trustsAws(arnOf("agent"))) })];
    expect(await run(stack)).toStrictEqual([directFinding("ops", "agent", "ops")]);
  });

  test('Principal "*" admits the account: sts:AssumeRole on the role is reported as admitted by the account, not as a trust naming the caller', async () => {
    const stack = [admin("ops", { trust: doc({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }) }), reader("agent", [allow("sts:AssumeRole", arnOf("ops"))])];
    expect((await run(stack)).map((v) => [v.resource, v.finding?.key, v.finding?.path, v.finding?.message])).toEqual([
      [
        "agent",
        "can-assume:agent->ops",
        "inlinePolicies[0].policy.Statement[1]",
        `must not let role agent (write) assume the more privileged role ops (${ADMIN_REASON}); got sts:AssumeRole on ${arnOf("ops")} and a trust policy that admits the account`,
      ],
    ]);
  });

  test('AWS "*" admits the account: sts:AssumeRole on the role is reported', async () => {
    const stack = [admin("ops", { trust: doc(trustsAws("*")) }), reader("agent", [allow("sts:AssumeRole", arnOf("ops"))])];
    expect((await run(stack)).map((v) => [v.resource, v.finding?.key, v.finding?.value])).toEqual([["agent", "can-assume:agent->ops", arnOf("ops")]]);
  });

  test("an account root among other AWS principals admits the account", async () => {
    const stack = [admin("ops", { trust: doc(trustsAws([arnOf("security-team"), `arn:aws:iam::${ACCT}:root`])) }), reader("agent", [allow("sts:AssumeRole", arnOf("ops"))])];
    expect(await keys(stack)).toEqual(["can-assume:agent->ops"]);
  });

  test.each([ACCT, `arn:aws:iam::${ACCT}:root`, `arn:aws-cn:iam::${ACCT}:root`, `arn:aws-us-gov:iam::${ACCT}:root`])("the account principal %s admits the account", async (p) => {
    const stack = [admin("ops", { trust: doc(trustsAws(p)) }), reader("agent", [allow("sts:AssumeRole", arnOf("ops"))])];
    expect(await keys(stack)).toEqual(["can-assume:agent->ops"]);
  });

  test.each(["1234", `x${ACCT}`, `${ACCT}0`, `${ACCT}x`, "abcdefghijkl", `arn:aws:iam::${ACCT}:rootx`, `arn:aws:iam::${ACCT}:root/x`, `xarn:aws:iam::${ACCT}:root`, `arn:aws:iam::1234:root`, `arn:aws9:iam::${ACCT}:root`])(
    "%s is no account principal: sts:AssumeRole on the role is not reported",
    async (p) => {
      const stack = [admin("ops", { trust: doc(trustsAws(p)) }), reader("agent", [allow("sts:AssumeRole", arnOf("ops"))])];
      expect(await keys(stack)).toEqual([]);
    },
  );

  test("a trust statement without a Principal is skipped without error; the next statement still counts", async () => {
    const stack = [reader("agent"), admin("ops", { trust: doc({ Effect: "Allow", Action: "sts:AssumeRole" }, trustsAws(arnOf("agent"))) })];
    expect(await run(stack)).toStrictEqual([directFinding("ops", "agent", "ops")]);
  });

  test("a Deny statement naming the role does not admit it", async () => {
    const stack = [reader("agent"), admin("ops", { trust: doc({ ...trustsAws(arnOf("agent")), Effect: "Deny" }, trustsAws(arnOf("security-team"))) })];
    expect(await run(stack)).toStrictEqual([]);
  });
});

describe("how a trust admits a role", () => {
  test("a statement naming the role admits it when any of its actions covers sts:AssumeRole", async () => {
    const stack = [reader("agent"), admin("ops", { trust: doc(trustsAws(arnOf("agent"), ["sts:TagSession", "sts:AssumeRole"])) })];
    expect(await run(stack)).toStrictEqual([directFinding("ops", "agent", "ops")]);
  });

  test("a statement naming the role with actions that do not cover sts:AssumeRole does not admit it", async () => {
    const stack = [reader("agent"), admin("ops", { trust: doc(trustsAws(arnOf("agent"), "sts:TagSession")) })];
    expect(await run(stack)).toStrictEqual([]);
  });

  // Defect found by the mutation review: a NotAction trust statement was skipped (only Action was read).
  test("a NotAction statement naming the role admits it unless what it excludes covers sts:AssumeRole", async () => {
    const notAction = (NotAction: string | string[]) => ({ Effect: "Allow", Principal: { AWS: arnOf("agent") }, NotAction });
    expect(await run([reader("agent"), admin("ops", { trust: doc(notAction("sts:TagSession")) })])).toStrictEqual([directFinding("ops", "agent", "ops")]);
    expect(await run([reader("agent"), admin("ops", { trust: doc(notAction(["sts:TagSession", "sts:Assume*"])) })])).toStrictEqual([]);
  });

  test("a wildcard role pattern as principal names no role (IAM takes no wildcards there) and does not admit the account", async () => {
    const stack = [reader("agent", [allow("sts:AssumeRole", arnOf("ops"))]), admin("ops", { trust: doc(trustsAws(arnOf("*"))) })];
    expect(await run(stack)).toStrictEqual([]);
  });

  test("a trust whose AWS principal depends on a role's output names that role, and only that role", async () => {
    // The principal is a unique id the rule cannot resolve; the property dependency says whose it is.
    const stack = [
      reader("agent"),
      reader("other"),
      admin("ops", { trust: doc(trustsAws("AROAEXAMPLEUNIQUEID")), propertyDependencies: { assumeRolePolicy: [urnOf("other")] } }),
    ];
    expect(await run(stack)).toStrictEqual([directFinding("ops", "other", "ops")]);
  });

  test("a trust that depends on a role's output but admits only a service does not admit the role", async () => {
    // ci passes some role, so every role of the stack is checked as its target, ops included.
    const stack = [
      reader("ci", [allow("iam:PassRole", arnOf("runtime"))]),
      admin("ops", { trust: SERVICE_TRUST, propertyDependencies: { assumeRolePolicy: [urnOf("ci")] } }),
    ];
    expect(await run(stack)).toStrictEqual([]);
  });
});
