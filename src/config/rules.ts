import { cidrContains, cidrSize, prefixLength } from "./cidr";
import type { Problems } from "./errors";
import { arnPartition, partitionOf } from "./regions";
import type { AccountInput } from "./account-schema";
import type { NetworkInput } from "./network-schema";
import type { BackendInput } from "./schema";
import type { ServiceInput } from "./service-schema";
import type { AccountConfig, BackendConfig, PrivateLinkConfig } from "./types";
import { serviceUserData } from "./user-data";

/**
 * Rules that span several fields. Each takes an already type-checked part of
 * the config, pushes what is wrong onto `problems`, and returns the resolved
 * part (defaults and derived values filled in). The rules of one network are
 * in `network-rules.ts`.
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

/** EC2's limit on user data, before base64 (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html). */
const USER_DATA_MAX_BYTES = 16 * 1024;

export function checkService(service: ServiceInput, path: string, problems: Problems): void {
  if (service.page !== undefined && service.userData !== undefined) {
    problems.push({ code: "service.page-and-user-data", path: `${path}.userData`, message: "expected either page or userData, not both" });
  }
  const field = service.userData !== undefined ? "userData" : "page";
  const bytes = Buffer.byteLength(serviceUserData(service), "utf8");
  if (bytes > USER_DATA_MAX_BYTES) {
    const what = field === "page" ? "a page whose user data (the page, base64-encoded, plus the server set-up)" : "user data that";
    problems.push({
      code: "service.user-data-too-large",
      path: `${path}.${field}`,
      message: `expected ${what} fits EC2's 16 KB user-data limit; it is ${bytes} bytes`,
      value: `${bytes} bytes`,
    });
  }
  if (service.port === 22) {
    problems.push({
      code: "service.ssh-port",
      path: `${path}.port`,
      message: "expected a port other than 22: this project never exposes SSH",
      value: service.port,
    });
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
  account: AccountInput,
  network: NetworkInput,
  path: string,
  provider: ProviderFacts,
  azLookup: boolean,
  problems: Problems,
): void {
  if (account.region !== provider.region) {
    problems.push({
      code: "consumer.other-region",
      path: `${path}.account.region`,
      message: `expected the provider's region ${provider.region}: an interface endpoint reaches services in its own region`,
      value: account.region,
    });
  }
  network.azIds.forEach((azId, i) => {
    if (!azLookup && !provider.azIds.includes(azId)) {
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
    }
  } else if (wiringMode === "remote-state") {
    problems.push({
      code: "wiring.remote-state-with-cloud",
      path: "wiring.mode",
      message: 'expected "variables" with the cloud backend: remote-state wiring reads S3 state; set the values as workspace variables (npm run wire -- --tfc)',
      value: wiringMode,
    });
  }
  return backend.type === "s3" ? backend : { ...backend, workspacePrefix: backend.workspacePrefix ?? `${project}-`, workspaces: backend.workspaces ?? {} };
}

/**
 * Settings that would silently do nothing are errors: whoever wrote them
 * meant something. `stacks` are the names of the stacks the config makes.
 */
export function checkNoEffect(config: PrivateLinkConfig, stacks: readonly string[], problems: Problems): void {
  if (config.backend.type === "cloud") {
    for (const name of Object.keys(config.backend.workspaces)) {
      if (!stacks.includes(name)) {
        problems.push({
          code: "no-effect.workspace",
          path: `backend.workspaces.${name}`,
          message: `names no stack of this config, so it would do nothing; the stacks are ${stacks.join(", ")}`,
          value: config.backend.workspaces[name],
        });
      }
    }
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
