import type { PrivateLinkConfig, AccountConfig } from "../config/types";

/**
 * The wiring contract between the stacks: which stacks exist, what each one
 * outputs, and which output feeds which variable of the next stack. Output
 * names and variable names are the same, so a value keeps its name across
 * the account boundary. Stacks, the wire command and the tests all read this
 * one module.
 */

export const PROVIDER_STACK = "provider";
export const consumerStackName = (consumer: string): string => `consumer-${consumer}`;
export const acceptanceStackName = (consumer: string): string => `acceptance-${consumer}`;
export const bootstrapStackName = (owner: string): string => `bootstrap-${owner}`;
export const privateDnsStackName = (consumer: string): string => `private-dns-${consumer}`;

/** A named output of a stack. */
export interface StackOutput {
  readonly name: string;
  readonly description: string;
}

/** A value that crosses from one stack to another. */
export interface WiredValue extends StackOutput {
  /** A map's keys are names (of resources, of consumers); the pattern applies to its values. */
  readonly type: "string" | "list" | "map";
  /** RE2 pattern, without anchors, that the value (or each list element) must match. */
  readonly pattern: string;
  readonly errorMessage: string;
  /** What a valid value looks like, for the docs' wiring tables. */
  readonly shape: string;
}

export const SERVICE_NAME: WiredValue = {
  name: "service_name",
  type: "string",
  description: "Service name of the provider's VPC endpoint service.",
  // AWS ids carry 17 hex digits; emulators use fewer, so any length is accepted.
  // [.] rather than \. : HCL strings have no \. escape.
  pattern: "com[.]amazonaws[.]vpce[.][a-z0-9-]+[.]vpce-svc-[0-9a-f]+",
  errorMessage: "service_name must look like com.amazonaws.vpce.<region>.vpce-svc-<hex>; copy the provider stack's service_name output.",
  shape: "`com.amazonaws.vpce.<region>.vpce-svc-<hex>`",
};

export const SERVICE_ID: WiredValue = {
  name: "service_id",
  type: "string",
  description: "Id of the provider's VPC endpoint service.",
  pattern: "vpce-svc-[0-9a-f]+",
  errorMessage: "service_id must look like vpce-svc-<hex>; copy the provider stack's service_id output.",
  shape: "`vpce-svc-<hex>`",
};

export const SERVICE_AZ_IDS: WiredValue = {
  name: "service_availability_zone_ids",
  type: "list",
  description: "AZ ids where the provider's NLB has a subnet; the endpoint is placed only there.",
  pattern: "[a-z]{2,4}[0-9]-az[0-9]{1,2}",
  errorMessage: "service_availability_zone_ids must be a non-empty list of AZ ids such as use1-az1; copy the provider stack's output.",
  shape: "non-empty list of AZ ids (`use1-az1`); the endpoint goes only in subnets of these AZs",
};

export const SERVICE_AZ_NAMES: WiredValue = {
  name: "service_availability_zones",
  type: "list",
  description: "AZ names (in the provider account's mapping) of the endpoint service.",
  pattern: "[a-z]{2}-[a-z]+-[0-9][a-z]",
  errorMessage: "service_availability_zones must be AZ names.",
  shape: "list of AZ names",
};

export const ENDPOINT_ID: WiredValue = {
  name: "endpoint_id",
  type: "string",
  description: "Id of the consumer's interface VPC endpoint.",
  pattern: "vpce-[0-9a-f]+",
  errorMessage: "endpoint_id must look like vpce-<hex>; copy the consumer stack's endpoint_id output.",
  shape: "`vpce-<hex>`",
};

export const ENDPOINT_DNS_NAMES: WiredValue = {
  name: "endpoint_dns_names",
  type: "list",
  description: "DNS names of the consumer's interface endpoint (regional first, then per AZ).",
  pattern: "[a-z0-9*.-]+",
  errorMessage: "endpoint_dns_names must be DNS names.",
  shape: "list of DNS names",
};

export const SERVICE_PRIVATE_DNS_NAME: WiredValue = {
  name: "service_private_dns_name",
  type: "string",
  description: "Private DNS name of the endpoint service, once verified.",
  pattern: "[*a-z0-9.-]+",
  errorMessage: "service_private_dns_name must be a DNS name.",
  shape: "a DNS name",
};

export const NOTIFICATION_TOPIC_ARN: WiredValue = {
  name: "notification_topic_arn",
  type: "string",
  description: "SNS topic told of connection events on the endpoint service.",
  pattern: "arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+",
  errorMessage: "notification_topic_arn must be an SNS topic ARN.",
  shape: "an SNS topic ARN",
};

export const RESOURCE_CONFIGURATION_ARNS: WiredValue = {
  name: "resource_configuration_arns",
  type: "map",
  description: "ARN of the VPC Lattice resource configuration of each resource the provider shares, by resource name.",
  pattern: "arn:aws[a-z-]*:vpc-lattice:[a-z0-9-]+:[0-9]{12}:resourceconfiguration/rcfg-[0-9a-z]+",
  errorMessage: "resource_configuration_arns must map resource names to VPC Lattice resource configuration ARNs; copy the provider stack's output.",
  shape: "map of resource name to `arn:…:vpc-lattice:…:resourceconfiguration/rcfg-…`",
};

export const RESOURCE_SHARE_ARNS: WiredValue = {
  name: "resource_share_arns",
  type: "map",
  description: "ARN of the RAM share of each consumer's resources, by consumer name.",
  pattern: "arn:aws[a-z-]*:ram:[a-z0-9-]+:[0-9]{12}:resource-share/[0-9a-f-]+",
  errorMessage: "resource_share_arns must map consumer names to RAM resource share ARNs; copy the provider stack's output.",
  shape: "map of consumer name to `arn:…:ram:…:resource-share/…`",
};

/** The security group the shared resources must admit; not wired into another stack. */
export const RESOURCE_GATEWAY_SECURITY_GROUP_ID: StackOutput = {
  name: "resource_gateway_security_group_id",
  description: "Security group of the resource gateway: each shared resource must admit its ports from it.",
};

/** The consumer's resource endpoints, by resource name; not wired into another stack. */
export const RESOURCE_ENDPOINT_IDS: StackOutput = {
  name: "resource_endpoint_ids",
  description: "Id of the Resource VPC endpoint of each resource this consumer reaches, by resource name.",
};

/** The consumer's client instance, which npm run check probes the service from; not wired into another stack. */
export const CLIENT_INSTANCE_ID: StackOutput = {
  name: "client_instance_id",
  description: "Id of the consumer's client instance; npm run check sends its probes from it through SSM Run Command.",
};

/** Where a stack's CloudWatch alarms notify (given, or created by the stack); not wired into another stack. */
export const ALARM_TOPIC_ARN: StackOutput = {
  name: "alarm_topic_arn",
  description: "SNS topic the stack's CloudWatch alarms notify; subscribe to it to be paged.",
};

/**
 * The consumers' stacks (consumer, acceptance, private DNS) of the config
 * the provider was last deployed with, as a map from stack to consumer
 * (`servedStacks` of the stack graph). Not wired into another stack:
 * `npm run deploy` and `plan` read it to find stacks the config no longer
 * has (a removed consumer's; acceptance or private DNS turned off) without
 * listing the state buckets.
 */
export const SERVED_STACKS: StackOutput = {
  name: "served_stacks",
  description:
    "The consumers' stacks this service was last deployed with, each with its consumer; the lifecycle reads it to find stacks the config no longer has.",
};

/** One hop: `stack`'s variable `value.name` is fed by `fromStack`'s output of the same name. */
export interface WiringHop {
  readonly stack: string;
  readonly fromStack: string;
  /** The account `fromStack` deploys into, whose bucket holds its state. */
  readonly fromAccount: AccountConfig;
  readonly value: WiredValue;
  /** When the hop exists, for the docs; absent for a hop every topology has. */
  readonly when?: string;
  /** Of a map: the keys the stack reads, each of which the producer's output must hold. */
  readonly keys?: readonly string[];
}

/**
 * Every output→variable hop of the app, in deploy order: provider →
 * consumer → acceptance → private DNS, per consumer.
 */
export function wiringPlan(config: PrivateLinkConfig): WiringHop[] {
  const provider = { fromStack: PROVIDER_STACK, fromAccount: config.provider.account };
  return config.consumers.flatMap((consumer) => {
    const consumerStack = consumerStackName(consumer.name);
    const fromConsumer = { fromStack: consumerStack, fromAccount: consumer.account };
    const hops: WiringHop[] = [{ stack: consumerStack, ...provider, value: SERVICE_NAME }];
    // With azLookup the consumer asks AWS for the service's AZs itself; across regions the AZs do not apply.
    if (!consumer.azLookup && !consumer.serviceRegion) {
      hops.push({ stack: consumerStack, ...provider, value: SERVICE_AZ_IDS, when: "not with `azLookup` or cross-region" });
    }
    if (consumer.resources.length > 0) {
      hops.push({ stack: consumerStack, ...provider, value: RESOURCE_CONFIGURATION_ARNS, when: "with `resources`", keys: consumer.resources });
      if (consumer.acceptsResourceShare) {
        const when = "with `resources`, outside the provider's organization";
        hops.push({ stack: consumerStack, ...provider, value: RESOURCE_SHARE_ARNS, when, keys: [consumer.name] });
      }
    }
    if (config.provider.service.acceptanceRequired) {
      const acceptanceStack = acceptanceStackName(consumer.name);
      hops.push({ stack: acceptanceStack, ...provider, value: SERVICE_ID, when: "with `acceptanceRequired`, the default" });
      hops.push({ stack: acceptanceStack, ...fromConsumer, value: ENDPOINT_ID, when: "with `acceptanceRequired`, the default" });
    }
    if (config.provider.service.privateDns) {
      hops.push({ stack: privateDnsStackName(consumer.name), ...fromConsumer, value: ENDPOINT_ID, when: "with `privateDns`" });
    }
    return hops;
  });
}

/** The hops that feed one stack. */
export function hopsInto(config: PrivateLinkConfig, stack: string): WiringHop[] {
  return wiringPlan(config).filter((hop) => hop.stack === stack);
}
