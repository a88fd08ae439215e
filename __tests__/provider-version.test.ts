import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { BINDINGS_AWS_PROVIDER_VERSION } from "../src/config/bindings";
import { buildExample, exampleConfig, parsed, problemsOf } from "./helpers";

describe("the AWS provider version (awsProviderVersion)", () => {
  test("by default, exactly the version the bindings were generated from, written by the bindings themselves", () => {
    const json = parsed(Testing.synth(buildExample().provider));
    expect(json.terraform.required_providers.aws).toMatchObject({ version: BINDINGS_AWS_PROVIDER_VERSION });
    // The constant is what the bindings alone write, so the default needs no override.
    const bare = new TerraformStack(Testing.app(), "bare");
    new AwsProvider(bare, "aws", { region: "us-east-1" });
    expect(parsed(Testing.synth(bare)).terraform.required_providers.aws.version).toBe(BINDINGS_AWS_PROVIDER_VERSION);
  });

  test("another constraint is written into every stack, bootstrap included", () => {
    const stacks = buildExample(exampleConfig((raw) => (raw.awsProviderVersion = "~> 5.100")));
    for (const stack of [stacks.provider, stacks.bootstrap[0], stacks.consumers[0], stacks.acceptance[0]]) {
      expect(parsed(Testing.synth(stack)).terraform.required_providers.aws.version).toBe("~> 5.100");
    }
  });

  test.each(["6.25.0", "~> 6.25", ">= 6.0, < 7.0", "5.100.0", "= 6.0.0-beta1"])("%s is a valid constraint", (version) => {
    expect(exampleConfig((raw) => (raw.awsProviderVersion = version)).awsProviderVersion).toBe(version);
  });

  test.each([["latest"], ["6.x"], ["~> "], [6]])("%j is refused, saying what is accepted", (version) => {
    expect(problemsOf((raw) => (raw.awsProviderVersion = version))).toMatch(/awsProviderVersion: expected a (Terraform )?version constraint/);
  });
});
