/**
 * Runs a Pulumi program in-process under `pulumi.runtime.setMocks` and records every registration
 * the way the engine would see it: URN (with the full parent type chain), type, inputs, outputs,
 * parent, dependencies and property dependencies. The same recorder serves the tests, the
 * offline `plan` command and the benchmarks.
 */
import * as pulumi from "@pulumi/pulumi";
import { mockOutputs, type MockContext } from "./mock-outputs";

export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  id?: string;
  parent?: string;
  provider?: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
}

export interface ProgramRun {
  project: string;
  stack: string;
  resources: RecordedResource[];
  /** The program's stack outputs, resolved. */
  outputs: Record<string, unknown>;
}

export interface RunOptions {
  project: string;
  stack: string;
  /** Pulumi config, fully qualified keys (`project:key`) → string values (objects as JSON), as the CLI passes them. */
  config: Record<string, string>;
  mock: MockContext;
  /** Loads (requires) the program and returns its exports. Called after the mocks are set. */
  load: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  /**
   * Simulate `pulumi preview` of a new stack: providers compute nothing yet, so every output that is
   * not an input is unknown, and resources that consume it see the engine's unknown sentinel. Inputs
   * are then recorded exactly as the engine sends them to a policy pack (sentinels and secret envelopes kept).
   */
  preview?: boolean;
  /** Called after each registration (progress). */
  onResource?: (r: RecordedResource) => void;
}

const STACK_TYPE = "pulumi:pulumi:Stack";

/** Deeply resolves Outputs and promises in a value. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export async function resolveDeep(v: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(v)) {
    // An unknown output (preview) never runs apply callbacks: report the engine's sentinel instead.
    const o = v as unknown as { isKnown: Promise<boolean>; promise: () => Promise<unknown> };
    if (!(await o.isKnown)) return UNKNOWN;
    return resolveDeep(await o.promise());
  }
  if (v && typeof (v as Promise<unknown>).then === "function") return resolveDeep(await v);
  if (pulumi.Resource.isInstance(v)) return undefined;
  if (Array.isArray(v)) return Promise.all(v.map(resolveDeep));
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = await resolveDeep(x);
    return out;
  }
  return v;
}

function canonicalUrns(records: Array<RecordedResource & { mockUrn: string; mockParent?: string }>, stack: string, project: string) {
  const qualified = new Map<string, string>();
  const urnOf = new Map<string, string>();
  const stackUrn = `urn:pulumi:${stack}::${project}::${STACK_TYPE}::${project}-${stack}`;
  for (const r of records) {
    const parentQ = r.mockParent ? qualified.get(r.mockParent) : undefined;
    const q = parentQ ? `${parentQ}$${r.type}` : r.type;
    qualified.set(r.mockUrn, q);
    urnOf.set(r.mockUrn, `urn:pulumi:${stack}::${project}::${q}::${r.name}`);
  }
  const map = (u: string) => urnOf.get(u) ?? u;
  return {
    stackUrn,
    resources: records.map(({ mockUrn, mockParent, ...r }) => ({
      ...r,
      urn: map(mockUrn),
      parent: mockParent ? map(mockParent) : stackUrn,
      dependencies: r.dependencies.map(map),
      propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.map(map)])),
    })),
  };
}

/** A registration as the engine receives it, before URNs are made canonical. */
export type RawRecord = RecordedResource & { mockUrn: string; mockParent?: string };

/**
 * Wraps the current (mock) monitor so every registration is reported with what the engine sees and
 * the mocks do not pass on: parent, dependencies and property dependencies. Call after setMocks.
 * `raw` keeps inputs exactly as serialised (unknown sentinels, secret envelopes) instead of deserialising.
 */
export function recordRegistrations(onRecord: (r: RawRecord) => void, opts: { raw?: boolean } = {}): void {
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: (err: unknown, resp: any) => void) =>
    register(req, (err: unknown, resp: any) => {
      if (!err && resp) {
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((v: any, k: string) => (propertyDependencies[k] = v.getUrnsList()));
        onRecord({
          mockUrn: resp.getUrn(),
          mockParent: req.getParent() || undefined,
          urn: resp.getUrn(),
          type: req.getType(),
          name: req.getName(),
          custom: req.getCustom(),
          id: resp.getId() || undefined,
          provider: req.getProvider() || undefined,
          inputs: opts.raw ? req.getObject().toJavaScript() : pulumi.runtime.deserializeProperties(req.getObject()),
          outputs: opts.raw ? {} : pulumi.runtime.deserializeProperties(resp.getObject()),
          dependencies: req.getDependenciesList(),
          propertyDependencies,
        });
      }
      callback(err, resp);
    });
}

let running = false;

export async function runProgram(opts: RunOptions): Promise<ProgramRun> {
  if (running) throw new Error("runProgram is not re-entrant: Pulumi's runtime state is global to the process");
  running = true;
  try {
    const records: RawRecord[] = [];
    await pulumi.runtime.setMocks(
      {
        newResource: (args: pulumi.runtime.MockResourceArgs) => {
          if (!args.custom || opts.preview) return { id: undefined as unknown as string, state: args.inputs };
          return mockOutputs(args.type, args.name, args.inputs, opts.mock);
        },
        call: (args: pulumi.runtime.MockCallArgs) => args.inputs,
      },
      opts.project,
      opts.stack,
      opts.preview ?? false,
    );
    pulumi.runtime.setAllConfig(opts.config);

    recordRegistrations((rec) => {
      records.push(rec);
      opts.onResource?.(rec);
    }, { raw: opts.preview });

    const exports = await opts.load();
    const outputs = (await resolveDeep(exports)) as Record<string, unknown>;
    await (require("@pulumi/pulumi/runtime/settings") as { waitForRPCs: () => Promise<void> }).waitForRPCs();
    const { stackUrn, resources } = canonicalUrns(records, opts.stack, opts.project);
    const stackResource: RecordedResource = {
      urn: stackUrn,
      type: STACK_TYPE,
      name: `${opts.project}-${opts.stack}`,
      custom: false,
      inputs: {},
      outputs,
      dependencies: [],
      propertyDependencies: {},
    };
    return { project: opts.project, stack: opts.stack, resources: [stackResource, ...resources], outputs };
  } finally {
    running = false;
  }
}
