import { fixCdktfHcl, withEmptyLists, withTerraformSettings } from "../src/hcl/fix-hcl";
import { formatHcl } from "../src/hcl/format-hcl";

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
