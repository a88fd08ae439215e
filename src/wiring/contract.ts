import { partitionOf } from "../config/regions";
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
const bootstrapStackName = (owner: string): string => `bootstrap-${owner}`;
export const privateDnsStackName = (consumer: string): string => `private-dns-${consumer}`;

/** A bootstrap stack: the one that creates a state bucket, named after the first owner using it. */
export interface BootstrapStackSpec {
  readonly name: string;
  /** The owner it is named after: `provider` or a consumer's name. */
  readonly owner: string;
  readonly account: AccountConfig;
}

/**
 * One bootstrap stack per state bucket, named after the first owner (the
 * provider, then the consumers in order) that uses it; none with the cloud
 * backend, where Terraform Cloud keeps state.
 */
export function bootstrapStacks(config: PrivateLinkConfig): BootstrapStackSpec[] {
  if (config.backend.type !== "s3") return [];
  const owners: [string, AccountConfig][] = [
    ["provider", config.provider.account],
    ...config.consumers.map((c): [string, AccountConfig] => [c.name, c.account]),
  ];
  const seen = new Set<string>();
  return owners.flatMap(([owner, account]) => {
    if (!account.state || seen.has(account.state.bucket)) return [];
    seen.add(account.state.bucket);
    return [{ name: bootstrapStackName(owner), owner, account }];
  });
}

/** The bootstrap stack whose bucket holds this account's state, and the account that owns the bucket; undefined with the cloud backend. */
function bootstrapOf(config: PrivateLinkConfig, account: AccountConfig): BootstrapStackSpec | undefined {
  return bootstrapStacks(config).find((b) => b.account.state?.bucket === account.state?.bucket);
}

/** The name of the bootstrap stack whose bucket holds this account's state; undefined with the cloud backend. */
export function bootstrapStackOf(config: PrivateLinkConfig, account: AccountConfig): string | undefined {
  return bootstrapOf(config, account)?.name;
}

/** Alias of the customer-managed KMS key that encrypts a state bucket (alias names take no dots). */
export const stateKeyAliasName = (bucket: string): string => `alias/terraform-state-${bucket.replace(/\./g, "-")}`;

/**
 * ARN of the alias of the key that encrypts an account's state bucket: the
 * `kms_key_id` of every backend and remote-state read of that bucket, known
 * before the key exists. Without it Terraform writes AES256 objects even
 * into a bucket whose default is KMS. Undefined with the cloud backend.
 */
export function stateKmsKeyArn(config: PrivateLinkConfig, account: AccountConfig): string | undefined {
  const owner = bootstrapOf(config, account)?.account;
  if (!owner?.state) return undefined;
  return `arn:${partitionOf(owner.state.region)}:kms:${owner.state.region}:${owner.id}:${stateKeyAliasName(owner.state.bucket)}`;
}

/**
 * Who writes state into a bucket, and so may encrypt and decrypt with its
 * key: the deployer role of each account keeping state there, or that
 * account's root (then IAM in that account decides) when it assumes none.
 */
export function stateWriters(config: PrivateLinkConfig, bucket: string): string[] {
  const accounts = [config.provider.account, ...config.consumers.map((c) => c.account)].filter((a) => a.state?.bucket === bucket);
  return [...new Set(accounts.map((a) => a.roleArn ?? `arn:${partitionOf(a.region)}:iam::${a.id}:root`))].sort();
}

/** Where a stack's state lives in its account's bucket. */
export const stateKey = (keyPrefix: string, project: string, stack: string): string => `${keyPrefix}/${project}/${stack}.tfstate`;

/** What one state bucket's read-only role may read, and for whom (remote-state wiring). */
export interface StateReaderGrant {
  /** The role's name in the bucket's account. */
  readonly roleName: string;
  /** The IAM principals that may assume it: the identities Terraform runs as (config `wiring.stateReaders`). */
  readonly readerPrincipals: readonly string[];
  /** Stacks whose state they read. */
  readonly producers: readonly string[];
}

/** The read-only state role of a bucket, named after its bootstrap stack's owner. */
const stateReaderRoleName = (project: string, bucket: BootstrapStackSpec): string => `${project}-state-reader-${bucket.owner}`;

/**
 * In remote-state wiring, per bootstrap stack: the read-only role its
 * bucket's account gets, who may assume it and whose state it reads. Empty
 * in variables wiring, where no stack reads another's state, and when the
 * config names its own reading role (`wiring.stateReadRoleArn`).
 *
 * A remote-state read runs as the identity Terraform itself runs as (a CI
 * role, say), not as the stack's deployer role: the S3 backend's
 * `assume_role` takes one role and no chain. So the role trusts exactly the
 * principals of `wiring.stateReaders`, never an account root, which would
 * let any principal of that account read another account's state.
 */
export function stateReaderGrants(config: PrivateLinkConfig): Map<string, StateReaderGrant> {
  const producers = new Map<string, { bucket: BootstrapStackSpec; stacks: Set<string> }>();
  if (config.wiring.mode !== "remote-state" || config.wiring.stateReadRoleArn) return new Map();
  for (const hop of wiringPlan(config)) {
    const bucket = bootstrapOf(config, hop.fromAccount);
    if (!bucket) continue;
    const entry = producers.get(bucket.name) ?? { bucket, stacks: new Set<string>() };
    producers.set(bucket.name, { bucket, stacks: entry.stacks.add(hop.fromStack) });
  }
  return new Map(
    [...producers].map(([name, { bucket, stacks }]) => [
      name,
      { roleName: stateReaderRoleName(config.project, bucket), readerPrincipals: [...config.wiring.stateReaders].sort(), producers: [...stacks].sort() },
    ]),
  );
}

/** Roles other than the bucket's own read-only role that decrypt its state: the configured reading role, when its producers keep state there. */
export function externalStateReaders(config: PrivateLinkConfig, bootstrap: string): string[] {
  const role = config.wiring.stateReadRoleArn;
  if (config.wiring.mode !== "remote-state" || !role) return [];
  const read = wiringPlan(config).some((hop) => bootstrapStackOf(config, hop.fromAccount) === bootstrap);
  return read ? [role] : [];
}

/** The role a stack assumes to read the state of a producer in `account`: the configured one, else the producer bucket's read-only role. */
export function stateReadRoleArn(config: PrivateLinkConfig, account: AccountConfig): string | undefined {
  if (config.wiring.stateReadRoleArn) return config.wiring.stateReadRoleArn;
  const bucket = bootstrapOf(config, account);
  return bucket ? `arn:${partitionOf(account.region)}:iam::${account.id}:role/${stateReaderRoleName(config.project, bucket)}` : undefined;
}

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
}

export const SERVICE_NAME: WiredValue = {
  name: "service_name",
  type: "string",
  description: "Service name of the provider's VPC endpoint service.",
  // AWS ids carry 17 hex digits; emulators use fewer, so any length is accepted.
  // [.] rather than \. : HCL strings have no \. escape.
  pattern: "com[.]amazonaws[.]vpce[.][a-z0-9-]+[.]vpce-svc-[0-9a-f]+",
  errorMessage: "service_name must look like com.amazonaws.vpce.<region>.vpce-svc-<hex>; copy the provider stack's service_name output.",
};

export const SERVICE_ID: WiredValue = {
  name: "service_id",
  type: "string",
  description: "Id of the provider's VPC endpoint service.",
  pattern: "vpce-svc-[0-9a-f]+",
  errorMessage: "service_id must look like vpce-svc-<hex>; copy the provider stack's service_id output.",
};

export const SERVICE_AZ_IDS: WiredValue = {
  name: "service_availability_zone_ids",
  type: "list",
  description: "AZ ids where the provider's NLB has a subnet; the endpoint is placed only there.",
  pattern: "[a-z]{2,4}[0-9]-az[0-9]{1,2}",
  errorMessage: "service_availability_zone_ids must be a non-empty list of AZ ids such as use1-az1; copy the provider stack's output.",
};

export const SERVICE_AZ_NAMES: WiredValue = {
  name: "service_availability_zones",
  type: "list",
  description: "AZ names (in the provider account's mapping) of the endpoint service.",
  pattern: "[a-z]{2}-[a-z]+-[0-9][a-z]",
  errorMessage: "service_availability_zones must be AZ names.",
};

export const ENDPOINT_ID: WiredValue = {
  name: "endpoint_id",
  type: "string",
  description: "Id of the consumer's interface VPC endpoint.",
  pattern: "vpce-[0-9a-f]+",
  errorMessage: "endpoint_id must look like vpce-<hex>; copy the consumer stack's endpoint_id output.",
};

export const ENDPOINT_DNS_NAMES: WiredValue = {
  name: "endpoint_dns_names",
  type: "list",
  description: "DNS names of the consumer's interface endpoint (regional first, then per AZ).",
  pattern: "[a-z0-9*.-]+",
  errorMessage: "endpoint_dns_names must be DNS names.",
};

export const SERVICE_PRIVATE_DNS_NAME: WiredValue = {
  name: "service_private_dns_name",
  type: "string",
  description: "Private DNS name of the endpoint service, once verified.",
  pattern: "[*a-z0-9.-]+",
  errorMessage: "service_private_dns_name must be a DNS name.",
};

export const NOTIFICATION_TOPIC_ARN: WiredValue = {
  name: "notification_topic_arn",
  type: "string",
  description: "SNS topic told of connection events on the endpoint service.",
  pattern: "arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+",
  errorMessage: "notification_topic_arn must be an SNS topic ARN.",
};

export const RESOURCE_CONFIGURATION_ARNS: WiredValue = {
  name: "resource_configuration_arns",
  type: "map",
  description: "ARN of the VPC Lattice resource configuration of each resource the provider shares, by resource name.",
  pattern: "arn:aws[a-z-]*:vpc-lattice:[a-z0-9-]+:[0-9]{12}:resourceconfiguration/rcfg-[0-9a-z]+",
  errorMessage: "resource_configuration_arns must map resource names to VPC Lattice resource configuration ARNs; copy the provider stack's output.",
};

export const RESOURCE_SHARE_ARNS: WiredValue = {
  name: "resource_share_arns",
  type: "map",
  description: "ARN of the RAM share of each consumer's resources, by consumer name.",
  pattern: "arn:aws[a-z-]*:ram:[a-z0-9-]+:[0-9]{12}:resource-share/[0-9a-f-]+",
  errorMessage: "resource_share_arns must map consumer names to RAM resource share ARNs; copy the provider stack's output.",
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

/** Named outputs of each kind of stack; the provider adds the optional ones when configured. */
export const PROVIDER_OUTPUTS: readonly StackOutput[] = [SERVICE_NAME, SERVICE_ID, SERVICE_AZ_IDS, SERVICE_AZ_NAMES, SERVED_STACKS];
export const PROVIDER_OPTIONAL_OUTPUTS: readonly StackOutput[] = [
  SERVICE_PRIVATE_DNS_NAME,
  NOTIFICATION_TOPIC_ARN,
  ALARM_TOPIC_ARN,
  RESOURCE_CONFIGURATION_ARNS,
  RESOURCE_SHARE_ARNS,
  RESOURCE_GATEWAY_SECURITY_GROUP_ID,
];
export const CONSUMER_OUTPUTS: readonly WiredValue[] = [ENDPOINT_ID, ENDPOINT_DNS_NAMES];
export const CONSUMER_OPTIONAL_OUTPUTS: readonly StackOutput[] = [ALARM_TOPIC_ARN, RESOURCE_ENDPOINT_IDS];

/** One hop: `stack`'s variable `value.name` is fed by `fromStack`'s output of the same name. */
export interface WiringHop {
  readonly stack: string;
  readonly fromStack: string;
  /** The account `fromStack` deploys into, whose bucket holds its state. */
  readonly fromAccount: AccountConfig;
  readonly value: WiredValue;
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
    if (!consumer.azLookup && !consumer.serviceRegion) hops.push({ stack: consumerStack, ...provider, value: SERVICE_AZ_IDS });
    if (consumer.resources.length > 0) {
      hops.push({ stack: consumerStack, ...provider, value: RESOURCE_CONFIGURATION_ARNS });
      if (consumer.acceptsResourceShare) hops.push({ stack: consumerStack, ...provider, value: RESOURCE_SHARE_ARNS });
    }
    if (config.provider.service.acceptanceRequired) {
      const acceptanceStack = acceptanceStackName(consumer.name);
      hops.push({ stack: acceptanceStack, ...provider, value: SERVICE_ID });
      hops.push({ stack: acceptanceStack, ...fromConsumer, value: ENDPOINT_ID });
    }
    if (config.provider.service.privateDns) {
      hops.push({ stack: privateDnsStackName(consumer.name), ...fromConsumer, value: ENDPOINT_ID });
    }
    return hops;
  });
}

/** The hops that feed one stack. */
export function hopsInto(config: PrivateLinkConfig, stack: string): WiringHop[] {
  return wiringPlan(config).filter((hop) => hop.stack === stack);
}
