/**
 * The generated GCP IAM type list matches the installed @pulumi/gcp, so no IAM resource type escapes the rule.
 * The lists are built when the module loads: each test loads it itself (jest.isolateModules), so mutation
 * testing credits these tests with that code (see docs/proofs.md, "Module-level code").
 */
import * as fs from "fs";
import * as path from "path";

function load(): typeof import("../../policies/gcp-iam-types") {
  let m: typeof import("../../policies/gcp-iam-types") | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    m = require("../../policies/gcp-iam-types");
  });
  return m!;
}

function installedIamTypes(): string[] {
  const root = path.dirname(require.resolve("@pulumi/gcp/package.json"));
  const out = new Set<string>();
  for (const dir of fs.readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory() || dir.name === "node_modules" || dir.name === "types") continue;
    for (const f of fs.readdirSync(path.join(root, dir.name))) {
      if (!f.endsWith(".js")) continue;
      const m = /__pulumiType = '([^']+)'/.exec(fs.readFileSync(path.join(root, dir.name, f), "utf8"));
      if (m && /:[A-Za-z0-9]*(IAMMember|IAMBinding|IAMPolicy|IamMember|IamBinding|IamPolicy)$/.test(m[1])) out.add(m[1]);
    }
  }
  return [...out].sort();
}

test("GCP_IAM_TYPES equals the IAM member/binding/policy types of the installed @pulumi/gcp", () => {
  const { GCP_IAM_TYPES } = load();
  expect([...GCP_IAM_TYPES].sort()).toEqual(installedIamTypes());
  // Listed once each, sorted as generated.
  expect(GCP_IAM_TYPES.length).toBe(new Set(GCP_IAM_TYPES).size);
  expect([...GCP_IAM_TYPES]).toEqual([...GCP_IAM_TYPES].sort());
});

test("hierarchy types are the project, folder and organisation ones", () => {
  const { GCP_HIERARCHY_IAM_TYPES } = load();
  expect([...GCP_HIERARCHY_IAM_TYPES].sort()).toEqual([
    "gcp:folder/iAMBinding:IAMBinding", "gcp:folder/iAMMember:IAMMember", "gcp:folder/iAMPolicy:IAMPolicy",
    "gcp:organizations/iAMBinding:IAMBinding", "gcp:organizations/iAMMember:IAMMember", "gcp:organizations/iAMPolicy:IAMPolicy",
    "gcp:projects/iAMBinding:IAMBinding", "gcp:projects/iAMMember:IAMMember", "gcp:projects/iAMPolicy:IAMPolicy",
  ]);
});
