import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { VpcEndpointService } from "@cdktf/provider-aws/lib/vpc-endpoint-service";
import type { ServiceConfig } from "../../src/config/types";
import { PrivateNetwork } from "../../src/constructs/network";
import { PrivateLinkService } from "../../src/constructs/privatelink-service";
import { ServiceFleet } from "../../src/constructs/service-fleet";
import { blocks, networkConfig, synthOf } from "./scope";

const service: ServiceConfig = {
  listeners: [{ port: 9443, protocol: "TCP", targetPort: 9443 }],
  proxyProtocolV2: false,
  instanceType: "t3.small",
  image: "ami-0123456789abcdef0",
  ebsOptimized: true,
  instanceCount: 3,
  acceptanceRequired: true,
  dualStack: false,
  detailedMonitoring: false,
  deletionProtection: true,
};

function build(overrides: Partial<ServiceConfig> = {}, principals = ["arn:aws:iam::210987654321:root"]) {
  return synthOf((scope) => {
    const network = new PrivateNetwork(scope, "net", { network: networkConfig(), name: "svc", region: "us-east-1", accountId: "123456789012" });
    new PrivateLinkService(scope, "service", {
      network,
      service: { ...service, ...overrides },
      allowedPrincipals: principals,
      supportedRegions: ["us-east-1"],
      name: "svc",
    });
  });
}

describe("PrivateLinkService", () => {
  test("an internal NLB across the private subnets, with deletion protection as given", () => {
    const { synth } = build();
    expect(synth).toHaveResourceWithProperties(Lb, {
      internal: true,
      load_balancer_type: "network",
      enable_deletion_protection: true,
      enable_cross_zone_load_balancing: true,
    });
    expect(build({ deletionProtection: false }).synth).toHaveResourceWithProperties(Lb, { enable_deletion_protection: false });
  });

  test("listener and target group on the service port; the group can be replaced before the old one goes", () => {
    const { synth } = build();
    expect(synth).toHaveResourceWithProperties(LbListener, { port: 9443, protocol: "TCP" });
    expect(synth).toHaveResourceWithProperties(LbTargetGroup, {
      port: 9443,
      protocol: "TCP",
      name_prefix: "plsvc-",
      lifecycle: { create_before_destroy: true },
    });
  });

  test("the endpoint service allows exactly the given principals, with acceptance as given", () => {
    const principals = ["arn:aws:iam::210987654321:root", "arn:aws:iam::310987654321:root"];
    expect(build({}, principals).synth).toHaveResourceWithProperties(VpcEndpointService, { acceptance_required: true, allowed_principals: principals });
    expect(build({ acceptanceRequired: false }).synth).toHaveResourceWithProperties(VpcEndpointService, { acceptance_required: false });
  });

  test("the NLB admits the service port from the VPC only; the instances admit it from the NLB's security group only", () => {
    const { json } = build();
    const [nlb, instances] = ["svc-nlb", "svc-instances"].map((name) => blocks(json, "aws_security_group").find((g) => g.name === name));
    expect(nlb?.ingress).toEqual([expect.objectContaining({ from_port: 9443, to_port: 9443, cidr_blocks: ["10.1.0.0/16"] })]);
    expect(instances?.ingress).toEqual([
      expect.objectContaining({ from_port: 9443, to_port: 9443, security_groups: [expect.stringMatching(/^\$\{aws_security_group\..+\.id\}$/)] }),
    ]);
    expect(instances?.ingress[0].cidr_blocks).toBeNull();
  });

  test("a private DNS name is set on the endpoint service only when given", () => {
    expect(blocks(build().json, "aws_vpc_endpoint_service")[0]).not.toHaveProperty("private_dns_name");
    const named = build({ privateDns: { name: "api.example.com", hostedZoneId: "Z0123456789" } });
    expect(named.synth).toHaveResourceWithProperties(VpcEndpointService, { private_dns_name: "api.example.com" });
  });
});

describe("ServiceFleet", () => {
  const fleet = (image = "ami-123", ebsOptimized = true) =>
    synthOf(
      (scope) =>
        new ServiceFleet(scope, "fleet", {
          subnetIds: ["subnet-1", "subnet-2"],
          securityGroupIds: ["sg-1"],
          instanceType: "t3.nano",
          count: 4,
          image,
          ebsOptimized,
          userData: "#!/bin/sh\necho hi\n",
          detailedMonitoring: true,
          targetGroupArns: ["arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/1"],
          name: "fleet",
        }),
    );

  test("a fixed-size group registered with the target group, checked by the NLB", () => {
    expect(fleet().synth).toHaveResourceWithProperties(AutoscalingGroup, {
      min_size: 4,
      max_size: 4,
      desired_capacity: 4,
      health_check_type: "ELB",
      vpc_zone_identifier: ["subnet-1", "subnet-2"],
      target_group_arns: ["arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/1"],
    });
  });

  test("a change rolls out by instance refresh, never below the instances asked for", () => {
    const group = blocks(fleet().json, "aws_autoscaling_group")[0];
    expect(group.instance_refresh).toMatchObject({ strategy: "Rolling", preferences: { min_healthy_percentage: 100, max_healthy_percentage: 200 } });
  });

  test("hardened launch template: IMDSv2, no public IP, encrypted root volume, monitoring as given", () => {
    expect(fleet().synth).toHaveResourceWithProperties(LaunchTemplate, { image_id: "ami-123", instance_type: "t3.nano", monitoring: { enabled: true } });
    expect(blocks(fleet().json, "aws_launch_template")[0]).toMatchObject({
      metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 },
      network_interfaces: [{ associate_public_ip_address: "false", security_groups: ["sg-1"] }],
      block_device_mappings: [{ ebs: { encrypted: "true" } }],
    });
  });

  test("an SSM parameter as image is passed to EC2 as is, to resolve at each launch; EBS optimization only when asked", () => {
    const image = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
    const [template] = blocks(fleet(image, false).json, "aws_launch_template");
    expect(template.image_id).toBe(image);
    expect(template).not.toHaveProperty("ebs_optimized");
    expect(blocks(fleet().json, "aws_launch_template")[0].ebs_optimized).toBe("true");
  });
});
