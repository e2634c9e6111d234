/**
 * Pins the exact ranks, reasons, grants and matches that mutation testing of core/iam/privilege.ts
 * and adminEquivalentReason (core/iam/escalation.ts) found unchecked by privilege.test.ts.
 */
import type { PolicyDocument } from "../../../core/iam/document";
import { adminEquivalentReason, ADMIN_EQUIVALENT_MANAGED_POLICIES, isAdminEquivalentManagedPolicyArn } from "../../../core/iam/escalation";
import { grantsOf, privilegeOf, rolePatternMatches } from "../../../core/iam/privilege";
import { allow, parsedDoc } from "../../support/iam-doc";

const ACCT = "123456789012";
const d = parsedDoc;
const BUCKET = "arn:aws:s3:::b/*";

describe("privilegeOf: exact ranks and reasons", () => {
  test("no documents and no managed ARNs (the default) grants nothing", () => {
    expect(privilegeOf([])).toEqual({ rank: 0, reason: "grants nothing" });
  });

  test("an admin-equivalent managed policy: rank 4, reason is the ARN then why", () => {
    const arn = "arn:aws:iam::aws:policy/AdministratorAccess";
    expect(privilegeOf([], [arn])).toEqual({ rank: 4, reason: `${arn} grants Action * on Resource *` });
  });

  test("an Allow with NotAction is admin: rank 4 with the not-action-allow message", () => {
    expect(privilegeOf([d({ Effect: "Allow", NotAction: "iam:*", Resource: "*" })])).toEqual({
      rank: 4,
      reason: 'Statement[0] must not Allow with NotAction (it grants every other action, including ones AWS adds later); got NotAction ["iam:*"]',
    });
  });

  test("a broad write finding that is not escalation stays rank 2 (only escalation findings make rank 3)", () => {
    // s3:PutObject on "*" gives a wildcard-resource-write finding, not an escalation one.
    expect(privilegeOf([d(allow("s3:PutObject"))])).toEqual({ rank: 2, reason: "grants write actions" });
  });

  test("one writing action among read actions makes the statement a write", () => {
    expect(privilegeOf([d(allow(["s3:GetObject", "s3:PutObject"], BUCKET))])).toEqual({ rank: 2, reason: "grants write actions" });
  });

  test("one writing statement among read statements makes the document a write", () => {
    expect(privilegeOf([d(allow("s3:PutObject", BUCKET), allow("s3:GetObject", BUCKET))])).toEqual({ rank: 2, reason: "grants write actions" });
  });

  test("a read Allow beside a Deny is still read", () => {
    const doc = d(allow("s3:GetObject", BUCKET), { Effect: "Deny", Action: "s3:PutObject", Resource: "*" });
    expect(privilegeOf([doc])).toEqual({ rank: 1, reason: "grants read actions only" });
  });

  test("a read-only AWS managed policy is read", () => {
    expect(privilegeOf([], ["arn:aws:iam::aws:policy/ReadOnlyAccess"])).toEqual({ rank: 1, reason: "grants read actions only" });
  });

  test("an AWS managed policy that writes (not admin-equivalent) is rank 2, named in the reason", () => {
    const arn = "arn:aws:iam::aws:policy/AmazonS3FullAccess";
    expect(privilegeOf([], ["arn:aws:iam::aws:policy/SecurityAudit", arn])).toEqual({ rank: 2, reason: `${arn} grants write actions` });
  });

  test("a customer managed policy cannot be read: rank 2, the first one named", () => {
    const p1 = `arn:aws:iam::${ACCT}:policy/p1`;
    expect(privilegeOf([], [p1, `arn:aws:iam::${ACCT}:policy/p2`])).toEqual({ rank: 2, reason: `${p1} is a customer policy this analysis cannot read` });
  });

  test("a document the identity analysis rejects is ranked from its own statements (NotAction Allow writes)", () => {
    // Type-valid but not parseable (unknown Version): analyzeIdentityPolicy gives only an
    // invalid-document finding, so privilegeOf's own statement walk decides.
    const notAction: PolicyDocument = { Version: "2099-01-01", Statement: [{ Effect: "Allow", NotAction: ["s3:GetObject"], Resource: ["*"] }] };
    expect(privilegeOf([notAction])).toEqual({ rank: 2, reason: "grants write actions" });
    const readOnly: PolicyDocument = { Version: "2099-01-01", Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: ["*"] }] };
    expect(privilegeOf([readOnly])).toEqual({ rank: 1, reason: "grants read actions only" });
  });
});

describe("grantsOf: exact grants", () => {
  test("a NotAction that names the action among others spares nothing: no grant", () => {
    const doc = d({ Effect: "Allow", NotAction: ["s3:*", "iam:PassRole"], Resource: "*" });
    expect(grantsOf(doc, "iam:PassRole")).toEqual([]);
  });

  test("an Action list grants when any one entry names the action", () => {
    const doc = d(allow(["s3:GetObject", "iam:PassRole"], `arn:aws:iam::${ACCT}:role/a`));
    expect(grantsOf(doc, "iam:PassRole")).toEqual([{ resources: [`arn:aws:iam::${ACCT}:role/a`], path: "Statement[0]", conditioned: false }]);
  });

  test("NotResource grants on every resource; a Condition marks the grant conditioned", () => {
    const doc = d(
      { Effect: "Allow", Action: "iam:PassRole", NotResource: `arn:aws:iam::${ACCT}:role/admin` },
      { Effect: "Allow", Action: "iam:PassRole", Resource: `arn:aws:iam::${ACCT}:role/a`, Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } } },
      allow("iam:PassRole", `arn:aws:iam::${ACCT}:role/b`),
    );
    expect(grantsOf(doc, "iam:PassRole")).toEqual([
      { resources: ["*"], path: "Statement[0]", conditioned: false },
      { resources: [`arn:aws:iam::${ACCT}:role/a`], path: "Statement[1]", conditioned: true },
      { resources: [`arn:aws:iam::${ACCT}:role/b`], path: "Statement[2]", conditioned: false },
    ]);
  });

  test("a statement without Resource (hand-built document) grants on every resource", () => {
    const doc: PolicyDocument = { Statement: [{ Effect: "Allow", Action: ["iam:PassRole"] }] };
    expect(grantsOf(doc, "iam:PassRole")).toEqual([{ resources: ["*"], path: "Statement[0]", conditioned: false }]);
  });
});

describe("rolePatternMatches: exact matches", () => {
  test.each<[string, object, boolean]>([
    // Whitespace around the pattern is ignored (ARN known, and name only).
    [`  arn:aws:iam::${ACCT}:role/admin  `, { name: "admin" }, true],
    [`  arn:aws:iam::${ACCT}:role/admin  `, { arn: `arn:aws:iam::${ACCT}:role/admin` }, true],
    // Patterns of wildcards only name every role; other leading-wildcard patterns and "" do not.
    ["**", {}, true],
    ["**", { name: "admin" }, true],
    ["*?", {}, true],
    ["*-deploy", { name: "admin" }, false],
    ["", { name: "admin" }, false],
    ["   ", {}, false],
    // Auto-named role (no name yet): the pattern must name every role of the path.
    [`arn:aws:iam::${ACCT}:role/?*`, {}, true],
    [`arn:aws:iam::${ACCT}:role/z*`, {}, false],
    [`arn:aws:iam::${ACCT}:role/zz-unnamed-role-7f3a`, {}, false],
    [`arn:aws:iam::${ACCT}:role/z*`, { name: "zeta" }, true],
  ])("%p vs %p → %p", (p, role, expected) => expect(rolePatternMatches(p, role)).toBe(expected));
});

describe("adminEquivalentReason: input hygiene", () => {
  test("surrounding whitespace is ignored", () => {
    expect(adminEquivalentReason("  arn:aws:iam::aws:policy/AdministratorAccess \n")).toBe(ADMIN_EQUIVALENT_MANAGED_POLICIES.get("AdministratorAccess"));
    expect(adminEquivalentReason(" arn:aws:iam::aws:policy/IAMFullAccess")).toBe(ADMIN_EQUIVALENT_MANAGED_POLICIES.get("IAMFullAccess"));
  });

  test("a non-string (an unresolved or malformed input) is not admin-equivalent and does not throw", () => {
    for (const v of [undefined, null, 42, { arn: "arn:aws:iam::aws:policy/AdministratorAccess" }, ["arn:aws:iam::aws:policy/AdministratorAccess"]]) {
      expect(adminEquivalentReason(v as unknown as string)).toBeUndefined();
      expect(isAdminEquivalentManagedPolicyArn(v as unknown as string)).toBe(false);
    }
  });
});

