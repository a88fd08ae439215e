import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { BackendConfig } from "../config/types";

/**
 * The Terraform command lines the lifecycle runs in a synthesized stack's
 * directory, and the one way they are run. Every command is
 * non-interactive (`-input=false`), so a missing variable is an error, never
 * a prompt that waits forever.
 */

/** How wired values reach Terraform: a var file (S3 state) or `-var` run variables (Terraform Cloud). */
export type WiredArgs = { readonly varFile: string } | { readonly vars: Readonly<Record<string, unknown>> } | undefined;

/**
 * The arguments that pass wired values. Terraform Cloud takes `-var` on
 * CLI-driven runs with the `cloud` block since Terraform 1.1, as run
 * variables; lists go as HCL (JSON list syntax is valid HCL).
 */
export function wiredArgs(wired: WiredArgs): string[] {
  if (!wired) return [];
  if ("varFile" in wired) return [`-var-file=${wired.varFile}`];
  return Object.entries(wired.vars).map(([name, value]) => `-var=${name}=${typeof value === "string" ? value : JSON.stringify(value)}`);
}

export const initArgs = (): string[] => ["init", "-input=false", "-no-color"];

/**
 * A saved plan; `destroy` plans the stack's removal. Exit code 0: no
 * changes, 2: changes, 1: error. A state lock another run holds is waited
 * for up to `lockTimeout`.
 */
export function planArgs(planFile: string, wired: WiredArgs, destroy = false, lockTimeout = "0s"): string[] {
  return [
    "plan",
    "-input=false",
    "-no-color",
    "-detailed-exitcode",
    `-lock-timeout=${lockTimeout}`,
    ...(destroy ? ["-destroy"] : []),
    ...wiredArgs(wired),
    `-out=${planFile}`,
  ];
}

/** Applies exactly the saved plan the reviewer saw; Terraform refuses it if the state moved since. */
export const applyArgs = (planFile: string, lockTimeout = "0s"): string[] => ["apply", "-input=false", "-no-color", `-lock-timeout=${lockTimeout}`, planFile];
export const showJsonArgs = (planFile: string): string[] => ["show", "-json", planFile];
export const showArgs = (planFile: string): string[] => ["show", "-no-color", planFile];
export const outputArgs = (): string[] => ["output", "-json", "-no-color"];
export const stateListArgs = (): string[] => ["state", "list", "-no-color"];

/** How wired values are passed for this backend: `-var-file` with S3 state, `-var` in Terraform Cloud. */
export function wiredFor(backend: BackendConfig, varFile: string, vars: Readonly<Record<string, unknown>>): WiredArgs {
  if (Object.keys(vars).length === 0) return undefined;
  return backend.type === "cloud" ? { vars } : { varFile };
}

/** The run URL Terraform prints for a remote (Terraform Cloud) run, if any. */
export function runUrlOf(output: string): string | undefined {
  return /https:\/\/\S+\/runs\/run-[A-Za-z0-9]+/.exec(output)?.[0];
}

/** Terraform's own summary line ("Apply complete! Resources: …", "Destroy complete! …"), if any. */
export function completeLineOf(output: string): string | undefined {
  return output
    .split("\n")
    .find((line) => /^(Apply|Destroy) complete!/.test(line.trim()))
    ?.trim();
}

export interface TerraformResult {
  readonly code: number;
  /** stdout and stderr, interleaved as written. */
  readonly output: string;
  readonly stdout: string;
}

/**
 * Runs `terraform <args>` in `cwd`, appending everything it prints to
 * `logFile`. Never rejects on a non-zero exit: callers read `code`.
 */
export function terraform(args: readonly string[], cwd: string, logFile: string): Promise<TerraformResult> {
  mkdirSync(dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile, { flags: "a" });
  log.write(`$ terraform ${args.join(" ")}\n`);
  const started = Date.now();
  return new Promise((resolvePromise) => {
    const child = spawn(process.env.TERRAFORM ?? "terraform", args, {
      cwd,
      env: { ...process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk;
      stdout += chunk;
      log.write(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk;
      log.write(chunk);
    });
    child.on("error", (err: NodeJS.ErrnoException) => {
      const message = err.code === "ENOENT" ? "terraform is not installed or not on PATH" : err.message;
      log.end(`${message}\n`);
      resolvePromise({ code: 127, output: message, stdout: "" });
    });
    child.on("close", (code) => {
      log.end(`(exit ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s)\n\n`);
      resolvePromise({ code: code ?? 1, output, stdout });
    });
  });
}

/**
 * A stack's outputs, read from its state with `terraform output -json` in
 * its synthesized directory (initialized first when it is not yet). Empty
 * when the stack has no state. Throws with Terraform's error otherwise.
 */
export async function stackOutputs(stackDir: string, logFile: string, initFirst: boolean): Promise<unknown> {
  if (initFirst) {
    const init = await terraform(initArgs(), stackDir, logFile);
    if (init.code !== 0) throw new Error(`terraform init failed in ${stackDir}: ${errorLineOf(init.output)}`);
  }
  const result = await terraform(outputArgs(), stackDir, logFile);
  if (result.code !== 0) throw new Error(`terraform output failed in ${stackDir}: ${errorLineOf(result.output)}`);
  return JSON.parse(result.stdout.trim() || "{}");
}

/** Whether Terraform failed because the S3 backend's state bucket does not exist (yet). */
export function stateBucketMissing(output: string): boolean {
  return /S3 bucket "[^"]+" does not exist|NoSuchBucket/.test(output);
}

/** The last error Terraform printed, in one line, for a progress line. */
export function errorLineOf(output: string): string {
  const lines = output.split("\n").map((l) => l.replace(/^[│╷╵]\s?/, "").trim());
  const at = lines.findIndex((l) => l.startsWith("Error:"));
  if (at < 0) return lines.filter(Boolean).at(-1)?.slice(0, 300) ?? "(no output)";
  const detail = lines.slice(at + 1).find((l) => l && !l.startsWith("with ") && !l.startsWith("on "));
  return `${lines[at]}${detail ? ` ${detail}` : ""}`.slice(0, 300);
}
