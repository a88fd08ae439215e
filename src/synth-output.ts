import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** A synth that could not write its output; the message says why and what is left as it was. */
class SynthOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SynthOutputError";
  }
}

/** Files Terraform keeps in a stack directory between runs, carried into the new one. */
const KEPT_PER_STACK = [".terraform", ".terraform.lock.hcl"];

/**
 * Synthesizes into a fresh directory beside `outdir` and swaps it in only
 * when `synth` has written everything: a failure (a full disk, say) leaves
 * the old output whole, and stacks the config no longer has do not survive.
 * Terraform's own working files of stacks that remain are carried over, so
 * they need no new `terraform init`.
 */
export function synthInto(outdir: string, synth: (staging: string) => void): void {
  const target = resolve(outdir);
  if (existsSync(target) && !statSync(target).isDirectory()) {
    throw new SynthOutputError(`The output path ${outdir} is a file, not a directory; remove it or set CDKTF_OUTDIR to a directory. Nothing was synthesized.`);
  }
  const staging = `${target}.staging-${process.pid}`;
  try {
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(dirname(target), { recursive: true });
    mkdirSync(staging);
  } catch (err) {
    throw new SynthOutputError(`Cannot write the output directory ${outdir}: ${(err as Error).message}. Nothing was synthesized.`);
  }
  try {
    synth(staging);
    carryOver(target, staging);
    const old = `${target}.old-${process.pid}`;
    if (existsSync(target)) renameSync(target, old);
    renameSync(staging, target);
    rmSync(old, { recursive: true, force: true });
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    if (err instanceof SynthOutputError) throw err;
    throw new SynthOutputError(
      `Synth failed while writing ${outdir}: ${(err as Error).message}. ${existsSync(target) ? `${outdir} was left as it was.` : "Nothing was written."}`,
    );
  }
}

function carryOver(from: string, to: string): void {
  const stacks = join(from, "stacks");
  if (!existsSync(stacks)) return;
  for (const stack of readdirSync(stacks)) {
    if (!existsSync(join(to, "stacks", stack))) continue;
    for (const kept of KEPT_PER_STACK) {
      const file = join(stacks, stack, kept);
      if (existsSync(file)) renameSync(file, join(to, "stacks", stack, kept));
    }
  }
}
