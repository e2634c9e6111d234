/**
 * Pins the exact observable behaviour of core/credentials/schedule.ts that the broader plan tests
 * left loose: the RFC 3339 (seconds) formatting of `iso`, the rejection of non-positive or
 * fractional rotation periods with its exact message, the smallest period (1 day), the grid offset
 * direction, the inclusive minimum-lead boundary, and the complete two-key rotation (both slots'
 * periods, the newest slot, the secret version).
 *
 * The module is loaded inside each test (jest.isolateModules) because `iso` and ROTATION_EPOCH are
 * built at import time.
 */
import type * as ScheduleModule from "../../../core/credentials/schedule";

const loadSchedule = (): typeof ScheduleModule => {
  let m: typeof ScheduleModule | undefined;
  jest.isolateModules(() => {
    m = require("../../../core/credentials/schedule");
  });
  return m!;
};

/** 2026-12-01T00:00:00Z: 334 days after the grid's origin (2026-01-01). */
const NOW = new Date("2026-12-01T00:00:00Z");

describe("iso and the grid origin", () => {
  test("iso formats milliseconds as RFC 3339 in UTC without fractional seconds", () => {
    const { iso, ROTATION_EPOCH } = loadSchedule();
    expect(ROTATION_EPOCH).toBe(1767225600000);
    expect(iso(1767225600000)).toBe("2026-01-01T00:00:00Z");
    expect(iso(Date.UTC(2026, 6, 4, 12, 34, 56, 789))).toBe("2026-07-04T12:34:56Z");
  });
});

describe("rotationSchedule: rotationDays validation", () => {
  test.each<[number, string]>([
    [0, "rotationDays must be a positive whole number; got 0"],
    [-3, "rotationDays must be a positive whole number; got -3"],
    [1.5, "rotationDays must be a positive whole number; got 1.5"],
    [Number.NaN, "rotationDays must be a positive whole number; got NaN"],
  ])("rotationDays %p is refused with the exact message", (days, message) => {
    const { rotationSchedule } = loadSchedule();
    expect(() => rotationSchedule(days, NOW)).toThrow(new Error(message));
  });

  test("one day, the shortest period, is accepted: a daily grid", () => {
    const { rotationSchedule } = loadSchedule();
    expect(rotationSchedule(1, NOW)).toStrictEqual({ rotationDays: 1, generation: 334, periodStart: "2026-12-01T00:00:00Z", next: "2026-12-02T00:00:00Z" });
    expect(rotationSchedule(1, new Date("2026-12-01T13:00:00Z"))).toStrictEqual({ rotationDays: 1, generation: 334, periodStart: "2026-12-01T00:00:00Z", next: "2026-12-02T00:00:00Z" });
  });
});

describe("rotationSchedule: grid offset and minimum lead", () => {
  test("offsetDays moves the grid's origin later (2026-01-11 for 10 days)", () => {
    const { rotationSchedule } = loadSchedule();
    expect(rotationSchedule(30, NOW, { offsetDays: 10 })).toStrictEqual({ rotationDays: 30, generation: 10, periodStart: "2026-11-07T00:00:00Z", next: "2026-12-07T00:00:00Z" });
  });

  test("a grid point exactly minLeadSeconds away is still the next rotation; one second less moves it a period on", () => {
    const { rotationSchedule } = loadSchedule();
    expect(rotationSchedule(30, new Date("2026-12-26T23:55:00Z"), { minLeadSeconds: 300 })).toStrictEqual({
      rotationDays: 30,
      generation: 11,
      periodStart: "2026-11-27T00:00:00Z",
      next: "2026-12-27T00:00:00Z",
    });
    expect(rotationSchedule(30, new Date("2026-12-26T23:55:01Z"), { minLeadSeconds: 300 }).next).toBe("2027-01-26T00:00:00Z");
  });
});

describe("keyRotation: the complete two-key plan", () => {
  test("slot b's key is the newer one: both slots live 60 days, secret version 12", () => {
    const { keyRotation } = loadSchedule();
    expect(keyRotation(30, NOW)).toStrictEqual({
      slots: [
        { slot: "a", rotationDays: 60, rfc3339: "2026-10-28T00:00:00Z", nextRotation: "2026-12-27T00:00:00Z" },
        { slot: "b", rotationDays: 60, rfc3339: "2026-11-27T00:00:00Z", nextRotation: "2027-01-26T00:00:00Z" },
      ],
      current: "b",
      secretVersion: 12,
      nextRotation: "2026-12-27T00:00:00Z",
    });
  });

  test("after slot a is replaced on 2026-12-27 it is the newer one: secret version 13", () => {
    const { keyRotation } = loadSchedule();
    expect(keyRotation(30, new Date("2026-12-28T00:00:00Z"))).toStrictEqual({
      slots: [
        { slot: "a", rotationDays: 60, rfc3339: "2026-12-27T00:00:00Z", nextRotation: "2027-02-25T00:00:00Z" },
        { slot: "b", rotationDays: 60, rfc3339: "2026-11-27T00:00:00Z", nextRotation: "2027-01-26T00:00:00Z" },
      ],
      current: "a",
      secretVersion: 13,
      nextRotation: "2027-01-26T00:00:00Z",
    });
  });
});
