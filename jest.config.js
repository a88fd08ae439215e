/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // The commands' own tests (spawned processes) are the CLI tier: npm run test:cli, jest.cli.config.js.
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/__tests__/cli/"],
  // Transpile only (sucrase, pure JS); `npm test` type-checks once with tsc before jest runs.
  transform: { "^.+\\.ts$": "@sucrase/jest-plugin" },
  setupFilesAfterEnv: ["<rootDir>/setup.js"],
  // Jest leaves a core idle by default; on 2-core CI machines that is half the speed.
  maxWorkers: "100%",
  moduleFileExtensions: ["ts", "js", "json"],
};
