import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateConfig } from "../../bench/generate-config";
import { exampleRaw, type Block } from "../config-helpers";
import { runCompiled, scratchProject } from "../sandbox";

// These run the compiled app the way `npm run synth` and cdktf.json's app do;
// `npm test` compiles it first (tsc -p tsconfig.test.json).
// One working directory for every run: the bootstrap stacks' local state path is relative to it.
const cwd = scratchProject();

function synth(config: string | undefined, outdir: string) {
  return runCompiled("main.js", [], {
    cwd,
    env: { PRIVATELINK_CONFIG: config ?? "", CDKTF_OUTDIR: outdir, AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "" },
  });
}

function stackFiles(outdir: string): Record<string, string> {
  const dir = join(outdir, "stacks");
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name, "cdk.tf.json"), "utf8")]));
}

describe("synth", () => {
  const tmp = mkdtempSync(join(tmpdir(), "privatelink-synth-"));

  test("writes every stack of the example config, offline, without credentials", () => {
    const out = join(tmp, "a");
    const run = synth(undefined, out);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(Object.keys(stackFiles(out)).sort()).toEqual([
      "acceptance-analytics",
      "acceptance-reporting",
      "bootstrap-analytics",
      "bootstrap-provider",
      "bootstrap-reporting",
      "consumer-analytics",
      "consumer-reporting",
      "provider",
    ]);
  });

  test("is deterministic: a second run writes identical stacks", () => {
    const b = join(tmp, "b");
    expect(synth(undefined, b).status).toBe(0);
    expect(stackFiles(b)).toEqual(stackFiles(join(tmp, "a")));
  });

  test("an invalid config exits non-zero, lists every problem without a stack trace, and writes nothing", () => {
    const raw = exampleRaw();
    raw.provider.service.port = 0;
    raw.consumers[0].account.id = "abc";
    const file = join(tmp, "bad.json");
    writeFileSync(file, JSON.stringify(raw));
    const out = join(tmp, "bad-out");
    const run = synth(file, out);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`Invalid config ${file}: 2 problems`);
    expect(run.stderr).toContain("provider.service.port: expected a TCP port 1-65535; got 0");
    expect(run.stderr).toContain('consumers[0].account.id: expected a 12-digit AWS account id; got "abc"');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  test("1 provider and 100 consumers synthesize: a consumer, acceptance and bootstrap stack each, every state key unique", () => {
    const file = join(tmp, "hundred.json");
    writeFileSync(file, JSON.stringify(generateConfig(100)));
    const out = join(tmp, "hundred-out");
    const run = synth(file, out);
    expect(run.status).toBe(0);
    const stacks = stackFiles(out);
    expect(Object.keys(stacks)).toHaveLength(1 + 100 * 3 + 1);
    const keys = Object.values(stacks)
      .map((text) => JSON.parse(text).terraform.backend?.s3?.key)
      .filter(Boolean);
    expect(new Set(keys).size).toBe(keys.length);
    expect(JSON.parse(stacks.provider).resource.aws_vpc_endpoint_service).toBeDefined();
    const service: Block = Object.values(JSON.parse(stacks.provider).resource.aws_vpc_endpoint_service)[0] as Block;
    expect(service.allowed_principals).toHaveLength(100);
  });

  test("a missing config file exits non-zero and writes nothing", () => {
    const out = join(tmp, "missing-out");
    const run = synth(join(tmp, "does-not-exist.json"), out);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/file not found/);
    expect(existsSync(out)).toBe(false);
  });
});
