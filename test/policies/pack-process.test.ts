/**
 * The pack as the Pulumi CLI runs it, minus the CLI (none is installed here): the nodejs language
 * host starts `@pulumi/pulumi/cmd/run-policy-pack <engine> <packDir>` with cwd = the pack folder;
 * the runner registers ts-node (type-checking, compiler options from policies/tsconfig.json),
 * requires policies/index.ts, and `new PolicyPack` reads policies/package.json's version, starts the
 * analyzer gRPC server and prints its port. This test does exactly that, then talks to the server
 * over gRPC like the engine: GetAnalyzerInfo, Configure (a `--policy-pack-config`), Analyze.
 */
import { spawn, ChildProcess } from "child_process";
import * as path from "path";
import { rules } from "../../policies/list";

/* eslint-disable @typescript-eslint/no-require-imports */
const grpc = require("@grpc/grpc-js");
const analyzerpb = require("@pulumi/pulumi/proto/analyzer_pb");
const analyzerrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const Empty = analyzerrpc.AnalyzerService.getAnalyzerInfo.requestType;

const PACK_DIR = path.join(__dirname, "..", "..", "policies");
let child: ChildProcess | undefined;
let client: any;
let stderr = "";

function unary<T>(method: string, req: unknown): Promise<T> {
  return new Promise((resolve, reject) => client[method](req, (err: unknown, resp: T) => (err ? reject(err) : resolve(resp))));
}

beforeAll(async () => {
  const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [PACK_DIR] });
  child = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: PACK_DIR, stdio: ["ignore", "pipe", "pipe"] });
  child.stderr!.on("data", (d) => (stderr += d));
  const port = await new Promise<string>((resolve, reject) => {
    let out = "";
    child!.stdout!.on("data", (d) => {
      out += d;
      const m = /^(\d+)\s*$/m.exec(out);
      if (m) resolve(m[1]);
    });
    child!.on("exit", (code) => reject(new Error(`pack exited with ${code}: ${stderr}`)));
  });
  client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 120_000);

afterAll(() => {
  client?.close();
  if (child?.pid) process.kill(child.pid);
});

test("GetAnalyzerInfo lists every rule with its level, severity, schema and remediation", async () => {
  const info = await unary<any>("getAnalyzerInfo", new Empty());
  expect(info.getName()).toBe("assistant-guardrails");
  expect(info.getVersion()).toBe(require("../../policies/package.json").version);
  const got = info.getPoliciesList().map((p: any) => ({
    name: p.getName(),
    level: p.getEnforcementlevel(),
    hasSchema: !!p.getConfigschema()?.getProperties()?.toJavaScript()?.exceptions,
    remediation: p.getRemediationSteps().length > 0,
  }));
  expect(got).toEqual(
    rules.map((r) => ({
      name: r.id,
      level: r.enforcementLevel === "mandatory" ? analyzerpb.EnforcementLevel.MANDATORY : analyzerpb.EnforcementLevel.ADVISORY,
      hasSchema: true,
      remediation: true,
    })),
  );
});

test("Configure + Analyze: a static key is a mandatory violation; config can lower the level", async () => {
  const req = new analyzerpb.AnalyzeRequest();
  req.setType("aws:iam/accessKey:AccessKey");
  req.setName("ci-key");
  req.setUrn("urn:pulumi:dev::app::aws:iam/accessKey:AccessKey::ci-key");
  req.setProperties(Struct.fromJavaScript({ user: "ai-bot" }));
  req.setOptions(new analyzerpb.AnalyzerResourceOptions());

  const first = await unary<any>("analyze", req);
  const d = first.getDiagnosticsList();
  expect(d.map((x: any) => [x.getPolicyname(), x.getEnforcementlevel()])).toEqual([["no-static-credentials", analyzerpb.EnforcementLevel.MANDATORY]]);
  expect(d[0].getMessage()).toMatch(/aws:iam\/accessKey:AccessKey 'ci-key': must not create a long-lived IAM access key/);

  const cfg = new analyzerpb.ConfigureAnalyzerRequest();
  const pc = new analyzerpb.PolicyConfig();
  pc.setEnforcementlevel(analyzerpb.EnforcementLevel.ADVISORY);
  pc.setProperties(Struct.fromJavaScript({}));
  cfg.getPolicyconfigMap().set("no-static-credentials", pc);
  await unary("configure", cfg);
  const second = await unary<any>("analyze", req);
  expect(second.getDiagnosticsList().map((x: any) => x.getEnforcementlevel())).toEqual([analyzerpb.EnforcementLevel.ADVISORY]);
});
