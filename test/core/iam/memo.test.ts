import { memoised } from "../../../core/iam/memo";

describe("memoised", () => {
  test("computes each key once, including falsy results", () => {
    const calls: string[] = [];
    const f = memoised((k) => {
      calls.push(k);
      return k === "none" ? undefined : k.length === 0 ? 0 : k.length;
    });
    expect([f("ab"), f("ab"), f(""), f(""), f("none"), f("none")]).toEqual([2, 2, 0, 0, undefined, undefined]);
    expect(calls).toEqual(["ab", "", "none"]);
  });

  test("holds at most `limit` entries: when full it starts over, so older keys are computed again", () => {
    const calls: string[] = [];
    const f = memoised((k) => {
      calls.push(k);
      return k.toUpperCase();
    }, 2);
    f("a");
    f("b");
    f("a"); // still cached (2 entries)
    expect(calls).toEqual(["a", "b"]);
    f("c"); // full: cleared, then c stored
    f("c");
    f("a"); // computed again
    expect(calls).toEqual(["a", "b", "c", "a"]);
  });
});
