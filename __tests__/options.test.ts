import { Testing } from "cdktf";
import { wiringPlan } from "../src/wiring/contract";
import { type Block, buildExample, exampleConfig, parsed, type RawConfig } from "./helpers";

/** The synthesized JSON of every stack of a config changed by `mutate`, by stack name. */
function stacksOf(mutate: (raw: RawConfig) => void) {
  const config = exampleConfig(mutate);
  const stacks = buildExample(config);
  const all = [stacks.provider, ...stacks.consumers, ...stacks.acceptance];
  return { config, stacks, json: new Map(all.map((s) => [s.node.id, parsed(Testing.synth(s))])) };
}
const endpointOf = (json: Block) => (Object.values(json.resource.aws_vpc_endpoint) as Block[]).find((e) => e.service_name === "${var.service_name}") as Block;
const serviceOf = (json: Block) => Object.values(json.resource.aws_vpc_endpoint_service)[0] as Block;
const groupOf = (json: Block, name: string) => (Object.values(json.resource.aws_security_group) as Block[]).find((g) => g.name === name) as Block;

describe("role principals (consumers[].principals)", () => {
  test("the endpoint service allows a consumer's roles and its deployer instead of its root; others keep their root", () => {
    const { json } = stacksOf((raw) => {
      raw.consumers[0].principals = ["arn:aws:iam::222222222222:role/batch", "arn:aws:iam::222222222222:role/app"];
    });
    // The deployer (consumers[0].account.roleArn) creates the endpoint, which only allowed principals may do.
    expect(serviceOf(json.get("provider") as Block).allowed_principals).toEqual([
      "arn:aws:iam::222222222222:role/app",
      "arn:aws:iam::222222222222:role/batch",
      "arn:aws:iam::222222222222:role/privatelink-deployer",
      "arn:aws:iam::333333333333:root",
    ]);
  });

  test("with the account root listed, the deployer is admitted by it and not added", () => {
    const { json } = stacksOf((raw) => {
      raw.consumers[0].principals = ["arn:aws:iam::222222222222:role/app", "arn:aws:iam::222222222222:root"];
    });
    expect(serviceOf(json.get("provider") as Block).allowed_principals).toEqual([
      "arn:aws:iam::222222222222:role/app",
      "arn:aws:iam::222222222222:root",
      "arn:aws:iam::333333333333:root",
    ]);
  });
});

describe("cross-region consumers", () => {
  const { config, json } = stacksOf((raw) => {
    raw.consumers[0].account.region = "us-west-2";
    raw.consumers[0].network.azIds = ["usw2-az1", "usw2-az2"];
  });

  test("the service is offered in the consumer's region and its own; the same-region consumer needs nothing", () => {
    // AWS reads the own region back among the supported ones (hashicorp/aws TestAccVPCEndpointService_basic:
    // supported_regions.# = 1, the test region, with none configured).
    expect(serviceOf(json.get("provider") as Block).supported_regions).toEqual(["us-east-1", "us-west-2"]);
    expect(endpointOf(json.get("consumer-reporting") as Block)).not.toHaveProperty("service_region");
  });

  test("the consumer's endpoint names the provider's region and sits in all its own subnets", () => {
    const consumer = json.get("consumer-analytics") as Block;
    const endpoint = endpointOf(consumer);
    expect(endpoint.service_region).toBe("us-east-1");
    expect(endpoint.subnet_ids).toHaveLength(2);
    expect(consumer.provider.aws[0].region).toBe("us-west-2");
  });

  test("no AZ ids cross to it: they mean nothing in another region", () => {
    expect(Object.keys((json.get("consumer-analytics") as Block).variable)).toEqual(["service_name"]);
    expect(
      wiringPlan(config)
        .filter((h) => h.stack === "consumer-analytics")
        .map((h) => h.value.name),
    ).toEqual(["service_name"]);
  });
});

describe("TLS listeners", () => {
  test("default to the console's policy: TLS 1.3 and 1.2 only, with post-quantum key exchange (ELB guide, security policies for NLB)", () => {
    const { json } = stacksOf((raw) => {
      delete raw.provider.service.port;
      raw.provider.service.listeners = [{ port: 443, protocol: "TLS", certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/0123abcd" }];
    });
    const [listener] = Object.values((json.get("provider") as Block).resource.aws_lb_listener) as Block[];
    expect(listener.ssl_policy).toBe("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09");
  });
});

describe("supported regions without cross-region consumers", () => {
  test("the service lists its own region explicitly, so removing the last cross-region consumer removes its region", () => {
    const { json } = stacksOf(() => {});
    expect(serviceOf(json.get("provider") as Block).supported_regions).toEqual(["us-east-1"]);
  });
});

describe("dual stack (network.ipv6)", () => {
  test("a consumer's endpoint is dual stack; it admits the VPC over IPv6 only when its clients are the whole VPC", () => {
    const { json } = stacksOf((raw) => {
      raw.provider.network.ipv6 = true;
      raw.consumers[0].network.ipv6 = true;
      raw.consumers[1].network.ipv6 = true;
      delete raw.consumers[0].allowedClientCidrs;
    });
    const whole = json.get("consumer-analytics") as Block;
    expect(endpointOf(whole)).toMatchObject({ ip_address_type: "dualstack", dns_options: { dns_record_ip_type: "dualstack" } });
    expect(groupOf(whole, "privatelink-demo-analytics-endpoint").ingress[0].ipv6_cidr_blocks).toHaveLength(1);
    const restricted = json.get("consumer-reporting") as Block;
    expect(endpointOf(restricted)).toMatchObject({ ip_address_type: "dualstack", dns_options: { dns_record_ip_type: "ipv4" } });
    expect(groupOf(restricted, "privatelink-demo-reporting-endpoint").ingress[0].ipv6_cidr_blocks).toBeFalsy();
    for (const stack of json.values()) expect(JSON.stringify(stack.resource.aws_security_group ?? {})).not.toContain("::/0");
  });
});

describe("existing VPCs", () => {
  test("a consumer in an existing VPC admits that VPC's CIDR as AWS reports it, and its endpoint picks subnets by their AZ ids", () => {
    const { json } = stacksOf((raw) => {
      const network = raw.consumers[0].network;
      for (const field of ["cidr", "azIds"]) delete network[field];
      Object.assign(network, { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"] });
      delete raw.consumers[0].allowedClientCidrs;
    });
    const consumer = json.get("consumer-analytics") as Block;
    // The one VPC it reads, and no other source.
    const [vpc] = Object.keys(consumer.data.aws_vpc);
    // The example's interface endpoints use private DNS: the VPC must have DNS support and hostnames.
    expect(consumer.data.aws_vpc[vpc]).toMatchObject({ id: "vpc-0123456789abcdef0", lifecycle: { postcondition: [expect.anything()] } });
    expect(groupOf(consumer, "privatelink-demo-analytics-endpoint").ingress[0].cidr_blocks).toBe(
      `\${data.aws_vpc.${vpc}.cidr_block_associations[*].cidr_block}`,
    );
    expect(endpointOf(consumer).subnet_ids).toContain("contains(var.service_availability_zone_ids, data.aws_subnet.network_subnet-subnet-0123456789abcdef0_");
    expect(consumer.resource.aws_vpc).toBeUndefined();
  });
});

describe("listeners", () => {
  const { config, json } = stacksOf((raw) => {
    delete raw.provider.service.port;
    raw.provider.service.listeners = [
      { port: 443, protocol: "TLS", certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/0123abcd-0123-4567-89ab-0123456789ab", targetPort: 8443 },
      { port: 8080 },
    ];
  });

  test("each consumer takes the ports from the config: its endpoint admits each listener port, in order, from its clients only", () => {
    const consumer = json.get("consumer-analytics") as Block;
    const clients = config.consumers[0].allowedClientCidrs;
    expect(groupOf(consumer, "privatelink-demo-analytics-endpoint").ingress.map((r: Block) => [r.protocol, r.from_port, r.to_port, r.cidr_blocks])).toEqual([
      ["tcp", 443, 443, clients],
      ["tcp", 8080, 8080, clients],
    ]);
    // Nothing crosses the wiring for them: no output, no variable.
    expect((json.get("provider") as Block).output.service_ports).toBeUndefined();
    expect(consumer.variable.service_ports).toBeUndefined();
    // Reordering `listeners` changes neither stack.
    const reversed = stacksOf((raw) => {
      delete raw.provider.service.port;
      raw.provider.service.listeners = [
        { port: 8080 },
        { port: 443, protocol: "TLS", certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/0123abcd-0123-4567-89ab-0123456789ab", targetPort: 8443 },
      ];
    });
    expect(reversed.json.get("consumer-analytics")).toEqual(consumer);
  });

  test("the test client may reach the endpoint on the listener ports only, never on 0-65535", () => {
    const client = groupOf(json.get("consumer-analytics") as Block, "privatelink-demo-analytics-client");
    const toEndpoint = client.egress.filter((r: Block) => r.description.startsWith("service port to the endpoint"));
    expect(toEndpoint.map((r: Block) => [r.from_port, r.to_port])).toEqual([
      [443, 443],
      [8080, 8080],
    ]);
    expect(client.egress.some((r: Block) => r.from_port === 0 || r.to_port === 65535)).toBe(false);
  });

  test("the default user data serves every target port", () => {
    const template = Object.values((json.get("provider") as Block).resource.aws_launch_template)[0] as Block;
    // In ascending port order, whatever the order of `listeners`.
    expect(template.user_data).toContain("systemctl enable --now privatelink-service@8080 privatelink-service@8443");
  });
});
