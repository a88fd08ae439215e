import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { Testing } from "cdktf";
import { loadConfig } from "../src/wiring/load";
import { arnPartition, partitionOf } from "../src/config/regions";
import { boundedName, loadBalancerName } from "../src/aws-names";
import { ServiceEncryptionKey } from "../src/constructs/service-encryption-key";
import { SessionManagerProfile } from "../src/constructs/session-manager-profile";
import { WireError, wireVariables } from "../src/wiring/wire";
import { ROOT, buildExample, exampleConfig, exampleRaw, parsed, problemsOf, type RawConfig, type Block, useCloud } from "./helpers";

// Values AWS would refuse at apply, refused at synth; each case is the bad input and the message it gets.

describe("S3 bucket names (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)", () => {
  test.each([
    ["ab", /expected an S3 bucket name: 3-63 lowercase letters/],
    ["a".repeat(64), /expected an S3 bucket name: 3-63 lowercase letters/],
    ["-state", /starting and ending with a letter or digit/],
    ["my..state", /without two adjacent periods/],
    ["192.168.5.4", /not formatted as an IP address/],
    ["xn--state", /not starting with a reserved prefix \(xn--, sthree-, amzn-s3-demo-\)/],
    ["sthree-state", /reserved prefix/],
    ["state-s3alias", /not ending with a reserved suffix \(-s3alias, --ol-s3, \.mrap, --x-s3, --table-s3\)/],
    ["state--ol-s3", /reserved suffix/],
  ])("%j is refused", (bucket, message) => {
    expect(problemsOf((raw) => (raw.provider.account.state.bucket = bucket))).toMatch(new RegExp(`provider\\.account\\.state\\.bucket: .*${message.source}`));
  });

  test("a valid name with dots and digits is accepted", () => {
    expect(exampleConfig((raw) => (raw.provider.account.state.bucket = "state.example-111111111111")).provider.account.state?.bucket).toBe(
      "state.example-111111111111",
    );
  });
});

describe("tags (at most 50 per resource, keys 128, values 256, no aws: prefix)", () => {
  test.each([
    [
      "more than 45 user tags",
      Object.fromEntries(Array.from({ length: 46 }, (_, i) => [`k${i}`, "v"])),
      /tags: expected at most 45 tags: AWS allows 50 per resource, and the stacks add up to 5 of their own/,
    ],
    ["a 129-character key", { ["k".repeat(129)]: "v" }, /tags\.k+: expected a tag key of at most 128 characters/],
    ["a 257-character value", { team: "v".repeat(257) }, /tags\.team: expected a tag value of at most 256 characters/],
    ["an aws: key", { "aws:owner": "me" }, /tags\.aws:owner: expected a tag key without the aws: prefix/],
    ["a list instead of an object", ["a"], /tags: expected an object of string tags/],
  ])("refuses %s", (_name, tags, message) => {
    expect(problemsOf((raw) => (raw.tags = tags))).toMatch(message);
  });

  test("45 tags of the longest size are accepted", () => {
    const tags = Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`${i}`.padEnd(128, "k"), "v".repeat(256)]));
    expect(Object.keys(exampleConfig((raw) => (raw.tags = tags)).tags)).toHaveLength(45);
  });
});

describe("user data fits EC2's 16 KB", () => {
  test("a 40 KB page is refused on page, with the size", () => {
    expect(problemsOf((raw) => (raw.provider.service.page = "x".repeat(40 * 1024)))).toMatch(
      /provider\.service\.page: expected a page whose user data .* fits EC2's 16 KB user-data limit; it is \d+ bytes/,
    );
  });

  test("17 KB of user data is refused on userData; 15 KB is accepted", () => {
    const withUserData = (bytes: number) => (raw: RawConfig) => {
      delete raw.provider.service.page;
      raw.provider.service.userData = `#!/bin/sh\n${"#".repeat(bytes - 10)}`;
    };
    expect(problemsOf(withUserData(17 * 1024))).toMatch(
      /provider\.service\.userData: expected user data that fits EC2's 16 KB user-data limit; it is 17408 bytes/,
    );
    expect(exampleConfig(withUserData(15 * 1024)).provider.service.userData).toHaveLength(15 * 1024);
  });
});

describe("VPC and client CIDRs", () => {
  test.each([
    ["127.0.0.0/16", "loopback"],
    ["169.254.0.0/16", "link-local"],
    ["224.0.0.0/16", "multicast"],
    ["0.0.0.0/16", '"this network"'],
    ["240.0.0.0/16", "reserved"],
  ])("a VPC in %s (%s) is refused", (cidr, kind) => {
    expect(problemsOf((raw) => (raw.consumers[0].network.cidr = cidr))).toContain(
      `consumers[0].network.cidr: expected a range AWS allows for a VPC; ${cidr} overlaps the ${kind} range`,
    );
  });

  test("client ranges that add up to the whole internet are refused", () => {
    expect(problemsOf((raw) => (raw.consumers[0].allowedClientCidrs = ["0.0.0.0/1", "128.0.0.0/1"]))).toMatch(
      /consumers\[0\]\.allowedClientCidrs: expected bounded client ranges: together these cover every IPv4 address/,
    );
  });

  test("a repeated or covered client range is refused, naming the one that covers it", () => {
    expect(problemsOf((raw) => (raw.consumers[0].allowedClientCidrs = ["10.20.0.0/16", "10.20.0.0/16"]))).toMatch(
      /consumers\[0\]\.allowedClientCidrs\[1\]: expected each range once; consumers\[0\]\.allowedClientCidrs\[0\] \(10\.20\.0\.0\/16\) already covers it/,
    );
    expect(problemsOf((raw) => (raw.consumers[0].allowedClientCidrs = ["10.20.1.0/24", "10.20.0.0/16"]))).toMatch(
      /allowedClientCidrs\[0\]: expected each range once; consumers\[0\]\.allowedClientCidrs\[1\] \(10\.20\.0\.0\/16\) already covers it/,
    );
  });

  test("separate client ranges are accepted", () => {
    expect(exampleConfig((raw) => (raw.consumers[0].allowedClientCidrs = ["10.20.0.0/20", "10.20.16.0/20"])).consumers[0].allowedClientCidrs).toHaveLength(2);
  });
});

describe("partitions", () => {
  test("regions map to their partitions, and ARNs name theirs", () => {
    expect([partitionOf("us-east-1"), partitionOf("cn-north-1"), partitionOf("us-gov-west-1")]).toEqual(["aws", "aws-cn", "aws-us-gov"]);
    expect(arnPartition("arn:aws-cn:iam::111111111111:role/x")).toBe("aws-cn");
  });

  test("ARNs the constructs build use the partition they are given, not a fixed aws", () => {
    const synth = Testing.synthScope((scope) => {
      new SessionManagerProfile(scope, "ssm", { name: "svc-ssm", partition: "aws-cn" });
      new ServiceEncryptionKey(scope, "key", {
        accountId: "111111111111",
        partition: "aws-cn",
        servicePrincipal: "logs.cn-north-1.amazonaws.com.cn",
        serviceActions: ["kms:Encrypt*"],
        serviceConditions: [],
        description: "k",
      });
    });
    expect(synth).toHaveResourceWithProperties(IamRolePolicyAttachment, { policy_arn: "arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore" });
    expect(JSON.stringify(parsed(synth).data.aws_iam_policy_document)).toContain("arn:aws-cn:iam::111111111111:root");
  });

  test("an ARN of another partition than its region's is refused, wherever it is given", () => {
    expect(problemsOf((raw) => (raw.provider.account.roleArn = "arn:aws-cn:iam::111111111111:role/deployer"))).toMatch(
      /provider\.account\.roleArn: expected an ARN of partition aws, the partition of us-east-1; got "arn:aws-cn/,
    );
    expect(
      problemsOf((raw) => (raw.consumers[0].network.awsEndpoints[1].policy.resources = ["arn:aws-us-gov:kinesis:us-east-1:222222222222:stream/x"])),
    ).toMatch(/consumers\[0\]\.network\.awsEndpoints\[1\]\.policy\.resources\[0\]: expected an ARN of partition aws/);
    expect(problemsOf((raw) => (raw.wiring = { mode: "remote-state", stateReadRoleArn: "arn:aws-cn:iam::111111111111:role/reader" }))).toMatch(
      /wiring\.stateReadRoleArn: expected an ARN of partition aws/,
    );
  });
});

describe("endpoint policy actions", () => {
  test('a bare "*" is refused: leaving actions out already means every action', () => {
    expect(problemsOf((raw) => (raw.consumers[0].network.awsEndpoints[0].policy.actions = ["*"]))).toMatch(
      /policy\.actions\[0\]: expected named actions: leave "actions" out to allow every action/,
    );
  });

  test("service wildcards are accepted", () => {
    expect(
      exampleConfig((raw) => (raw.consumers[0].network.awsEndpoints[0].policy.actions = ["s3:Get*"])).consumers[0].network.awsEndpoints[0].policy?.actions,
    ).toEqual(["s3:Get*"]);
  });
});

describe("names the stacks build stay within AWS limits", () => {
  test("a name that fits is kept; a long one is shortened with a hash, never ending in a hyphen", () => {
    expect(boundedName("privatelink-demo-provider-nlb", 32)).toBe("privatelink-demo-provider-nlb");
    const long = boundedName("a-very-long-project-name-abcdefg-provider-nlb", 32);
    expect(long).toHaveLength(32);
    expect(long).not.toMatch(/-$|--/);
    expect(boundedName("a-very-long-project-name-abcdefg-provider-nlc", 32)).not.toBe(long);
    // Slicing at 32 would end on a hyphen here.
    expect(boundedName("abcdefghijklmnopqrstuvwxyz-1234-x-provider", 32)).not.toMatch(/-$/);
  });

  test("a load balancer name never starts with internal-", () => {
    expect(loadBalancerName("internal-provider-nlb")).toBe("lb-internal-provider-nlb");
  });

  test("with the longest project and consumer names, the NLB and every IAM role fit", () => {
    const config = exampleConfig((raw) => {
      raw.project = `p${"x".repeat(29)}`;
      raw.consumers[0].name = `c${"y".repeat(30)}z`;
      raw.consumers[0].network.sessionManager = true;
    });
    const stacks = buildExample(config);
    const lb: Block = Object.values(parsed(Testing.synth(stacks.provider)).resource.aws_lb)[0];
    // ELBv2 CreateLoadBalancer: a name of at most 32 characters.
    expect(lb.name.length).toBeLessThanOrEqual(32);
    expect(Testing.synth(stacks.provider)).toHaveResourceWithProperties(Lb, { name: lb.name });
    for (const stack of [stacks.provider, stacks.consumers[0]]) {
      // IAM CreateRole: a name of at most 64 characters.
      for (const role of Object.values(parsed(Testing.synth(stack)).resource.aws_iam_role) as Block[]) expect(role.name.length).toBeLessThanOrEqual(64);
    }
  });
});

describe("options that would do nothing are refused", () => {
  test("a Terraform Cloud workspace for a stack the config does not have", () => {
    expect(problemsOf((raw) => useCloud(raw, { type: "cloud", organization: "acme", workspaces: { "consumer-billing": "ws-billing" } }))).toMatch(
      /backend\.workspaces\.consumer-billing: names no stack of this config, so it would do nothing; the stacks are provider, .*; got "ws-billing"/,
    );
  });

  test("a workspace for no stack is listed with every other problem of the config, in one error", () => {
    const message = problemsOf((raw) => {
      useCloud(raw, { type: "cloud", organization: "acme", workspaces: { "consumer-billing": "ws-billing" } });
      raw.provider.account.organizationId = "o-abcdefghij";
    });
    expect(message).toMatch(/^Invalid config example: 2 problems\n/);
    expect(message).toContain("provider.account.organizationId: is used only to share provider.resources");
    expect(message).toContain("backend.workspaces.consumer-billing: names no stack of this config");
  });

  test("a state-reading role in variables wiring", () => {
    expect(problemsOf((raw) => (raw.wiring = { stateReadRoleArn: "arn:aws:iam::111111111111:role/reader" }))).toMatch(
      /wiring\.stateReadRoleArn: is used only with "mode": "remote-state"/,
    );
  });
});

describe("the config file", () => {
  const tmp = mkdtempSync(join(tmpdir(), "config-file-"));

  test("saved with a UTF-8 byte-order mark is read", () => {
    const file = join(tmp, "bom.json");
    writeFileSync(file, `\uFEFF${readFileSync(join(ROOT, "config/example.json"), "utf8")}`);
    expect(loadConfig(file).project).toBe("privatelink-demo");
  });

  test("every unknown field of an object is reported, not only the first", () => {
    const message = problemsOf((raw) => Object.assign(raw.provider, { colour: 1, size: 2 }));
    expect(message).toMatch(/provider: unknown field colour/);
    expect(message).toMatch(/provider: unknown field size/);
  });
});

describe("wire refuses another environment's values", () => {
  const config = exampleConfig();
  test("a service name of another region", () => {
    expect(() =>
      wireVariables(config, "provider", "consumer-analytics", {
        service_name: "com.amazonaws.vpce.eu-west-1.vpce-svc-0123",
        service_availability_zone_ids: ["use1-az1"],
      }),
    ).toThrow(/service_name = .*expected a service of the provider's region us-east-1/);
  });

  test("AZ ids of another region", () => {
    expect(() =>
      wireVariables(config, "provider", "consumer-analytics", {
        service_name: "com.amazonaws.vpce.us-east-1.vpce-svc-0123",
        service_availability_zone_ids: ["euw1-az1"],
      }),
    ).toThrow(WireError);
  });
});

test("the example still validates", () => {
  expect(exampleRaw().project).toBe("privatelink-demo");
});
