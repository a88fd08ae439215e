import type { ConfigProblem } from "../config/errors";
import { readConfig } from "../config/read";
import type { PrivateLinkConfig } from "../config/types";
import { validateConfig } from "../config/validate";
import { WORKSPACE_NAME, workspaceName } from "../config/workspaces";
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

/**
 * Every stack's workspace, given or made of the prefix, is a name Terraform
 * Cloud takes (at most 90 letters, digits, - and _), and no two stacks share
 * one: two stacks in one workspace would overwrite each other's state.
 */
function workspacesFitAndDiffer(config: PrivateLinkConfig): ConfigProblem[] {
  const backend = config.backend;
  if (backend.type !== "cloud") return [];
  const problems: ConfigProblem[] = [];
  const owner = new Map<string, string>();
  for (const stack of stackNames(config)) {
    const name = workspaceName(backend, stack);
    const path = stack in backend.workspaces ? `backend.workspaces.${stack}` : "backend.workspacePrefix";
    if (!WORKSPACE_NAME.test(name)) {
      problems.push({
        code: "backend.workspace-name",
        path,
        message:
          `expected stack ${stack}'s workspace name ${name} to be at most 90 letters, digits, - and _ (Terraform Cloud's rule); ` +
          `it is ${name.length} characters`,
        value: stack in backend.workspaces ? name : backend.workspacePrefix,
      });
    }
    const other = owner.get(name);
    if (other) {
      problems.push({
        code: "backend.workspace-shared",
        path,
        message:
          `expected a workspace of its own for stack ${stack}; ${name} is stack ${other}'s too, ` +
          "and two stacks in one workspace overwrite each other's state",
        value: name,
      });
    } else owner.set(name, stack);
  }
  return problems;
}

/** The rules on a config that need its stacks. */
const STACK_CHECKS = [workspacesNameStacks, workspacesFitAndDiffer];

/** The config every command runs on: read and validated, its stack references checked; throws `ConfigError` listing every problem. */
export function loadConfig(file: string): PrivateLinkConfig {
  return readConfig(file, STACK_CHECKS);
}

/** `loadConfig` for a config object already parsed (the docs' every-option variant, tests). */
export function resolveConfig(raw: unknown, file = "<inline>"): PrivateLinkConfig {
  return validateConfig(raw, file, STACK_CHECKS);
}
