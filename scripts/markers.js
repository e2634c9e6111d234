/**
 * Replaces what stands between `<!-- NAME:start -->` and `<!-- NAME:end -->` in a Markdown file
 * (docs/proofs.md's mutation table, docs/policy-pack.md's standards matrix). Exits with code 2,
 * naming the file and the markers, when they are missing.
 */
const fs = require("fs");

function writeBetweenMarkers(file, name, body, who) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const doc = fs.readFileSync(file, "utf8");
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) {
    console.error(`${who}: ${file} has no ${start} … ${end} markers; add the two where the block belongs`);
    process.exit(2);
  }
  fs.writeFileSync(file, `${doc.slice(0, a + start.length)}\n${body}\n${doc.slice(b)}`);
}

module.exports = { writeBetweenMarkers };
