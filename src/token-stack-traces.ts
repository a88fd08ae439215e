import { join } from "node:path";

/**
 * cdktf 0.21 records a full stack trace (Error.stackTraceLimit raised to the
 * maximum) for every token it creates, only to show it if that token later
 * fails to resolve. At 100 consumers that is most of the time spent building
 * the stacks. This turns the recording off for the app's synth; the written
 * stacks are the same byte for byte. Set PRIVATELINK_TOKEN_STACK_TRACES=1 to
 * keep the traces while debugging a token error.
 *
 * Returns whether the recording was turned off: false when a cdktf version
 * without that internal module is installed, which is then left as it is.
 */
export function skipTokenStackTraces(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.PRIVATELINK_TOKEN_STACK_TRACES === "1") return false;
  let stackTrace: { captureStackTrace?: unknown };
  try {
    // The package has no "exports" map, so its internal module can be reached by path.
    stackTrace = require(join(require.resolve("cdktf"), "..", "tokens", "private", "stack-trace.js"));
  } catch {
    return false;
  }
  if (typeof stackTrace.captureStackTrace !== "function") return false;
  stackTrace.captureStackTrace = (): string[] => [];
  return true;
}
