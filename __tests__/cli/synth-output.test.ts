import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthInto } from "../../src/synth-output";
import { runCompiled } from "../sandbox";

const synth = (outdir: string, config = "config/example.json") => runCompiled("main.js", [], { env: { PRIVATELINK_CONFIG: config, CDKTF_OUTDIR: outdir } });

describe("synth output", () => {
  const tmp = mkdtempSync(join(tmpdir(), "synth-output-"));

  test("an output path that is a file is a clean error, and the file is left alone", () => {
    const file = join(tmp, "a-file");
    writeFileSync(file, "keep me");
    const result = synth(file);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      `The output path ${file} is a file, not a directory; remove it or set CDKTF_OUTDIR to a directory. Nothing was synthesized.`,
    );
    expect(readFileSync(file, "utf8")).toBe("keep me");
  });

  test("an output path under a file is a clean error", () => {
    const result = synth(join(tmp, "a-file", "out"));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^Cannot write the output directory .*a-file\/out: .*Nothing was synthesized\.\n$/);
  });

  test("stacks of a larger earlier config do not survive, and Terraform's working files of the others do", () => {
    const out = join(tmp, "out");
    expect(synth(out).status).toBe(0);
    mkdirSync(join(out, "stacks", "consumer-gone"));
    mkdirSync(join(out, "stacks", "provider", ".terraform"));
    expect(synth(out).status).toBe(0);
    expect(readdirSync(join(out, "stacks"))).not.toContain("consumer-gone");
    expect(existsSync(join(out, "stacks", "provider", ".terraform"))).toBe(true);
    expect(readdirSync(tmp).filter((n) => n.includes(".staging-") || n.includes(".old-"))).toEqual([]);
  });

  test("a synth that fails midway leaves the previous output whole", () => {
    const out = join(tmp, "kept");
    mkdirSync(join(out, "stacks", "provider"), { recursive: true });
    writeFileSync(join(out, "stacks", "provider", "cdk.tf.json"), "old");
    expect(() =>
      synthInto(out, (staging) => {
        writeFileSync(join(staging, "half"), "x");
        throw new Error("ENOSPC: no space left on device");
      }),
    ).toThrow(/Synth failed while writing .*kept: ENOSPC: no space left on device\. .*kept was left as it was\./);
    expect(readFileSync(join(out, "stacks", "provider", "cdk.tf.json"), "utf8")).toBe("old");
    expect(readdirSync(tmp).filter((n) => n.startsWith("kept."))).toEqual([]);
  });
});
