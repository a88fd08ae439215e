/**
 * npm run bench [-- --runs N] [--deploy]: times synth and tests side by side,
 * with the median wall time and peak RSS of N runs each, and checks the speed
 * goals. --deploy adds the lifecycle on the local emulator (bench/deploy.ts),
 * which takes minutes; --deploy-only runs just that.
 * Timing uses GNU time (/usr/bin/time) so a run's RSS includes its children.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { projectRoot } from "../scripts/project-root";
import { runCli } from "../src/cli/run";
import { deployBench, type Goal } from "./deploy";
import { generateConfig } from "./generate-config";

const ROOT = projectRoot();
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf("--runs") + 1]) || 5;
const TEST_RUNS = Math.max(1, Math.ceil(RUNS / 2));
const tmp = mkdtempSync(join(tmpdir(), "privatelink-bench-"));
const TS_NODE = { "ts-node": "10.9.2", typescript: "5.9.3" };

interface Row {
  readonly label: string;
  /** Median wall time. */
  readonly seconds: number;
  /** Peak resident memory of all runs, children included. */
  readonly mb: number;
  readonly runs: number;
}

function run(label: string, command: string, argv: string[], { env = {}, runs = RUNS }: { env?: Record<string, string>; runs?: number } = {}): Row {
  const samples: { seconds: number; mb: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const out = join(tmp, "out");
    rmSync(out, { recursive: true, force: true });
    const argvOut = argv.map((a) => (a === "$OUT" ? out : a));
    const result = spawnSync("/usr/bin/time", ["-f", "%e %M", command, ...argvOut], {
      cwd: ROOT,
      encoding: "utf8",
      // CHECKPOINT_DISABLE: no version check from the cdktf CLI (no internet here, and it is not our time).
      env: { ...process.env, CDKTF_OUTDIR: out, CHECKPOINT_DISABLE: "1", ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    const last = result.stderr.trim().split("\n").pop() ?? "";
    if (result.status !== 0) {
      process.stderr.write(`${label} failed:\n${result.stdout}\n${result.stderr}\n`);
      process.exit(1);
    }
    const [seconds, kb] = last.split(" ").map(Number);
    samples.push({ seconds, mb: kb / 1024 });
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const row = { label, seconds: median(samples.map((s) => s.seconds)), mb: Math.max(...samples.map((s) => s.mb)), runs };
  process.stdout.write(`  ${label.padEnd(58)} ${row.seconds.toFixed(2).padStart(6)} s  ${row.mb.toFixed(0).padStart(5)} MB  (${runs} runs)\n`);
  return row;
}

function tsNodeDir(): string {
  const dir = join(homedir(), ".cache", "privatelink", `bench-ts-node-${TS_NODE["ts-node"]}-ts-${TS_NODE.typescript}`);
  if (!existsSync(join(dir, "node_modules", ".bin", "ts-node"))) {
    mkdirSync(dir, { recursive: true });
    process.stdout.write(`Installing ts-node ${TS_NODE["ts-node"]} and typescript ${TS_NODE.typescript} into ${dir} for the baseline...\n`);
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--no-save", "--prefix", dir, ...Object.entries(TS_NODE).map(([n, v]) => `${n}@${v}`)], {
      stdio: "ignore",
    });
  }
  return dir;
}

function stacksOf(outdir: string): Record<string, string> {
  const dir = join(outdir, "stacks");
  return Object.fromEntries(readdirSync(dir).map((s) => [s, readFileSync(join(dir, s, "cdk.tf.json"), "utf8")]));
}

async function main(): Promise<number> {
  if (args.includes("--deploy-only")) {
    const [text, ok] = (await deployBench()) ?? ["--deploy: skipped", true];
    process.stdout.write(`\nGoals\n  ${ok ? "met    " : "NOT MET"}  ${text}\n`);
    return 0;
  }
  const cdktf = join(ROOT, "node_modules", ".bin", "cdktf");
  const tsNodeRoot = tsNodeDir();
  const tsNode = join(tsNodeRoot, "node_modules", ".bin", "ts-node");
  // ts-node would otherwise pick up this project's TypeScript 7, which has no JS API.
  const tsNodeEnv = { TS_NODE_COMPILER: join(tsNodeRoot, "node_modules", "typescript") };
  const configs = Object.fromEntries(
    [1, 10, 100].map((n) => {
      const file = join(tmp, `consumers-${n}.json`);
      writeFileSync(file, JSON.stringify(generateConfig(n)));
      return [n, file];
    }),
  );

  process.stdout.write(
    `\nprivatelink-cdktf bench: median of ${RUNS} runs (npm test: ${TEST_RUNS}), peak ` + `RSS; node ${process.version}, ${cpus().length} cores\n\n`,
  );
  const synth = run("npm run synth", "npm", ["run", "--silent", "synth"]);
  const tsnodeSynth = run("cdktf synth, template app (ts-node main.ts, TypeScript 5)", cdktf, ["synth", "--app", `${tsNode} main.ts`, "--output", "$OUT"], {
    env: tsNodeEnv,
  });
  const cliSynth = run("cdktf synth, this project's app (cdktf.json)", cdktf, ["synth", "--output", "$OUT"]);
  const app = run("the app alone (node dist/main.js)", "node", ["dist/main.js"]);
  const floor = run("floor (cdktf + constructs + used provider modules, 1 empty stack)", "node", ["dist/bench/floor.js"]);
  const scale = Object.fromEntries(
    Object.entries(configs).map(([n, file]) => [
      n,
      run(`app alone, ${n} consumer${n === "1" ? "" : "s"}`, "node", ["dist/main.js"], { env: { PRIVATELINK_CONFIG: file } }),
    ]),
  );
  const test = run("npm test (unit tier)", "npm", ["test", "--silent"], { runs: TEST_RUNS });
  const cliTests = run("npm run test:cli (the commands as processes)", "npm", ["run", "--silent", "test:cli"], { runs: TEST_RUNS });

  // npm run synth and the ts-node template must write the same stacks.
  const [a, b] = [join(tmp, "same-a"), join(tmp, "same-b")];
  execFileSync("npm", ["run", "--silent", "synth"], { cwd: ROOT, env: { ...process.env, CDKTF_OUTDIR: a }, stdio: "ignore" });
  execFileSync(cdktf, ["synth", "--app", `${tsNode} main.ts`, "--output", b], { cwd: ROOT, env: { ...process.env, ...tsNodeEnv }, stdio: "ignore" });
  const same = JSON.stringify(stacksOf(a)) === JSON.stringify(stacksOf(b));

  const peak = Math.max(synth.mb, app.mb, ...Object.values(scale).map((r) => r.mb));
  const goals: Goal[] = [
    [`npm run synth <= 0.25x the ts-node template: ${(synth.seconds / tsnodeSynth.seconds).toFixed(2)}x`, synth.seconds <= 0.25 * tsnodeSynth.seconds],
    [`app alone <= 1.5x the floor: ${(app.seconds / floor.seconds).toFixed(2)}x`, app.seconds <= 1.5 * floor.seconds],
    [`100 consumers <= 3x 1 consumer: ${(scale[100].seconds / scale[1].seconds).toFixed(2)}x`, scale[100].seconds <= 3 * scale[1].seconds],
    [`npm test <= 10 s: ${test.seconds.toFixed(1)} s`, test.seconds <= 10],
    [`peak synth memory <= 400 MB: ${peak.toFixed(0)} MB`, peak <= 400],
    ["npm run synth writes the same stacks as the ts-node template, byte for byte", same],
  ];
  if (args.includes("--deploy")) {
    const goal = await deployBench();
    if (goal) goals.push(goal);
  }
  process.stdout.write(`\nGoals\n${goals.map(([text, ok]) => `  ${ok ? "met    " : "NOT MET"}  ${text}`).join("\n")}\n`);
  process.stdout.write(
    `  (for reference: cdktf CLI over the compiled app ${cliSynth.seconds.toFixed(2)} s; npm run test:cli ${cliTests.seconds.toFixed(1)} s)\n`,
  );
  rmSync(tmp, { recursive: true, force: true });
  return same ? 0 : 1;
}

runCli(main);
