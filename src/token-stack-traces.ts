import { join } from "node:path";

/**
 * cdktf 0.21 records a full stack trace (Error.stackTraceLimit raised to the
 * maximum) for every token it creates, only to show it if that token later
 * fails to resolve. At 100 consumers that is most of the time spent building
 * the stacks. This turns the recording off for the app's synth; the written
 * stacks are the same byte for byte. Set PRIVATELINK_TOKEN_STACK_TRACES=1 to
 * keep the traces while debugging a token error.
 *
 * It works on both frameworks: cdktf has no switch, so its internal
 * `captureStackTrace` is replaced; CDK Terrain (cdktn) reads its own
 * `CDKTN_DISABLE_CREATION_STACK` at every token, and there replacing the
 * export would do nothing, as its tokens call the function directly.
 *
 * Returns whether the recording was turned off.
 */
export function skipTokenStackTraces(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.PRIVATELINK_TOKEN_STACK_TRACES === "1") return false;
  env.CDKTN_DISABLE_CREATION_STACK = "1";
  const cdktfTraces = cdktfStackTraceModule();
  if (cdktfTraces) cdktfTraces.captureStackTrace = (): string[] => [];
  return true;
}

/** cdktf's internal stack-trace module, when cdktf (not the fork) is installed. */
function cdktfStackTraceModule(): { captureStackTrace?: unknown } | undefined {
  let main: string;
  try {
    main = require.resolve("cdktf");
  } catch {
    return undefined;
  }
  // The package has no "exports" map, so its internal module can be reached by path.
  const traces = require(join(main, "..", "tokens", "private", "stack-trace.js")) as { captureStackTrace?: unknown; captureCreationStack?: unknown };
  return typeof traces.captureStackTrace === "function" && traces.captureCreationStack === undefined ? traces : undefined;
}
