import { spawnSync } from "node:child_process";
import { join } from "node:path";

/** What an entry point's main gives back: its exit code, or nothing for 0. */
export type CliResult = number | undefined;

/**
 * How every entry point ends: exit with the code its main returns (0 when
 * it returns nothing), and on an error print the message alone, a config
 * error's list of problems included, never a stack trace unless `DEBUG` is
 * set.
 */
export function runCli(main: () => CliResult | Promise<CliResult>): void {
  new Promise<CliResult>((done) => done(main())).then(
    (code) => process.exit(code ?? 0),
    (err: unknown) => {
      process.stderr.write(`${errorText(err)}\n`);
      process.exit(1);
    },
  );
}

/** What a CLI prints for an error. */
export function errorText(err: unknown, debug = Boolean(process.env.DEBUG)): string {
  if (!(err instanceof Error)) return String(err);
  return debug && err.stack ? err.stack : err.message;
}

/**
 * Synthesizes every stack with the same app and config as npm run synth:
 * dist/main.js, found from this compiled file rather than the working
 * directory. Its errors go to stderr; false when it failed.
 */
export function synthesizeApp(): boolean {
  return spawnSync(process.execPath, [join(__dirname, "..", "..", "main.js")], { stdio: ["ignore", "ignore", "inherit"], env: process.env }).status === 0;
}
