import type { Blocker, ClientInstance, ConsumerPath, Endpoint, EndpointInterface, LoadBalancer, ProbeTarget, TargetGroup } from "./path";
import { type Peer, firstUsableAddress, groupsAdmit, idsOf } from "./security-groups";

/**
 * The first component along a consumer's path that stops a connection to
 * the target, as the API describes the path, in the order traffic crosses
 * it: the client's address and its security groups' egress, the endpoint's
 * DNS records, state and security groups' ingress, the endpoint service,
 * the load balancer (IP family, security groups on PrivateLink traffic), the
 * listener, and the target group's healthy targets. Undefined when every hop
 * admits it; what the API cannot show (a process not listening on a target,
 * a host firewall) is then the only explanation left.
 */
export function firstBlocker(path: ConsumerPath, target: ProbeTarget): Blocker | undefined {
  const { endpoint, service } = path;
  const hops = endpointHops(path.client, endpoint, target, "interface endpoint");
  if ("component" in hops) return hops;
  const { family } = target;
  if (!service) return { component: "endpoint service", id: endpoint.serviceName, reason: "does not exist in the provider account" };
  if (family === "ipv6" && !service.supportedIpAddressTypes.includes("ipv6")) {
    return { component: "endpoint service", id: service.id, reason: "supports IPv4 only (SupportedIpAddressTypes)" };
  }
  if (service.loadBalancers.length === 0) return { component: "endpoint service", id: service.id, reason: "has no load balancer" };
  for (const balancer of service.loadBalancers) {
    const blocked = loadBalancerBlocker(balancer, target, hops.clientAddress);
    if (blocked) return blocked;
  }
  return undefined;
}

/**
 * The hops in the consumer's own account, the same for an interface and a
 * Resource endpoint: the client, the endpoint's DNS records and interface,
 * the client's egress, the endpoint's state and its ingress. The client's
 * address when all of them admit the connection.
 */
export function endpointHops(client: ClientInstance, endpoint: Endpoint, target: ProbeTarget, kind: string): Blocker | { clientAddress: string } {
  const { port, family } = target;
  if (client.state !== "running") return { component: "client instance", id: client.id, reason: `is ${client.state}, not running` };
  // "DnsRecordIpType: ipv4 creates A records, ipv6 AAAA records, dualstack both" (EC2 API reference, DnsOptions).
  const records = family === "ipv6" ? ["ipv6", "dualstack"] : ["ipv4", "dualstack", "service-defined"];
  if (!records.includes(endpoint.dnsRecordIpType)) {
    return {
      component: `${kind} DNS`,
      id: endpoint.id,
      reason: `publishes no ${family === "ipv6" ? "AAAA" : "A"} records (DnsRecordIpType ${endpoint.dnsRecordIpType}): the path is IPv4 only`,
    };
  }
  const clientAddress = family === "ipv6" ? client.ipv6 : client.ipv4;
  if (!clientAddress) return { component: "client instance", id: client.id, reason: `has no ${family === "ipv6" ? "IPv6" : "IPv4"} address` };
  const hop = interfaceFor(client, endpoint, target);
  if (!hop) return { component: kind, id: endpoint.id, reason: `has no network interface for ${target.name}` };
  const endpointAddress = family === "ipv6" ? hop.ipv6 : hop.ipv4;
  if (!endpointAddress)
    return { component: kind, id: endpoint.id, reason: `is IPv4 only (IpAddressType ${endpoint.ipAddressType}): ${hop.id} has no IPv6 address` };
  const clientPeer: Peer = { address: clientAddress, groups: client.securityGroups.map((g) => g.id) };
  const endpointPeer: Peer = { address: endpointAddress, groups: endpoint.securityGroups.map((g) => g.id) };
  if (!groupsAdmit(client.securityGroups, "egress", port, endpointPeer)) {
    return { component: "client security group egress", id: idsOf(client.securityGroups), reason: `admits no tcp/${port} to ${endpointAddress}` };
  }
  // Only an available endpoint carries traffic (PrivateLink guide, "Accept or reject connection requests").
  if (endpoint.state !== "available") {
    const what = endpoint.state === "pendingAcceptance" ? "the provider has not accepted its connection (the acceptance stack)" : "it carries no traffic";
    return { component: kind, id: endpoint.id, reason: `is ${endpoint.state}: ${what}` };
  }
  if (!groupsAdmit(endpoint.securityGroups, "ingress", port, clientPeer)) {
    return { component: "endpoint security group ingress", id: idsOf(endpoint.securityGroups), reason: `admits no tcp/${port} from ${clientAddress}` };
  }
  return { clientAddress };
}

/** The endpoint interface a name leads the client to: the AZ's for a zonal name, else the client's own AZ's (or the first). */
function interfaceFor(client: ClientInstance, endpoint: Endpoint, target: ProbeTarget): EndpointInterface | undefined {
  if (target.kind === "zonal") return endpoint.interfaces.find((i) => target.name.split(".")[0].endsWith(`-${i.zone}`));
  return endpoint.interfaces.find((i) => i.zone === client.zone) ?? endpoint.interfaces[0];
}

function loadBalancerBlocker(balancer: LoadBalancer, { port, family }: ProbeTarget, clientAddress: string): Blocker | undefined {
  if (family === "ipv6" && balancer.ipAddressType !== "dualstack") {
    return { component: "load balancer", id: balancer.name, reason: `is IPv4 only (IpAddressType ${balancer.ipAddressType})` };
  }
  // "If you enable inbound rules for PrivateLink traffic, the source of the traffic is the client's private IP address"
  // (ELB guide, "Security groups for your Network Load Balancer").
  if (balancer.securityGroups.length > 0 && balancer.enforceOnPrivateLink === "on") {
    if (!groupsAdmit(balancer.securityGroups, "ingress", port, { address: clientAddress, groups: [] })) {
      return {
        component: "load balancer security group",
        id: idsOf(balancer.securityGroups),
        reason: `enforces its inbound rules on PrivateLink traffic and admits no tcp/${port} from ${clientAddress}`,
      };
    }
  }
  const listener = balancer.listeners.find((l) => l.port === port);
  if (!listener) return { component: "listener", id: balancer.name, reason: `no listener on port ${port}` };
  if (listener.targetGroups.some((g) => healthyOf(g) > 0)) return undefined;
  for (const group of listener.targetGroups) {
    const refusing = targetGroupsRefusing(balancer, group);
    if (refusing) return refusing;
  }
  const group = listener.targetGroups[0];
  if (!group) return { component: "listener", id: `${balancer.name}:${port}`, reason: "forwards to no target group" };
  const reasons = [...new Set(group.targets.map((t) => `${t.state}${t.reason ? ` (${t.reason}${t.description ? `: ${t.description}` : ""})` : ""}`))];
  return {
    component: "target group",
    id: group.name,
    reason: group.targets.length === 0 ? "has no registered target" : `has no healthy target: ${reasons.join("; ")}`,
  };
}

/**
 * A target security group that does not admit the load balancer on the
 * target port or the health-check port: from the load balancer's security
 * groups, or without any, from its subnets (ELB guide, "Target security
 * groups").
 */
function targetGroupsRefusing(balancer: LoadBalancer, group: TargetGroup): Blocker | undefined {
  const balancerSource = balancer.securityGroups.length > 0 ? idsOf(balancer.securityGroups) : balancer.name;
  for (const target of group.targets) {
    if (target.securityGroups.length === 0) continue;
    const checkPort = group.healthCheckPort === "traffic-port" ? target.port : Number(group.healthCheckPort);
    for (const port of new Set([target.port, checkPort])) {
      const sources: Peer[] =
        balancer.securityGroups.length > 0
          ? [{ groups: balancer.securityGroups.map((g) => g.id) }]
          : balancer.subnetCidrs.map((cidr) => ({ address: firstUsableAddress(cidr), groups: [] }));
      if (!sources.every((source) => groupsAdmit(target.securityGroups, "ingress", port, source))) {
        return {
          component: "target security group",
          id: idsOf(target.securityGroups),
          reason: `of ${target.id} admits no tcp/${port} from the load balancer ${balancerSource}`,
        };
      }
    }
  }
  return undefined;
}

/** How many of the group's targets are healthy. */
function healthyOf(group: TargetGroup): number {
  return group.targets.filter((t) => t.state === "healthy").length;
}

/** `healthy/registered` of the target groups behind the listener on the port, e.g. `2/2`; `-` without one. */
export function healthOfPort(path: ConsumerPath, port: number): string {
  const groups = (path.service?.loadBalancers ?? []).flatMap((b) => b.listeners.filter((l) => l.port === port).flatMap((l) => l.targetGroups));
  if (groups.length === 0) return "-";
  return `${groups.reduce((n, g) => n + healthyOf(g), 0)}/${groups.reduce((n, g) => n + g.targets.length, 0)}`;
}
