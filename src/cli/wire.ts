import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigError } from "../config/errors";
import { configPathFromEnv, loadConfig } from "../config/load";
import { WireError, type WorkspaceVariable, outputsOf, wireVariables, workspaceVariables } from "../wiring/wire";

const USAGE = `Usage: npm run wire -- <from-stack> <to-stack> [--outputs-file <file>] [--var-file <file>] [--tfc] [--print]

Copies <from-stack>'s outputs into the variables <to-stack> takes from it,
as declared in src/wiring/contract.ts.

  --outputs-file <file>  read outputs from this file (cdktf output --outputs-file,
                         or terraform output -json) instead of running
                         "cdktf output <from-stack>"
  --var-file <file>      var file to merge the variables into
                         (default: vars/<to-stack>.tfvars.json)
  --tfc                  Terraform Cloud workspace variables (key, value, hcl,
                         sensitive) instead of a var file; written to
                         vars/<to-stack>.tfc-variables.json unless --print
  --print                print the variables as JSON; write nothing

Then: cdktf deploy <to-stack> --var-file vars/<to-stack>.tfvars.json`;

function main(argv: string[]): void {
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
  const [fromStack, toStack] = positional;

  const config = loadConfig(configPathFromEnv());
  let outputsFile = typeof flags["outputs-file"] === "string" ? flags["outputs-file"] : undefined;
  if (!outputsFile) {
    outputsFile = resolve(".wire", `${fromStack}.outputs.json`);
    mkdirSync(dirname(outputsFile), { recursive: true });
    execFileSync("npx", ["cdktf", "output", fromStack, "--outputs-file", outputsFile, "--outputs-file-include-sensitive-outputs"], { stdio: "inherit" });
  }
  if (!existsSync(outputsFile)) throw new WireError(`Outputs file ${outputsFile} does not exist.`);
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(outputsFile, "utf8"));
  } catch (err) {
    throw new WireError(`Outputs file ${outputsFile} is not valid JSON: ${(err as Error).message}`);
  }
  const vars = wireVariables(config, fromStack, toStack, outputsOf(fromStack, document));

  if (flags.tfc) {
    const variables = workspaceVariables(vars);
    if (flags.print) return void console.log(JSON.stringify(variables, null, 2));
    const file = resolve(`vars/${toStack}.tfc-variables.json`);
    const existing = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as WorkspaceVariable[]) : [];
    const merged = [...existing.filter((e) => !variables.some((v) => v.key === e.key)), ...variables];
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
    return void console.log(`Wrote ${variables.map((v) => v.key).join(", ")} to ${file}: set them as variables of ${toStack}'s workspace.`);
  }
  if (flags.print) return void console.log(JSON.stringify(vars, null, 2));
  const varFile = resolve(typeof flags["var-file"] === "string" ? flags["var-file"] : `vars/${toStack}.tfvars.json`);
  const existing = existsSync(varFile) ? (JSON.parse(readFileSync(varFile, "utf8")) as Record<string, unknown>) : {};
  mkdirSync(dirname(varFile), { recursive: true });
  writeFileSync(varFile, `${JSON.stringify({ ...existing, ...vars }, null, 2)}\n`);
  console.log(`Wrote ${Object.keys(vars).join(", ")} to ${varFile}`);
  console.log(`Next: npx cdktf deploy ${toStack} --var-file ${varFile}`);
}

try {
  main(process.argv.slice(2));
} catch (err) {
  if (err instanceof WireError || err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
