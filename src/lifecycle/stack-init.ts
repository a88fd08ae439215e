import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { type TerraformResult, initArgs } from "./terraform";

/** Runs Terraform with the given arguments in a stack's directory. */
type RunTerraform = (args: string[]) => Promise<TerraformResult>;

/** Written into `.terraform` after a successful init: the settings it was run with. */
const INIT_MARKER = "privatelink-init.json";

/**
 * `terraform init` of one stack, once per run: skipped when the stack was
 * initialized before with the same backend, providers and CLI config (init
 * would only verify the provider again); on a changed backend, reconfigured
 * when the state stays where it was, and otherwise refused with the
 * migration to run. A failed init is tried again on the next call (the state
 * bucket may exist by then).
 */
export class StackInits {
  private readonly inits = new Map<string, Promise<TerraformResult>>();

  /** `dirOf` gives a stack's directory, `run` runs Terraform in it. */
  constructor(
    private readonly dirOf: (stack: string) => string,
    private readonly run: (stack: string, args: string[]) => Promise<TerraformResult>,
  ) {}

  init(stack: string): Promise<TerraformResult> {
    const known = this.inits.get(stack);
    if (known) return known;
    const dir = this.dirOf(stack);
    const settings = initSettings(dir);
    const marker = join(dir, ".terraform", INIT_MARKER);
    if (existsSync(marker) && readFileSync(marker, "utf8") === settings) return Promise.resolve({ code: 0, output: "", stdout: "" });
    const init = initOnce(stack, dir, (args) => this.run(stack, args)).then((result) => {
      if (result.code === 0 && existsSync(dirname(marker))) writeFileSync(marker, settings);
      else if (result.code !== 0) this.inits.delete(stack);
      return result;
    });
    this.inits.set(stack, init);
    return init;
  }
}

async function initOnce(stack: string, dir: string, run: RunTerraform): Promise<TerraformResult> {
  const result = await run(initArgs());
  if (result.code === 0 || !/Backend configuration changed/.test(result.output)) return result;
  if (sameStateLocation(dir)) return run([...initArgs(), "-reconfigure"]);
  const output =
    `The state location of ${stack} changed (for a bootstrap stack: bootstrapBackend moved to s3). Move its state once with: npx ` +
    `cdktf deploy ${stack} --migrate-state (docs/lifecycle.md: "Moving the bootstrap state into its bucket"), then run this again.`;
  return { ...result, output: `Error: ${output}` };
}

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
