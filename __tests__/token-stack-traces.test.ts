import { join } from "node:path";
import { skipTokenStackTraces } from "../src/token-stack-traces";

// jest gives each test file its own module registry, so patching cdktf here
// does not reach the other test files.
const stackTrace = require(join(require.resolve("cdktf"), "..", "tokens", "private", "stack-trace.js"));

describe("skipTokenStackTraces", () => {
  test("leaves cdktf alone when PRIVATELINK_TOKEN_STACK_TRACES=1", () => {
    expect(skipTokenStackTraces({ PRIVATELINK_TOKEN_STACK_TRACES: "1" })).toBe(false);
    expect(stackTrace.captureStackTrace().length).toBeGreaterThan(0);
  });

  test("otherwise turns off cdktf's per-token stack traces", () => {
    expect(skipTokenStackTraces({})).toBe(true);
    expect(stackTrace.captureStackTrace()).toEqual([]);
  });
});
