import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { runCli } from "./run";
import { configPathFromEnv } from "../config/read";
import { loadConfig } from "../wiring/load";
import { stackOutputs } from "../lifecycle/terraform";
import { mergeVarFile, readJsonFile, varFileOf, writeFileAtomic } from "../wiring/var-file";
import { WireError, type WorkspaceVariable, outputsOf, wireVariables, workspaceVariables } from "../wiring/wire";

const USAGE = `Usage: npm run wire -- <from-stack> <to-stack> [--outputs-file <file>] [--var-file <file>] [--tfc] [--print]

Copies <from-stack>'s outputs into the variables <to-stack> takes from it,
as declared in src/wiring/contract.ts. npm run deploy does this for every
stack; this command is for one hop at a time.

  --outputs-file <file>  read outputs from this file (cdktf output --outputs-file,
                         or terraform output -json) instead of running
                         "terraform output -json" in cdktf.out/stacks/<from-stack>
  --var-file <file>      var file to merge the variables into
                         (default: vars/<to-stack>.tfvars.json)
  --tfc                  Terraform Cloud workspace variables (key, value, hcl,
                         sensitive) instead of a var file; written to
                         vars/<to-stack>.tfc-variables.json unless --print
  --print                print the variables as JSON; write nothing

Then: cdktf deploy <to-stack> --var-file vars/<to-stack>.tfvars.json`;

async function main(argv: string[]): Promise<undefined> {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") return void console.log(USAGE);
    if (arg === "--print") flags.print = true;
    else if (arg === "--tfc") flags.tfc = true;
    else if (arg === "--outputs-file" || arg === "--var-file") {
      const value = argv[++i];
      if (!value) throw new WireError(`${arg} needs a file path.\n\n${USAGE}`);
      flags[arg.slice(2)] = value;
    } else if (arg.startsWith("-")) throw new WireError(`Unknown option ${arg}.\n\n${USAGE}`);
    else positional.push(arg);
  }
  if (positional.length !== 2) throw new WireError(`Expected <from-stack> and <to-stack>.\n\n${USAGE}`);
  if (flags.tfc && flags["var-file"])
    throw new WireError("--tfc writes Terraform Cloud workspace variables, not a var file: give --tfc or --var-file, not both.");
  const [fromStack, toStack] = positional;

  const config = loadConfig(configPathFromEnv());
  const outputsFile = typeof flags["outputs-file"] === "string" ? flags["outputs-file"] : undefined;
  const document = outputsFile ? readJsonFile(outputsFile, "Outputs file") : await deployedOutputs(fromStack);
  const vars = wireVariables(config, fromStack, toStack, outputsOf(fromStack, document));

  if (flags.tfc) {
    const variables = workspaceVariables(vars);
    if (flags.print) return void console.log(JSON.stringify(variables, null, 2));
    const file = resolve(`vars/${toStack}.tfc-variables.json`);
    const existing = existsSync(file) ? readJsonFile(file, "Workspace variables file") : [];
    if (!Array.isArray(existing)) throw new WireError(`Workspace variables file ${file} must hold a JSON list of variables; it was left as it is.`);
    const merged = [...(existing as WorkspaceVariable[]).filter((e) => !variables.some((v) => v.key === e?.key)), ...variables];
    writeFileAtomic(file, `${JSON.stringify(merged, null, 2)}\n`);
    return void console.log(`Wrote ${variables.map((v) => v.key).join(", ")} to ${file}: set them as variables of ${toStack}'s workspace.`);
  }
  if (flags.print) return void console.log(JSON.stringify(vars, null, 2));
  const varFile = resolve(typeof flags["var-file"] === "string" ? flags["var-file"] : varFileOf(toStack));
  mergeVarFile(varFile, vars);
  console.log(`Wrote ${Object.keys(vars).join(", ")} to ${varFile}`);
  console.log(`Next: npx cdktf deploy ${toStack} --var-file ${varFile}`);
}

/** The deployed stack's outputs, from its state through Terraform in its synthesized directory. */
async function deployedOutputs(stack: string): Promise<unknown> {
  const dir = resolve(process.env.CDKTF_OUTDIR || "cdktf.out", "stacks", stack);
  if (!existsSync(join(dir, "cdk.tf.json"))) {
    throw new WireError(`Stack ${stack} is not synthesized in ${dir}: run npm run synth (with the same PRIVATELINK_CONFIG) first, or pass --outputs-file.`);
  }
  try {
    return await stackOutputs(dir, resolve("logs", "wire", `${stack}.log`), !existsSync(join(dir, ".terraform")));
  } catch (err) {
    throw new WireError(`Cannot read the outputs of ${stack}: ${(err as Error).message}. Is it deployed (npm run deploy)? Or pass --outputs-file.`);
  }
}

runCli(() => main(process.argv.slice(2)));
