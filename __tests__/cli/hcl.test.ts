import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "@cdktf/hcl2json";
import { runCompiled, scratchProject } from "../sandbox";

// npm run synth:hcl, run as npm runs it: the HCL says what the JSON says.

describe("synth with HCL output", () => {
  const tmp = mkdtempSync(join(tmpdir(), "privatelink-hcl-"));
  // Both runs in one directory: the bootstrap stacks' local state path is relative to it.
  const cwd = scratchProject();
  const run = (env: Record<string, string>) => runCompiled("main.js", [], { cwd, env: { PRIVATELINK_CONFIG: "", ...env } });
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
      expect(hcl).not.toMatch(/^\s*\d+ = /m);
      expect(hcl).not.toMatch(/depends_on = \[\n"/);
      for (const name of Object.keys(json.variable ?? {})) expect(hcl).toMatch(new RegExp(`variable "${name}" \\{[^}]*nullable += false`));
    }
  });

  test("says what the JSON says, stack by stack: parsed back, every block and value is the same", async () => {
    for (const stack of readdirSync(join(jsonOut, "stacks"))) {
      const json = JSON.parse(readFileSync(join(jsonOut, "stacks", stack, "cdk.tf.json"), "utf8"));
      const hcl = await parse("cdk.tf", readFileSync(join(hclOut, "stacks", stack, "cdk.tf"), "utf8"));
      const { "//": _, ...declared } = json;
      expect({ stack, hcl: comparable(hcl) }).toEqual({ stack, hcl: comparable(declared) });
    }
  });

  test("is laid out as terraform fmt lays it out", () => {
    const fmt = spawnSync("terraform", ["fmt", "-check", "-recursive", "-no-color", join(hclOut, "stacks")], { encoding: "utf8" });
    if (fmt.error) throw new Error(`terraform is not installed, so the HCL layout cannot be checked: ${fmt.error.message}`);
    expect({ code: fmt.status, files: fmt.stdout.trim() }).toEqual({ code: 0, files: "" });
  });
});

/**
 * A document as both forms can say it: hcl2json wraps every block in a list
 * and writes references as `${…}` where the JSON may write them bare; cdktf's
 * metadata (`//`) is not configuration.
 */
function comparable(value: unknown): unknown {
  if (typeof value === "string") return value.replace(/^\$\{([^{}]*)\}$/, "$1");
  if (Array.isArray(value)) return value.length === 1 && isObject(value[0]) ? comparable(value[0]) : value.map(comparable);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (k === "//" ? [] : [[k, comparable(v)]])));
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
