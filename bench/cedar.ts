/**
 * Local tool-call decisions per second with the real Cedar engine (@cedar-policy/cedar-wasm),
 * on the pr-reviewer example's generated policies and a mix of allowed and denied calls.
 *
 *   benchCedar() → { decisionsPerSecond, authorizePerSecond, statelessDecisionsPerSecond, … }
 *
 * - decisionsPerSecond: the local engine alone (pre-parsed policy set and schema, request
 *   validated against the schema): what an offline gateway pays per call.
 * - authorizePerSecond: authorizeSync() end to end (request building, engine, reasons, event to a
 *   sink that serialises it as JSON).
 * - statelessDecisionsPerSecond: cedar-wasm isAuthorized parsing policies and schema every call
 *   (why the local engine pre-parses).
 *
 * Entry point without jest or ts-node (dist/ is git-ignored and sees node_modules):
 *   npx tsc -p tsconfig.json --outDir dist/bench-build && node dist/bench-build/bench/cedar.js
 * or wire `benchCedar` into the project's bench runner.
 */
import { performance } from "perf_hooks";
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { compileToolPolicies, staticPolicySet } from "../core/cedar/policies";
import { localCedarEngine } from "../core/cedar/local";
import { createAuthorizer, type ToolCallEvent } from "../core/cedar/authorize";
import { toCedarRequest, type ToolCallRequest } from "../core/cedar/request";
import { PR_REVIEWER } from "../test/core/cedar/examples";

export interface CedarBenchResult {
  decisionsPerSecond: number;
  authorizePerSecond: number;
  statelessDecisionsPerSecond: number;
  /** Latency of authorizeSync, microseconds. */
  p50Micros: number;
  p99Micros: number;
  decisions: number;
  policies: number;
  allowed: number;
  denied: number;
  node: string;
  cedar: string;
}

const NOW = new Date("2026-06-01T12:00:00Z");

/** A mix of calls: allowed, another target, no task id, forbidden chain, approval missing, expired. */
export function benchRequests(): ToolCallRequest[] {
  const base = { assistant: "pr-reviewer", taskId: "task-1", sessionAgeSeconds: 600, priorActions: [] as string[] };
  return [
    { ...base, action: "github:comment", target: { repository: "acme/app" } },
    { ...base, action: "github:read", target: { repository: "acme/app" }, priorActions: ["secret:read"] },
    { ...base, action: "github:comment", target: { repository: "acme/other" } },
    { ...base, action: "github:comment", target: { repository: "acme/app" }, taskId: undefined },
    { ...base, action: "s3:read", target: { bucket: "acme-ci-reports", key: "coverage/app/lcov.info" } },
    { ...base, action: "s3:read", target: { bucket: "acme-ci-reports", key: "private/x" } },
    { ...base, action: "http:call", target: { url: "https://api.sonar.example/v1/issues" }, method: "GET" },
    { ...base, action: "http:call", target: { url: "https://api.sonar.example/v1/issues" }, method: "GET", priorActions: ["secret:read"] },
    { ...base, action: "secret:read", target: { secret: "ci/sonar-token" }, approval: { approver: "alice", taskId: "task-1" } },
    { ...base, action: "secret:read", target: { secret: "ci/sonar-token" } },
    { ...base, action: "github:read", target: { repository: "acme/app" }, now: new Date("2027-02-01T00:00:00Z") },
  ];
}

export function rate(iterations: number, fn: (i: number) => void, minMs = 1000): { perSecond: number; n: number } {
  for (let i = 0; i < Math.min(iterations, 500); i++) fn(i); // warm-up
  let n = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < minMs || n < iterations) {
    for (let k = 0; k < 250; k++, n++) fn(n);
    elapsed = performance.now() - t0;
  }
  return { perSecond: Math.round((n * 1000) / elapsed), n };
}

export function benchCedar(options: { minMs?: number } = {}): CedarBenchResult {
  const minMs = options.minMs ?? 1500;
  const bundle = compileToolPolicies(PR_REVIEWER);
  const engine = localCedarEngine(bundle);
  const reqs = benchRequests();
  const cedarReqs = reqs.map((r) => toCedarRequest(r, NOW).request);

  let allowed = 0;
  let denied = 0;
  const engineRate = rate(cedarReqs.length * 100, (i) => {
    const a = engine.decideSync(cedarReqs[i % cedarReqs.length]);
    if (a.decision === "allow") allowed++;
    else denied++;
  }, minMs);

  let bytes = 0;
  const authz = createAuthorizer({ engine, policies: bundle.policies, sink: (e: ToolCallEvent) => void (bytes += JSON.stringify(e).length), clock: () => NOW });
  const authorizeRate = rate(reqs.length * 100, (i) => void authz.authorizeSync!(reqs[i % reqs.length]), minMs);

  const latencies: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const t = performance.now();
    authz.authorizeSync!(reqs[i % reqs.length]);
    latencies.push((performance.now() - t) * 1000);
  }
  latencies.sort((a, b) => a - b);

  const policies = staticPolicySet(bundle);
  const statelessRate = rate(cedarReqs.length * 10, (i) => {
    const r = cedarReqs[i % cedarReqs.length];
    cedar.isAuthorized({ ...r, entities: r.entities as cedar.Entities, context: r.context as cedar.Context, schema: bundle.schema as cedar.Schema, validateRequest: true, policies: { staticPolicies: policies } });
  }, Math.min(minMs, 1000));

  if (bytes === 0) throw new Error("the event sink received nothing");
  return {
    decisionsPerSecond: engineRate.perSecond,
    authorizePerSecond: authorizeRate.perSecond,
    statelessDecisionsPerSecond: statelessRate.perSecond,
    p50Micros: Math.round(latencies[Math.floor(latencies.length * 0.5)]),
    p99Micros: Math.round(latencies[Math.floor(latencies.length * 0.99)]),
    decisions: engineRate.n,
    policies: bundle.policies.length,
    allowed,
    denied,
    node: process.version,
    cedar: cedar.getCedarVersion(),
  };
}

if (require.main === module) {
  console.log(JSON.stringify(benchCedar(), null, 2));
}
