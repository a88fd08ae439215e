import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exampleRaw, useCloud } from "../config-helpers";
import { runCompiled } from "../sandbox";

// npm run tfc, run as npm runs it.

describe("the npm run tfc command", () => {
  const run = (args: string[], config: string) => runCompiled("src/cli/tfc.js", args, { env: { PRIVATELINK_CONFIG: config, CDKTF_OUTDIR: out } });
  const dir = mkdtempSync(join(tmpdir(), "privatelink-tfc-"));
  const out = join(dir, "out");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("with the s3 backend it refuses and writes nothing", () => {
    const result = run(["--synth-only"], "config/example.json");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('npm run tfc manages Terraform Cloud workspaces; config/example.json keeps its state in S3 ("backend": { "type": "s3" })');
    expect(existsSync(out)).toBe(false);
  });

  test("a config with problems runs nothing and writes nothing, with or without --synth-only", () => {
    const raw = exampleRaw();
    useCloud(raw, { type: "cloud", organization: "acme", workspaces: { provider: "shared", "consumer-analytics": "shared" } });
    const file = join(dir, "bad-cloud.json");
    writeFileSync(file, JSON.stringify(raw));
    // A terraform on PATH that records being run.
    const bin = join(dir, "bin");
    const calls = join(dir, "terraform-calls");
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "terraform"), `#!/bin/sh\necho "$@" >> ${calls}\n`, { mode: 0o755 });
    for (const args of [[], ["--synth-only"]]) {
      const result = runCompiled("src/cli/tfc.js", args, {
        env: { PRIVATELINK_CONFIG: file, CDKTF_OUTDIR: out, PATH: `${bin}:${process.env.PATH}` },
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("backend.workspaces.consumer-analytics: expected a workspace of its own for stack consumer-analytics");
      expect(existsSync(out)).toBe(false);
      expect(existsSync(calls)).toBe(false);
    }
  });

  test("--synth-only writes the workspaces' stack and stops; an unknown argument is an error", () => {
    const raw = exampleRaw();
    useCloud(raw);
    const file = join(dir, "cloud.json");
    writeFileSync(file, JSON.stringify(raw));
    const result = run(["--synth-only"], file);
    expect(result.status).toBe(0);
    const written = JSON.parse(readFileSync(join(out, "stacks", "tfc", "cdk.tf.json"), "utf8"));
    expect(Object.keys(written.resource.tfe_workspace)).toHaveLength(5);
    expect(run(["--bogus"], file).status).toBe(1);
  });
});
