import * as path from "path";

const { check, permissive } = require(path.resolve(__dirname, "../scripts/check-licenses.js"));

describe("licences", () => {
  test("every runtime dependency, transitively, is permissively licensed", () => {
    const { all, bad } = check();
    expect(all.length).toBeGreaterThan(50);
    expect(bad).toEqual([]);
  });

  test("the checker refuses copyleft and accepts permissive expressions", () => {
    expect(permissive("AGPL-3.0-or-later")).toBe(false);
    expect(permissive("GPL-2.0")).toBe(false);
    expect(permissive(undefined)).toBe(false);
    expect(permissive("(MIT OR GPL-3.0)")).toBe(true);
    expect(permissive("Apache-2.0")).toBe(true);
  });

  test("the AGPL simulator packages are dev dependencies only", () => {
    const pkg = require(path.resolve(__dirname, "../package.json"));
    for (const name of Object.keys(pkg.dependencies)) expect(name).not.toMatch(/iam-simulate|iam-policy|iam-expand|iam-utils/);
    expect(Object.keys(pkg.devDependencies)).toContain("@cloud-copilot/iam-simulate");
  });
});
