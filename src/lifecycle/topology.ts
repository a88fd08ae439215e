import { PROVIDER_STACK } from "../wiring/contract";
import type { StackNode } from "../wiring/stack-graph";

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
