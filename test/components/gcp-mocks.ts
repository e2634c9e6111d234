/** Pulumi mocks that record every registration (type, name, inputs, parent, dependencies), for the GCP and GitHub component tests. */
import * as pulumi from "@pulumi/pulumi";
import { recordRegistrations } from "../../cli/engine/run-program";

export interface Rec {
  type: string;
  name: string;
  urn: string;
  parent: string;
  inputs: Record<string, any>;
  dependencies: string[];
}

export async function recordingMocks(): Promise<Rec[]> {
  const records: Rec[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: (args) => args.inputs,
    },
    "project",
    "stack",
    false,
  );
  recordRegistrations((r) => records.push({ type: r.type, name: r.name, urn: r.urn, parent: r.mockParent ?? "", inputs: r.inputs as Record<string, any>, dependencies: r.dependencies }));
  return records;
}

export const resolve = <T>(o: pulumi.Output<T>) => new Promise<T>((res) => o.apply((v) => res(v)));

/** Wait until the mocked engine has seen every registration queued so far. */
export const settle = () => new Promise((r) => setTimeout(r, 50));

export function one(records: Rec[], type: string, name: string): Rec {
  const r = records.filter((x) => x.type === type && x.name === name);
  if (r.length !== 1) throw new Error(`expected one ${type} named ${name}; have ${records.filter((x) => x.type === type).map((x) => x.name).join(", ")}`);
  return r[0]!;
}
