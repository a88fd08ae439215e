import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixCdktfHcl } from "../src/hcl/fix-hcl";
import { ROOT } from "./helpers";

describe("fixCdktfHcl", () => {
  test("turns a precondition list into one block per item", () => {
    const hcl = [
      "lifecycle {",
      "  precondition = [",
      "{",
      'condition = "${a}"',
      'error_message = "A"',
      "},",
      "{",
      'condition = "${b}"',
      'error_message = "B"',
      "},",
      "]",
      "}",
    ].join("\n");
    expect(fixCdktfHcl(hcl, [])).toBe(
      [
        "lifecycle {",
        "precondition {",
        'condition = "${a}"',
        'error_message = "A"',
        "}",
        "precondition {",
        'condition = "${b}"',
        'error_message = "B"',
        "}",
        "}",
      ].join("\n"),
    );
  });

  test("unquotes depends_on references and leaves other strings alone", () => {
    const hcl = ['bucket = "aws_s3_bucket.x"', "depends_on = [", '"aws_s3_bucket_public_access_block.pab",', "]"].join("\n");
    expect(fixCdktfHcl(hcl, [])).toBe(['bucket = "aws_s3_bucket.x"', "depends_on = [", "aws_s3_bucket_public_access_block.pab,", "]"].join("\n"));
  });

  test("restores nullable = false only for the variables that declare it", () => {
    const hcl = ['variable "a" {', "type = string", "}", 'variable "b" {', "type = string", "}"].join("\n");
    expect(fixCdktfHcl(hcl, ["b"])).toBe(['variable "a" {', "type = string", "}", 'variable "b" {', "type = string", "nullable = false", "}"].join("\n"));
  });
});

describe("synth with HCL output", () => {
  const tmp = mkdtempSync(join(tmpdir(), "privatelink-hcl-"));
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, [join(ROOT, "dist/main.js")], { cwd: ROOT, encoding: "utf8", env: { ...process.env, PRIVATELINK_CONFIG: "", ...env } });
  const [jsonOut, hclOut] = [join(tmp, "json"), join(tmp, "hcl")];
  const jsonRun = run({ CDKTF_OUTDIR: jsonOut });
  const hclRun = run({ CDKTF_OUTDIR: hclOut, SYNTH_HCL_OUTPUT: "true" });

  test("writes a cdk.tf for every stack", () => {
    expect([jsonRun.status, hclRun.status]).toEqual([0, 0]);
    expect(readdirSync(join(hclOut, "stacks")).sort()).toEqual(readdirSync(join(jsonOut, "stacks")).sort());
  });

  test("declares every resource, data source, variable and output of the JSON, and nothing Terraform rejects", () => {
    for (const stack of readdirSync(join(jsonOut, "stacks"))) {
      const json = JSON.parse(readFileSync(join(jsonOut, "stacks", stack, "cdk.tf.json"), "utf8"));
      const hcl = readFileSync(join(hclOut, "stacks", stack, "cdk.tf"), "utf8");
      const expected = [
        ...Object.entries(json.resource ?? {}).flatMap(([type, blocks]) => Object.keys(blocks as object).map((name) => `resource "${type}" "${name}" {`)),
        ...Object.entries(json.data ?? {}).flatMap(([type, blocks]) => Object.keys(blocks as object).map((name) => `data "${type}" "${name}" {`)),
        ...Object.keys(json.variable ?? {}).map((name) => `variable "${name}" {`),
        ...Object.keys(json.output ?? {}).map((name) => `output "${name}" {`),
      ];
      expect({ stack, missing: expected.filter((block) => !hcl.includes(block)) }).toEqual({ stack, missing: [] });
      expect(hcl).not.toContain("precondition = [");
      expect(hcl).not.toMatch(/depends_on = \[\n"/);
      for (const name of Object.keys(json.variable ?? {})) expect(hcl).toMatch(new RegExp(`variable "${name}" \\{[^}]*nullable = false`));
    }
  });
});
