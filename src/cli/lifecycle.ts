import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline/promises";
import { runCli, synthesizeApp } from "./run";
import { configPathFromEnv } from "../config/read";
import { loadConfig } from "../wiring/load";
import type { PrivateLinkConfig } from "../config/types";
import { type LifecycleArgs, type LifecycleCommand, LifecycleUsageError, parseLifecycleArgs, resumeHint, usage } from "../lifecycle/args";
import { type Retirement, checkOrphanStates, retire, retirementLine } from "../lifecycle/orphans";
import { exitCode, letsFollowersRun } from "../lifecycle/outcome";
import { type StackReview, refusalMessage, refusedChanges, summaryMarkdown, trafficChanges } from "../lifecycle/review";
import { schedule } from "../lifecycle/scheduler";
import { type PreparedPlan, type StepResult, StackSteps } from "../lifecycle/steps";
import { consumersFirst, selectStacks } from "../lifecycle/topology";
import { PROVIDER_STACK } from "../wiring/contract";
import { type StackNode, stackGraph } from "../wiring/stack-graph";

const PLANS_DIR = "plans";

/**
 * npm run deploy | plan | destroy: the whole topology through Terraform on
 * the synthesized stacks, in dependency order, wired output -> variable.
 */
async function main(command: LifecycleCommand, argv: string[]): Promise<number> {
  const args = parseLifecycleArgs(command, argv);
  if (args.help) {
    console.log(usage(command));
    return 0;
  }
  requireAnswerableApproval(command, args);
  const configFile = configPathFromEnv();
  const config = loadConfig(configFile);
  const nodes = stackGraph(config);
  const selected = selectStacks(nodes, args.consumers, command === "destroy");
  if (!synthesizeApp()) return 1;

  const run = new Run(command, args, config, nodes);
  // A consumer dropped from the config leaves its stacks (and an accepted connection) behind; refused here.
  const retirements = command === "destroy" ? [] : await run.findRetirements();
  if (command === "plan") {
    rmSync(PLANS_DIR, { recursive: true, force: true });
    mkdirSync(PLANS_DIR, { recursive: true });
  }
  // Destroy keeps the state buckets: they have prevent_destroy, and hold every other stack's state.
  let tasks = selected.filter((n) => command !== "destroy" || n.kind !== "bootstrap");
  run.start(tasks, configFile, retirements);

  const prepared = new Map<string, PreparedPlan>();
  if (command === "deploy") {
    const checked = await run.planAndCheck(tasks, prepared);
    if (checked === undefined) return 1;
    for (const r of retirements) console.log(`  retired ${r.stack}: ${await retire(r, args.lockTimeout)}`);
    if (checked.some((r) => r.dropsIpv6)) {
      tasks = consumersFirst(tasks);
      console.log("The endpoint service stops supporting IPv6: the consumers' endpoints drop it first, then the provider.");
    }
    console.log("Applying:");
  }
  const done = await run.all(command === "plan" ? tasks.map((t) => ({ ...t, after: [] })) : tasks, prepared);
  run.summarize(done, command === "destroy" && args.consumers.length === 0 ? selected.filter((n) => n.kind === "bootstrap") : []);
  if (command === "plan") writeReviewSheet(configFile, done, retirements);
  const code = exitCode(
    command,
    [...done.values()].map((r) => r.outcome),
    { detailedExitcode: args.detailedExitcode, retiring: retirements.length > 0 },
  );
  if (code === 1) run.explainFailure(done);
  return code;
}

/** Deploy and destroy ask before each apply; without a terminal they need --auto-approve. */
function requireAnswerableApproval(command: LifecycleCommand, args: LifecycleArgs): void {
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  if (command === "plan" || args.autoApprove || interactive) return;
  throw new LifecycleUsageError(
    `npm run ${command} asks before each apply, and there is no terminal to ask in. Run it in a terminal, or ` +
      `pass --auto-approve (npm run ${command} -- --auto-approve) to apply without asking. Nothing was changed.`,
  );
}

/** plans/summary.md, from every stack's review. */
function writeReviewSheet(configFile: string, done: ReadonlyMap<string, StepResult>, retirements: readonly Retirement[]): void {
  const reviews = [...done.values()].flatMap((r) => (r.review ? [r.review] : []));
  writeFileSync(join(PLANS_DIR, "summary.md"), summaryMarkdown(configFile, reviews, retirements.map(retirementLine)));
  console.log(`Review sheet: ${join(PLANS_DIR, "summary.md")} (saved plans and their JSON beside it)`);
}

/** One run of a lifecycle command: its steps, progress lines and summary. */
class Run {
  private readonly steps: StackSteps;
  private readonly logDir: string;
  private readonly byName: Map<string, StackNode>;
  private readonly outdir = process.env.CDKTF_OUTDIR || "cdktf.out";
  private readonly results = new Map<string, StepResult>();
  private width = 0;
  private started = Date.now();

  constructor(
    private readonly command: LifecycleCommand,
    private readonly args: LifecycleArgs,
    private readonly config: PrivateLinkConfig,
    private readonly nodes: readonly StackNode[],
  ) {
    this.logDir = join("logs", command);
    rmSync(this.logDir, { recursive: true, force: true });
    this.byName = new Map(nodes.map((n) => [n.name, n]));
    this.steps = new StackSteps({
      config,
      outdir: this.outdir,
      logDir: this.logDir,
      plansDir: PLANS_DIR,
      nodes: this.byName,
      approve: args.autoApprove ? undefined : promptOnce(command),
      note: (line) => console.log(`  ${line}`),
      allow: { addresses: args.allowReplace, outage: args.allowOutage },
      lockTimeout: args.lockTimeout,
      savedPlansOnly: args.plans,
    });
  }

  /** Stacks whose feature was turned off, for deploy to retire; throws for a removed consumer's stacks. */
  findRetirements(): Promise<Retirement[]> {
    // Beside the stack directories, so the stacks' relative paths (CA bundle) hold there too.
    const workDir = join(this.outdir, "orphan-check");
    return checkOrphanStates(
      this.config,
      this.outdir,
      workDir,
      this.nodes.map((n) => n.name),
      () => this.steps.outputs(PROVIDER_STACK),
    );
  }

  start(tasks: readonly StackNode[], configFile: string, retirements: readonly Retirement[]): void {
    this.width = Math.max(...tasks.map((t) => t.name.length));
    this.started = Date.now();
    console.log(`${this.command}: ${tasks.length} stacks of ${configFile}, ${this.args.parallelism} at a time; Terraform logs in ${this.logDir}/`);
    if (retirements.length === 0) return;
    console.log(`Stacks whose feature was turned off, which deploy retires${this.command === "plan" ? "" : " once every plan is checked"}:`);
    for (const r of retirements) console.log(`  ${retirementLine(r)}`);
  }

  /**
   * Deploy's first pass: plans every stack (or takes the saved plans of npm
   * run plan) and checks them all before anything applies. Returns the
   * reviews, or undefined when a plan failed or the guard refused.
   */
  async planAndCheck(tasks: readonly StackNode[], prepared: Map<string, PreparedPlan>): Promise<StackReview[] | undefined> {
    if (this.args.plans) {
      for (const task of tasks) {
        const saved = this.steps.savedPlan(task.name);
        if (saved) prepared.set(task.name, saved);
      }
      console.log(`Applying the saved plans of npm run plan (${PLANS_DIR}/): ${prepared.size} of ${tasks.length} stacks have one.`);
    } else {
      console.log("Planning every stack before applying any:");
      const planned = await schedule(
        tasks.map((t) => ({ name: t.name, after: [] })),
        this.args.parallelism,
        (name) => this.steps.plan(name, true).then((r) => this.report(name, r, "planned")),
        (name, by) => this.blocked(name, by),
      );
      const failed = [...planned].filter(([, r]) => r.outcome === "failed").map(([name]) => name);
      if (failed.length > 0) {
        console.error(`\ndeploy stopped before applying anything: the plan of ${failed.join(", ")} failed. Logs: ${this.logDir}/<stack>.log.`);
        return undefined;
      }
      for (const [name, r] of planned) if (r.prepared) prepared.set(name, r.prepared);
    }
    const reviews = [...prepared.values()].map((p) => p.review);
    const refused = refusedChanges(trafficChanges(reviews), { addresses: this.args.allowReplace, outage: this.args.allowOutage });
    if (refused.length > 0) {
      console.error(`\n${refusalMessage(refused)}`);
      return undefined;
    }
    return reviews;
  }

  /** Every task's step, in dependency order (reversed for destroy). */
  all(tasks: readonly { name: string; after: readonly string[] }[], prepared: ReadonlyMap<string, PreparedPlan>): Promise<Map<string, StepResult>> {
    this.results.clear();
    const step = (name: string) => {
      if (this.command === "deploy") return this.steps.deploy(name, prepared.get(name));
      return this.command === "destroy" ? this.steps.destroy(name) : this.steps.plan(name);
    };
    const work = (name: string) =>
      step(name).then((result) => {
        this.results.set(name, this.report(name, result));
        return result;
      });
    return schedule(tasks, this.args.parallelism, work, (name, by) => this.blocked(name, by), this.command === "destroy");
  }

  /** The table at the end: every stack's result and time. */
  summarize(done: ReadonlyMap<string, StepResult>, kept: readonly StackNode[]): void {
    const width = this.width;
    console.log(`\n${"stack".padEnd(width)}  ${"result".padEnd(60)}  time`);
    for (const [name, result] of done) console.log(`${name.padEnd(width)}  ${result.status.slice(0, 60).padEnd(60)}  ${result.seconds.toFixed(1)} s`);
    for (const bucket of kept) console.log(`${bucket.name.padEnd(width)}  kept: the state bucket has prevent_destroy`);
    console.log(`${this.command} took ${((Date.now() - this.started) / 1000).toFixed(1)} s`);
  }

  /** Which stacks did not finish, and how to resume. */
  explainFailure(done: ReadonlyMap<string, StepResult>): void {
    if (this.command === "plan") return;
    const unfinished = [...done].filter(([, r]) => !letsFollowersRun(r.outcome)).map(([name]) => name);
    console.error(`\n${this.command} did not finish: ${unfinished.join(", ")}. Logs: ${this.logDir}/<stack>.log.`);
    console.error(
      resumeHint(
        this.command,
        unfinished.map((name) => this.byName.get(name)?.consumer),
      ),
    );
  }

  private report(name: string, result: StepResult, okMark = "ok"): StepResult {
    const marks: Record<StepResult["outcome"], string> = {
      applied: okMark,
      unchanged: okMark,
      planned: okMark,
      waiting: "waiting",
      blocked: "waiting",
      declined: "stopped",
      failed: "FAILED",
    };
    const mark = marks[result.outcome];
    console.log(`  ${mark.padEnd(7)} ${name.padEnd(this.width)} ${result.seconds.toFixed(1).padStart(6)} s  ${result.status}`);
    return result;
  }

  /** A stack not run because `by` did not finish: waiting on the stack that holds up the chain. */
  private blocked(name: string, by: string): StepResult {
    const root = this.results.get(by)?.waitingOn ?? by;
    return this.report(name, { outcome: "blocked", seconds: 0, waitingOn: root, status: `not run: waiting on ${root}` });
  }
}

/** Asks before each apply, one question at a time even with stacks running in parallel. */
function promptOnce(command: LifecycleCommand): (stack: string, plan: string) => Promise<boolean> {
  let prompts = Promise.resolve(true);
  return (stack, plan) => {
    prompts = prompts.then(async () => {
      process.stdout.write(`\n${plan}\n`);
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      const answer = await rl.question(`${command === "destroy" ? "Destroy" : "Apply"} ${stack} as planned above? Only "yes" goes ahead: `);
      rl.close();
      return answer.trim() === "yes";
    });
    return prompts;
  };
}

runCli(() => main(process.argv[2] as LifecycleCommand, process.argv.slice(3)));
