/**
 * Pins the exact observable behaviour of policies/rules/avp-no-blanket-permit.ts that the fixtures
 * (which check keys and paths only) leave loose: a PolicyTemplate's `statement` is linted only when
 * it is a string (absent or non-string statements give no finding and no error), and the full
 * finding a template with an open principal gets (message, path "statement", value, fix, key) with
 * its level and outcome.
 */
import { policies } from "../../../policies/list";
import { runPolicies, InputResource } from "../../../policies/harness";

const NOW = new Date("2026-11-15T12:00:00Z");
const TEMPLATE = "aws:verifiedpermissions/policyTemplate:PolicyTemplate";
const urnOf = (name: string) => `urn:pulumi:stack::project::${TEMPLATE}::${name}`;

const pack = policies.filter((p) => p.name === "avp-no-blanket-permit");

/** The rule's violations through the harness: who, level, outcome and the structured finding. */
async function check(resources: InputResource[]) {
  const vs = await runPolicies(pack, resources, { now: NOW });
  return vs.map((v) => ({ urn: v.urn, enforcementLevel: v.enforcementLevel, outcome: v.outcome, finding: v.finding }));
}
const template = (name: string, props: Record<string, unknown>): InputResource => ({ type: TEMPLATE, name, props: { policyStoreId: "PS1", ...props } });

describe("PolicyTemplate: which statements are linted", () => {
  test("a template without a statement has no finding (and does not error)", async () => {
    expect(await check([template("no-statement", {})])).toStrictEqual([]);
  });

  test.each<[string, unknown]>([
    ["a number", 42],
    ["an object", { text: "permit (principal, action, resource);" }],
    ["a list", ["permit (principal, action, resource);"]],
  ])("a template whose statement is %s has no finding (and does not error)", async (_label, statement) => {
    expect(await check([template("odd", { statement })])).toStrictEqual([]);
  });

  test("a string statement with an open principal gets the exact Principal::All finding at path statement", async () => {
    const statement = 'permit (principal, action == AssistantTools::Action::"github:read", resource == ?resource);';
    expect(await check([template("open", { statement })])).toStrictEqual([
      {
        urn: urnOf("open"),
        enforcementLevel: "mandatory",
        outcome: "finding",
        finding: {
          message: "must scope a permit to a principal (principal == …, principal in …, or a when condition on principal); got any principal",
          path: "statement",
          value: statement,
          fix: 'name the principal (permit (principal == Ns::Assistant::"name", …)), as the generated policies do',
          key: "Principal::All",
        },
      },
    ]);
  });
});
