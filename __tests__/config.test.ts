import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../src/config/errors";
import { loadConfig } from "../src/wiring/load";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { TerraformStack, Testing } from "cdktf";
import { ROOT, buildExample, created, exampleConfig, problemsOf, type RawConfig } from "./helpers";

const tmp = mkdtempSync(join(tmpdir(), "privatelink-config-"));
function fileWith(text: string): string {
  const file = join(tmp, `c${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, text);
  return file;
}
function loadProblems(file: string): string {
  try {
    loadConfig(file);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("expected the config to be rejected");
}

describe("the example config", () => {
  test("is valid and fills in defaults and derived subnets", () => {
    const config = loadConfig(join(ROOT, "config/example.json"));
    expect(created(config.provider.network).privateSubnetCidrs).toEqual(["10.10.0.0/20", "10.10.16.0/20"]);
    expect(created(config.provider.network).publicSubnetCidrs).toEqual([]);
    expect(config.provider.account.state?.region).toBe("us-east-1");
    expect(config.consumers[0].allowedClientCidrs).toEqual(["10.20.0.0/16"]);
    expect(config.wiring.mode).toBe("variables");
  });

  test("allowed client CIDRs default to the consumer VPC", () => {
    const config = exampleConfig((raw) => {
      delete raw.consumers[0].allowedClientCidrs;
    });
    // Left undefined in the config; the consumer stack admits the VPC's own CIDR.
    expect(config.consumers[0].allowedClientCidrs).toBeUndefined();
    const endpoint = buildExample(config).consumers[0].endpoint.securityGroup;
    expect(Testing.synth(TerraformStack.of(endpoint))).toHaveResourceWithProperties(SecurityGroup, {
      name: "privatelink-demo-analytics-endpoint",
      ingress: [expect.objectContaining({ cidr_blocks: ["10.20.0.0/16"] })],
    });
  });

  test("acceptance is required unless turned off", () => {
    const config = exampleConfig((raw) => {
      delete raw.provider.service.acceptanceRequired;
    });
    expect(config.provider.service.acceptanceRequired).toBe(true);
  });

  test("public subnets are derived after the private ones when asked for", () => {
    const config = exampleConfig((raw) => {
      raw.provider.network.publicSubnets = true;
    });
    expect(created(config.provider.network).publicSubnetCidrs).toEqual(["10.10.128.0/20", "10.10.144.0/20"]);
  });

  test("given subnet CIDRs are used as they are", () => {
    const config = exampleConfig((raw) => {
      raw.provider.network.privateSubnetCidrs = ["10.10.1.0/24", "10.10.2.0/24"];
    });
    expect(created(config.provider.network).privateSubnetCidrs).toEqual(["10.10.1.0/24", "10.10.2.0/24"]);
  });
});

describe("the config file", () => {
  test("a missing file is named", () => {
    expect(loadProblems(join(tmp, "nope.json"))).toMatch(/nope\.json: 1 problem\n {2}- \(file\): file not found; expected a JSON config file/);
  });

  test("an empty file is rejected", () => {
    expect(loadProblems(fileWith("  \n"))).toMatch(/the file is empty/);
  });

  test("malformed JSON is rejected", () => {
    expect(loadProblems(fileWith('{"project": '))).toMatch(/malformed JSON/);
  });

  test("a missing top-level section is named with what it must hold", () => {
    expect(loadProblems(fileWith("{}"))).toMatch(/ - provider: missing required field; expected an object with fields account, network, service/);
  });

  test("a JSON value that is not an object is rejected", () => {
    expect(loadProblems(fileWith("[]"))).toMatch(/\(file\): expected a JSON object at the top level.*; got \[\]/);
  });
});

describe("config validation names each bad field, its value and what is accepted", () => {
  test.each([
    [
      "a missing field",
      (r: RawConfig) => delete r.provider.service.port,
      /provider\.service\.port: missing required field; expected the service port, such as 8080, or "listeners": .*; got nothing/,
    ],
    [
      "an unknown field",
      (r: RawConfig) => (r.provider.network.vpcCidr = "10.0.0.0/16"),
      /provider\.network: unknown field vpcCidr; accepted fields: cidr, azIds, vpcId, subnetIds, ipv6, privateSubnetCidrs, publicSubnets, publicSubnetCidrs/,
    ],
    ["a wrong type", (r: RawConfig) => (r.provider.service.port = "8080"), /provider\.service\.port: expected a TCP port number 1-65535; got "8080"/],
    [
      "a prefix above 32",
      (r: RawConfig) => (r.provider.network.cidr = "10.10.0.0/33"),
      /provider\.network\.cidr: has a prefix length above 32.*got "10\.10\.0\.0\/33"/,
    ],
    [
      "an octet above 255",
      (r: RawConfig) => (r.consumers[0].network.cidr = "10.256.0.0/16"),
      /consumers\[0\]\.network\.cidr: has an octet above 255.*got "10\.256\.0\.0\/16"/,
    ],
    ["a CIDR with host bits", (r: RawConfig) => (r.provider.network.cidr = "10.10.0.1/16"), /has host bits set; the network address is 10\.10\.0\.0\/16/],
    ["a malformed CIDR", (r: RawConfig) => (r.provider.network.cidr = "10.10/16"), /provider\.network\.cidr: is not an IPv4 CIDR block/],
    ["a VPC larger than /16", (r: RawConfig) => (r.provider.network.cidr = "10.0.0.0/8"), /provider\.network\.cidr: expected a VPC block from \/16 to \/28/],
    [
      "a subnet outside its VPC",
      (r: RawConfig) => (r.provider.network.privateSubnetCidrs = ["10.10.0.0/24", "10.99.0.0/24"]),
      /provider\.network\.privateSubnetCidrs\[1\]: expected a subnet inside the VPC 10\.10\.0\.0\/16; got "10\.99\.0\.0\/24"/,
    ],
    [
      "overlapping subnets",
      (r: RawConfig) => (r.provider.network.privateSubnetCidrs = ["10.10.0.0/20", "10.10.8.0/24"]),
      /privateSubnetCidrs\[1\]: expected a subnet that does not overlap provider\.network\.privateSubnetCidrs\[0\] \(10\.10\.0\.0\/20\)/,
    ],
    [
      "a public subnet on a private one",
      (r: RawConfig) => Object.assign(r.provider.network, { publicSubnets: true, publicSubnetCidrs: ["10.10.0.0/24", "10.10.200.0/24"] }),
      /publicSubnetCidrs\[0\]: expected a subnet that does not overlap provider\.network\.privateSubnetCidrs\[0\]/,
    ],
    [
      "public CIDRs without public subnets",
      (r: RawConfig) => (r.provider.network.publicSubnetCidrs = ["10.10.200.0/24", "10.10.201.0/24"]),
      /publicSubnetCidrs: public subnet CIDRs need publicSubnets: true/,
    ],
    [
      "one subnet CIDR for two AZs",
      (r: RawConfig) => (r.provider.network.privateSubnetCidrs = ["10.10.0.0/24"]),
      /privateSubnetCidrs: expected one CIDR per AZ id \(2\)/,
    ],
    [
      "a VPC too small to derive subnets",
      (r: RawConfig) => (r.provider.network.cidr = "10.10.0.0/26"),
      /privateSubnetCidrs: the VPC 10\.10\.0\.0\/26 is too small to derive/,
    ],
    [
      "fewer than 2 AZs",
      (r: RawConfig) => (r.provider.network.azIds = ["use1-az1"]),
      /provider\.network\.azIds: expected at least 2 AZ ids.*got \["use1-az1"\]/,
    ],
    [
      "an AZ name instead of an AZ id",
      (r: RawConfig) => (r.provider.network.azIds = ["us-east-1a", "use1-az2"]),
      /provider\.network\.azIds\[0\]: expected an AZ id such as use1-az1.*got "us-east-1a"/,
    ],
    [
      "an AZ id of another region",
      (r: RawConfig) => (r.provider.network.azIds = ["usw2-az1", "use1-az2"]),
      /provider\.network\.azIds\[0\]: expected an AZ id of region us-east-1 \(use1-azN\); got "usw2-az1"/,
    ],
    ["a repeated AZ id", (r: RawConfig) => (r.provider.network.azIds = ["use1-az1", "use1-az1"]), /azIds\[1\]: expected each AZ id once/],
    [
      "an account id that is not 12 digits",
      (r: RawConfig) => (r.consumers[0].account.id = "12345"),
      /consumers\[0\]\.account\.id: expected a 12-digit AWS account id; got "12345"/,
    ],
    [
      "an account id given as a number",
      (r: RawConfig) => (r.consumers[0].account.id = 222222222222),
      /consumers\[0\]\.account\.id: expected a 12-digit account id as a string/,
    ],
    [
      "an unknown region",
      (r: RawConfig) => (r.provider.account.region = "us-east-7"),
      /provider\.account\.region: expected an AWS region: .*us-east-1.*; got "us-east-7"/,
    ],
    ["a port of 0", (r: RawConfig) => (r.provider.service.port = 0), /provider\.service\.port: expected a TCP port 1-65535; got 0/],
    ["a port above 65535", (r: RawConfig) => (r.provider.service.port = 65536), /provider\.service\.port: expected a TCP port 1-65535; got 65536/],
    ["SSH as the service port", (r: RawConfig) => (r.provider.service.port = 22), /provider\.service\.port: expected a port other than 22/],
    [
      "both page and userData",
      (r: RawConfig) => (r.provider.service.userData = "#!/bin/sh\n"),
      /provider\.service\.userData: expected either page or userData, not both/,
    ],
    [
      "a consumer AZ the provider does not serve",
      (r: RawConfig) => (r.consumers[0].network.azIds = ["use1-az1", "use1-az4"]),
      /consumers\[0\]\.network\.azIds\[1\]: expected an AZ id the provider serves \(use1-az1, use1-az2\).*got "use1-az4"/,
    ],
    [
      "a consumer in a region without cross-region PrivateLink",
      (r: RawConfig) =>
        Object.assign(r.consumers[0], {
          account: { ...r.consumers[0].account, region: "eu-central-1" },
          network: { ...r.consumers[0].network, azIds: ["euc1-az1", "euc1-az2"] },
        }),
      /consumers\[0\]\.account\.region: expected the provider's region us-east-1, or both regions among those offering cross-region PrivateLink \(us-east-1, .*\); consumers\[0\]\.account\.region eu-central-1 is not; got "eu-central-1"/,
    ],
    [
      "client CIDRs open to the world",
      (r: RawConfig) => (r.consumers[0].allowedClientCidrs = ["0.0.0.0/0"]),
      /consumers\[0\]\.allowedClientCidrs\[0\]: expected a bounded client range/,
    ],
    [
      "a role in another account",
      (r: RawConfig) => (r.provider.account.roleArn = "arn:aws:iam::999999999999:role/x"),
      /provider\.account\.roleArn: expected a role in account 111111111111/,
    ],
    ["a malformed role ARN", (r: RawConfig) => (r.provider.account.roleArn = "role/x"), /provider\.account\.roleArn: expected an IAM role ARN/],
    ["a bad bucket name", (r: RawConfig) => (r.provider.account.state.bucket = "Bad_Bucket"), /provider\.account\.state\.bucket: expected an S3 bucket name/],
    ["no consumers", (r: RawConfig) => (r.consumers = []), /consumers: expected at least one consumer/],
    [
      "a duplicate consumer name",
      (r: RawConfig) => r.consumers.push(structuredClone(r.consumers[0])),
      /consumers\[2\]\.name: expected a unique name; consumers\[0\] already uses it; got "analytics"/,
    ],
    [
      "a consumer named like the provider's stacks",
      (r: RawConfig) => (r.consumers[1].name = "provider"),
      /consumers\[1\]\.name: expected a name other than provider: the provider's own stacks use it; got "provider"/,
    ],
    [
      "a malformed private DNS name",
      (r: RawConfig) => (r.provider.service.privateDns = { name: "API_internal", hostedZoneId: "Z123" }),
      /provider\.service\.privateDns\.name: expected a lowercase DNS name such as api\.internal\.example\.com; got "API_internal"/,
    ],
    [
      "a malformed hosted zone id",
      (r: RawConfig) => (r.provider.service.privateDns = { name: "api.example.com", hostedZoneId: "zone-1" }),
      /provider\.service\.privateDns\.hostedZoneId: expected a Route 53 hosted zone id/,
    ],
    [
      "an unknown connection event",
      (r: RawConfig) => (r.provider.service.notifications = { events: ["Connect", "Disconnect"] }),
      /provider\.service\.notifications\.events\[1\]: expected one of Accept, Connect, Delete, Reject; got "Disconnect"/,
    ],
    [
      "no connection events",
      (r: RawConfig) => (r.provider.service.notifications = { events: [] }),
      /provider\.service\.notifications\.events: expected at least one event/,
    ],
    ["azLookup that is not a boolean", (r: RawConfig) => (r.consumers[1].azLookup = "yes"), /consumers\[1\]\.azLookup: expected true or false; got "yes"/],
    ["an unknown wiring mode", (r: RawConfig) => (r.wiring.mode = "magic"), /wiring\.mode: expected "variables", "remote-state" or "tfe-outputs"; got "magic"/],
  ])("rejects %s", (_name, mutate, expected) => {
    expect(problemsOf(mutate)).toMatch(expected);
  });

  test.each([
    [
      "a malformed project name",
      (r: RawConfig) => (r.project = "Demo Project"),
      /project: expected 2-31 lowercase letters, digits or hyphens, starting with a letter and not with sg-; got "Demo Project"/,
    ],
    ["a tag value that is not a string", (r: RawConfig) => (r.tags = { owner: 7 }), /tags\.owner: expected a string tag value; got 7/],
    [
      "a malformed state key prefix",
      (r: RawConfig) => (r.provider.account.state.keyPrefix = "/abs/"),
      /provider\.account\.state\.keyPrefix: expected a key prefix such as privatelink or teams\/net; got "\/abs\/"/,
    ],
    [
      "an unknown bootstrap backend",
      (r: RawConfig) => (r.provider.account.state.bootstrapBackend = "gcs"),
      /provider\.account\.state\.bootstrapBackend: expected "local" or "s3"; got "gcs"/,
    ],
    [
      "an unknown state bucket region",
      (r: RawConfig) => (r.provider.account.state.region = "mars-1"),
      /provider\.account\.state\.region: expected an AWS region: .*; got "mars-1"/,
    ],
    [
      "a malformed instance type",
      (r: RawConfig) => (r.provider.service.instanceType = "large"),
      /provider\.service\.instanceType: expected an EC2 instance type such as t3\.micro; got "large"/,
    ],
    ["no service instances", (r: RawConfig) => (r.provider.service.instanceCount = 0), /provider\.service\.instanceCount: expected 1-20 instances; got 0/],
    ["a fractional port", (r: RawConfig) => (r.provider.service.port = 80.5), /provider\.service\.port: expected a whole port number; got 80\.5/],
    ["an empty page", (r: RawConfig) => (r.provider.service.page = ""), /provider\.service\.page: expected a non-empty page; got ""/],
    [
      "empty user data",
      (r: RawConfig) => Object.assign(r.provider.service, { page: undefined, userData: "" }),
      /provider\.service\.userData: expected non-empty user data; got ""/,
    ],
    [
      "deletionProtection that is not a boolean",
      (r: RawConfig) => (r.provider.service.deletionProtection = "no"),
      /provider\.service\.deletionProtection: expected true or false; got "no"/,
    ],
    [
      "publicSubnets that is not a boolean",
      (r: RawConfig) => (r.provider.network.publicSubnets = 1),
      /provider\.network\.publicSubnets: expected true or false; got 1/,
    ],
    [
      "a malformed client instance type",
      (r: RawConfig) => (r.consumers[0].clientInstanceType = "T3.Micro"),
      /consumers\[0\]\.clientInstanceType: expected an EC2 instance type such as t3\.micro; got "T3\.Micro"/,
    ],
    [
      "an empty list of client CIDRs",
      (r: RawConfig) => (r.consumers[0].allowedClientCidrs = []),
      /consumers\[0\]\.allowedClientCidrs: expected at least one CIDR; got \[\]/,
    ],
    [
      "a malformed state reader role",
      (r: RawConfig) => (r.wiring = { mode: "remote-state", stateReadRoleArn: "reader" }),
      /wiring\.stateReadRoleArn: expected an IAM role ARN such as arn:aws:iam::111111111111:role\/terraform; got "reader"/,
    ],
    [
      "remote-state wiring that names no identity to read with",
      (r: RawConfig) => (r.wiring = { mode: "remote-state" }),
      /wiring\.stateReaders: expected the IAM roles or users Terraform runs as .*; got \[\]/,
    ],
    [
      "an account root as a state reader",
      (r: RawConfig) => (r.wiring = { mode: "remote-state", stateReaders: ["arn:aws:iam::444444444444:root"] }),
      /wiring\.stateReaders\[0\]: expected an IAM role or user ARN .*; got "arn:aws:iam::444444444444:root"/,
    ],
    [
      "role principals without the deployer's roleArn or the root",
      (r: RawConfig) => {
        delete r.consumers[0].account.roleArn;
        r.consumers[0].principals = ["arn:aws:iam::222222222222:role/app"];
      },
      /consumers\[0\]\.principals: expected the account root \(arn:aws:iam::222222222222:root\) among the principals, or account\.roleArn set.*; got \["arn:aws:iam::222222222222:role\/app"\]/,
    ],
    [
      "a principal with a path",
      (r: RawConfig) => (r.consumers[0].principals = ["arn:aws:iam::222222222222:role/team/app"]),
      /consumers\[0\]\.principals\[0\]: expected a role ARN without a path.*; got "arn:aws:iam::222222222222:role\/team\/app"/,
    ],
    [
      "a TLS policy that admits TLS 1.0",
      (r: RawConfig) => {
        delete r.provider.service.port;
        r.provider.service.listeners = [
          { port: 443, protocol: "TLS", certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/0123abcd", sslPolicy: "ELBSecurityPolicy-2016-08" },
        ];
      },
      /provider\.service\.listeners\[0\]\.sslPolicy: expected an ELB security policy that admits TLS 1\.2 or later only.*; got "ELBSecurityPolicy-2016-08"/,
    ],
    [
      "an image that is not an AMI id",
      (r: RawConfig) => (r.provider.service.imageId = "al2023"),
      /provider\.service\.imageId: expected an AMI id such as ami-0123456789abcdef0; got "al2023"/,
    ],
    [
      "a malformed Terraform Cloud host",
      (r: RawConfig) => (r.backend = { type: "cloud", organization: "acme", hostname: "https://tfe" }),
      /backend\.hostname: expected a hostname such as app\.terraform\.io; got "https:\/\/tfe"/,
    ],
    [
      "a malformed workspace prefix",
      (r: RawConfig) => (r.backend = { type: "cloud", organization: "acme", workspacePrefix: "pl/" }),
      /backend\.workspacePrefix: expected letters, digits, - and _; got "pl\/"/,
    ],
    [
      "an empty Terraform Cloud project",
      (r: RawConfig) => (r.backend = { type: "cloud", organization: "acme", project: "" }),
      /backend\.project: expected a project name; got ""/,
    ],
  ])("rejects %s", (_name, mutate, expected) => {
    expect(problemsOf(mutate)).toMatch(expected);
  });

  test("every problem is listed at once, each on its own line", () => {
    const message = problemsOf((r) => {
      r.provider.account.id = "1";
      r.provider.service.port = 70000;
      r.consumers[0].network.cidr = "10.20.0.0/40";
      r.consumers[0].allowedClientCidrs = ["0.0.0.0/0"];
      r.unexpected = true;
    });
    expect(message).toMatch(/: 5 problems\n/);
    for (const path of [
      "provider.account.id",
      "provider.service.port",
      "consumers[0].network.cidr",
      "consumers[0].allowedClientCidrs[0]",
      "(file): unknown field unexpected",
    ]) {
      expect(message).toContain(`  - ${path}`);
    }
  });
});
