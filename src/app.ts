import type { App } from "cdktf";
import type { PrivateLinkConfig, StateConfig } from "./config/types";
import type { StateLocation } from "./state/backend";
import { AcceptanceStack } from "./stacks/acceptance-stack";
import type { AccountStack } from "./stacks/account-stack";
import { BootstrapStack } from "./stacks/bootstrap-stack";
import { ConsumerStack } from "./stacks/consumer-stack";
import { PrivateDnsStack } from "./stacks/private-dns-stack";
import { ProviderStack } from "./stacks/provider-stack";
import {
  PROVIDER_STACK,
  acceptanceStackName,
  bootstrapStacks,
  consumerStackName,
  externalStateReaders,
  privateDnsStackName,
  stateKey,
  stateKeyAliasName,
  stateKmsKeyArn,
  stateReaderGrants,
  stateWriters,
} from "./wiring/contract";

/** Every stack of the app, by kind. */
export interface PrivateLinkStacks {
  readonly bootstrap: BootstrapStack[];
  readonly provider: ProviderStack;
  readonly consumers: ConsumerStack[];
  readonly acceptance: AcceptanceStack[];
  /** One per consumer when the service has a private DNS name. */
  readonly privateDns: PrivateDnsStack[];
}

/** Adds every stack the config describes to `app`. */
export function buildStacks(app: App, config: PrivateLinkConfig): PrivateLinkStacks {
  const readers = stateReaderGrants(config);
  const bootstrap = bootstrapStacks(config).map(({ name, account }) => {
    // bootstrapStacks() only lists accounts with a state bucket.
    const state = account.state as StateConfig;
    const grant = readers.get(name);
    const stateReader = grant && {
      roleName: grant.roleName,
      readerPrincipals: grant.readerPrincipals,
      stateKeys: grant.producers.map((p) => stateKey(state.keyPrefix, config.project, p)),
    };
    return new BootstrapStack(app, name, {
      account: { ...account, state },
      project: config.project,
      tags: config.tags,
      awsProviderVersion: config.awsProviderVersion,
      stateKmsKeyArn: stateKmsKeyArn(config, account) as string,
      stateKeyAliasName: stateKeyAliasName(state.bucket),
      stateWriters: stateWriters(config, state.bucket),
      externalStateReaders: externalStateReaders(config, name),
      stateReader,
    });
  });

  const stacks = new Map<string, AccountStack>();
  const stateOf = (name: string): StateLocation => {
    const state = stacks.get(name)?.state;
    if (!state) throw new Error(`Stack ${name} has no S3 state to read, or is built after the stacks that read it.`);
    return state;
  };

  const provider = new ProviderStack(app, PROVIDER_STACK, { config });
  stacks.set(provider.node.id, provider);
  const consumers = config.consumers.map((consumer) => {
    const stack = new ConsumerStack(app, consumerStackName(consumer.name), { config, consumer, stateOf });
    stacks.set(stack.node.id, stack);
    return stack;
  });
  const acceptance = config.provider.service.acceptanceRequired
    ? config.consumers.map((consumer) => new AcceptanceStack(app, acceptanceStackName(consumer.name), { config, consumer, stateOf }))
    : [];
  const privateDns = config.provider.service.privateDns
    ? config.consumers.map((consumer) => new PrivateDnsStack(app, privateDnsStackName(consumer.name), { config, consumer, stateOf }))
    : [];
  return { bootstrap, provider, consumers, acceptance, privateDns };
}
