import { type PlanJson, refusalMessage, refusedChanges, reviewPlan, summaryMarkdown, trafficChanges } from "../src/lifecycle/review";
import { consumersFirst } from "../src/lifecycle/topology";
import { stackGraph } from "../src/wiring/stack-graph";
import { exampleConfig } from "./config-helpers";

// The deploy guard: which deletions and replacements interrupt the
// consumers' traffic, read from `terraform show -json` of a saved plan, and
// the refusal of `npm run deploy` before anything is applied.

/** A plan as Terraform 1.11 writes it for a consumer and a provider change (trimmed to the fields read). */
const plan: PlanJson = {
  resource_changes: [
    {
      address: "aws_lb.service_nlb_6D3F0A11",
      type: "aws_lb",
      change: { actions: ["delete", "create"], replace_paths: [["subnets"]], before: { load_balancer_type: "network", name: "svc-nlb" } },
      action_reason: "replace_because_cannot_update",
    },
    {
      address: "aws_lb_listener.service_listener-443_0A1B2C3D",
      type: "aws_lb_listener",
      change: { actions: ["delete"], before: { port: 443 } },
      action_reason: "delete_because_no_resource_config",
    },
    {
      address: "aws_lb_target_group.service_tg-8443_1B2C3D4E",
      type: "aws_lb_target_group",
      change: { actions: ["create", "delete"], replace_paths: [["port"]] },
    },
    {
      address: "aws_vpc_endpoint.endpoint_endpoint_5E6F7A8B",
      type: "aws_vpc_endpoint",
      change: { actions: ["delete", "create"], replace_paths: [["vpc_id"]], before: { vpc_endpoint_type: "Interface" } },
    },
    { address: "aws_vpc_endpoint.network_s3_9A8B7C6D", type: "aws_vpc_endpoint", change: { actions: ["delete"], before: { vpc_endpoint_type: "Gateway" } } },
    {
      address: "aws_security_group.endpoint_sg_11223344",
      type: "aws_security_group",
      change: { actions: ["delete", "create"], replace_paths: [["description"]], before: { name: "demo-analytics-endpoint" } },
    },
    {
      address: "aws_security_group.client_sg_55667788",
      type: "aws_security_group",
      change: { actions: ["delete"], before: { name: "demo-analytics-client" } },
    },
    { address: "aws_vpc_endpoint_service.service_endpoint-service_AABBCCDD", type: "aws_vpc_endpoint_service", change: { actions: ["update"] } },
    { address: "aws_vpc_endpoint_connection_accepter.accepter", type: "aws_vpc_endpoint_connection_accepter", change: { actions: ["forget"] } },
  ],
  configuration: {
    root_module: {
      resources: [
        {
          address: "aws_vpc_endpoint.endpoint_endpoint_5E6F7A8B",
          type: "aws_vpc_endpoint",
          expressions: {
            vpc_endpoint_type: { constant_value: "Interface" },
            security_group_ids: { references: ["aws_security_group.endpoint_sg_11223344.id", "aws_security_group.endpoint_sg_11223344"] },
          },
        },
        {
          address: "aws_vpc_endpoint.network_s3_9A8B7C6D",
          type: "aws_vpc_endpoint",
          expressions: { vpc_endpoint_type: { constant_value: "Gateway" } },
        },
      ],
    },
  },
};

describe("which changes interrupt traffic", () => {
  const { risky } = reviewPlan(plan);
  const roles = Object.fromEntries(risky.map((c) => [c.address, c.traffic ?? "none"]));

  test("the NLB, a listener, an interface endpoint and the security group it uses; forgetting is not a deletion", () => {
    expect(roles).toEqual({
      "aws_lb.service_nlb_6D3F0A11": "load balancer",
      "aws_lb_listener.service_listener-443_0A1B2C3D": "listener",
      "aws_lb_target_group.service_tg-8443_1B2C3D4E": "none",
      "aws_vpc_endpoint.endpoint_endpoint_5E6F7A8B": "interface endpoint",
      "aws_vpc_endpoint.network_s3_9A8B7C6D": "none",
      "aws_security_group.endpoint_sg_11223344": "endpoint security group",
      "aws_security_group.client_sg_55667788": "none",
    });
    expect(risky.find((c) => c.traffic === "load balancer")?.forcedBy).toEqual(["subnets"]);
  });

  test("the endpoint service and a connection accepter count when deleted", () => {
    const deleted = reviewPlan({
      resource_changes: [
        { address: "aws_vpc_endpoint_service.s", type: "aws_vpc_endpoint_service", change: { actions: ["delete"] } },
        { address: "aws_vpc_endpoint_connection_accepter.accepter", type: "aws_vpc_endpoint_connection_accepter", change: { actions: ["delete"] } },
      ],
    });
    expect(deleted.risky.map((c) => c.traffic)).toEqual(["endpoint service", "connection accepter"]);
  });

  test("a shared resource's gateway, configuration and Resource endpoint count when deleted or replaced", () => {
    const shared = reviewPlan({
      resource_changes: [
        { address: "aws_vpclattice_resource_gateway.g", type: "aws_vpclattice_resource_gateway", change: { actions: ["delete", "create"] } },
        { address: "aws_vpclattice_resource_configuration.c", type: "aws_vpclattice_resource_configuration", change: { actions: ["delete"] } },
        {
          address: "aws_vpc_endpoint.orders_db",
          type: "aws_vpc_endpoint",
          change: { actions: ["delete"], before: { vpc_endpoint_type: "Resource" } },
        },
        { address: "aws_vpc_endpoint.ssm", type: "aws_vpc_endpoint", change: { actions: ["delete"], before: { vpc_endpoint_type: "Gateway" } } },
      ],
    });
    expect(shared.risky.map((c) => [c.address, c.traffic ?? "none"])).toEqual([
      ["aws_vpclattice_resource_gateway.g", "resource gateway"],
      ["aws_vpclattice_resource_configuration.c", "resource configuration"],
      ["aws_vpc_endpoint.orders_db", "resource endpoint"],
      ["aws_vpc_endpoint.ssm", "none"],
    ]);
  });

  const changes = trafficChanges([{ stack: "consumer-analytics", status: "changes", risky }]);

  test("deploy refuses every one not allowed; --allow-replace names one by STACK:ADDRESS or by address in any stack", () => {
    const none = { addresses: [], outage: false };
    expect(refusedChanges(changes, none)).toHaveLength(4);
    const refused = refusedChanges(changes, {
      addresses: [
        "consumer-analytics:aws_lb_listener.service_listener-443_0A1B2C3D",
        "aws_security_group.endpoint_sg_11223344",
        "provider:aws_vpc_endpoint.endpoint_endpoint_5E6F7A8B",
      ],
      outage: false,
    });
    // The endpoint was allowed in another stack only.
    expect(refused.map((c) => c.traffic)).toEqual(["load balancer", "interface endpoint"]);
  });

  test("--allow-outage lets everything through but a replaced NLB, which cannot apply", () => {
    expect(refusedChanges(changes, { addresses: [], outage: true }).map((c) => c.address)).toEqual(["aws_lb.service_nlb_6D3F0A11"]);
    expect(refusedChanges(changes, { addresses: ["aws_lb.service_nlb_6D3F0A11"], outage: true })).toHaveLength(1);
  });

  test("the refusal names each address, why, and the flag that allows it", () => {
    const message = refusalMessage(refusedChanges(changes, { addresses: [], outage: false }));
    expect(message).toMatch(/^These changes would interrupt the consumers' traffic, so nothing was applied in any stack:/);
    expect(message).toContain(
      "consumer-analytics: destroy aws_lb_listener.service_listener-443_0A1B2C3D (listener; allow with --allow-replace consumer-analytics:aws_lb_listener.service_listener-443_0A1B2C3D)",
    );
    expect(message).toContain(
      "consumer-analytics: replace aws_lb.service_nlb_6D3F0A11 (load balancer, forced by subnets; cannot apply, even with --allow-outage)",
    );
    expect(message).toContain("keep the old listener and add the new one");
    expect(message).toMatch(/--allow-outage\.$/);
  });

  test("the review sheet lists them first, under their own heading, with what to do instead", () => {
    const md = summaryMarkdown("config/example.json", [{ stack: "consumer-analytics", status: "changes", counts: reviewPlan(plan).counts, risky }]);
    const heading = md.indexOf("## ⚠ Changes that interrupt the consumers' traffic");
    expect(heading).toBeGreaterThan(0);
    expect(heading).toBeLessThan(md.indexOf("| stack |"));
    expect(md).toContain(
      "- `consumer-analytics`: **destroy** `aws_lb_listener.service_listener-443_0A1B2C3D` (delete_because_no_resource_config), the listener.",
    );
    expect(md).toContain("(the load balancer changes cannot apply at all, even with `--allow-outage`)");
    const quiet = summaryMarkdown("c.json", [{ stack: "provider", status: "no changes", counts: reviewPlan({}).counts, risky: [] }]);
    expect(quiet).toContain("## Changes that interrupt the consumers' traffic\n\nNone: nothing that carries it is deleted or replaced (the NLB, a listener, ");
    expect(quiet).toContain("a shared resource's gateway, its configuration, its endpoint or a VPC or subnet (replacing one)), and no IPv6 block removed.");
    expect(quiet).not.toContain("retired");
    const retiring = summaryMarkdown("c.json", [], ["acceptance-analytics: acceptance is off; deploy forgets it"]);
    expect(retiring).toContain("## Stacks retired by deploy\n\n- acceptance-analytics: acceptance is off; deploy forgets it");
  });
});

describe("a new network", () => {
  test("replacing a VPC or a subnet cannot apply: refused even with --allow-outage; deleting a subnet (an AZ removed) is not refused", () => {
    const replaced = (address: string, type: string, forced: string) => ({
      address,
      type,
      change: { actions: ["delete", "create"], replace_paths: [[forced]], before: {}, after: {} },
    });
    const network = reviewPlan({
      resource_changes: [
        replaced("aws_vpc.network_vpc_1", "aws_vpc", "cidr_block"),
        replaced("aws_subnet.network_private-0_2", "aws_subnet", "cidr_block"),
        { address: "aws_subnet.network_private-2_4", type: "aws_subnet", change: { actions: ["delete"], before: {}, after: null } },
        replaced("aws_route_table.network_private_5", "aws_route_table", "vpc_id"),
      ],
    });
    expect(network.risky.map((c) => [c.address, c.traffic])).toEqual([
      ["aws_vpc.network_vpc_1", "VPC or subnet"],
      ["aws_subnet.network_private-0_2", "VPC or subnet"],
      ["aws_subnet.network_private-2_4", undefined],
      ["aws_route_table.network_private_5", undefined],
    ]);
    const changes = trafficChanges([{ stack: "provider", status: "changes", risky: network.risky }]);
    const refused = refusedChanges(changes, { addresses: ["provider:aws_vpc.network_vpc_1"], outage: true });
    expect(refused.map((c) => c.address)).toEqual(["aws_vpc.network_vpc_1", "aws_subnet.network_private-0_2"]);
    expect(refusalMessage(refused)).toContain("replace aws_vpc.network_vpc_1 (VPC or subnet, forced by cidr_block; cannot apply, even with --allow-outage)");
    expect(refusalMessage(refused)).toContain("DependencyViolation");
  });
});

describe("turning dual stack off", () => {
  const serviceUpdate = (before: string[], after: string[]): PlanJson => ({
    resource_changes: [
      {
        address: "aws_vpc_endpoint_service.s",
        type: "aws_vpc_endpoint_service",
        change: { actions: ["update"], before: { supported_ip_address_types: before }, after: { supported_ip_address_types: after } },
      },
    ],
  });

  test("a plan that takes IPv6 off the endpoint service is recognized; adding it or keeping it is not", () => {
    expect(reviewPlan(serviceUpdate(["ipv4", "ipv6"], ["ipv4"])).dropsIpv6).toBe(true);
    expect(reviewPlan(serviceUpdate(["ipv4"], ["ipv4", "ipv6"])).dropsIpv6).toBe(false);
    expect(reviewPlan(serviceUpdate(["ipv4", "ipv6"], ["ipv4", "ipv6"])).dropsIpv6).toBe(false);
  });

  test("taking the IPv6 block off a created VPC or subnet cannot apply: refused even with --allow-outage, pointing at dualStack", () => {
    const network = reviewPlan({
      resource_changes: [
        {
          address: "aws_vpc.network_vpc_1",
          type: "aws_vpc",
          change: { actions: ["update"], before: { assign_generated_ipv6_cidr_block: true }, after: { assign_generated_ipv6_cidr_block: false } },
        },
        {
          address: "aws_subnet.network_private-0_2",
          type: "aws_subnet",
          change: { actions: ["update"], before: { ipv6_cidr_block: "2600:1f18:1:2::/64" }, after: { ipv6_cidr_block: "" } },
        },
        {
          address: "aws_subnet.network_private-1_3",
          type: "aws_subnet",
          change: { actions: ["update"], before: { ipv6_cidr_block: "" }, after: { ipv6_cidr_block: "2600:1f18:1:3::/64" } },
        },
      ],
    });
    expect(network.risky.map((c) => [c.address, c.traffic])).toEqual([
      ["aws_vpc.network_vpc_1", "IPv6 block"],
      ["aws_subnet.network_private-0_2", "IPv6 block"],
    ]);
    const changes = trafficChanges([{ stack: "provider", status: "changes", risky: network.risky }]);
    expect(refusedChanges(changes, { addresses: [], outage: true })).toHaveLength(2);
    expect(refusalMessage(changes)).toContain("keep network.ipv6 and set provider.service.dualStack to false");
  });

  test("then the consumers deploy before the provider, each after its own bucket; acceptance still follows its consumer", () => {
    const order = consumersFirst(stackGraph(exampleConfig()));
    const after = Object.fromEntries(order.map((n) => [n.name, n.after]));
    expect(after["consumer-analytics"]).toEqual(["bootstrap-analytics"]);
    expect(after.provider).toEqual(["bootstrap-provider", "consumer-analytics", "consumer-reporting"]);
    expect(after["acceptance-analytics"]).toEqual(["consumer-analytics"]);
  });
});
