import { readFileSync } from "node:fs";
import { ConfigError } from "./errors";
import type { PrivateLinkConfig } from "./types";
import { type WholeConfigCheck, validateConfig } from "./validate";

/** The config used when `PRIVATELINK_CONFIG` is not set. */
export const DEFAULT_CONFIG_PATH = "config/example.json";

/** Path of the config selected by the environment. */
export function configPathFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.PRIVATELINK_CONFIG || DEFAULT_CONFIG_PATH;
}

/**
 * Reads and parses a config file, then validates its fields; throws
 * `ConfigError` listing every problem. Commands load a config with
 * `loadConfig` (src/wiring/load.ts), which adds the checks against the
 * stacks it makes.
 */
export function readConfig(file: string, wholeConfigChecks: readonly WholeConfigCheck[] = []): PrivateLinkConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : (err as Error).message;
    throw new ConfigError(file, [
      { code: "file.unreadable", path: "", message: `${reason}; expected a JSON config file (set PRIVATELINK_CONFIG=<path>)`, value: file },
    ]);
  }
  // Windows editors save UTF-8 with a byte-order mark; JSON.parse refuses it.
  text = text.replace(/^\uFEFF/, "");
  if (text.trim() === "") {
    throw new ConfigError(file, [{ code: "file.empty", path: "", message: "the file is empty; expected a JSON object (start from config/example.json)" }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(file, [{ code: "file.malformed-json", path: "", message: `malformed JSON (${(err as Error).message}); expected a JSON object` }]);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(file, [
      { code: "file.not-an-object", path: "", message: "expected a JSON object at the top level (start from config/example.json)", value: raw },
    ]);
  }
  return validateConfig(raw, file, wholeConfigChecks);
}
