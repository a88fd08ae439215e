import type { Problems } from "./errors";
import { resolveNetwork } from "./network-rules";
import type { ProviderFacts } from "./consumer-rules";
import { at, part } from "./parts";
import { checkAlarmTopic, resolveAccount } from "./rules";
import { resolveService } from "./service-rules";
import { type AccountInput, AccountSchema } from "./account-schema";
import { NetworkSchema } from "./network-schema";
import { ServiceSchema } from "./service-schema";
import { ResourceSchema } from "./resource-schema";
import { resolveResources } from "./resource-rules";
import type { PrivateLinkConfig } from "./types";

/** The provider section, resolved as far as its parts hold, with what the consumers' rules need of it. */
export interface ResolvedProvider {
  /** The account as given, once it type-checks: the other sections' rules read its region and organization. */
  readonly accountInput?: AccountInput;
  /** The whole section, when every part of it holds. */
  readonly config?: PrivateLinkConfig["provider"];
  /** Region, AZ ids and dual stack, for where a consumer may sit; undefined until account and network type-check. */
  readonly facts?: ProviderFacts;
  /** Names of the shared resources as given, so a consumer's list is checked even when a resource has another problem. */
  readonly sharedNames?: readonly string[];
}

/** `provider`: its account, network, service and shared resources, each with its cross-field rules. */
export function resolveProvider(raw: unknown, problems: Problems): ResolvedProvider {
  const accountInput = part(AccountSchema, at(raw, "account"));
  const networkInput = part(NetworkSchema, at(raw, "network"));
  const serviceInput = part(ServiceSchema, at(raw, "service"));
  const account = accountInput && resolveAccount(accountInput, "provider.account", problems);
  const network = accountInput && networkInput && resolveNetwork(networkInput, "provider.network", accountInput.region, problems);
  if (network?.kind === "existing" && network.subnetIds.length < 2) {
    problems.push({
      code: "network.provider-subnets",
      path: "provider.network.subnetIds",
      message: "expected at least two subnets in different AZs: the NLB and the endpoint service span at least two",
      value: network.subnetIds,
    });
  }
  const rawResources = at(raw, "resources") ?? [];
  const resourceList: unknown[] = Array.isArray(rawResources) ? rawResources : [];
  const resources = Array.isArray(rawResources)
    ? resolveResources(
        resourceList.map((r) => part(ResourceSchema, r)),
        "provider.resources",
        problems,
        networkInput && "cidr" in networkInput && typeof networkInput.cidr === "string" ? networkInput.cidr : undefined,
      )
    : undefined;
  const sharedNames = Array.isArray(rawResources) ? resourceList.map((r) => at(r, "name")).filter((n): n is string => typeof n === "string") : undefined;
  const service =
    accountInput && serviceInput && resolveService(serviceInput, "provider.service", { ...accountInput, ipv6: networkInput?.ipv6 ?? false }, problems);
  if (accountInput && serviceInput?.alarms) checkAlarmTopic(serviceInput.alarms.topicArn, accountInput.region, "provider.service.alarms.topicArn", problems);
  const facts =
    accountInput && networkInput
      ? { region: accountInput.region, azIds: networkInput.azIds, dualStack: serviceInput?.dualStack ?? networkInput.ipv6 }
      : undefined;
  const config = account && network && service && resources ? { account, network, service, resources } : undefined;
  return { accountInput, config, facts, sharedNames };
}
