/** lintPolicyStore / lintCedarPolicy / lintVerifiedPermissionsPolicy on good and bad inputs. */
import { compileToolPolicies, lintCedarPolicy, lintPolicyStore, lintVerifiedPermissionsPolicy } from "../../../core/cedar";
import { DATA_ANALYST, PR_REVIEWER } from "./examples";

const keys = (fs: { key?: string }[]) => fs.map((f) => f.key);

describe("lintPolicyStore", () => {
  test("STRICT passes", () => {
    expect(lintPolicyStore({ validationSettings: { mode: "STRICT" } })).toEqual([]);
  });
  test("OFF is a finding with path, value and fix", () => {
    expect(lintPolicyStore({ validationSettings: { mode: "OFF" } })).toEqual([
      {
        message: 'must validate policies against the schema (validationSettings.mode STRICT); got "OFF"',
        path: "validationSettings.mode",
        value: "OFF",
        fix: 'set validationSettings: { mode: "STRICT" } and provision a schema (aws.verifiedpermissions.Schema) before the policies',
        key: "ValidationMode::OFF",
      },
    ]);
  });
  test("missing validation settings, or a lower-case mode, are findings", () => {
    expect(keys(lintPolicyStore({}))).toEqual(["ValidationMode::missing"]);
    expect(lintPolicyStore({})[0].message).toMatch(/got no validation settings$/);
    expect(keys(lintPolicyStore({ validationSettings: { mode: "strict" } }))).toEqual(["ValidationMode::strict"]);
  });
});

describe("lintCedarPolicy", () => {
  test("every generated policy of the examples is clean", () => {
    for (const a of [PR_REVIEWER, DATA_ANALYST, { ...PR_REVIEWER, revoked: true }]) {
      for (const p of compileToolPolicies(a).policies) expect([p.id, lintCedarPolicy(p.statement)]).toEqual([p.id, []]);
    }
  });

  test("a blanket permit is flagged for principal, action and resource", () => {
    const f = lintCedarPolicy("permit (principal, action, resource);");
    expect(keys(f)).toEqual(["Principal::All", "Resource::All", "Action::All"]);
    expect(f[0]).toMatchObject({ path: "statement", value: "permit (principal, action, resource);" });
    expect(f[0].message).toMatch(/^must scope a permit to a principal .*; got any principal$/);
  });

  test("a permit scoped by entity type only is still blanket", () => {
    const f = lintCedarPolicy('permit (principal is AssistantTools::Assistant, action == AssistantTools::Action::"s3:read", resource is AssistantTools::S3Object);');
    expect(keys(f)).toEqual(["Principal::is:AssistantTools::Assistant", "Resource::is:AssistantTools::S3Object"]);
  });

  test("a resource scoped by type plus a when condition on its attributes is scoped", () => {
    expect(
      lintCedarPolicy('permit (principal == A::Assistant::"x", action == A::Action::"s3:read", resource is A::S3Object) when { resource.bucket == "b" };'),
    ).toEqual([]);
  });

  test("an unless condition does not scope a permit, and a `when { true }` does not either", () => {
    expect(keys(lintCedarPolicy('permit (principal, action == A::Action::"x", resource == A::R::"r") unless { principal == A::Assistant::"y" };'))).toEqual(["Principal::All"]);
    expect(keys(lintCedarPolicy('permit (principal == A::Assistant::"x", action == A::Action::"x", resource) when { true };'))).toEqual(["Resource::All"]);
  });

  test("blanket forbids are fine (they only deny)", () => {
    expect(lintCedarPolicy("forbid (principal, action, resource);")).toEqual([]);
  });

  test("templates scoped by slots are scoped", () => {
    expect(lintCedarPolicy('permit (principal == ?principal, action == A::Action::"x", resource in ?resource);')).toEqual([]);
  });

  test("several policies in one text are linted each, with their index in the path", () => {
    const f = lintCedarPolicy('forbid (principal, action, resource);\npermit (principal == A::Assistant::"x", action == A::Action::"y", resource);');
    expect(f.map((x) => [x.path, x.key])).toEqual([["statement[1]", "Resource::All"]]);
  });

  test("text that does not parse is a finding", () => {
    const f = lintCedarPolicy("permit (principal action resource);");
    expect(keys(f)).toEqual(["Parse"]);
    expect(f[0].message).toMatch(/^must be valid Cedar; got a parse error/);
  });
});

describe("lintVerifiedPermissionsPolicy", () => {
  test("lints the static statement of a Policy's inputs", () => {
    const f = lintVerifiedPermissionsPolicy({ policyStoreId: "PS1", definition: { static: { statement: "permit (principal, action, resource);" } } });
    expect(f.map((x) => x.path)).toEqual(["definition.static.statement", "definition.static.statement", "definition.static.statement"]);
    expect(lintVerifiedPermissionsPolicy({ definition: { static: { statement: compileToolPolicies(PR_REVIEWER).policies[0].statement } } })).toEqual([]);
  });
  test("template-linked policies are judged by their template, not here", () => {
    expect(lintVerifiedPermissionsPolicy({ definition: { templateLinked: { policyTemplateId: "t" } } })).toEqual([]);
  });
});
