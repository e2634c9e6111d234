#!/usr/bin/env node
/**
 * Runtime dependencies (and everything they pull in) must be permissively licensed: MIT, Apache-2.0,
 * BSD, ISC and kin. Walks the installed tree from package.json "dependencies" (not dev), prints the
 * table, exits 1 on anything else. AGPL oracles (@cloud-copilot/iam-simulate …) are dev-only.
 */
const fs = require("fs");
const path = require("path");

const PERMISSIVE = /^(MIT|MIT-0|Apache-2\.0|BSD-2-Clause|BSD-3-Clause|0BSD|ISC|BlueOak-1\.0\.0|Unlicense|CC0-1\.0|Python-2\.0|CC-BY-3\.0|CC-BY-4\.0|Zlib)$/;
// CC-BY-3.0: spdx-exceptions (a data file of licence-exception names, via @pulumi/pulumi); attribution only.

function licenseOf(pkg) {
  const l = pkg.license ?? (Array.isArray(pkg.licenses) ? pkg.licenses.map((x) => x.type).join(" OR ") : undefined);
  return typeof l === "object" ? l.type : l;
}

function permissive(expr) {
  if (!expr) return false;
  const clean = expr.replace(/[()]/g, "").trim();
  if (/ OR /.test(clean)) return clean.split(/ OR /).some((x) => permissive(x));
  if (/ AND /.test(clean)) return clean.split(/ AND /).every((x) => permissive(x));
  return PERMISSIVE.test(clean);
}

function resolvePkg(name, fromDir) {
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, "node_modules", name, "package.json");
    if (fs.existsSync(candidate)) return candidate;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function walk(root) {
  const top = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const seen = new Map();
  const queue = Object.keys(top.dependencies ?? {}).map((n) => [n, root]);
  while (queue.length) {
    const [name, from] = queue.shift();
    const file = resolvePkg(name, from);
    if (!file) continue; // optional dependency not installed on this platform
    if (seen.has(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
    let license = licenseOf(pkg);
    const see = /^SEE LICEN[CS]E IN (.+)$/i.exec(license ?? "");
    if (see) {
      // Read the named file and recognise the licence by its first line.
      const text = fs.readFileSync(path.join(path.dirname(file), see[1]), "utf8");
      if (/^\s*(The )?MIT License/i.test(text)) license = "MIT";
    }
    seen.set(file, { name: pkg.name, version: pkg.version, license });
    for (const dep of Object.keys({ ...(pkg.dependencies ?? {}), ...(pkg.optionalDependencies ?? {}) })) queue.push([dep, path.dirname(file)]);
  }
  return [...seen.values()];
}

function check(root = path.resolve(__dirname, "..")) {
  const all = walk(root);
  return { all, bad: all.filter((p) => !permissive(p.license)) };
}

module.exports = { check, permissive };

if (require.main === module) {
  const { all, bad } = check();
  console.log(`${all.length} runtime packages checked`);
  for (const p of bad) console.log(`NOT PERMISSIVE: ${p.name}@${p.version} (${p.license ?? "no licence field"})`);
  process.exit(bad.length ? 1 : 0);
}
