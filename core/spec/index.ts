import { z } from "zod";
import { StackSpec } from "./schema";

export * from "./schema";
export * from "./errors";
export { validateSpec, loadSpec } from "./validate";

/** JSON Schema (draft 2020-12) of the stack spec, for editors (`assistant-identities schema`). */
export function specJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(StackSpec, { io: "input", unrepresentable: "any" }),
    $id: "https://assistant-identities.dev/schema/assistant-spec.schema.json",
    title: "assistant-identities stack spec (config keys assistant-identities:platform and assistant-identities:assistants)",
  };
}
