import type { LifecycleCommand } from "./args";

/** How one stack's step ended: exactly one of these. */
export type Outcome =
  /** Deploy or destroy changed it. */
  | "applied"
  /** A plan with changes (npm run plan, or deploy's first pass). */
  | "planned"
  /** Nothing to change (for destroy: no state left). */
  | "unchanged"
  /** A producer, or the bootstrap stack of its state bucket, is not deployed yet. */
  | "waiting"
  /** The operator did not answer "yes" at the prompt. */
  | "declined"
  /** Terraform or a check failed. */
  | "failed"
  /** Not run: a stack it follows did not finish. */
  | "blocked";

/** Whether the stacks that follow it may run (deploy and destroy follow the dependencies). */
export function letsFollowersRun(outcome: Outcome): boolean {
  return outcome === "applied" || outcome === "unchanged";
}

/**
 * The exit code of a lifecycle command from its stacks' outcomes. Plan: 1
 * if a plan failed; with --detailed-exitcode, 2 when something would
 * change (a stack with changes, one waiting on a producer, a stack to
 * retire), else 0. Deploy and destroy: 0 only when every stack was applied
 * or had nothing to change, else 1.
 */
export function exitCode(command: LifecycleCommand, outcomes: readonly Outcome[], options: { detailedExitcode: boolean; retiring: boolean }): 0 | 1 | 2 {
  if (command !== "plan") return outcomes.every(letsFollowersRun) ? 0 : 1;
  if (outcomes.includes("failed")) return 1;
  const changes = options.retiring || outcomes.some((o) => o === "planned" || o === "waiting");
  return options.detailedExitcode && changes ? 2 : 0;
}
