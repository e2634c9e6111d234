/**
 * Pins the exact observable behaviour of core/credentials/common.ts that plan.test.ts left loose:
 * `instant` (a module-level arrow function, so the module is loaded inside the tests) and
 * `accessEndDay` choosing the assistant's expiry when it comes before the exception's end (the spec
 * forbids that order, so no plan test reaches it; the function's contract still says "the earlier").
 */
import { accessEndDay, credentialPlanBase } from "../../../core/credentials/common";
import { StaticCredential } from "../../../core/spec/credentials";
import { credential } from "./fixtures";

const NOW = new Date("2026-12-01T00:00:00Z");
const parse = (over: Record<string, unknown> = {}) => StaticCredential.parse(credential(over));

type CommonModule = typeof import("../../../core/credentials/common");
/**
 * The module's imports, shared with the fresh copy: only common.ts itself is evaluated again inside a
 * test (re-evaluating core/spec/credentials would re-run core/iam's module-level tables too, and
 * mutation testing would count those as covered by tests that check none of them).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const SHARED: Record<string, unknown> = {
  "../../../core/spec/credentials": require("../../../core/spec/credentials"),
  "../../../core/credentials/schedule": require("../../../core/credentials/schedule"),
};
/* eslint-enable @typescript-eslint/no-require-imports */
/** A fresh copy of the module, so its module-level definitions are evaluated inside the test. */
const freshModule = (): CommonModule => {
  let m: CommonModule | undefined;
  jest.isolateModules(() => {
    for (const [path, instance] of Object.entries(SHARED)) jest.doMock(path, () => instance);
    m = require("../../../core/credentials/common");
  });
  return m!;
};

describe("instant", () => {
  test("is 00:00Z of the day, as RFC 3339", () => {
    const m = freshModule();
    expect(m.instant("2027-03-01")).toBe("2027-03-01T00:00:00Z");
  });

  test("credentialPlanBase's accessEndsAt is 00:00Z of the access end day (fresh module)", () => {
    const m = freshModule();
    expect(m.credentialPlanBase(parse(), { expires: "2027-05-31", revoked: false }, NOW).accessEndsAt).toBe("2027-03-01T00:00:00Z");
  });
});

describe("accessEndDay: the earlier of the exception's end and the assistant's expiry", () => {
  test.each<[string, string, string]>([
    // exceptionExpires, assistant.expires, expected
    ["2027-03-01", "2027-05-31", "2027-03-01"],
    ["2027-06-30", "2027-05-31", "2027-05-31"],
    ["2027-05-31", "2027-05-31", "2027-05-31"],
  ])("exception ends %s, assistant expires %s → %s", (exceptionExpires, expires, expected) => {
    expect(accessEndDay({ exceptionExpires }, { expires })).toBe(expected);
  });

  test("an assistant expiring before the exception ends cuts access at its own expiry (accessEndsAt)", () => {
    const base = credentialPlanBase(parse({ exceptionExpires: "2027-03-01" }), { expires: "2027-01-15", revoked: false }, NOW);
    expect(base.accessEndsAt).toBe("2027-01-15T00:00:00Z");
    expect(base.exceptionExpires).toBe("2027-03-01");
    expect(base.disabled).toBe(false);
  });
});
