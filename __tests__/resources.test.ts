import { RamPrincipalAssociation } from "@cdktf/provider-aws/lib/ram-principal-association";
import { RamResourceShare } from "@cdktf/provider-aws/lib/ram-resource-share";
import { VpclatticeResourceGateway } from "@cdktf/provider-aws/lib/vpclattice-resource-gateway";
import { Testing } from "cdktf";
import { PrivateNetwork } from "../src/constructs/network";
import { ResourceEndpoints } from "../src/constructs/resource-endpoints";
import { SharedResources } from "../src/constructs/shared-resources";
import { reviewPlan } from "../src/lifecycle/review";
import { wiringPlan } from "../src/wiring/contract";
import { wireVariables } from "../src/wiring/wire";
import { blocks, networkConfig, synthOf } from "./constructs/scope";
import { type Block, buildExample, exampleConfig, parsed, problemsOf, type RawConfig } from "./helpers";

const DB = { name: "orders-db", dnsName: "orders.cluster-abc.us-east-1.rds.amazonaws.com", ports: [5432] };
const CACHE = { name: "cache", ipAddress: "10.10.40.10", ports: [6379, "7000-7005"] };
const CONFIG_ARN = "arn:aws:vpc-lattice:us-east-1:111111111111:resourceconfiguration/rcfg-0123456789abcdef0";
const SHARE_ARN = "arn:aws:ram:us-east-1:111111111111:resource-share/0a1b2c3d-0000-4000-8000-000000000001";

/** The example with two resources: the first consumer gets both (another organization), the second the database (the provider's organization). */
function withResources(raw: RawConfig): void {
  raw.provider.resources = [DB, CACHE];
  raw.provider.account.organizationId = "o-a1b2c3d4e5";
  raw.consumers[0].resources = ["orders-db", "cache"];
  raw.consumers[1].resources = ["orders-db"];
  raw.consumers[1].account.organizationId = "o-a1b2c3d4e5";
}

describe("SharedResources", () => {
  const { synth, json } = synthOf((scope) => {
    const network = new PrivateNetwork(scope, "network", { network: networkConfig(), name: "p", region: "us-east-1", accountId: "111111111111" });
    new SharedResources(scope, "resources", {
      network,
      resources: [
        { name: "orders-db", dnsName: DB.dnsName, portRanges: [{ from: 5432, to: 5432 }] },
        {
          name: "cache",
          ipAddress: CACHE.ipAddress,
          portRanges: [
            { from: 6379, to: 6379 },
            { from: 7000, to: 7005 },
          ],
        },
      ],
      consumers: [
        { name: "analytics", accountId: "222222222222", resources: ["orders-db", "cache"], external: true },
        { name: "reporting", accountId: "333333333333", resources: ["orders-db"], external: false },
      ],
      name: "p",
    });
  });

  test("a resource gateway in the private subnets, behind its own security group", () => {
    expect(synth).toHaveResourceWithProperties(VpclatticeResourceGateway, {
      name: "p-resources",
      ip_address_type: "IPV4",
      subnet_ids: [expect.stringMatching(/aws_subnet\.network_private-use1-az1/), expect.stringMatching(/aws_subnet\.network_private-use1-az2/)],
      security_group_ids: [expect.stringMatching(/aws_security_group\.resources_gateway-sg.+\.id/)],
    });
  });

  test("the gateway's group lets out each resource's ports only: to its /32, or to the VPC for a DNS name; nothing in", () => {
    const [group] = blocks(json, "aws_security_group");
    expect(group.ingress).toEqual([]);
    expect(group.egress.map((r: Block) => [r.from_port, r.to_port, r.cidr_blocks])).toEqual([
      [5432, 5432, ["10.1.0.0/16"]],
      [6379, 6379, ["10.10.40.10/32"]],
      [7000, 7005, ["10.10.40.10/32"]],
    ]);
  });

  test("a resource configuration per resource: its one address and its port ranges", () => {
    const configurations = Object.fromEntries(blocks(json, "aws_vpclattice_resource_configuration").map((c) => [c.name, c]));
    expect(configurations["p-orders-db"]).toMatchObject({
      type: "SINGLE",
      protocol: "TCP",
      port_ranges: ["5432"],
      resource_gateway_identifier: expect.stringMatching(/aws_vpclattice_resource_gateway\..+\.id/),
      resource_configuration_definition: [{ dns_resource: [{ domain_name: DB.dnsName, ip_address_type: "IPV4" }] }],
    });
    expect(configurations["p-cache"]).toMatchObject({
      port_ranges: ["6379", "7000-7005"],
      resource_configuration_definition: [{ ip_resource: [{ ip_address: "10.10.40.10" }] }],
    });
  });

  test("a RAM share per consumer, naming its account and exactly its resources; external principals only outside the organization", () => {
    expect(synth).toHaveResourceWithProperties(RamResourceShare, { name: "p-analytics-resources", allow_external_principals: true });
    expect(synth).toHaveResourceWithProperties(RamResourceShare, { name: "p-reporting-resources", allow_external_principals: false });
    expect(synth).toHaveResourceWithProperties(RamPrincipalAssociation, { principal: "222222222222" });
    expect(synth).toHaveResourceWithProperties(RamPrincipalAssociation, { principal: "333333333333" });
    const associations = Object.keys(json.resource.aws_ram_resource_association).map((id) => id.replace(/_[0-9A-F]{8}$/, ""));
    expect(associations.sort()).toEqual(["resources_share-analytics-cache", "resources_share-analytics-orders-db", "resources_share-reporting-orders-db"]);
  });
});

describe("ResourceEndpoints", () => {
  const build = (shareArn?: string) =>
    synthOf((scope) => {
      const network = new PrivateNetwork(scope, "network", { network: networkConfig(), name: "c", region: "us-east-1", accountId: "222222222222" });
      new ResourceEndpoints(scope, "resources", {
        network,
        resources: [
          {
            name: "cache",
            portRanges: [
              { from: 6379, to: 6379 },
              { from: 7000, to: 7005 },
            ],
            configurationArn: CONFIG_ARN,
          },
        ],
        shareArn,
        allowedClientCidrs: ["10.1.0.0/20"],
        name: "c",
      });
    });

  test("a Resource endpoint per resource in the private subnets, after the share is accepted", () => {
    const { json } = build(SHARE_ARN);
    expect(blocks(json, "aws_ram_resource_share_accepter")).toEqual([expect.objectContaining({ share_arn: SHARE_ARN })]);
    expect(blocks(json, "aws_vpc_endpoint")).toEqual([
      expect.objectContaining({
        vpc_endpoint_type: "Resource",
        resource_configuration_arn: CONFIG_ARN,
        subnet_ids: [expect.stringMatching(/private-use1-az1/), expect.stringMatching(/private-use1-az2/)],
        depends_on: [expect.stringMatching(/^aws_ram_resource_share_accepter\./)],
      }),
    ]);
  });

  test("its security group admits the resource's ports from the allowed clients only, and lets nothing out", () => {
    const [group] = blocks(build(SHARE_ARN).json, "aws_security_group");
    expect(group.ingress.map((r: Block) => [r.from_port, r.to_port, r.cidr_blocks])).toEqual([
      [6379, 6379, ["10.1.0.0/20"]],
      [7000, 7005, ["10.1.0.0/20"]],
    ]);
    expect(group.egress).toEqual([]);
  });

  test("within the provider's organization there is no invitation to accept", () => {
    const { json } = build(undefined);
    expect(blocks(json, "aws_ram_resource_share_accepter")).toEqual([]);
    expect(blocks(json, "aws_vpc_endpoint")[0].depends_on).toBeUndefined();
  });
});

describe("resources in the stacks", () => {
  const config = exampleConfig(withResources);
  const stacks = buildExample(config);
  const provider = parsed(Testing.synth(stacks.provider));
  const [analytics, reporting] = stacks.consumers.map((s) => parsed(Testing.synth(s)));

  test("the provider outputs each configuration's ARN by resource and each share's by consumer, and the gateway's group", () => {
    expect(Object.keys(provider.output.resource_configuration_arns.value).sort()).toEqual(["cache", "orders-db"]);
    expect(Object.keys(provider.output.resource_share_arns.value).sort()).toEqual(["analytics", "reporting"]);
    expect(provider.output.resource_gateway_security_group_id.value).toMatch(/aws_security_group\.resources_gateway-sg.+\.id/);
  });

  test("a consumer takes the ARNs as validated map variables and looks its own up", () => {
    expect(analytics.variable.resource_configuration_arns).toMatchObject({ type: "map(string)", nullable: false });
    expect(analytics.variable.resource_configuration_arns.validation[0].condition).toContain("values(var.resource_configuration_arns)");
    const arns = blocks(analytics, "aws_vpc_endpoint")
      .filter((e) => e.vpc_endpoint_type === "Resource")
      .map((e) => e.resource_configuration_arn);
    expect(arns.sort()).toEqual(["${var.resource_configuration_arns.cache}", '${var.resource_configuration_arns["orders-db"]}']);
    expect(blocks(analytics, "aws_ram_resource_share_accepter")[0].share_arn).toBe("${var.resource_share_arns.analytics}");
    expect(Object.keys(analytics.output.resource_endpoint_ids.value).sort()).toEqual(["cache", "orders-db"]);
  });

  test("the client may reach each resource it is granted on the resource's ports, over IPv4 to its VPC, and no other resource's", () => {
    const toResources = (stack: Block) =>
      (stack.resource.aws_security_group["client-sg"].egress as Block[])
        .filter((r) => r.description.endsWith("to its Resource endpoint"))
        .map((r) => [r.description, r.from_port, r.to_port, r.cidr_blocks, r.ipv6_cidr_blocks ?? []]);
    expect(toResources(analytics)).toEqual([
      ["orders-db 5432 to its Resource endpoint", 5432, 5432, ["10.20.0.0/16"], []],
      ["cache 6379 to its Resource endpoint", 6379, 6379, ["10.20.0.0/16"], []],
      ["cache 7000-7005 to its Resource endpoint", 7000, 7005, ["10.20.0.0/16"], []],
    ]);
    expect(toResources(reporting)).toEqual([["orders-db 5432 to its Resource endpoint", 5432, 5432, ["10.30.0.0/16"], []]]);
  });

  test("a resource port a listener already has is one rule, not a duplicate AWS refuses", () => {
    const stack = buildExample(
      exampleConfig((raw) => {
        withResources(raw);
        raw.provider.resources[0].ports = [8080];
      }),
    ).consumers[1];
    const egress = parsed(Testing.synth(stack)).resource.aws_security_group["client-sg"].egress as Block[];
    expect(egress.filter((r) => r.from_port === 8080).map((r) => r.description)).toEqual(["service port to the endpoint"]);
  });

  test("a consumer in the provider's organization accepts nothing and takes no share ARNs", () => {
    expect(reporting.variable.resource_share_arns).toBeUndefined();
    expect(blocks(reporting, "aws_ram_resource_share_accepter")).toEqual([]);
    const hops = wiringPlan(config)
      .filter((h) => h.stack === "consumer-reporting")
      .map((h) => h.value.name);
    expect(hops).toEqual(["service_name", "resource_configuration_arns"]);
  });

  test("npm run wire carries the maps, and refuses one whose values are not configuration ARNs", () => {
    const outputs = {
      service_name: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
      service_availability_zone_ids: ["use1-az1", "use1-az2"],
      resource_configuration_arns: { "orders-db": CONFIG_ARN, cache: CONFIG_ARN },
      resource_share_arns: { analytics: SHARE_ARN },
    };
    expect(wireVariables(config, "provider", "consumer-analytics", outputs)).toMatchObject({ resource_share_arns: { analytics: SHARE_ARN } });
    expect(() => wireVariables(config, "provider", "consumer-analytics", { ...outputs, resource_configuration_arns: { cache: "rcfg-1" } })).toThrow(
      /resource_configuration_arns must map resource names to VPC Lattice resource configuration ARNs/,
    );
    expect(() => wireVariables(config, "provider", "consumer-analytics", { ...outputs, resource_share_arns: {} })).toThrow(/resource_share_arns/);
  });

  test("npm run wire refuses a map without a key the consumer reads, and ARNs of another region", () => {
    const outputs = {
      service_name: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
      service_availability_zone_ids: ["use1-az1", "use1-az2"],
      resource_configuration_arns: { "orders-db": CONFIG_ARN },
      resource_share_arns: { reporting: SHARE_ARN },
    };
    expect(() => wireVariables(config, "provider", "consumer-analytics", outputs)).toThrow(
      `Cannot wire provider -> consumer-analytics:
  - output resource_configuration_arns = {"orders-db":"${CONFIG_ARN}"} has no cache, which consumer-analytics reads; deploy provider with this config first
  - output resource_share_arns = {"reporting":"${SHARE_ARN}"} has no analytics, which consumer-analytics reads; deploy provider with this config first`,
    );
    const west = CONFIG_ARN.replace("us-east-1", "us-west-2");
    expect(() =>
      wireVariables(config, "provider", "consumer-analytics", {
        ...outputs,
        resource_configuration_arns: { "orders-db": CONFIG_ARN, cache: west },
        resource_share_arns: { analytics: SHARE_ARN },
      }),
    ).toThrow(`expected ARNs of the provider's region us-east-1, not cache: ${west}; is this another environment's output?`);
  });

  test("in remote-state wiring the consumer reads the maps from the provider's state, checked by preconditions", () => {
    const remote = buildExample(
      exampleConfig((raw) => {
        withResources(raw);
        raw.wiring = { mode: "remote-state", stateReaders: ["arn:aws:iam::444444444444:role/ci"] };
      }),
    );
    const consumer = parsed(Testing.synth(remote.consumers[0]));
    expect(consumer.variable).toEqual({});
    const endpoints = blocks(consumer, "aws_vpc_endpoint");
    const cache = endpoints.find((e) => e.tags?.Name === "privatelink-demo-analytics-cache") as Block;
    expect(cache.resource_configuration_arn).toBe("${data.terraform_remote_state.remote-state-provider.outputs.resource_configuration_arns.cache}");
    const interfaceEndpoint = endpoints.find((e) => e.vpc_endpoint_type === "Interface") as Block;
    expect(interfaceEndpoint.lifecycle.precondition.map((p: Block) => p.error_message)).toContain(
      "resource_configuration_arns must map resource names to VPC Lattice resource configuration ARNs; copy the provider stack's output.",
    );
  });

  test("without resources nothing of this is synthesized", () => {
    const example = buildExample();
    for (const stack of [example.provider, ...example.consumers]) {
      const json = parsed(Testing.synth(stack));
      for (const type of ["aws_vpclattice_resource_gateway", "aws_ram_resource_share", "aws_ram_resource_share_accepter"])
        expect(json.resource[type]).toBeUndefined();
      expect(json.variable.resource_configuration_arns).toBeUndefined();
    }
  });

  test("bad resources are refused, naming the field, the value and what is accepted", () => {
    const message = problemsOf((raw) => {
      raw.provider.resources = [
        { name: "db", ports: ["90-80"] },
        { name: "Cache", ipAddress: "10.0.0.300", ports: [] },
      ];
      raw.consumers[0].resources = ["nope"];
    });
    expect(message).toContain("provider.resources[0]: expected dnsName or ipAddress");
    expect(message).toContain('provider.resources[0].ports[0]: expected a port range within 1-65535, lowest port first, such as "8000-8100"');
    expect(message).toContain("provider.resources[1].name");
    expect(message).toContain("provider.resources[1].ipAddress");
    expect(message).toContain("provider.resources[1].ports: expected at least one port");
    expect(message).toContain('consumers[0].resources[0]: expected the name of a provider resource (db, Cache); got "nope"');
  });
});

describe("the deploy guard and shared resources", () => {
  test("a Resource endpoint, a resource configuration and the gateway carry traffic; a share association does not", () => {
    const { risky } = reviewPlan({
      resource_changes: [
        {
          address: "aws_vpc_endpoint.resources_endpoint-db",
          type: "aws_vpc_endpoint",
          change: { actions: ["delete"], before: { vpc_endpoint_type: "Resource" } },
        },
        {
          address: "aws_vpclattice_resource_configuration.c",
          type: "aws_vpclattice_resource_configuration",
          change: { actions: ["delete", "create"], replace_paths: [["name"]] },
        },
        {
          address: "aws_vpclattice_resource_gateway.g",
          type: "aws_vpclattice_resource_gateway",
          change: { actions: ["delete", "create"], replace_paths: [["subnet_ids"]] },
        },
        { address: "aws_ram_resource_association.a", type: "aws_ram_resource_association", change: { actions: ["delete"] } },
      ],
    });
    expect(risky.map((c) => c.traffic ?? "none")).toEqual(["resource endpoint", "resource configuration", "resource gateway", "none"]);
  });
});
