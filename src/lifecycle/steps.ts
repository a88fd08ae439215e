import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import type { PrivateLinkConfig } from "../config/types";
import { varFileOf } from "../wiring/var-file";
import type { StackNode } from "../wiring/stack-graph";
import type { Outcome } from "./outcome";
import { type PreparedPlan, changedInputs, countsLine, planStack, saveReview, savedPlan, savedPlanFile } from "./plans";
import { type Allowance, type StackReview, refusalMessage, refusedChanges, trafficChanges } from "./review";
import { StackInits } from "./stack-init";
import { StackWiring } from "./stack-wiring";
import {
  type TerraformResult,
  type WiredArgs,
  applyArgs,
  completeLineOf,
  errorLineOf,
  planArgs,
  runUrlOf,
  showArgs,
  stateBucketMissing,
  stateListArgs,
  terraform,
  wiredFor,
} from "./terraform";

export type { PreparedPlan } from "./plans";

/** How one stack fared. Only `applied` and `unchanged` let the stacks after it run. */
export interface StepResult {
  readonly outcome: Outcome;
  /** One line: Terraform's own summary, "no changes", "waiting on <stack>", or the error. */
  readonly status: string;
  readonly seconds: number;
  /** Waiting or blocked: the stack that is not deployed (or did not finish). */
  readonly waitingOn?: string;
  readonly review?: StackReview;
  /** The plan, kept for deploy to apply (deploy's first pass). */
  readonly prepared?: PreparedPlan;
}

/** Everything a step needs: the config, where things live, and how to ask before applying. */
export interface StepContext {
  readonly config: PrivateLinkConfig;
  /** cdktf's output directory (CDKTF_OUTDIR, default cdktf.out). */
  readonly outdir: string;
  /** Directory of this run's Terraform logs, one file per stack. */
  readonly logDir: string;
  /** Directory of the review sheet (plan only). */
  readonly plansDir: string;
  readonly nodes: ReadonlyMap<string, StackNode>;
  /** Asks whether to apply a shown plan; undefined with --auto-approve. */
  readonly approve?: (stack: string, plan: string) => Promise<boolean>;
  /** Prints a line (a Terraform Cloud run URL, a refusal) as it happens. */
  readonly note: (line: string) => void;
  /** The traffic-bearing changes deploy may apply. @default none */
  readonly allow?: Allowance;
  /** How long Terraform waits for a state lock another run holds. @default 0s */
  readonly lockTimeout?: string;
  /** deploy --plans: apply only saved plans; a stack without one is refused, never planned here. */
  readonly savedPlansOnly?: boolean;
}

/** A step's result before its time is known. */
type Result = Omit<StepResult, "seconds">;

/** Times a step from now: `done` stamps a result with the seconds it took. */
function clock(): (result: Result) => StepResult {
  const started = Date.now();
  return (result) => ({ ...result, seconds: (Date.now() - started) / 1000 });
}

const failed = (status: string): Result => ({ outcome: "failed", status });

/**
 * A stack ready for Terraform: initialized, with its wired values; or why
 * not (`early`), with `producer` when it waits on a producer's outputs
 * rather than on its state bucket.
 */
type Ready =
  | { readonly node: StackNode; readonly vars: Record<string, unknown>; readonly early?: undefined }
  | { readonly early: Result; readonly producer?: string };

/** A step of one stack: deploy, plan or destroy. */
export class StackSteps {
  private readonly inits: StackInits;
  private readonly wiring: StackWiring;
  /** Stacks this run applied changes to. */
  private readonly changedInRun = new Set<string>();

  constructor(private readonly ctx: StepContext) {
    this.inits = new StackInits(
      (stack) => this.dir(stack),
      (stack, args) => this.tf(stack, args),
    );
    this.wiring = new StackWiring(ctx.config, this.inits, (stack) => this.dir(stack), ctx.logDir);
  }

  /** A stack's outputs from its state; empty when it has none (not deployed). Throws `WireError`. */
  outputs(stack: string): Promise<Record<string, unknown>> {
    return this.wiring.outputs(stack);
  }

  private dir(stack: string): string {
    return resolve(this.ctx.outdir, "stacks", stack);
  }

  private tf(stack: string, args: string[]): Promise<TerraformResult> {
    return terraform(args, this.dir(stack), join(this.ctx.logDir, `${stack}.log`));
  }

  /**
   * Initializes the stack and reads its wired values, as deploy and plan
   * need them: waiting when the bootstrap stack that makes its state bucket
   * or a producer (or a new output of one) is not deployed yet, failed when
   * init or the wiring fails.
   */
  private async ready(name: string): Promise<Ready> {
    const node = this.node(name);
    const init = await this.inits.init(name);
    if (init.code !== 0 && stateBucketMissing(init.output) && node.stateFrom) {
      return { early: { outcome: "waiting", waitingOn: node.stateFrom, status: `waiting on ${node.stateFrom} (its state bucket)` } };
    }
    if (init.code !== 0) return { early: failed(`terraform init failed: ${errorLineOf(init.output)}`) };
    const wiring = await this.wiring.wire(node);
    if (wiring.waitingOn) {
      const status = wiring.waiting ?? `waiting on ${wiring.waitingOn}`;
      return { early: { outcome: "waiting", waitingOn: wiring.waitingOn, status }, producer: wiring.waitingOn };
    }
    if (wiring.error) return { early: failed(wiring.error) };
    return { node, vars: wiring.vars };
  }

  /** How Terraform gets the stack's wired values: none without producers, else by file or by `-var` as the backend needs. */
  private wired(node: StackNode, vars: Record<string, unknown>): WiredArgs {
    return node.inputsFrom.length === 0 ? undefined : wiredFor(this.ctx.config.backend, resolve(varFileOf(node.name)), vars);
  }

  /** For destroy: the values read, or the var file of an earlier deploy when the producers are gone. */
  private wiredForDestroy(node: StackNode, vars: Record<string, unknown>): WiredArgs {
    if (node.inputsFrom.length > 0 && Object.keys(vars).length === 0) return { varFile: resolve(varFileOf(node.name)) };
    return this.wired(node, vars);
  }

  /** The plan `npm run plan` saved for this stack (plans/), for deploy --plans; undefined when there is none. */
  savedPlan(name: string): PreparedPlan | undefined {
    return savedPlan(this.ctx.plansDir, name);
  }

  /** Plans the stack into `planFile` with its wired values, reporting a Terraform Cloud run as it starts. */
  private planInto(name: string, node: StackNode, vars: Record<string, unknown>, planFile: string) {
    const run = (args: string[]) => this.tf(name, args);
    return planStack({ stack: name, run, wired: this.wired(node, vars), vars, lockTimeout: this.ctx.lockTimeout, note: this.ctx.note }, planFile);
  }

  /**
   * Plans the stack with its wired variables and reviews the plan. Never
   * applies. For npm run plan (`forDeploy` false) the plan is saved under
   * plans/ with its JSON; for deploy's first pass it stays in the stack's
   * directory, and the result carries it (`prepared`).
   */
  async plan(name: string, forDeploy = false): Promise<StepResult> {
    const done = clock();
    const ready = await this.ready(name);
    if (ready.early) return done({ ...ready.early, review: { stack: name, status: reviewStatus(ready.early), risky: [] } });
    const planFile = forDeploy ? join(this.dir(name), "deploy.tfplan") : savedPlanFile(this.ctx.plansDir, name);
    const result = await this.planInto(name, ready.node, ready.vars, planFile);
    if ("error" in result) return done({ ...failed(result.error), review: { stack: name, status: `failed: ${result.error}`, risky: [] } });
    if (!forDeploy) saveReview(this.ctx.plansDir, name, ready.vars, result.json);
    const { review, changed } = result.plan;
    return done({
      outcome: changed ? "planned" : "unchanged",
      status: changed && review.counts ? countsLine(review.counts) : "no changes",
      review,
      prepared: forDeploy ? result.plan : undefined,
    });
  }

  /**
   * Applies the stack: its prepared plan when the plan still holds (the
   * wired values are the ones it was made with, and in remote-state wiring
   * no stack before it changed in this run), else a fresh plan, which the
   * guard checks for traffic-bearing changes first. Asks unless auto-approved.
   */
  async deploy(name: string, prepared?: PreparedPlan): Promise<StepResult> {
    const done = clock();
    const ready = await this.ready(name);
    if (ready.early && ready.producer && (prepared?.saved || this.ctx.savedPlansOnly))
      return done(failed(`no reviewed plan: ${ready.producer} is not deployed; deploy it, then run npm run plan again`));
    if (ready.early) return done(ready.early);
    const plan = await this.planToApply(name, ready.node, ready.vars, prepared);
    if ("outcome" in plan) return done(plan);
    if (!plan.changed) {
      if (!plan.saved) rmSync(plan.planFile, { force: true });
      return done({ outcome: "unchanged", status: "no changes" });
    }
    return done(await this.apply(name, plan.planFile, !plan.saved, "applied"));
  }

  /** The plan deploy applies: the prepared one while it holds, else a fresh one the guard admits; or why there is none. */
  private async planToApply(name: string, node: StackNode, vars: Record<string, unknown>, prepared?: PreparedPlan): Promise<PreparedPlan | Result> {
    const stale = prepared ? this.staleness(node, prepared, vars) : undefined;
    if (prepared?.saved && stale) return failed(`the saved plan is stale: ${stale}; run npm run plan again and review it`);
    if (prepared && !stale) return prepared;
    if (this.ctx.savedPlansOnly) return failed("no saved plan in plans/ for this stack; run npm run plan and review it");
    const fresh = await this.planInto(name, node, vars, join(this.dir(name), "deploy.tfplan"));
    if ("error" in fresh) return failed(fresh.error);
    const refused = refusedChanges(trafficChanges([fresh.plan.review]), this.ctx.allow ?? { addresses: [], outage: false });
    if (refused.length === 0) return fresh.plan;
    rmSync(fresh.plan.planFile, { force: true });
    this.ctx.note(refusalMessage(refused, `${name} was not applied`));
    return failed(`refused: ${refused.map((c) => c.address).join(", ")} would interrupt traffic (not allowed)`);
  }

  /** Shows the plan and asks (unless auto-approved), then applies it; `discard` removes the plan file after. */
  private async apply(name: string, planFile: string, discard: boolean, appliedStatus: string): Promise<Result> {
    if (this.ctx.approve) {
      const shown = await this.tf(name, showArgs(planFile));
      if (!(await this.ctx.approve(name, shown.stdout))) {
        if (discard) rmSync(planFile, { force: true });
        return { outcome: "declined", status: "not applied: declined at the prompt" };
      }
    }
    const apply = await this.tf(name, applyArgs(planFile, this.ctx.lockTimeout));
    if (discard) rmSync(planFile, { force: true });
    this.changedInRun.add(name);
    if (apply.code !== 0) return failed(errorLineOf(apply.output));
    return { outcome: "applied", status: completeLineOf(apply.output) ?? appliedStatus };
  }

  /**
   * Why a plan made before this point no longer holds, if it does not: a
   * wired value differs from the one it was made with, or (remote-state
   * and tfe-outputs wiring, whose reads happen inside the plan) a stack
   * before it applied changes in this run.
   */
  private staleness(node: StackNode, plan: PreparedPlan, vars: Readonly<Record<string, unknown>>): string | undefined {
    const differs = changedInputs(vars, plan.vars);
    if (differs.length > 0) return `its wired ${differs.length > 1 ? "inputs" : "input"} ${differs.join(", ")} changed since it was planned`;
    if (this.ctx.config.wiring.mode !== "variables") {
      const changed = this.before(node.name).filter((b) => this.changedInRun.has(b));
      if (changed.length > 0) return `${changed.join(", ")} applied changes since it was planned, and its remote-state reads were made before`;
    }
    return undefined;
  }

  /** Every stack applied before this one, transitively. */
  private before(name: string): string[] {
    const seen = new Set<string>();
    const visit = (n: string) => {
      for (const dep of this.ctx.nodes.get(n)?.after ?? []) {
        if (!seen.has(dep)) {
          seen.add(dep);
          visit(dep);
        }
      }
    };
    visit(name);
    return [...seen];
  }

  /** Plans the stack's destruction, asks, applies. A stack without state is left alone; gone producers' values come from the var file. */
  async destroy(name: string): Promise<StepResult> {
    const done = clock();
    const node = this.node(name);
    const init = await this.inits.init(name);
    if (init.code !== 0) return done(failed(`terraform init failed: ${errorLineOf(init.output)}`));
    const state = await this.tf(name, stateListArgs());
    if (state.code === 0 && state.stdout.trim() === "") return done({ outcome: "unchanged", status: "nothing to destroy (no state)" });
    const wiring = await this.wiring.wire(node, true);
    if (wiring.waitingOn) return done({ outcome: "waiting", waitingOn: wiring.waitingOn, status: `waiting on ${wiring.waitingOn}` });
    if (wiring.error) return done(failed(wiring.error));
    const planFile = join(this.dir(name), "destroy.tfplan");
    const plan = await this.tf(name, planArgs(planFile, this.wiredForDestroy(node, wiring.vars), true, this.ctx.lockTimeout));
    const url = runUrlOf(plan.output);
    if (url) this.ctx.note(`${name}: Terraform Cloud run ${url}`);
    if (plan.code !== 2) rmSync(planFile, { force: true });
    if (plan.code === 0) return done({ outcome: "unchanged", status: "no changes" });
    if (plan.code !== 2) return done(failed(errorLineOf(plan.output)));
    return done(await this.apply(name, planFile, true, "destroyed"));
  }

  private node(name: string): StackNode {
    const node = this.ctx.nodes.get(name);
    if (!node) throw new Error(`No stack ${name} in the topology.`);
    return node;
  }
}

/** A review's status for a stack that was not planned: why (waiting on …, or failed: …). */
function reviewStatus(early: Result): string {
  return early.outcome === "failed" ? `failed: ${early.status}` : early.status;
}
