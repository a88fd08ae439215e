import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { relative, resolve } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { buildStacks } from "../src/app";
import { BINDINGS_AWS_PROVIDER_VERSION } from "../src/config/bindings";
import { buildExample, exampleConfig, parsed, problemsOf, type Block } from "./helpers";

describe("VPC flow logs", () => {
  const synth = Testing.synth(buildExample().consumers[0], true);
  const json = parsed(synth);

  test("log all traffic of the VPC to a CloudWatch log group kept a year, under a rotated KMS key", () => {
    expect(synth).toHaveResourceWithProperties(FlowLog, {
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
      vpc_id: expect.stringMatching(/aws_vpc\.network_vpc/),
    });
    expect(synth).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/vpc/privatelink-demo-analytics/flow-logs",
      retention_in_days: 365,
      kms_key_id: expect.stringMatching(/aws_kms_key\..*flow-logs.*\.arn/),
    });
    expect(synth).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, description: "privatelink-demo-analytics: VPC flow logs" });
  });

  test("write through a role that may only write to that log group", () => {
    const policies = Object.entries(json.data.aws_iam_policy_document) as [string, Block][];
    const write = policies.find(([id]) => id.includes("flow-logs_write"))?.[1];
    expect(write?.statement).toEqual([
      {
        effect: "Allow",
        actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        resources: [expect.stringMatching(/aws_cloudwatch_log_group\..*\.arn\}:\*$/)],
      },
    ]);
    const key = policies.find(([id]) => id.includes("flow-logs_encryption_policy"))?.[1];
    expect(key?.statement[1].condition).toEqual([
      {
        test: "ArnEquals",
        variable: "kms:EncryptionContext:aws:logs:arn",
        values: ["arn:aws:logs:us-east-1:222222222222:log-group:/vpc/privatelink-demo-analytics/flow-logs"],
      },
    ]);
  });

  test("can be turned off per network, and their retention set", () => {
    const stacks = buildExample(
      exampleConfig((raw) => {
        raw.consumers[0].network.flowLogs = false;
        raw.provider.network.flowLogRetentionDays = 90;
      }),
    );
    expect(parsed(Testing.synth(stacks.consumers[0])).resource.aws_flow_log).toBeUndefined();
    expect(Testing.synth(stacks.provider)).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: 90 });
  });

  test("reject a retention CloudWatch does not offer", () => {
    expect(problemsOf((raw) => (raw.provider.network.flowLogRetentionDays = 100))).toMatch(
      /provider\.network\.flowLogRetentionDays: expected a CloudWatch retention in days: 1, 3, .*; got 100/,
    );
  });
});

describe("NLB deletion protection", () => {
  test("is on by default and can be turned off", () => {
    expect(Testing.synth(buildExample().provider)).toHaveResourceWithProperties(Lb, { enable_deletion_protection: true });
    expect(Testing.synth(buildExample(exampleConfig((raw) => (raw.provider.service.deletionProtection = false))).provider)).toHaveResourceWithProperties(Lb, {
      enable_deletion_protection: false,
    });
  });
});

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

describe("instances", () => {
  test("have an explicit 8 GiB encrypted gp3 root volume and detailed monitoring by default", () => {
    const [client] = Object.values(parsed(Testing.synth(buildExample().consumers[0])).resource.aws_instance) as Block[];
    expect(client.root_block_device).toEqual({ encrypted: true, volume_type: "gp3", volume_size: 8, delete_on_termination: true });
    expect(client.monitoring).toBe(true);
    const [template] = Object.values(parsed(Testing.synth(buildExample().provider)).resource.aws_launch_template) as Block[];
    expect(template.block_device_mappings).toEqual([
      { device_name: "/dev/xvda", ebs: { encrypted: "true", volume_type: "gp3", volume_size: 8, delete_on_termination: "true" } },
    ]);
    expect(template.monitoring).toEqual({ enabled: true });
  });

  test("detailed monitoring can be turned off for the service and for a client", () => {
    const stacks = buildExample(
      exampleConfig((raw) => {
        raw.provider.service.detailedMonitoring = false;
        raw.consumers[0].clientDetailedMonitoring = false;
      }),
    );
    for (const instance of Object.values(parsed(Testing.synth(stacks.consumers[0])).resource.aws_instance) as Block[]) expect(instance.monitoring).toBe(false);
    for (const template of Object.values(parsed(Testing.synth(stacks.provider)).resource.aws_launch_template) as Block[])
      expect(template.monitoring).toEqual({ enabled: false });
  });
});

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
