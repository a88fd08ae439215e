import { DataAwsRouteTable } from "@cdktf/provider-aws/lib/data-aws-route-table";
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { Route } from "@cdktf/provider-aws/lib/route";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcEndpointService } from "@cdktf/provider-aws/lib/vpc-endpoint-service";
import type { ExistingNetworkConfig, ServiceConfig } from "../../src/config/types";
import { InterfaceEndpoint } from "../../src/constructs/interface-endpoint";
import { PrivateNetwork } from "../../src/constructs/network";
import { PrivateLinkService } from "../../src/constructs/privatelink-service";
import { type Block, refTo } from "../helpers";
import { blocks, networkConfig, synthOf } from "./scope";

const base = { name: "n", region: "us-east-1", accountId: "123456789012" };
const existing: ExistingNetworkConfig = {
  kind: "existing",
  vpcId: "vpc-0123456789abcdef0",
  subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
  awsEndpoints: [],
  sessionManager: false,
  ipv6: false,
};
const service: ServiceConfig = {
  listeners: [{ port: 8080, protocol: "TCP", targetPort: 8080 }],
  proxyProtocolV2: false,
  instanceType: "t3.micro",
  image: "ami-0123456789abcdef0",
  ebsOptimized: true,
  instanceCount: 2,
  acceptanceRequired: true,
  dualStack: false,
  detailedMonitoring: true,
  deletionProtection: true,
};

describe("dual stack (network.ipv6)", () => {
  const dual = networkConfig({ ipv6: true, publicSubnetCidrs: ["10.1.128.0/20", "10.1.144.0/20"] });

  test("the VPC gets an Amazon-provided IPv6 block, each subnet a /64 of it", () => {
    const { synth, json } = synthOf((scope) => new PrivateNetwork(scope, "net", { ...base, network: dual }));
    expect(synth).toHaveResourceWithProperties(Vpc, { assign_generated_ipv6_cidr_block: true });
    const subnets = blocks(json, "aws_subnet");
    expect(subnets.map((s) => s.ipv6_cidr_block)).toEqual([
      expect.stringMatching(/^\$\{cidrsubnet\(aws_vpc\.[^)]+\.ipv6_cidr_block, 8, 0\)\}$/),
      expect.stringMatching(/, 8, 1\)\}$/),
      expect.stringMatching(/, 8, 8\)\}$/),
      expect.stringMatching(/, 8, 9\)\}$/),
    ]);
    expect(subnets.every((s) => s.assign_ipv6_address_on_creation === true)).toBe(true);
  });

  test("public subnets route ::/0 to the internet gateway, as they route 0.0.0.0/0", () => {
    const { synth } = synthOf((scope) => new PrivateNetwork(scope, "net", { ...base, network: dual }));
    expect(synth).toHaveResourceWithProperties(Route, { destination_cidr_block: "0.0.0.0/0" });
    expect(synth).toHaveResourceWithProperties(Route, { destination_ipv6_cidr_block: "::/0" });
  });

  test("an IPv4-only network leaves IPv6 out entirely", () => {
    const { json } = synthOf((scope) => new PrivateNetwork(scope, "net", { ...base, network: networkConfig() }));
    expect(JSON.stringify(json)).not.toMatch(/ipv6/);
  });

  test("the service: a dual-stack NLB and endpoint service; rules from the VPC over IPv6 too, never from ::/0", () => {
    const { synth, json } = synthOf((scope) => {
      const network = new PrivateNetwork(scope, "net", { ...base, network: dual });
      new PrivateLinkService(scope, "service", {
        network,
        service: { ...service, dualStack: true },
        allowedPrincipals: ["arn:aws:iam::210987654321:root"],
        supportedRegions: ["us-east-1"],
        name: "svc",
      });
    });
    expect(synth).toHaveResourceWithProperties(Lb, { ip_address_type: "dualstack" });
    expect(synth).toHaveResourceWithProperties(VpcEndpointService, { supported_ip_address_types: ["ipv4", "ipv6"] });
    // Rules from addresses admit the VPC over IPv6 too; the instances admit the NLB's group, whatever its addresses.
    const rules = blocks(json, "aws_security_group").flatMap((g) => g.ingress);
    const fromAddresses = rules.filter((r) => r.cidr_blocks);
    expect(fromAddresses.length).toBeGreaterThan(0);
    for (const rule of fromAddresses) {
      expect(rule.ipv6_cidr_blocks).toEqual([expect.stringMatching(/^\$\{aws_vpc\.[^.]+\.ipv6_cidr_block\}$/)]);
    }
    for (const rule of rules.filter((r) => !r.cidr_blocks)) expect(rule.security_groups).toHaveLength(1);
    expect(JSON.stringify(blocks(json, "aws_security_group"))).not.toContain("::/0");
  });

  test("the endpoint: dual-stack addresses and DNS records; IPv6 clients of the VPC only when asked", () => {
    const build = (dualStack: boolean, admitVpcIpv6: boolean) =>
      synthOf((scope) => {
        const network = new PrivateNetwork(scope, "net", { ...base, network: networkConfig({ ipv6: true }) });
        const common = { network, serviceName: "svc", ports: [8080], allowedClientCidrs: ["10.1.0.0/16"], name: "c" };
        new InterfaceEndpoint(scope, "endpoint", { ...common, dualStack, admitVpcIpv6 });
      });
    const ipv6Of = (json: ReturnType<typeof build>["json"]) =>
      blocks(json, "aws_security_group").find((g) => g.name === "c-endpoint")?.ingress[0].ipv6_cidr_blocks;
    const both = build(true, true);
    expect(both.synth).toHaveResourceWithProperties(VpcEndpoint, { ip_address_type: "dualstack", dns_options: { dns_record_ip_type: "dualstack" } });
    expect(ipv6Of(both.json)).toEqual([expect.stringMatching(/ipv6_cidr_block/)]);
    const restricted = build(true, false);
    // IPv4-only clients: no AAAA records, which would lead clients to IPv6 addresses the group drops.
    expect(restricted.synth).toHaveResourceWithProperties(VpcEndpoint, { ip_address_type: "dualstack", dns_options: { dns_record_ip_type: "ipv4" } });
    expect(ipv6Of(restricted.json)).toBeFalsy();
    // IPv4 only is said explicitly: both attributes are Optional+Computed, so leaving them out would keep dual stack once it was on.
    const ipv4 = build(false, false);
    expect(blocks(ipv4.json, "aws_vpc_endpoint").find((e) => e.service_name === "svc")).toMatchObject({
      ip_address_type: "ipv4",
      dns_options: { dns_record_ip_type: "ipv4" },
    });
  });

  test("an IPv4-only service says so: an IPv4 NLB and endpoint service, so that turning dual stack off converges", () => {
    for (const network of [networkConfig(), dual]) {
      // In a dual-stack VPC too: dualStack false stops serving IPv6 while the VPC keeps its block.
      const { synth } = synthOf((scope) => {
        const net = new PrivateNetwork(scope, "net", { ...base, network });
        new PrivateLinkService(scope, "service", { network: net, service, allowedPrincipals: [], supportedRegions: ["us-east-1"], name: "svc" });
      });
      expect(synth).toHaveResourceWithProperties(Lb, { ip_address_type: "ipv4" });
      expect(synth).toHaveResourceWithProperties(VpcEndpointService, { supported_ip_address_types: ["ipv4"] });
    }
  });
});

describe("existing VPCs (network.vpcId, network.subnetIds)", () => {
  test("creates no VPC, subnets, route tables, default-group rules or flow logs; reads the VPC and each subnet", () => {
    const { synth, json } = synthOf((scope) => new PrivateNetwork(scope, "net", { ...base, network: existing }));
    for (const type of ["aws_vpc", "aws_subnet", "aws_route_table", "aws_route_table_association", "aws_default_security_group", "aws_flow_log"]) {
      expect({ type, created: type in json.resource }).toEqual({ type, created: false });
    }
    expect(synth).toHaveDataSourceWithProperties(DataAwsVpc, { id: "vpc-0123456789abcdef0" });
    expect(synth).toHaveDataSourceWithProperties(DataAwsSubnet, { id: "subnet-0123456789abcdef1", vpc_id: "vpc-0123456789abcdef0" });
    expect(synth).not.toHaveDataSource(DataAwsRouteTable);
  });

  test("rules from the VPC use every IPv4 block associated with it, as AWS reports them; gateway endpoints go on the subnets' route tables", () => {
    const network = {
      ...existing,
      awsEndpoints: [
        { service: "s3" as const, type: "Gateway" as const, privateDns: false, policy: { actions: ["s3:GetObject"], resources: ["*"] } },
        { service: "kms" as const, type: "Interface" as const, privateDns: true, policy: { actions: ["kms:Decrypt"], resources: ["*"] } },
      ],
    };
    const { synth, json } = synthOf((scope) => new PrivateNetwork(scope, "net", { ...base, network }));
    expect(synth).toHaveDataSourceWithProperties(DataAwsRouteTable, { subnet_id: "subnet-0123456789abcdef0" });
    const gateway = blocks(json, "aws_vpc_endpoint").find((e) => e.vpc_endpoint_type === "Gateway");
    expect(gateway?.route_table_ids).toMatch(/^\$\{distinct\(\[data\.aws_route_table\..+\.id, data\.aws_route_table\..+\.id\]\)\}$/);
    const sg = blocks(json, "aws_security_group").find((g) => g.name === "n-aws-endpoints");
    // Subnets may sit in a secondary block: the primary cidr_block alone would cut them off.
    expect(sg).toMatchObject({ vpc_id: "vpc-0123456789abcdef0" });
    expect(sg?.ingress[0].cidr_blocks).toMatch(/^\$\{data\.aws_vpc\.[^.]+\.cidr_block_associations\[\*\]\.cidr_block\}$/);
  });

  test("reading the VPC checks DNS support and hostnames where private DNS is used, and IPv6 on the VPC and subnets when dual stack", () => {
    const vpcOf = (json: ReturnType<typeof synthOf>["json"]) => Object.values(json.data.aws_vpc)[0] as Block;
    const plain = synthOf((scope) => new PrivateNetwork(scope, "net", { ...base, network: existing }));
    expect(vpcOf(plain.json)).not.toHaveProperty("lifecycle");
    const dns = synthOf((scope) => new PrivateNetwork(scope, "net", { ...base, network: existing, privateDns: true }));
    expect(vpcOf(dns.json).lifecycle.postcondition).toEqual([
      { condition: "${self.enable_dns_support && self.enable_dns_hostnames}", error_message: expect.stringContaining("needs DNS support and DNS hostnames") },
    ]);
    const dual = synthOf((scope) => new PrivateNetwork(scope, "net", { ...base, network: { ...existing, ipv6: true } }));
    expect(vpcOf(dual.json).lifecycle.postcondition).toEqual([
      { condition: '${self.ipv6_cidr_block != ""}', error_message: expect.stringContaining("no IPv6 block") },
    ]);
    for (const subnet of Object.values(dual.json.data.aws_subnet) as Block[]) {
      expect(subnet.lifecycle.postcondition[0]).toMatchObject({ condition: '${self.ipv6_cidr_block != ""}' });
    }
  });

  test("the service's NLB spans the given subnets", () => {
    let network: PrivateNetwork | undefined;
    const { json } = synthOf((scope) => {
      network = new PrivateNetwork(scope, "net", { ...base, network: existing });
      new PrivateLinkService(scope, "service", { network, service, allowedPrincipals: [], supportedRegions: ["us-east-1"], name: "svc" });
    });
    const subnets = network?.privateSubnets ?? [];
    expect(subnets).toHaveLength(existing.subnetIds.length);
    expect(blocks(json, "aws_lb")[0].subnets).toEqual(subnets.map((subnet) => `\${${refTo(subnet, "id")}}`));
    // One subnet per AZ, checked on what AWS reports of the given subnets.
    const [check] = blocks(json, "aws_lb")[0].lifecycle.precondition;
    expect(check.condition).toBe(`\${(length(distinct([${subnets.map((s) => refTo(s, "availability_zone_id")).join(", ")}])) == 2)}`);
    expect(check.error_message).toMatch(/each be in a different AZ/);
  });
});

describe("listeners, TLS and proxy protocol v2", () => {
  const listeners: ServiceConfig = {
    ...service,
    proxyProtocolV2: true,
    userData: "#!/bin/sh\n",
    listeners: [
      {
        port: 443,
        protocol: "TLS",
        targetPort: 8443,
        certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      },
      { port: 8443, protocol: "TCP", targetPort: 8443 },
      { port: 9000, protocol: "TCP", targetPort: 9000 },
    ],
  };
  const build = () =>
    synthOf((scope) => {
      const network = new PrivateNetwork(scope, "net", { ...base, network: networkConfig() });
      new PrivateLinkService(scope, "service", { network, service: listeners, allowedPrincipals: [], supportedRegions: ["us-east-1"], name: "svc" });
    });

  test("one listener per port; TLS with its certificate and policy", () => {
    const { synth, json } = build();
    expect(blocks(json, "aws_lb_listener")).toHaveLength(3);
    expect(synth).toHaveResourceWithProperties(LbListener, {
      port: 443,
      protocol: "TLS",
      certificate_arn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
      ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    });
    expect(synth).toHaveResourceWithProperties(LbListener, { port: 9000, protocol: "TCP" });
  });

  test("one target group per distinct target port, with proxy protocol v2, and the fleet in all of them", () => {
    const { synth, json } = build();
    const groups = blocks(json, "aws_lb_target_group");
    expect(groups.map((g) => g.port).sort()).toEqual([8443, 9000]);
    expect(synth).toHaveResourceWithProperties(LbTargetGroup, { port: 8443, proxy_protocol_v2: true });
    expect(blocks(json, "aws_autoscaling_group")[0].target_group_arns).toHaveLength(2);
  });

  test("listeners and target groups are keyed by port: reordering moves nothing, removing one leaves the others", () => {
    const ids = (service: typeof listeners) => {
      const { json } = synthOf((scope) => {
        const network = new PrivateNetwork(scope, "net", { ...base, network: networkConfig() });
        new PrivateLinkService(scope, "service", { network, service, allowedPrincipals: [], supportedRegions: ["us-east-1"], name: "svc" });
      });
      const byPort = (type: string) =>
        Object.fromEntries(Object.entries(json.resource[type] as Record<string, { port: number }>).map(([id, block]) => [block.port, id]));
      const template = Object.values(json.resource.aws_launch_template as Record<string, { user_data: string }>)[0];
      return {
        listeners: byPort("aws_lb_listener"),
        groups: byPort("aws_lb_target_group"),
        moved: (json as { moved?: { from: string; to: string }[] }).moved,
        userData: template.user_data,
      };
    };
    // The default server, whose user data names the ports it serves.
    const served = { ...listeners, userData: undefined };
    const original = ids(served);
    const reordered = ids({ ...served, listeners: [...served.listeners].reverse() });
    const withoutFirst = ids({ ...served, listeners: served.listeners.slice(1) });
    expect(reordered.listeners).toEqual(original.listeners);
    expect(reordered.groups).toEqual(original.groups);
    // The instances serve the same ports in the same order: no roll.
    expect(reordered.userData).toEqual(original.userData);
    expect(withoutFirst.listeners).toEqual({ 8443: original.listeners[8443], 9000: original.listeners[9000] });
    expect(withoutFirst.groups).toEqual(original.groups);
    // Before, the first listener and its target group had the ids "listener" and "tg"; the moves carry them over.
    expect(original.moved).toEqual([
      { from: expect.stringMatching(/^aws_lb_target_group\.service_tg_[0-9A-F]{8}$/), to: `aws_lb_target_group.${original.groups[8443]}` },
      { from: expect.stringMatching(/^aws_lb_listener\.service_listener_[0-9A-F]{8}$/), to: `aws_lb_listener.${original.listeners[443]}` },
    ]);
  });

  test("instances admit each target port from the NLB's security group, not from the VPC", () => {
    const { json } = build();
    const instances = blocks(json, "aws_security_group").find((g) => g.name === "svc-instances");
    expect(instances?.ingress.map((r: { from_port: number }) => r.from_port)).toEqual([8443, 9000]);
    const nlbGroups = blocks(json, "aws_lb")[0].security_groups;
    for (const rule of instances?.ingress ?? []) {
      expect(rule).toMatchObject({ security_groups: nlbGroups });
      expect(rule.cidr_blocks).toBeFalsy();
    }
  });
});

describe("cross-region and several ports on the endpoint", () => {
  const build = () =>
    synthOf((scope) => {
      const network = new PrivateNetwork(scope, "net", { ...base, network: networkConfig() });
      new InterfaceEndpoint(scope, "endpoint", {
        network,
        serviceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
        serviceRegion: "eu-west-1",
        ports: [443, 8080],
        allowedClientCidrs: ["10.1.0.0/16"],
        name: "c",
      });
    });

  test("another region: the service's region on the endpoint, in every private subnet, no AZ precondition", () => {
    const endpoint = blocks(build().json, "aws_vpc_endpoint")[0];
    expect(endpoint.service_region).toBe("eu-west-1");
    expect(endpoint.subnet_ids).toEqual([
      expect.stringMatching(/aws_subnet\.net_private-use1-az1_/),
      expect.stringMatching(/aws_subnet\.net_private-use1-az2_/),
    ]);
    expect(endpoint.lifecycle.precondition ?? []).toEqual([]);
  });

  test("one plain ingress rule per port, from the allowed clients, that a scanner can read", () => {
    const sg = blocks(build().json, "aws_security_group").find((g) => g.name === "c-endpoint");
    expect(sg?.ingress.map((r: Block) => [r.protocol, r.from_port, r.to_port, r.cidr_blocks])).toEqual([
      ["tcp", 443, 443, ["10.1.0.0/16"]],
      ["tcp", 8080, 8080, ["10.1.0.0/16"]],
    ]);
  });
});
