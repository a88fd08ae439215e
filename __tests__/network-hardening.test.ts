import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { Testing } from "cdktf";
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
