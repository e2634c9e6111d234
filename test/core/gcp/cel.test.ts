import { celString, checkCondition, evaluate, evaluateAttributeCondition, evaluateIamCondition, assertParses } from "../../../core/gcp/cel";

describe("celString", () => {
  test.each([
    ["plain", "prod"],
    ["quote injection", "prod' || true || '"],
    ["backslash", "a\\' || true || '\\"],
    ["newline", "a\nb"],
    ["unicode", "prod-é"],
  ])("%s: the literal evaluates back to the exact value", (_n, v) => {
    expect(evaluate(`x == ${celString(v)}`, { x: v }).admitted).toBe(true);
    expect(evaluate(`x == ${celString(v)}`, { x: "other" }).admitted).toBe(false);
  });

  test("an injection attempt stays one literal (a different value is not admitted)", () => {
    const cond = `assertion.environment == ${celString("prod' || true || '")}`;
    expect(evaluateAttributeCondition(cond, { environment: "dev" }).admitted).toBe(false);
  });
});

describe("evaluation semantics follow GCP: only `true` admits", () => {
  test("a missing claim is an error and rejects", () => {
    const e = evaluateAttributeCondition("assertion.environment == 'prod'", { ref: "refs/heads/main" });
    expect(e.admitted).toBe(false);
    expect(e.error).toMatch(/environment/);
  });
  test("a non-boolean result rejects", () => {
    expect(evaluateAttributeCondition("assertion.sub", { sub: "x" })).toEqual({ admitted: false, value: "x" });
  });
  test("a condition that does not parse throws with the condition in the message", () => {
    expect(() => assertParses("assertion.sub == ")).toThrow(/does not parse.*assertion\.sub ==/);
  });
  test("IAM conditions see request.time as a timestamp", () => {
    const c = "request.time < timestamp('2027-01-01T00:00:00Z')";
    expect(evaluateIamCondition(c, new Date("2026-12-31T23:59:59Z")).admitted).toBe(true);
    expect(evaluateIamCondition(c, new Date("2027-01-01T00:00:00Z")).admitted).toBe(false);
  });
});

test("checkCondition names the fixtures that came out otherwise than expected", () => {
  const r = checkCondition("assertion.repository_owner_id == '1'", [
    { name: "good", claims: { repository_owner_id: "1", repository_id: "2" }, expect: "admit" },
    { name: "bad: another repository", claims: { repository_owner_id: "1", repository_id: "3" }, expect: "reject" },
  ]);
  expect(r.ok).toBe(false);
  expect(r.failures.map((f) => f.name)).toEqual(["bad: another repository"]);
});
