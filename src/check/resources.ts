import type { SharedResourceConfig } from "../config/types";
import { endpointHops } from "./diagnose";
import type { Blocker, ClientInstance, ProbeTarget, ResourcePath } from "./path";
import { groupsAdmit, idsOf } from "./security-groups";

// A shared resource is reached through the consumer's Resource endpoint, then
// the provider's VPC Lattice resource configuration and resource gateway.
// "Security group rules for resource gateways control outbound traffic from
// the resource gateway to resources"; the configuration's port ranges are the
// ports through which the resource can be accessed; a Resource endpoint's
// names have IPv4 records only, as the gateways this project creates are IPv4.
// https://docs.aws.amazon.com/vpc/latest/privatelink/resource-gateway.html
// https://docs.aws.amazon.com/vpc/latest/privatelink/resource-configuration.html

/** A range wider than this is probed at its two ends only, not port by port. */
const PORTS_PROBED_PER_RANGE = 16;

/** The ports of a shared resource the check probes: every port of a range of up to 16, the first and last of a wider one. */
export function probedPorts(resource: SharedResourceConfig): number[] {
  const ports = resource.portRanges.flatMap((r) =>
    r.to - r.from < PORTS_PROBED_PER_RANGE ? Array.from({ length: r.to - r.from + 1 }, (_, i) => r.from + i) : [r.from, r.to],
  );
  return [...new Set(ports)];
}

/**
 * The connections to make to a shared resource: its Resource endpoint's
 * name, on each port the config shares ({@link probedPorts}), over IPv4.
 */
export function resourceTargets(path: ResourcePath, resource: SharedResourceConfig): ProbeTarget[] {
  const name = path.endpoint.dnsNames[0];
  if (!name) return [];
  const ports = probedPorts(resource);
  // The report's kind of a resource's probes: `resource orders-db`.
  return ports.map((port) => ({ name, kind: `resource ${resource.name}`, port, family: "ipv4" }));
}

/** Whether a port lies in one of the configuration's ranges (`5432`, `7000-7001`). */
function inRanges(port: number, ranges: readonly string[]): boolean {
  return ranges.some((range) => {
    const [low, high = low] = range.split("-").map(Number);
    return low <= port && port <= high;
  });
}

/**
 * The first component along a consumer's path to a shared resource that
 * stops the connection: the consumer's own hops (as for the interface
 * endpoint), then the resource configuration (present, its ports), the
 * resource gateway (active, its egress to the resource). For a resource known
 * by domain name, the gateway's egress is checked for the port only, as the
 * address the name resolves to is not in the API. Undefined when every hop
 * admits it: the resource itself (listening, admitting the gateway) is then
 * what is left.
 */
export function firstResourceBlocker(client: ClientInstance, path: ResourcePath, target: ProbeTarget): Blocker | undefined {
  const hops = endpointHops(client, path.endpoint, target, "Resource endpoint");
  if ("component" in hops) return hops;
  const { configuration, gateway } = path;
  const { port } = target;
  if (!configuration) {
    return { component: "resource configuration", id: path.endpoint.resourceConfigurationArn ?? "-", reason: "does not exist in the provider account" };
  }
  if (configuration.status !== "ACTIVE") return { component: "resource configuration", id: configuration.id, reason: `is ${configuration.status}, not ACTIVE` };
  if (!inRanges(port, configuration.portRanges)) {
    return { component: "resource configuration", id: configuration.id, reason: `takes no tcp/${port} (port ranges ${configuration.portRanges.join(", ")})` };
  }
  if (!gateway) return { component: "resource gateway", id: configuration.gatewayId, reason: "does not exist in the provider account" };
  if (gateway.status !== "ACTIVE") return { component: "resource gateway", id: gateway.id, reason: `is ${gateway.status}, not ACTIVE` };
  const to = configuration.ipAddress;
  const admits = to
    ? groupsAdmit(gateway.securityGroups, "egress", port, { address: to, groups: [] })
    : gateway.securityGroups.some((g) =>
        g.egress.some((r) => r.protocol === "-1" || (["tcp", "6"].includes(r.protocol) && (r.fromPort ?? 0) <= port && port <= (r.toPort ?? 65535))),
      );
  if (!admits) {
    return {
      component: "resource gateway security group egress",
      id: idsOf(gateway.securityGroups),
      reason: `of ${gateway.id} admits no tcp/${port} to ${to ?? configuration.domainName ?? "the resource"}`,
    };
  }
  return undefined;
}
