import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import {
  INVENTORY_SCHEMA_VERSION,
  Inventory,
  InventoryError,
  inventoryJsonSchema,
  parseInventory,
} from "../../../core/inventory/schema";
import { sampleInventory } from "./sample";

function ajvValidator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(inventoryJsonSchema());
}

describe("Inventory schema", () => {
  it("accepts the sample and round-trips through JSON unchanged", () => {
    const inv = sampleInventory();
    const parsed = parseInventory(JSON.parse(JSON.stringify(inv)));
    expect(parsed).toEqual(inv);
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(inv);
    expect(parsed.schemaVersion).toBe(INVENTORY_SCHEMA_VERSION);
    expect(INVENTORY_SCHEMA_VERSION).toBe("1.0.0");
  });

  it("rejects another schema version", () => {
    const inv = { ...sampleInventory(), schemaVersion: "2.0.0" };
    expect(() => parseInventory(inv)).toThrow(InventoryError);
  });

  it("rejects unknown fields everywhere, so a credential value cannot ride along", () => {
    const inv = sampleInventory() as unknown as { assistants: Array<{ staticCredentials: Array<Record<string, unknown>> }> };
    inv.assistants[1].staticCredentials[0].value = "AKIAIOSFODNN7EXAMPLE";
    expect(() => parseInventory(inv)).toThrow(/assistants\.1\.staticCredentials\.0: .*value/i);
  });

  it("names every problem with its path", () => {
    const inv = sampleInventory() as unknown as Record<string, any>;
    inv.generatedAt = "yesterday";
    inv.assistants[0].environment = "qa";
    inv.assistants[0].expires = "2026-02-30";
    inv.findings[0].resource = "not-a-urn";
    inv.findings[0].standards = ["ISO-27001"];
    inv.findings[0].location = { file: "/etc/passwd", line: 1 };
    try {
      parseInventory(inv);
      throw new Error("expected InventoryError");
    } catch (e) {
      expect(e).toBeInstanceOf(InventoryError);
      const issues = (e as InventoryError).issues.join("\n");
      expect(issues).toMatch(/^generatedAt: /m);
      expect(issues).toMatch(/^assistants\.0\.environment: /m);
      expect(issues).toMatch(/^assistants\.0\.expires: .*real calendar date/m);
      expect(issues).toMatch(/^findings\.0\.resource: .*URN/m);
      expect(issues).toMatch(/^findings\.0\.standards\.0: /m);
      expect(issues).toMatch(/^findings\.0\.location\.file: .*relative/m);
    }
  });

  it("rejects location paths that escape the repository", () => {
    for (const file of ["../secrets.yaml", "stacks/../../x.yaml", "file:///tmp/x.yaml", "C:\\x.yaml"]) {
      const inv = sampleInventory();
      inv.findings[0].location = { file, line: 3 };
      expect(Inventory.safeParse(inv).success).toBe(false);
    }
  });
});

describe("inventoryJsonSchema()", () => {
  it("is a draft 2020-12 schema with an $id that validates the sample with ajv", () => {
    const schema = inventoryJsonSchema();
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(typeof schema.$id).toBe("string");
    const validate = ajvValidator();
    const ok = validate(JSON.parse(JSON.stringify(sampleInventory())));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("agrees with zod on invalid documents", () => {
    const validate = ajvValidator();
    const bad: Array<(i: Record<string, any>) => void> = [
      (i) => (i.schemaVersion = "0.9.0"),
      (i) => (i.assistants[0].environment = "qa"),
      (i) => (i.assistants[0].identities[0].cloud = "azure"),
      (i) => (i.assistants[1].staticCredentials[0].value = "s3cr3t"),
      (i) => (i.findings[0].level = "disabled"),
      (i) => (i.findings[0].severity = "severe"),
      (i) => delete i.findings[0].fix,
      (i) => (i.findings[0].standards = ["OWASP-XYZ"]),
      (i) => (i.extra = true),
    ];
    for (const mutate of bad) {
      const inv = JSON.parse(JSON.stringify(sampleInventory()));
      mutate(inv);
      expect(Inventory.safeParse(inv).success).toBe(false);
      expect(validate(inv)).toBe(false);
    }
  });

  it("documents the top-level object", () => {
    const schema = inventoryJsonSchema() as { title?: string; required?: string[]; additionalProperties?: boolean };
    expect(schema.title).toMatch(/inventory/);
    expect(schema.required).toEqual(expect.arrayContaining(["schemaVersion", "project", "stack", "generatedAt", "assistants", "findings"]));
    expect(schema.additionalProperties).toBe(false);
  });
});
