import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "@cdktf/hcl2json";
import { fixCdktfHcl, withEmptyLists, withTerraformSettings } from "../src/hcl/fix-hcl";
import { formatHcl } from "../src/hcl/format-hcl";
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

describe("what cdktf drops or renders wrongly is restored from the JSON", () => {
  test("an empty list (ingress = [] removes every rule; a missing one leaves them)", () => {
    const hcl = ['resource "aws_security_group" "sg" {', 'name = "x"', "", "}"].join("\n");
    const json = { resource: { aws_security_group: { sg: { name: "x", ingress: [], egress: [{ from_port: 443 }] } } } };
    expect(withEmptyLists(hcl, json)).toBe(['resource "aws_security_group" "sg" {', "ingress = []", 'name = "x"', "", "}"].join("\n"));
    expect(() => withEmptyLists("", json)).toThrow('No resource "aws_security_group" "sg" in the HCL output.');
  });

  test('a terraform setting rendered as 0 = "required_version"', () => {
    expect(withTerraformSettings('terraform {\n0 = "required_version"\n}', { terraform: { required_version: ">= 1.10.0" } })).toBe(
      'terraform {\nrequired_version = ">= 1.10.0"\n}',
    );
    expect(() => withTerraformSettings('0 = "required_version"', {})).toThrow(/no string terraform.required_version/);
  });
});

describe("formatHcl: the layout terraform fmt gives", () => {
  test("spaces the braces of a one-line object, outside strings only; empty objects and block openers stay", () => {
    const hcl = [
      'resource "aws_cloudwatch_dashboard" "d" {',
      'dashboard_body = "${jsonencode({"widgets" = [{"x" = 0, "p" = {"t" = "a{b}"}}], "e" = {}})}"',
      "}",
    ].join("\n");
    expect(formatHcl(hcl)).toBe(
      [
        'resource "aws_cloudwatch_dashboard" "d" {',
        '  dashboard_body = jsonencode({ "widgets" = [{ "x" = 0, "p" = { "t" = "a{b}" } }], "e" = {} })',
        "}",
        "",
      ].join("\n"),
    );
  });

  test("indents by nesting, aligns consecutive one-line attributes, and unwraps a block attribute that is one interpolation", () => {
    const hcl = [
      'resource "aws_vpc_endpoint" "e" {',
      'vpc_id = "${aws_vpc.v.id}"',
      'vpc_endpoint_type = "Interface"',
      "tags = {",
      'Name = "${var.name}"',
      "}",
      "subnet_ids = [",
      '"${aws_subnet.a.id}",',
      "]",
      'policy = "${jsonencode({"a" = "b"})}-suffix"',
      'name = "${format("%s}", var.x)}"',
      "}",
      'output "o" {',
      'value = "${aws_vpc.v.id}"',
      "}",
    ].join("\n");
    expect(formatHcl(hcl)).toBe(
      [
        'resource "aws_vpc_endpoint" "e" {',
        "  vpc_id            = aws_vpc.v.id",
        '  vpc_endpoint_type = "Interface"',
        "  tags = {",
        // Inside an expression, not a block: left as it is.
        '    Name = "${var.name}"',
        "  }",
        "  subnet_ids = [",
        '    "${aws_subnet.a.id}",',
        "  ]",
        // Text beside the interpolation: not unwrappable.
        '  policy = "${jsonencode({"a" = "b"})}-suffix"',
        // A brace inside a nested string does not end the interpolation.
        '  name   = format("%s}", var.x)',
        "}",
        "",
        'output "o" {',
        "  value = aws_vpc.v.id",
        "}",
        "",
      ].join("\n"),
    );
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
