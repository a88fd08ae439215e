// Types of cdktf's jest matchers (toHaveResource, ...); setup.js installs them.
import "cdktf/lib/testing/adapters/jest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { type PrivateLinkStacks, buildStacks } from "../src/app";
import { validateConfig } from "../src/config/validate";
import type { PrivateLinkConfig } from "../src/config/types";

export const ROOT = join(__dirname, "..");

/** A fresh, mutable copy of config/example.json. */
export function exampleRaw(): any {
  return JSON.parse(readFileSync(join(ROOT, "config/example.json"), "utf8"));
}

export function exampleConfig(mutate?: (raw: ReturnType<typeof exampleRaw>) => void): PrivateLinkConfig {
  const raw = exampleRaw();
  mutate?.(raw);
  return validateConfig(raw, "example");
}

/** Builds every stack of a config in a fresh test app. */
export function buildExample(config: PrivateLinkConfig = exampleConfig()): PrivateLinkStacks {
  return buildStacks(Testing.app(), config);
}

/** Synthesized JSON of a stack, parsed. */
export function parsed(synth: string): any {
  return JSON.parse(synth);
}

/** The config problems a raw config produces, as "path: message" lines. */
export function problemsOf(mutate: (raw: ReturnType<typeof exampleRaw>) => void): string {
  try {
    exampleConfig(mutate);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected the config to be rejected");
}
