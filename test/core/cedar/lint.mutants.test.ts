/**
 * Pins the exact observable behaviour of core/cedar/lint.ts that lint.test.ts left loose: the full
 * message/fix/key of each finding kind (principal, resource, action, parse error), the 300-character
 * truncation of the reported value (policy text and unparsable statement), which constraints and
 * `when` conditions count as scoping (is … in …, conditions reading the variable inside a set
 * literal, conditions that read a different variable), a null validation mode, and a Policy without
 * a definition. Runs the real Cedar parser (@cedar-policy/cedar-wasm).
 */
import { lintCedarPolicy, lintPolicyStore, lintVerifiedPermissionsPolicy } from "../../../core/cedar/lint";

const PRINCIPAL_MSG_HEAD = "must scope a permit to a principal (principal == …, principal in …, or a when condition on principal); got ";
const PRINCIPAL_FIX = 'name the principal (permit (principal == Ns::Assistant::"name", …)), as the generated policies do';
const RESOURCE_MSG_HEAD = "must scope a permit to a resource (resource == …, resource in …, or a when condition on resource); got ";
const RESOURCE_FIX = 'name the target (resource == Ns::Type::"id"), or use resource is Ns::Type with a when condition on its attributes (bucket, key prefix, host)';
const ACTION_MSG = "must scope a permit to named actions (action == … or action in [...]); got any action";
const ACTION_FIX = 'name the action (action == Ns::Action::"github:comment")';
const PARSE_FIX = "fix the policy text (cedar-wasm checkParsePolicySet or the Cedar CLI shows where)";

/** A policy (or policy-like text) padded inside a string literal to exactly `length` characters. */
function padded(head: string, tail: string, length: number): string {
  const pad = length - head.length - tail.length;
  if (pad < 0) throw new Error(`cannot pad to ${length}`);
  const text = `${head}${"x".repeat(pad)}${tail}`;
  expect(text).toHaveLength(length);
  return text;
}

describe("lintCedarPolicy: exact findings per kind", () => {
  test("a blanket permit: full principal, resource and action findings", () => {
    const text = "permit (principal, action, resource);";
    expect(lintCedarPolicy(text)).toEqual([
      { message: `${PRINCIPAL_MSG_HEAD}any principal`, path: "statement", value: text, fix: PRINCIPAL_FIX, key: "Principal::All" },
      { message: `${RESOURCE_MSG_HEAD}any resource`, path: "statement", value: text, fix: RESOURCE_FIX, key: "Resource::All" },
      { message: ACTION_MSG, path: "statement", value: text, fix: ACTION_FIX, key: "Action::All" },
    ]);
  });

  test("a permit scoped by entity type only: the messages name the types", () => {
    const text = 'permit (principal is A::Assistant, action == A::Action::"s3:read", resource is A::S3Object);';
    expect(lintCedarPolicy(text, "policy")).toEqual([
      { message: `${PRINCIPAL_MSG_HEAD}principal is A::Assistant`, path: "policy", value: text, fix: PRINCIPAL_FIX, key: "Principal::is:A::Assistant" },
      { message: `${RESOURCE_MSG_HEAD}resource is A::S3Object`, path: "policy", value: text, fix: RESOURCE_FIX, key: "Resource::is:A::S3Object" },
    ]);
  });

  test("text that does not parse: full parse-error finding with the parser's message", () => {
    const text = "permit (principal action resource);";
    expect(lintCedarPolicy(text)).toEqual([
      { message: "must be valid Cedar; got a parse error: unexpected token `action`", path: "statement", value: text, fix: PARSE_FIX, key: "Parse" },
    ]);
  });
});

describe("lintCedarPolicy: what scopes a permit", () => {
  test("`is … in …` scopes principal and resource (no findings)", () => {
    expect(lintCedarPolicy('permit (principal is A::Assistant in A::Team::"t", action == A::Action::"y", resource is A::Doc in A::Folder::"f");')).toEqual([]);
  });

  test("a when condition on principal scopes the principal", () => {
    expect(lintCedarPolicy('permit (principal, action == A::Action::"y", resource == A::Doc::"d") when { principal.team == "t" };')).toEqual([]);
  });

  test("a when condition that reads only principal does not scope the resource", () => {
    const text = 'permit (principal == A::Assistant::"x", action == A::Action::"y", resource) when { principal.team == "t" };';
    expect(lintCedarPolicy(text)).toEqual([
      { message: `${RESOURCE_MSG_HEAD}any resource`, path: "statement", value: text, fix: RESOURCE_FIX, key: "Resource::All" },
    ]);
  });

  test("a when condition reading resource inside a set literal (next to a constant) scopes the resource", () => {
    expect(lintCedarPolicy('permit (principal == A::Assistant::"x", action == A::Action::"y", resource) when { [resource.bucket, "b"].contains("b") };')).toEqual([]);
  });

  test("a when condition with an empty set literal and no resource does not scope the resource", () => {
    const text = 'permit (principal == A::Assistant::"x", action == A::Action::"y", resource) when { [].isEmpty() };';
    expect(lintCedarPolicy(text)).toEqual([
      { message: `${RESOURCE_MSG_HEAD}any resource`, path: "statement", value: text, fix: RESOURCE_FIX, key: "Resource::All" },
    ]);
  });
});

describe("lintCedarPolicy: the reported value is cut at 300 characters", () => {
  const HEAD = 'permit (principal == A::Assistant::"x", action == A::Action::"y", resource) when { context.note == "';
  const TAIL = '" };';

  test("a 300-character policy is reported whole", () => {
    const text = padded(HEAD, TAIL, 300);
    expect(lintCedarPolicy(text)).toEqual([
      { message: `${RESOURCE_MSG_HEAD}any resource`, path: "statement", value: text, fix: RESOURCE_FIX, key: "Resource::All" },
    ]);
  });

  test("a 301-character policy is reported as its first 297 characters and ...", () => {
    const text = padded(HEAD, TAIL, 301);
    const value = `${HEAD}${"x".repeat(297 - HEAD.length)}...`;
    expect(value).toHaveLength(300);
    expect(lintCedarPolicy(text)).toEqual([
      { message: `${RESOURCE_MSG_HEAD}any resource`, path: "statement", value, fix: RESOURCE_FIX, key: "Resource::All" },
    ]);
  });

  const BAD_HEAD = 'permit (principal action resource) when { context.note == "';

  test("a 300-character unparsable statement is reported whole", () => {
    const text = padded(BAD_HEAD, TAIL, 300);
    expect(lintCedarPolicy(text)).toEqual([
      { message: "must be valid Cedar; got a parse error: unexpected token `action`", path: "statement", value: text, fix: PARSE_FIX, key: "Parse" },
    ]);
  });

  test("a 301-character unparsable statement is reported as its first 297 characters and ...", () => {
    const text = padded(BAD_HEAD, TAIL, 301);
    const value = `${BAD_HEAD}${"x".repeat(297 - BAD_HEAD.length)}...`;
    expect(value).toHaveLength(300);
    expect(lintCedarPolicy(text)).toEqual([
      { message: "must be valid Cedar; got a parse error: unexpected token `action`", path: "statement", value, fix: PARSE_FIX, key: "Parse" },
    ]);
  });
});

describe("lintPolicyStore: a null mode is missing validation settings", () => {
  test("mode null: path validationSettings, value null, key missing", () => {
    expect(lintPolicyStore({ validationSettings: { mode: null } })).toEqual([
      {
        message: "must validate policies against the schema (validationSettings.mode STRICT); got no validation settings",
        path: "validationSettings",
        value: null,
        fix: 'set validationSettings: { mode: "STRICT" } and provision a schema (aws.verifiedpermissions.Schema) before the policies',
        key: "ValidationMode::missing",
      },
    ]);
  });
});

describe("lintVerifiedPermissionsPolicy: no definition", () => {
  test("a Policy without a definition (missing or null) has no findings", () => {
    expect(lintVerifiedPermissionsPolicy({ policyStoreId: "PS1" })).toEqual([]);
    expect(lintVerifiedPermissionsPolicy({ definition: null })).toEqual([]);
  });
});
