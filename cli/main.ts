/**
 * assistant-identities: plan | scan | report | schema. Exit codes are a contract other tools rely
 * on: 0 no mandatory violation, 1 at least one mandatory violation, 2 bad input.
 */
import * as fs from "fs";
import * as path from "path";
import { Command, InvalidArgumentError, Option } from "commander";
import { specJsonSchema } from "../core/spec";
import { inventoryJsonSchema } from "../core/inventory/schema";
import { EXIT, ensureDir, InputError, planCommand, reportCommand, scanCommand, type Io } from "./commands";
import { PlanInputError } from "./engine/plan-stack";
import { StackConfigError } from "./engine/stack-config";

/**
 * The Pulumi project a command works on: the nearest folder holding Pulumi.yaml from the working
 * directory up (this repository, or a platform team's copy of it), else the working directory itself
 * (where a missing stack file is then reported). It used to be found from this package's own files, so
 * an installed CLI planned the package's example stacks, whatever the user's said, and wrote its output
 * into node_modules.
 */
export function projectRoot(cwd: string = process.cwd()): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(cwd);
  }
}

function parseNow(v: string): Date {
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new InvalidArgumentError("expected an ISO date or instant, e.g. 2026-12-01 or 2026-12-01T00:00:00Z");
  return d;
}

const BAD_INPUT = [InputError, PlanInputError, StackConfigError];

export async function main(argv: string[], io: Io = { out: (s) => console.log(s), err: (s) => console.error(s) }): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command()
    .name("assistant-identities")
    .description("Plan, gate and report governed identities for AI coding assistants, offline.")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  program
    .command("plan")
    .description("run the program for a stack under Pulumi's mocks, gate it with the policy pack, write plan.json, findings.sarif, inventory.json and the report")
    .requiredOption("--stack <name>", "stack name (Pulumi.<name>.yaml in the stack config folder of the Pulumi project around the working directory)")
    .option("--out <dir>", "output folder (default out/<stack>/)")
    .option("--policy-config <file>", "policy pack config JSON (as pulumi --policy-pack-config)")
    .option("--now <instant>", "judge expiry and rotation as of this instant", parseNow)
    .option("--preview", "gate what `pulumi preview` of a new stack shows the pack: computed outputs unknown")
    .action(async (o) => {
      code = await planCommand({ root: projectRoot(), stack: o.stack, out: o.out, policyConfig: o.policyConfig, now: o.now, preview: !!o.preview }, io);
    });

  program
    .command("scan <file>")
    .description("gate a `pulumi stack export` file (or plan.json) with the policy pack")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "sarif"]).default("text"))
    .option("--policy-config <file>", "policy pack config JSON (as pulumi --policy-pack-config)")
    .option("--now <instant>", "judge exception expiry as of this instant", parseNow)
    .action(async (file, o) => {
      code = await scanCommand({ file, format: o.format, policyConfig: o.policyConfig, now: o.now }, io);
    });

  program
    .command("report <file>")
    .description("render the auditor report (Markdown + self-contained HTML) from inventory.json or a stack export")
    .option("--out <dir>", "output folder (default out/report-<stack>/)")
    .option("--now <instant>", "judge overdue rotations and expiring exceptions as of this instant", parseNow)
    .action(async (file, o) => {
      code = await reportCommand({ file, out: o.out, now: o.now }, io);
    });

  program
    .command("schema")
    .description("write the JSON Schemas of the stack spec, the inventory and the policy pack config")
    .option("--out <dir>", "output folder", "schema")
    .action(async (o) => {
      // The pack's rules load only for this command (and scan), not for every CLI start.
      const [{ policyConfigJsonSchema }, { rules }] = await Promise.all([import("../policies/config"), import("../policies/list")]);
      ensureDir(o.out, "--out");
      fs.writeFileSync(path.join(o.out, "assistant-spec.schema.json"), JSON.stringify(specJsonSchema(), null, 2) + "\n");
      fs.writeFileSync(path.join(o.out, "inventory.schema.json"), JSON.stringify(inventoryJsonSchema(), null, 2) + "\n");
      fs.writeFileSync(path.join(o.out, "policy-config.schema.json"), JSON.stringify(policyConfigJsonSchema(rules), null, 2) + "\n");
      io.out(`Wrote ${o.out}/assistant-spec.schema.json, ${o.out}/inventory.schema.json and ${o.out}/policy-config.schema.json`);
    });

  try {
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (e: any) {
    if (e?.code?.startsWith?.("commander.")) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return EXIT.ok;
      return EXIT.badInput;
    }
    if (BAD_INPUT.some((c) => e instanceof c) || e?.name === "PolicyConfigError" || e?.name === "InventoryError") {
      io.err(`error: ${e.message}`);
      return EXIT.badInput;
    }
    io.err(`error: ${e?.message ?? e}${process.env.DEBUG ? `\n${e?.stack}` : "\n(set DEBUG=1 for the stack trace)"}`);
    return EXIT.badInput;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((c) => process.exit(c));
}
