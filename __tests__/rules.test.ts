import { type ConfigError, PROBLEM_CODES, type ProblemCode } from "../src/config/errors";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/wiring/load";
import { exampleConfig, type RawConfig, useCloud } from "./config-helpers";
import { ROOT } from "./root";

/** "path code" of every problem a config change produces; empty when the config is valid. */
function codesOf(mutate: (raw: RawConfig) => void): string[] {
  try {
    exampleConfig(mutate);
    return [];
  } catch (err) {
    return (err as ConfigError).problems.map((p) => `${p.path} ${p.code}`);
  }
}

const P = "provider";
const VPC = "vpc-0123456789abcdef0";
const SUBNET_A = "subnet-0123456789abcdef0";
const SUBNET_B = "subnet-0123456789abcdef1";
const CERTIFICATE = "arn:aws:acm:us-east-1:111111111111:certificate/0123abcd-0123-4567-89ab-0123456789ab";

/** Turns a network of the example into an existing VPC with these subnets. */
function useExistingVpc(network: RawConfig, subnetIds: string[], vpcId = VPC): void {
  for (const field of ["cidr", "azIds", "privateSubnetCidrs", "publicSubnets", "publicSubnetCidrs", "flowLogs", "flowLogRetentionDays"]) delete network[field];
  Object.assign(network, { vpcId, subnetIds });
}

/** Gives the service these listeners instead of its port. */
function useListeners(raw: RawConfig, listeners: RawConfig[]): void {
  delete raw.provider.service.port;
  raw.provider.service.listeners = listeners;
}
const C0 = "consumers[0]";
/** A shared resource of the provider. */
const DB = { name: "db", dnsName: "db.internal.example.com", ports: [5432] };

/**
 * Each rule that spans fields, as a pair in the style of cdk-nag's
 * compliance tests: a change that breaks it (the code is reported at that
 * path) next to the nearest change that keeps it (the config is valid).
 */
const RULES: readonly (readonly [ProblemCode, string, (raw: RawConfig) => void, (raw: RawConfig) => void])[] = [
  [
    "arn.partition",
    `${P}.account.roleArn`,
    (r) => (r.provider.account.roleArn = "arn:aws-cn:iam::111111111111:role/d"),
    (r) => (r.provider.account.roleArn = "arn:aws:iam::111111111111:role/d"),
  ],
  [
    "account.role-other-account",
    `${P}.account.roleArn`,
    (r) => (r.provider.account.roleArn = "arn:aws:iam::999999999999:role/d"),
    (r) => (r.provider.account.roleArn = "arn:aws:iam::111111111111:role/other"),
  ],
  [
    "account.ca-bundle-without-https",
    `${P}.account.endpointCaBundle`,
    (r) => Object.assign(r.provider.account, { endpointUrl: "http://127.0.0.1:4580", endpointCaBundle: "ca.pem" }),
    (r) => Object.assign(r.provider.account, { endpointUrl: "https://127.0.0.1:4580", endpointCaBundle: "ca.pem" }),
  ],
  ["vpc.cidr-reserved-range", `${P}.network.cidr`, (r) => (r.provider.network.cidr = "169.254.0.0/16"), (r) => (r.provider.network.cidr = "10.11.0.0/16")],
  ["vpc.cidr-size", `${P}.network.cidr`, (r) => (r.provider.network.cidr = "10.0.0.0/15"), (r) => (r.provider.network.cidr = "10.0.0.0/16")],
  [
    "az.other-region",
    `${P}.network.azIds[1]`,
    (r) => (r.provider.network.azIds = ["use1-az1", "usw2-az2"]),
    (r) => (r.provider.network.azIds = ["use1-az1", "use1-az2"]),
  ],
  [
    "az.repeated",
    `${P}.network.azIds[1]`,
    (r) => (r.provider.network.azIds = ["use1-az1", "use1-az1"]),
    (r) => (r.provider.network.azIds = ["use1-az1", "use1-az2"]),
  ],
  [
    "subnet.public-without-public-subnets",
    `${P}.network.publicSubnetCidrs`,
    (r) => (r.provider.network.publicSubnetCidrs = ["10.10.128.0/20", "10.10.144.0/20"]),
    (r) => Object.assign(r.provider.network, { publicSubnets: true, publicSubnetCidrs: ["10.10.128.0/20", "10.10.144.0/20"] }),
  ],
  [
    "subnet.count",
    `${P}.network.privateSubnetCidrs`,
    (r) => (r.provider.network.privateSubnetCidrs = ["10.10.0.0/20"]),
    (r) => (r.provider.network.privateSubnetCidrs = ["10.10.0.0/20", "10.10.16.0/20"]),
  ],
  [
    "subnet.vpc-too-small",
    `${P}.network.privateSubnetCidrs`,
    (r) => (r.provider.network.cidr = "10.10.0.0/25"),
    (r) => (r.provider.network.cidr = "10.10.0.0/24"),
  ],
  [
    "subnet.outside-vpc",
    `${P}.network.privateSubnetCidrs[1]`,
    (r) => (r.provider.network.privateSubnetCidrs = ["10.10.0.0/20", "10.99.0.0/20"]),
    (r) => (r.provider.network.privateSubnetCidrs = ["10.10.0.0/20", "10.10.16.0/20"]),
  ],
  [
    "subnet.too-small",
    `${P}.network.privateSubnetCidrs[1]`,
    (r) => (r.provider.network.privateSubnetCidrs = ["10.10.0.0/20", "10.10.16.0/29"]),
    (r) => (r.provider.network.privateSubnetCidrs = ["10.10.0.0/20", "10.10.16.0/28"]),
  ],
  [
    "subnet.overlap",
    `${P}.network.privateSubnetCidrs[1]`,
    (r) => (r.provider.network.privateSubnetCidrs = ["10.10.0.0/20", "10.10.8.0/24"]),
    (r) => (r.provider.network.privateSubnetCidrs = ["10.10.0.0/20", "10.10.16.0/24"]),
  ],
  [
    "endpoint.repeated",
    `${P}.network.awsEndpoints[1].service`,
    (r) => r.provider.network.awsEndpoints.push({ service: "s3", type: "Gateway" }),
    (r) => r.provider.network.awsEndpoints.push({ service: "dynamodb", type: "Gateway" }),
  ],
  [
    "endpoint.gateway-unsupported",
    `${P}.network.awsEndpoints[1].type`,
    (r) => r.provider.network.awsEndpoints.push({ service: "kms", type: "Gateway" }),
    (r) => r.provider.network.awsEndpoints.push({ service: "kms", type: "Interface" }),
  ],
  [
    "endpoint.private-dns-on-gateway",
    `${P}.network.awsEndpoints[0].privateDns`,
    (r) => (r.provider.network.awsEndpoints[0].privateDns = true),
    (r) => delete r.provider.network.awsEndpoints[0].privateDns,
  ],
  [
    "endpoint.inbound-resolver-not-s3-interface",
    `${P}.network.awsEndpoints[1].privateDnsOnlyForInboundResolverEndpoint`,
    (r) => r.provider.network.awsEndpoints.push({ service: "kms", privateDnsOnlyForInboundResolverEndpoint: false }),
    (r) => r.provider.network.awsEndpoints.push({ service: "s3", privateDnsOnlyForInboundResolverEndpoint: false }),
  ],
  [
    "endpoint.s3-private-dns-needs-gateway",
    `${P}.network.awsEndpoints[0].privateDns`,
    (r) => (r.provider.network.awsEndpoints = [{ service: "s3" }]),
    (r) => (r.provider.network.awsEndpoints = [{ service: "s3", privateDnsOnlyForInboundResolverEndpoint: false }]),
  ],
  [
    "endpoint.policy-unsupported",
    `${P}.network.awsEndpoints[1].policy`,
    (r) => r.provider.network.awsEndpoints.push({ service: "ssmmessages", policy: {} }),
    (r) => r.provider.network.awsEndpoints.push({ service: "ssm", policy: {} }),
  ],
  [
    "endpoint.buckets-not-s3",
    `${P}.network.awsEndpoints[1].policy.buckets`,
    (r) => r.provider.network.awsEndpoints.push({ service: "dynamodb", type: "Gateway", policy: { buckets: ["b-111"] } }),
    (r) => r.provider.network.awsEndpoints.push({ service: "dynamodb", type: "Gateway", policy: { resources: ["*"] } }),
  ],
  [
    "endpoint.buckets-and-resources",
    `${P}.network.awsEndpoints[0].policy.resources`,
    (r) => (r.provider.network.awsEndpoints[0].policy.resources = ["*"]),
    (r) => delete r.provider.network.awsEndpoints[0].policy.resources,
  ],
  [
    "service.page-and-user-data",
    `${P}.service.userData`,
    (r) => (r.provider.service.userData = "#!/bin/sh\n"),
    (r) => Object.assign(r.provider.service, { page: undefined, userData: "#!/bin/sh\n" }),
  ],
  [
    "service.user-data-too-large",
    `${P}.service.page`,
    (r) => (r.provider.service.page = "x".repeat(16 * 1024)),
    (r) => (r.provider.service.page = "x".repeat(8 * 1024)),
  ],
  ["service.ssh-port", `${P}.service.port`, (r) => (r.provider.service.port = 22), (r) => (r.provider.service.port = 2222)],
  [
    "consumer.region-not-cross-region",
    `${C0}.account.region`,
    (r) => {
      r.consumers[0].account.region = "eu-central-1";
      r.consumers[0].network.azIds = ["euc1-az1", "euc1-az2"];
    },
    (r) => {
      r.consumers[0].account.region = "us-west-2";
      r.consumers[0].network.azIds = ["usw2-az1", "usw2-az2"];
    },
  ],
  [
    "consumer.az-lookup-cross-region",
    "consumers[1].azLookup",
    (r) => {
      r.consumers[1].account.region = "us-west-2";
      r.consumers[1].network.azIds = ["usw2-az1", "usw2-az2"];
    },
    (r) => {
      r.consumers[1].account.region = "us-west-2";
      r.consumers[1].network.azIds = ["usw2-az1", "usw2-az2"];
      r.consumers[1].azLookup = false;
    },
  ],
  [
    "consumer.alarms-cross-region",
    `${C0}.alarms`,
    (r) => {
      r.consumers[0].account.region = "us-west-2";
      r.consumers[0].network.azIds = ["usw2-az1", "usw2-az2"];
      r.consumers[0].alarms = {};
    },
    (r) => (r.consumers[0].alarms = {}),
  ],
  [
    "alarms.topic-other-region",
    `${P}.service.alarms.topicArn`,
    (r) => (r.provider.service.alarms = { topicArn: "arn:aws:sns:us-west-2:111111111111:pager" }),
    (r) => (r.provider.service.alarms = { topicArn: "arn:aws:sns:us-east-1:999999999999:pager" }),
  ],
  [
    "alarms.topic-other-region",
    `${C0}.alarms.topicArn`,
    (r) => (r.consumers[0].alarms = { topicArn: "arn:aws:sns:us-west-2:222222222222:pager" }),
    (r) => (r.consumers[0].alarms = { topicArn: "arn:aws:sns:us-east-1:222222222222:pager" }),
  ],
  [
    "resource.name-repeated",
    `${P}.resources[1].name`,
    (r) => (r.provider.resources = [DB, { ...DB }]),
    (r) => (r.provider.resources = [DB, { ...DB, name: "db2" }]),
  ],
  [
    "resource.address-missing",
    `${P}.resources[0]`,
    (r) => (r.provider.resources = [{ name: "db", ports: [5432] }]),
    (r) => (r.provider.resources = [{ name: "db", ipAddress: "10.10.9.9", ports: [5432] }]),
  ],
  ["resource.address-both", `${P}.resources[0]`, (r) => (r.provider.resources = [{ ...DB, ipAddress: "10.10.9.9" }]), (r) => (r.provider.resources = [DB])],
  [
    "resource.port-range",
    `${P}.resources[0].ports[1]`,
    (r) => (r.provider.resources = [{ ...DB, ports: [5432, "8100-8000"] }]),
    (r) => (r.provider.resources = [{ ...DB, ports: [5432, "8000-8100"] }]),
  ],
  [
    "resource.port-range",
    `${P}.resources[0].ports[0]`,
    (r) => (r.provider.resources = [{ ...DB, ports: ["0-80"] }]),
    (r) => (r.provider.resources = [{ ...DB, ports: ["1-80"] }]),
  ],
  [
    "resource.port-overlap",
    `${P}.resources[0].ports[1]`,
    (r) => (r.provider.resources = [{ ...DB, ports: ["8000-8100", 8050] }]),
    (r) => (r.provider.resources = [{ ...DB, ports: ["8000-8100", 8101] }]),
  ],
  [
    "resource.name-collides",
    `${P}.resources[1].name`,
    (r) =>
      (r.provider.resources = [
        { ...DB, name: "d-b" },
        { ...DB, name: "d--b", dnsName: "db2.example.com" },
      ]),
    (r) =>
      (r.provider.resources = [
        { ...DB, name: "d-b" },
        { ...DB, name: "d-b2", dnsName: "db2.example.com" },
      ]),
  ],
  [
    "resource.address-unreachable",
    `${P}.resources[0].ipAddress`,
    (r) => (r.provider.resources = [{ name: "db", ipAddress: "169.254.169.254", ports: [5432] }]),
    (r) => (r.provider.resources = [{ name: "db", ipAddress: "10.10.9.9", ports: [5432] }]),
  ],
  [
    "resource.address-outside-vpc",
    `${P}.resources[0].ipAddress`,
    (r) => (r.provider.resources = [{ name: "db", ipAddress: "10.11.9.9", ports: [5432] }]),
    (r) => (r.provider.resources = [{ name: "db", ipAddress: "10.10.255.254", ports: [5432] }]),
  ],
  [
    "resource.dns-name-length",
    `${P}.resources[0].dnsName`,
    (r) => (r.provider.resources = [{ ...DB, dnsName: `${"d".repeat(56)}.${"a".repeat(61)}.${"b".repeat(61)}.${"c".repeat(61)}.example.com` }]),
    (r) => (r.provider.resources = [{ ...DB, dnsName: `${"d".repeat(55)}.${"a".repeat(61)}.${"b".repeat(61)}.${"c".repeat(61)}.example.com` }]),
  ],
  [
    "resource.dns-name-private",
    `${P}.resources[0].dnsName`,
    (r) => (r.provider.resources = [{ ...DB, dnsName: "db.corp.internal" }]),
    (r) => (r.provider.resources = [{ ...DB, dnsName: "db.internal.example.com" }]),
  ],
  [
    "resource.rules-over-quota",
    `${P}.resources`,
    (r) => (r.provider.resources = [{ ...DB, ports: Array.from({ length: 61 }, (_, i) => 5000 + 2 * i) }]),
    (r) => (r.provider.resources = [{ ...DB, ports: Array.from({ length: 60 }, (_, i) => 5000 + 2 * i) }]),
  ],
  [
    "resource.rules-over-quota",
    `${C0}.resources`,
    (r) => {
      r.provider.resources = [{ ...DB, ports: Array.from({ length: 31 }, (_, i) => 5000 + 2 * i) }];
      r.consumers[0].resources = ["db"];
      r.consumers[0].allowedClientCidrs = ["10.20.0.0/24", "10.20.1.0/24"];
    },
    (r) => {
      r.provider.resources = [{ ...DB, ports: Array.from({ length: 30 }, (_, i) => 5000 + 2 * i) }];
      r.consumers[0].resources = ["db"];
      r.consumers[0].allowedClientCidrs = ["10.20.0.0/24", "10.20.1.0/24"];
    },
  ],
  [
    "consumer.resource-unknown",
    `${C0}.resources[0]`,
    (r) => {
      r.provider.resources = [DB];
      r.consumers[0].resources = ["cache"];
    },
    (r) => {
      r.provider.resources = [DB];
      r.consumers[0].resources = ["db"];
    },
  ],
  [
    "consumer.resource-repeated",
    `${C0}.resources[1]`,
    (r) => {
      r.provider.resources = [DB];
      r.consumers[0].resources = ["db", "db"];
    },
    (r) => {
      r.provider.resources = [DB, { ...DB, name: "db2" }];
      r.consumers[0].resources = ["db", "db2"];
    },
  ],
  [
    "consumer.resources-cross-region",
    `${C0}.resources`,
    (r) => {
      r.provider.resources = [DB];
      r.consumers[0].resources = ["db"];
      r.consumers[0].account.region = "us-west-2";
      r.consumers[0].network.azIds = ["usw2-az1", "usw2-az2"];
    },
    (r) => {
      r.provider.resources = [DB];
      r.consumers[0].account.region = "us-west-2";
      r.consumers[0].network.azIds = ["usw2-az1", "usw2-az2"];
    },
  ],
  [
    "consumer.principal-other-account",
    `${C0}.principals[1]`,
    (r) => (r.consumers[0].principals = ["arn:aws:iam::222222222222:role/app", "arn:aws:iam::999999999999:role/app"]),
    (r) => (r.consumers[0].principals = ["arn:aws:iam::222222222222:role/app", "arn:aws:iam::222222222222:root"]),
  ],
  [
    "consumer.principal-with-path",
    `${C0}.principals[0]`,
    (r) => (r.consumers[0].principals = ["arn:aws:iam::222222222222:role/team/app"]),
    (r) => (r.consumers[0].principals = ["arn:aws:iam::222222222222:role/app"]),
  ],
  [
    "consumer.deployer-not-allowed",
    `${C0}.principals`,
    (r) => {
      delete r.consumers[0].account.roleArn;
      r.consumers[0].principals = ["arn:aws:iam::222222222222:role/app"];
    },
    (r) => {
      delete r.consumers[0].account.roleArn;
      r.consumers[0].principals = ["arn:aws:iam::222222222222:role/app", "arn:aws:iam::222222222222:root"];
    },
  ],
  [
    "consumer.deployer-role-with-path",
    `${C0}.principals`,
    (r) => {
      r.consumers[0].account.roleArn = "arn:aws:iam::222222222222:role/ci/deployer";
      r.consumers[0].principals = ["arn:aws:iam::222222222222:role/app"];
    },
    (r) => {
      r.consumers[0].account.roleArn = "arn:aws:iam::222222222222:role/ci/deployer";
      r.consumers[0].principals = ["arn:aws:iam::222222222222:role/app", "arn:aws:iam::222222222222:root"];
    },
  ],
  [
    "consumer.dual-stack-without-ipv6",
    `${C0}.dualStack`,
    (r) => {
      r.provider.network.ipv6 = true;
      r.consumers[0].dualStack = true;
    },
    (r) => {
      r.provider.network.ipv6 = true;
      r.consumers[0].network.ipv6 = true;
      r.consumers[0].dualStack = true;
    },
  ],
  [
    "consumer.dual-stack-without-service",
    `${C0}.dualStack`,
    (r) => {
      r.consumers[0].network.ipv6 = true;
      r.consumers[0].dualStack = true;
    },
    // An IPv6 VPC next to an IPv4-only service: the endpoint is IPv4, by default.
    (r) => (r.consumers[0].network.ipv6 = true),
  ],
  [
    "service.dual-stack-without-ipv6",
    `${P}.service.dualStack`,
    (r) => (r.provider.service.dualStack = true),
    (r) => {
      r.provider.network.ipv6 = true;
      r.provider.service.dualStack = true;
    },
  ],
  ["network.vpc-missing", `${P}.network.cidr`, (r) => delete r.provider.network.cidr, (r) => useExistingVpc(r.provider.network, [SUBNET_A, SUBNET_B])],
  [
    "network.existing-vpc-mixed",
    `${P}.network.cidr`,
    (r) => Object.assign(r.provider.network, { vpcId: VPC, subnetIds: [SUBNET_A, SUBNET_B] }),
    (r) => useExistingVpc(r.provider.network, [SUBNET_A, SUBNET_B]),
  ],
  [
    "network.subnets-without-vpc",
    `${P}.network.subnetIds`,
    (r) => {
      useExistingVpc(r.provider.network, [SUBNET_A, SUBNET_B]);
      delete r.provider.network.vpcId;
    },
    (r) => useExistingVpc(r.provider.network, [SUBNET_A, SUBNET_B]),
  ],
  [
    "network.vpc-without-subnets",
    `${P}.network.subnetIds`,
    (r) => {
      useExistingVpc(r.provider.network, [SUBNET_A, SUBNET_B]);
      delete r.provider.network.subnetIds;
    },
    (r) => useExistingVpc(r.provider.network, [SUBNET_A, SUBNET_B]),
  ],
  [
    "network.subnet-repeated",
    `${P}.network.subnetIds[1]`,
    (r) => useExistingVpc(r.provider.network, [SUBNET_A, SUBNET_A]),
    (r) => useExistingVpc(r.provider.network, [SUBNET_A, SUBNET_B]),
  ],
  [
    "network.provider-subnets",
    `${P}.network.subnetIds`,
    (r) => useExistingVpc(r.provider.network, [SUBNET_A]),
    (r) => useExistingVpc(r.provider.network, [SUBNET_A, SUBNET_B]),
  ],
  [
    "service.port-missing",
    `${P}.service.port`,
    (r) => delete r.provider.service.port,
    (r) => {
      delete r.provider.service.port;
      r.provider.service.listeners = [{ port: 8080 }];
    },
  ],
  ["service.port-and-listeners", `${P}.service.port`, (r) => (r.provider.service.listeners = [{ port: 8080 }]), (r) => (r.provider.service.port = 8080)],
  [
    "service.proxy-protocol-default-user-data",
    `${P}.service.proxyProtocolV2`,
    (r) => (r.provider.service.proxyProtocolV2 = true),
    (r) => {
      Object.assign(r.provider.service, { proxyProtocolV2: true, userData: "#!/bin/sh\n" });
      delete r.provider.service.page;
    },
  ],
  [
    "listener.port-repeated",
    `${P}.service.listeners[1].port`,
    (r) => useListeners(r, [{ port: 8080 }, { port: 8080, targetPort: 9090 }]),
    (r) => useListeners(r, [{ port: 8080 }, { port: 8081 }]),
  ],
  [
    "listener.tls-needs-certificate",
    `${P}.service.listeners[0].certificateArn`,
    (r) => useListeners(r, [{ port: 443, protocol: "TLS" }]),
    (r) => useListeners(r, [{ port: 443, protocol: "TLS", certificateArn: CERTIFICATE }]),
  ],
  [
    "listener.tls-option-on-tcp",
    `${P}.service.listeners[0].sslPolicy`,
    (r) => useListeners(r, [{ port: 443, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }]),
    (r) => useListeners(r, [{ port: 443, protocol: "TLS", certificateArn: CERTIFICATE, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }]),
  ],
  [
    "listener.certificate-elsewhere",
    `${P}.service.listeners[0].certificateArn`,
    (r) => useListeners(r, [{ port: 443, protocol: "TLS", certificateArn: CERTIFICATE.replace("us-east-1", "us-west-2") }]),
    (r) => useListeners(r, [{ port: 443, protocol: "TLS", certificateArn: CERTIFICATE }]),
  ],
  [
    "consumer.az-not-served",
    `${C0}.network.azIds[1]`,
    (r) => (r.consumers[0].network.azIds = ["use1-az1", "use1-az4"]),
    (r) => Object.assign(r.consumers[0], { azLookup: true, network: { ...r.consumers[0].network, azIds: ["use1-az1", "use1-az4"] } }),
  ],
  ["consumer.name-repeated", "consumers[1].name", (r) => (r.consumers[1].name = "analytics"), (r) => (r.consumers[1].name = "billing")],
  ["consumer.name-reserved", `${C0}.name`, (r) => (r.consumers[0].name = "provider"), (r) => (r.consumers[0].name = "providers")],
  [
    "client-cidr.unbounded",
    `${C0}.allowedClientCidrs[0]`,
    (r) => (r.consumers[0].allowedClientCidrs = ["0.0.0.0/0"]),
    (r) => (r.consumers[0].allowedClientCidrs = ["10.0.0.0/8"]),
  ],
  [
    "client-cidr.repeated",
    `${C0}.allowedClientCidrs[1]`,
    (r) => (r.consumers[0].allowedClientCidrs = ["10.0.0.0/8", "10.20.0.0/16"]),
    (r) => (r.consumers[0].allowedClientCidrs = ["10.0.0.0/8", "172.16.0.0/12"]),
  ],
  [
    "client-cidr.whole-space",
    `${C0}.allowedClientCidrs`,
    (r) => (r.consumers[0].allowedClientCidrs = ["0.0.0.0/1", "128.0.0.0/1"]),
    (r) => (r.consumers[0].allowedClientCidrs = ["0.0.0.0/1", "128.0.0.0/2"]),
  ],
  [
    "backend.state-missing",
    `${P}.account.state`,
    (r) => delete r.provider.account.state,
    (r) => (r.provider.account.state = { bucket: "another-state-111111111111" }),
  ],
  [
    "wiring.remote-state-with-cloud",
    "wiring.mode",
    (r) => {
      useCloud(r);
      r.wiring = { mode: "remote-state" };
    },
    (r) => {
      useCloud(r);
      r.wiring = { mode: "variables" };
    },
  ],
  [
    "wiring.state-readers-missing",
    "wiring.stateReaders",
    (r) => (r.wiring = { mode: "remote-state" }),
    (r) => (r.wiring = { mode: "remote-state", stateReaders: ["arn:aws:iam::444444444444:role/ci"] }),
  ],
  [
    "no-effect.state-readers",
    "wiring.stateReaders",
    (r) => (r.wiring = { stateReaders: ["arn:aws:iam::444444444444:role/ci"] }),
    (r) => (r.wiring = { mode: "remote-state", stateReaders: ["arn:aws:iam::444444444444:role/ci"] }),
  ],
  [
    "no-effect.workspace",
    "backend.workspaces.consumer-nope",
    (r) => useCloud(r, { type: "cloud", organization: "acme", workspaces: { "consumer-nope": "ws" } }),
    (r) => useCloud(r, { type: "cloud", organization: "acme", workspaces: { "consumer-analytics": "ws" } }),
  ],
  [
    // A 60-character prefix and acceptance-<a 32-character consumer> (43) make 103 characters; 47 and 43 make 90.
    "backend.workspace-name",
    "backend.workspacePrefix",
    (r) => {
      useCloud(r, { type: "cloud", organization: "acme", workspacePrefix: `${"p".repeat(59)}-` });
      r.consumers[1].name = "r".repeat(32);
    },
    (r) => {
      useCloud(r, { type: "cloud", organization: "acme", workspacePrefix: `${"p".repeat(46)}-` });
      r.consumers[1].name = "r".repeat(32);
    },
  ],
  [
    "backend.workspace-shared",
    "backend.workspaces.consumer-reporting",
    (r) => useCloud(r, { type: "cloud", organization: "acme", workspaces: { "consumer-reporting": "privatelink-demo-consumer-analytics" } }),
    (r) => useCloud(r, { type: "cloud", organization: "acme", workspaces: { "consumer-reporting": "privatelink-demo-consumer-reporting2" } }),
  ],
  [
    "backend.run-role-missing",
    "consumers[1].account.runRoleArn",
    (r) => {
      useCloud(r);
      delete r.consumers[1].account.runRoleArn;
    },
    (r) => useCloud(r),
  ],
  [
    "account.role-other-account",
    `${P}.account.runRoleArn`,
    (r) => {
      useCloud(r);
      r.provider.account.runRoleArn = "arn:aws:iam::999999999999:role/terraform-cloud";
    },
    (r) => {
      useCloud(r);
      r.provider.account.runRoleArn = "arn:aws:iam::111111111111:role/tfc-runs";
    },
  ],
  [
    "no-effect.run-role",
    `${C0}.account.runRoleArn`,
    (r) => (r.consumers[0].account.runRoleArn = "arn:aws:iam::222222222222:role/terraform-cloud"),
    (r) => useCloud(r),
  ],
  [
    "wiring.tfe-outputs-with-s3",
    "wiring.mode",
    (r) => (r.wiring = { mode: "tfe-outputs" }),
    (r) => {
      useCloud(r);
      r.wiring = { mode: "tfe-outputs" };
    },
  ],
  [
    "no-effect.organization-id",
    `${C0}.account.organizationId`,
    (r) => (r.consumers[0].account.organizationId = "o-a1b2c3d4e5"),
    (r) => {
      r.consumers[0].account.organizationId = "o-a1b2c3d4e5";
      r.provider.resources = [DB];
      r.consumers[0].resources = ["db"];
    },
  ],
  [
    "no-effect.state-read-role",
    "wiring.stateReadRoleArn",
    (r) => (r.wiring = { mode: "variables", stateReadRoleArn: "arn:aws:iam::111111111111:role/reader" }),
    (r) => (r.wiring = { mode: "remote-state", stateReadRoleArn: "arn:aws:iam::111111111111:role/reader" }),
  ],
];

describe.each(RULES)("rule %s", (code, path, breaks, keeps) => {
  test(`is reported at ${path} when broken`, () => {
    expect(codesOf(breaks)).toContain(`${path} ${code}`);
  });
  test("is quiet for the nearest valid config", () => {
    expect(codesOf(keeps)).toEqual([]);
  });
});

test("every code of a rule across fields is paired above", () => {
  // Reading the file (file.*) and the schema's own checks (field.*) are tested in config.test.ts.
  const ruleCodes = PROBLEM_CODES.filter((code) => !code.startsWith("file.") && !code.startsWith("field."));
  expect([...new Set(RULES.map(([code]) => code))].sort()).toEqual([...ruleCodes].sort());
});

describe("codes of the schema's own checks, one field at a time", () => {
  test.each([
    [
      "field.missing",
      "provider.account.id",
      (r: RawConfig): void => {
        delete r.provider.account.id;
      },
    ],
    [
      "field.unknown",
      "provider.network",
      (r: RawConfig): void => {
        r.provider.network.vpcCidr = "10.0.0.0/16";
      },
    ],
    [
      "field.type",
      "provider.service.port",
      (r: RawConfig): void => {
        r.provider.service.port = "8080";
      },
    ],
    [
      "field.not-one-of",
      "provider.account.region",
      (r: RawConfig): void => {
        r.provider.account.region = "mars-1";
      },
    ],
    [
      "field.format",
      "provider.network.cidr",
      (r: RawConfig): void => {
        r.provider.network.cidr = "10.10.0.1/16";
      },
    ],
  ] as const)("%s at %s", (code, path, mutate) => {
    expect(codesOf(mutate)).toContain(`${path} ${code}`);
  });
});

describe("the options' own field formats", () => {
  test.each([
    ["a VPC id of the wrong length", "provider.network.vpcId", (r: RawConfig): void => useExistingVpc(r.provider.network, [SUBNET_A, SUBNET_B], "vpc-123")],
    [
      "a subnet id that is not one",
      "provider.network.subnetIds[1]",
      (r: RawConfig): void => useExistingVpc(r.provider.network, [SUBNET_A, "sn-0123456789abcdef0"]),
    ],
    ["an empty subnet list", "provider.network.subnetIds", (r: RawConfig): void => useExistingVpc(r.provider.network, [])],
    [
      "ipv6 that is not a boolean",
      "provider.network.ipv6",
      (r: RawConfig): void => {
        r.provider.network.ipv6 = "yes";
      },
    ],
    [
      "a listener protocol other than TCP or TLS",
      "provider.service.listeners[0].protocol",
      (r: RawConfig): void => useListeners(r, [{ port: 443, protocol: "HTTPS" }]),
    ],
    [
      "a certificate that is not an ACM ARN",
      "provider.service.listeners[0].certificateArn",
      (r: RawConfig): void => useListeners(r, [{ port: 443, protocol: "TLS", certificateArn: "cert-1" }]),
    ],
    [
      "an SSL policy that admits TLS 1.0 (the API's default)",
      "provider.service.listeners[0].sslPolicy",
      (r: RawConfig): void =>
        useListeners(r, [
          { port: 443, protocol: "TLS", certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/0123abcd", sslPolicy: "ELBSecurityPolicy-2016-08" },
        ]),
    ],
    [
      "an SSL policy that admits TLS 1.1",
      "provider.service.listeners[0].sslPolicy",
      (r: RawConfig): void =>
        useListeners(r, [
          {
            port: 443,
            protocol: "TLS",
            certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/0123abcd",
            sslPolicy: "ELBSecurityPolicy-TLS13-1-1-2021-06",
          },
        ]),
    ],
    [
      "a service image that is not an AMI id",
      "provider.service.imageId",
      (r: RawConfig): void => {
        r.provider.service.imageId = "al2023";
      },
    ],
    [
      "a client image that is not an AMI id",
      "consumers[0].clientImageId",
      (r: RawConfig): void => {
        r.consumers[0].clientImageId = "ami-xyz";
      },
    ],
    ["a listener port out of range", "provider.service.listeners[0].port", (r: RawConfig): void => useListeners(r, [{ port: 70000 }])],
    ["an empty listener list", "provider.service.listeners", (r: RawConfig): void => useListeners(r, [])],
    [
      "a principal that is a user",
      "consumers[0].principals[0]",
      (r: RawConfig): void => {
        r.consumers[0].principals = ["arn:aws:iam::222222222222:user/alice"];
      },
    ],
  ] as const)("refuses %s (%s)", (_name, path, mutate) => {
    expect(codesOf(mutate).filter((line) => line.startsWith(`${path} field.`))).toHaveLength(1);
  });
});

describe("codes of reading the file", () => {
  const dir = mkdtempSync(join(tmpdir(), "privatelink-codes-"));
  const codeOfFile = (text: string | undefined): string => {
    const file = join(dir, `c${Math.random()}.json`);
    if (text !== undefined) writeFileSync(file, text);
    try {
      loadConfig(file);
      return "valid";
    } catch (err) {
      return (err as ConfigError).problems.map((p) => p.code).join(",");
    }
  };
  test.each([
    ["file.unreadable", undefined],
    ["file.empty", "  \n"],
    ["file.malformed-json", "{ nope"],
    ["file.not-an-object", "[1, 2]"],
  ] as const)("%s", (code, text) => {
    expect(codeOfFile(text)).toBe(code);
  });
  test("a valid file has none", () => {
    expect(codeOfFile(readFileSync(join(ROOT, "config/example.json"), "utf8"))).toBe("valid");
  });
});
