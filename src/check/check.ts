import type { ConsumerConfig, SharedResourceConfig } from "../config/types";
import { type AccountClients, CredentialsError, accountClients } from "./aws";
import { firstBlocker, healthOfPort } from "./diagnose";
import type { Blocker, ClientInstance, ConsumerPath, IpFamily, ProbeTarget, ResourcePath } from "./path";
import { ReadError, findClientByName, readConsumerPath, readResourcePath } from "./read-path";
import { firstResourceBlocker, resourceTargets } from "./resources";
import { ProbeError, runProbes } from "./run-probes";

/** One probe's line of the report. */
interface ProbeRow {
  /** The DNS name probed, and which of the endpoint's names it is (`regional`, `zonal`, `private DNS`, or `resource NAME` for a shared resource's endpoint). */
  readonly target: string;
  readonly kind: string;
  readonly port: number;
  readonly family: IpFamily;
  /** `connected`, `refused`, `timeout`, `unresolved` or `no answer`. */
  readonly result: string;
  readonly ms?: number;
  /** Healthy and registered targets behind the listener on the port, e.g. `2/2`; `-` for a shared resource. */
  readonly healthy: string;
  /** For a probe that failed: the first component along the path that blocks it, as the API shows it. */
  readonly blockedBy?: Blocker;
}

/** What the check found for one consumer: its probes, or why it could not probe. */
export interface ConsumerReport {
  readonly consumer: string;
  readonly endpointId?: string;
  readonly endpointState?: string;
  readonly clientInstanceId?: string;
  readonly probes: readonly ProbeRow[];
  /** Why the consumer could not be probed at all. */
  readonly error?: string;
}

/** The kinds of name the check probes, as `--kind` names them. */
export const PROBE_KINDS = ["regional", "zonal", "private-dns", "resource"] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

/** Which `--kind` a target is: the report's `private DNS` is `private-dns`, and every `resource NAME` is `resource`. */
export function kindOf(target: ProbeTarget): ProbeKind {
  if (target.kind === "private DNS") return "private-dns";
  return target.kind.startsWith("resource ") ? "resource" : (target.kind as ProbeKind);
}

/** Whether a target is one the scope asks for, by family and kind. */
export function inScope(target: ProbeTarget, scope: Pick<ProbeScope, "family" | "kinds">): boolean {
  return (!scope.family || target.family === scope.family) && (!scope.kinds || scope.kinds.includes(kindOf(target)));
}

/** Which connections to make: the listener ports (all of the config's by default), one IP family or both, and which kinds of name. */
export interface ProbeScope {
  readonly ports: readonly number[];
  /** Only these ports of the shared resources; @default every port each resource shares */
  readonly resourcePorts?: readonly number[];
  /** Only this family; @default both where the consumer is dual stack */
  readonly family?: IpFamily;
  /** Only these kinds of name; @default every kind */
  readonly kinds?: readonly ProbeKind[];
}

/** The ids `npm run check` reads from a consumer stack's outputs. */
export interface ConsumerOutputs {
  readonly endpointId?: string;
  readonly clientInstanceId?: string;
  /** The client's Name tag, to find it by when the stack has no `client_instance_id` output (deployed by 0.1.0). */
  readonly clientName?: string;
  /** The Resource endpoint of each shared resource the consumer reaches, by resource name. */
  readonly resourceEndpointIds?: Readonly<Record<string, string>>;
}

/** Whether every consumer was probed and every probe connected. */
export function allPassed(reports: readonly ConsumerReport[]): boolean {
  return reports.every((r) => !r.error && r.probes.length > 0 && r.probes.every((p) => p.result === "connected"));
}

/**
 * The connections to make from a consumer's client: every name of its
 * endpoint (regional, then each zonal one, then the service's private DNS
 * name where the endpoint has it on), on every listener port of the config,
 * over IPv4 and, where the consumer is dual stack, IPv6.
 */
export function probeTargets(path: ConsumerPath, ports: readonly number[], dualStack: boolean): ProbeTarget[] {
  const names = path.endpoint.dnsNames.map((name, i) => ({ name, kind: i === 0 ? "regional" : "zonal" }));
  const privateName = path.endpoint.privateDnsEnabled ? path.service?.privateDnsName : undefined;
  if (privateName) names.push({ name: privateName, kind: "private DNS" });
  const families: IpFamily[] = dualStack ? ["ipv4", "ipv6"] : ["ipv4"];
  return names.flatMap(({ name, kind }) => ports.flatMap((port) => families.map((family) => ({ name, kind, port, family }))));
}

/** One planned probe: where it goes, and how to explain its failure. */
interface PlannedProbe {
  readonly target: ProbeTarget;
  readonly healthy: string;
  readonly explain: () => Blocker | undefined;
}

/** The probes through the interface endpoint. */
function serviceProbes(path: ConsumerPath, consumer: ConsumerConfig, scope: ProbeScope): PlannedProbe[] {
  return probeTargets(path, scope.ports, consumer.dualStack)
    .filter((t) => inScope(t, scope))
    .map((target) => ({ target, healthy: healthOfPort(path, target.port), explain: () => firstBlocker(path, target) }));
}

/** The probes through each Resource endpoint, on the ports in scope. */
function resourceProbes(client: ClientInstance, paths: readonly ResourcePath[], shared: readonly SharedResourceConfig[], scope: ProbeScope): PlannedProbe[] {
  return paths.flatMap((path) => {
    const resource = shared.find((r) => r.name === path.name);
    if (!resource) return [];
    return resourceTargets(path, resource)
      .filter((t) => inScope(t, scope) && (!scope.resourcePorts || scope.resourcePorts.includes(t.port)))
      .map((target) => ({ target, healthy: "-", explain: () => firstResourceBlocker(client, path, target) }));
  });
}

/** Probes one consumer's client through its endpoints and explains each failure; never throws for what the operator can fix. */
export async function checkConsumer(
  consumer: ConsumerConfig,
  outputs: ConsumerOutputs,
  provider: () => Promise<AccountClients>,
  scope: ProbeScope,
  shared: readonly SharedResourceConfig[] = [],
): Promise<ConsumerReport> {
  const base = { consumer: consumer.name, endpointId: outputs.endpointId, clientInstanceId: outputs.clientInstanceId, probes: [] };
  const unreached = consumer.resources.filter((name) => !outputs.resourceEndpointIds?.[name]);
  const missing = [
    !outputs.endpointId && "endpoint_id",
    !outputs.clientInstanceId && !outputs.clientName && "client_instance_id",
    unreached.length > 0 && `Resource endpoint for ${unreached.join(", ")} (resource_endpoint_ids)`,
  ].filter(Boolean);
  const deployIt = `deploy it (npm run deploy -- --consumer ${consumer.name})`;
  if (!outputs.endpointId || missing.length > 0)
    return { ...base, error: `consumer ${consumer.name}: its stack has no ${missing.join(" and ")} output: ${deployIt}.` };
  const { endpointId } = outputs;
  try {
    const clients = await accountClients(consumer.account);
    // A stack deployed by 0.1.0 has no client_instance_id output: its client is found by its Name tag.
    const clientInstanceId = outputs.clientInstanceId ?? (await findClientByName(clients, outputs.clientName ?? ""));
    if (!clientInstanceId)
      return {
        ...base,
        error: `consumer ${consumer.name}: its stack has no client_instance_id output, and no instance is named ${outputs.clientName}: ${deployIt}.`,
      };
    const found = { ...base, clientInstanceId };
    const path = await readConsumerPath(clients, await provider(), endpointId, clientInstanceId);
    const resourcePaths = await Promise.all(
      consumer.resources.map(async (name) => readResourcePath(clients, await provider(), name, outputs.resourceEndpointIds?.[name] ?? "")),
    );
    const planned = [...serviceProbes(path, consumer, scope), ...resourceProbes(path.client, resourcePaths, shared, scope)];
    if (planned.length === 0)
      return { ...found, endpointState: path.endpoint.state, error: `consumer ${consumer.name}: nothing to probe on the ports, family and kinds asked for` };
    const results = await runProbes(
      clients,
      consumer.name,
      clientInstanceId,
      planned.map((p) => p.target),
    );
    const probes = planned.map(({ target, healthy, explain }, i): ProbeRow => {
      const { result, ms } = results[i];
      const row = { target: target.name, kind: target.kind, port: target.port, family: target.family, result, ms, healthy };
      return result === "connected" ? row : { ...row, blockedBy: explain() ?? unexplained(result, target) };
    });
    return { ...found, endpointState: path.endpoint.state, probes };
  } catch (err) {
    if (err instanceof ProbeError || err instanceof ReadError || err instanceof CredentialsError) {
      const message = err.message.startsWith("consumer ") ? err.message : `consumer ${consumer.name}: ${err.message}`;
      return { ...base, error: message };
    }
    throw err;
  }
}

/** A failure every API-visible hop admits: what is left is what only the instances (or the shared resource) show. */
function unexplained(result: string, target: ProbeTarget): Blocker {
  const outcome = result === "refused" ? "was refused" : `got ${result}`;
  const where = target.kind.startsWith("resource ")
    ? "look at the resource (is it listening on the port, and does its security group admit the resource gateway's?)"
    : "look at the targets (is the service listening on the target port?) and at host firewalls";
  return { component: "beyond the API", id: "-", reason: `every hop the API shows admits it, yet the probe ${outcome}: ${where}` };
}
