// Copies the non-TypeScript files the compiled code reads at run time into dist/.
const fs = require("fs");
const path = require("path");
const root = path.resolve(__dirname, "..");
for (const f of ["policies/package.json", "policies/PulumiPolicy.yaml"]) {
  const src = path.join(root, f);
  if (fs.existsSync(src)) {
    fs.mkdirSync(path.dirname(path.join(root, "dist", f)), { recursive: true });
    fs.copyFileSync(src, path.join(root, "dist", f));
  }
}
