import * as v from "valibot";
import type { Problems } from "./errors";
import { latestImageParameter, supportsEbsOptimization } from "./images";
import { resolveNetwork } from "./network-rules";
import {
  checkClientCidrs,
  checkConsumerAlarms,
  checkConsumerPlacement,
  type ProviderFacts,
  resolveConsumerDualStack,
  resolvePrincipals,
} from "./consumer-rules";
import { at, part } from "./parts";
import { checkAlarmTopic, resolveAccount } from "./rules";
import { AccountSchema } from "./account-schema";
import { NetworkSchema } from "./network-schema";
import { ClientCidrsSchema, ConsumerSchema } from "./schema";
import { AlarmsSchema } from "./schema-fields";
import { resourceName } from "./resource-schema";
import { checkConsumerResources } from "./resource-rules";
import type { ConsumerConfig } from "./types";

/** What a consumer's rules read of the provider; each part undefined while it does not type-check. */
export interface ConsumerContext {
  readonly provider?: ProviderFacts;
  /** The provider's organization: a consumer in it takes the resource share without an invitation. */
  readonly providerOrganizationId?: string;
  /** Names of the provider's shared resources. */
  readonly sharedNames?: readonly string[];
}

/**
 * One consumer, `consumers[index]`: each part checked on its own and across
 * fields, then the schema's output with what is derived from it. A new
 * option of the schema comes through as it is; only a derived one is
 * written here.
 */
export function resolveConsumer(raw: unknown, index: number, context: ConsumerContext, problems: Problems): ConsumerConfig | undefined {
  const path = `consumers[${index}]`;
  const accountInput = part(AccountSchema, at(raw, "account"));
  const networkInput = part(NetworkSchema, at(raw, "network"));
  const account = accountInput && resolveAccount(accountInput, `${path}.account`, problems);
  const network = accountInput && networkInput && resolveNetwork(networkInput, `${path}.network`, accountInput.region, problems);
  const { provider } = context;
  const serviceRegion =
    accountInput && networkInput && provider
      ? checkConsumerPlacement(accountInput, networkInput, path, provider, at(raw, "azLookup") === true, problems)
      : undefined;
  const dualStack = networkInput && provider ? resolveConsumerDualStack(at(raw, "dualStack"), networkInput, path, provider, problems) : false;
  const allowed = part(ClientCidrsSchema, at(raw, "allowedClientCidrs"));
  if (allowed) checkClientCidrs(allowed, `${path}.allowedClientCidrs`, problems);
  const alarms = part(AlarmsSchema, at(raw, "alarms"));
  if (alarms && accountInput) checkAlarmTopic(alarms.topicArn, accountInput.region, `${path}.alarms.topicArn`, problems);
  checkConsumerAlarms(at(raw, "alarms"), serviceRegion, path, problems);
  const resources = part(v.array(resourceName), at(raw, "resources") ?? []);
  if (resources) checkConsumerResources(resources, path, context.sharedNames, serviceRegion, problems);

  const whole = part(ConsumerSchema, raw);
  if (!whole || !account || !network) return undefined;
  return {
    ...whole,
    account,
    network,
    principals: resolvePrincipals(whole.principals, whole.account, `${path}.principals`, problems),
    serviceRegion,
    clientImageParameter: latestImageParameter(whole.clientInstanceType),
    clientEbsOptimized: supportsEbsOptimization(whole.clientInstanceType),
    dualStack,
    // One organization (RAM sharing with it enabled) shares without invitations.
    acceptsResourceShare: whole.account.organizationId === undefined || whole.account.organizationId !== context.providerOrganizationId,
  };
}
