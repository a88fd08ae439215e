import { cidrContains, cidrSize, cidrSubnet, cidrsOverlap, prefixLength } from "./cidr";
import type { ConfigProblem } from "./errors";
import { arnPartition, azIdPrefix, partitionOf } from "./regions";
import type { AccountConfig, AwsEndpointInput, BackendConfig, NetworkInput, ServiceConfig } from "./schema";
import type { AwsEndpointConfig, NetworkConfig, PrivateLinkConfig, ResolvedAccount } from "./types";
import { GATEWAY_SERVICES, NO_POLICY_SERVICES, SESSION_MANAGER_SERVICES } from "./aws-services";
import { serviceUserData } from "./user-data";

/**
 * Rules that span several fields. Each takes an already type-checked part of
 * the config, pushes what is wrong onto `problems`, and returns the resolved
 * part (defaults and derived values filled in).
 */

/** Extra prefix bits of a derived subnet: a /16 VPC gets /20 subnets. */
export const DERIVED_SUBNET_NEW_BITS = 4;
/** Derived public subnets start at this index, after room for 8 private ones. */
const PUBLIC_SUBNET_INDEX_OFFSET = 8;
const MIN_VPC_PREFIX = 16;
const MAX_SUBNET_PREFIX = 28;

type Problems = ConfigProblem[];

export function resolveAccount(account: AccountConfig, path: string, problems: Problems): ResolvedAccount {
  if (account.roleArn) checkPartition(account.roleArn, account.region, `${path}.roleArn`, problems);
  if (account.roleArn && !account.roleArn.includes(`::${account.id}:`)) {
    problems.push({
      path: `${path}.roleArn`,
      message: `expected a role in account ${account.id} (the account this provider is locked to)`,
      value: account.roleArn,
    });
  }
  if (account.endpointCaBundle && !account.endpointUrl?.startsWith("https://")) {
    problems.push({
      path: `${path}.endpointCaBundle`,
      message: "expected only with an https endpointUrl (it is the certificate the emulator serves there)",
      value: account.endpointCaBundle,
    });
  }
  return { ...account, state: account.state && { ...account.state, region: account.state.region ?? account.region } };
}

/**
 * Ranges a VPC may not use: this network, loopback, link-local, multicast
 * and the reserved class E (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html).
 */
export const VPC_FORBIDDEN_RANGES: readonly (readonly [string, string])[] = [
  ["0.0.0.0/8", '"this network"'],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved"],
];

export function resolveNetwork(network: NetworkInput, path: string, region: string, problems: Problems): NetworkConfig {
  const vpcPrefix = prefixLength(network.cidr);
  const forbidden = VPC_FORBIDDEN_RANGES.find(([range]) => cidrsOverlap(range, network.cidr));
  if (forbidden) {
    problems.push({
      path: `${path}.cidr`,
      message: `expected a range AWS allows for a VPC; ${network.cidr} overlaps the ${forbidden[1]} range ${forbidden[0]} (RFC 1918 ranges such as 10.0.0.0/8 are the usual choice)`,
      value: network.cidr,
    });
  }
  if (vpcPrefix < MIN_VPC_PREFIX || vpcPrefix > MAX_SUBNET_PREFIX) {
    problems.push({
      path: `${path}.cidr`,
      message: `expected a VPC block from /${MIN_VPC_PREFIX} to /${MAX_SUBNET_PREFIX} (AWS VPC limits)`,
      value: network.cidr,
    });
  }

  const prefix = azIdPrefix(region);
  network.azIds.forEach((azId, i) => {
    if (prefix && !azId.startsWith(`${prefix}-`)) {
      problems.push({ path: `${path}.azIds[${i}]`, message: `expected an AZ id of region ${region} (${prefix}-azN)`, value: azId });
    }
    if (network.azIds.indexOf(azId) !== i) {
      problems.push({ path: `${path}.azIds[${i}]`, message: "expected each AZ id once; this one is repeated", value: azId });
    }
  });

  if (network.publicSubnetCidrs && !network.publicSubnets) {
    problems.push({ path: `${path}.publicSubnetCidrs`, message: "public subnet CIDRs need publicSubnets: true", value: network.publicSubnetCidrs });
  }

  const canDerive = vpcPrefix + DERIVED_SUBNET_NEW_BITS <= MAX_SUBNET_PREFIX;
  const subnets = (given: string[] | undefined, field: string, offset: number): string[] => {
    if (given) {
      if (given.length !== network.azIds.length) {
        problems.push({ path: `${path}.${field}`, message: `expected one CIDR per AZ id (${network.azIds.length})`, value: given });
      }
      return given;
    }
    if (!canDerive) {
      problems.push({
        path: `${path}.${field}`,
        message: `the VPC ${network.cidr} is too small to derive /${vpcPrefix + DERIVED_SUBNET_NEW_BITS} subnets from; list the subnet CIDRs`,
      });
      return [];
    }
    return network.azIds.map((_, i) => cidrSubnet(network.cidr, DERIVED_SUBNET_NEW_BITS, offset + i));
  };
  const privateSubnetCidrs = subnets(network.privateSubnetCidrs, "privateSubnetCidrs", 0);
  const publicSubnetCidrs = network.publicSubnets ? subnets(network.publicSubnetCidrs, "publicSubnetCidrs", PUBLIC_SUBNET_INDEX_OFFSET) : [];

  const all = [
    ...privateSubnetCidrs.map((cidr, i) => ({ cidr, path: `${path}.privateSubnetCidrs[${i}]` })),
    ...publicSubnetCidrs.map((cidr, i) => ({ cidr, path: `${path}.publicSubnetCidrs[${i}]` })),
  ];
  all.forEach((subnet, i) => {
    if (!cidrContains(network.cidr, subnet.cidr)) {
      problems.push({ path: subnet.path, message: `expected a subnet inside the VPC ${network.cidr}`, value: subnet.cidr });
    } else if (prefixLength(subnet.cidr) > MAX_SUBNET_PREFIX) {
      problems.push({ path: subnet.path, message: `expected a subnet of /${MAX_SUBNET_PREFIX} or larger (AWS minimum)`, value: subnet.cidr });
    }
    const clash = all.slice(0, i).find((other) => cidrsOverlap(other.cidr, subnet.cidr));
    if (clash) {
      problems.push({ path: subnet.path, message: `expected a subnet that does not overlap ${clash.path} (${clash.cidr})`, value: subnet.cidr });
    }
  });

  const awsEndpoints = resolveAwsEndpoints(network.awsEndpoints, network.sessionManager, `${path}.awsEndpoints`, problems);
  network.awsEndpoints.forEach((entry, i) => {
    entry.policy?.resources?.forEach((arn, j) => checkPartition(arn, region, `${path}.awsEndpoints[${i}].policy.resources[${j}]`, problems));
  });
  return {
    cidr: network.cidr,
    azIds: network.azIds,
    privateSubnetCidrs,
    publicSubnetCidrs,
    awsEndpoints,
    sessionManager: network.sessionManager,
    flowLogRetentionDays: network.flowLogs ? network.flowLogRetentionDays : undefined,
  };
}

/**
 * Checks the AWS-service endpoint entries of one network and adds the
 * Session Manager endpoints when asked for (an explicit entry wins).
 */
export function resolveAwsEndpoints(entries: readonly AwsEndpointInput[], sessionManager: boolean, path: string, problems: Problems): AwsEndpointConfig[] {
  const hasGateway = (service: string) => entries.some((e) => e.service === service && e.type === "Gateway");
  const resolved = entries.map((entry, i): AwsEndpointConfig => {
    const at = `${path}[${i}]`;
    const first = entries.findIndex((e) => e.service === entry.service && e.type === entry.type);
    if (first !== i)
      problems.push({
        path: `${at}.service`,
        message: `expected each service and type once; ${path}[${first}] is already a ${entry.type} endpoint for it`,
        value: entry.service,
      });
    if (entry.type === "Gateway" && !GATEWAY_SERVICES.includes(entry.service)) {
      problems.push({
        path: `${at}.type`,
        message: `Gateway endpoints exist only for ${GATEWAY_SERVICES.join(" and ")}; use "Interface" for ${entry.service}`,
        value: entry.type,
      });
    }
    if (entry.type === "Gateway" && entry.privateDns !== undefined) {
      problems.push({ path: `${at}.privateDns`, message: "private DNS applies to Interface endpoints only", value: entry.privateDns });
    }
    if (entry.privateDnsOnlyForInboundResolverEndpoint !== undefined && !(entry.service === "s3" && entry.type === "Interface")) {
      problems.push({
        path: `${at}.privateDnsOnlyForInboundResolverEndpoint`,
        message: "applies to s3 Interface endpoints only",
        value: entry.privateDnsOnlyForInboundResolverEndpoint,
      });
    }
    const privateDns = entry.type === "Interface" && (entry.privateDns ?? true);
    if (entry.service === "s3" && privateDns && !hasGateway("s3") && entry.privateDnsOnlyForInboundResolverEndpoint !== false) {
      problems.push({
        path: `${at}.privateDns`,
        message:
          'private DNS for an s3 Interface endpoint needs an s3 Gateway endpoint in the same network, or "privateDnsOnlyForInboundResolverEndpoint": false',
        value: privateDns,
      });
    }
    if (entry.policy && NO_POLICY_SERVICES.includes(entry.service)) {
      problems.push({ path: `${at}.policy`, message: `${entry.service} endpoints take no endpoint policy; remove it`, value: entry.policy });
    }
    if (entry.policy?.buckets && entry.service !== "s3") {
      problems.push({ path: `${at}.policy.buckets`, message: "buckets apply to s3 endpoints only", value: entry.policy.buckets });
    }
    if (entry.policy?.buckets && entry.policy.resources) {
      problems.push({ path: `${at}.policy.resources`, message: "expected either buckets or resources, not both", value: entry.policy.resources });
    }
    return {
      service: entry.service,
      type: entry.type,
      privateDns,
      privateDnsOnlyForInboundResolverEndpoint: entry.privateDnsOnlyForInboundResolverEndpoint,
      policy: NO_POLICY_SERVICES.includes(entry.service) ? undefined : (entry.policy ?? {}),
    };
  });
  if (sessionManager) {
    for (const service of SESSION_MANAGER_SERVICES) {
      if (!resolved.some((e) => e.service === service && e.type === "Interface")) {
        resolved.push({ service, type: "Interface", privateDns: true, policy: NO_POLICY_SERVICES.includes(service) ? undefined : {} });
      }
    }
  }
  return resolved;
}

/** EC2's limit on user data, before base64 (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html). */
export const USER_DATA_MAX_BYTES = 16 * 1024;

export function checkService(service: ServiceConfig, path: string, problems: Problems): void {
  if (service.page !== undefined && service.userData !== undefined) {
    problems.push({ path: `${path}.userData`, message: "expected either page or userData, not both" });
  }
  const field = service.userData !== undefined ? "userData" : "page";
  const bytes = Buffer.byteLength(serviceUserData(service), "utf8");
  if (bytes > USER_DATA_MAX_BYTES) {
    const what = field === "page" ? "a page whose user data (the page, base64-encoded, plus the server set-up)" : "user data that";
    problems.push({ path: `${path}.${field}`, message: `expected ${what} fits EC2's 16 KB user-data limit; it is ${bytes} bytes`, value: `${bytes} bytes` });
  }
  if (service.port === 22) {
    problems.push({ path: `${path}.port`, message: "expected a port other than 22: this project never exposes SSH", value: service.port });
  }
}

/** What the consumer rules need to know about the provider. */
export interface ProviderFacts {
  readonly region: string;
  readonly azIds: readonly string[];
}

/**
 * A consumer must sit in the provider's region and, unless it looks the
 * service's AZs up itself, only in AZ ids the provider serves.
 */
export function checkConsumerPlacement(
  account: AccountConfig,
  network: NetworkInput,
  path: string,
  provider: ProviderFacts,
  azLookup: boolean,
  problems: Problems,
): void {
  if (account.region !== provider.region) {
    problems.push({
      path: `${path}.account.region`,
      message: `expected the provider's region ${provider.region}: an interface endpoint reaches services in its own region`,
      value: account.region,
    });
  }
  network.azIds.forEach((azId, i) => {
    if (!azLookup && !provider.azIds.includes(azId)) {
      problems.push({
        path: `${path}.network.azIds[${i}]`,
        message: `expected an AZ id the provider serves (${provider.azIds.join(", ")}); an endpoint cannot be placed where the service's NLB has no subnet (or set azLookup: true)`,
        value: azId,
      });
    }
  });
}

/**
 * Client ranges are what the endpoint's security group admits: never the
 * whole internet, whether as one /0 or as ranges that add up to it, and each
 * address once.
 */
export function checkClientCidrs(cidrs: readonly string[], path: string, problems: Problems): void {
  cidrs.forEach((cidr, i) => {
    if (prefixLength(cidr) === 0) {
      problems.push({ path: `${path}[${i}]`, message: "expected a bounded client range: /0 would open the service port to every address", value: cidr });
    }
    const covering = cidrs.findIndex((other, j) => j !== i && cidrContains(other, cidr) && (other !== cidr || j < i));
    if (covering >= 0) {
      problems.push({ path: `${path}[${i}]`, message: `expected each range once; ${path}[${covering}] (${cidrs[covering]}) already covers it`, value: cidr });
    }
  });
  const distinct = cidrs.filter((cidr, i) => !cidrs.some((other, j) => j !== i && cidrContains(other, cidr) && (other !== cidr || j < i)));
  const total = distinct.reduce((sum, cidr) => sum + cidrSize(cidr), 0);
  if (cidrs.every((c) => prefixLength(c) > 0) && total >= 2 ** 32) {
    problems.push({
      path,
      message: "expected bounded client ranges: together these cover every IPv4 address, which would open the service port to the internet",
      value: cidrs,
    });
  }
}

/**
 * Names the provider's own stacks use; a consumer named so would collide
 * with them (`bootstrap-provider`).
 */
export const RESERVED_CONSUMER_NAMES = ["provider"] as const;

/** Consumer names become stack names and state keys, so they must be unique and not collide with the provider's. */
export function checkConsumerNames(names: readonly (string | undefined)[], problems: Problems): void {
  names.forEach((name, i) => {
    const first = names.indexOf(name);
    if (name !== undefined && first !== i) {
      problems.push({ path: `consumers[${i}].name`, message: `expected a unique name; consumers[${first}] already uses it`, value: name });
    }
    if (name !== undefined && (RESERVED_CONSUMER_NAMES as readonly string[]).includes(name)) {
      problems.push({
        path: `consumers[${i}].name`,
        message: `expected a name other than ${RESERVED_CONSUMER_NAMES.join(", ")}: the provider's own stacks use it`,
        value: name,
      });
    }
  });
}

/** The s3 backend needs every account's bucket; remote-state wiring reads S3 state, which the cloud backend does not write. */
export function checkBackend(
  backend: BackendConfig,
  wiringMode: string | undefined,
  accounts: readonly (readonly [string, AccountConfig])[],
  problems: Problems,
): void {
  if (backend.type === "s3") {
    for (const [path, account] of accounts) {
      if (!account.state)
        problems.push({
          path: `${path}.state`,
          message: 'missing required field; expected the account\'s S3 state bucket, e.g. { "bucket": "my-state-111111111111" } (needed by the s3 backend)',
          value: undefined,
        });
    }
  } else if (wiringMode === "remote-state") {
    problems.push({
      path: "wiring.mode",
      message: 'expected "variables" with the cloud backend: remote-state wiring reads S3 state; set the values as workspace variables (npm run wire -- --tfc)',
      value: wiringMode,
    });
  }
}

/**
 * Settings that would silently do nothing are errors: whoever wrote them
 * meant something. `stacks` are the names of the stacks the config makes.
 */
export function checkNoEffect(config: PrivateLinkConfig, stacks: readonly string[], problems: Problems): void {
  if (config.backend.type === "cloud") {
    for (const name of Object.keys(config.backend.workspaces ?? {})) {
      if (!stacks.includes(name)) {
        problems.push({
          path: `backend.workspaces.${name}`,
          message: `names no stack of this config, so it would do nothing; the stacks are ${stacks.join(", ")}`,
          value: config.backend.workspaces?.[name],
        });
      }
    }
  }
  if (config.wiring.stateReadRoleArn && config.wiring.mode !== "remote-state") {
    problems.push({
      path: "wiring.stateReadRoleArn",
      message: 'is used only with "mode": "remote-state"; in variables wiring no stack reads another\'s state, so it would do nothing',
      value: config.wiring.stateReadRoleArn,
    });
  }
}

/** An ARN must name the partition of the region it is used in (`aws`, `aws-cn`, `aws-us-gov`). */
export function checkPartition(arn: string, region: string, path: string, problems: Problems): void {
  const partition = arnPartition(arn);
  if (partition && partition !== partitionOf(region)) {
    problems.push({ path, message: `expected an ARN of partition ${partitionOf(region)}, the partition of ${region}`, value: arn });
  }
}
