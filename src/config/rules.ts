import { cidrContains, cidrSize, prefixLength } from "./cidr";
import type { Problems } from "./errors";
import { arnPartition, CROSS_REGION_PRIVATELINK_REGIONS, partitionOf } from "./regions";
import type { AccountInput } from "./account-schema";
import type { NetworkInput } from "./network-schema";
import type { BackendInput } from "./schema";
import { DEFAULT_SSL_POLICY, type ServiceInput } from "./service-schema";
import type { AccountConfig, BackendConfig, ListenerConfig, PrivateLinkConfig, ServiceConfig } from "./types";
import { serviceUserData, targetPortsOf } from "./user-data";

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

/**
 * The service's listeners, from `port` (one TCP listener) or `listeners`,
 * with TLS settings that hold together; user data that fits EC2's limit and
 * that can serve them. Undefined when the listeners cannot be resolved.
 */
export function resolveService(
  service: ServiceInput,
  path: string,
  provider: { readonly id: string; readonly region: string },
  problems: Problems,
): ServiceConfig | undefined {
  const { port, listeners: given, ...rest } = service;
  if (port !== undefined && given !== undefined) {
    problems.push({
      code: "service.port-and-listeners",
      path: `${path}.port`,
      message: "expected either port (one TCP listener) or listeners, not both; put the port into listeners",
      value: port,
    });
  }
  if (port === undefined && given === undefined) {
    problems.push({
      code: "service.port-missing",
      path: `${path}.port`,
      message: 'missing required field; expected the service port, such as 8080, or "listeners": [{ "port": 443, … }]',
      value: undefined,
    });
    return undefined;
  }
  const listeners: ListenerConfig[] = given
    ? given.map((listener, i) => resolveListener(listener, `${path}.listeners[${i}]`, provider, problems))
    : [{ port: port as number, protocol: "TCP", targetPort: port as number }];
  listeners.forEach((listener, i) => {
    const first = listeners.findIndex((l) => l.port === listener.port);
    if (first !== i) {
      problems.push({
        code: "listener.port-repeated",
        path: `${path}.listeners[${i}].port`,
        message: `expected each listener port once; ${path}.listeners[${first}] already listens on it`,
        value: listener.port,
      });
    }
  });

  const sshPorts = given
    ? given.flatMap((l, i) => [
        ...(l.port === 22 ? [`${path}.listeners[${i}].port`] : []),
        ...(l.targetPort === 22 ? [`${path}.listeners[${i}].targetPort`] : []),
      ])
    : port === 22
      ? [`${path}.port`]
      : [];
  for (const at of sshPorts) {
    problems.push({ code: "service.ssh-port", path: at, message: "expected a port other than 22: this project never exposes SSH", value: 22 });
  }

  if (service.page !== undefined && service.userData !== undefined) {
    problems.push({ code: "service.page-and-user-data", path: `${path}.userData`, message: "expected either page or userData, not both" });
  }
  if (service.proxyProtocolV2 && service.userData === undefined) {
    problems.push({
      code: "service.proxy-protocol-default-user-data",
      path: `${path}.proxyProtocolV2`,
      message:
        "expected userData with a server that reads the proxy protocol v2 header (such as nginx with proxy_protocol): " +
        "the default HTTP server would answer every proxied request with an error",
      value: true,
    });
  }
  const field = service.userData !== undefined ? "userData" : "page";
  const bytes = Buffer.byteLength(serviceUserData({ ...service, targetPorts: targetPortsOf({ listeners }) }), "utf8");
  if (bytes > USER_DATA_MAX_BYTES) {
    const what = field === "page" ? "a page whose user data (the page, base64-encoded, plus the server set-up)" : "user data that";
    problems.push({
      code: "service.user-data-too-large",
      path: `${path}.${field}`,
      message: `expected ${what} fits EC2's 16 KB user-data limit; it is ${bytes} bytes`,
      value: `${bytes} bytes`,
    });
  }
  return { ...rest, listeners, portShorthand: given === undefined };
}

/** One listener: TLS needs a certificate of the provider's account and region; TCP takes no TLS settings. */
function resolveListener(
  listener: NonNullable<ServiceInput["listeners"]>[number],
  path: string,
  provider: { readonly id: string; readonly region: string },
  problems: Problems,
): ListenerConfig {
  const targetPort = listener.targetPort ?? listener.port;
  if (listener.protocol === "TCP") {
    for (const field of ["certificateArn", "sslPolicy"] as const) {
      if (listener[field] === undefined) continue;
      problems.push({
        code: "listener.tls-option-on-tcp",
        path: `${path}.${field}`,
        message: `applies to TLS listeners only; set "protocol": "TLS" or remove ${field}`,
        value: listener[field],
      });
    }
    return { port: listener.port, protocol: "TCP", targetPort };
  }
  if (listener.certificateArn === undefined) {
    problems.push({
      code: "listener.tls-needs-certificate",
      path: `${path}.certificateArn`,
      message: "missing required field with TLS; expected the ACM certificate the NLB presents",
      value: undefined,
    });
  } else {
    const [, partition, , region, account] = listener.certificateArn.split(":");
    if (region !== provider.region || account !== provider.id || partition !== partitionOf(provider.region)) {
      problems.push({
        code: "listener.certificate-elsewhere",
        path: `${path}.certificateArn`,
        message: `expected a certificate in the provider's account ${provider.id} and region ${provider.region}: an NLB can only use those`,
        value: listener.certificateArn,
      });
    }
  }
  return { port: listener.port, protocol: "TLS", targetPort, certificateArn: listener.certificateArn, sslPolicy: listener.sslPolicy ?? DEFAULT_SSL_POLICY };
}

/** What the consumer rules need to know about the provider. */
export interface ProviderFacts {
  readonly region: string;
  /** Undefined for an existing VPC, whose AZ ids are read at deploy time. */
  readonly azIds?: readonly string[];
  readonly ipv6: boolean;
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
  if (network.ipv6 && !provider.ipv6) {
    problems.push({
      code: "network.ipv6-consumer-without-provider",
      path: `${path}.network.ipv6`,
      message: "expected provider.network.ipv6: true as well: a dual-stack endpoint needs a dual-stack endpoint service",
      value: true,
    });
  }
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

/** A consumer's principals: the account root, or roles (and the root) of the consumer's own account only. */
export function resolvePrincipals(given: readonly string[] | undefined, account: AccountInput, path: string, problems: Problems): string[] {
  if (!given) return [`arn:${partitionOf(account.region)}:iam::${account.id}:root`];
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
  });
  return [...given];
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
