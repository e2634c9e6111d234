import type { PolicyDocument } from "../../../core/iam/document";
import { grantsOf, privilegeOf, rolePatternMatches } from "../../../core/iam/privilege";
import { allow, parsedDoc } from "../../support/iam-doc";

const ACCT = "123456789012";
const d = parsedDoc;

describe("privilegeOf", () => {
  test.each<[string, PolicyDocument[], string[], number]>([
    ["nothing", [], [], 0],
    ["read", [d(allow("s3:GetObject", "arn:aws:s3:::b/*"))], [], 1],
    ["ReadOnlyAccess", [], ["arn:aws:iam::aws:policy/ReadOnlyAccess"], 1],
    ["write", [d(allow("s3:PutObject", "arn:aws:s3:::b/*"))], [], 2],
    ["scoped PassRole is a write", [d(allow("iam:PassRole", `arn:aws:iam::${ACCT}:role/x`))], [], 2],
    ["an unreadable customer policy counts as write", [], [`arn:aws:iam::${ACCT}:policy/p`], 2],
    ["escalation", [d(allow("iam:PassRole"))], [], 3],
    ["iam:*", [d(allow("iam:*", `arn:aws:iam::${ACCT}:role/x`))], [], 3],
    ["admin document", [d(allow("*"))], [], 4],
    ["AdministratorAccess", [], ["arn:aws:iam::aws:policy/AdministratorAccess"], 4],
    ["Deny only", [d({ Effect: "Deny", Action: "*", Resource: "*" })], [], 0],
  ])("%s", (_n, docs, arns, rank) => expect(privilegeOf(docs, arns).rank).toBe(rank));
});

describe("grantsOf", () => {
  test("an AWS-managed ARN with spaces around it is still read as AWS-managed", () => {
    expect(privilegeOf([], [" arn:aws:iam::aws:policy/ReadOnlyAccess "])).toEqual({ rank: 1, reason: "grants read actions only" });
  });

  test("finds exact, wildcard and NotAction grants, not Deny", () => {
    const doc = d(
      allow("iam:PassRole", `arn:aws:iam::${ACCT}:role/a`),
      allow("iam:Pass*", `arn:aws:iam::${ACCT}:role/b`),
      { Effect: "Allow", NotAction: "s3:*", Resource: "*" },
      { Effect: "Allow", NotAction: "iam:*", Resource: "*" },
      { Effect: "Deny", Action: "iam:PassRole", Resource: "*" },
      allow("s3:GetObject"),
    );
    expect(grantsOf(doc, "iam:PassRole").map((g) => [g.path, g.resources])).toEqual([
      ["Statement[0]", [`arn:aws:iam::${ACCT}:role/a`]],
      ["Statement[1]", [`arn:aws:iam::${ACCT}:role/b`]],
      ["Statement[2]", ["*"]],
    ]);
  });

  test("matches the service part as AWS does: any case, spaces around it, wildcards in it", () => {
    const doc = d(allow(" IAM :PassRole", "r0"), allow("i?m:Pass*", "r1"), allow("*:PassRole", "r2"), allow("ia*:passrole", "r3"), allow("sts:PassRole", "r4"), allow("iamx:PassRole", "r5"), allow("s3:*", "r6"));
    expect(grantsOf(doc, "iam:PassRole").map((g) => g.resources[0])).toEqual(["r0", "r1", "r2", "r3"]);
    expect(grantsOf(doc, "sts:AssumeRole")).toEqual([]);
  });
});

describe("rolePatternMatches", () => {
  test.each<[string, object, boolean]>([
    ["*", {}, true],
    [`arn:aws:iam::${ACCT}:role/admin`, { name: "admin" }, true],
    [`arn:aws:iam::${ACCT}:role/admin`, { name: "deploy" }, false],
    [`arn:aws:iam::${ACCT}:role/app-*`, { name: "app-admin" }, true],
    [`arn:aws:iam::${ACCT}:role/app-*`, {}, false],
    [`arn:aws:iam::${ACCT}:role/*`, {}, true],
    [`arn:aws:iam::*:role/ops/admin`, { name: "admin", path: "/ops/" }, true],
    [`arn:aws:iam::${ACCT}:role/admin`, { arn: `arn:aws:iam::${ACCT}:role/admin` }, true],
    [`arn:aws:iam::${ACCT}:role/admin`, { arn: `arn:aws:iam::999999999999:role/admin` }, false],
    // A role known by name only is named by any pattern that admits its ARN in the pattern's account
    // (these three were missed: the pattern had to start with "arn:…:role/").
    [`arn:aws:iam::${ACCT}:*`, { name: "admin" }, true],
    [`arn:aws:iam::${ACCT}:role*`, { name: "admin" }, true],
    [`*arn:aws:iam::${ACCT}:role/admin`, { name: "admin" }, true],
    [`arn:aws:iam::${ACCT}:*`, {}, true],
    [`arn:aws:iam::${ACCT}:user/*`, { name: "admin" }, false],
    [`arn:aws:iam::${ACCT}:role/ops/*`, { name: "admin" }, false],
    [`arn:aws:iam::${ACCT}:role/ops/*`, { name: "admin", path: "/ops/" }, true],
    // "?" is one character: it names no role ARN.
    ["?", {}, false],
    ["??", { name: "admin" }, false],
    ["*", {}, true],
    ["arn:aws:s3:::bucket/*", { name: "admin" }, false],
  ])("%s vs %p → %p", (p, role, expected) => expect(rolePatternMatches(p, role)).toBe(expected));
});
