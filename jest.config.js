/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // Transpile only (sucrase, pure JS); `npm test` type-checks once with tsc before jest runs.
  transform: { "^.+\\.ts$": "@sucrase/jest-plugin" },
  setupFilesAfterEnv: ["<rootDir>/setup.js"],
  moduleFileExtensions: ["ts", "js", "json"],
};
