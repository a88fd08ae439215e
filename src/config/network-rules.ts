import { cidrContains, cidrSubnet, cidrsOverlap, prefixLength } from "./cidr";
import type { Problems } from "./errors";
import { resolveAwsEndpoints } from "./endpoint-rules";
import { azIdPrefix } from "./regions";
import { checkPartition } from "./rules";
import type { NetworkInput } from "./network-schema";
import type { ExistingNetworkConfig, NetworkConfig } from "./types";

/**
 * Rules of one network: its VPC range, AZ ids, subnets (derived when left
 * out) and AWS-service endpoints. Each pushes what is wrong onto `problems`
 * and the network comes back resolved.
 */

/** Extra prefix bits of a derived subnet: a /16 VPC gets /20 subnets. */
const DERIVED_SUBNET_NEW_BITS = 4;
/** Derived public subnets start at this index, after room for 8 private ones. */
const PUBLIC_SUBNET_INDEX_OFFSET = 8;
const MIN_VPC_PREFIX = 16;
const MAX_SUBNET_PREFIX = 28;

/**
 * Ranges a VPC may not use: this network, loopback, link-local, multicast
 * and the reserved class E (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html).
 */
const VPC_FORBIDDEN_RANGES: readonly (readonly [string, string])[] = [
  ["0.0.0.0/8", '"this network"'],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved"],
];

/** Fields of a VPC the stack creates, which an existing VPC (`vpcId`) excludes. */
const CREATED_VPC_FIELDS = ["cidr", "azIds", "privateSubnetCidrs", "publicSubnetCidrs", "publicSubnets", "flowLogs", "flowLogRetentionDays"] as const;

/**
 * A network is either a VPC the stack creates (`cidr`, `azIds`, …) or an
 * existing one (`vpcId`, `subnetIds`). Undefined when it is neither, or
 * both; the problems say which fields to keep.
 */
export function resolveNetwork(network: NetworkInput, path: string, region: string, problems: Problems): NetworkConfig | undefined {
  const awsEndpoints = resolveAwsEndpoints(network.awsEndpoints, network.sessionManager, region, `${path}.awsEndpoints`, problems);
  network.awsEndpoints.forEach((entry, i) => {
    for (const [j, arn] of (entry.policy?.resources ?? []).entries()) {
      checkPartition(arn, region, `${path}.awsEndpoints[${i}].policy.resources[${j}]`, problems);
    }
  });
  const common = { awsEndpoints, sessionManager: network.sessionManager, ipv6: network.ipv6 };
  if (network.vpcId !== undefined || network.subnetIds !== undefined) {
    return resolveExistingNetwork(network, path, common, problems);
  }
  if (network.cidr === undefined || network.azIds === undefined) {
    for (const field of ["cidr", "azIds"] as const) {
      if (network[field] !== undefined) continue;
      problems.push({
        code: "network.vpc-missing",
        path: `${path}.${field}`,
        message: "missing required field; expected cidr and azIds (a VPC the stack creates), or vpcId and subnetIds (an existing VPC)",
        value: undefined,
      });
    }
    return undefined;
  }
  const cidr = network.cidr;
  const azIds = network.azIds;
  const vpcPrefix = prefixLength(cidr);
  checkVpcRange(cidr, `${path}.cidr`, problems);
  checkAzIds(azIds, region, `${path}.azIds`, problems);

  if (network.publicSubnetCidrs && !network.publicSubnets) {
    problems.push({
      code: "subnet.public-without-public-subnets",
      path: `${path}.publicSubnetCidrs`,
      message: "public subnet CIDRs need publicSubnets: true",
      value: network.publicSubnetCidrs,
    });
  }

  const canDerive = vpcPrefix + DERIVED_SUBNET_NEW_BITS <= MAX_SUBNET_PREFIX;
  const subnets = (given: string[] | undefined, field: string, offset: number): string[] => {
    if (given) {
      if (given.length !== azIds.length) {
        problems.push({ code: "subnet.count", path: `${path}.${field}`, message: `expected one CIDR per AZ id (${azIds.length})`, value: given });
      }
      return given;
    }
    if (!canDerive) {
      problems.push({
        code: "subnet.vpc-too-small",
        path: `${path}.${field}`,
        message: `the VPC ${cidr} is too small to derive /${vpcPrefix + DERIVED_SUBNET_NEW_BITS} subnets from; list the subnet CIDRs`,
      });
      return [];
    }
    return azIds.map((_, i) => cidrSubnet(cidr, DERIVED_SUBNET_NEW_BITS, offset + i));
  };
  const privateSubnetCidrs = subnets(network.privateSubnetCidrs, "privateSubnetCidrs", 0);
  const publicSubnetCidrs = network.publicSubnets ? subnets(network.publicSubnetCidrs, "publicSubnetCidrs", PUBLIC_SUBNET_INDEX_OFFSET) : [];

  checkSubnets(
    cidr,
    [
      ...privateSubnetCidrs.map((cidr, i) => ({ cidr, path: `${path}.privateSubnetCidrs[${i}]` })),
      ...publicSubnetCidrs.map((cidr, i) => ({ cidr, path: `${path}.publicSubnetCidrs[${i}]` })),
    ],
    problems,
  );

  return {
    kind: "created",
    cidr,
    azIds,
    privateSubnetCidrs,
    publicSubnetCidrs,
    ...common,
    flowLogRetentionDays: (network.flowLogs ?? true) ? network.flowLogRetentionDays : undefined,
  };
}

/** A VPC's block: not in a range AWS forbids, and of a size AWS allows. */
function checkVpcRange(cidr: string, path: string, problems: Problems): void {
  const vpcPrefix = prefixLength(cidr);
  const forbidden = VPC_FORBIDDEN_RANGES.find(([range]) => cidrsOverlap(range, cidr));
  if (forbidden) {
    problems.push({
      code: "vpc.cidr-reserved-range",
      path,
      message:
        `expected a range AWS allows for a VPC; ${cidr} overlaps the ${forbidden[1]} range ${forbidden[0]} ` +
        "(RFC 1918 ranges such as 10.0.0.0/8 are the usual choice)",
      value: cidr,
    });
  }
  if (vpcPrefix < MIN_VPC_PREFIX || vpcPrefix > MAX_SUBNET_PREFIX) {
    problems.push({
      code: "vpc.cidr-size",
      path,
      message: `expected a VPC block from /${MIN_VPC_PREFIX} to /${MAX_SUBNET_PREFIX} (AWS VPC limits)`,
      value: cidr,
    });
  }
}

/** AZ ids of the network's region, each once. */
function checkAzIds(azIds: readonly string[], region: string, path: string, problems: Problems): void {
  const prefix = azIdPrefix(region);
  azIds.forEach((azId, i) => {
    if (prefix && !azId.startsWith(`${prefix}-`)) {
      problems.push({ code: "az.other-region", path: `${path}[${i}]`, message: `expected an AZ id of region ${region} (${prefix}-azN)`, value: azId });
    }
    if (azIds.indexOf(azId) !== i) {
      problems.push({ code: "az.repeated", path: `${path}[${i}]`, message: "expected each AZ id once; this one is repeated", value: azId });
    }
  });
}

/** Subnets inside the VPC `cidr`, of a size AWS allows, none overlapping another. */
function checkSubnets(cidr: string, all: readonly { cidr: string; path: string }[], problems: Problems): void {
  all.forEach((subnet, i) => {
    if (!cidrContains(cidr, subnet.cidr)) {
      problems.push({ code: "subnet.outside-vpc", path: subnet.path, message: `expected a subnet inside the VPC ${cidr}`, value: subnet.cidr });
    } else if (prefixLength(subnet.cidr) > MAX_SUBNET_PREFIX) {
      problems.push({
        code: "subnet.too-small",
        path: subnet.path,
        message: `expected a subnet of /${MAX_SUBNET_PREFIX} or larger (AWS minimum)`,
        value: subnet.cidr,
      });
    }
    const clash = all.slice(0, i).find((other) => cidrsOverlap(other.cidr, subnet.cidr));
    if (clash) {
      problems.push({
        code: "subnet.overlap",
        path: subnet.path,
        message: `expected a subnet that does not overlap ${clash.path} (${clash.cidr})`,
        value: subnet.cidr,
      });
    }
  });
}

/** An existing VPC: only `vpcId` and `subnetIds` (and what applies to any network), each subnet once. */
function resolveExistingNetwork(
  network: NetworkInput,
  path: string,
  common: Pick<ExistingNetworkConfig, "awsEndpoints" | "sessionManager" | "ipv6">,
  problems: Problems,
): ExistingNetworkConfig | undefined {
  for (const field of CREATED_VPC_FIELDS) {
    // publicSubnets: false and the retention default say nothing about the VPC.
    const given = network[field];
    if (given === undefined || (field === "publicSubnets" && given === false) || (field === "flowLogRetentionDays" && network.flowLogs === undefined)) continue;
    problems.push({
      code: "network.existing-vpc-mixed",
      path: `${path}.${field}`,
      message: `expected either an existing VPC (vpcId, subnetIds) or one the stack creates (cidr, azIds, …), not both: remove ${field} or vpcId`,
      value: given,
    });
  }
  if (network.vpcId === undefined) {
    problems.push({
      code: "network.subnets-without-vpc",
      path: `${path}.subnetIds`,
      message: "subnet ids need the vpcId of their VPC",
      value: network.subnetIds,
    });
    return undefined;
  }
  if (network.subnetIds === undefined) {
    problems.push({
      code: "network.vpc-without-subnets",
      path: `${path}.subnetIds`,
      message: 'missing required field with vpcId; expected the ids of the VPC\'s private subnets to use, such as ["subnet-0123456789abcdef0"]',
      value: undefined,
    });
    return undefined;
  }
  const subnetIds = network.subnetIds;
  subnetIds.forEach((id, i) => {
    if (subnetIds.indexOf(id) !== i) {
      problems.push({
        code: "network.subnet-repeated",
        path: `${path}.subnetIds[${i}]`,
        message: "expected each subnet once; this one is repeated",
        value: id,
      });
    }
  });
  return { kind: "existing", vpcId: network.vpcId, subnetIds, ...common };
}
