import * as fs from "fs";
import * as path from "path";
import { builtinModules } from "module";

const ROOT = path.resolve(__dirname, "..");
function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
}
/** Every .ts file under those of `dirs` that exist. */
const filesUnder = (dirs: string[]) => dirs.flatMap((d) => (fs.existsSync(path.join(ROOT, d)) ? files(path.join(ROOT, d)) : []));
/** A file's text without its comments (which compile to nothing). */
const withoutComments = (f: string) => fs.readFileSync(f, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
const importsOf = (f: string) => [...fs.readFileSync(f, "utf8").matchAll(/(?:from\s+|require\()\s*["']([^"']+)["']/g)].map((m) => m[1]);

describe("architecture", () => {
  test("the analysis core imports no Pulumi package and nothing outside core/", () => {
    const offenders = files(path.join(ROOT, "core")).flatMap((f) =>
      importsOf(f)
        .filter((i) => i.startsWith("@pulumi/") || (i.startsWith(".") && !path.resolve(path.dirname(f), i).startsWith(path.join(ROOT, "core"))))
        .map((i) => `${path.relative(ROOT, f)} imports ${i}`),
    );
    expect(offenders).toEqual([]);
  });

  test("runtime code never imports the AGPL oracles", () => {
    const runtime = filesUnder(["core", "components", "policies", "cli"]);
    const offenders = runtime.flatMap((f) => importsOf(f).filter((i) => /@cloud-copilot\/iam-(simulate|policy|expand|utils)/.test(i)).map((i) => `${path.relative(ROOT, f)} imports ${i}`));
    expect(offenders).toEqual([]);
  });

  test("runtime code imports only runtime dependencies and Node's own modules (a dev dependency is missing from an install without them)", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const allowed = new Set([...Object.keys(pkg.dependencies), ...builtinModules]);
    // Comments and type-only imports leave nothing behind in the compiled code.
    const code = (f: string) => withoutComments(f).replace(/^\s*import\s+type\b.*$/gm, "");
    const runtime = filesUnder(["core", "components", "policies", "cli", "stacks"]);
    const offenders = runtime.flatMap((f) =>
      [...code(f).matchAll(/(?:from\s+|require\(|import\()\s*["']([^"'.][^"']*)["']/g)]
        .map((m) => m[1].replace(/^node:/, ""))
        .map((i) => (i.startsWith("@") ? i.split("/").slice(0, 2).join("/") : i.split("/")[0]))
        .filter((name) => !allowed.has(name))
        .map((name) => `${path.relative(ROOT, f)} imports ${name}, which package.json does not list in dependencies`),
    );
    expect(offenders).toEqual([]);
  });

  test("only the pack entry constructs the PolicyPack", () => {
    const all = ["core", "components", "policies", "cli", "test"].flatMap((d) => files(path.join(ROOT, d)));
    const constructing = all.filter((f) => /new\s+PolicyPack\(/.test(withoutComments(f)) && !f.endsWith("architecture.test.ts"));
    expect(constructing.map((f) => path.relative(ROOT, f))).toEqual(["policies/index.ts"]);
  });
});
