import { latestImageParameter, supportsEbsOptimization } from "./images";
import * as v from "valibot";
import { stackNames } from "../wiring/stack-graph";
import { ConfigError, type Problems } from "./errors";
import { dedupe, issueProblems } from "./issues";
import { resolveNetwork } from "./network-rules";
import {
  checkClientCidrs,
  checkConsumerAlarms,
  checkConsumerNames,
  checkConsumerPlacement,
  type ProviderFacts,
  resolveConsumerDualStack,
  resolvePrincipals,
} from "./consumer-rules";
import { checkAlarmTopic, checkNoEffect, checkPartition, resolveAccount, resolveBackend } from "./rules";
import { resolveService } from "./service-rules";
import { AccountSchema } from "./account-schema";
import { NetworkSchema } from "./network-schema";
import { BackendSchema, ClientCidrsSchema, ConfigSchema, ConsumerSchema } from "./schema";
import { AlarmsSchema } from "./schema-fields";
import { ServiceSchema } from "./service-schema";
import { ResourceSchema, resourceName } from "./resource-schema";
import { checkConsumerResources, resolveResources } from "./resource-rules";
import type { ConsumerConfig, PrivateLinkConfig } from "./types";

/**
 * Validates an already-parsed config object: the schema on the whole, then
 * the cross-field rules on every part that type-checked on its own, so a
 * typo in one consumer does not hide a bad subnet in another. Throws
 * `ConfigError` listing every problem; returns the resolved config.
 */
export function validateConfig(raw: unknown, file = "<inline>"): PrivateLinkConfig {
  const problems: Problems = [];
  const parsed = v.safeParse(ConfigSchema, raw, { abortEarly: false });
  if (!parsed.success) problems.push(...parsed.issues.flatMap(issueProblems));

  // valibot's record takes a list as an object with keys 0, 1, …
  if (Array.isArray(at(raw, "tags"))) {
    problems.push({ code: "field.type", path: "tags", message: 'expected an object of string tags such as { "team": "network" }', value: at(raw, "tags") });
  }

  const account = part(AccountSchema, at(raw, "provider", "account"));
  const network = part(NetworkSchema, at(raw, "provider", "network"));
  const service = part(ServiceSchema, at(raw, "provider", "service"));
  const providerAccount = account && resolveAccount(account, "provider.account", problems);
  const providerNetwork = account && network && resolveNetwork(network, "provider.network", account.region, problems);
  if (providerNetwork?.kind === "existing" && providerNetwork.subnetIds.length < 2) {
    problems.push({
      code: "network.provider-subnets",
      path: "provider.network.subnetIds",
      message: "expected at least two subnets in different AZs: the NLB and the endpoint service span at least two",
      value: providerNetwork.subnetIds,
    });
  }
  const rawResources = at(raw, "provider", "resources") ?? [];
  const resourceList: unknown[] = Array.isArray(rawResources) ? rawResources : [];
  const providerResources = Array.isArray(rawResources)
    ? resolveResources(
        resourceList.map((r) => part(ResourceSchema, r)),
        "provider.resources",
        problems,
      )
    : undefined;
  // Names as given, so a consumer's list is checked even when a resource has another problem.
  const sharedNames = Array.isArray(rawResources) ? resourceList.map((r) => at(r, "name")).filter((n): n is string => typeof n === "string") : undefined;
  const providerService = account && service && resolveService(service, "provider.service", { ...account, ipv6: network?.ipv6 ?? false }, problems);
  if (account && service?.alarms) checkAlarmTopic(service.alarms.topicArn, account.region, "provider.service.alarms.topicArn", problems);
  const readRole = at(raw, "wiring", "stateReadRoleArn");
  if (account && typeof readRole === "string") checkPartition(readRole, account.region, "wiring.stateReadRoleArn", problems);
  const readers = at(raw, "wiring", "stateReaders");
  if (account && Array.isArray(readers)) {
    readers.forEach((arn, i) => {
      if (typeof arn === "string") checkPartition(arn, account.region, `wiring.stateReaders[${i}]`, problems);
    });
  }

  const providerFacts: ProviderFacts | undefined =
    account && network ? { region: account.region, azIds: network.azIds, dualStack: service?.dualStack ?? network.ipv6 } : undefined;
  const rawConsumers: unknown[] = Array.isArray(at(raw, "consumers")) ? (at(raw, "consumers") as unknown[]) : [];
  const consumerAccounts = rawConsumers.map((c) => part(AccountSchema, at(c, "account")));
  const consumers = rawConsumers.map((c, i): ConsumerConfig | undefined => {
    const path = `consumers[${i}]`;
    const cAccount = consumerAccounts[i];
    const cNetwork = part(NetworkSchema, at(c, "network"));
    const cAllowed = part(ClientCidrsSchema, at(c, "allowedClientCidrs"));
    const resolvedAccount = cAccount && resolveAccount(cAccount, `${path}.account`, problems);
    const resolvedNetwork = cAccount && cNetwork && resolveNetwork(cNetwork, `${path}.network`, cAccount.region, problems);
    const serviceRegion =
      cAccount && cNetwork && providerFacts ? checkConsumerPlacement(cAccount, cNetwork, path, providerFacts, at(c, "azLookup") === true, problems) : undefined;
    const dualStack = cNetwork && providerFacts ? resolveConsumerDualStack(at(c, "dualStack"), cNetwork, path, providerFacts, problems) : false;
    if (cAllowed) checkClientCidrs(cAllowed, `${path}.allowedClientCidrs`, problems);
    const cAlarms = part(AlarmsSchema, at(c, "alarms"));
    if (cAlarms && cAccount) checkAlarmTopic(cAlarms.topicArn, cAccount.region, `${path}.alarms.topicArn`, problems);
    checkConsumerAlarms(at(c, "alarms"), serviceRegion, path, problems);
    const cResources = part(v.array(resourceName), at(c, "resources") ?? []);
    if (cResources) checkConsumerResources(cResources, path, sharedNames, serviceRegion, problems);
    const whole = part(ConsumerSchema, c);
    if (!whole || !resolvedAccount || !resolvedNetwork) return undefined;
    return {
      name: whole.name,
      account: resolvedAccount,
      network: resolvedNetwork,
      allowedClientCidrs: whole.allowedClientCidrs,
      principals: resolvePrincipals(whole.principals, whole.account, `${path}.principals`, problems),
      serviceRegion,
      clientInstanceType: whole.clientInstanceType,
      clientImageId: whole.clientImageId,
      clientImageParameter: latestImageParameter(whole.clientInstanceType),
      clientEbsOptimized: supportsEbsOptimization(whole.clientInstanceType),
      clientDetailedMonitoring: whole.clientDetailedMonitoring,
      azLookup: whole.azLookup,
      dualStack,
      alarms: whole.alarms,
      resources: whole.resources,
      // One organization (RAM sharing with it enabled) shares without invitations.
      acceptsResourceShare: whole.account.organizationId === undefined || whole.account.organizationId !== account?.organizationId,
    };
  });
  checkConsumerNames(
    rawConsumers.map((c) => (typeof at(c, "name") === "string" ? (at(c, "name") as string) : undefined)),
    problems,
  );

  const backendInput = part(BackendSchema, at(raw, "backend") ?? v.getDefault(ConfigSchema.entries.backend));
  const project = typeof at(raw, "project") === "string" ? (at(raw, "project") as string) : "";
  const accounts = [
    ...(account ? [["provider.account", account] as const] : []),
    ...consumerAccounts.flatMap((a, i) => (a ? [[`consumers[${i}].account`, a] as const] : [])),
  ];
  const mode = at(raw, "wiring", "mode");
  const backend = backendInput && resolveBackend(backendInput, project, typeof mode === "string" ? mode : undefined, accounts, problems);

  if (problems.length > 0 || !parsed.success || !providerAccount || !providerNetwork || !providerService || !providerResources || !backend) {
    throw new ConfigError(file, dedupe(problems));
  }
  const config: PrivateLinkConfig = {
    project: parsed.output.project,
    awsProviderVersion: parsed.output.awsProviderVersion,
    tags: parsed.output.tags,
    wiring: parsed.output.wiring,
    backend,
    provider: { account: providerAccount, network: providerNetwork, service: providerService, resources: providerResources },
    consumers: consumers.filter((c): c is ConsumerConfig => c !== undefined),
  };
  // Needs the whole config (the stack names), so it runs once everything else holds.
  checkNoEffect(config, stackNames(config), problems);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return config;
}

/** The value at a key path of untyped JSON; undefined where the path leads nowhere. */
function at(value: unknown, ...keys: (string | number)[]): unknown {
  return keys.reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[key] : undefined), value);
}

/** A part of the config parsed on its own; undefined when it does not type-check (the whole-config parse reports why). */
function part<T extends v.GenericSchema>(schema: T, value: unknown): v.InferOutput<T> | undefined {
  const result = v.safeParse(schema, value);
  return result.success ? result.output : undefined;
}
