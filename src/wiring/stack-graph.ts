import type { AccountConfig, PrivateLinkConfig } from "../config/types";
import { PROVIDER_STACK, acceptanceStackName, consumerStackName, privateDnsStackName, wiringPlan } from "./contract";
import { bootstrapStackOf, bootstrapStacks } from "./state-layout";

/** What a stack is, for ordering and for `--consumer`. */
type StackKind = "bootstrap" | "provider" | "consumer" | "acceptance" | "private-dns";

/** One stack of the topology: what it is, where it deploys, and what must exist before it. */
export interface StackNode {
  readonly name: string;
  readonly kind: StackKind;
  /** The account it deploys into. */
  readonly account: AccountConfig;
  /** The consumer the stack belongs to; undefined for bootstrap and provider stacks. */
  readonly consumer?: string;
  /** Stacks applied before this one (and destroyed after it). */
  readonly after: readonly string[];
  /** Stacks whose outputs feed this stack's variables (none in remote-state wiring). */
  readonly inputsFrom: readonly string[];
  /** The bootstrap stack that makes the bucket this stack keeps its state in; undefined without one. */
  readonly stateFrom?: string;
}

/**
 * Every stack the config synthesizes, in deploy order, with its
 * dependencies: bootstrap stacks first, then the provider, each consumer,
 * its acceptance, then its private DNS. Built once from the config; the
 * app, the lifecycle, wire and the orphan check all read it, so no code
 * parses a stack's name back into its account or consumer. Dependencies
 * come from the wiring contract, so the order is the one values flow in.
 */
export function stackGraph(config: PrivateLinkConfig): StackNode[] {
  const hops = wiringPlan(config);
  const producersOf = (stack: string) => [...new Set(hops.filter((h) => h.stack === stack).map((h) => h.fromStack))];
  const inputsFrom = (stack: string) => (config.wiring.mode === "variables" ? producersOf(stack) : []);
  const bucketOf = (account: AccountConfig) => {
    const bootstrap = bootstrapStackOf(config, account);
    return bootstrap ? [bootstrap] : [];
  };
  const placed = (account: AccountConfig) => ({ account, stateFrom: bootstrapStackOf(config, account) });

  const nodes: StackNode[] = bootstrapStacks(config).map((b) => ({ name: b.name, kind: "bootstrap", account: b.account, after: [], inputsFrom: [] }));
  const { account } = config.provider;
  nodes.push({ name: PROVIDER_STACK, kind: "provider", after: bucketOf(account), inputsFrom: [], ...placed(account) });
  for (const consumer of config.consumers) {
    const consumerStack = consumerStackName(consumer.name);
    const own = { consumer: consumer.name };
    nodes.push({
      name: consumerStack,
      kind: "consumer",
      ...own,
      after: unique([PROVIDER_STACK, ...bucketOf(consumer.account)]),
      inputsFrom: inputsFrom(consumerStack),
      ...placed(consumer.account),
    });
    let last = consumerStack;
    if (config.provider.service.acceptanceRequired) {
      const acceptance = acceptanceStackName(consumer.name);
      // In the provider's account: the provider accepts the consumer's connection.
      nodes.push({ name: acceptance, kind: "acceptance", ...own, after: [consumerStack], inputsFrom: inputsFrom(acceptance), ...placed(account) });
      last = acceptance;
    }
    if (config.provider.service.privateDns) {
      const privateDns = privateDnsStackName(consumer.name);
      // After acceptance: AWS turns on private DNS only for an accepted connection.
      nodes.push({ name: privateDns, kind: "private-dns", ...own, after: [last], inputsFrom: inputsFrom(privateDns), ...placed(consumer.account) });
    }
  }
  return nodes;
}

/** Every stack the config synthesizes, by name, in deploy order. */
export function stackNames(config: PrivateLinkConfig): string[] {
  return stackGraph(config).map((n) => n.name);
}

/**
 * The consumers' stacks (consumer, acceptance, private DNS) with the
 * consumer each belongs to, as the provider records them (`SERVED_STACKS`).
 */
export function servedStacks(config: PrivateLinkConfig): Record<string, string> {
  return Object.fromEntries(stackGraph(config).flatMap((n) => (n.consumer ? [[n.name, n.consumer]] : [])));
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}
