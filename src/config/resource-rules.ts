import { cidrContains } from "./cidr";
import type { Problems } from "./errors";
import type { ResourceInput } from "./resource-schema";
import type { PortRange, PrivateLinkConfig, SharedResourceConfig } from "./types";

/** Rules of the resources the provider shares (`provider.resources`) and of the consumers that reach them (`consumers[].resources`). */

/**
 * Each resource: exactly one address (a DNS name or an IP address, as a
 * resource configuration's definition takes one), ports within 1-65535,
 * ranges from low to high, none overlapping another; names unique.
 */
export function resolveResources(
  resources: readonly (ResourceInput | undefined)[],
  path: string,
  problems: Problems,
  vpcCidr?: string,
): SharedResourceConfig[] {
  const seen = new Map<string, number>();
  const normalised = new Map<string, number>();
  return resources.flatMap((resource, i) => {
    // One that does not type-check is reported by the schema; the others are still checked.
    if (!resource) return [];
    const at = `${path}[${i}]`;
    const first = seen.get(resource.name);
    if (first !== undefined) {
      problems.push({
        code: "resource.name-repeated",
        path: `${at}.name`,
        message: `expected a unique resource name; ${path}[${first}] is already named ${resource.name}`,
        value: resource.name,
      });
    } else {
      seen.set(resource.name, i);
      // The stacks name the gateway's configuration after the resource with runs of hyphens collapsed (VPC Lattice refuses "--").
      const collapsed = resource.name.replace(/-{2,}/g, "-");
      const other = normalised.get(collapsed);
      if (other !== undefined) {
        problems.push({
          code: "resource.name-collides",
          path: `${at}.name`,
          message:
            `expected a name distinct from ${path}[${other}].name once runs of hyphens are collapsed ` +
            `(both become ${collapsed} in the resource configuration's name)`,
          value: resource.name,
        });
      } else normalised.set(collapsed, i);
    }
    if (resource.ipAddress !== undefined) checkResourceAddress(resource.ipAddress, `${at}.ipAddress`, vpcCidr, problems);
    if (resource.dnsName !== undefined) checkResourceDomain(resource.dnsName, `${at}.dnsName`, problems);
    if ((resource.dnsName === undefined) === (resource.ipAddress === undefined)) {
      problems.push({
        code: resource.dnsName === undefined ? "resource.address-missing" : "resource.address-both",
        path: at,
        message:
          resource.dnsName === undefined
            ? "expected dnsName or ipAddress: the address the resource gateway reaches the resource at"
            : "expected one of dnsName and ipAddress, not both: a resource configuration names one address",
        value: { dnsName: resource.dnsName, ipAddress: resource.ipAddress },
      });
    }
    const portRanges = resource.ports.map((port, j) => portRangeOf(port, `${at}.ports[${j}]`, problems));
    portRanges.forEach((range, j) => {
      const other = portRanges.findIndex((o, k) => k < j && o.from <= range.to && range.from <= o.to);
      if (other >= 0) {
        problems.push({
          code: "resource.port-overlap",
          path: `${at}.ports[${j}]`,
          message: `expected ports that do not overlap; ${at}.ports[${other}] already covers part of it`,
          value: resource.ports[j],
        });
      }
    });
    return [{ name: resource.name, dnsName: resource.dnsName, ipAddress: resource.ipAddress, portRanges }];
  });
}

/**
 * Addresses no resource configuration can target: "this network",
 * loopback, link-local (the instance metadata service's 169.254.169.254
 * among them), multicast and the reserved block with the broadcast address.
 */
const UNREACHABLE: readonly (readonly [string, string])[] = [
  ["0.0.0.0/8", "an unspecified address"],
  ["127.0.0.0/8", "a loopback address"],
  ["169.254.0.0/16", "a link-local address (the instance metadata service's among them)"],
  ["224.0.0.0/4", "a multicast address"],
  ["240.0.0.0/4", "a reserved or the broadcast address"],
];

/**
 * A resource's IP address: one the resource gateway can reach, in the
 * provider VPC (checked where the stacks create the VPC; an existing VPC's
 * CIDRs are not known offline). The resource definition takes "an IP
 * address in the VPC" of the resource gateway
 * (https://docs.aws.amazon.com/vpc-lattice/latest/ug/resource-configuration.html#resource-definition).
 */
function checkResourceAddress(ip: string, path: string, vpcCidr: string | undefined, problems: Problems): void {
  const kind = UNREACHABLE.find(([block]) => cidrContains(block, `${ip}/32`));
  if (kind) {
    problems.push({ code: "resource.address-unreachable", path, message: `expected a private address of the provider VPC, not ${kind[1]}`, value: ip });
  } else if (vpcCidr && !cidrContains(vpcCidr, `${ip}/32`)) {
    problems.push({
      code: "resource.address-outside-vpc",
      path,
      message: `expected an address in the provider VPC (${vpcCidr}): a resource configuration targets IP addresses of its resource gateway's VPC only`,
      value: ip,
    });
  }
}

/**
 * Top-level domains that never resolve in public DNS: the special-use names
 * of RFC 6761 (test, localhost, invalid, example), mDNS's local (RFC 6762),
 * home.arpa (RFC 8375), internal (reserved by ICANN for private use, 2024)
 * and names ICANN will not delegate for their collision risk (corp, home,
 * lan, mail).
 */
const PRIVATE_ONLY = ["internal", "local", "localhost", "test", "invalid", "example", "home.arpa", "corp", "home", "lan", "mail"];

/** The longest DNS name, in text form without the final dot (RFC 1035 §2.3.4, 255 octets on the wire). */
const DNS_NAME_MAX = 253;

/**
 * A resource's domain name: within DNS's length, and one public DNS can
 * answer. VPC Lattice resolves a resource configuration's domain name with
 * public DNS, not the VPC's resolver (the pinned provider offers no
 * in-VPC resolution), so a name under a private-only suffix, or only in a
 * private hosted zone, never resolves
 * (https://docs.aws.amazon.com/vpc-lattice/latest/ug/resource-configuration.html#resource-definition).
 */
function checkResourceDomain(name: string, path: string, problems: Problems): void {
  if (name.length > DNS_NAME_MAX) {
    problems.push({
      code: "resource.dns-name-length",
      path,
      message: `expected a DNS name of at most ${DNS_NAME_MAX} characters; it is ${name.length}`,
      value: name,
    });
  }
  const suffix = PRIVATE_ONLY.find((tld) => name === tld || name.endsWith(`.${tld}`));
  if (suffix) {
    problems.push({
      code: "resource.dns-name-private",
      path,
      message:
        `expected a name public DNS resolves, not one under .${suffix}: VPC Lattice resolves a resource's domain name in public DNS, ` +
        "so use a public zone's name (or ipAddress)",
      value: name,
    });
  }
}

const PORT_RANGE = "expected a port range within 1-65535, lowest port first";

function portRangeOf(port: number | string, path: string, problems: Problems): PortRange {
  if (typeof port === "number") return { from: port, to: port };
  const [from, to] = port.split("-").map(Number);
  if (!(from >= 1 && to <= 65535 && from <= to))
    problems.push({ code: "resource.port-range", path, message: `${PORT_RANGE}, such as "8000-8100"`, value: port });
  return { from, to };
}

/** "5432", or "8000-8100": a port range as VPC Lattice takes it. */
export function portRangeText(range: PortRange): string {
  return range.from === range.to ? String(range.from) : `${range.from}-${range.to}`;
}

/**
 * A consumer's resources: each one the provider shares, once, and only in the
 * provider's region. AWS RAM is regional: "The principals you share with can
 * access resource shares in only the AWS Regions in which they were created"
 * (https://docs.aws.amazon.com/ram/latest/userguide/working-with-regional-vs-global.html),
 * and a resource endpoint takes a resource configuration of its own region;
 * cross-region access is offered for endpoint services only.
 */
export function checkConsumerResources(
  names: readonly string[],
  path: string,
  shared: readonly string[] | undefined,
  serviceRegion: string | undefined,
  problems: Problems,
): void {
  names.forEach((name, i) => {
    if (shared && !shared.includes(name)) {
      problems.push({
        code: "consumer.resource-unknown",
        path: `${path}.resources[${i}]`,
        message: `expected the name of a provider resource (${shared.join(", ") || "provider.resources is empty"})`,
        value: name,
      });
    }
    if (names.indexOf(name) < i) {
      problems.push({ code: "consumer.resource-repeated", path: `${path}.resources[${i}]`, message: "expected each resource once", value: name });
    }
  });
  if (names.length > 0 && serviceRegion !== undefined) {
    problems.push({
      code: "consumer.resources-cross-region",
      path: `${path}.resources`,
      message:
        `expected no resources for a consumer in another region than the provider (${serviceRegion}): AWS does not support it; RAM shares are ` +
        "regional, and a resource endpoint reaches resource configurations of its own region only",
      value: names,
    });
  }
}

/**
 * AWS's default quota of inbound, and of outbound, rules per security
 * group; each CIDR of a rule counts as one, IPv4 and IPv6 apart
 * (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups).
 */
const RULES_PER_GROUP = 60;

/**
 * The shared resources' ports fit the security groups they become rules
 * of: the resource gateway's egress (a rule per port range, to the
 * resource's address or the provider VPC) and each consumer's Resource
 * endpoint group's ingress (a rule per port range and allowed client CIDR).
 * An existing VPC's CIDRs are counted as one: they are read at plan time.
 */
export function checkRuleQuota(config: PrivateLinkConfig, problems: Problems): void {
  const { resources } = config.provider;
  const gateway = resources.reduce((n, r) => n + r.portRanges.length, 0);
  if (gateway > RULES_PER_GROUP) {
    problems.push({
      code: "resource.rules-over-quota",
      path: "provider.resources",
      message:
        `expected at most ${RULES_PER_GROUP} port ranges in all, AWS's default quota of outbound rules of the resource gateway's ` +
        `security group; they are ${gateway}`,
      value: resources.map((r) => r.name),
    });
  }
  config.consumers.forEach((consumer, i) => {
    const ranges = resources.filter((r) => consumer.resources.includes(r.name)).reduce((n, r) => n + r.portRanges.length, 0);
    const clients = consumer.allowedClientCidrs?.length ?? 1;
    if (ranges * clients > RULES_PER_GROUP) {
      problems.push({
        code: "resource.rules-over-quota",
        path: `consumers[${i}].resources`,
        message:
          `expected at most ${RULES_PER_GROUP} inbound rules in its Resource endpoints' security group (AWS's default quota): ` +
          `${ranges} port ranges from ${clients} client CIDRs make ${ranges * clients}`,
        value: consumer.resources,
      });
    }
  });
}
