/**
 * Plans a stack offline: validate its config (every problem, with file and line, before anything
 * runs), then run the real program under mocks and record what `pulumi up` would register.
 */
import * as path from "path";
import { validateSpec } from "../../core/spec/validate";
import type { SpecError } from "../../core/spec/errors";
import type { StackSpec } from "../../core/spec/schema";
import { runProgram, type ProgramRun, type RecordedResource } from "./run-program";
import { PROJECT, readStackConfig, type StackConfig } from "./stack-config";
import type { MockContext } from "./mock-outputs";

export interface LocatedSpecError extends SpecError {
  file: string;
  line: number;
}

export class PlanInputError extends Error {
  constructor(public readonly errors: LocatedSpecError[]) {
    super(`the stack config has ${errors.length} problem${errors.length === 1 ? "" : "s"}:\n${errors.map((e) => `  ${e.file}:${e.line}  ${e.path}: ${e.message}`).join("\n")}`);
    this.name = "PlanInputError";
  }
}

export interface StackPlan {
  config: StackConfig;
  spec: StackSpec;
  run: ProgramRun;
}

export interface PlanOptions {
  root: string;
  stack: string;
  now?: Date;
  onResource?: (r: RecordedResource) => void;
  /** Module path of the program (default: the project's index). */
  program?: string;
  /** Simulate `pulumi preview` of a new stack (computed outputs unknown). */
  preview?: boolean;
}

export function mockContextFor(spec: StackSpec): MockContext {
  return {
    accountId: spec.platform.aws?.accountId ?? "123456789012",
    region: spec.platform.aws?.region ?? "us-east-1",
    partition: spec.platform.aws?.partition ?? "aws",
    gcpProject: (spec.platform as { gcp?: { projectId?: string } }).gcp?.projectId ?? "assistants-project",
    gcpProjectNumber: (spec.platform as { gcp?: { projectNumber?: string } }).gcp?.projectNumber ?? "123456789012",
  };
}

export function validateStackConfig(config: StackConfig, now?: Date): StackSpec {
  const { spec, errors } = validateSpec(config.spec, { now, stack: config.stack });
  if (!spec) throw new PlanInputError(errors.map((e) => ({ ...e, file: config.file, line: config.lineOf(e.path) })));
  return spec;
}

export async function planStack(opts: PlanOptions): Promise<StackPlan> {
  const config = readStackConfig(opts.root, opts.stack);
  const spec = validateStackConfig(config, opts.now);
  const program = opts.program ?? path.resolve(__dirname, "../../index");
  const previousNow = process.env.ASSISTANT_IDENTITIES_NOW;
  if (opts.now) process.env.ASSISTANT_IDENTITIES_NOW = opts.now.toISOString();
  try {
    const run = await runProgram({
      project: PROJECT,
      stack: opts.stack,
      config: config.config,
      mock: mockContextFor(spec),
      preview: opts.preview,
      onResource: opts.onResource,
      load: () => {
        // The program exports a function (as Pulumi allows): each run calls it afresh.
        const main = require(program);
        return typeof main === "function" ? main() : main;
      },
    });
    return { config, spec, run };
  } finally {
    if (opts.now) {
      if (previousNow === undefined) delete process.env.ASSISTANT_IDENTITIES_NOW;
      else process.env.ASSISTANT_IDENTITIES_NOW = previousNow;
    }
  }
}
