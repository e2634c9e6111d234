/** Jest runs transpile-only (ts-jest isolatedModules); `npm test` type-checks once with tsc first. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.[tj]s$": ["ts-jest", { tsconfig: { allowJs: true, isolatedModules: true }, diagnostics: false }],
  },
  // ESM-only packages that must be transpiled for jest's CommonJS runtime.
  transformIgnorePatterns: ["/node_modules/(?!(@marcbachmann/cel-js|@hpcc-js)/)"],
  testTimeout: 60000,
};
