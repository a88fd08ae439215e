import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { relative, resolve } from "node:path";
import { Testing } from "cdktf";
import { buildStacks } from "../src/app";
import { buildExample, exampleConfig, parsed, problemsOf } from "./helpers";

describe("emulator endpoints (endpointUrl)", () => {
  const config = exampleConfig((raw) => (raw.provider.account.endpointUrl = "https://127.0.0.1:4566"));
  const json = parsed(Testing.synth(buildExample(config).provider));

  test("send the provider's calls to the emulator, path-style, without credential checks, still locked to the account", () => {
    expect(Testing.synth(buildExample(config).provider)).toHaveProviderWithProperties(AwsProvider, {
      allowed_account_ids: ["111111111111"],
      s3_use_path_style: true,
      skip_credentials_validation: true,
      endpoints: [
        expect.objectContaining({
          ec2: "https://127.0.0.1:4566",
          elbv2: "https://127.0.0.1:4566",
          s3: "https://127.0.0.1:4566",
          sts: "https://127.0.0.1:4566",
        }),
      ],
    });
  });

  test("send the state backend there too, keeping encryption and the lockfile", () => {
    expect(json.terraform.backend.s3).toMatchObject({
      endpoints: { s3: "https://127.0.0.1:4566", sts: "https://127.0.0.1:4566" },
      use_path_style: true,
      encrypt: true,
      use_lockfile: true,
    });
  });

  test("leave accounts without it on AWS", () => {
    const consumer = parsed(Testing.synth(buildExample(config).consumers[0]));
    expect(consumer.provider.aws[0].endpoints).toBeUndefined();
    expect(consumer.terraform.backend.s3.endpoints).toBeUndefined();
  });

  test("with a CA bundle: the emulator's dummy credentials and the bundle, as a path relative to the stack's directory", () => {
    const withCa = exampleConfig((raw) => {
      raw.provider.account.endpointUrl = "https://127.0.0.1:4580";
      raw.provider.account.endpointCaBundle = ".emulator/ca.pem";
      raw.wiring = { mode: "remote-state", stateReaders: ["arn:aws:iam::444444444444:role/ci"] };
      raw.consumers[0].account.endpointUrl = "https://127.0.0.1:4580";
    });
    const app = Testing.app();
    const stacks = buildStacks(app, withCa);
    const provider = parsed(Testing.synth(stacks.provider));
    const expected = relative(resolve(app.outdir, "stacks", "provider"), resolve(".emulator/ca.pem"));
    expect(expected.startsWith("/")).toBe(false);
    expect(provider.provider.aws[0]).toMatchObject({ access_key: "test", secret_key: "test", custom_ca_bundle: expected });
    expect(provider.terraform.backend.s3).toMatchObject({ access_key: "test", secret_key: "test", custom_ca_bundle: expected });
    // The acceptance stack reads the provider's state through the same bundle.
    const acceptance = parsed(Testing.synth(stacks.acceptance[0]));
    expect(acceptance.data.terraform_remote_state["remote-state-provider"].config).toMatchObject({ custom_ca_bundle: expected, access_key: "test" });
  });

  test("no credentials or CA bundle for an account on AWS", () => {
    const aws = parsed(Testing.synth(buildExample().provider));
    expect(aws.provider.aws[0].access_key).toBeUndefined();
    expect(aws.provider.aws[0].custom_ca_bundle).toBeUndefined();
    expect(aws.terraform.backend.s3.access_key).toBeUndefined();
  });

  test("a CA bundle needs an https endpointUrl", () => {
    expect(problemsOf((raw) => (raw.provider.account.endpointCaBundle = "ca.pem"))).toMatch(
      /provider\.account\.endpointCaBundle: expected only with an https endpointUrl \(it is the certificate the emulator serves there\); got "ca\.pem"/,
    );
    expect(
      problemsOf((raw) => {
        raw.consumers[1].account.endpointUrl = "http://127.0.0.1:5000";
        raw.consumers[1].account.endpointCaBundle = "ca.pem";
      }),
    ).toMatch(/consumers\[1\]\.account\.endpointCaBundle: expected only with an https endpointUrl/);
    expect(problemsOf((raw) => (raw.provider.account.endpointCaBundle = ""))).toMatch(/provider\.account\.endpointCaBundle: expected a file path; got ""/);
  });

  test("must be an http(s) URL", () => {
    expect(problemsOf((raw) => (raw.provider.account.endpointUrl = "localhost:4566"))).toMatch(
      /provider\.account\.endpointUrl: expected an http\(s\) URL such as http:\/\/127\.0\.0\.1:5000; got "localhost:4566"/,
    );
  });
});
