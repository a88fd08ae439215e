import type { AccountInput } from "./account-schema";
import type { Problems } from "./errors";
import { arnPartition, partitionOf } from "./regions";
import type { BackendInput } from "./backend-schema";
import type { AccountConfig, BackendConfig, PrivateLinkConfig } from "./types";

/**
 * Rules that span several fields. Each takes an already type-checked part of
 * the config, pushes what is wrong onto `problems`, and returns the resolved
 * part (defaults and derived values filled in). Here: accounts, the backend,
 * settings that would do nothing, and ARN partitions. The others are by
 * part: `network-rules.ts`, `endpoint-rules.ts`, `service-rules.ts`,
 * `consumer-rules.ts`.
 */

export function resolveAccount(account: AccountInput, path: string, problems: Problems): AccountConfig {
  if (account.roleArn) checkPartition(account.roleArn, account.region, `${path}.roleArn`, problems);
  if (account.roleArn && !account.roleArn.includes(`::${account.id}:`)) {
    problems.push({
      code: "account.role-other-account",
      path: `${path}.roleArn`,
      message: `expected a role in account ${account.id} (the account this provider is locked to)`,
      value: account.roleArn,
    });
  }
  if (account.runRoleArn) checkPartition(account.runRoleArn, account.region, `${path}.runRoleArn`, problems);
  if (account.runRoleArn && !account.runRoleArn.includes(`::${account.id}:`)) {
    problems.push({
      code: "account.role-other-account",
      path: `${path}.runRoleArn`,
      message: `expected a role in account ${account.id}: the workspace's runs assume it there`,
      value: account.runRoleArn,
    });
  }
  if (account.endpointCaBundle && !account.endpointUrl?.startsWith("https://")) {
    problems.push({
      code: "account.ca-bundle-without-https",
      path: `${path}.endpointCaBundle`,
      message: "expected only with an https endpointUrl (it is the certificate the emulator serves there)",
      value: account.endpointCaBundle,
    });
  }
  return { ...account, state: account.state && { ...account.state, region: account.state.region ?? account.region } };
}

/**
 * The s3 backend needs every account's bucket; remote-state wiring reads S3
 * state, which the cloud backend does not write. Cloud workspaces are named
 * `<project>-<stack>` unless a prefix is given.
 */
export function resolveBackend(
  backend: BackendInput,
  project: string,
  wiringMode: string | undefined,
  accounts: readonly (readonly [string, AccountInput])[],
  problems: Problems,
): BackendConfig {
  if (backend.type === "s3") {
    for (const [path, account] of accounts) {
      if (!account.state)
        problems.push({
          code: "backend.state-missing",
          path: `${path}.state`,
          message: 'missing required field; expected the account\'s S3 state bucket, e.g. { "bucket": "my-state-111111111111" } (needed by the s3 backend)',
          value: undefined,
        });
      if (account.runRoleArn)
        problems.push({
          code: "no-effect.run-role",
          path: `${path}.runRoleArn`,
          message: "is used only with the cloud backend (Terraform Cloud runs assume it), so it would do nothing",
          value: account.runRoleArn,
        });
    }
    if (wiringMode === "tfe-outputs") {
      problems.push({
        code: "wiring.tfe-outputs-with-s3",
        path: "wiring.mode",
        message: 'expected "variables" or "remote-state" with the s3 backend: tfe-outputs reads Terraform Cloud workspaces, which the s3 backend has none of',
        value: wiringMode,
      });
    }
  } else {
    for (const [path, account] of accounts) {
      if (!account.runRoleArn)
        problems.push({
          code: "backend.run-role-missing",
          path: `${path}.runRoleArn`,
          message:
            "missing required field; expected the role this account's workspaces assume with dynamic provider credentials, e.g. " +
            "arn:aws:iam::111111111111:role/terraform-cloud (the cloud backend keeps no static keys)",
          value: undefined,
        });
    }
  }
  if (backend.type === "cloud" && wiringMode === "remote-state") {
    problems.push({
      code: "wiring.remote-state-with-cloud",
      path: "wiring.mode",
      message:
        'expected "variables" or "tfe-outputs" with the cloud backend: remote-state wiring reads S3 state; ' +
        '"tfe-outputs" reads the producer workspaces\' outputs',
      value: wiringMode,
    });
  }
  return backend.type === "s3" ? backend : { ...backend, workspacePrefix: backend.workspacePrefix ?? `${project}-`, workspaces: backend.workspaces ?? {} };
}

/**
 * Settings that would silently do nothing are errors: whoever wrote them
 * meant something. (A workspace named for a stack the config does not make
 * is checked where the stacks are known: `src/wiring/load.ts`.)
 */
export function checkNoEffect(config: PrivateLinkConfig, problems: Problems): void {
  if (config.provider.resources.length === 0) {
    for (const [path, account] of [
      ["provider.account", config.provider.account] as const,
      ...config.consumers.map((c, i) => [`consumers[${i}].account`, c.account] as const),
    ]) {
      if (account.organizationId) {
        problems.push({
          code: "no-effect.organization-id",
          path: `${path}.organizationId`,
          message: "is used only to share provider.resources (within one organization no share is accepted), and there are none, so it would do nothing",
          value: account.organizationId,
        });
      }
    }
  }
  if (config.wiring.stateReaders.length > 0 && (config.wiring.mode !== "remote-state" || config.wiring.stateReadRoleArn)) {
    problems.push({
      code: "no-effect.state-readers",
      path: "wiring.stateReaders",
      message:
        'is used only with "mode": "remote-state" and no stateReadRoleArn ' +
        "(it says who may assume the read-only roles the bootstrap stacks then create), so it would do nothing",
      value: config.wiring.stateReaders,
    });
  }
  if (config.wiring.mode === "remote-state" && !config.wiring.stateReadRoleArn && config.wiring.stateReaders.length === 0) {
    problems.push({
      code: "wiring.state-readers-missing",
      path: "wiring.stateReaders",
      message:
        "expected the IAM roles or users Terraform runs as (e.g. a CI role that can assume each account.roleArn), or a stateReadRoleArn: a remote-state " +
        "read runs as that identity, and each bucket's read-only role trusts exactly these",
      value: config.wiring.stateReaders,
    });
  }
  if (config.wiring.stateReadRoleArn && config.wiring.mode !== "remote-state") {
    problems.push({
      code: "no-effect.state-read-role",
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
    problems.push({ code: "arn.partition", path, message: `expected an ARN of partition ${partitionOf(region)}, the partition of ${region}`, value: arn });
  }
}

/**
 * The topic the alarms notify must be in the alarms' region: PutMetricAlarm
 * refuses an action in another region ("Invalid region … specified. Only
 * <region> is supported"; AlarmActions in the API reference,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html),
 * and in the region's partition. Another account's topic is allowed: its
 * policy decides whether CloudWatch may publish.
 */
export function checkAlarmTopic(topicArn: string | undefined, region: string, path: string, problems: Problems): void {
  if (topicArn === undefined) return;
  checkPartition(topicArn, region, path, problems);
  const topicRegion = topicArn.split(":")[3];
  if (topicRegion !== region) {
    problems.push({
      code: "alarms.topic-other-region",
      path,
      message: `expected an SNS topic in ${region}, the region of the alarms: CloudWatch alarms notify topics in their own region only`,
      value: topicArn,
    });
  }
}
