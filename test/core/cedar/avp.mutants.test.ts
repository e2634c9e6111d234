/**
 * Pins the exact observable behaviour of core/cedar/avp.ts that the adapter tests in
 * authorize.test.ts left loose: every Cedar JSON value shape's Verified Permissions AttributeValue
 * (booleans, entity references, a record key named `__entity` that is not a reference), the exact
 * error for a non-integer Long, the engine's name, and how an IsAuthorized response becomes an
 * EngineAnswer (missing fields, policy ids with no id, the id map, sort order, the error fallback
 * text, and "anything but ALLOW is a deny").
 */
import {
  toAttributeValue,
  verifiedPermissionsEngine,
  type AvpIsAuthorizedInput,
  type AvpIsAuthorizedOutput,
} from "../../../core/cedar/avp";
import type { CedarRequest } from "../../../core/cedar/request";

/** A client that answers every call with `out` and records what it was sent. */
function fixedClient(out: AvpIsAuthorizedOutput) {
  const calls: AvpIsAuthorizedInput[] = [];
  return {
    calls,
    client: {
      async isAuthorized(i: AvpIsAuthorizedInput): Promise<AvpIsAuthorizedOutput> {
        calls.push(i);
        return out;
      },
    },
  };
}

const REQUEST: CedarRequest = {
  principal: { type: "AssistantTools::Assistant", id: "pr-reviewer" },
  action: { type: "AssistantTools::Action", id: "db:query" },
  resource: { type: "AssistantTools::Database", id: "reports" },
  context: { readOnly: true, sessionAgeSeconds: 5 },
  entities: [{ uid: { type: "AssistantTools::Database", id: "reports" }, attrs: { name: "reports" }, parents: [] }],
};

const decide = (out: AvpIsAuthorizedOutput, policyIds?: Record<string, string>) =>
  verifiedPermissionsEngine({ client: fixedClient(out).client, policyStoreId: "PSstore123", policyIds }).decide(REQUEST);

describe("toAttributeValue: value shapes", () => {
  test("booleans become { boolean } with their value", () => {
    expect(toAttributeValue(true)).toStrictEqual({ boolean: true });
    expect(toAttributeValue(false)).toStrictEqual({ boolean: false });
  });

  test("booleans nested in sets and records are converted too", () => {
    expect(toAttributeValue([false, { ok: true }])).toStrictEqual({ set: [{ boolean: false }, { record: { ok: { boolean: true } } }] });
  });

  test("whole numbers become { long }", () => {
    expect(toAttributeValue(0)).toStrictEqual({ long: 0 });
    expect(toAttributeValue(-42)).toStrictEqual({ long: -42 });
  });

  test.each<[number, string]>([
    [1.5, "Cedar Long must be a whole number; got 1.5"],
    [2 ** 53, "Cedar Long must be a whole number; got 9007199254740992"],
    [Number.NaN, "Cedar Long must be a whole number; got NaN"],
  ])("a number that is not a safe integer (%p) is refused with the exact message", (n, message) => {
    expect(() => toAttributeValue(n)).toThrow(new Error(message));
  });

  test("an entity reference becomes { entityIdentifier } with its type and id", () => {
    expect(toAttributeValue({ __entity: { type: "AssistantTools::Assistant", id: "pr-reviewer" } })).toStrictEqual({
      entityIdentifier: { entityType: "AssistantTools::Assistant", entityId: "pr-reviewer" },
    });
  });

  test("an entity reference inside a record and a set stays an entity reference", () => {
    expect(toAttributeValue({ owner: { __entity: { type: "T::U", id: "u1" } }, all: [{ __entity: { type: "T::U", id: "u2" } }] })).toStrictEqual({
      record: {
        owner: { entityIdentifier: { entityType: "T::U", entityId: "u1" } },
        all: { set: [{ entityIdentifier: { entityType: "T::U", entityId: "u2" } }] },
      },
    });
  });

  test("a record key named __entity whose value is not an object is an ordinary record attribute", () => {
    expect(toAttributeValue({ __entity: "x" })).toStrictEqual({ record: { __entity: { string: "x" } } });
    expect(toAttributeValue({ __entity: 7, other: "y" })).toStrictEqual({ record: { __entity: { long: 7 }, other: { string: "y" } } });
  });

  test("a record without __entity is a record", () => {
    expect(toAttributeValue({ type: "T::U", id: "u1" })).toStrictEqual({ record: { type: { string: "T::U" }, id: { string: "u1" } } });
  });
});

describe("verifiedPermissionsEngine: identity and request", () => {
  test('the engine is named "verified-permissions"', () => {
    expect(verifiedPermissionsEngine({ client: fixedClient({}).client, policyStoreId: "PSstore123" }).name).toBe("verified-permissions");
  });

  test("each decision sends one IsAuthorized call with the store id and converted booleans", async () => {
    const { client, calls } = fixedClient({ decision: "ALLOW" });
    await verifiedPermissionsEngine({ client, policyStoreId: "PSstore123" }).decide(REQUEST);
    expect(calls).toStrictEqual([
      {
        policyStoreId: "PSstore123",
        principal: { entityType: "AssistantTools::Assistant", entityId: "pr-reviewer" },
        action: { actionType: "AssistantTools::Action", actionId: "db:query" },
        resource: { entityType: "AssistantTools::Database", entityId: "reports" },
        context: { contextMap: { readOnly: { boolean: true }, sessionAgeSeconds: { long: 5 } } },
        entities: {
          entityList: [
            { identifier: { entityType: "AssistantTools::Database", entityId: "reports" }, attributes: { name: { string: "reports" } }, parents: [] },
          ],
        },
      },
    ]);
  });
});

describe("verifiedPermissionsEngine: reading the response", () => {
  test("an ALLOW with no determiningPolicies and no errors fields is an allow with empty lists", async () => {
    await expect(decide({ decision: "ALLOW" })).resolves.toStrictEqual({ decision: "allow", policyIds: [], errors: [] });
  });

  test.each<[string, AvpIsAuthorizedOutput]>([
    ["DENY", { decision: "DENY", determiningPolicies: [], errors: [] }],
    ["no decision", { determiningPolicies: [], errors: [] }],
    ["lower-case allow", { decision: "allow", determiningPolicies: [], errors: [] }],
  ])('anything but an explicit ALLOW is "deny": %s', async (_n, out) => {
    await expect(decide(out)).resolves.toStrictEqual({ decision: "deny", policyIds: [], errors: [] });
  });

  test("determining policies are reported sorted (store ids as they are without a map)", async () => {
    await expect(decide({ decision: "ALLOW", determiningPolicies: [{ policyId: "SPc" }, { policyId: "SPa" }, { policyId: "SPb" }] })).resolves.toStrictEqual({
      decision: "allow",
      policyIds: ["SPa", "SPb", "SPc"],
      errors: [],
    });
  });

  test("determining policies without a policyId are dropped", async () => {
    await expect(decide({ decision: "DENY", determiningPolicies: [{}, { policyId: "SPa" }, {}] })).resolves.toStrictEqual({
      decision: "deny",
      policyIds: ["SPa"],
      errors: [],
    });
  });

  test("store ids are mapped back to generated ids, unknown ones kept, and the result sorted", async () => {
    const ids = { "permit-b": "SP1", "forbid-a": "SP2" };
    await expect(decide({ decision: "DENY", determiningPolicies: [{ policyId: "SP1" }, { policyId: "SP2" }, { policyId: "SP0" }] }, ids)).resolves.toStrictEqual({
      decision: "deny",
      policyIds: ["SP0", "forbid-a", "permit-b"],
      errors: [],
    });
  });

  test("service errors are reported in order; one without a description gets the fixed fallback text", async () => {
    await expect(decide({ decision: "DENY", errors: [{ errorDescription: "schema mismatch" }, {}] })).resolves.toStrictEqual({
      decision: "deny",
      policyIds: [],
      errors: ["schema mismatch", "unspecified Verified Permissions evaluation error"],
    });
  });
});
