import type { CloudBackendConfig } from "./types";

/** Terraform Cloud's limit on a workspace name: at most 90 letters, digits, - and _. */
export const WORKSPACE_NAME = /^[A-Za-z0-9_-]{1,90}$/;

/** The Terraform Cloud workspace of a stack: the configured name, or the prefix plus the stack name. */
export function workspaceName(backend: CloudBackendConfig, stackName: string): string {
  return backend.workspaces[stackName] ?? `${backend.workspacePrefix}${stackName}`;
}
