/**
 * The harness and @pulumi/policy's own server loop agree. Every fixture that uses the default config
 * is run twice: through policies/harness.ts, and through the real `makeAnalyzeRpcFun` (once per
 * resource) and `makeAnalyzeStackRpcFun` (once per stack) from @pulumi/policy/server (internal API,
 * pinned 1.21.0), fed protobuf requests built with the google-protobuf Struct that @pulumi/pulumi
 * uses. The diagnostics (policy, level, URN, message) must be identical.
 *
 * Excluded on purpose: fixtures with a config (the server's config is a module global set only by
 * the `configure` RPC) and fixtures with encrypted-only secrets (the server cannot deserialise a
 * secret without `value` and fails the call; the harness treats it as unknown).
 */
import * as fs from "fs";
import * as path from "path";
import { policies } from "../../policies/list";
import { runPolicies, InputResource, defaultUrn, PACK_NAME, PACK_VERSION } from "../../policies/harness";

/* eslint-disable @typescript-eslint/no-require-imports */
const server = require("@pulumi/policy/server") as {
  makeAnalyzeRpcFun: (...a: unknown[]) => (call: { request: unknown }, cb: (err: unknown, resp: any) => void) => Promise<void>;
  makeAnalyzeStackRpcFun: (...a: unknown[]) => (call: { request: unknown }, cb: (err: unknown, resp: any) => void) => Promise<void>;
};
const analyzerpb = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

interface Fixture {
  description: string;
  resources: InputResource[];
  config?: unknown;
}

const LEVELS: Record<number, string> = {
  [analyzerpb.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerpb.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerpb.EnforcementLevel.REMEDIATE]: "remediate",
  [analyzerpb.EnforcementLevel.DISABLED]: "disabled",
};

function options(parent?: string) {
  const o = new analyzerpb.AnalyzerResourceOptions();
  o.setProtect(false);
  if (parent) o.setParent(parent);
  return o;
}

function call(fn: (call: { request: unknown }, cb: (err: unknown, resp: any) => void) => Promise<void>, request: unknown): Promise<any> {
  return new Promise((resolve, reject) => {
    void fn({ request }, (err, resp) => (err ? reject(err) : resolve(resp)));
  });
}

type Diag = { policyName: string; enforcementLevel: string; urn: string; message: string };

async function viaServer(resources: InputResource[]): Promise<Diag[]> {
  const analyze = server.makeAnalyzeRpcFun(PACK_NAME, PACK_VERSION, "advisory", policies);
  const analyzeStack = server.makeAnalyzeStackRpcFun(PACK_NAME, PACK_VERSION, "advisory", policies);
  const out: Diag[] = [];
  const collect = (resp: any) => {
    for (const d of resp.getDiagnosticsList()) {
      out.push({ policyName: d.getPolicyname(), enforcementLevel: LEVELS[d.getEnforcementlevel()], urn: d.getUrn(), message: d.getMessage() });
    }
  };
  const stackResources = [];
  for (const r of resources) {
    const urn = r.urn ?? defaultUrn(r.type, r.name);
    const req = new analyzerpb.AnalyzeRequest();
    req.setType(r.type);
    req.setName(r.name);
    req.setUrn(urn);
    req.setProperties(Struct.fromJavaScript(r.props ?? {}));
    req.setOptions(options(r.parent));
    collect(await call(analyze, req));

    const ar = new analyzerpb.AnalyzerResource();
    ar.setType(r.type);
    ar.setName(r.name);
    ar.setUrn(urn);
    ar.setProperties(Struct.fromJavaScript(r.props ?? {}));
    ar.setOptions(options(r.parent));
    if (r.parent) ar.setParent(r.parent);
    ar.setDependenciesList(r.dependencies ?? []);
    for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
      const pd = new analyzerpb.AnalyzerPropertyDependencies();
      pd.setUrnsList(urns);
      ar.getPropertydependenciesMap().set(k, pd);
    }
    stackResources.push(ar);
  }
  const sreq = new analyzerpb.AnalyzeStackRequest();
  sreq.setResourcesList(stackResources);
  collect(await call(analyzeStack, sreq));
  return out;
}

const ROOT = __dirname;
const fixtures: Array<[string, Fixture]> = fs
  .readdirSync(ROOT)
  .filter((d) => fs.statSync(path.join(ROOT, d)).isDirectory())
  .flatMap((d) =>
    fs
      .readdirSync(path.join(ROOT, d))
      .filter((f) => f.endsWith(".json"))
      .map((f) => [`${d}/${f}`, fs.readFileSync(path.join(ROOT, d, f), "utf8")] as const),
  )
  .filter(([, text]) => !text.includes('"ciphertext"'))
  .map(([name, text]) => [name, JSON.parse(text) as Fixture] as [string, Fixture])
  .filter(([, fx]) => fx.config === undefined);

const order = (a: Diag, b: Diag) => JSON.stringify(a).localeCompare(JSON.stringify(b));

test("there are enough default-config fixtures to compare", () => {
  expect(fixtures.length).toBeGreaterThanOrEqual(10);
});

test.each(fixtures)("%s: harness == @pulumi/policy server", async (_name, fx) => {
  const expected = (await viaServer(fx.resources)).sort(order);
  const got = (await runPolicies(policies, fx.resources))
    .map((v) => ({ policyName: v.policyName, enforcementLevel: v.enforcementLevel, urn: v.urn ?? "", message: v.message }))
    .sort(order);
  expect(got).toEqual(expected);
});

test("a fixture with violations produces the same non-empty diagnostics on both paths", async () => {
  const withViolations = [];
  for (const [, fx] of fixtures) if ((await viaServer(fx.resources)).length) withViolations.push(fx);
  expect(withViolations.length).toBeGreaterThanOrEqual(5);
});
