/**
 * `npm run test:terraform` (L2): `terraform validate` of every synthesized
 * stack of the example and its variants against the real AWS provider (and
 * `terraform fmt -check` of their HCL, as `npm run synth:hcl` writes it), then
 * checkov on every stack with zero failed checks (skips: checkov-skips.txt,
 * each with its reason).
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/run";
import { BINDINGS_AWS_PROVIDER_VERSION } from "../../src/config/bindings";
import { projectRoot } from "../project-root";
import { CONFIG_VARIANTS, configVariant } from "./config-variants";
import { findProviderMirror, useProviderMirror } from "./provider-mirror";

const CHECKOV_VERSION = "3.3.30";

function say(text: string): void {
  process.stdout.write(`test:terraform: ${text}\n`);
}

/** Runs a command; on failure, throws with its output. */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(cmd, args, { cwd, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

/** checkov in a cached virtualenv, installed from PyPI once. */
function checkov(): string {
  const venv = join(process.env.PRIVATELINK_CACHE || join(homedir(), ".cache", "privatelink"), `checkov-${CHECKOV_VERSION}`);
  const bin = join(venv, "bin", "checkov");
  if (!existsSync(bin)) {
    run("python3", ["-m", "venv", venv], projectRoot());
    run(join(venv, "bin", "pip"), ["install", "--quiet", `checkov==${CHECKOV_VERSION}`], projectRoot());
  }
  return bin;
}

interface CheckovReport {
  results?: { failed_checks?: { check_id: string; check_name: string; resource: string; file_path: string }[] };
  summary?: { passed?: number; parsing_errors?: number };
}

/**
 * checkov crashes on `terraform.required_version` (bridgecrewio/checkov#7454),
 * and 3.3.30 cannot parse a file with `moved` blocks (it reports a parsing
 * error and checks nothing in it); both are removed from the copies checkov
 * scans, after terraform validate has read them. A file it still cannot
 * parse fails the run.
 */
function stripForCheckov(work: string, names: readonly string[]): void {
  for (const name of names) {
    const stacksDir = join(work, `synth-${name}`, "stacks");
    for (const stack of readdirSync(stacksDir)) {
      const file = join(stacksDir, stack, "cdk.tf.json");
      const json = JSON.parse(readFileSync(file, "utf8"));
      delete json.terraform?.required_version;
      delete json.moved;
      writeFileSync(file, JSON.stringify(json));
    }
  }
}

/** Runs a command without blocking; resolves with its exit code and output. */
function runAsync(cmd: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    child.on("error", (err) => done({ code: 127, output: err.message }));
    child.on("close", (code) => done({ code: code ?? 1, output }));
  });
}

/** Runs `work` on every item, `size` at a time; rejects with the first failure once the running ones end. */
async function pool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const errors: Error[] = [];
  await Promise.all(
    Array.from({ length: Math.min(size, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined && errors.length === 0; item = queue.shift()) {
        await work(item).catch((err: Error) => errors.push(err));
      }
    }),
  );
  if (errors.length > 0) throw errors[0];
}

async function main(): Promise<number> {
  const root = projectRoot();
  const work = mkdtempSync(join(tmpdir(), "privatelink-l2-"));
  try {
    if (spawnSync("terraform", ["version"]).status !== 0) throw new Error("terraform is not installed");
    const mirror = findProviderMirror();
    if (mirror) {
      useProviderMirror(mirror, join(work, "terraformrc"));
      say(
        mirror.version === BINDINGS_AWS_PROVIDER_VERSION
          ? `provider hashicorp/aws ${mirror.version} from ${mirror.dir} (the version the bindings were generated from)`
          : `provider hashicorp/aws ${mirror.version} from ${mirror.dir}: NOT the ${BINDINGS_AWS_PROVIDER_VERSION} the bindings were generated from ` +
              `(it cannot be built here); the configs are synthesized with awsProviderVersion ${mirror.version}`,
      );
    } else {
      say(`no provider mirror found: terraform init installs hashicorp/aws ${BINDINGS_AWS_PROVIDER_VERSION} from the registry, as for any Terraform user`);
    }

    execFileSync(join(root, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.json"], { cwd: root, stdio: "inherit" });
    const names = Object.keys(CONFIG_VARIANTS);
    let stacks = 0;
    for (const name of names) {
      const file = join(work, `${name}.json`);
      writeFileSync(file, JSON.stringify(configVariant(name, mirror?.version)));
      const out = join(work, `synth-${name}`);
      run("node", ["dist/main.js"], root, { ...process.env, PRIVATELINK_CONFIG: file, CDKTF_OUTDIR: out });
      // The HCL a reviewer reads (npm run synth:hcl) must parse and be laid out as terraform fmt lays it out.
      const hclOut = join(work, `hcl-${name}`);
      run("node", ["dist/main.js"], root, { ...process.env, PRIVATELINK_CONFIG: file, CDKTF_OUTDIR: hclOut, SYNTH_HCL_OUTPUT: "true" });
      const fmt = spawnSync("terraform", ["fmt", "-check", "-recursive", "-no-color", join(hclOut, "stacks")], { encoding: "utf8" });
      if (fmt.status !== 0) throw new Error(`terraform fmt -check FAILED for the HCL of ${name}: ${fmt.stdout}${fmt.stderr}`);
      const dirs = readdirSync(join(out, "stacks")).map((stack) => {
        const dir = join(work, `tf-${name}-${stack}`);
        mkdirSync(dir);
        copyFileSync(join(out, "stacks", stack, "cdk.tf.json"), join(dir, "cdk.tf.json"));
        return { stack, dir };
      });
      // Validation is CPU-bound (each run loads the provider's schema): one stack per core.
      await pool(dirs, availableParallelism(), async ({ stack, dir }) => {
        const init = await runAsync("terraform", ["init", "-backend=false", "-input=false", "-no-color"], dir);
        if (init.code !== 0)
          throw new Error(
            `terraform init FAILED for ${name}/${stack}: no hashicorp/aws provider could be installed ` +
              `(${mirror ? `from the mirror ${mirror.dir}` : "from the registry, and no provider mirror was found (scripts/verify/provider-mirror.sh)"}); ` +
              `nothing was validated\n${init.output}`,
          );
        const validate = await runAsync("terraform", ["validate", "-no-color"], dir);
        if (validate.code !== 0) throw new Error(`terraform validate FAILED for ${name}/${stack}\n${validate.output}`);
      });
      stacks += dirs.length;
      say(`terraform validate: ${name} (${dirs.length} stacks) valid; its HCL (synth:hcl) is fmt-clean`);
    }
    say(`terraform validate passed for ${stacks} stacks (${names.length} configs)`);
    stripForCheckov(work, names);

    const bin = checkov();
    const skips = readFileSync(join(root, "checkov-skips.txt"), "utf8")
      .split("\n")
      .filter((line) => line.trim() && !line.startsWith("#"))
      .map((line) => line.trim().split(/\s+/)[0])
      .join(",");
    let failed = 0;
    for (const name of names) {
      // checkov exits 1 when a check fails; the report says which.
      const result = spawnSync(
        bin,
        ["-d", ".", "--framework", "terraform_json", "--skip-check", skips, "--skip-download", "--quiet", "--compact", "-o", "json"],
        { cwd: join(work, `synth-${name}`, "stacks"), encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
      );
      if (!result.stdout.trim()) throw new Error(`checkov on ${name} wrote no report:\n${result.stderr}`);
      const parsed = JSON.parse(result.stdout) as CheckovReport | CheckovReport[];
      const reports = Array.isArray(parsed) ? parsed : [parsed];
      const failures = reports.flatMap((r) => r.results?.failed_checks ?? []);
      const passed = reports.reduce((sum, r) => sum + (r.summary?.passed ?? 0), 0);
      const errors = reports.reduce((sum, r) => sum + (r.summary?.parsing_errors ?? 0), 0);
      if (passed === 0 || errors > 0)
        throw new Error(`checkov on ${name}: ${passed} checks passed, ${errors} files it could not parse (so it checked nothing in them)`);
      for (const f of failures) process.stderr.write(`  FAILED ${f.check_id} ${f.check_name}: ${f.resource} (${f.file_path})\n`);
      say(`checkov on ${name}: ${passed} passed, ${failures.length} failed (checks skipped by checkov-skips.txt: ${skips})`);
      failed += failures.length;
    }
    if (failed > 0) throw new Error(`checkov found ${failed} failed checks`);
    say("OK");
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) runCli(main);
