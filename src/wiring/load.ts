import type { ConfigProblem } from "../config/errors";
import { readConfig } from "../config/read";
import type { PrivateLinkConfig } from "../config/types";
import { validateConfig } from "../config/validate";
import { stackNames } from "./stack-graph";

/**
 * A Terraform Cloud workspace given for a stack the config does not make
 * would do nothing: whoever wrote it meant a stack (a typo, or a consumer
 * since removed).
 */
function workspacesNameStacks(config: PrivateLinkConfig): ConfigProblem[] {
  if (config.backend.type !== "cloud") return [];
  const stacks = stackNames(config);
  return Object.entries(config.backend.workspaces)
    .filter(([name]) => !stacks.includes(name))
    .map(([name, workspace]) => ({
      code: "no-effect.workspace",
      path: `backend.workspaces.${name}`,
      message: `names no stack of this config, so it would do nothing; the stacks are ${stacks.join(", ")}`,
      value: workspace,
    }));
}

/** The rules on a config that need its stacks. */
const STACK_CHECKS = [workspacesNameStacks];

/** The config every command runs on: read and validated, its stack references checked; throws `ConfigError` listing every problem. */
export function loadConfig(file: string): PrivateLinkConfig {
  return readConfig(file, STACK_CHECKS);
}

/** `loadConfig` for a config object already parsed (the docs' every-option variant, tests). */
export function resolveConfig(raw: unknown, file = "<inline>"): PrivateLinkConfig {
  return validateConfig(raw, file, STACK_CHECKS);
}
