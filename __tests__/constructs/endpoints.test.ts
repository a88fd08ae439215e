import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import type { AwsEndpointConfig } from "../../src/config/types";
import { InterfaceEndpoint } from "../../src/constructs/interface-endpoint";
import { PrivateNetwork } from "../../src/constructs/network";
import { refTo } from "../helpers";
import { blocks, networkConfig, synthOf } from "./scope";

const base = { name: "c", region: "us-east-1", accountId: "123456789012" };

describe("InterfaceEndpoint", () => {
  let network: PrivateNetwork | undefined;
  const build = (props: { privateDnsManagedSeparately?: boolean; azs?: { ids: string[] } | { names: string[] } } = {}) =>
    synthOf((scope) => {
      network = new PrivateNetwork(scope, "net", { ...base, network: networkConfig() });
      new InterfaceEndpoint(scope, "endpoint", {
        network,
        serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
        serviceAzs: props.azs ?? { ids: ["use1-az1"] },
        ports: [5432],
        allowedClientCidrs: ["10.1.0.0/20", "192.168.0.0/24"],
        privateDnsManagedSeparately: props.privateDnsManagedSeparately,
        name: "c",
      });
    });

  test("an interface endpoint to the service, behind its own security group", () => {
    const { synth } = build();
    expect(synth).toHaveResourceWithProperties(VpcEndpoint, {
      vpc_endpoint_type: "Interface",
      service_name: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
      private_dns_enabled: false,
    });
  });

  test("the security group admits the service port from the allowed clients only, and sends nothing", () => {
    const { synth } = build();
    expect(synth).toHaveResourceWithProperties(SecurityGroup, {
      name: "c-endpoint",
      ingress: [expect.objectContaining({ protocol: "tcp", from_port: 5432, to_port: 5432, cidr_blocks: ["10.1.0.0/20", "192.168.0.0/24"] })],
      egress: [],
    });
  });

  test("subnets are chosen by the service's AZ ids, and an endpoint with none fails its precondition", () => {
    const endpoint = blocks(build().json, "aws_vpc_endpoint").find((e) => e.vpc_endpoint_type === "Interface");
    expect(endpoint?.subnet_ids).toMatch(/contains\(\["use1-az1"\], "use1-az1"\)/);
    expect(endpoint?.lifecycle.precondition[0].error_message).toMatch(/None of this VPC's AZs is served/);
  });

  test("by AZ name when the service was looked up", () => {
    const endpoint = blocks(build({ azs: { names: ["us-east-1a"] } }).json, "aws_vpc_endpoint").find((e) => e.vpc_endpoint_type === "Interface");
    const subnet = network?.privateSubnets[0];
    expect(subnet && endpoint?.subnet_ids).toContain(`contains(["us-east-1a"], ${subnet && refTo(subnet, "availability_zone")})`);
  });

  test("leaves private DNS alone when another stack manages it", () => {
    const endpoint = blocks(build({ privateDnsManagedSeparately: true }).json, "aws_vpc_endpoint").find((e) => e.vpc_endpoint_type === "Interface");
    expect(endpoint).not.toHaveProperty("private_dns_enabled");
  });
});

describe("AwsServiceEndpoints (inside PrivateNetwork)", () => {
  const endpoints: AwsEndpointConfig[] = [
    {
      service: "dynamodb",
      type: "Gateway",
      privateDns: false,
      policy: { actions: ["dynamodb:GetItem"], resources: ["arn:aws:dynamodb:us-east-1:123456789012:table/t"] },
    },
    { service: "kms", type: "Interface", privateDns: true, policy: { actions: ["kms:Decrypt"], resources: ["*"] } },
    { service: "ssmmessages", type: "Interface", privateDns: true },
  ];
  const build = () => synthOf((scope) => new PrivateNetwork(scope, "net", { ...base, network: networkConfig({ awsEndpoints: endpoints }) }));

  test("a gateway on the private route table, interfaces in the private subnets with private DNS", () => {
    const { json } = build();
    const all = blocks(json, "aws_vpc_endpoint");
    expect(all.find((e) => e.service_name === "com.amazonaws.us-east-1.dynamodb")).toMatchObject({
      vpc_endpoint_type: "Gateway",
      route_table_ids: [expect.any(String)],
    });
    expect(all.find((e) => e.service_name === "com.amazonaws.us-east-1.kms")).toMatchObject({ vpc_endpoint_type: "Interface", private_dns_enabled: true });
  });

  test("one security group for the interfaces: HTTPS from the VPC only", () => {
    expect(build().synth).toHaveResourceWithProperties(SecurityGroup, {
      name: "c-aws-endpoints",
      ingress: [expect.objectContaining({ from_port: 443, to_port: 443, cidr_blocks: ["10.1.0.0/16"] })],
      egress: [],
    });
  });

  test("policies allow the resolved actions and resources to the VPC's own account only; services without policies get none", () => {
    const { json } = build();
    const policies = Object.entries(json.data.aws_iam_policy_document ?? {});
    const dynamo = policies.find(([id]) => id.includes("dynamodb-gateway-policy"))?.[1];
    expect(dynamo?.statement[0]).toMatchObject({
      actions: ["dynamodb:GetItem"],
      resources: ["arn:aws:dynamodb:us-east-1:123456789012:table/t"],
      condition: [{ test: "StringEquals", variable: "aws:PrincipalAccount", values: ["123456789012"] }],
    });
    expect(policies.some(([id]) => id.includes("ssmmessages"))).toBe(false);
    expect(blocks(json, "aws_vpc_endpoint").find((e) => e.service_name.endsWith(".ssmmessages"))).not.toHaveProperty("policy");
  });
});
