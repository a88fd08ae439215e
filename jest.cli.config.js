/**
 * The CLI tier (npm run test:cli): tests that run the compiled commands
 * (synth, wire, deploy, tfc, docs) as processes, each in a scratch directory.
 * @type {import('jest').Config}
 */
module.exports = {
  ...require("./jest.config.js"),
  roots: ["<rootDir>/__tests__/cli"],
  testPathIgnorePatterns: ["/node_modules/"],
};
