import type { App, TerraformStack } from "cdktf";
import type { ConsumerConfig, PrivateLinkConfig, StateConfig } from "./config/types";
import type { StateLocation } from "./state/backend";
import { AcceptanceStack } from "./stacks/acceptance-stack";
import type { AccountStack } from "./stacks/account-stack";
import { BootstrapStack } from "./stacks/bootstrap-stack";
import { ConsumerStack } from "./stacks/consumer-stack";
import { PrivateDnsStack } from "./stacks/private-dns-stack";
import { ProviderStack } from "./stacks/provider-stack";
import { externalStateReaders, stateKey, stateKeyAliasName, stateKmsKeyArn, stateReaderGrants, stateWriters } from "./wiring/state-layout";
import { type StackNode, stackGraph } from "./wiring/stack-graph";

/** Every stack of the app, by kind. */
export interface PrivateLinkStacks {
  readonly bootstrap: BootstrapStack[];
  readonly provider: ProviderStack;
  readonly consumers: ConsumerStack[];
  readonly acceptance: AcceptanceStack[];
  /** One per consumer when the service has a private DNS name. */
  readonly privateDns: PrivateDnsStack[];
}

/**
 * Adds every stack of the config's stack graph to `app`, in its order, and
 * declares each stack's dependencies to cdktf, so that `cdktf deploy '*'`
 * and `cdktf diff` order the stacks as `npm run deploy` does.
 */
export function buildStacks(app: App, config: PrivateLinkConfig): PrivateLinkStacks {
  const readers = stateReaderGrants(config);
  const stacks = new Map<string, AccountStack | BootstrapStack>();
  const stateOf = (name: string): StateLocation => {
    const state = stacks.get(name)?.state;
    if (!state) throw new Error(`Stack ${name} has no S3 state to read, or is built after the stacks that read it.`);
    return state;
  };
  const consumerOf = (node: StackNode) => config.consumers.find((c) => c.name === node.consumer) as ConsumerConfig;

  const bootstrap: BootstrapStack[] = [];
  const providers: ProviderStack[] = [];
  const consumers: ConsumerStack[] = [];
  const acceptance: AcceptanceStack[] = [];
  const privateDns: PrivateDnsStack[] = [];
  const create = (node: StackNode): AccountStack | BootstrapStack => {
    const { name, account } = node;
    switch (node.kind) {
      case "bootstrap": {
        // Bootstrap stacks exist only for accounts with a state bucket.
        const state = account.state as StateConfig;
        const grant = readers.get(name);
        const stateReader = grant && {
          roleName: grant.roleName,
          readerPrincipals: grant.readerPrincipals,
          stateKeys: grant.producers.map((p) => stateKey(state.keyPrefix, config.project, p)),
        };
        const stack = new BootstrapStack(app, name, {
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
        bootstrap.push(stack);
        return stack;
      }
      case "provider": {
        const stack = new ProviderStack(app, name, { config });
        providers.push(stack);
        return stack;
      }
      case "consumer": {
        const stack = new ConsumerStack(app, name, { config, consumer: consumerOf(node), stateOf });
        consumers.push(stack);
        return stack;
      }
      case "acceptance": {
        const stack = new AcceptanceStack(app, name, { config, consumer: consumerOf(node), stateOf });
        acceptance.push(stack);
        return stack;
      }
      case "private-dns": {
        const stack = new PrivateDnsStack(app, name, { config, consumer: consumerOf(node), stateOf });
        privateDns.push(stack);
        return stack;
      }
    }
  };
  for (const node of stackGraph(config)) {
    const stack = create(node);
    stacks.set(node.name, stack);
    for (const before of node.after) stack.addDependency(stacks.get(before) as TerraformStack);
  }
  return { bootstrap, provider: providers[0], consumers, acceptance, privateDns };
}
