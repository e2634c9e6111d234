/**
 * Pins the exact observable behaviour of policies/rules/assistant-identity-hygiene.ts that the
 * fixtures (which check keys and paths only) leave loose: each finding kind's full
 * message/path/value/fix/key with its level and outcome, the configurable tag names in those texts,
 * `requirePermissionsBoundary: false`, an empty permissionsBoundary counting as none, that only
 * roles (not other toolkit-managed identities) need a boundary / owner / expiry, and the exact
 * instant an `ai-expires` day has passed (midnight UTC after it).
 */
import { policies } from "../../../policies/list";
import { runPolicies, InputResource } from "../../../policies/harness";

const NOW = new Date("2026-11-15T12:00:00Z");
const ROLE = "aws:iam/role:Role";
const USER = "aws:iam/user:User";
const POLICY = "aws:iam/policy:Policy";
const OIDC = "aws:iam/openIdConnectProvider:OpenIdConnectProvider";
const AWS_SECRET = "aws:secretsmanager/secret:Secret";
const GCP_SECRET = "gcp:secretmanager/secret:Secret";
const BOUNDARY = "arn:aws:iam::123456789012:policy/ai-boundary";
const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const MANAGED = { "managed-by": "assistant-identities" };
const urnOf = (type: string, name: string) => `urn:pulumi:stack::project::${type}::${name}`;

const pack = policies.filter((p) => p.name === "assistant-identity-hygiene");

/** The rule's violations through the harness: who, level, outcome and the structured finding. */
async function check(resources: InputResource[], opts: { config?: Record<string, unknown>; now?: Date } = {}) {
  const vs = await runPolicies(pack, resources, { now: opts.now ?? NOW, config: opts.config ? { "assistant-identity-hygiene": opts.config } : undefined });
  return vs.map((v) => ({ urn: v.urn, enforcementLevel: v.enforcementLevel, outcome: v.outcome, finding: v.finding }));
}
const found = (urn: string, finding: Record<string, unknown>) => ({ urn, enforcementLevel: "advisory", outcome: "finding", finding });

/** A role with the toolkit's trust policy and the given extra props (tags, permissionsBoundary). */
const role = (name: string, props: Record<string, unknown>): InputResource => ({ type: ROLE, name, props: { assumeRolePolicy: TRUST, ...props } });

const NO_BOUNDARY = {
  message: "must have a permissions boundary; got none",
  path: "permissionsBoundary",
  fix: "set permissionsBoundary to the toolkit's boundary policy ARN",
  key: "no-permissions-boundary",
};
const NO_OWNER = {
  message: "must name an owner in tag ai-owner; got none",
  path: 'tags["ai-owner"]',
  fix: "tag ai-owner with the accountable team or person",
  key: "no-owner-tag",
};
const NO_EXPIRY = {
  message: "must carry an expiry date in tag ai-expires; got none",
  path: 'tags["ai-expires"]',
  fix: "tag ai-expires with the last day the identity is needed (YYYY-MM-DD)",
  key: "no-expiry-tag",
};

describe("toolkit-managed roles: boundary, owner and expiry", () => {
  test("a bare managed role gets the three findings with their exact message, path, fix and key", async () => {
    expect(await check([role("bare", { tags: MANAGED })])).toStrictEqual([
      found(urnOf(ROLE, "bare"), NO_BOUNDARY),
      found(urnOf(ROLE, "bare"), NO_OWNER),
      found(urnOf(ROLE, "bare"), NO_EXPIRY),
    ]);
  });

  test("an empty permissionsBoundary counts as none", async () => {
    const tags = { ...MANAGED, "ai-owner": "platform-team", "ai-expires": "2027-01-01" };
    expect(await check([role("empty", { permissionsBoundary: "", tags })])).toStrictEqual([found(urnOf(ROLE, "empty"), NO_BOUNDARY)]);
  });

  test("a non-empty permissionsBoundary satisfies the boundary check", async () => {
    const tags = { ...MANAGED, "ai-owner": "platform-team", "ai-expires": "2027-01-01" };
    expect(await check([role("ok", { permissionsBoundary: BOUNDARY, tags })])).toStrictEqual([]);
  });

  test("requirePermissionsBoundary: false drops only the boundary finding", async () => {
    expect(await check([role("bare", { permissionsBoundary: "", tags: MANAGED })], { config: { requirePermissionsBoundary: false } })).toStrictEqual([
      found(urnOf(ROLE, "bare"), NO_OWNER),
      found(urnOf(ROLE, "bare"), NO_EXPIRY),
    ]);
  });

  test("custom ownerTag / expiresTag appear in the owner and expiry messages, paths and fixes", async () => {
    const config = { ownerTag: "team", expiresTag: "sunset" };
    expect(await check([role("bare", { permissionsBoundary: BOUNDARY, tags: { ...MANAGED, "ai-owner": "x", "ai-expires": "2027-01-01" } })], { config })).toStrictEqual([
      found(urnOf(ROLE, "bare"), {
        message: "must name an owner in tag team; got none",
        path: 'tags["team"]',
        fix: "tag team with the accountable team or person",
        key: "no-owner-tag",
      }),
      found(urnOf(ROLE, "bare"), {
        message: "must carry an expiry date in tag sunset; got none",
        path: 'tags["sunset"]',
        fix: "tag sunset with the last day the identity is needed (YYYY-MM-DD)",
        key: "no-expiry-tag",
      }),
    ]);
  });

  test("an unmanaged role is not held to the toolkit's tagging", async () => {
    expect(await check([role("legacy", { tags: { "managed-by": "terraform" } })])).toStrictEqual([]);
  });
});

describe("only roles need a boundary, an owner and an expiry", () => {
  test.each([USER, POLICY, OIDC, AWS_SECRET])("a managed %s with no boundary, owner or expiry has no finding", async (type) => {
    expect(await check([{ type, name: "managed", props: { tags: MANAGED } }])).toStrictEqual([]);
  });
});

describe("ai-expires: every identity and secret type carries it", () => {
  test.each([ROLE, USER, POLICY, OIDC, AWS_SECRET])("an expired %s is reported", async (type) => {
    const keys = (await check([{ type, name: "old", props: { ...(type === ROLE ? { assumeRolePolicy: TRUST } : {}), tags: { "ai-expires": "2026-01-31" } } }])).map((v) => v.finding?.key);
    expect(keys).toEqual(["expired"]);
  });

  test("a type outside the rule's list is not read", async () => {
    expect(await check([{ type: "aws:s3/bucket:Bucket", name: "b", props: { tags: { "ai-expires": "2026-01-31" } } }])).toStrictEqual([]);
  });
});

describe("ai-expires: malformed dates", () => {
  test("a value that is not YYYY-MM-DD is reported with its JSON-quoted value", async () => {
    expect(await check([{ type: GCP_SECRET, name: "bad", props: { secretId: "y", labels: { "ai-expires": "next-june" } } }])).toStrictEqual([
      found(urnOf(GCP_SECRET, "bad"), {
        message: 'must be a date YYYY-MM-DD; got "next-june"',
        path: 'labels["ai-expires"]',
        value: "next-june",
        fix: "write the expiry as YYYY-MM-DD",
        key: "bad-expiry-date",
      }),
    ]);
  });
});

describe("ai-expires: the day has passed at midnight UTC after it", () => {
  const user = (expires: string): InputResource => ({ type: USER, name: "u", props: { tags: { "ai-expires": expires } } });

  test("the last millisecond of the expiry day is still valid", async () => {
    expect(await check([user("2026-11-15")], { now: new Date("2026-11-15T23:59:59.999Z") })).toStrictEqual([]);
  });

  test("midnight UTC after the expiry day is expired, with today's date in the message", async () => {
    expect(await check([user("2026-11-15")], { now: new Date("2026-11-16T00:00:00.000Z") })).toStrictEqual([
      found(urnOf(USER, "u"), {
        message: "must not be deployed after its expiry; got ai-expires 2026-11-15, which has passed (today 2026-11-16)",
        path: 'tags["ai-expires"]',
        value: "2026-11-15",
        fix: "offboard the identity (delete it and its grants) or, if still needed, renew the expiry with its owner's approval",
        key: "expired",
      }),
    ]);
  });

  test("a custom expiresTag is the tag read and named for expiry", async () => {
    const r: InputResource = { type: USER, name: "u", props: { tags: { sunset: "2026-01-31", "ai-expires": "2020-01-01" } } };
    expect(await check([r], { config: { expiresTag: "sunset" } })).toStrictEqual([
      found(urnOf(USER, "u"), {
        message: "must not be deployed after its expiry; got sunset 2026-01-31, which has passed (today 2026-11-15)",
        path: 'tags["sunset"]',
        value: "2026-01-31",
        fix: "offboard the identity (delete it and its grants) or, if still needed, renew the expiry with its owner's approval",
        key: "expired",
      }),
    ]);
  });
});
