import * as fs from "fs";
import * as path from "path";

const dir = path.join(__dirname, "..", "..", "..", "core", "iam");

describe("core/iam stays pure", () => {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".ts"));
  test("there are modules to check", () => expect(files.length).toBeGreaterThanOrEqual(6));
  test.each(files)("%s imports no @pulumi package and no AGPL oracle", (f) => {
    const src = fs.readFileSync(path.join(dir, f), "utf8");
    expect(src).not.toMatch(/from\s+["']@pulumi\//);
    expect(src).not.toMatch(/require\(\s*["']@pulumi\//);
    expect(src).not.toMatch(/@cloud-copilot\/iam-(simulate|policy|expand|utils)/);
  });
});
