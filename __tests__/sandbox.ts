import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./root";

// Operators deploy from their checkout and keep var files, saved plans and
// Terraform logs in it (vars/, plans/, logs/, cdktf.out/), so no command a
// test runs may start there: the CLIs write those paths relative to their
// working directory.

/**
 * A fresh temporary directory standing in for a checkout: it holds a copy of
 * config/, so a relative PRIVATELINK_CONFIG and the default config resolve as
 * they do in the project, and everything a command writes stays in it.
 */
export function scratchProject(prefix = "privatelink-cwd-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(join(ROOT, "config"), join(dir, "config"), { recursive: true });
  return dir;
}

/** How {@link runCompiled} runs an entry point. */
export interface CompiledRunProps {
  /** Variables added to the test's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Standard input; @default none (the command sees no terminal). */
  readonly input?: string;
  /** Working directory; @default a fresh {@link scratchProject} per call. */
  readonly cwd?: string;
}

/**
 * Runs a compiled entry point (`main.js`, `src/cli/wire.js`, … under dist/;
 * `npm test` compiles them first) with node, as the npm scripts do, but in a
 * scratch directory instead of the checkout.
 */
export function runCompiled(entry: string, args: readonly string[] = [], props: CompiledRunProps = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [join(ROOT, "dist", entry), ...args], {
    cwd: props.cwd ?? scratchProject(),
    encoding: "utf8",
    input: props.input,
    env: { ...process.env, ...props.env },
  });
}
