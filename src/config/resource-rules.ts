import type { Problems } from "./errors";
import type { ResourceInput } from "./resource-schema";
import type { PortRange, SharedResourceConfig } from "./types";

/** Rules of the resources the provider shares (`provider.resources`) and of the consumers that reach them (`consumers[].resources`). */

/**
 * Each resource: exactly one address (a DNS name or an IP address, as a
 * resource configuration's definition takes one), ports within 1-65535,
 * ranges from low to high, none overlapping another; names unique.
 */
export function resolveResources(resources: readonly (ResourceInput | undefined)[], path: string, problems: Problems): SharedResourceConfig[] {
  const seen = new Map<string, number>();
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
    } else seen.set(resource.name, i);
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
