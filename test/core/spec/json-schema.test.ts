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

test("the editor schema refuses a Kubernetes source on the namespace's default service account, as the spec does", () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(committed("assistant-spec.schema.json"));
  const { spec } = readStackConfig(ROOT, "dev");
  const withSa = (serviceAccount: string) => {
    const s = JSON.parse(JSON.stringify(spec));
    s.assistants[0].source = { kind: "kubernetes", issuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789", namespace: "agents", serviceAccount };
    return s;
  };
  expect(validate(withSa("pr-reviewer"))).toBe(true);
  expect(validate(withSa("default"))).toBe(false);
  expect(validate.errors!.map((e) => [e.instancePath, e.keyword])).toContainEqual(["/assistants/0/source/serviceAccount", "not"]);
});
