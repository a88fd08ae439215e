import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { PrivateLinkConfig } from "../config/types";
import { varFileOf, mergeVarFile } from "../wiring/var-file";
import { WireError, outputsOf, wireVariables } from "../wiring/wire";
import { type PlanJson, type StackReview, hasChanges, reviewPlan } from "./review";
import {
  type TerraformResult,
  applyArgs,
  completeLineOf,
  errorLineOf,
  initArgs,
  planArgs,
  runUrlOf,
  showArgs,
  showJsonArgs,
  stackOutputs,
  stateListArgs,
  terraform,
  wiredFor,
} from "./terraform";
import type { StackNode } from "./topology";

/** How one stack fared. `ok: false` holds back the stacks after it. */
export interface StepResult {
  readonly ok: boolean;
  /** One line: Terraform's own summary, "no changes", "waiting on <stack>", or the error. */
  readonly status: string;
  readonly seconds: number;
  /** Whether the plan had changes (plan) or something was applied (deploy, destroy). */
  readonly changed: boolean;
  /** Set when the step could not run because an earlier stack is not deployed (or failed). */
  readonly waitingOn?: string;
  readonly failed?: boolean;
  readonly review?: StackReview;
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
}

/** A step of one stack: deploy, plan or destroy. */
export class StackSteps {
  private readonly inits = new Map<string, Promise<TerraformResult>>();

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
      init = this.tf(stack, initArgs()).then(async (result) => {
        if (result.code === 0 || !/Backend configuration changed/.test(result.output)) return result;
        if (sameStateLocation(this.dir(stack))) return this.tf(stack, [...initArgs(), "-reconfigure"]);
        const output =
          `The state location of ${stack} changed (for a bootstrap stack: bootstrapBackend moved to s3). Move its state once with: npx ` +
          `cdktf deploy ${stack} --migrate-state (README: "Moving the bootstrap state into its bucket"), then run this again.`;
        return { ...result, output: `Error: ${output}` };
      });
      this.inits.set(stack, init);
    }
    return init;
  }

  /** A stack's outputs from its state; empty when it has none (not deployed). */
  private async outputs(stack: string): Promise<Record<string, unknown>> {
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
   * `waitingOn` names a producer that has no outputs yet.
   */
  private async wire(node: StackNode, fallbackToVarFile = false): Promise<{ vars: Record<string, unknown>; waitingOn?: string; error?: string }> {
    const vars: Record<string, unknown> = {};
    for (const producer of node.inputsFrom) {
      try {
        const outputs = await this.outputs(producer);
        if (Object.keys(outputs).length === 0 && !fallbackToVarFile) return { vars, waitingOn: producer };
        if (Object.keys(outputs).length === 0) continue;
        Object.assign(vars, wireVariables(this.ctx.config, producer, node.name, outputs));
      } catch (err) {
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

  /** Plans, asks (unless auto-approved), applies. */
  async deploy(name: string): Promise<StepResult> {
    return this.change(name, false);
  }

  /** Plans the stack's destruction, asks, applies. A stack without state is left alone. */
  async destroy(name: string): Promise<StepResult> {
    return this.change(name, true);
  }

  private async change(name: string, destroy: boolean): Promise<StepResult> {
    const started = Date.now();
    const done = (result: Omit<StepResult, "seconds">): StepResult => ({ ...result, seconds: (Date.now() - started) / 1000 });
    const node = this.node(name);
    const init = await this.init(name);
    if (init.code !== 0) return done({ ok: false, failed: true, changed: false, status: `terraform init failed: ${errorLineOf(init.output)}` });
    if (destroy) {
      const state = await this.tf(name, stateListArgs());
      if (state.code === 0 && state.stdout.trim() === "") return done({ ok: true, changed: false, status: "nothing to destroy (no state)" });
    }
    // Destroy reads the var file the last deploy wrote when a producer is already gone.
    const wiring = await this.wire(node, destroy);
    if (wiring.waitingOn) return done({ ok: false, changed: false, waitingOn: wiring.waitingOn, status: `waiting on ${wiring.waitingOn}` });
    if (wiring.error) return done({ ok: false, failed: true, changed: false, status: wiring.error });

    const planFile = join(this.dir(name), destroy ? "destroy.tfplan" : "deploy.tfplan");
    const plan = await this.tf(
      name,
      planArgs(planFile, destroy && Object.keys(wiring.vars).length === 0 ? this.varFileOnly(node) : this.wired(node, wiring.vars), destroy),
    );
    const url = runUrlOf(plan.output);
    if (url) this.ctx.note(`${name}: Terraform Cloud run ${url}`);
    if (plan.code !== 2) rmSync(planFile, { force: true });
    if (plan.code === 0) return done({ ok: true, changed: false, status: "no changes" });
    if (plan.code !== 2) return done({ ok: false, failed: true, changed: false, status: errorLineOf(plan.output) });
    if (this.ctx.approve) {
      const shown = await this.tf(name, showArgs(planFile));
      if (!(await this.ctx.approve(name, shown.stdout))) {
        rmSync(planFile, { force: true });
        return done({ ok: false, changed: false, status: "not applied: declined at the prompt" });
      }
    }
    const apply = await this.tf(name, applyArgs(planFile));
    rmSync(planFile, { force: true });
    if (apply.code !== 0) return done({ ok: false, failed: true, changed: true, status: errorLineOf(apply.output) });
    return done({ ok: true, changed: true, status: completeLineOf(apply.output) ?? (destroy ? "destroyed" : "applied") });
  }

  /** The var file of an earlier deploy, for destroying a stack whose producers are gone. */
  private varFileOnly(node: StackNode) {
    return node.inputsFrom.length === 0 ? undefined : { varFile: resolve(varFileOf(node.name)) };
  }

  /** Saves a plan under plans/, exports it as JSON and reviews it. Never applies. */
  async plan(name: string): Promise<StepResult> {
    const started = Date.now();
    const done = (result: Omit<StepResult, "seconds">): StepResult => ({ ...result, seconds: (Date.now() - started) / 1000 });
    const node = this.node(name);
    const fail = (status: string) => done({ ok: true, failed: true, changed: false, status, review: { stack: name, status: `failed: ${status}`, risky: [] } });
    const init = await this.init(name);
    if (init.code !== 0) return fail(`terraform init failed: ${errorLineOf(init.output)}`);
    const wiring = await this.wire(node);
    if (wiring.waitingOn) {
      const status = `waiting on ${wiring.waitingOn}`;
      return done({ ok: true, changed: false, waitingOn: wiring.waitingOn, status, review: { stack: name, status, risky: [] } });
    }
    if (wiring.error) return fail(wiring.error);

    const planFile = resolve(this.ctx.plansDir, `${name}.tfplan`);
    const plan = await this.tf(name, planArgs(planFile, this.wired(node, wiring.vars)));
    const runUrl = runUrlOf(plan.output);
    if (runUrl) this.ctx.note(`${name}: Terraform Cloud run ${runUrl}`);
    if (plan.code !== 0 && plan.code !== 2) return fail(errorLineOf(plan.output));

    const show = await this.tf(name, showJsonArgs(planFile));
    if (show.code !== 0) {
      const note = `the saved plan could not be exported as JSON (${errorLineOf(show.output)})${runUrl ? `; review it in the run ${runUrl}` : ""}`;
      const status = plan.code === 2 ? "changes (not exported)" : "no changes";
      return done({ ok: true, changed: plan.code === 2, status, review: { stack: name, status, risky: [], runUrl, note } });
    }
    writeFileSync(resolve(this.ctx.plansDir, `${name}.json`), show.stdout);
    const { counts, risky } = reviewPlan(JSON.parse(show.stdout) as PlanJson);
    const changed = plan.code === 2 || hasChanges(counts);
    const status = changed
      ? `+${counts.add} ~${counts.change} ±${counts.replace} -${counts.destroy}${counts.outputs ? `, ${counts.outputs} outputs` : ""}`
      : "no changes";
    return done({ ok: true, changed, status, review: { stack: name, status: changed ? "changes" : "no changes", counts, risky, runUrl } });
  }

  private node(name: string): StackNode {
    const node = this.ctx.nodes.get(name);
    if (!node) throw new Error(`No stack ${name} in the topology.`);
    return node;
  }
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
