import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline/promises";
import { runCli } from "./run";
import { configPathFromEnv, loadConfig } from "../config/read";
import { checkOrphanStates } from "../lifecycle/orphans";
import { summaryMarkdown } from "../lifecycle/review";
import { schedule } from "../lifecycle/scheduler";
import { type StepResult, StackSteps } from "../lifecycle/steps";
import { selectStacks, topology } from "../lifecycle/topology";
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
  const nodes = topology(config);
  const selected = selectStacks(nodes, args.consumers, command === "destroy");
  const outdir = process.env.CDKTF_OUTDIR || "cdktf.out";

  // Synthesize with the same app and config as npm run synth.
  const synth = spawnSync(process.execPath, ["dist/main.js"], { stdio: ["ignore", "ignore", "inherit"], env: process.env });
  if (synth.status !== 0) return 1;

  const logDir = join("logs", command);
  rmSync(logDir, { recursive: true, force: true });
  if (command !== "destroy") {
    // A consumer dropped from the config leaves its stacks (and an accepted connection) behind.
    // Beside the stack directories, so the stacks' relative paths (CA bundle) hold there too.
    await checkOrphanStates(
      config,
      outdir,
      join(outdir, "orphan-check"),
      nodes.map((n) => n.name),
    );
  }
  const plansDir = "plans";
  if (command === "plan") {
    rmSync(plansDir, { recursive: true, force: true });
    mkdirSync(plansDir, { recursive: true });
  }

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

  const steps = new StackSteps({
    config,
    outdir,
    logDir,
    plansDir,
    nodes: new Map(nodes.map((n) => [n.name, n])),
    approve,
    note: (line) => console.log(`  ${line}`),
  });
  const byName = new Map(nodes.map((n) => [n.name, n]));
  // Destroy keeps the state buckets: they have prevent_destroy, and hold every other stack's state.
  const tasks = selected.filter((n) => command !== "destroy" || n.kind !== "bootstrap");
  const width = Math.max(...tasks.map((t) => t.name.length));
  const started = Date.now();
  console.log(`${command}: ${tasks.length} stacks of ${configFile}, ${args.parallelism} at a time; Terraform logs in ${logDir}/`);

  const report = (name: string, result: StepResult) => {
    const mark = result.failed ? "FAILED" : result.waitingOn ? "waiting" : result.ok ? "ok" : "stopped";
    console.log(`  ${mark.padEnd(7)} ${name.padEnd(width)} ${result.seconds.toFixed(1).padStart(6)} s  ${result.status}`);
    return result;
  };
  const work = (name: string) => {
    const step = command === "deploy" ? steps.deploy(name) : command === "destroy" ? steps.destroy(name) : steps.plan(name);
    return step.then((result) => report(name, result));
  };
  const results = new Map<string, StepResult>();
  const blocked = (name: string, by: string): StepResult => {
    const root = results.get(by)?.waitingOn ?? by;
    return report(name, { ok: false, changed: false, seconds: 0, waitingOn: root, status: `not run: waiting on ${root}` });
  };
  // Plans only read state, so every stack plans at once; deploy and destroy follow the dependencies.
  const order = command === "plan" ? tasks.map((t) => ({ name: t.name, after: [] })) : tasks;
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
      ),
    );
    console.log(`Review sheet: ${join(plansDir, "summary.md")} (saved plans and their JSON beside it)`);
    if (failed.length > 0) return 1;
    const changed = [...done.values()].some((r) => r.changed || r.waitingOn);
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
