import type { AccountInput } from "./account-schema";
import { cidrContains, cidrSize, prefixLength } from "./cidr";
import type { Problems } from "./errors";
import type { NetworkInput } from "./network-schema";
import { CROSS_REGION_PRIVATELINK_REGIONS, partitionOf } from "./regions";
import { checkPartition } from "./rules";

/** Rules of the consumers: where each may sit, whom it lets in, and their names. */

/** What the consumer rules need to know about the provider. */
export interface ProviderFacts {
  readonly region: string;
  /** Undefined for an existing VPC, whose AZ ids are read at deploy time. */
  readonly azIds?: readonly string[];
  /** Whether the service is dual stack. */
  readonly dualStack: boolean;
}

/**
 * Whether the consumer's endpoint is dual stack: as configured, which needs
 * IPv6 in its VPC and a dual-stack service; else whenever both hold, so
 * that a service that stops serving IPv6 takes its endpoints along.
 */
export function resolveConsumerDualStack(given: unknown, network: NetworkInput, path: string, provider: ProviderFacts, problems: Problems): boolean {
  if (given !== true) return given === false ? false : network.ipv6 && provider.dualStack;
  if (!network.ipv6) {
    problems.push({
      code: "consumer.dual-stack-without-ipv6",
      path: `${path}.dualStack`,
      message: `expected ${path}.network.ipv6: true as well: a dual-stack endpoint needs IPv6 addresses in its subnets`,
      value: true,
    });
  }
  if (!provider.dualStack) {
    problems.push({
      code: "consumer.dual-stack-without-service",
      path: `${path}.dualStack`,
      message: "expected a dual-stack service (provider.service.dualStack, or provider.network.ipv6): a dual-stack endpoint needs one",
      value: true,
    });
  }
  return true;
}

/**
 * Where a consumer may sit. In the provider's region: only in AZ ids the
 * provider serves, unless it looks the service's AZs up itself. In another
 * region (cross-region PrivateLink): only where AWS offers it, and never
 * with the lookup, which cannot see across regions. Dual stack needs the
 * provider's too. Returns the provider's region for a cross-region consumer.
 */
export function checkConsumerPlacement(
  account: AccountInput,
  network: NetworkInput,
  path: string,
  provider: ProviderFacts,
  azLookup: boolean,
  problems: Problems,
): string | undefined {
  if (account.region !== provider.region) {
    for (const [region, at] of [
      [provider.region, "provider.account.region"],
      [account.region, `${path}.account.region`],
    ] as const) {
      if (CROSS_REGION_PRIVATELINK_REGIONS.includes(region)) continue;
      problems.push({
        code: "consumer.region-not-cross-region",
        path: `${path}.account.region`,
        message:
          `expected the provider's region ${provider.region}, or both regions among those offering cross-region PrivateLink ` +
          `(${CROSS_REGION_PRIVATELINK_REGIONS.join(", ")}); ${at} ${region} is not`,
        value: account.region,
      });
      break;
    }
    if (azLookup) {
      problems.push({
        code: "consumer.az-lookup-cross-region",
        path: `${path}.azLookup`,
        message: `expected false for a consumer in another region than the provider (${provider.region}): the service lookup returns no AZs across regions`,
        value: true,
      });
    }
    return provider.region;
  }
  network.azIds?.forEach((azId, i) => {
    if (!azLookup && provider.azIds && !provider.azIds.includes(azId)) {
      problems.push({
        code: "consumer.az-not-served",
        path: `${path}.network.azIds[${i}]`,
        message:
          `expected an AZ id the provider serves (${provider.azIds.join(", ")}); an endpoint ` +
          `cannot be placed where the service's NLB has no subnet (or set azLookup: true)`,
        value: azId,
      });
    }
  });
  return undefined;
}

/**
 * A consumer's principals: the account root, or roles (and the root) of the
 * consumer's own account only. CreateVpcEndpoint is allowed only to allowed
 * principals, so the role that deploys the consumer (`account.roleArn`) is
 * allowed too, unless the account root already admits it; without a
 * `roleArn` the deploying identity is unknown, and only the root can admit
 * it. The API takes no principal ARN with a path ("ARNs with paths are not
 * supported", PrivateLink guide, Manage permissions:
 * https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html#add-remove-permissions).
 */
export function resolvePrincipals(given: readonly string[] | undefined, account: AccountInput, path: string, problems: Problems): string[] {
  const root = `arn:${partitionOf(account.region)}:iam::${account.id}:root`;
  if (!given) return [root];
  given.forEach((arn, j) => {
    checkPartition(arn, account.region, `${path}[${j}]`, problems);
    if (arn.split(":")[4] !== account.id) {
      problems.push({
        code: "consumer.principal-other-account",
        path: `${path}[${j}]`,
        message: `expected a principal of the consumer's own account ${account.id}: the endpoint service allows each consumer's own roles only`,
        value: arn,
      });
    }
    if (hasPath(arn)) {
      problems.push({
        code: "consumer.principal-with-path",
        path: `${path}[${j}]`,
        message: "expected a role ARN without a path, such as arn:aws:iam::222222222222:role/app: endpoint service permissions do not support ARNs with paths",
        value: arn,
      });
    }
  });
  if (given.includes(root)) return [...given];
  const deployer = account.roleArn;
  if (!deployer) {
    problems.push({
      code: "consumer.deployer-not-allowed",
      path,
      message:
        `expected the account root (${root}) among the principals, or account.roleArn set (it is then allowed too): only allowed principals may ` +
        "create the endpoint, and without a roleArn the identity that deploys this consumer is unknown",
      value: given,
    });
    return [...given];
  }
  if (hasPath(deployer)) {
    problems.push({
      code: "consumer.deployer-role-with-path",
      path,
      message:
        `expected the account root (${root}) among the principals: the deployer role ${deployer} must be allowed to create the endpoint, ` +
        "and endpoint service permissions do not support ARNs with paths",
      value: given,
    });
    return [...given];
  }
  return given.includes(deployer) ? [...given] : [...given, deployer];
}

/** Whether a role ARN has a path (`role/team/app`). */
function hasPath(arn: string): boolean {
  return /:role\/.*\//.test(arn);
}

/**
 * Client ranges are what the endpoint's security group admits: never the
 * whole internet, whether as one /0 or as ranges that add up to it, and each
 * address once.
 */
export function checkClientCidrs(cidrs: readonly string[], path: string, problems: Problems): void {
  cidrs.forEach((cidr, i) => {
    if (prefixLength(cidr) === 0) {
      problems.push({
        code: "client-cidr.unbounded",
        path: `${path}[${i}]`,
        message: "expected a bounded client range: /0 would open the service port to every address",
        value: cidr,
      });
    }
    const covering = cidrs.findIndex((other, j) => j !== i && cidrContains(other, cidr) && (other !== cidr || j < i));
    if (covering >= 0) {
      problems.push({
        code: "client-cidr.repeated",
        path: `${path}[${i}]`,
        message: `expected each range once; ${path}[${covering}] (${cidrs[covering]}) already covers it`,
        value: cidr,
      });
    }
  });
  const distinct = cidrs.filter((cidr, i) => !cidrs.some((other, j) => j !== i && cidrContains(other, cidr) && (other !== cidr || j < i)));
  const total = distinct.reduce((sum, cidr) => sum + cidrSize(cidr), 0);
  if (cidrs.every((c) => prefixLength(c) > 0) && total >= 2 ** 32) {
    problems.push({
      code: "client-cidr.whole-space",
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
const RESERVED_CONSUMER_NAMES = ["provider"] as const;

/** Consumer names become stack names and state keys, so they must be unique and not collide with the provider's. */
export function checkConsumerNames(names: readonly (string | undefined)[], problems: Problems): void {
  names.forEach((name, i) => {
    const first = names.indexOf(name);
    if (name !== undefined && first !== i) {
      problems.push({
        code: "consumer.name-repeated",
        path: `consumers[${i}].name`,
        message: `expected a unique name; consumers[${first}] already uses it`,
        value: name,
      });
    }
    if (name !== undefined && (RESERVED_CONSUMER_NAMES as readonly string[]).includes(name)) {
      problems.push({
        code: "consumer.name-reserved",
        path: `consumers[${i}].name`,
        message: `expected a name other than ${RESERVED_CONSUMER_NAMES.join(", ")}: the provider's own stacks use it`,
        value: name,
      });
    }
  });
}

/**
 * Endpoint alarms need endpoint metrics, which AWS does not publish for
 * consumers that reach a service in another region ("They are not published
 * for … endpoint service consumers that use cross-Region access", CloudWatch
 * metrics for AWS PrivateLink:
 * https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-cloudwatch-metrics.html):
 * such alarms would never see a data point.
 */
export function checkConsumerAlarms(alarms: unknown, serviceRegion: string | undefined, path: string, problems: Problems): void {
  if (alarms === undefined || serviceRegion === undefined) return;
  problems.push({
    code: "consumer.alarms-cross-region",
    path: `${path}.alarms`,
    message:
      `expected no alarms for a consumer of a service in another region (${serviceRegion}): AWS publishes no PrivateLink endpoint ` +
      "metrics for cross-region access, so the alarms would never see data",
    value: alarms,
  });
}
