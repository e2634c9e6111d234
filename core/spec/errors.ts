/** One problem in the stack config: where (a config path such as `assistants[2].aws.grants[0].bucket`) and what is expected. */
export interface SpecError {
  path: string;
  message: string;
}

/** Thrown by the program and the CLI before any resource is registered; carries every problem at once. */
export class SpecValidationError extends Error {
  constructor(public readonly errors: SpecError[], source = "stack config") {
    super(`${source} has ${errors.length} problem${errors.length === 1 ? "" : "s"}:\n${errors.map((e) => `  - ${e.path}: ${e.message}`).join("\n")}`);
    this.name = "SpecValidationError";
  }
}

/** `["assistants", 2, "aws", "grants", 0, "bucket"]` → `assistants[2].aws.grants[0].bucket`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || "(root)";
}
