import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpointService } from "@cdktf/provider-aws/lib/vpc-endpoint-service";
import { Testing } from "cdktf";
import { buildExample, exampleConfig, inventory, parsed, type RawConfig, type Block, created } from "./helpers";

describe("provider stack", () => {
  // GIVEN the example config (config/example.json): the tests read the synthesized
  // JSON and compare it with that file's values as literals a reviewer can check,
  // except the service port and the VPC CIDR, read from the config below.
  const config = exampleConfig();
  const { port } = config.provider.service.listeners[0];
  const network = created(config.provider.network);
  const vpcCidr = network.cidr;
  const synth = Testing.synth(buildExample(config).provider, true);
  const json = parsed(synth);
  const resources = (type: string): Block[] => Object.values(json.resource[type] ?? {});

  test("its AWS provider is locked to the provider account, assumes the role and tags everything", () => {
    expect(synth).toHaveProviderWithProperties(AwsProvider, {
      region: "us-east-1",
      allowed_account_ids: ["111111111111"],
      assume_role: [{ role_arn: "arn:aws:iam::111111111111:role/privatelink-deployer", session_name: "privatelink-cdktf" }],
      default_tags: [{ tags: expect.objectContaining({ Project: "privatelink-demo", Stack: "provider", owner: "platform-team" }) }],
    });
  });

  test("its state is in the provider account's bucket, encrypted and lockfile-locked", () => {
    expect(json.terraform.backend.s3).toEqual({
      bucket: "privatelink-demo-state-111111111111",
      key: "privatelink/privatelink-demo/provider.tfstate",
      region: "us-east-1",
      encrypt: true,
      kms_key_id: "arn:aws:kms:us-east-1:111111111111:alias/terraform-state-privatelink-demo-state-111111111111",
      use_lockfile: true,
      assume_role: { role_arn: "arn:aws:iam::111111111111:role/privatelink-deployer" },
    });
  });

  test("a VPC with DNS support and a private subnet per AZ id", () => {
    expect(synth).toHaveResourceWithProperties(Vpc, { cidr_block: vpcCidr, enable_dns_support: true, enable_dns_hostnames: true });
    expect(synth).toHaveResourceWithProperties(Subnet, {
      availability_zone_id: network.azIds[0],
      cidr_block: network.privateSubnetCidrs[0],
      map_public_ip_on_launch: false,
    });
    expect(synth).toHaveResourceWithProperties(Subnet, { availability_zone_id: "use1-az2", cidr_block: "10.10.16.0/20" });
    expect(resources("aws_subnet")).toHaveLength(2);
    expect(synth).toHaveResource(RouteTable);
    expect(synth).not.toHaveResource(InternetGateway);
  });

  test("the default security group is emptied", () => {
    expect(synth).toHaveResourceWithProperties(DefaultSecurityGroup, { ingress: [], egress: [] });
  });

  test("service instances: launched from a template that is private, keyless, IMDSv2, encrypted, serving the page on the service port", () => {
    expect(resources("aws_instance")).toHaveLength(0);
    const [template] = resources("aws_launch_template");
    // EC2 resolves the latest Amazon Linux 2023 at each launch: an AWS release changes no plan.
    expect(template.image_id).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
    expect(synth).not.toHaveDataSource(DataAwsSsmParameter);
    expect(template).not.toHaveProperty("key_name");
    expect(template.network_interfaces).toEqual([expect.objectContaining({ associate_public_ip_address: "false", device_index: 0 })]);
    expect(template.metadata_options).toEqual({ http_tokens: "required", http_endpoint: "enabled", http_put_response_hop_limit: 1 });
    expect(template.block_device_mappings[0].ebs).toMatchObject({ encrypted: "true", volume_type: "gp3", volume_size: 8 });
    const userData = Buffer.from(/^\$\{base64encode\("(.*)"\)\}$/s.exec(template.user_data)?.[1] ?? "", "utf8").toString();
    expect(userData).toContain(`python3 -m http.server ${port}`);
    expect(userData).toContain(Buffer.from("Hello from the provider account, over AWS PrivateLink.\n").toString("base64"));
  });

  test("an Auto Scaling group of 2 over both AZs, in the target group, rolling every change with 100% kept healthy", () => {
    const [group] = resources("aws_autoscaling_group");
    expect(group).toMatchObject({
      min_size: 2,
      max_size: 2,
      desired_capacity: 2,
      health_check_type: "ELB",
      target_group_arns: [expect.stringMatching(/^\$\{aws_lb_target_group\..+\.arn\}$/)],
    });
    expect(group.vpc_zone_identifier).toHaveLength(2);
    expect(group.launch_template.version).toMatch(/^\$\{aws_launch_template\..+\.latest_version\}$/);
    expect(group.instance_refresh).toEqual({
      strategy: "Rolling",
      preferences: { min_healthy_percentage: 100, max_healthy_percentage: 200, instance_warmup: "120" },
    });
  });

  test("no security group opens port 22 or anything to 0.0.0.0/0", () => {
    for (const sg of resources("aws_security_group")) {
      for (const rule of [...sg.ingress, ...sg.egress]) {
        expect(rule.cidr_blocks ?? []).not.toContain("0.0.0.0/0");
        expect(rule.from_port <= 22 && 22 <= rule.to_port).toBe(false);
      }
    }
  });

  test("instances admit only the service port, only from the NLB's security group, and leave only on 443 to the AWS endpoints", () => {
    const nlbSg = Object.entries(json.resource.aws_security_group as Record<string, Block>).find(([, g]) => g.name === "privatelink-demo-provider-nlb")?.[0];
    const sg = resources("aws_security_group").find((g) => g.name === "privatelink-demo-provider-instances") as Block;
    expect(sg.ingress).toEqual([
      expect.objectContaining({ protocol: "tcp", from_port: port, to_port: port, security_groups: [`\${aws_security_group.${nlbSg}.id}`] }),
    ]);
    expect(sg.ingress[0].cidr_blocks).toBeNull();
    expect(sg.egress.map((r: RawConfig) => [r.from_port, r.to_port])).toEqual([
      [443, 443],
      [443, 443],
    ]);
  });

  test("an internal NLB in every AZ with cross-zone on; its SG admits the service port and PrivateLink enforcement is off on purpose", () => {
    expect(synth).toHaveResourceWithProperties(Lb, {
      internal: true,
      load_balancer_type: "network",
      enable_cross_zone_load_balancing: true,
      enforce_security_group_inbound_rules_on_private_link_traffic: "off",
    });
    const lb = resources("aws_lb")[0];
    expect(lb.subnets).toHaveLength(2);
    expect(synth).toHaveResourceWithProperties(SecurityGroup, {
      name: "privatelink-demo-provider-nlb",
      ingress: [expect.objectContaining({ from_port: port, to_port: port, cidr_blocks: [vpcCidr] })],
    });
  });

  test("a TCP target group with a health check, the instances registered by their group, and a TCP listener", () => {
    expect(synth).toHaveResourceWithProperties(LbTargetGroup, {
      protocol: "TCP",
      port,
      target_type: "instance",
      health_check: expect.objectContaining({ enabled: true, protocol: "TCP" }),
    });
    expect(resources("aws_lb_target_group_attachment")).toHaveLength(0);
    expect(synth).toHaveResourceWithProperties(LbListener, { port, protocol: "TCP", default_action: [expect.objectContaining({ type: "forward" })] });
  });

  test("the endpoint service requires acceptance and allows each consumer account's root", () => {
    expect(synth).toHaveResourceWithProperties(VpcEndpointService, {
      acceptance_required: true,
      allowed_principals: ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"],
      network_load_balancer_arns: [expect.stringMatching(/^\$\{aws_lb\..+\.arn\}$/)],
    });
  });

  test("named outputs for the service name, id and AZs, and the consumers it serves", () => {
    expect(Object.keys(json.output).sort()).toEqual([
      "notification_topic_arn",
      "served_stacks",
      "service_availability_zone_ids",
      "service_availability_zones",
      "service_id",
      "service_name",
    ]);
    expect(json.output.service_name.value).toMatch(/^\$\{aws_vpc_endpoint_service\..+\.service_name\}$/);
    expect(json.output.service_availability_zone_ids.value).toEqual([
      expect.stringMatching(/availability_zone_id/),
      expect.stringMatching(/availability_zone_id/),
    ]);
    // The example's consumers' stacks, each with its consumer: what the orphan check compares the next config with.
    expect(json.output.served_stacks.value).toEqual({
      "consumer-analytics": "analytics",
      "acceptance-analytics": "analytics",
      "consumer-reporting": "reporting",
      "acceptance-reporting": "reporting",
    });
  });

  test("holds exactly these blocks: nothing added or dropped unnoticed", () => {
    expect(inventory(json)).toEqual({
      aws_autoscaling_group: 1,
      aws_cloudwatch_log_group: 1,
      aws_default_security_group: 1,
      aws_flow_log: 1,
      aws_iam_instance_profile: 1,
      aws_iam_role: 2,
      aws_iam_role_policy: 1,
      aws_iam_role_policy_attachment: 1,
      aws_kms_alias: 1,
      aws_kms_key: 2,
      aws_launch_template: 1,
      aws_lb: 1,
      aws_lb_listener: 1,
      aws_lb_target_group: 1,
      aws_route_table: 1,
      aws_route_table_association: 2,
      aws_security_group: 3,
      aws_sns_topic: 1,
      aws_sns_topic_policy: 1,
      aws_subnet: 2,
      aws_vpc: 1,
      aws_vpc_endpoint: 4,
      aws_vpc_endpoint_connection_notification: 1,
      aws_vpc_endpoint_service: 1,
      "data.aws_iam_policy_document": 8,
    });
  });
});

describe("provider stack options", () => {
  test("acceptance can be turned off, and then no acceptance stacks exist", () => {
    const stacks = buildExample(exampleConfig((raw) => (raw.provider.service.acceptanceRequired = false)));
    expect(Testing.synth(stacks.provider)).toHaveResourceWithProperties(VpcEndpointService, { acceptance_required: false });
    expect(stacks.acceptance).toHaveLength(0);
  });

  test("public subnets come with an internet gateway but never auto-assign public IPs", () => {
    const synth = Testing.synth(buildExample(exampleConfig((raw) => (raw.provider.network.publicSubnets = true))).provider);
    expect(synth).toHaveResource(InternetGateway);
    expect(synth).toHaveResourceWithProperties(Subnet, {
      cidr_block: "10.10.128.0/20",
      map_public_ip_on_launch: false,
      tags: expect.objectContaining({ Tier: "public" }),
    });
  });

  test("userData replaces the default server", () => {
    const synth = Testing.synth(
      buildExample(
        exampleConfig((raw) => {
          delete raw.provider.service.page;
          raw.provider.service.userData = "#!/bin/sh\necho custom\n";
        }),
      ).provider,
    );
    expect(synth).toHaveResourceWithProperties(LaunchTemplate, { user_data: '${base64encode("#!/bin/sh\\necho custom\\n")}' });
  });

  test("a role is optional: without one the provider uses the caller's credentials", () => {
    const synth = Testing.synth(buildExample(exampleConfig((raw) => delete raw.provider.account.roleArn)).provider);
    expect(parsed(synth).provider.aws[0]).not.toHaveProperty("assume_role");
    expect(parsed(synth).terraform.backend.s3).not.toHaveProperty("assume_role");
  });
});
