import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Testing } from "cdktf";
import { buildExample, exampleConfig, inventory, parsed, type RawConfig, refTo, type Block, created } from "./helpers";

describe("consumer stack", () => {
  // Expected values come from the example config, so editing it breaks none of these tests.
  const config = exampleConfig();
  const { port } = config.provider.service.listeners[0];
  const network = created(config.consumers[0].network);
  const vpcCidr = network.cidr;
  const stack = buildExample(config).consumers[0];
  const synth = Testing.synth(stack, true);
  const json = parsed(synth);

  test("its AWS provider is locked to the consumer account", () => {
    expect(synth).toHaveProviderWithProperties(AwsProvider, {
      allowed_account_ids: ["222222222222"],
      assume_role: [expect.objectContaining({ role_arn: "arn:aws:iam::222222222222:role/privatelink-deployer" })],
    });
  });

  test("its client is tagged with the name npm run check finds it by when the stack has no client_instance_id output", () => {
    expect(synth).toHaveResourceWithProperties(Instance, { tags: expect.objectContaining({ Name: "privatelink-demo-analytics-client" }) });
  });

  test("its state is in the consumer account's bucket under its own key", () => {
    expect(json.terraform.backend.s3).toMatchObject({
      bucket: "privatelink-demo-state-222222222222",
      key: "privatelink/privatelink-demo/consumer-analytics.tfstate",
      encrypt: true,
      use_lockfile: true,
    });
  });

  test("a VPC over two AZs with private subnets", () => {
    expect(synth).toHaveResourceWithProperties(Vpc, { cidr_block: vpcCidr });
    expect(synth).toHaveResourceWithProperties(Subnet, {
      availability_zone_id: network.azIds[0],
      cidr_block: network.privateSubnetCidrs[0],
    });
    expect(synth).toHaveResourceWithProperties(Subnet, { availability_zone_id: "use1-az2", cidr_block: "10.20.16.0/20" });
  });

  test("the endpoint's security group admits only the service port from the allowed client CIDRs", () => {
    expect(synth).toHaveResourceWithProperties(SecurityGroup, {
      name: "privatelink-demo-analytics-endpoint",
      ingress: [expect.objectContaining({ protocol: "tcp", from_port: port, to_port: port, cidr_blocks: [vpcCidr] })],
      egress: [],
    });
  });

  test("an interface endpoint to the wired service name, in the subnets of the service's AZs", () => {
    expect(synth).toHaveResourceWithProperties(VpcEndpoint, {
      vpc_endpoint_type: "Interface",
      service_name: "${var.service_name}",
      private_dns_enabled: false,
      security_group_ids: [expect.stringMatching(/aws_security_group\.endpoint_sg/)],
    });
    const endpoint: Block = Object.values(json.resource.aws_vpc_endpoint)[0];
    expect(endpoint.subnet_ids).toContain(`contains(var.service_availability_zone_ids, "use1-az1") ? ${refTo(stack.network.privateSubnets[0], "id")}`);
    expect(endpoint.subnet_ids).toMatch(/contains\(var\.service_availability_zone_ids, "use1-az2"\)/);
    expect(endpoint.lifecycle.precondition[0].condition).toMatch(/^\$\{\(length\(compact\(/);
  });

  test("the wired inputs are validated variables", () => {
    expect(json.variable.service_name.validation[0].condition).toBe(
      '${can(regex("^com[.]amazonaws[.]vpce[.][a-z0-9-]+[.]vpce-svc-[0-9a-f]+$", var.service_name))}',
    );
    expect(json.variable.service_availability_zone_ids.type).toBe("list(string)");
    expect(json.variable.service_availability_zone_ids.validation[0].condition).toMatch(/length\(var\.service_availability_zone_ids\) >= 1/);
  });

  test("a private client instance that may only reach the service port in its VPC, and 443 for the AWS endpoints", () => {
    expect(synth).toHaveDataSourceWithProperties(DataAwsSsmParameter, { name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" });
    expect(synth).toHaveResourceWithProperties(Instance, {
      associate_public_ip_address: false,
      metadata_options: expect.objectContaining({ http_tokens: "required" }),
    });
    expect(synth).toHaveResourceWithProperties(SecurityGroup, {
      name: "privatelink-demo-analytics-client",
      ingress: [],
      egress: [
        expect.objectContaining({ from_port: port, to_port: port, cidr_blocks: [vpcCidr] }),
        expect.objectContaining({ from_port: 443, to_port: 443, cidr_blocks: [vpcCidr] }),
        expect.objectContaining({ from_port: 443, to_port: 443, prefix_list_ids: [expect.stringMatching(/prefix_list_id/)] }),
      ],
    });
  });

  test("named outputs for the endpoint id and DNS entries", () => {
    expect(json.output.endpoint_id.value).toBe(`\${${refTo(stack.endpoint.endpoint, "id")}}`);
    expect(json.output.endpoint_dns_names.value).toBe(`\${${refTo(stack.endpoint.endpoint, "dns_entry")}[*].dns_name}`);
  });

  test("a named output for the client instance, which npm run check probes from", () => {
    const [client] = Object.keys(json.resource.aws_instance);
    expect(json.output.client_instance_id.value).toBe(`\${aws_instance.${client}.id}`);
    expect(json.output.client_instance_id.description).toMatch(/npm run check/);
  });

  test("holds exactly these blocks: nothing added or dropped unnoticed", () => {
    expect(inventory(json)).toEqual({
      aws_cloudwatch_log_group: 1,
      aws_default_security_group: 1,
      aws_flow_log: 1,
      aws_iam_instance_profile: 1,
      aws_iam_role: 2,
      aws_iam_role_policy: 1,
      aws_iam_role_policy_attachment: 1,
      aws_instance: 1,
      aws_kms_key: 1,
      aws_route_table: 1,
      aws_route_table_association: 2,
      aws_security_group: 3,
      aws_subnet: 2,
      aws_vpc: 1,
      aws_vpc_endpoint: 6,
      "data.aws_iam_policy_document": 7,
      "data.aws_ssm_parameter": 1,
    });
  });
});

describe("consumer stack in remote-state mode", () => {
  const config = exampleConfig((raw) => (raw.wiring = { mode: "remote-state", stateReadRoleArn: "arn:aws:iam::111111111111:role/state-reader" }));
  const json = parsed(Testing.synth(buildExample(config).consumers[0], true));

  test("reads the provider's outputs from its S3 state with the reader role, and declares no variables", () => {
    expect(json.variable).toEqual({});
    expect(json.data.terraform_remote_state["remote-state-provider"]).toEqual({
      backend: "s3",
      config: {
        bucket: "privatelink-demo-state-111111111111",
        key: "privatelink/privatelink-demo/provider.tfstate",
        region: "us-east-1",
        kms_key_id: "arn:aws:kms:us-east-1:111111111111:alias/terraform-state-privatelink-demo-state-111111111111",
        assume_role: { role_arn: "arn:aws:iam::111111111111:role/state-reader" },
      },
    });
    const endpoint: Block = Object.values(json.resource.aws_vpc_endpoint)[0];
    expect(endpoint.service_name).toBe("${data.terraform_remote_state.remote-state-provider.outputs.service_name}");
  });

  test("checks the remote values with preconditions instead", () => {
    const endpoint: Block = Object.values(json.resource.aws_vpc_endpoint)[0];
    const conditions = endpoint.lifecycle.precondition.map((p: RawConfig) => p.condition).join("\n");
    expect(conditions).toContain(
      'regex("^com[.]amazonaws[.]vpce[.][a-z0-9-]+[.]vpce-svc-[0-9a-f]+$", data.terraform_remote_state.remote-state-provider.outputs.service_name)',
    );
  });
});

describe("a listener on 443 beside the AWS service endpoints", () => {
  test("the client's egress holds one 443 rule to the VPC, not two that AWS refuses as duplicates", () => {
    const stack = buildExample(exampleConfig((raw) => (raw.provider.service.port = 443))).consumers[0];
    const client = parsed(Testing.synth(stack)).resource.aws_security_group["client-sg"];
    const https = client.egress.filter((r: Block) => r.from_port === 443 && r.cidr_blocks?.[0] === "10.20.0.0/16");
    expect(https).toHaveLength(1);
    expect(https[0].description).toBe("service port to the endpoint; HTTPS to AWS service interface endpoints");
  });
});
