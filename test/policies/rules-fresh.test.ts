/**
 * Every rule module loaded afresh inside a test, then held to what is written about it and to its
 * own fixtures. A rule's definition (id, title, texts, level, severity, standards, config schema,
 * type lists, tables) is built when its module loads: mutation testing leaves such code out
 * (`ignoreStatic`) unless a test loads the module itself, and then credits that test with all of it
 * (docs/proofs.md, "Two traps"). So each test here loads one rule file with every import shared
 * (only the rule's own code is evaluated again: a fresh copy of core/ or of another rule would be
 * credited here too) and checks the fresh rule against docs/policy-pack.md (its row, its standards)
 * and schema/policy-config.schema.json (its title, level, description and settings), against
 * test/policies/<rule-id>/ through the whole pack, with the fresh rule in its place, and against its
 * reference page (docs/rules/<rule-id>.md: every text of the rule, and what the pack reports on each
 * fixture).
 */
import * as fs from "fs";
import * as path from "path";
import { policies, rules } from "../../policies/list";
import { toPolicy } from "../../policies/policy";
import { policyConfigJsonSchema } from "../../policies/config";
import { standardsMatrix } from "../../core/standards";
import { expectFixture, fixturesOf, FIXTURES_ROOT } from "../support/fixtures";
import { judgedFixtures, REFERENCE_DIR, rulePage } from "../../policies/reference";
import { freshRule, RULES_DIR, runtimeImports } from "../support/fresh-rule";
import { documentedStandardsMatrix, expectDocumented } from "../support/rule-docs";

const configSchema = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "schema", "policy-config.schema.json"), "utf8"));
const standardsBlock = documentedStandardsMatrix();

const files = fs
  .readdirSync(RULES_DIR)
  .filter((f) => f.endsWith(".ts"))
  .sort();

describe("runtimeImports", () => {
  test("value imports only, relative ones resolved from the rules folder", () => {
    const src = [
      'import { stackRule, RuleResource } from "../rule";',
      'import type { Finding } from "../../core/findings";',
      'import { parse } from "@marcbachmann/cel-js";',
      'import { AWS_IAM, type RoleGrants } from "./aws-iam-no-escalating-grants";',
      "// import { nothing } from \"./commented\";",
    ].join("\n");
    expect(runtimeImports(src)).toEqual([path.resolve(RULES_DIR, "../rule"), "@marcbachmann/cel-js", path.resolve(RULES_DIR, "./aws-iam-no-escalating-grants")]);
  });
});

describe.each(files.map((f) => [f.replace(/\.ts$/, ""), f] as const))("%s, loaded afresh", (id, file) => {
  const fixtures = fixturesOf(id);

  test("is the rule of its file name, as docs/policy-pack.md and its standards row say", () => {
    const fresh = freshRule(file);
    expect(fresh.id).toBe(id);
    expect(fresh).not.toBe(rules.find((r) => r.id === id));
    expectDocumented(fresh);
    expect(standardsMatrix(rules.map((r) => (r.id === id ? fresh : r)))).toBe(standardsBlock);
    // Title, level, description and every setting (type, enum, default, description) as published.
    expect(JSON.parse(JSON.stringify((policyConfigJsonSchema([fresh]).properties as Record<string, unknown>)[id]))).toEqual(configSchema.properties[id]);
  });

  test(`has its reference page, docs/rules/${id}.md, as written from it and its fixtures (else: npm run docs:rules)`, async () => {
    const fresh = freshRule(file);
    const pack = policies.map((p) => (p.name === id ? toPolicy(fresh) : p));
    const page = rulePage(fresh, await judgedFixtures(pack, fresh, FIXTURES_ROOT));
    expect(fs.readFileSync(path.join(__dirname, "..", "..", REFERENCE_DIR, `${id}.md`), "utf8")).toBe(page);
  });

  test.each(fixtures.map(([f, fx]) => [f, fx] as const))("judges %s as the fixture says, in the whole pack", async (f, fx) => {
    const fresh = freshRule(file);
    const pack = policies.map((p) => (p.name === id ? toPolicy(fresh) : p));
    expect(pack.filter((p) => p.name === id)).toHaveLength(1);
    await expectFixture(pack, fresh, f, fx);
  });
});
