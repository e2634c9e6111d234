/**
 * Stack configs with every field wrong in turn: the example stack's config tree (stacks/Pulumi.dev.yaml)
 * is walked and each leaf — and each list and object — is replaced by values of the wrong type. Each
 * must give a clear error naming the path (validateSpec: never a throw, never a silent pass), and
 * through the CLI's plan path an exit-2 error with file:line and the path, before anything runs.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { validateSpec } from "../../core/spec/validate";
import { planCommand } from "../../cli/commands";
import { main } from "../../cli/main";
import { PlanInputError } from "../../cli/engine/plan-stack";
import { readStackConfig } from "../../cli/engine/stack-config";
import { NOW, ROOT } from "../support/plan";

type Seg = string | number;
const fmt = (p: Seg[]) => p.map((s, i) => (typeof s === "number" ? `[${s}]` : i ? `.${s}` : s)).join("");

function nodes(v: unknown, p: Seg[] = []): Array<{ path: Seg[]; value: unknown }> {
  const out = p.length ? [{ path: p, value: v }] : [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...nodes(x, [...p, i])));
  else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) out.push(...nodes(x, [...p, k]));
  return out;
}

function wrongValues(v: unknown): unknown[] {
  if (typeof v === "string") return [42, null, true, [], { x: 1 }];
  if (typeof v === "number") return ["forty-two", null, false, [v], {}];
  if (typeof v === "boolean") return ["yes", 1, null];
  if (Array.isArray(v)) return ["a-string", 7, { x: 1 }, null];
  return ["a-string", 7, [1], null];
}

function replaced(spec: unknown, p: Seg[], value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(spec));
  let o = copy;
  for (const s of p.slice(0, -1)) o = o[s];
  o[p[p.length - 1]] = value;
  return copy;
}

const related = (errorPath: string, leaf: string) => errorPath === leaf || leaf.startsWith(`${errorPath}.`) || leaf.startsWith(`${errorPath}[`) || errorPath.startsWith(`${leaf}.`) || errorPath.startsWith(`${leaf}[`);

describe("every field of the example stack config wrong in turn", () => {
  const config = readStackConfig(ROOT, "dev");
  const spec = config.spec;
  const all = nodes(spec);

  test("the example stack validates as is (the walk starts from a valid config)", () => {
    expect(validateSpec(spec, { now: NOW, stack: "dev" }).errors).toEqual([]);
    expect(all.length).toBeGreaterThan(100);
  });

  test("each wrong-typed value: errors (no throw), one of them naming the field or its parent/child path", () => {
    const problems: string[] = [];
    let substitutions = 0;
    for (const { path: p, value } of all) {
      for (const w of wrongValues(value)) {
        substitutions++;
        const where = `${fmt(p)} = ${JSON.stringify(w)}`;
        let r: ReturnType<typeof validateSpec>;
        try {
          r = validateSpec(replaced(spec, p, w), { now: NOW, stack: "dev" });
        } catch (e) {
          problems.push(`${where}: threw ${(e as Error).message.split("\n")[0]}`);
          continue;
        }
        if (r.errors.length === 0) {
          problems.push(`${where}: accepted (silent pass)`);
          continue;
        }
        if (!r.errors.some((e) => related(e.path, fmt(p)))) problems.push(`${where}: errors name other paths: ${r.errors.map((e) => e.path).slice(0, 3).join(", ")}`);
        for (const e of r.errors) if (!e.message || e.message.length < 8) problems.push(`${where}: unclear message ${JSON.stringify(e.message)} at ${e.path}`);
      }
    }
    expect(problems).toEqual([]);
    expect(substitutions).toBeGreaterThan(400);
  });

  test("through the CLI's plan path: exit-2 errors with file:line and the path, nothing planned", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ai-badcfg-"));
    try {
      fs.mkdirSync(path.join(tmp, "stacks"));
      const raw = stringify({ config: { "aws:region": "eu-west-1", "assistant-identities:platform": spec.platform, "assistant-identities:assistants": spec.assistants } });
      const sample = all.filter((_, i) => i % Math.ceil(all.length / 12) === 0);
      for (const { path: p, value } of sample) {
        const w = wrongValues(value)[0];
        const bad = replaced(spec, p, w) as { platform: unknown; assistants: unknown };
        fs.writeFileSync(path.join(tmp, "stacks", "Pulumi.dev.yaml"), stringify({ config: { "aws:region": "eu-west-1", "assistant-identities:platform": bad.platform, "assistant-identities:assistants": bad.assistants } }));
        const err: string[] = [];
        let thrown: unknown;
        try {
          await planCommand({ root: tmp, stack: "dev", now: NOW, out: path.join(tmp, "out") }, { out: () => undefined, err: (s) => err.push(s) });
        } catch (e) {
          thrown = e;
        }
        expect(thrown).toBeInstanceOf(PlanInputError); // main() maps it to exit 2
        const msg = (thrown as Error).message;
        expect(msg).toMatch(/stacks\/Pulumi\.dev\.yaml:\d+/);
        expect((thrown as PlanInputError).errors.some((e) => related(e.path, fmt(p)))).toBe(true);
        expect(fs.existsSync(path.join(tmp, "out"))).toBe(false);
      }
      expect(raw.length).toBeGreaterThan(0);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);

  test("main(): a bad stack name and a missing stack are exit 2 with a message", async () => {
    const run = async (args: string[]) => {
      const err: string[] = [];
      const code = await main(args, { out: () => undefined, err: (s) => err.push(s) });
      return { code, err: err.join("\n") };
    };
    expect(await run(["plan", "--stack", "../etc/passwd"])).toEqual({ code: 2, err: expect.stringMatching(/stack name .* is not valid/) });
    expect(await run(["plan", "--stack", "no-such-stack-7f3a"])).toEqual({ code: 2, err: expect.stringMatching(/no stack config at stacks\/Pulumi\.no-such-stack-7f3a\.yaml/) });
  });
});
