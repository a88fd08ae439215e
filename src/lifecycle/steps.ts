import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { PrivateLinkConfig } from "../config/types";
import { varFileOf, mergeVarFile } from "../wiring/var-file";
import { wiringPlan } from "../wiring/contract";
import { WireError, outputsOf, wireVariables } from "../wiring/wire";
import {
  type Allowance,
  type PlanCounts,
  type PlanJson,
  type StackReview,
  hasChanges,
  refusalMessage,
  refusedChanges,
  reviewPlan,
  trafficChanges,
} from "./review";
import {
  type TerraformResult,
  applyArgs,
  completeLineOf,
  errorLineOf,
  initArgs,
  planArgs,
  runUrlOf,
  showArgs,
  stateBucketMissing,
  showJsonArgs,
  stackOutputs,
  stateListArgs,
  terraform,
  wiredFor,
} from "./terraform";
import type { StackNode } from "../wiring/stack-graph";
import type { Outcome } from "./outcome";

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
  /** Prints a line (a Terraform Cloud run URL) as it happens. */
  readonly note: (line: string) => void;
  /** The traffic-bearing changes deploy may apply. @default none */
  readonly allow?: Allowance;
  /** How long Terraform waits for a state lock another run holds. @default 0s */
  readonly lockTimeout?: string;
  /** deploy --plans: apply only saved plans; a stack without one is refused, never planned here. */
  readonly savedPlansOnly?: boolean;
}

/** A step of one stack: deploy, plan or destroy. */
export class StackSteps {
  private readonly inits = new Map<string, Promise<TerraformResult>>();
  /** Stacks this run applied changes to. */
  private readonly changedInRun = new Set<string>();

  constructor(private readonly ctx: StepContext) {}

  private dir(stack: string): string {
    return resolve(this.ctx.outdir, "stacks", stack);
  }

  private tf(stack: string, args: string[]): Promise<TerraformResult> {
    return terraform(args, this.dir(stack), join(this.ctx.logDir, `${stack}.log`));
  }

  /** `terraform init`, once per stack and run. */
  private init(stack: string): Promise<TerraformResult> {
    let init = this.inits.get(stack);
    if (!init) {
      // Initialized before for this very backend and these providers: nothing for init to do (it would verify the provider again).
      const settings = initSettings(this.dir(stack));
      const marker = join(this.dir(stack), ".terraform", INIT_MARKER);
      if (existsSync(marker) && readFileSync(marker, "utf8") === settings) return Promise.resolve({ code: 0, output: "", stdout: "" });
      const remember = (result: TerraformResult) => {
        if (result.code === 0 && existsSync(dirname(marker))) writeFileSync(marker, settings);
        return result;
      };
      init = this.tf(stack, initArgs()).then(async (result) => {
        if (result.code === 0 || !/Backend configuration changed/.test(result.output)) return remember(result);
        if (sameStateLocation(this.dir(stack))) return remember(await this.tf(stack, [...initArgs(), "-reconfigure"]));
        const output =
          `The state location of ${stack} changed (for a bootstrap stack: bootstrapBackend moved to s3). Move its state once with: npx ` +
          `cdktf deploy ${stack} --migrate-state (docs/lifecycle.md: "Moving the bootstrap state into its bucket"), then run this again.`;
        return { ...result, output: `Error: ${output}` };
      });
      // A failed init is tried again next time (the state bucket may exist by then).
      init.then((result) => {
        if (result.code !== 0) this.inits.delete(stack);
      });
      this.inits.set(stack, init);
    }
    return init;
  }

  /** A stack's outputs from its state; empty when it has none (not deployed). Throws `WireError`. */
  async outputs(stack: string): Promise<Record<string, unknown>> {
    const init = await this.init(stack);
    if (init.code !== 0) throw new WireError(`cannot read ${stack}'s outputs: terraform init failed: ${errorLineOf(init.output)}`);
    try {
      return outputsOf(stack, await stackOutputs(this.dir(stack), join(this.ctx.logDir, `${stack}.log`), false));
    } catch (err) {
      throw new WireError(`cannot read ${stack}'s outputs: ${(err as Error).message}`);
    }
  }

  /**
   * The stack's wired variables, read from its producers' outputs with the
   * wiring contract (as `npm run wire` does) and written to its var file.
   * `waitingOn` names a producer that has not deployed (all) the outputs
   * this stack takes yet: not deployed at all, or deployed before the
   * config gave it a new output (`waiting` says which, as a status).
   */
  private async wire(
    node: StackNode,
    fallbackToVarFile = false,
  ): Promise<{ vars: Record<string, unknown>; waitingOn?: string; waiting?: string; error?: string }> {
    const vars: Record<string, unknown> = {};
    const hops = wiringPlan(this.ctx.config).filter((h) => h.stack === node.name);
    for (const producer of node.inputsFrom) {
      try {
        const outputs = await this.outputs(producer);
        const missing = hops.filter((h) => h.fromStack === producer && outputs[h.value.name] === undefined).map((h) => h.value.name);
        if (missing.length > 0 && !fallbackToVarFile) {
          const which = Object.keys(outputs).length === 0 ? "" : ` (its output${missing.length > 1 ? "s" : ""} ${missing.join(", ")} not deployed yet)`;
          return { vars, waitingOn: producer, waiting: `waiting on ${producer}${which}` };
        }
        if (missing.length > 0) continue;
        Object.assign(vars, wireVariables(this.ctx.config, producer, node.name, outputs));
      } catch (err) {
        // The producer's state bucket is not made yet: it is not deployed.
        if (err instanceof WireError && stateBucketMissing(err.message) && !fallbackToVarFile)
          return { vars, waitingOn: producer, waiting: `waiting on ${producer}` };
        if (err instanceof WireError) return { vars, error: err.message.replace(/\n\s*/g, " ") };
        throw err;
      }
    }
    if (node.inputsFrom.length > 0 && Object.keys(vars).length > 0) mergeVarFile(varFileOf(node.name), vars);
    return { vars };
  }

  private wired(node: StackNode, vars: Record<string, unknown>) {
    return node.inputsFrom.length === 0 ? undefined : wiredFor(this.ctx.config.backend, resolve(varFileOf(node.name)), vars);
  }

  /**
   * Applies the stack: its prepared plan when the plan still holds (the
   * wired values are the ones it was made with, and in remote-state wiring
   * no stack before it changed in this run), else a fresh plan, which is
   * checked for traffic-bearing changes first. Asks unless auto-approved.
   */
  async deploy(name: string, prepared?: PreparedPlan): Promise<StepResult> {
    const started = Date.now();
    const done = (result: Omit<StepResult, "seconds">): StepResult => ({ ...result, seconds: (Date.now() - started) / 1000 });
    const failed = (status: string) => done({ outcome: "failed", status });
    const node = this.node(name);
    const init = await this.init(name);
    const bucketFrom = this.bucketNotMade(node, init);
    if (bucketFrom) return done({ outcome: "waiting", waitingOn: bucketFrom, status: `waiting on ${bucketFrom} (its state bucket)` });
    if (init.code !== 0) return failed(`terraform init failed: ${errorLineOf(init.output)}`);
    const wiring = await this.wire(node);
    if (wiring.waitingOn) {
      if (prepared?.saved || this.ctx.savedPlansOnly)
        return failed(`no reviewed plan: ${wiring.waitingOn} is not deployed; deploy it, then run npm run plan again`);
      return done({ outcome: "waiting", waitingOn: wiring.waitingOn, status: wiring.waiting ?? `waiting on ${wiring.waitingOn}` });
    }
    if (wiring.error) return failed(wiring.error);

    let plan = prepared;
    const stale = plan ? this.staleness(node, plan, wiring.vars) : undefined;
    if (plan?.saved && stale) return failed(`the saved plan is stale: ${stale}; run npm run plan again and review it`);
    if (stale) plan = undefined;
    if (!plan) {
      if (this.ctx.savedPlansOnly) return failed("no saved plan in plans/ for this stack; run npm run plan and review it");
      const fresh = await this.planFor(name, node, wiring.vars, join(this.dir(name), "deploy.tfplan"));
      if (fresh.error !== undefined) return failed(fresh.error);
      plan = fresh.plan;
      const refused = refusedChanges(trafficChanges([plan.review]), this.ctx.allow ?? { addresses: [], outage: false });
      if (refused.length > 0) {
        this.ctx.note(refusalMessage(refused).replace("nothing was applied in any stack", `${name} was not applied`));
        return failed(`refused: ${refused.map((c) => c.address).join(", ")} would interrupt traffic (not allowed)`);
      }
    }
    if (!plan.changed) {
      if (!plan.saved) rmSync(plan.planFile, { force: true });
      return done({ outcome: "unchanged", status: "no changes" });
    }
    if (this.ctx.approve) {
      const shown = await this.tf(name, showArgs(plan.planFile));
      if (!(await this.ctx.approve(name, shown.stdout))) return done({ outcome: "declined", status: "not applied: declined at the prompt" });
    }
    const apply = await this.tf(name, applyArgs(plan.planFile, this.ctx.lockTimeout));
    if (!plan.saved) rmSync(plan.planFile, { force: true });
    this.changedInRun.add(name);
    if (apply.code !== 0) return failed(errorLineOf(apply.output));
    return done({ outcome: "applied", status: completeLineOf(apply.output) ?? "applied" });
  }

  /**
   * Why a plan made before this point no longer holds, if it does not: a
   * wired value differs from the one it was made with, or (remote-state
   * and tfe-outputs wiring, whose reads happen inside the plan) a stack before it applied
   * changes in this run.
   */
  private staleness(node: StackNode, plan: PreparedPlan, vars: Readonly<Record<string, unknown>>): string | undefined {
    const differs = Object.keys(vars).filter((k) => canonical(vars[k]) !== canonical(plan.vars[k]));
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

  /**
   * Plans with the given wired values into `planFile` and reviews the
   * plan's JSON (an empty plan, Terraform's exit code 0, has nothing to
   * review: it is not exported). A plan with changes that cannot be read
   * cannot be checked, so that is an error here.
   */
  private async planFor(
    name: string,
    node: StackNode,
    vars: Readonly<Record<string, unknown>>,
    planFile: string,
  ): Promise<{ plan: PreparedPlan; json: string; error?: undefined } | { error: string }> {
    const plan = await this.tf(name, planArgs(planFile, this.wired(node, vars), false, this.ctx.lockTimeout));
    const url = runUrlOf(plan.output);
    if (url) this.ctx.note(`${name}: Terraform Cloud run ${url}`);
    if (plan.code !== 0 && plan.code !== 2) {
      rmSync(planFile, { force: true });
      return { error: errorLineOf(plan.output) };
    }
    if (plan.code === 0) {
      // Nothing to check in an empty plan; exporting it would cost a provider start.
      const review = { stack: name, status: "no changes", counts: { add: 0, change: 0, replace: 0, destroy: 0, outputs: 0 }, risky: [], runUrl: url };
      return { plan: { planFile, vars, changed: false, saved: false, review }, json: "" };
    }
    const show = await this.tf(name, showJsonArgs(planFile));
    if (show.code !== 0) return { error: `the plan could not be exported as JSON, so it cannot be checked: ${errorLineOf(show.output)}` };
    const { counts, risky, dropsIpv6 } = reviewPlan(JSON.parse(show.stdout) as PlanJson);
    const changed = plan.code === 2 || hasChanges(counts);
    const review = { stack: name, status: changed ? "changes" : "no changes", counts, risky, runUrl: url, dropsIpv6 };
    return {
      plan: { planFile, vars, changed, saved: false, review },
      json: show.stdout,
    };
  }

  /**
   * The plan `npm run plan` saved for this stack (plans/<stack>.tfplan, the
   * wired values it was made with, and its JSON when it changes anything),
   * for deploy --plans; undefined when there is none.
   */
  savedPlan(name: string): PreparedPlan | undefined {
    const planFile = resolve(this.ctx.plansDir, `${name}.tfplan`);
    const varsFile = resolve(this.ctx.plansDir, `${name}.vars.json`);
    const jsonFile = resolve(this.ctx.plansDir, `${name}.json`);
    if (!existsSync(planFile) || !existsSync(varsFile)) return undefined;
    const json = (existsSync(jsonFile) ? JSON.parse(readFileSync(jsonFile, "utf8")) : {}) as PlanJson;
    const { counts, risky, dropsIpv6 } = reviewPlan(json);
    const vars = JSON.parse(readFileSync(varsFile, "utf8")) as Record<string, unknown>;
    const changed = hasChanges(counts);
    return { planFile, vars, changed, saved: true, review: { stack: name, status: changed ? "changes" : "no changes", counts, risky, dropsIpv6 } };
  }

  /** Plans the stack's destruction, asks, applies. A stack without state is left alone. */
  async destroy(name: string): Promise<StepResult> {
    const started = Date.now();
    const done = (result: Omit<StepResult, "seconds">): StepResult => ({ ...result, seconds: (Date.now() - started) / 1000 });
    const failed = (status: string) => done({ outcome: "failed", status });
    const node = this.node(name);
    const init = await this.init(name);
    if (init.code !== 0) return failed(`terraform init failed: ${errorLineOf(init.output)}`);
    const state = await this.tf(name, stateListArgs());
    if (state.code === 0 && state.stdout.trim() === "") return done({ outcome: "unchanged", status: "nothing to destroy (no state)" });
    // Destroy reads the var file the last deploy wrote when a producer is already gone.
    const wiring = await this.wire(node, true);
    if (wiring.waitingOn) return done({ outcome: "waiting", waitingOn: wiring.waitingOn, status: `waiting on ${wiring.waitingOn}` });
    if (wiring.error) return failed(wiring.error);

    const planFile = join(this.dir(name), "destroy.tfplan");
    const wired = Object.keys(wiring.vars).length === 0 ? this.varFileOnly(node) : this.wired(node, wiring.vars);
    const plan = await this.tf(name, planArgs(planFile, wired, true, this.ctx.lockTimeout));
    const url = runUrlOf(plan.output);
    if (url) this.ctx.note(`${name}: Terraform Cloud run ${url}`);
    if (plan.code !== 2) rmSync(planFile, { force: true });
    if (plan.code === 0) return done({ outcome: "unchanged", status: "no changes" });
    if (plan.code !== 2) return failed(errorLineOf(plan.output));
    if (this.ctx.approve) {
      const shown = await this.tf(name, showArgs(planFile));
      if (!(await this.ctx.approve(name, shown.stdout))) {
        rmSync(planFile, { force: true });
        return done({ outcome: "declined", status: "not applied: declined at the prompt" });
      }
    }
    const apply = await this.tf(name, applyArgs(planFile, this.ctx.lockTimeout));
    rmSync(planFile, { force: true });
    if (apply.code !== 0) return failed(errorLineOf(apply.output));
    return done({ outcome: "applied", status: completeLineOf(apply.output) ?? "destroyed" });
  }

  /** The var file of an earlier deploy, for destroying a stack whose producers are gone. */
  private varFileOnly(node: StackNode) {
    return node.inputsFrom.length === 0 ? undefined : { varFile: resolve(varFileOf(node.name)) };
  }

  /**
   * Plans the stack with its wired variables and reviews the plan. Never
   * applies. For npm run plan (`forDeploy` false) the plan is saved under
   * plans/ with its JSON; for deploy's first pass it stays in the stack's
   * directory, and the result carries it (`prepared`).
   */
  async plan(name: string, forDeploy = false): Promise<StepResult> {
    const started = Date.now();
    const done = (result: Omit<StepResult, "seconds">): StepResult => ({ ...result, seconds: (Date.now() - started) / 1000 });
    const node = this.node(name);
    const fail = (status: string) => done({ outcome: "failed", status, review: { stack: name, status: `failed: ${status}`, risky: [] } });
    const init = await this.init(name);
    const bucketFrom = this.bucketNotMade(node, init);
    if (bucketFrom) {
      const status = `waiting on ${bucketFrom} (its state bucket)`;
      return done({ outcome: "waiting", waitingOn: bucketFrom, status, review: { stack: name, status, risky: [] } });
    }
    if (init.code !== 0) return fail(`terraform init failed: ${errorLineOf(init.output)}`);
    const wiring = await this.wire(node);
    if (wiring.waitingOn) {
      const status = wiring.waiting ?? `waiting on ${wiring.waitingOn}`;
      return done({ outcome: "waiting", waitingOn: wiring.waitingOn, status, review: { stack: name, status, risky: [] } });
    }
    if (wiring.error) return fail(wiring.error);

    const planFile = forDeploy ? join(this.dir(name), "deploy.tfplan") : resolve(this.ctx.plansDir, `${name}.tfplan`);
    const result = await this.planFor(name, node, wiring.vars, planFile);
    if (result.error !== undefined) return fail(result.error);
    if (!forDeploy) {
      // The wired values, for deploy --plans to tell a stale plan; the JSON only where there is something to review.
      writeFileSync(resolve(this.ctx.plansDir, `${name}.vars.json`), `${JSON.stringify(wiring.vars, null, 2)}\n`);
      if (result.json) writeFileSync(resolve(this.ctx.plansDir, `${name}.json`), result.json);
    }
    const { review, changed } = result.plan;
    return done({
      outcome: changed ? "planned" : "unchanged",
      status: changed && review.counts ? countsLine(review.counts) : "no changes",
      review,
      prepared: forDeploy ? result.plan : undefined,
    });
  }

  /** The bootstrap stack that makes this stack's state bucket, when init failed because the bucket is not there yet. */
  private bucketNotMade(node: StackNode, init: TerraformResult): string | undefined {
    if (init.code === 0 || !stateBucketMissing(init.output)) return undefined;
    return node.stateFrom;
  }

  private node(name: string): StackNode {
    const node = this.ctx.nodes.get(name);
    if (!node) throw new Error(`No stack ${name} in the topology.`);
    return node;
  }
}

/** Written into `.terraform` after a successful init: the settings it was run with. */
const INIT_MARKER = "privatelink-init.json";

/**
 * What `terraform init` depends on in a stack directory: its backend (or
 * cloud block), its required providers and version, and the Terraform CLI
 * config that says where providers come from.
 */
function initSettings(stackDir: string): string {
  let terraform: Record<string, unknown> = {};
  try {
    terraform = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")).terraform ?? {};
  } catch {
    // Not synthesized: init reports it.
  }
  const { backend, cloud, required_providers, required_version } = terraform;
  return JSON.stringify({ backend, cloud, required_providers, required_version, cli: process.env.TF_CLI_CONFIG_FILE ?? "" });
}

/** `+add ~change ±replace -destroy`, and changed outputs. */
function countsLine(counts: PlanCounts): string {
  return `+${counts.add} ~${counts.change} ±${counts.replace} -${counts.destroy}${counts.outputs ? `, ${counts.outputs} outputs` : ""}`;
}

/** JSON with sorted keys, to compare wired values. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/**
 * Whether a stack's new backend keeps its state where Terraform was
 * initialized to find it, so `init -reconfigure` loses nothing: a local
 * backend naming the same file (only its spelling changed, e.g. an absolute
 * path became relative), or an S3 backend with the same bucket, key, region
 * and endpoint whose other settings changed (`kms_key_id`, when a bucket's
 * customer-managed key came in). Anything else is a move of the state,
 * which is never done behind the user's back.
 */
export function sameStateLocation(stackDir: string): boolean {
  try {
    const previous = JSON.parse(readFileSync(join(stackDir, ".terraform", "terraform.tfstate"), "utf8")).backend;
    const backend = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")).terraform?.backend ?? {};
    if (previous?.type === "local" && backend.local !== undefined) {
      return resolve(stackDir, previous.config?.path ?? "terraform.tfstate") === resolve(stackDir, backend.local.path ?? "terraform.tfstate");
    }
    if (previous?.type === "s3" && backend.s3 !== undefined) {
      const was = previous.config ?? {};
      const now = backend.s3;
      return (
        was.bucket === now.bucket && was.key === now.key && was.region === now.region && JSON.stringify(was.endpoints?.s3) === JSON.stringify(now.endpoints?.s3)
      );
    }
    return false;
  } catch {
    return false;
  }
}
