import { portRangeText } from "../config/resource-rules";
import type { ConsumerConfig, NetworkConfig, PrivateLinkConfig, ServiceConfig } from "../config/types";
import { PROVIDER_STACK, acceptanceStackName, consumerStackName, privateDnsStackName, wiringPlan } from "../wiring/contract";

/**
 * A Mermaid flowchart of what a config builds: accounts, VPCs with their
 * subnets per AZ, the NLB and endpoint service, the endpoints, and the
 * output → variable wiring between the stacks.
 */
export function architectureDiagram(config: PrivateLinkConfig): string {
  const lines = ["flowchart LR"];
  const { provider } = config;
  const service = provider.service;

  const stackNode = new Map<string, string>([[PROVIDER_STACK, "endpoint_service"]]);
  lines.push(`  subgraph provider_account["Provider account ${provider.account.id} (${provider.account.region})"]`);
  lines.push(
    ...networkLines("provider", provider.network, [`nlb["internal NLB, ${listenersText(service)}<br/>${service.instanceCount} x ${service.instanceType}"]`]),
  );
  const serviceNotes = [
    `acceptance ${service.acceptanceRequired ? "required" : "not required"}`,
    ...(service.privateDns ? [`private DNS ${service.privateDns.name}`] : []),
    ...(service.notifications ? ["SNS notifications"] : []),
  ];
  if (provider.resources.length > 0) {
    const each = provider.resources.map((r) => `${r.name}: ${r.dnsName ?? r.ipAddress} TCP ${r.portRanges.map(portRangeText).join(", ")}`);
    lines.push(`    resource_gateway[["resource gateway, RAM share per consumer<br/>${each.join("<br/>")}"]]`);
  }
  if (service.alarms) {
    const topic = service.alarms.topicArn ? "the given topic" : "its own SNS topic";
    lines.push(`    provider_alarms["CloudWatch alarms: target health per target group, reset packets<br/>dashboard; notify ${topic}"]`);
  }
  lines.push(`    endpoint_service[["endpoint service<br/>${serviceNotes.join("<br/>")}"]]`);
  for (const consumer of config.consumers) {
    if (service.acceptanceRequired) {
      const node = `accept_${id(consumer.name)}`;
      stackNode.set(acceptanceStackName(consumer.name), node);
      lines.push(`    ${node}["${acceptanceStackName(consumer.name)}: accepts ${consumer.name}"]`);
    }
  }
  lines.push("  end");

  for (const consumer of config.consumers) lines.push(...consumerLines(config, consumer, stackNode));

  lines.push(
    "  nlb --> endpoint_service",
    ...(service.alarms ? ["  nlb -.-> provider_alarms", "  endpoint_service -.-> provider_alarms"] : []),
    ...config.consumers.filter((c) => c.resources.length > 0).map((c) => `  c_${id(c.name)}_resources -. PrivateLink .-> resource_gateway`),
    ...config.consumers.filter((c) => c.alarms).map((c) => `  c_${id(c.name)}_endpoint -.-> c_${id(c.name)}_alarms`),
    ...config.consumers.flatMap((c) => {
      const prefix = `c_${id(c.name)}`;
      return [`  ${prefix}_client --> ${prefix}_endpoint`, `  ${prefix}_endpoint -. PrivateLink .-> endpoint_service`];
    }),
  );

  if (config.backend.type === "cloud") {
    const { organization, project } = config.backend;
    const wiring = config.wiring.mode === "tfe-outputs" ? "each reads its producers' outputs (tfe_outputs)" : "wired values as workspace variables";
    lines.push(
      `  tfc[["Terraform Cloud ${organization}${project ? ` / ${project}` : ""}: a workspace per stack (npm run tfc), OIDC run roles<br/>` +
        `run triggers along the ==> arrows; ${wiring}"]]`,
    );
  }
  lines.push(...wiringEdges(config, stackNode));
  return `${lines.join("\n")}\n`;
}

/** A Mermaid node id from any text. */
const id = (text: string) => text.replace(/[^A-Za-z0-9]/g, "_");

/** A network as a subgraph: its VPC, subnets per AZ (or the existing subnets), AWS endpoints and `extra` nodes. */
function networkLines(prefix: string, net: NetworkConfig, extra: readonly string[]): string[] {
  const lines: string[] = [];
  const dual = net.ipv6 ? ", dual stack" : "";
  if (net.kind === "created") {
    lines.push(`    subgraph ${prefix}_vpc["VPC ${net.cidr}${dual}"]`);
    net.azIds.forEach((az, i) => {
      const pub = net.publicSubnetCidrs[i] ? `<br/>public ${net.publicSubnetCidrs[i]}` : "";
      lines.push(`      ${prefix}_${id(az)}["${az}<br/>private ${net.privateSubnetCidrs[i]}${pub}"]`);
    });
  } else {
    lines.push(`    subgraph ${prefix}_vpc["existing VPC ${net.vpcId}${dual}"]`);
    for (const subnet of net.subnetIds) lines.push(`      ${prefix}_${id(subnet)}["${subnet}"]`);
  }
  if (net.awsEndpoints.length > 0) {
    const list = net.awsEndpoints.map((e) => `${e.service}${e.type === "Gateway" ? " (gateway)" : ""}`).join(", ");
    lines.push(`      ${prefix}_aws_endpoints["AWS endpoints: ${list}"]`);
  }
  lines.push(...extra.map((l) => `      ${l}`), "    end");
  return lines;
}

/** A consumer's account as a subgraph; records which node stands for each of its stacks in `stackNode`. */
function consumerLines(config: PrivateLinkConfig, consumer: ConsumerConfig, stackNode: Map<string, string>): string[] {
  const lines: string[] = [];
  const service = config.provider.service;
  const prefix = `c_${id(consumer.name)}`;
  stackNode.set(consumerStackName(consumer.name), `${prefix}_endpoint`);
  lines.push(`  subgraph ${prefix}_account["Consumer ${consumer.name}: account ${consumer.account.id} (${consumer.account.region})"]`);
  lines.push(
    ...networkLines(prefix, consumer.network, [
      `${prefix}_client["client instance"]`,
      `${prefix}_endpoint["interface endpoint, ${service.listeners.map((l) => `TCP ${l.port}`).join(", ")}<br/>from ` +
        `${consumer.allowedClientCidrs?.join(", ") ?? "the VPC"}${consumer.azLookup ? "<br/>AZs by lookup" : ""}` +
        `${consumer.serviceRegion ? `<br/>to ${consumer.serviceRegion} (cross-region)` : ""}` +
        `${consumer.principals.some((p) => !p.endsWith(":root")) ? `<br/>allowed: ${consumer.principals.join(", ")}` : ""}"]`,
    ]),
  );
  if (consumer.resources.length > 0) {
    const accepts = consumer.acceptsResourceShare ? "accepts the RAM share" : "same organization";
    lines.push(`    ${prefix}_resources["Resource endpoints: ${consumer.resources.join(", ")}<br/>${accepts}"]`);
  }
  if (consumer.alarms) {
    lines.push(`    ${prefix}_alarms["CloudWatch alarm: dropped packets<br/>notifies ${consumer.alarms.topicArn ? "the given topic" : "its own SNS topic"}"]`);
  }
  if (service.privateDns) {
    const node = `${prefix}_private_dns`;
    stackNode.set(privateDnsStackName(consumer.name), node);
    lines.push(`    ${node}["${privateDnsStackName(consumer.name)}: private DNS on"]`);
  }
  lines.push("  end");
  return lines;
}

/** One edge per producer → consumer stack pair, labelled with the values it carries. */
function wiringEdges(config: PrivateLinkConfig, stackNode: ReadonlyMap<string, string>): string[] {
  const edges = new Map<string, string[]>();
  for (const hop of wiringPlan(config)) {
    const key = `${stackNode.get(hop.fromStack)} ${stackNode.get(hop.stack)}`;
    edges.set(key, [...(edges.get(key) ?? []), hop.value.name]);
  }
  return [...edges].map(([key, names]) => {
    const [from, to] = key.split(" ");
    return `  ${from} == "${names.join(", ")}" ==> ${to}`;
  });
}

/** The NLB's listeners, as the diagram shows them: `TCP 8080`, or `TLS 443 → 8443, TCP 8080`, with proxy protocol noted. */
function listenersText(service: ServiceConfig): string {
  const each = service.listeners.map((l) => `${l.protocol} ${l.port}${l.targetPort !== l.port ? ` → ${l.targetPort}` : ""}`);
  return `${each.join(", ")}${service.proxyProtocolV2 ? " (proxy protocol v2)" : ""}`;
}

export const DIAGRAM_START = "<!-- diagram:start (npm run diagram) -->";
export const DIAGRAM_END = "<!-- diagram:end -->";

/** `markdown` with the diagram placed between the markers. */
export function withDiagram(markdown: string, diagram: string): string {
  const start = markdown.indexOf(DIAGRAM_START);
  const end = markdown.indexOf(DIAGRAM_END);
  if (start < 0 || end < start) throw new Error(`Markers ${DIAGRAM_START} and ${DIAGRAM_END} not found.`);
  return `${markdown.slice(0, start + DIAGRAM_START.length)}\n\`\`\`mermaid\n${diagram}\`\`\`\n${markdown.slice(end)}`;
}

/**
 * The example with the options its diagram leaves out turned on: alarms on
 * the service and the first consumer, a private DNS name, two shared
 * resources (the first consumer gets both), and Terraform Cloud workspaces
 * with tfe-outputs wiring. docs/architecture.md draws it under the
 * example's diagram; the wiring tables list its hops.
 */
export function withEveryOption(raw: Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(raw)) as {
    backend?: unknown;
    wiring?: unknown;
    provider: { account: Record<string, unknown>; service: Record<string, unknown>; resources?: unknown };
    consumers: { account: Record<string, unknown>; alarms?: unknown; resources?: unknown }[];
  };
  copy.backend = { type: "cloud", organization: "acme", project: "networking" };
  copy.wiring = { mode: "tfe-outputs" };
  for (const account of [copy.provider.account, ...copy.consumers.map((c) => c.account)]) {
    delete account.state;
    account.runRoleArn = `arn:aws:iam::${account.id}:role/terraform-cloud`;
  }
  copy.provider.service.alarms = {};
  copy.provider.service.privateDns = { name: "api.internal.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" };
  copy.consumers[0].alarms = {};
  copy.provider.resources = [
    { name: "orders-db", dnsName: "orders.cluster-abc.us-east-1.rds.amazonaws.com", ports: [5432] },
    { name: "cache", ipAddress: "10.10.40.10", ports: [6379] },
  ];
  copy.consumers[0].resources = ["orders-db", "cache"];
  return copy;
}
