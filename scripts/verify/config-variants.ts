/**
 * The configs the Terraform tier checks: the example, and variants that
 * switch on what the example leaves off. A jest test keeps each one valid.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../project-root";

/** A config as JSON, before validation. */
type RawConfig = { [key: string]: unknown } & {
  provider: { account: Record<string, unknown>; service: Record<string, unknown>; network: Record<string, unknown> } & Record<string, unknown>;
  consumers: ({ account: Record<string, unknown>; network: Record<string, unknown> } & Record<string, unknown>)[];
  wiring?: unknown;
  backend?: unknown;
};

export const CONFIG_VARIANTS: Readonly<Record<string, (raw: RawConfig) => void>> = {
  example: () => undefined,
  "private-dns": (raw) => {
    raw.provider.service.privateDns = { name: "api.internal.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" };
  },
  "remote-state": (raw) => {
    raw.wiring = { mode: "remote-state", stateReaders: ["arn:aws:iam::444444444444:role/ci"] };
  },
  cloud: (raw) => {
    raw.backend = { type: "cloud", organization: "acme" };
    for (const account of [raw.provider.account, ...raw.consumers.map((c) => c.account)])
      account.runRoleArn = `arn:aws:iam::${account.id}:role/terraform-cloud`;
  },
  // The first consumer in another region (cross-region PrivateLink).
  "cross-region": (raw) => {
    const consumer = raw.consumers[0];
    consumer.account.region = "us-west-2";
    consumer.network = { ...consumer.network, azIds: ["usw2-az1", "usw2-az2"] };
    for (const endpoint of (consumer.network.awsEndpoints as { resources?: string[]; policy?: { resources?: string[] } }[] | undefined) ?? []) {
      if (endpoint.policy?.resources) endpoint.policy.resources = endpoint.policy.resources.map((arn) => arn.replace(":us-east-1:", ":us-west-2:"));
    }
  },
  // Dual stack on the provider and the first consumer.
  ipv6: (raw) => {
    raw.provider.network.ipv6 = true;
    raw.consumers[0].network.ipv6 = true;
    delete raw.consumers[0].allowedClientCidrs;
  },
  // Existing VPCs on the provider and the first consumer.
  "existing-vpc": (raw) => {
    const existing = (network: Record<string, unknown>, vpcId: string, subnetIds: string[]) => {
      for (const field of ["cidr", "azIds", "privateSubnetCidrs", "publicSubnets", "publicSubnetCidrs", "flowLogs", "flowLogRetentionDays"])
        delete network[field];
      Object.assign(network, { vpcId, subnetIds });
    };
    existing(raw.provider.network, "vpc-0123456789abcdef0", ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]);
    existing(raw.consumers[0].network, "vpc-1123456789abcdef0", ["subnet-1123456789abcdef0", "subnet-1123456789abcdef1"]);
    delete raw.consumers[0].allowedClientCidrs;
  },
  // A TLS listener and a TCP one, proxy protocol v2 (with user data that reads it).
  listeners: (raw) => {
    const service = raw.provider.service;
    delete service.port;
    delete service.page;
    service.listeners = [
      { port: 443, protocol: "TLS", certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/0123abcd-0123-4567-89ab-0123456789ab", targetPort: 8443 },
      { port: 8080 },
    ];
    service.proxyProtocolV2 = true;
    service.userData = "#!/bin/bash\ndnf install -y nginx && systemctl enable --now nginx\n";
  },
  // Alarms: the provider's and the first consumer's into topics they create, the second consumer's into a given one.
  alarms: (raw) => {
    raw.provider.service.alarms = {};
    raw.consumers[0].alarms = {};
    raw.consumers[1].alarms = { topicArn: "arn:aws:sns:us-east-1:333333333333:oncall" };
  },
  // Two shared resources: the first consumer gets both (another organization), the second one (the provider's organization).
  resources: (raw) => {
    raw.provider.resources = [
      { name: "orders-db", dnsName: "orders.cluster-abc.us-east-1.rds.amazonaws.com", ports: [5432] },
      { name: "cache", ipAddress: "10.10.40.10", ports: [6379, "7000-7005"] },
    ];
    raw.provider.account.organizationId = "o-a1b2c3d4e5";
    raw.consumers[0].resources = ["orders-db", "cache"];
    raw.consumers[1].resources = ["orders-db"];
    raw.consumers[1].account.organizationId = "o-a1b2c3d4e5";
  },
  // Role principals for the first consumer.
  principals: (raw) => {
    raw.consumers[0].principals = ["arn:aws:iam::222222222222:role/analytics-app", "arn:aws:iam::222222222222:role/analytics-batch"];
  },
};

/** config/example.json changed by the named variant, asking for `awsProviderVersion` when given. */
export function configVariant(name: string, awsProviderVersion?: string): RawConfig {
  const raw = JSON.parse(readFileSync(join(projectRoot(), "config", "example.json"), "utf8")) as RawConfig;
  const change = CONFIG_VARIANTS[name];
  if (!change) throw new Error(`No config variant ${name}; the variants are ${Object.keys(CONFIG_VARIANTS).join(", ")}.`);
  change(raw);
  if (awsProviderVersion) raw.awsProviderVersion = awsProviderVersion;
  return raw;
}
