// Builds the benchmarks into dist-bench/ (clean, so deleted rules do not linger), copies the
// non-TypeScript files the compiled code reads, and keeps going on type errors elsewhere in the
// tree (others' work in progress) as long as the bench itself was emitted.
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const root = path.resolve(__dirname, "..");
const out = path.join(root, "dist-bench");
fs.rmSync(out, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "tsconfig.bench.json")], { stdio: "inherit" });
if (tsc.status !== 0) {
  if (!fs.existsSync(path.join(out, "bench", "run.js"))) process.exit(tsc.status ?? 1);
  console.error("bench/build.js: tsc reported type errors (above); the code was emitted, benchmarking it anyway");
}
for (const f of ["policies/package.json", "policies/PulumiPolicy.yaml"]) {
  const src = path.join(root, f);
  if (fs.existsSync(src)) fs.copyFileSync(src, path.join(out, f));
}
