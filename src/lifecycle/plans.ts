import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { type PlanCounts, type PlanJson, type StackReview, hasChanges, reviewPlan } from "./review";
import { type TerraformResult, type WiredArgs, errorLineOf, planArgs, runUrlOf, showJsonArgs } from "./terraform";

/** A saved plan deploy may apply: where it is, the wired values it was made with, and what it changes. */
export interface PreparedPlan {
  readonly planFile: string;
  /** The wired variables it was made with. */
  readonly vars: Readonly<Record<string, unknown>>;
  readonly changed: boolean;
  readonly review: StackReview;
  /** From `npm run plan` (deploy --plans): never re-planned, refused when stale. */
  readonly saved: boolean;
}

/** How to plan one stack: Terraform in its directory, its wired inputs, the lock timeout, and where a Terraform Cloud run URL goes. */
export interface PlanRun {
  readonly stack: string;
  readonly run: (args: string[]) => Promise<TerraformResult>;
  readonly wired: WiredArgs;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly lockTimeout?: string;
  readonly note: (line: string) => void;
}

/**
 * Plans with the given wired values into `planFile` and reviews the plan's
 * JSON (an empty plan, Terraform's exit code 0, has nothing to review: it
 * is not exported, which would cost a provider start). A plan with changes
 * that cannot be read cannot be checked, so that is an error here.
 */
export async function planStack(p: PlanRun, planFile: string): Promise<{ plan: PreparedPlan; json: string } | { error: string }> {
  const plan = await p.run(planArgs(planFile, p.wired, false, p.lockTimeout));
  const url = runUrlOf(plan.output);
  if (url) p.note(`${p.stack}: Terraform Cloud run ${url}`);
  if (plan.code !== 0 && plan.code !== 2) {
    rmSync(planFile, { force: true });
    return { error: errorLineOf(plan.output) };
  }
  if (plan.code === 0) {
    const review = { stack: p.stack, status: "no changes", counts: { add: 0, change: 0, replace: 0, destroy: 0, outputs: 0 }, risky: [], runUrl: url };
    return { plan: { planFile, vars: p.vars, changed: false, saved: false, review }, json: "" };
  }
  const show = await p.run(showJsonArgs(planFile));
  if (show.code !== 0) return { error: `the plan could not be exported as JSON, so it cannot be checked: ${errorLineOf(show.output)}` };
  const { counts, risky, dropsIpv6 } = reviewPlan(JSON.parse(show.stdout) as PlanJson);
  const changed = plan.code === 2 || hasChanges(counts);
  const review = { stack: p.stack, status: changed ? "changes" : "no changes", counts, risky, runUrl: url, dropsIpv6 };
  return { plan: { planFile, vars: p.vars, changed, saved: false, review }, json: show.stdout };
}

/** Where `npm run plan` keeps a stack's plan, the wired values it was made with, and its JSON. */
const savedFiles = (plansDir: string, stack: string) => ({
  planFile: resolve(plansDir, `${stack}.tfplan`),
  varsFile: resolve(plansDir, `${stack}.vars.json`),
  jsonFile: resolve(plansDir, `${stack}.json`),
});

/** The path `npm run plan` saves a stack's plan to. */
export function savedPlanFile(plansDir: string, stack: string): string {
  return savedFiles(plansDir, stack).planFile;
}

/** Saves beside the plan the wired values (for deploy --plans to tell a stale plan) and the JSON where there is something to review. */
export function saveReview(plansDir: string, stack: string, vars: Readonly<Record<string, unknown>>, json: string): void {
  const files = savedFiles(plansDir, stack);
  writeFileSync(files.varsFile, `${JSON.stringify(vars, null, 2)}\n`);
  if (json) writeFileSync(files.jsonFile, json);
}

/** The plan `npm run plan` saved for this stack, for deploy --plans; undefined when there is none. */
export function savedPlan(plansDir: string, stack: string): PreparedPlan | undefined {
  const { planFile, varsFile, jsonFile } = savedFiles(plansDir, stack);
  if (!existsSync(planFile) || !existsSync(varsFile)) return undefined;
  const json = (existsSync(jsonFile) ? JSON.parse(readFileSync(jsonFile, "utf8")) : {}) as PlanJson;
  const { counts, risky, dropsIpv6 } = reviewPlan(json);
  const vars = JSON.parse(readFileSync(varsFile, "utf8")) as Record<string, unknown>;
  const changed = hasChanges(counts);
  return { planFile, vars, changed, saved: true, review: { stack, status: changed ? "changes" : "no changes", counts, risky, dropsIpv6 } };
}

/** `+add ~change ±replace -destroy`, and changed outputs. */
export function countsLine(counts: PlanCounts): string {
  return `+${counts.add} ~${counts.change} ±${counts.replace} -${counts.destroy}${counts.outputs ? `, ${counts.outputs} outputs` : ""}`;
}

/** Wired input names whose values differ from the ones a plan was made with (compared as JSON with sorted keys). */
export function changedInputs(now: Readonly<Record<string, unknown>>, planned: Readonly<Record<string, unknown>>): string[] {
  const canonical = (value: unknown) =>
    JSON.stringify(value, (_key, v) =>
      v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
    );
  return Object.keys(now).filter((k) => canonical(now[k]) !== canonical(planned[k]));
}
