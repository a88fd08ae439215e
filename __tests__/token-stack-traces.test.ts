import { join } from "node:path";

// setup.js already turned the traces off in this file's module registry, so
// each test runs in an isolated registry with fresh copies of cdktf and of
// the module under test (which loads cdktf's module when it is called).
function inFreshModules(body: (stackTrace: { captureStackTrace: () => string[] }, skip: (env: NodeJS.ProcessEnv) => boolean) => void): void {
  jest.isolateModules(() => {
    const stackTrace = require(join(require.resolve("cdktf"), "..", "tokens", "private", "stack-trace.js"));
    body(stackTrace, require("../src/token-stack-traces").skipTokenStackTraces);
  });
}

describe("skipTokenStackTraces", () => {
  test("leaves cdktf alone when PRIVATELINK_TOKEN_STACK_TRACES=1", () => {
    inFreshModules((stackTrace, skip) => {
      expect(skip({ PRIVATELINK_TOKEN_STACK_TRACES: "1" })).toBe(false);
      expect(stackTrace.captureStackTrace().length).toBeGreaterThan(0);
    });
  });

  test("otherwise turns off cdktf's per-token stack traces", () => {
    inFreshModules((stackTrace, skip) => {
      expect(stackTrace.captureStackTrace().length).toBeGreaterThan(0);
      expect(skip({})).toBe(true);
      expect(stackTrace.captureStackTrace()).toEqual([]);
    });
  });
});
