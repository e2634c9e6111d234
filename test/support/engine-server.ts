/**
 * @pulumi/policy's own server, driven in-process: the `analyze` and `analyzeStack` RPC handlers
 * (`makeAnalyzeRpcFun`, `makeAnalyzeStackRpcFun` from @pulumi/policy/server, internal API pinned with
 * @pulumi/policy 1.21.0) fed protobuf requests built the way the engine builds them (google-protobuf
 * `Struct` properties, as @pulumi/pulumi uses). Tests compare the harness with it.
 */
/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
import type { Policies } from "@pulumi/policy";
import { defaultUrn, InputResource, PACK_NAME, PACK_VERSION } from "../../policies/harness";

export type Rpc = (call: { request: unknown }, cb: (err: unknown, resp: any) => void) => Promise<void>;

export const server = require("@pulumi/policy/server") as { makeAnalyzeRpcFun: (...a: unknown[]) => Rpc; makeAnalyzeStackRpcFun: (...a: unknown[]) => Rpc };
export const analyzerpb = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

export const LEVEL_NAMES: Record<number, string> = {
  [analyzerpb.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerpb.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerpb.EnforcementLevel.REMEDIATE]: "remediate",
  [analyzerpb.EnforcementLevel.DISABLED]: "disabled",
};

/** A diagnostic reduced to what the engine prints. */
export type Diag = { policyName: string; enforcementLevel: string; urn: string; message: string };

export function toDiag(d: any): Diag {
  return { policyName: d.getPolicyname(), enforcementLevel: LEVEL_NAMES[d.getEnforcementlevel()], urn: d.getUrn(), message: d.getMessage() };
}

/** Request options as the engine sends them for a plain resource. */
export function options(parent?: string): any {
  const o = new analyzerpb.AnalyzerResourceOptions();
  o.setProtect(false);
  if (parent) o.setParent(parent);
  return o;
}

/** The fields an AnalyzeRequest and a stack request's AnalyzerResource share: type, name, URN, properties, options. */
function withResource(msg: any, r: InputResource): any {
  msg.setType(r.type);
  msg.setName(r.name);
  msg.setUrn(r.urn ?? defaultUrn(r.type, r.name));
  msg.setProperties(Struct.fromJavaScript(r.props ?? {}));
  msg.setOptions(options(r.parent));
  return msg;
}

export function analyzeRequest(r: InputResource): any {
  return withResource(new analyzerpb.AnalyzeRequest(), r);
}

export function stackRequest(resources: readonly InputResource[]): any {
  const list = resources.map((r) => {
    const ar = withResource(new analyzerpb.AnalyzerResource(), r);
    if (r.parent) ar.setParent(r.parent);
    ar.setDependenciesList(r.dependencies ?? []);
    for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
      const pd = new analyzerpb.AnalyzerPropertyDependencies();
      pd.setUrnsList(urns);
      ar.getPropertydependenciesMap().set(k, pd);
    }
    return ar;
  });
  const sreq = new analyzerpb.AnalyzeStackRequest();
  sreq.setResourcesList(list);
  return sreq;
}

export function call(fn: Rpc, request: unknown): Promise<any> {
  return new Promise((resolve, reject) => {
    void fn({ request }, (err, resp) => (err ? reject(err) : resolve(resp)));
  });
}

/**
 * The raw protobuf diagnostics of `policies` on `resources`, in the engine's order: one `analyze` call
 * per resource, then (unless `stack` is false) one `analyzeStack` call. A failing call rejects.
 */
/** A pack's two handlers, as the server's `serve` registers them. */
export function packHandlers(policies: Policies, packLevel = "advisory"): { analyze: Rpc; analyzeStack: Rpc } {
  return {
    analyze: server.makeAnalyzeRpcFun(PACK_NAME, PACK_VERSION, packLevel, policies),
    analyzeStack: server.makeAnalyzeStackRpcFun(PACK_NAME, PACK_VERSION, packLevel, policies),
  };
}

export async function serverDiagnostics(policies: Policies, resources: readonly InputResource[], opts: { packLevel?: string; stack?: boolean } = {}): Promise<any[]> {
  const { analyze, analyzeStack } = packHandlers(policies, opts.packLevel);
  const out: any[] = [];
  for (const r of resources) out.push(...(await call(analyze, analyzeRequest(r))).getDiagnosticsList());
  if (opts.stack !== false) out.push(...(await call(analyzeStack, stackRequest(resources))).getDiagnosticsList());
  return out;
}
