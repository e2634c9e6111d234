/**
 * schema/policy-config.schema.json: generated from the rules (policyConfigJsonSchema), committed,
 * current, and it accepts exactly the `--policy-pack-config` files the harness accepts (the harness
 * checks two more things no JSON Schema can: that an exception names a urn or a name, and that its
 * date is a real calendar day).
 */
import * as fs from "fs";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import { policies, rules } from "../../policies/list";
import { PolicyConfigError, policyConfigJsonSchema, schemaDefaults } from "../../policies/config";
import { preparePolicies } from "../../policies/harness";

const committed = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "schema", "policy-config.schema.json"), "utf8"));
const validate = new Ajv2020({ strict: false }).compile(committed);

/** Whether the harness accepts `config` (throws PolicyConfigError otherwise). */
function harnessAccepts(config: Record<string, unknown>): boolean {
  try {
    preparePolicies(policies, { config });
    return true;
  } catch (e) {
    if (!(e instanceof PolicyConfigError)) throw e;
    return false;
  }
}

const EXCEPTION = { name: "ai-*", owner: "platform", reason: "migration", expires: "2026-12-31" };

test("schema/policy-config.schema.json is what `assistant-identities schema` generates today", () => {
  expect(committed).toEqual(JSON.parse(JSON.stringify(policyConfigJsonSchema(rules))));
  expect(Object.keys(committed.properties)).toEqual(["all", ...rules.map((r) => r.id)]);
});

test.each([
  ["no config", {}, true],
  ["one level for all", { all: "mandatory" }, true],
  ["all as an object with a level", { all: { enforcementLevel: "advisory" } }, true],
  ["all with a setting", { all: { unknownValues: "fail" } }, false],
  ["an unknown level", { all: "strict" }, false],
  ["a rule's level", { "aws-iam-trust-pinned": "disabled" }, true],
  ["remediate (reported as mandatory)", { "aws-iam-trust-pinned": "remediate" }, true],
  ["a rule's own setting", { "aws-iam-trust-pinned": { writingRoles: "always", enforcementLevel: "advisory" } }, true],
  ["a value outside the rule's enum", { "aws-iam-trust-pinned": { writingRoles: "sometimes" } }, false],
  ["a setting of another rule", { "aws-iam-trust-pinned": { allowActions: [] } }, false],
  ["common settings", { "aws-iam-no-escalating-grants": { allowActions: ["ec2:RunInstances"], unknownValues: "advisory", exceptions: [EXCEPTION] } }, true],
  ["an exception without its owner", { "aws-iam-no-escalating-grants": { exceptions: [{ name: "x", reason: "r", expires: "2026-12-31" }] } }, false],
  ["an exception date that is not YYYY-MM-DD", { "aws-iam-no-escalating-grants": { exceptions: [{ ...EXCEPTION, expires: "31/12/2026" }] } }, false],
  ["a policy the pack does not have", { "no-such-rule": "advisory" }, false],
  ["a number for a rule", { "secrets-rotation": 42 }, false],
  ["null for a rule", { "secrets-rotation": null }, false],
])("%s: the schema and the harness agree", (_what, config, accepted) => {
  expect(harnessAccepts(config)).toBe(accepted);
  expect(validate(config)).toBe(accepted);
});

test.each(rules.map((r) => [r.id, r] as const))("%s: its defaults, written out, are a valid config", (id, r) => {
  const config = { [id]: { ...schemaDefaults(r), enforcementLevel: r.enforcementLevel } };
  expect(validate(config)).toBe(true);
  expect(harnessAccepts(config)).toBe(true);
});
