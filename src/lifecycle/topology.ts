import type { PrivateLinkConfig } from "../config/types";
import { PROVIDER_STACK, acceptanceStackName, bootstrapStackOf, bootstrapStacks, consumerStackName, privateDnsStackName, wiringPlan } from "../wiring/contract";

/** What a stack is, for ordering and for `--consumer`. */
type StackKind = "bootstrap" | "provider" | "consumer" | "acceptance" | "private-dns";

/** One stack of the topology and what must exist before it. */
export interface StackNode {
  readonly name: string;
  readonly kind: StackKind;
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
 * its acceptance, then its private DNS. Dependencies come from the wiring
 * contract, so the order is the one values flow in.
 */
export function topology(config: PrivateLinkConfig): StackNode[] {
  const hops = wiringPlan(config);
  const producersOf = (stack: string) => [...new Set(hops.filter((h) => h.stack === stack).map((h) => h.fromStack))];
  const inputsFrom = (stack: string) => (config.wiring.mode === "variables" ? producersOf(stack) : []);
  const bucketOf = (account: PrivateLinkConfig["provider"]["account"]) => {
    const bootstrap = bootstrapStackOf(config, account);
    return bootstrap ? [bootstrap] : [];
  };

  const stateFrom = (account: PrivateLinkConfig["provider"]["account"]) => bootstrapStackOf(config, account);
  const nodes: StackNode[] = bootstrapStacks(config).map((b) => ({ name: b.name, kind: "bootstrap", after: [], inputsFrom: [] }));
  nodes.push({
    name: PROVIDER_STACK,
    kind: "provider",
    after: bucketOf(config.provider.account),
    inputsFrom: [],
    stateFrom: stateFrom(config.provider.account),
  });
  for (const consumer of config.consumers) {
    const consumerStack = consumerStackName(consumer.name);
    nodes.push({
      name: consumerStack,
      kind: "consumer",
      consumer: consumer.name,
      after: unique([PROVIDER_STACK, ...bucketOf(consumer.account)]),
      inputsFrom: inputsFrom(consumerStack),
      stateFrom: stateFrom(consumer.account),
    });
    let last = consumerStack;
    if (config.provider.service.acceptanceRequired) {
      const acceptance = acceptanceStackName(consumer.name);
      nodes.push({
        name: acceptance,
        kind: "acceptance",
        consumer: consumer.name,
        after: [consumerStack],
        inputsFrom: inputsFrom(acceptance),
        stateFrom: stateFrom(config.provider.account),
      });
      last = acceptance;
    }
    if (config.provider.service.privateDns) {
      const privateDns = privateDnsStackName(consumer.name);
      // After acceptance: AWS turns on private DNS only for an accepted connection.
      nodes.push({
        name: privateDns,
        kind: "private-dns",
        consumer: consumer.name,
        after: [last],
        inputsFrom: inputsFrom(privateDns),
        stateFrom: stateFrom(consumer.account),
      });
    }
  }
  return nodes;
}

/**
 * The stacks a command acts on. Without consumers named, all of them. With
 * consumers named: their own stacks, and for deploy and plan also the shared
 * stacks they need (bootstrap stacks and the provider, whose allowed
 * principals list every consumer). Destroy never selects shared stacks for a
 * consumer. Unknown names throw, listing the known ones.
 */
export function selectStacks(nodes: readonly StackNode[], consumers: readonly string[], forDestroy: boolean): StackNode[] {
  if (consumers.length === 0) return [...nodes];
  const known = [...new Set(nodes.flatMap((n) => (n.consumer ? [n.consumer] : [])))];
  const unknown = consumers.filter((c) => !known.includes(c));
  if (unknown.length > 0) throw new SelectionError(`Unknown consumer ${unknown.join(", ")}; the config's consumers are ${known.join(", ")}.`);
  const own = new Set(nodes.filter((n) => n.consumer && consumers.includes(n.consumer)).map((n) => n.name));
  if (forDestroy) return nodes.filter((n) => own.has(n.name));
  const wanted = new Set(own);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const visit = (name: string) => {
    for (const dep of byName.get(name)?.after ?? []) {
      if (!wanted.has(dep)) {
        wanted.add(dep);
        visit(dep);
      }
    }
  };
  [...own].forEach(visit);
  return nodes.filter((n) => wanted.has(n.name));
}

/**
 * The deploy order when the endpoint service stops supporting IPv6: each
 * consumer's stack first (its endpoint drops IPv6 while the service still
 * supports it), then the provider; the rest as before.
 */
export function consumersFirst(nodes: readonly StackNode[]): StackNode[] {
  const consumers = nodes.filter((n) => n.kind === "consumer").map((n) => n.name);
  return nodes.map((n) => {
    if (n.kind === "consumer") return { ...n, after: n.after.filter((a) => a !== PROVIDER_STACK) };
    if (n.kind === "provider") return { ...n, after: unique([...n.after, ...consumers]) };
    return n;
  });
}

/** A `--consumer` that names no consumer of the config. */
class SelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SelectionError";
  }
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}
