/** The JSON Schemas editors use are generated from the zod schemas, committed, current, and accept the example stacks. */
import * as fs from "fs";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { specJsonSchema } from "../../../core/spec";
import { inventoryJsonSchema } from "../../../core/inventory/schema";
import { readStackConfig } from "../../../cli/engine/stack-config";
import { ROOT } from "../../support/plan";

const committed = (f: string) => JSON.parse(fs.readFileSync(path.join(ROOT, "schema", f), "utf8"));

test("schema/*.json are what `npm run schema` generates today", () => {
  expect(committed("assistant-spec.schema.json")).toEqual(JSON.parse(JSON.stringify(specJsonSchema())));
  expect(committed("inventory.schema.json")).toEqual(JSON.parse(JSON.stringify(inventoryJsonSchema())));
});

test.each(["dev", "prod"])("the %s example stack validates against the editor schema, and a typo does not", (stack) => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(committed("assistant-spec.schema.json"));
  const { spec } = readStackConfig(ROOT, stack);
  expect(validate(spec)).toBe(true);
  const typo = JSON.parse(JSON.stringify(spec));
  typo.assistants[0].aws.grant = typo.assistants[0].aws.grants;
  expect(validate(typo)).toBe(false);
});
