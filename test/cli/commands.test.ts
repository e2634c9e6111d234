import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main, projectRoot } from "../../cli/main";
import { ensureDir, InputError } from "../../cli/commands";
import { stackConfigDir, StackConfigError } from "../../cli/engine/stack-config";
import { parseInventory } from "../../core/inventory/schema";
import { NOW, ROOT } from "../support/plan";

interface Captured {
  code: number;
  out: string;
  err: string;
}

async function run(args: string[]): Promise<Captured> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** `run` with `dir` as the working directory (restored afterwards). */
async function runIn(dir: string, args: string[]): Promise<Captured> {
  const before = process.cwd();
  try {
    process.chdir(dir);
    return await run(args);
  } finally {
    process.chdir(before);
  }
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "ai-cli-"));
const FIXTURES = path.join(__dirname, "fixtures");

describe("plan", () => {
  let dir: string;
  let result: Captured;
  beforeAll(async () => {
    dir = tmp();
    result = await run(["plan", "--stack", "dev", "--out", dir, "--now", NOW.toISOString()]);
  }, 120000);

  test("the example stack passes: exit 0, a readable summary, progress on stderr", () => {
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/Planning stack "dev" offline \(stacks\/Pulumi\.dev\.yaml\)/);
    expect(result.err).toMatch(/\+ aws:iam\/role:Role ai-pr-reviewer-dev-aws-role/);
    expect(result.out).toMatch(/pr-reviewer \[dev\] owner developer-experience/);
    expect(result.out).toMatch(/PASS: 0 mandatory violation/);
  });

  test("writes plan.json in the stack export format, inventory.json, findings.sarif and the report", () => {
    const exported = JSON.parse(fs.readFileSync(path.join(dir, "plan.json"), "utf8"));
    expect(exported.version).toBe(3);
    const stack = exported.deployment.resources[0];
    expect(stack.type).toBe("pulumi:pulumi:Stack");
    const role = exported.deployment.resources.find((r: any) => r.type === "aws:iam/role:Role");
    expect(role).toMatchObject({ custom: true, parent: expect.stringMatching(/AssistantRole::/), inputs: { path: "/assistants/" }, outputs: { arn: expect.stringMatching(/^arn:aws:iam::111122223333:role\/assistants\//) } });
    const inv = parseInventory(JSON.parse(fs.readFileSync(path.join(dir, "inventory.json"), "utf8")));
    expect(inv.assistants).toHaveLength(3);
    expect(inv.generatedAt).toBe("2026-12-01T00:00:00Z");
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, "findings.sarif"), "utf8"));
    expect(sarif.version).toBe("2.1.0");
    expect(fs.readFileSync(path.join(dir, "report.html"), "utf8")).toMatch(/<svg/);
    expect(fs.readFileSync(path.join(dir, "report.md"), "utf8")).toMatch(/pr-reviewer/);
  });

  test("round trip: scan plan.json gives the same findings as plan", async () => {
    const scanned = await run(["scan", path.join(dir, "plan.json"), "--format", "json", "--now", NOW.toISOString()]);
    expect(scanned.code).toBe(0);
    const planned = parseInventory(JSON.parse(fs.readFileSync(path.join(dir, "inventory.json"), "utf8"))).findings;
    const key = (f: any) => `${f.ruleId}|${f.resource}|${f.path ?? ""}|${f.message}`;
    expect(JSON.parse(scanned.out).findings.map(key).sort()).toEqual(planned.map(key).sort());
  });

  test("report renders from inventory.json and from a stack export whose outputs hold the inventory", async () => {
    const out1 = tmp();
    expect((await run(["report", path.join(dir, "inventory.json"), "--out", out1])).code).toBe(0);
    expect(fs.readFileSync(path.join(out1, "report.html"), "utf8")).toMatch(/data-assistant/);
    const out2 = tmp();
    expect((await run(["report", path.join(dir, "plan.json"), "--out", out2])).code).toBe(0);
    expect(fs.existsSync(path.join(out2, "report.md"))).toBe(true);
  });
});

describe("plan --preview", () => {
  test("gates what pulumi preview of a new stack shows the pack (unknowns in plan.json), still exit 0, inventory from a full run", async () => {
    const dir = tmp();
    const r = await run(["plan", "--stack", "dev", "--preview", "--out", dir, "--now", NOW.toISOString()]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/as a preview of a new stack/);
    expect(fs.readFileSync(path.join(dir, "plan.json"), "utf8")).toContain("04da6b54-80e4-46f7-96ec-b56ff0331ba9");
    const inv = parseInventory(JSON.parse(fs.readFileSync(path.join(dir, "inventory.json"), "utf8")));
    expect(inv.assistants[0].identities[0].id).toBe("arn:aws:iam::111122223333:role/assistants/ai-pr-reviewer-dev");
  });
});

describe("plan with a stricter policy config", () => {
  test("exit 1, and each SARIF result points at the stack config line where its assistant is declared", async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "cfg.json"), JSON.stringify({ "oidc-role-session-duration": { maxSessionSeconds: 1800 } }));
    const r = await run(["plan", "--stack", "dev", "--out", dir, "--policy-config", path.join(dir, "cfg.json"), "--now", NOW.toISOString()]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\[MANDATORY\] oidc-role-session-duration .*stacks\/Pulumi\.dev\.yaml:\d+/);
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, "findings.sarif"), "utf8"));
    const yaml = fs.readFileSync(path.join(ROOT, "stacks", "Pulumi.dev.yaml"), "utf8").split("\n");
    const results = sarif.runs[0].results.filter((x: any) => x.ruleId === "oidc-role-session-duration");
    expect(results.length).toBe(3);
    for (const res of results) {
      const loc = res.locations[0].physicalLocation;
      expect(loc.artifactLocation.uri).toBe("stacks/Pulumi.dev.yaml");
      expect(yaml[loc.region.startLine - 1]).toMatch(/^\s+- name: (pr-reviewer|oncall-agent|data-assistant)$/);
      expect(res.level).toBe("error");
    }
    // Round trip with findings: scan the plan's own export with the config plan wrote; same findings.
    const scanned = await run(["scan", path.join(dir, "plan.json"), "--format", "json", "--policy-config", path.join(dir, "policy-config.json"), "--now", NOW.toISOString()]);
    expect(scanned.code).toBe(1);
    const key = (f: any) => `${f.ruleId}|${f.resource}|${f.path ?? ""}|${f.message}`;
    const planned = parseInventory(JSON.parse(fs.readFileSync(path.join(dir, "inventory.json"), "utf8"))).findings;
    expect(planned.length).toBe(3);
    expect(JSON.parse(scanned.out).findings.map(key).sort()).toEqual(planned.map(key).sort());
  });
});

describe("plan on broken copies of the example stack", () => {
  function brokenRoot(edit: (yaml: string) => string): string {
    const root = tmp();
    fs.mkdirSync(path.join(root, "stacks"));
    fs.writeFileSync(path.join(root, "stacks", "Pulumi.broken.yaml"), edit(fs.readFileSync(path.join(ROOT, "stacks", "Pulumi.dev.yaml"), "utf8")));
    return root;
  }

  test("a bad spec exits 2 with file, line, path and the fix, and registers nothing", async () => {
    const root = brokenRoot((y) => y.replace("bucket: acme-lake-curated-dev", "bucket: acme-lake-*"));
    const { planCommand } = await import("../../cli/commands");
    const err: string[] = [];
    await expect(planCommand({ root, stack: "broken", now: NOW }, { out: () => undefined, err: (s) => err.push(s) })).rejects.toThrow(
      /stacks\/Pulumi\.broken\.yaml:\d+\s+assistants\[2\]\.aws\.grants\[0\]\.bucket: expected an S3 bucket name/,
    );
    expect(err.join("\n")).not.toMatch(/\+ aws:/);
  });

  test("the CLI maps bad input to exit 2 and a missing stack to a clear message", async () => {
    const r = await run(["plan", "--stack", "does-not-exist"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no stack config at stacks\/Pulumi\.does-not-exist\.yaml: create it, or pick one of Pulumi\.dev\.yaml/);
  });
});

describe("plan works on the Pulumi project around the working directory", () => {
  /** A platform team's copy of the project: Pulumi.yaml (with or without stackConfigDir) and one stack file. */
  function project(pulumiYaml: string, stackDir: string, stack: string): string {
    const root = tmp();
    fs.writeFileSync(path.join(root, "Pulumi.yaml"), pulumiYaml);
    fs.mkdirSync(path.join(root, stackDir), { recursive: true });
    fs.copyFileSync(path.join(ROOT, "stacks", "Pulumi.dev.yaml"), path.join(root, stackDir, `Pulumi.${stack}.yaml`));
    fs.mkdirSync(path.join(root, "deep", "er"), { recursive: true });
    return root;
  }

  test("projectRoot is the nearest folder with Pulumi.yaml from the working directory up, else the working directory", () => {
    const root = project("name: assistant-identities\nruntime: nodejs\n", ".", "x");
    expect(projectRoot(path.join(root, "deep", "er"))).toBe(root);
    expect(projectRoot(root)).toBe(root);
    expect(projectRoot(path.join(ROOT, "test", "cli"))).toBe(ROOT);
    const bare = tmp();
    expect(projectRoot(bare)).toBe(bare);
  });

  test("stack files are found as the Pulumi CLI finds them: stackConfigDir, else beside Pulumi.yaml; no Pulumi.yaml: stacks/", () => {
    expect(stackConfigDir(ROOT)).toBe(path.join(ROOT, "stacks"));
    const withDir = project("name: assistant-identities\nruntime: nodejs\nstackConfigDir: config/envs\n", "config/envs", "x");
    expect(stackConfigDir(withDir)).toBe(path.join(withDir, "config", "envs"));
    const beside = project("name: assistant-identities\nruntime: nodejs\n", ".", "x");
    expect(stackConfigDir(beside)).toBe(beside);
    const bare = tmp();
    expect(stackConfigDir(bare)).toBe(path.join(bare, "stacks"));
    const bad = project("name: assistant-identities\nstackConfigDir: 3\n", ".", "x");
    expect(() => stackConfigDir(bad)).toThrow(StackConfigError);
    expect(() => stackConfigDir(bad)).toThrow(/Pulumi\.yaml: stackConfigDir must be a folder path relative to Pulumi\.yaml \(e\.g\. stacks\); got 3/);
    const broken = project("name: [unclosed\n", ".", "x");
    expect(() => stackConfigDir(broken)).toThrow(/Pulumi\.yaml is not valid YAML/);
  });

  test("run from inside a copy of the project, plan reads that copy's stack and writes under it (not this package's examples or folder)", async () => {
    const root = project("name: assistant-identities\nruntime: nodejs\nstackConfigDir: envs\n", "envs", "team");
    const r = await runIn(path.join(root, "deep", "er"), ["plan", "--stack", "team", "--now", NOW.toISOString()]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/Planning stack "team" offline \(envs\/Pulumi\.team\.yaml\)/);
    for (const f of ["plan.json", "inventory.json", "findings.sarif", "report.md", "report.html", "policy-config.json"]) expect(fs.existsSync(path.join(root, "out", "team", f))).toBe(true);
    expect(fs.existsSync(path.join(ROOT, "out", "team"))).toBe(false);
    // The example stack's own name would say "dev"; the copy planned is "team".
    expect(JSON.parse(fs.readFileSync(path.join(root, "out", "team", "inventory.json"), "utf8")).stack).toBe("team");
  }, 120000);

  test("--out is relative to the working directory (as scan's and report's files are), not to the project", async () => {
    const root = project("name: assistant-identities\nruntime: nodejs\nstackConfigDir: envs\n", "envs", "team");
    const r = await runIn(path.join(root, "deep"), ["plan", "--stack", "team", "--out", "results", "--now", NOW.toISOString()]);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(root, "deep", "results", "plan.json"))).toBe(true);
    expect(fs.existsSync(path.join(root, "results"))).toBe(false);
    expect(r.out).toMatch(/Wrote results\/\{plan\.json,/);
  }, 120000);

  test("run outside any Pulumi project, plan says which stack file it looked for", async () => {
    const bare = tmp();
    const r = await runIn(bare, ["plan", "--stack", "dev"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no stack config at stacks\/Pulumi\.dev\.yaml: create it, or pick one of \(none\)/);
  });
});

describe("plan reads config values the way the program's config.getObject does", () => {
  test("platform and assistants stored as JSON strings (as pulumi config set stores them) plan like the YAML they hold", async () => {
    const { parse } = await import("yaml");
    const example = parse(fs.readFileSync(path.join(ROOT, "stacks", "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> };
    const config = { ...example.config };
    for (const k of ["assistant-identities:platform", "assistant-identities:assistants"]) config[k] = JSON.stringify(config[k]);
    const root = tmp();
    fs.mkdirSync(path.join(root, "stacks"));
    fs.writeFileSync(path.join(root, "stacks", "Pulumi.json.yaml"), `config:\n${Object.entries(config).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`).join("\n")}\n`);
    const out = tmp();
    const { planCommand } = await import("../../cli/commands");
    const lines: string[] = [];
    const code = await planCommand({ root, stack: "json", out, now: NOW }, { out: (l) => lines.push(l), err: () => undefined });
    expect(code).toBe(0);
    expect(lines.join("\n")).toMatch(/3 assistants, 5 identities, 55 resources; PASS/);
  }, 120000);
});

describe("output folders and input files that cannot be used are clear input errors", () => {
  test("ensureDir makes missing parents, accepts an existing folder, and names a file or an unwritable place", () => {
    const base = tmp();
    expect(ensureDir(path.join(base, "a", "b", "c"), "--out")).toBe(path.join(base, "a", "b", "c"));
    expect(fs.statSync(path.join(base, "a", "b", "c")).isDirectory()).toBe(true);
    expect(ensureDir(path.join(base, "a"), "--out")).toBe(path.join(base, "a"));
    fs.writeFileSync(path.join(base, "f"), "x");
    expect(() => ensureDir(path.join(base, "f"), "--out")).toThrow(new InputError(`--out ${path.join(base, "f")}: is a file, not a folder; pick a folder`));
    expect(() => ensureDir(path.join(base, "f", "sub"), "--out")).toThrow(/--out .*f\/sub: cannot create the folder .*f\/sub \(ENOTDIR\); pick a folder you can write to/);
    fs.symlinkSync(path.join(base, "nowhere"), path.join(base, "dangling"));
    expect(() => ensureDir(path.join(base, "dangling"), "--out")).toThrow(/--out .*dangling: cannot create the folder .*dangling \(a link to a missing target\?\); pick a folder you can write to/);
  });

  // Node's own recursive mkdir spins forever on such a path (procfs answers "not found" under a parent
  // that exists); this returned only after the CLI stopped using it.
  (fs.existsSync("/proc/self") ? test : test.skip)("a folder under /proc is refused at once, not retried forever", async () => {
    const where = `/proc/ai-cli-${process.pid}/schemas`;
    expect(() => ensureDir(where, "--out")).toThrow(/cannot create the folder \/proc\/ai-cli-\d+ \(ENOENT\)/);
    const r = await run(["schema", "--out", where]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: --out \/proc\/ai-cli-\d+\/schemas: cannot create the folder/);
  }, 10000);

  test("scan of a folder, or of a file that is not JSON at all, says so (no errno text, no 'truncated' guess)", async () => {
    const d = tmp();
    const folder = await run(["scan", d]);
    expect(folder.code).toBe(2);
    expect(folder.err).toBe(`error: ${d}: is a folder; give the file in it (a pulumi stack export)`);
    fs.writeFileSync(path.join(d, "notes.md"), "# not json\n");
    const md = await run(["scan", path.join(d, "notes.md")]);
    expect(md.code).toBe(2);
    expect(md.err).toMatch(/notes\.md is not valid JSON: Unexpected token/);
    expect(md.err).not.toMatch(/truncated/);
  });

  test("an invalid stack name is refused before anything is printed or planned", async () => {
    const r = await run(["plan", "--stack", "../etc"]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`error: stack name "../etc" is not valid: use letters, digits, '-', '_' or '.'`);
  });
});

describe("scan of a stack with no resources", () => {
  // Pulumi writes no `resources` key for an empty stack (omitempty): a stack never deployed, or destroyed.
  test.each<[string, unknown]>([
    ["an export without a resources key", { version: 3, deployment: { manifest: { time: "2026-11-30T00:00:00Z", magic: "x", version: "v3.200.0" }, secrets_providers: { type: "service" } } }],
    ["an export whose resources are null", { version: 3, deployment: { manifest: {}, resources: null } }],
    ["a bare deployment with a manifest and no resources", { manifest: { time: "2026-11-30T00:00:00Z" } }],
    ["an export with an empty list", { version: 3, deployment: { resources: [] } }],
  ])("%s: scanned, 0 resources, exit 0", async (_, doc) => {
    const d = tmp();
    fs.writeFileSync(path.join(d, "export.json"), JSON.stringify(doc));
    const r = await run(["scan", path.join(d, "export.json")]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Scanned 0 resources/);
    expect(r.out).toMatch(/PASS: 0 mandatory violation/);
  });

  test.each<[string, unknown]>([
    ["no deployment at all", { version: 3 }],
    ["resources that are not a list", { version: 3, deployment: { resources: "none" } }],
    ["an object that is not an export", { foo: 1 }],
  ])("%s: still bad input (exit 2)", async (_, doc) => {
    const d = tmp();
    fs.writeFileSync(path.join(d, "export.json"), JSON.stringify(doc));
    const r = await run(["scan", path.join(d, "export.json")]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/expected a pulumi stack export .*no deployment\.resources array found/);
  });
});

describe("scan", () => {
  test("a malformed file is a clear error with exit 2, never a stack trace", async () => {
    const d = tmp();
    const truncated = path.join(d, "truncated.json");
    fs.writeFileSync(truncated, fs.readFileSync(path.join(FIXTURES, "other-program-export.json"), "utf8").slice(0, 700));
    const r = await run(["scan", truncated]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is not valid JSON.*truncated/);
    expect(r.err).not.toMatch(/at .*\.ts:\d+/);

    const wrong = path.join(d, "wrong.json");
    fs.writeFileSync(wrong, JSON.stringify({ version: 3, deployment: { resources: [{ urn: "x", type: "aws:iam/role:Role" }] } }));
    const r2 = await run(["scan", wrong]);
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/deployment\.resources\[0\]\.urn must be a Pulumi URN/);

    const v2 = path.join(d, "v2.json");
    fs.writeFileSync(v2, JSON.stringify({ version: 2, deployment: { resources: [] } }));
    expect((await run(["scan", v2])).err).toMatch(/version 2 is not supported; expected version 3/);
    expect((await run(["scan", path.join(d, "missing.json")])).code).toBe(2);
  });

  test("a hand-written export of another program with a static key fails with the key's URN", async () => {
    const r = await run(["scan", path.join(FIXTURES, "other-program-export.json"), "--format", "json", "--now", NOW.toISOString()]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.out);
    expect(out.findings.some((f: any) => f.level === "mandatory" && f.resource === "urn:pulumi:prod::legacy-ci::aws:iam/accessKey:AccessKey::ci-bot-key")).toBe(true);
    expect(out.findings.every((f: any) => !f.resource.includes("pulumi:providers"))).toBe(true);
    expect(r.out).not.toMatch(/AAAAexample/);
  });

  test("a hand-written export with every class of defect fails each rule, at each resource's URN", async () => {
    const r = await run(["scan", path.join(FIXTURES, "kitchen-sink-export.json"), "--format", "json", "--now", NOW.toISOString()]);
    expect(r.code).toBe(1);
    const found = new Set(JSON.parse(r.out).findings.filter((f: any) => f.level === "mandatory").map((f: any) => `${f.ruleId} ${f.resource.split("::").pop()}`));
    for (const expected of [
      "aws-iam-trust-pinned deploy-from-ci",
      "oidc-role-session-duration deploy-from-ci",
      "aws-iam-no-escalating-grants deploy-from-ci-inline",
      "aws-iam-no-admin-managed-policy deploy-admin",
      "no-static-credentials bot-console",
      "no-static-credentials ci-key",
      "no-static-credentials aws-keys",
      "gcp-wif-provider-condition github",
      "gcp-iam-least-privilege ci-editor",
      "github-bot-least-privilege review-bot-admin",
    ]) expect(found).toContain(expected);
    expect(r.out).not.toMatch(/Zm9v/);
  });

  test("sarif format is a SARIF log; bad policy config is exit 2", async () => {
    const r = await run(["scan", path.join(FIXTURES, "other-program-export.json"), "--format", "sarif"]);
    expect(JSON.parse(r.out).runs[0].results.length).toBeGreaterThan(0);
    const d = tmp();
    fs.writeFileSync(path.join(d, "cfg.json"), "[1,2]");
    expect((await run(["scan", path.join(FIXTURES, "other-program-export.json"), "--policy-config", path.join(d, "cfg.json")])).code).toBe(2);
  });
});
