#!/usr/bin/env node
/**
 * Mutation testing in batches: `node scripts/mutation.js <name> <glob> [<glob> ...]` runs Stryker
 * (stryker.conf.json) over the given files only, with its own incremental file and JSON report
 * under reports/ (so a batch can be rerun or resumed alone), then prints the batch's score.
 * `node scripts/mutation.js --summary [--write docs/proofs.md]` merges every batch report into one table per file
 * (and writes it between that file's mutation:table markers), each batch counting only the files it was
 * given (the newest batch that was given a file is its measurement);
 * `node scripts/mutation.js --survivors [path-part]` lists the mutants no test killed.
 */
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const { writeBetweenMarkers } = require("./markers");

const root = path.resolve(__dirname, "..");
const reports = path.join(root, "reports", "mutation");

function score(files) {
  const t = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0, compileError: 0, runtimeError: 0 };
  const per = {};
  for (const [file, { mutants }] of Object.entries(files)) {
    const p = (per[file] = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0, compileError: 0, runtimeError: 0 });
    for (const m of mutants) {
      const k = { Killed: "killed", Timeout: "timeout", Survived: "survived", NoCoverage: "noCoverage", Ignored: "ignored", CompileError: "compileError", RuntimeError: "runtimeError" }[m.status];
      if (k) {
        p[k]++;
        t[k]++;
      }
    }
  }
  const pct = (c) => {
    const d = c.killed + c.timeout + c.survived + c.noCoverage;
    return d ? (100 * (c.killed + c.timeout)) / d : 100;
  };
  return { total: t, per, pct };
}

/** Batch reports, oldest first: a file measured by two batches counts as the newer one measured it. */
function batchReports() {
  return fs
    .readdirSync(reports)
    .filter((f) => f.startsWith("batch-") && f.endsWith(".json"))
    .sort((a, b) => fs.statSync(path.join(reports, a)).mtimeMs - fs.statSync(path.join(reports, b)).mtimeMs);
}

/** A Stryker `mutate` glob as a RegExp over repo-relative paths (`**\/` any folders, `*` within one, `?` one character). */
function globRegex(glob) {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (glob.startsWith("**/", i)) {
      re += "(?:.*/)?";
      i += 2;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/**
 * The files of one batch report that the batch was asked to mutate (its `mutate` globs, from the config
 * this script wrote). Stryker's incremental file can carry results of files a batch no longer lists,
 * and those must not shadow a newer batch's measurement of them. Without a config: every file.
 */
function batchFiles(reportName) {
  const r = JSON.parse(fs.readFileSync(path.join(reports, reportName), "utf8"));
  const name = reportName.replace(/^batch-/, "").replace(/\.json$/, "");
  const confPath = path.join(root, "reports", `stryker-${name}.conf.json`);
  if (!fs.existsSync(confPath)) return r.files;
  const globs = JSON.parse(fs.readFileSync(confPath, "utf8")).mutate.map(globRegex);
  return Object.fromEntries(Object.entries(r.files).filter(([file]) => globs.some((g) => g.test(file))));
}

/** test-index-v2.json: every test's full name, by file, for jest.stryker.sequencer.js. Rebuilt when a test changed. */
function ensureTestIndex() {
  const file = path.join(reports, "test-index-v2.json");
  const newest = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
      const p = path.join(dir, e.name);
      return Math.max(m, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
    }, 0);
  if (fs.existsSync(file) && fs.statSync(file).mtimeMs > newest(path.join(root, "test"))) return;
  const raw = path.join(reports, "test-index-v2-raw.json");
  const r = spawnSync(process.execPath, [path.join(root, "node_modules", "jest", "bin", "jest.js"), "--config", "jest.stryker.config.js", "--json", "--outputFile", raw], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) {
    console.error("mutation: the test suite fails outside Stryker; fix it first");
    process.exit(1);
  }
  const idx = { names: {}, durations: {} };
  for (const t of JSON.parse(fs.readFileSync(raw, "utf8")).testResults) {
    const rel = path.relative(root, t.name).split(path.sep).join("/");
    idx.names[rel] = t.assertionResults.map((a) => a.fullName);
    idx.durations[rel] = t.endTime - t.startTime;
  }
  fs.writeFileSync(file, JSON.stringify(idx));
}

/** Each measured file from the newest batch that was given it (batch reports are read oldest first). */
function newestFiles() {
  const files = {};
  for (const f of batchReports()) Object.assign(files, batchFiles(f));
  return files;
}

/** The score table over every batch report; `write`: also put it between the table markers of that Markdown file. */
function summary(write) {
  const { total, per, pct } = score(newestFiles());
  const rows = Object.entries(per).sort(([a], [b]) => a.localeCompare(b));
  const line = (name, c) => `| ${name} | ${c.killed} | ${c.timeout} | ${c.survived} | ${c.noCoverage} | ${pct(c).toFixed(2)} % |`;
  const out = ["| file | killed | timed out | survived | no coverage | score |", "|---|---:|---:|---:|---:|---:|", ...rows.map(([f, c]) => line(f, c)), line("**all**", total)];
  console.log(out.join("\n"));
  if (write) {
    // Replace the table between the markers of a Markdown file (docs/proofs.md).
    writeBetweenMarkers(write, "mutation:table", out.join("\n"), "mutation");
  }
}

/** Surviving (and uncovered) mutants of the batch reports, a line each: file:line:col mutator `original` → `replacement`. */
function survivors(filter) {
  for (const [file, { source, mutants }] of Object.entries(newestFiles())) {
    if (filter && !file.includes(filter)) continue;
    const lines = source.split("\n");
    for (const m of mutants) {
      if (m.status !== "Survived" && m.status !== "NoCoverage") continue;
      const { start, end } = m.location;
      const original = start.line === end.line ? lines[start.line - 1].slice(start.column - 1, end.column - 1) : `${lines[start.line - 1].slice(start.column - 1)}…`;
      const oneLine = (x) => (x.length > 90 ? `${x.slice(0, 90)}…` : x).replace(/\s+/g, " ");
      console.log(`${file}:${start.line}:${start.column} ${m.status === "NoCoverage" ? "NO COVERAGE " : ""}${m.mutatorName} \`${oneLine(original)}\` → \`${oneLine(m.replacement ?? "")}\``);
    }
  }
}

if (process.argv[2] === "--summary") {
  summary(process.argv[3] === "--write" ? process.argv[4] : undefined);
} else if (process.argv[2] === "--survivors") {
  survivors(process.argv[3]);
} else {
  const [name, ...globs] = process.argv.slice(2);
  if (!name || !globs.length) {
    console.error("usage: node scripts/mutation.js <batch-name> <file-or-glob> [...] | --summary");
    process.exit(2);
  }
  const base = JSON.parse(fs.readFileSync(path.join(root, "stryker.conf.json"), "utf8"));
  const conf = {
    ...base,
    mutate: globs,
    incrementalFile: `reports/stryker-incremental-batch-${name}.json`,
    reporters: ["progress-append-only", "json"],
    jsonReporter: { fileName: `reports/mutation/batch-${name}.json` },
    tempDirName: `.stryker-tmp-${name}`,
  };
  delete conf.$schema;
  fs.mkdirSync(reports, { recursive: true });
  ensureTestIndex();
  const confPath = path.join(root, "reports", `stryker-${name}.conf.json`);
  fs.writeFileSync(confPath, JSON.stringify(conf, null, 2));
  const r = spawnSync(process.execPath, [path.join(root, "node_modules", "@stryker-mutator", "core", "bin", "stryker.js"), "run", confPath], { cwd: root, stdio: "inherit", env: { ...process.env, STRYKER_TEST_INDEX: path.join(reports, "test-index-v2.json") } });
  if (r.status !== 0) process.exit(r.status ?? 1);
  const rep = JSON.parse(fs.readFileSync(path.join(reports, `batch-${name}.json`), "utf8"));
  const { total, pct } = score(rep.files);
  console.log(`batch ${name}: ${pct(total).toFixed(2)} % (${JSON.stringify(total)})`);
}
