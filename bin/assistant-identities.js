#!/usr/bin/env node
// Runs the compiled CLI (npm run build; `npm ci` builds it through the prepare script).
const path = require("path");
const fs = require("fs");
const entry = path.join(__dirname, "..", "dist", "cli", "main.js");
if (!fs.existsSync(entry)) {
  console.error("assistant-identities: not built yet: run `npm run build` (npm ci does it for you)");
  process.exit(2);
}
require(entry)
  .main(process.argv.slice(2))
  .then((code) => process.exit(code));
