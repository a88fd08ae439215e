import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../root";
import { runCompiled } from "../sandbox";

// The compiled entry points, run as npm runs them (`npm test` compiles first), each in a scratch directory.
const run = (script: string, args: string[], env: Record<string, string> = {}, input?: string) => runCompiled(`src/cli/${script}`, args, { env, input });

const providerOutputs = {
  service_name: { value: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0" },
  service_availability_zone_ids: { value: ["use1-az1", "use1-az2"] },
};

describe("npm run wire: every failure is a clear message, never a stack trace", () => {
  const tmp = mkdtempSync(join(tmpdir(), "wire-cli-"));
  const outputs = join(tmp, "provider.json");
  writeFileSync(outputs, JSON.stringify(providerOutputs));

  test("a stack that is not synthesized names the fix", () => {
    const result = run("wire.js", ["provider", "consumer-analytics", "--print"], { CDKTF_OUTDIR: join(tmp, "nothing") });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^Stack provider is not synthesized in .*nothing\/stacks\/provider: run npm run synth/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test("outputs that cannot be read from Terraform say so, with the way out", () => {
    const outdir = join(tmp, "out");
    mkdirSync(join(outdir, "stacks", "provider"), { recursive: true });
    writeFileSync(join(outdir, "stacks", "provider", "cdk.tf.json"), "{ not json");
    const result = run("wire.js", ["provider", "consumer-analytics", "--print"], { CDKTF_OUTDIR: outdir });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^Cannot read the outputs of provider: .*Is it deployed \(npm run deploy\)\? Or pass --outputs-file\./);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test("an outputs file with a byte-order mark is read", () => {
    const bom = join(tmp, "bom.json");
    writeFileSync(bom, `\uFEFF${JSON.stringify(providerOutputs)}`);
    const result = run("wire.js", ["provider", "consumer-analytics", "--outputs-file", bom, "--print"]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).service_name).toBe(providerOutputs.service_name.value);
  });

  test("a malformed var file is named and left alone", () => {
    const varFile = join(tmp, "bad.tfvars.json");
    writeFileSync(varFile, "{ broken");
    const result = run("wire.js", ["provider", "consumer-analytics", "--outputs-file", outputs, "--var-file", varFile]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Var file ${varFile} is not valid JSON`);
    expect(readFileSync(varFile, "utf8")).toBe("{ broken");
  });

  test("a var file that is a directory is refused", () => {
    const dir = join(tmp, "adir");
    mkdirSync(dir);
    const result = run("wire.js", ["provider", "consumer-analytics", "--outputs-file", outputs, "--var-file", dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Var file ${dir} is a directory, not a file.`);
  });

  test("--tfc with --var-file is refused, saying why", () => {
    const result = run("wire.js", ["provider", "consumer-analytics", "--outputs-file", outputs, "--tfc", "--var-file", join(tmp, "x.json")]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/--tfc writes Terraform Cloud workspace variables, not a var file: give --tfc or --var-file, not both\./);
  });
});

describe("npm run deploy/plan/destroy: misuse stops before anything runs", () => {
  test("without a terminal and without --auto-approve, deploy and destroy refuse and change nothing", () => {
    for (const command of ["deploy", "destroy"]) {
      const result = run("lifecycle.js", [command], {}, "");
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`npm run ${command} asks before each apply, and there is no terminal to ask in.`);
      expect(result.stderr).toContain(`pass --auto-approve (npm run ${command} -- --auto-approve)`);
      expect(result.stdout).toBe("");
    }
  });

  test("an unknown consumer is refused, naming the config's consumers", () => {
    const result = run("lifecycle.js", ["plan", "--consumer", "billing"]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe("Unknown consumer billing; the config's consumers are analytics, reporting.");
  });

  test("an invalid config lists its problems, without a stack trace", () => {
    const tmp = mkdtempSync(join(tmpdir(), "lifecycle-cli-"));
    writeFileSync(join(tmp, "bad.json"), JSON.stringify({ project: "x" }));
    const result = run("lifecycle.js", ["plan"], { PRIVATELINK_CONFIG: join(tmp, "bad.json") });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^Invalid config .*bad\.json: \d+ problems/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test("--help prints the usage", () => {
    const result = run("lifecycle.js", ["destroy", "--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run destroy -- \[--auto-approve\] \[--consumer NAME \.\.\.\]/);
  });
});

test("npm run wire --tfc refuses an existing workspace-variables file that is not a list, and leaves it alone", () => {
  const tmp = mkdtempSync(join(tmpdir(), "wire-tfc-"));
  const outputs = join(tmp, "provider.json");
  writeFileSync(outputs, JSON.stringify(providerOutputs));
  mkdirSync(join(tmp, "vars"));
  const file = join(tmp, "vars", "consumer-analytics.tfc-variables.json");
  writeFileSync(file, '{"not": "a list"}');
  const result = runCompiled("src/cli/wire.js", ["provider", "consumer-analytics", "--outputs-file", outputs, "--tfc"], {
    cwd: tmp,
    env: { PRIVATELINK_CONFIG: join(ROOT, "config/example.json") },
  });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain(`Workspace variables file ${file} must hold a JSON list of variables; it was left as it is.`);
  expect(readFileSync(file, "utf8")).toBe('{"not": "a list"}');
});
