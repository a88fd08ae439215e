import { DataAwsVpcEndpointService } from "@cdktf/provider-aws/lib/data-aws-vpc-endpoint-service";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { VpcEndpointConnectionAccepter } from "@cdktf/provider-aws/lib/vpc-endpoint-connection-accepter";
import { VpcEndpointConnectionNotification } from "@cdktf/provider-aws/lib/vpc-endpoint-connection-notification";
import { VpcEndpointPrivateDns } from "@cdktf/provider-aws/lib/vpc-endpoint-private-dns";
import { VpcEndpointService } from "@cdktf/provider-aws/lib/vpc-endpoint-service";
import { VpcEndpointServicePrivateDnsVerification } from "@cdktf/provider-aws/lib/vpc-endpoint-service-private-dns-verification";
import { Testing } from "cdktf";
import { wiringPlan } from "../src/wiring/contract";
import { stackGraph } from "../src/wiring/stack-graph";
import { buildExample, exampleConfig, parsed, type RawConfig, type Block, refTo, created } from "./helpers";

describe("fan-out to many consumers", () => {
  const stacks = buildExample();

  test("the service allows every consumer account, and each consumer gets its own consumer and acceptance stack", () => {
    expect(Testing.synth(stacks.provider)).toHaveResourceWithProperties(VpcEndpointService, {
      allowed_principals: ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"],
    });
    expect(stacks.consumers.map((s) => s.node.id)).toEqual(["consumer-analytics", "consumer-reporting"]);
    expect(stacks.acceptance.map((s) => s.node.id)).toEqual(["acceptance-analytics", "acceptance-reporting"]);
    for (const acceptance of stacks.acceptance) expect(Testing.synth(acceptance)).toHaveResource(VpcEndpointConnectionAccepter);
  });

  test("each consumer stack is locked to its own account and keeps its own state", () => {
    const [a, b] = stacks.consumers.map((s) => parsed(Testing.synth(s)));
    expect(a.provider.aws[0].allowed_account_ids).toEqual(["222222222222"]);
    expect(b.provider.aws[0].allowed_account_ids).toEqual(["333333333333"]);
    expect(a.terraform.backend.s3.bucket).not.toBe(b.terraform.backend.s3.bucket);
    expect(b.terraform.backend.s3.key).toBe("privatelink/privatelink-demo/consumer-reporting.tfstate");
  });

  test("acceptance stacks only depend on their own consumer, so one failure blocks no other", () => {
    const acceptance = stackGraph(exampleConfig()).filter((n) => n.kind === "acceptance");
    expect(acceptance.map((n) => [n.name, n.after, n.inputsFrom])).toEqual([
      ["acceptance-analytics", ["consumer-analytics"], ["provider", "consumer-analytics"]],
      ["acceptance-reporting", ["consumer-reporting"], ["provider", "consumer-reporting"]],
    ]);
  });
});

describe("AZ lookup", () => {
  const stack = buildExample().consumers[1];
  const json = parsed(Testing.synth(stack, true));

  test("looks the service up from the consumer account by the wired service name", () => {
    expect(Testing.synth(buildExample().consumers[1])).toHaveDataSourceWithProperties(DataAwsVpcEndpointService, { service_name: "${var.service_name}" });
  });

  test("places the endpoint only in subnets whose AZ name the lookup reports, and takes no AZ ids", () => {
    const endpoint: Block = Object.values(json.resource.aws_vpc_endpoint)[0];
    expect(endpoint.subnet_ids).toContain(
      `contains(tolist(data.aws_vpc_endpoint_service.service-lookup.availability_zones), ${refTo(stack.network.privateSubnets[0], "availability_zone")})`,
    );
    expect(json.variable.service_availability_zone_ids).toBeUndefined();
  });

  test("lets the consumer list AZ ids the provider does not, because the lookup decides", () => {
    const config = exampleConfig((raw) => (raw.consumers[1].network.azIds = ["use1-az1", "use1-az4"]));
    expect(created(config.consumers[1].network).azIds).toEqual(["use1-az1", "use1-az4"]);
  });

  test("without the lookup, the same AZ ids are rejected", () => {
    expect(() =>
      exampleConfig((raw) => {
        raw.consumers[1].azLookup = false;
        raw.consumers[1].network.azIds = ["use1-az1", "use1-az4"];
      }),
    ).toThrow(/consumers\[1\]\.network\.azIds\[1\]: expected an AZ id the provider serves/);
  });
});

describe("connection notifications", () => {
  const synth = Testing.synth(buildExample().provider, true);
  const json = parsed(synth);

  test("an SNS topic encrypted with a rotated customer-managed key", () => {
    expect(synth).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true });
    expect(synth).toHaveResourceWithProperties(SnsTopic, {
      name: "privatelink-demo-provider-connections",
      kms_master_key_id: expect.stringMatching(/aws_kms_key\..+\.arn/),
    });
  });

  test("the endpoint service notifies it of Accept, Connect, Delete and Reject", () => {
    expect(synth).toHaveResourceWithProperties(VpcEndpointConnectionNotification, {
      connection_events: ["Accept", "Connect", "Delete", "Reject"],
      vpc_endpoint_service_id: expect.stringMatching(/aws_vpc_endpoint_service\..+\.id/),
      connection_notification_arn: expect.stringMatching(/aws_sns_topic\..+\.arn/),
    });
  });

  test("only the VPC endpoint service of this account may publish", () => {
    const policies = Object.values(json.data.aws_iam_policy_document) as Block[];
    const topicPolicy = policies.find((p) => p.statement[0].actions?.includes("sns:Publish")) as Block;
    expect(topicPolicy.statement[0]).toMatchObject({
      principals: [{ type: "Service", identifiers: ["vpce.amazonaws.com"] }],
      condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["111111111111"] }],
    });
    expect(json.output.notification_topic_arn.value).toMatch(/aws_sns_topic\..+\.arn/);
  });

  test("are off unless configured", () => {
    const json2 = parsed(Testing.synth(buildExample(exampleConfig((raw) => delete raw.provider.service.notifications)).provider));
    expect(json2.resource.aws_sns_topic).toBeUndefined();
    expect(json2.output.notification_topic_arn).toBeUndefined();
  });
});

describe("private DNS name", () => {
  const config = exampleConfig((raw) => (raw.provider.service.privateDns = { name: "api.internal.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" }));
  const stacks = buildExample(config);
  const provider = Testing.synth(stacks.provider, true);
  const json = parsed(provider);

  test("the endpoint service carries the name", () => {
    expect(provider).toHaveResourceWithProperties(VpcEndpointService, { private_dns_name: "api.internal.example.com" });
    expect(json.output.service_private_dns_name.value).toMatch(/\.private_dns_name\}$/);
  });

  test("the TXT challenge is published in the hosted zone, then verification starts", () => {
    expect(provider).toHaveResourceWithProperties(Route53Record, {
      zone_id: "Z0123456789ABCDEFGHIJ",
      name: expect.stringMatching(/private_dns_name_configuration\[0\]\.name/),
      type: expect.stringMatching(/private_dns_name_configuration\[0\]\.type/),
      records: [expect.stringMatching(/private_dns_name_configuration\[0\]\.value/)],
    });
    const verification: Block = Object.values(json.resource.aws_vpc_endpoint_service_private_dns_verification)[0];
    expect(verification.depends_on).toEqual([expect.stringMatching(/^aws_route53_record\./)]);
    expect(provider).toHaveResourceWithProperties(VpcEndpointServicePrivateDnsVerification, {
      service_id: expect.stringMatching(/aws_vpc_endpoint_service\..+\.id/),
    });
  });

  test("each consumer turns private DNS on in a later stack of its own account, fed its endpoint id", () => {
    expect(stacks.privateDns.map((s) => s.node.id)).toEqual(["private-dns-analytics", "private-dns-reporting"]);
    const dns = Testing.synth(stacks.privateDns[0], true);
    expect(dns).toHaveResourceWithProperties(VpcEndpointPrivateDns, { vpc_endpoint_id: "${var.endpoint_id}", private_dns_enabled: true });
    expect(dns).toHaveProviderWithProperties(require("@cdktf/provider-aws/lib/provider").AwsProvider, { allowed_account_ids: ["222222222222"] });
    expect(
      wiringPlan(config)
        .filter((h) => h.stack === "private-dns-analytics")
        .map((h) => `${h.fromStack}.${h.value.name}`),
    ).toEqual(["consumer-analytics.endpoint_id"]);
  });

  test("the consumer's own endpoint leaves private DNS to the private-dns stack (it is off until then)", () => {
    const consumer = parsed(Testing.synth(stacks.consumers[0]));
    const endpoint: Block = Object.values(consumer.resource.aws_vpc_endpoint).find((e: RawConfig) => e.service_name === "${var.service_name}") as Block;
    expect(endpoint).not.toHaveProperty("private_dns_enabled");
  });
});
