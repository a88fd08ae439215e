import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { type AccountClients, accountClients } from "../check/aws";
import { type ConsumerOutputs, type ConsumerReport, PROBE_KINDS, type ProbeKind, allPassed, checkConsumer } from "../check/check";
import { reportJson, reportTable } from "../check/report";
import { probedPorts } from "../check/resources";
import { clientInstanceName } from "../aws-names";
import { configPathFromEnv } from "../config/read";
import { loadConfig } from "../wiring/load";
import type { ConsumerConfig } from "../config/types";
import { listenerPortsOf } from "../config/user-data";
import type { IpFamily } from "../check/path";
import { stackOutputs } from "../lifecycle/terraform";
import { CLIENT_INSTANCE_ID, ENDPOINT_ID, RESOURCE_ENDPOINT_IDS } from "../wiring/contract";
import { runCli, synthesizeApp } from "./run";

const USAGE = `Usage: npm run check -- [--consumer NAME ...] [--port N ...] [--family ipv4|ipv6] [--kind K ...] [--json]

From each consumer's client instance, through SSM Run Command, opens a TCP
connection to every DNS name of its interface endpoint (regional, each AZ's,
the service's private DNS name where it is on) on every listener port, over
IPv4 and, where the consumer is dual stack, IPv6; and to the Resource
endpoint of each shared resource it reaches, on each port the resource
shares (a range wider than 16 ports at its two ends), over IPv4. Reads the NLB's target health,
each endpoint's state and each resource's configuration and gateway
alongside, and names the first component that blocks each failed
connection. Exits 0 only when every probe connected.

  --consumer NAME  only this consumer (repeatable)
  --port N         only this port, a listener's or a shared resource's (repeatable)
  --family F       only IPv4 or only IPv6
  --kind K         only this kind of name (repeatable): regional, zonal,
                   private-dns (the service's name) or resource (shared resources)
  --json           print the result as JSON

Runs as each account's roleArn, as npm run deploy does; the consumer stacks
must be deployed with network.sessionManager: true (README "Traffic check").
The config is PRIVATELINK_CONFIG (default config/example.json).`;

/** A command line the check cannot run with. */
class CheckUsageError extends Error {}

/** What the command line asks for. */
interface CheckArgs {
  readonly consumers: string[];
  readonly ports: number[];
  readonly family?: IpFamily;
  readonly kinds: ProbeKind[];
  readonly json: boolean;
  readonly help: boolean;
}

function parseArgs(argv: readonly string[]): CheckArgs {
  const parsed = {
    consumers: [] as string[],
    ports: [] as number[],
    family: undefined as IpFamily | undefined,
    kinds: [] as ProbeKind[],
    json: false,
    help: false,
  };
  const argOf = (flag: string, value: string | undefined, what: string) => {
    if (!value || value.startsWith("-")) throw new CheckUsageError(`${flag} needs ${what}.\n\n${USAGE}`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") parsed.help = true;
    else if (arg === "--json") parsed.json = true;
    else if (arg === "--consumer") parsed.consumers.push(argOf(arg, argv[++i], "a consumer name"));
    else if (arg === "--port") {
      const port = argOf(arg, argv[++i], "a port");
      if (!/^\d{1,5}$/.test(port)) throw new CheckUsageError(`--port needs a port number; got ${port}.`);
      parsed.ports.push(Number(port));
    } else if (arg === "--family") {
      const family = argOf(arg, argv[++i], "ipv4 or ipv6");
      if (family !== "ipv4" && family !== "ipv6") throw new CheckUsageError(`--family takes ipv4 or ipv6; got ${family}.`);
      parsed.family = family;
    } else if (arg === "--kind") {
      const kind = argOf(arg, argv[++i], PROBE_KINDS.join(", "));
      if (!(PROBE_KINDS as readonly string[]).includes(kind)) throw new CheckUsageError(`--kind takes ${PROBE_KINDS.join(", ")}; got ${kind}.`);
      parsed.kinds.push(kind as ProbeKind);
    } else throw new CheckUsageError(`Unknown argument ${arg}.\n\n${USAGE}`);
  }
  return parsed;
}

/** The ids the check needs from the consumer stack's outputs (its state, through Terraform in its synthesized directory). */
async function consumerOutputs(consumer: ConsumerConfig, project: string): Promise<ConsumerOutputs | string> {
  const stack = `consumer-${consumer.name}`;
  const dir = resolve(process.env.CDKTF_OUTDIR || "cdktf.out", "stacks", stack);
  try {
    const outputs = (await stackOutputs(dir, resolve("logs", "check", `${stack}.log`), !existsSync(join(dir, ".terraform")))) as Record<
      string,
      { value?: unknown }
    >;
    const text = (name: string) => (typeof outputs[name]?.value === "string" ? (outputs[name].value as string) : undefined);
    const resources = outputs[RESOURCE_ENDPOINT_IDS.name]?.value;
    return {
      endpointId: text(ENDPOINT_ID.name),
      clientInstanceId: text(CLIENT_INSTANCE_ID.name),
      clientName: clientInstanceName(project, consumer.name),
      resourceEndpointIds: resources && typeof resources === "object" ? (resources as Record<string, string>) : undefined,
    };
  } catch (err) {
    return `consumer ${consumer.name}: cannot read the outputs of ${stack}: ${(err as Error).message}. Is it deployed (npm run deploy)?`;
  }
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig(configPathFromEnv());
  const known = config.consumers.map((c) => c.name);
  const unknown = args.consumers.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new CheckUsageError(`Unknown consumer ${unknown.join(", ")}; the config's consumers are ${known.join(", ")}.`);
  const consumers = config.consumers.filter((c) => args.consumers.length === 0 || args.consumers.includes(c.name));
  const listenerPorts = listenerPortsOf(config.provider.service);
  const portsOf = (c: ConsumerConfig) => config.provider.resources.filter((r) => c.resources.includes(r.name)).flatMap(probedPorts);
  const resourcePorts = consumers.flatMap(portsOf);
  const strange = args.ports.filter((p) => !listenerPorts.includes(p) && !resourcePorts.includes(p));
  if (strange.length > 0) {
    const shared = resourcePorts.length > 0 ? `, and its shared resources' ${[...new Set(resourcePorts)].join(", ")}` : "";
    throw new CheckUsageError(
      `Port ${strange.join(", ")} is not a port the check probes; the config's listener ports are ${listenerPorts.join(", ")}${shared}.`,
    );
  }
  const scope = {
    ports: args.ports.length > 0 ? listenerPorts.filter((p) => args.ports.includes(p)) : listenerPorts,
    resourcePorts: args.ports.length > 0 ? args.ports : undefined,
    family: args.family,
    kinds: args.kinds.length > 0 ? args.kinds : undefined,
  };
  // With only shared resources' ports or kind asked for, a consumer that reaches none of them has nothing to probe.
  const endpointNames = !scope.kinds || scope.kinds.some((k) => k !== "resource");
  const resourcesAsked = !scope.kinds || scope.kinds.includes("resource");
  const reachesAsked = (c: ConsumerConfig) => portsOf(c).some((p) => args.ports.length === 0 || args.ports.includes(p));
  const probed = consumers.filter((c) => (endpointNames && scope.ports.length > 0) || (resourcesAsked && reachesAsked(c)));
  if (probed.length === 0) throw new CheckUsageError("Nothing to probe: no consumer asked for reaches a shared resource on the ports asked for.");
  // The stacks' directories hold the backends their outputs are read through.
  if (!synthesizeApp()) return 1;

  // The provider account's clients are made once, on first use, for every consumer.
  let provider: Promise<AccountClients> | undefined;
  const providerClients = () => {
    provider ??= accountClients(config.provider.account);
    return provider;
  };
  const reports: ConsumerReport[] = await Promise.all(
    probed.map(async (consumer) => {
      const outputs = await consumerOutputs(consumer, config.project);
      if (typeof outputs === "string") return { consumer: consumer.name, probes: [], error: outputs };
      return checkConsumer(consumer, outputs, providerClients, scope, config.provider.resources);
    }),
  );
  console.log(args.json ? reportJson(reports) : reportTable(reports));
  return allPassed(reports) ? 0 : 1;
}

runCli(() => main(process.argv.slice(2)));
