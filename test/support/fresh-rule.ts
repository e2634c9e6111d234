/**
 * A rule module evaluated again, every import it makes given the instance already loaded: only the
 * rule's own code runs anew (a fresh copy of core/ or of another rule would be credited to the
 * calling test by mutation testing too). Used by test/policies/rules-fresh.test.ts and, in mutation
 * runs only, by test/support/stryker-rule-attribution.ts.
 */
import * as fs from "fs";
import * as path from "path";
import type { Rule } from "../../policies/rule";

export const RULES_DIR = path.join(__dirname, "..", "..", "policies", "rules");

/** The modules a rule file imports at run time (not `import type`), relative ones resolved from the rules folder. */
export function runtimeImports(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/^import\s+(?!type\s)[^;]*?\sfrom\s+"([^"]+)";/gm)) out.push(m[1].startsWith(".") ? path.resolve(RULES_DIR, m[1]) : m[1]);
  return out;
}

/* eslint-disable @typescript-eslint/no-require-imports */
/** `policies/rules/<file>` evaluated afresh with its imports shared; its default export. */
export function freshRule(file: string): Rule {
  const shared = runtimeImports(fs.readFileSync(path.join(RULES_DIR, file), "utf8")).map((id) => [id, require(id)] as const);
  let rule: Rule | undefined;
  try {
    jest.isolateModules(() => {
      for (const [id, instance] of shared) jest.doMock(id, () => instance);
      rule = (require(path.join(RULES_DIR, file)) as { default: Rule }).default;
    });
  } finally {
    // A module registry is isolated, its explicit mocks are not: a rule shared with one file must
    // load afresh for its own test.
    for (const [id] of shared) jest.dontMock(id);
  }
  return rule!;
}
/* eslint-enable @typescript-eslint/no-require-imports */
