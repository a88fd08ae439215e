import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline/promises";
import { runCli } from "./run";
import { configPathFromEnv, loadConfig } from "../config/read";
import { type Retirement, checkOrphanStates, retire, retirementLine } from "../lifecycle/orphans";
import { type StackReview, refusalMessage, refusedChanges, summaryMarkdown, trafficChanges } from "../lifecycle/review";
import { schedule } from "../lifecycle/scheduler";
import { type PreparedPlan, type StepResult, StackSteps } from "../lifecycle/steps";
import { consumersFirst, selectStacks } from "../lifecycle/topology";
import { stackGraph } from "../wiring/stack-graph";
import { PROVIDER_STACK } from "../wiring/contract";
import { type LifecycleCommand, LifecycleUsageError, parseLifecycleArgs, resumeHint, usage } from "../lifecycle/args";

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
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  if (command !== "plan" && !args.autoApprove && !interactive) {
    throw new LifecycleUsageError(
      `npm run ${command} asks before each apply, and there is no terminal to ask in. Run it in a terminal, or ` +
        `pass --auto-approve (npm run ${command} -- --auto-approve) to apply without asking. Nothing was changed.`,
    );
  }

  const configFile = configPathFromEnv();
  const config = loadConfig(configFile);
  const nodes = stackGraph(config);
  const selected = selectStacks(nodes, args.consumers, command === "destroy");
  const outdir = process.env.CDKTF_OUTDIR || "cdktf.out";

  // Synthesize with the same app and config as npm run synth.
  const synth = spawnSync(process.execPath, ["dist/main.js"], { stdio: ["ignore", "ignore", "inherit"], env: process.env });
  if (synth.status !== 0) return 1;

  const logDir = join("logs", command);
  rmSync(logDir, { recursive: true, force: true });
  const plansDir = "plans";
  let prompts = Promise.resolve(true);
  const approve = args.autoApprove
    ? undefined
    : (stack: string, plan: string) => {
        // One question at a time, even with stacks running in parallel.
        prompts = prompts.then(async () => {
          process.stdout.write(`\n${plan}\n`);
          const rl = createInterface({ input: process.stdin, output: process.stdout });
          const answer = await rl.question(`${command === "destroy" ? "Destroy" : "Apply"} ${stack} as planned above? Only "yes" goes ahead: `);
          rl.close();
          return answer.trim() === "yes";
        });
        return prompts;
      };

  const allow = { addresses: args.allowReplace, outage: args.allowOutage };
  const steps = new StackSteps({
    config,
    outdir,
    logDir,
    plansDir,
    nodes: new Map(nodes.map((n) => [n.name, n])),
    approve,
    note: (line) => console.log(`  ${line}`),
    allow,
    lockTimeout: args.lockTimeout,
    savedPlansOnly: args.plans,
  });
  let retirements: Retirement[] = [];
  if (command !== "destroy") {
    // A consumer dropped from the config leaves its stacks (and an accepted connection) behind.
    // Beside the stack directories, so the stacks' relative paths (CA bundle) hold there too.
    retirements = await checkOrphanStates(
      config,
      outdir,
      join(outdir, "orphan-check"),
      nodes.map((n) => n.name),
      () => steps.outputs(PROVIDER_STACK),
    );
  }
  if (command === "plan") {
    rmSync(plansDir, { recursive: true, force: true });
    mkdirSync(plansDir, { recursive: true });
  }

  const byName = new Map(nodes.map((n) => [n.name, n]));
  // Destroy keeps the state buckets: they have prevent_destroy, and hold every other stack's state.
  let tasks = selected.filter((n) => command !== "destroy" || n.kind !== "bootstrap");
  const width = Math.max(...tasks.map((t) => t.name.length));
  const started = Date.now();
  console.log(`${command}: ${tasks.length} stacks of ${configFile}, ${args.parallelism} at a time; Terraform logs in ${logDir}/`);
  if (retirements.length > 0) {
    console.log(`Stacks whose feature was turned off, which deploy retires${command === "plan" ? "" : " once every plan is checked"}:`);
    for (const r of retirements) console.log(`  ${retirementLine(r)}`);
  }

  const report = (name: string, result: StepResult, okMark = "ok") => {
    const mark = result.failed ? "FAILED" : result.waitingOn ? "waiting" : result.ok ? okMark : "stopped";
    console.log(`  ${mark.padEnd(7)} ${name.padEnd(width)} ${result.seconds.toFixed(1).padStart(6)} s  ${result.status}`);
    return result;
  };
  const results = new Map<string, StepResult>();
  const blocked = (name: string, by: string): StepResult => {
    const root = results.get(by)?.waitingOn ?? by;
    return report(name, { ok: false, changed: false, seconds: 0, waitingOn: root, status: `not run: waiting on ${root}` });
  };
  const everyStackAtOnce = tasks.map((t) => ({ name: t.name, after: [] }));

  // Deploy checks every plan before it applies any: a change that interrupts
  // the consumers' traffic stops the whole run unless the operator allowed it.
  const prepared = new Map<string, PreparedPlan>();
  if (command === "deploy") {
    let reviews: StackReview[] = [];
    if (args.plans) {
      for (const task of tasks) {
        const saved = steps.savedPlan(task.name);
        if (saved) prepared.set(task.name, saved);
      }
      reviews = [...prepared.values()].map((p) => p.review);
      console.log(`Applying the saved plans of npm run plan (${plansDir}/): ${prepared.size} of ${tasks.length} stacks have one.`);
    } else {
      console.log("Planning every stack before applying any:");
      const planned = await schedule(everyStackAtOnce, args.parallelism, (name) => steps.plan(name, true).then((r) => report(name, r, "planned")), blocked);
      const failed = [...planned].filter(([, r]) => r.failed).map(([name]) => name);
      if (failed.length > 0) {
        console.error(`\ndeploy stopped before applying anything: the plan of ${failed.join(", ")} failed. Logs: ${logDir}/<stack>.log.`);
        return 1;
      }
      for (const [name, r] of planned) if (r.prepared) prepared.set(name, r.prepared);
      reviews = [...planned.values()].flatMap((r) => (r.review ? [r.review] : []));
    }
    const refused = refusedChanges(trafficChanges(reviews), allow);
    if (refused.length > 0) {
      console.error(`\n${refusalMessage(refused)}`);
      return 1;
    }
    for (const r of retirements) {
      console.log(`  retired ${r.stack}: ${await retire(r, args.lockTimeout)}`);
    }
    if (reviews.some((r) => r.dropsIpv6)) {
      tasks = consumersFirst(tasks);
      console.log("The endpoint service stops supporting IPv6: the consumers' endpoints drop it first, then the provider.");
    }
    console.log("Applying:");
  }

  const work = (name: string) => {
    const step = command === "deploy" ? steps.deploy(name, prepared.get(name)) : command === "destroy" ? steps.destroy(name) : steps.plan(name);
    return step.then((result) => report(name, result));
  };
  // Plans only read state, so every stack plans at once; deploy and destroy follow the dependencies.
  const order = command === "plan" ? everyStackAtOnce : tasks;
  results.clear();
  const done = await schedule(
    order,
    args.parallelism,
    (name) =>
      work(name).then((r) => {
        results.set(name, r);
        return r;
      }),
    blocked,
    command === "destroy",
  );

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`\n${"stack".padEnd(width)}  ${"result".padEnd(60)}  time`);
  for (const [name, result] of done) console.log(`${name.padEnd(width)}  ${result.status.slice(0, 60).padEnd(60)}  ${result.seconds.toFixed(1)} s`);
  if (command === "destroy" && args.consumers.length === 0) {
    for (const kept of selected.filter((n) => n.kind === "bootstrap")) console.log(`${kept.name.padEnd(width)}  kept: the state bucket has prevent_destroy`);
  }
  console.log(`${command} took ${seconds} s`);

  const failed = [...done].filter(([, r]) => r.failed || (!r.ok && command !== "plan")).map(([name]) => name);
  if (command === "plan") {
    writeFileSync(
      join(plansDir, "summary.md"),
      summaryMarkdown(
        configFile,
        [...done.values()].flatMap((r) => (r.review ? [r.review] : [])),
        retirements.map(retirementLine),
      ),
    );
    console.log(`Review sheet: ${join(plansDir, "summary.md")} (saved plans and their JSON beside it)`);
    if (failed.length > 0) return 1;
    const changed = retirements.length > 0 || [...done.values()].some((r) => r.changed || r.waitingOn);
    return args.detailedExitcode && changed ? 2 : 0;
  }
  if (failed.length > 0) {
    console.error(`\n${command} did not finish: ${failed.join(", ")}. Logs: ${logDir}/<stack>.log.`);
    console.error(
      resumeHint(
        command,
        failed.map((f) => byName.get(f)?.consumer),
      ),
    );
    return 1;
  }
  return 0;
}

runCli(() => main(process.argv[2] as LifecycleCommand, process.argv.slice(3)));
