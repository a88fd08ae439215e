import { allPassed, inScope, kindOf, probeTargets } from "../src/check/check";
import { clientInstanceName } from "../src/aws-names";
import type { AccountClients } from "../src/check/aws";
import { firstBlocker, healthOfPort } from "../src/check/diagnose";
import { findClientByName } from "../src/check/read-path";
import type { ConsumerPath, ProbeTarget, ResourcePath, SecurityGroup } from "../src/check/path";
import { firstResourceBlocker, probedPorts, resourceTargets } from "../src/check/resources";
import { parseProbeOutput, probeCommands } from "../src/check/probe-script";
import { reportJson, reportTable } from "../src/check/report";
import { cidrContains, firstUsableAddress, ruleAdmits } from "../src/check/security-groups";

// npm run check: which hop of a consumer's path blocks a connection, from
// what the AWS API says about it. Each case breaks one hop of a healthy path.

const group = (id: string, ingress: SecurityGroup["ingress"], egress: SecurityGroup["egress"] = []): SecurityGroup => ({ id, ingress, egress });
const tcp = (port: number, cidrs: string[], groups: string[] = []) => ({ protocol: "tcp", fromPort: port, toPort: port, cidrs, groups });

/** A consumer in 10.20.0.0/16 reaching a provider NLB with two healthy targets on 8080, as the stacks build it. */
function healthyPath(): ConsumerPath {
  const nlbSg = group("sg-nlb", [tcp(8080, ["10.10.0.0/16"])], [tcp(8080, ["10.10.0.0/16"])]);
  const targetSg = group("sg-targets", [tcp(8080, [], ["sg-nlb"])]);
  return {
    client: {
      id: "i-client",
      state: "running",
      ipv4: "10.20.0.10",
      ipv6: "2600:1f18:aaaa:a00::10",
      zone: "us-east-1a",
      securityGroups: [group("sg-client", [], [tcp(8080, ["10.20.0.0/16", "2600:1f18:aaaa:a00::/56"])])],
    },
    endpoint: {
      id: "vpce-0abc",
      state: "available",
      serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123",
      ipAddressType: "dualstack",
      dnsRecordIpType: "dualstack",
      dnsNames: [
        "vpce-0abc-1234.vpce-svc-0123.us-east-1.vpce.amazonaws.com",
        "vpce-0abc-1234-us-east-1a.vpce-svc-0123.us-east-1.vpce.amazonaws.com",
        "vpce-0abc-1234-us-east-1b.vpce-svc-0123.us-east-1.vpce.amazonaws.com",
      ],
      privateDnsEnabled: false,
      securityGroups: [group("sg-endpoint", [tcp(8080, ["10.20.0.0/16", "2600:1f18:aaaa:a00::/56"])])],
      interfaces: [
        { id: "eni-a", zone: "us-east-1a", ipv4: "10.20.0.20", ipv6: "2600:1f18:aaaa:a00::20" },
        { id: "eni-b", zone: "us-east-1b", ipv4: "10.20.16.20", ipv6: "2600:1f18:aaaa:a01::20" },
      ],
    },
    service: {
      id: "vpce-svc-0123",
      supportedIpAddressTypes: ["ipv4", "ipv6"],
      privateDnsName: "api.example.com",
      loadBalancers: [
        {
          arn: "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/svc/1",
          name: "svc",
          ipAddressType: "dualstack",
          securityGroups: [nlbSg],
          enforceOnPrivateLink: "off",
          subnetCidrs: ["10.10.0.0/20", "10.10.16.0/20"],
          listeners: [
            {
              port: 8080,
              targetGroups: [
                {
                  arn: "arn:tg",
                  name: "svc-8080",
                  port: 8080,
                  healthCheckPort: "traffic-port",
                  targets: [
                    { id: "i-t1", port: 8080, state: "healthy", securityGroups: [targetSg] },
                    { id: "i-t2", port: 8080, state: "healthy", securityGroups: [targetSg] },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
  };
}

const regional: ProbeTarget = { name: "vpce-0abc-1234.vpce-svc-0123.us-east-1.vpce.amazonaws.com", kind: "regional", port: 8080, family: "ipv4" };
/** A path changed by `edit`, which receives a deep copy it may mutate. */
const broken = (edit: (p: Mutable<ConsumerPath>) => void): ConsumerPath => {
  const copy = structuredClone(healthyPath()) as Mutable<ConsumerPath>;
  edit(copy);
  return copy;
};
// biome-ignore lint/suspicious/noExplicitAny: the cases rewrite nested readonly facts of a copy.
type Mutable<T> = any & T;

describe("security group rules", () => {
  test("CIDRs hold addresses of their own family only, IPv4 and IPv6", () => {
    expect(cidrContains("10.20.0.0/16", "10.20.255.1")).toBe(true);
    expect(cidrContains("10.20.0.0/16", "10.21.0.1")).toBe(false);
    expect(cidrContains("2600:1f18:aaaa:a00::/56", "2600:1f18:aaaa:aff::1")).toBe(true);
    expect(cidrContains("2600:1f18:aaaa:a00::/56", "2600:1f18:aaaa:b00::1")).toBe(false);
    expect(cidrContains("0.0.0.0/0", "::1")).toBe(false);
  });

  test("a rule admits its protocol and port range, from its CIDRs or its referenced groups; all-traffic rules admit every port", () => {
    expect(ruleAdmits(tcp(8080, ["10.0.0.0/8"]), 8080, { address: "10.1.2.3", groups: [] })).toBe(true);
    expect(ruleAdmits(tcp(8080, ["10.0.0.0/8"]), 8081, { address: "10.1.2.3", groups: [] })).toBe(false);
    expect(ruleAdmits({ protocol: "udp", fromPort: 8080, toPort: 8080, cidrs: ["10.0.0.0/8"], groups: [] }, 8080, { address: "10.1.2.3", groups: [] })).toBe(
      false,
    );
    expect(ruleAdmits(tcp(8080, [], ["sg-nlb"]), 8080, { groups: ["sg-nlb"] })).toBe(true);
    expect(ruleAdmits({ protocol: "-1", cidrs: ["10.0.0.0/8"], groups: [] }, 22, { address: "10.9.9.9", groups: [] })).toBe(true);
  });

  test("a load balancer node stands at its subnet's fifth address", () => {
    expect(firstUsableAddress("10.10.16.0/20")).toBe("10.10.16.4");
  });
});

describe("the first blocking component", () => {
  test("a healthy path has none, on every name and family", () => {
    for (const name of healthyPath().endpoint.dnsNames) {
      for (const family of ["ipv4", "ipv6"] as const) {
        const kind = name === regional.name ? "regional" : "zonal";
        expect(firstBlocker(healthyPath(), { name, kind, port: 8080, family })).toBeUndefined();
      }
    }
  });

  test.each([
    ["a stopped client", (p: Mutable<ConsumerPath>) => (p.client.state = "stopped"), "client instance", "i-client", "is stopped, not running"],
    [
      "the client's egress",
      (p: Mutable<ConsumerPath>) => (p.client.securityGroups[0].egress = []),
      "client security group egress",
      "sg-client",
      "admits no tcp/8080 to 10.20.0.20",
    ],
    [
      "an endpoint pending acceptance",
      (p: Mutable<ConsumerPath>) => (p.endpoint.state = "pendingAcceptance"),
      "interface endpoint",
      "vpce-0abc",
      "is pendingAcceptance: the provider has not accepted its connection (the acceptance stack)",
    ],
    [
      "a rejected endpoint",
      (p: Mutable<ConsumerPath>) => (p.endpoint.state = "rejected"),
      "interface endpoint",
      "vpce-0abc",
      "is rejected: it carries no traffic",
    ],
    [
      "the endpoint's ingress",
      (p: Mutable<ConsumerPath>) => (p.endpoint.securityGroups[0].ingress = [tcp(8080, ["10.30.0.0/16"])]),
      "endpoint security group ingress",
      "sg-endpoint",
      "admits no tcp/8080 from 10.20.0.10",
    ],
    [
      "a deleted service",
      (p: Mutable<ConsumerPath>) => (p.service = undefined),
      "endpoint service",
      "com.amazonaws.vpce.us-east-1.vpce-svc-0123",
      "does not exist in the provider account",
    ],
    [
      "NLB security groups enforced on PrivateLink traffic without the client's range",
      (p: Mutable<ConsumerPath>) => (p.service.loadBalancers[0].enforceOnPrivateLink = "on"),
      "load balancer security group",
      "sg-nlb",
      "enforces its inbound rules on PrivateLink traffic and admits no tcp/8080 from 10.20.0.10",
    ],
    ["a missing listener", (p: Mutable<ConsumerPath>) => (p.service.loadBalancers[0].listeners = []), "listener", "svc", "no listener on port 8080"],
    [
      "targets whose group does not admit the NLB",
      (p: Mutable<ConsumerPath>) => {
        for (const t of p.service.loadBalancers[0].listeners[0].targetGroups[0].targets) {
          t.state = "unhealthy";
          t.reason = "Target.Timeout";
          t.securityGroups = [group("sg-targets", [tcp(8080, ["192.168.0.0/16"])])];
        }
      },
      "target security group",
      "sg-targets",
      "of i-t1 admits no tcp/8080 from the load balancer sg-nlb",
    ],
    [
      "stopped targets",
      (p: Mutable<ConsumerPath>) => {
        for (const t of p.service.loadBalancers[0].listeners[0].targetGroups[0].targets) {
          t.state = "unused";
          t.reason = "Target.InvalidState";
          t.description = "Target is in the stopped state";
        }
      },
      "target group",
      "svc-8080",
      "has no healthy target: unused (Target.InvalidState: Target is in the stopped state)",
    ],
    [
      "an empty target group",
      (p: Mutable<ConsumerPath>) => (p.service.loadBalancers[0].listeners[0].targetGroups[0].targets = []),
      "target group",
      "svc-8080",
      "has no registered target",
    ],
  ])("%s", (_case, edit, component, id, reason) => {
    expect(firstBlocker(broken(edit), regional)).toEqual({ component, id, reason });
  });

  test("IPv6 through a hop that is IPv4 only: DNS records, the client, the endpoint, the service, the NLB", () => {
    const v6 = { ...regional, family: "ipv6" as const };
    const at = (edit: (p: Mutable<ConsumerPath>) => void) => {
      const b = firstBlocker(broken(edit), v6);
      return b && `${b.component} ${b.id}: ${b.reason}`;
    };
    expect(at((p) => (p.endpoint.dnsRecordIpType = "ipv4"))).toBe(
      "interface endpoint DNS vpce-0abc: publishes no AAAA records (DnsRecordIpType ipv4): the path is IPv4 only",
    );
    expect(at((p) => (p.client.ipv6 = undefined))).toBe("client instance i-client: has no IPv6 address");
    expect(at((p) => (p.endpoint.interfaces[0].ipv6 = undefined))).toBe(
      "interface endpoint vpce-0abc: is IPv4 only (IpAddressType dualstack): eni-a has no IPv6 address",
    );
    expect(at((p) => (p.service.supportedIpAddressTypes = ["ipv4"]))).toBe("endpoint service vpce-svc-0123: supports IPv4 only (SupportedIpAddressTypes)");
    expect(at((p) => (p.service.loadBalancers[0].ipAddressType = "ipv4"))).toBe("load balancer svc: is IPv4 only (IpAddressType ipv4)");
  });

  test("a zonal name goes to its AZ's interface; the regional name to the client's own AZ", () => {
    const zonalB = { ...regional, name: "vpce-0abc-1234-us-east-1b.vpce-svc-0123.us-east-1.vpce.amazonaws.com", kind: "zonal" };
    const onlyA = (p: Mutable<ConsumerPath>) => (p.client.securityGroups[0].egress = [tcp(8080, ["10.20.0.0/20"])]);
    expect(firstBlocker(broken(onlyA), regional)).toBeUndefined();
    expect(firstBlocker(broken(onlyA), zonalB)?.reason).toBe("admits no tcp/8080 to 10.20.16.20");
  });

  test("healthy counts per listener port", () => {
    expect(healthOfPort(healthyPath(), 8080)).toBe("2/2");
    expect(healthOfPort(healthyPath(), 9090)).toBe("-");
  });
});

describe("what the check probes", () => {
  test("every endpoint name, then the private DNS name where the endpoint has it on, on every port, IPv6 only where dual stack", () => {
    const targets = probeTargets(
      broken((p) => (p.endpoint.privateDnsEnabled = true)),
      [443, 8080],
      false,
    );
    expect(targets.map((t) => `${t.kind} ${t.port} ${t.family}`)).toEqual([
      "regional 443 ipv4",
      "regional 8080 ipv4",
      "zonal 443 ipv4",
      "zonal 8080 ipv4",
      "zonal 443 ipv4",
      "zonal 8080 ipv4",
      "private DNS 443 ipv4",
      "private DNS 8080 ipv4",
    ]);
    expect(targets.at(-1)?.name).toBe("api.example.com");
    expect(probeTargets(healthyPath(), [8080], true).map((t) => t.family)).toEqual(["ipv4", "ipv6", "ipv4", "ipv6", "ipv4", "ipv6"]);
  });

  test("--kind and --family narrow the targets: the report's private DNS is private-dns, every resource NAME is resource", () => {
    const targets = [
      ...probeTargets(
        broken((p) => (p.endpoint.privateDnsEnabled = true)),
        [8080],
        true,
      ),
      { name: "rcfg.example", kind: "resource orders-db", port: 5432, family: "ipv4" as const },
    ];
    expect(targets.map((t) => kindOf(t))).toEqual(["regional", "regional", "zonal", "zonal", "zonal", "zonal", "private-dns", "private-dns", "resource"]);
    const named = (scope: Parameters<typeof inScope>[1]) => targets.filter((t) => inScope(t, scope)).map((t) => `${t.kind} ${t.family}`);
    expect(named({ kinds: ["regional", "resource"] })).toEqual(["regional ipv4", "regional ipv6", "resource orders-db ipv4"]);
    expect(named({ kinds: ["private-dns"], family: "ipv6" })).toEqual(["private DNS ipv6"]);
    // A resource is probed over IPv4 only: asking for IPv6 leaves it out.
    expect(named({ kinds: ["resource"], family: "ipv6" })).toEqual([]);
    expect(named({})).toHaveLength(9);
  });

  test("the script defines probe, then calls it once per target", () => {
    const lines = probeCommands([regional, { ...regional, port: 443, family: "ipv6" }]);
    expect(lines[0]).toBe("probe() {");
    expect(lines.slice(-2)).toEqual([`probe ${regional.name} 8080 ipv4`, `probe ${regional.name} 443 ipv6`]);
    expect(lines.join("\n")).toContain("timeout 5 bash -c 'exec 3<>\"/dev/tcp/$0/$1\"'");
  });

  test("its output is read line by line; a target without a line has no answer, other lines are ignored", () => {
    const targets = [regional, { ...regional, port: 443 }, { ...regional, port: 9090 }];
    const output = `probe ${regional.name} 8080 ipv4 connected 3\n# blocked: nothing\nprobe ${regional.name} 443 ipv4 timeout\n`;
    expect(parseProbeOutput(output, targets).map((r) => [r.port, r.result, r.ms])).toEqual([
      [8080, "connected", 3],
      [443, "timeout", undefined],
      [9090, "no answer", undefined],
    ]);
  });
});

describe("the report", () => {
  const connected = { target: regional.name, kind: "regional", port: 8080, family: "ipv4" as const, result: "connected", ms: 4, healthy: "2/2" };
  const failed = {
    ...connected,
    result: "timeout",
    ms: undefined,
    blockedBy: { component: "endpoint security group ingress", id: "sg-endpoint", reason: "admits no tcp/8080 from 10.20.0.10" },
  };

  test("one table, then each failure's blocking component, then the verdict", () => {
    const text = reportTable([
      { consumer: "analytics", endpointId: "vpce-0abc", endpointState: "available", clientInstanceId: "i-client", probes: [connected, failed] },
    ]);
    expect(text.split("\n")[0]).toBe("analytics: endpoint vpce-0abc available, client i-client");
    expect(text).toMatch(/^consumer\s+target\s+port\s+family\s+result\s+healthy$/m);
    expect(text).toMatch(/^analytics\s+vpce-0abc-1234\.vpce-svc-0123\.us-east-1\.vpce\.amazonaws\.com \(regional\)\s+8080\s+ipv4\s+connected in 4 ms\s+2\/2$/m);
    expect(text).toContain(
      `analytics ${regional.name}:8080 ipv4: blocked by the endpoint security group ingress sg-endpoint: admits no tcp/8080 from 10.20.0.10`,
    );
    expect(text.trimEnd().split("\n").at(-1)).toBe("1 of 2 probes failed.");
  });

  test("passes only when every consumer was probed and every probe connected", () => {
    expect(allPassed([{ consumer: "a", probes: [connected] }])).toBe(true);
    expect(allPassed([{ consumer: "a", probes: [connected, failed] }])).toBe(false);
    expect(allPassed([{ consumer: "a", probes: [] }])).toBe(false);
    expect(
      allPassed([
        { consumer: "a", probes: [connected] },
        { consumer: "b", probes: [], error: "consumer b: not managed" },
      ]),
    ).toBe(false);
    expect(
      reportTable([{ consumer: "b", probes: [], error: "consumer b: not managed" }])
        .trimEnd()
        .split("\n")
        .at(-1),
    ).toBe("No probe ran: 1 consumer could not be probed.");
    const json = JSON.parse(reportJson([{ consumer: "b", probes: [], error: "consumer b: not managed" }]));
    expect(json).toEqual({ ok: false, consumers: [{ consumer: "b", probes: [], error: "consumer b: not managed" }] });
  });
});

describe("a shared resource through its Resource endpoint", () => {
  /** The first consumer's client reaching orders-db (10.10.3.7, ports 5432 and 7000-7001) through the provider's resource gateway. */
  function resourcePath(): ResourcePath {
    return {
      name: "orders-db",
      endpoint: {
        id: "vpce-0res",
        state: "available",
        serviceName: "",
        ipAddressType: "ipv4",
        dnsRecordIpType: "ipv4",
        dnsNames: ["vpce-0res-snra-1.rcfg-0abc.4x5y6z7.vpc-lattice-rsc.us-east-1.on.aws"],
        privateDnsEnabled: false,
        securityGroups: [group("sg-resource-endpoint", [tcp(5432, ["10.20.0.0/16"]), { ...tcp(7000, ["10.20.0.0/16"]), toPort: 7001 }])],
        interfaces: [{ id: "eni-r", zone: "us-east-1a", ipv4: "10.20.0.30" }],
        resourceConfigurationArn: "arn:aws:vpc-lattice:us-east-1:111111111111:resourceconfiguration/rcfg-0abc",
      },
      configuration: {
        id: "rcfg-0abc",
        arn: "arn:aws:vpc-lattice:us-east-1:111111111111:resourceconfiguration/rcfg-0abc",
        status: "ACTIVE",
        portRanges: ["5432", "7000-7001"],
        ipAddress: "10.10.3.7",
        gatewayId: "rgw-0abc",
      },
      gateway: {
        id: "rgw-0abc",
        status: "ACTIVE",
        securityGroups: [group("sg-gateway", [], [tcp(5432, ["10.10.3.7/32"]), { ...tcp(7000, ["10.10.3.7/32"]), toPort: 7001 }])],
      },
    };
  }
  const client = () => {
    const c = structuredClone(healthyPath().client) as Mutable<ConsumerPath["client"]>;
    c.securityGroups[0].egress = [tcp(5432, ["10.20.0.0/16"]), { ...tcp(7000, ["10.20.0.0/16"]), toPort: 7001 }];
    return c;
  };
  const brokenResource = (edit: (p: Mutable<ResourcePath>) => void): ResourcePath => {
    const copy = structuredClone(resourcePath()) as Mutable<ResourcePath>;
    edit(copy);
    return copy;
  };
  const orders = {
    name: "orders-db",
    dnsName: "orders-db.example.com",
    portRanges: [
      { from: 5432, to: 5432 },
      { from: 7000, to: 7001 },
    ],
  };
  const at = (port: number): ProbeTarget => ({ name: resourcePath().endpoint.dnsNames[0], kind: "resource orders-db", port, family: "ipv4" });

  test("its endpoint's name on each shared port, over IPv4 only; a range wider than 16 ports at its two ends", () => {
    expect(resourceTargets(resourcePath(), orders).map((t) => `${t.kind} ${t.port} ${t.family}`)).toEqual([
      "resource orders-db 5432 ipv4",
      "resource orders-db 7000 ipv4",
      "resource orders-db 7001 ipv4",
    ]);
    expect(
      resourceTargets(
        brokenResource((p) => (p.endpoint.dnsNames = [])),
        orders,
      ),
    ).toEqual([]);
    const span = (from: number, to: number) => probedPorts({ ...orders, portRanges: [{ from, to }] });
    expect(span(8000, 8015)).toHaveLength(16);
    expect(span(8000, 8016)).toEqual([8000, 8016]);
    expect(
      probedPorts({
        ...orders,
        portRanges: [
          { from: 5432, to: 5432 },
          { from: 5430, to: 5433 },
        ],
      }),
    ).toEqual([5432, 5430, 5431, 5433]);
  });

  test("a healthy path has no blocker on any shared port", () => {
    for (const port of [5432, 7000, 7001]) expect(firstResourceBlocker(client(), resourcePath(), at(port))).toBeUndefined();
  });

  test.each([
    [
      "the endpoint's ingress",
      (p: Mutable<ResourcePath>) => (p.endpoint.securityGroups[0].ingress = []),
      5432,
      "endpoint security group ingress",
      "sg-resource-endpoint",
      "admits no tcp/5432 from 10.20.0.10",
    ],
    [
      "an endpoint pending",
      (p: Mutable<ResourcePath>) => (p.endpoint.state = "pending"),
      5432,
      "Resource endpoint",
      "vpce-0res",
      "is pending: it carries no traffic",
    ],
    [
      "a configuration gone",
      (p: Mutable<ResourcePath>) => (p.configuration = undefined),
      5432,
      "resource configuration",
      "arn:aws:vpc-lattice:us-east-1:111111111111:resourceconfiguration/rcfg-0abc",
      "does not exist in the provider account",
    ],
    [
      "a port the configuration does not take",
      (p: Mutable<ResourcePath>) => (p.configuration.portRanges = ["5432"]),
      7001,
      "resource configuration",
      "rcfg-0abc",
      "takes no tcp/7001 (port ranges 5432)",
    ],
    ["a gateway gone", (p: Mutable<ResourcePath>) => (p.gateway = undefined), 5432, "resource gateway", "rgw-0abc", "does not exist in the provider account"],
    [
      "a gateway not active",
      (p: Mutable<ResourcePath>) => (p.gateway.status = "DELETE_IN_PROGRESS"),
      5432,
      "resource gateway",
      "rgw-0abc",
      "is DELETE_IN_PROGRESS, not ACTIVE",
    ],
    [
      "the gateway's egress to another address",
      (p: Mutable<ResourcePath>) => (p.gateway.securityGroups[0].egress = [tcp(5432, ["10.10.3.8/32"])]),
      5432,
      "resource gateway security group egress",
      "sg-gateway",
      "of rgw-0abc admits no tcp/5432 to 10.10.3.7",
    ],
  ])("%s blocks, named", (_, edit, port, component, id, reason) => {
    expect(firstResourceBlocker(client(), brokenResource(edit), at(port))).toEqual({ component, id, reason });
  });

  test("the client's egress blocks before the endpoint; a resource known by name needs the port in the gateway's egress", () => {
    const noEgress = client();
    noEgress.securityGroups[0].egress = [];
    expect(firstResourceBlocker(noEgress, resourcePath(), at(5432))).toMatchObject({ component: "client security group egress", id: "sg-client" });
    const byName = brokenResource((p) => {
      p.configuration.ipAddress = undefined;
      p.configuration.domainName = "orders-db.example.com";
      p.gateway.securityGroups[0].egress = [tcp(5432, ["10.10.0.0/16"])];
    });
    expect(firstResourceBlocker(client(), byName, at(5432))).toBeUndefined();
    expect(firstResourceBlocker(client(), byName, at(7000))).toEqual({
      component: "resource gateway security group egress",
      id: "sg-gateway",
      reason: "of rgw-0abc admits no tcp/7000 to orders-db.example.com",
    });
  });

  test("an IPv6 probe finds no AAAA record at a Resource endpoint", () => {
    expect(firstResourceBlocker(client(), resourcePath(), { ...at(5432), family: "ipv6" })).toMatchObject({
      component: "Resource endpoint DNS",
      reason: "publishes no AAAA records (DnsRecordIpType ipv4): the path is IPv4 only",
    });
  });
});

describe("finding the client of a stack deployed before its client_instance_id output", () => {
  // Only ec2.send is called; it answers with the instances given and records what it was asked.
  const clientsAnswering = (ids: string[]) => {
    const asked: unknown[] = [];
    const ec2 = {
      send: async (command: { input: unknown }) => {
        asked.push(command.input);
        return { Reservations: [{ Instances: ids.map((InstanceId) => ({ InstanceId })) }] };
      },
    };
    return { clients: { ec2, identity: "role consumer-deployer" } as unknown as AccountClients, asked };
  };

  test("asks EC2 for the one instance with the Name tag that is not terminated", async () => {
    const { clients, asked } = clientsAnswering(["i-0123"]);
    await expect(findClientByName(clients, "acme-analytics-client")).resolves.toBe("i-0123");
    expect(asked).toEqual([
      {
        Filters: [
          { Name: "tag:Name", Values: ["acme-analytics-client"] },
          { Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped"] },
        ],
      },
    ]);
  });

  test("none is undefined, two is an error naming both", async () => {
    await expect(findClientByName(clientsAnswering([]).clients, "acme-analytics-client")).resolves.toBeUndefined();
    await expect(findClientByName(clientsAnswering(["i-1", "i-2"]).clients, "acme-analytics-client")).rejects.toThrow(
      "several instances are named acme-analytics-client (i-1, i-2); the check probes from one client",
    );
  });

  test("the name looked for is the project's, the consumer's and client", () => {
    expect(clientInstanceName("acme", "analytics")).toBe("acme-analytics-client");
  });
});
