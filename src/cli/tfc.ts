import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { App } from "cdktf";
import { runCli } from "./run";
import { configPathFromEnv } from "../config/read";
import { loadConfig } from "../wiring/load";
import { TFC_STACK, TfcStack } from "../stacks/tfc-stack";
import { synthInto } from "../synth-output";
import { skipTokenStackTraces } from "../token-stack-traces";

const USAGE = `Usage: npm run tfc [-- --synth-only]

Terraform Cloud as code, for a config with "backend": { "type": "cloud" }:
a workspace per stack (in backend.project), remote execution in the stack's
directory of cdktf.out/stacks, dynamic AWS credentials (each account's
runRoleArn), the wired values, and run triggers along the stack graph.
Writes the workspaces' stack to cdktf.out.tfc/, then runs terraform init and
apply there (it asks before changing anything; log in with terraform login).

  --synth-only   write cdktf.out.tfc/ and stop`;

/** Where `npm run tfc` writes its stack. */
export const TFC_OUTDIR = "cdktf.out.tfc";

function main(argv: string[]): number {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  const unknown = argv.filter((a) => a !== "--synth-only");
  if (unknown.length > 0) {
    process.stderr.write(`Unknown argument ${unknown[0]}.\n\n${USAGE}\n`);
    return 1;
  }
  const file = configPathFromEnv();
  const config = loadConfig(file);
  if (config.backend.type !== "cloud") {
    process.stderr.write(`npm run tfc manages Terraform Cloud workspaces; ${file} keeps its state in S3 ("backend": { "type": "s3" }). Nothing was written.\n`);
    return 1;
  }
  skipTokenStackTraces();
  synthInto(process.env.CDKTF_OUTDIR || TFC_OUTDIR, (outdir) => {
    const app = new App({ outdir });
    new TfcStack(app, TFC_STACK, { config });
    app.synth();
  });
  const dir = join(process.env.CDKTF_OUTDIR || TFC_OUTDIR, "stacks", TFC_STACK);
  console.log(`Wrote the Terraform Cloud workspaces of ${file} to ${dir}.`);
  if (argv.includes("--synth-only")) return 0;
  for (const args of [["init", "-input=false"], ["apply"]]) {
    const run = spawnSync("terraform", [`-chdir=${dir}`, ...args], { stdio: "inherit" });
    if (run.error) throw new Error(`terraform could not be started (${run.error.message}); install Terraform >= 1.10, or run it in ${dir} yourself.`);
    if (run.status !== 0) return run.status ?? 1;
  }
  return 0;
}

runCli(() => main(process.argv.slice(2)));
