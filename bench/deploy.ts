/**
 * npm run bench -- --deploy: wall time of the lifecycle on the local
 * emulator. For 1 and for 4 consumers (config/emulator.json's first consumer,
 * repeated in new accounts), each in a scratch project against a fresh
 * emulator: `npm run deploy -- --auto-approve`, then `npm run plan` on the
 * deployed config. One run each: they take minutes.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { projectRoot } from "../scripts/project-root";
import { findProviderMirror, type ProviderMirror, useProviderMirror } from "../scripts/verify/provider-mirror";

const ROOT = projectRoot();

interface EmulatorAccount {
  readonly id: string;
  readonly state: Record<string, unknown>;
  readonly [key: string]: unknown;
}
interface EmulatorConfig {
  provider: { account: EmulatorAccount; readonly [key: string]: unknown };
  consumers: { account: EmulatorAccount; network: Record<string, unknown>; readonly [key: string]: unknown }[];
  readonly [key: string]: unknown;
}

/** A speed goal: what was measured, and whether it is met. */
export type Goal = readonly [string, boolean];
// Copied, so edits to the working tree during a run do not reach it; node_modules is linked.
const COPIED = ["package.json", "tsconfig.json", "cdktf.json", "main.ts", "src", "dist", "emulator"];

/** config/emulator.json with `count` consumers, on `url`. */
function emulatorConfig(count: number, url: string): EmulatorConfig {
  const base = JSON.parse(readFileSync(join(ROOT, "config", "emulator.json"), "utf8")) as EmulatorConfig;
  const template = base.consumers[0];
  const point = (account: EmulatorAccount): EmulatorAccount => ({ ...account, endpointUrl: url, endpointCaBundle: "emulator-ca.pem" });
  base.provider.account = point(base.provider.account);
  base.consumers = Array.from({ length: count }, (_, i) => {
    const id = String(222200000000 + i);
    return {
      ...template,
      name: `c${i + 1}`,
      account: point({
        ...template.account,
        id,
        roleArn: `arn:aws:iam::${id}:role/privatelink-deployer`,
        state: { ...template.account.state, bucket: `privatelink-bench-state-${id}` },
      }),
      network: { ...template.network, cidr: `10.${20 + i}.0.0/16` },
    };
  });
  return base;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error("the emulator did not start");
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error("the emulator did not start in time");
}

function timed(dir: string, args: string[]): number {
  const started = Date.now();
  const result = spawnSync("npm", ["run", "--silent", ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, PRIVATELINK_CONFIG: "config/emulator.json" },
  });
  const seconds = (Date.now() - started) / 1000;
  if (result.status !== 0)
    throw new Error(`npm run ${args.join(" ")} failed (exit ${result.status}):\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
  return seconds;
}

/** Deploys `count` consumers into a fresh emulator; returns the deploy and plan wall times. */
async function deployOnce(count: number, mirror: ProviderMirror): Promise<{ deploy: number; plan: number }> {
  const dir = mkdtempSync(join(tmpdir(), `privatelink-bench-deploy-${count}-`));
  const port = await freePort();
  for (const name of COPIED) cpSync(join(ROOT, name), join(dir, name), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  mkdirSync(join(dir, "config"));
  writeFileSync(join(dir, "config", "emulator.json"), JSON.stringify(emulatorConfig(count, `https://127.0.0.1:${port}`), null, 2));
  useProviderMirror(mirror, join(dir, "terraformrc"));
  const emulator = spawn("bash", ["emulator/run.sh", "--config", join(dir, "config", "emulator.json")], { cwd: dir, stdio: "ignore", detached: true });
  try {
    await waitForPort(port, emulator);
    const deploy = timed(dir, ["deploy", "--", "--auto-approve"]);
    const plan = timed(dir, ["plan", "--", "--detailed-exitcode"]);
    return { deploy, plan };
  } finally {
    if (emulator.pid) process.kill(-emulator.pid, "SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function deployBench(): Promise<Goal | undefined> {
  const mirror = findProviderMirror();
  if (!mirror) {
    process.stdout.write("\n--deploy: SKIPPED, no hashicorp/aws provider can be installed offline here\n");
    return undefined;
  }
  process.stdout.write(`\nLifecycle on the local emulator (hashicorp/aws ${mirror.version} from ${mirror.dir}; one run each)\n`);
  const one = await deployOnce(1, mirror);
  process.stdout.write(`  ${"npm run deploy, 1 consumer (5 stacks)".padEnd(58)} ${one.deploy.toFixed(0).padStart(6)} s\n`);
  const four = await deployOnce(4, mirror);
  process.stdout.write(`  ${"npm run deploy, 4 consumers (14 stacks)".padEnd(58)} ${four.deploy.toFixed(0).padStart(6)} s\n`);
  process.stdout.write(`  ${"npm run plan, 1 consumer, deployed".padEnd(58)} ${one.plan.toFixed(0).padStart(6)} s\n`);
  process.stdout.write(`  ${"npm run plan, 4 consumers, deployed".padEnd(58)} ${four.plan.toFixed(0).padStart(6)} s\n`);
  const ratio = four.deploy / one.deploy;
  return [`4 consumers deploy <= 2x 1 consumer: ${ratio.toFixed(2)}x`, ratio <= 2];
}
