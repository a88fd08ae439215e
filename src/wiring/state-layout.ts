import { partitionOf } from "../config/regions";
import type { AccountConfig, PrivateLinkConfig } from "../config/types";
import { bootstrapStackName, wiringPlan } from "./contract";

/**
 * Where each stack keeps its state: the bootstrap stacks that create the
 * state buckets, their keys and KMS keys, who writes each bucket, and the
 * read-only roles remote-state wiring reads producers' state through.
 */

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
