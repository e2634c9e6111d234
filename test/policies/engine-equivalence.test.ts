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
import { runPolicies, InputResource } from "../../policies/harness";
import { Diag, serverDiagnostics, toDiag } from "../support/engine-server";

interface Fixture {
  description: string;
  resources: InputResource[];
  config?: unknown;
}

async function viaServer(resources: InputResource[]): Promise<Diag[]> {
  return (await serverDiagnostics(policies, resources)).map(toDiag);
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
