import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Testing } from "cdktf";
import { buildExample, exampleConfig, parsed, problemsOf, type Block } from "./helpers";

/** The block whose construct path ends with `suffix` (logical ids are the path joined by _, plus a hash). */
function byPath(json: Block, kind: "resource" | "data", type: string, suffix: string): Block {
  const id = new RegExp(`(^|_)${suffix.replace(/\//g, "_")}_[0-9A-F]{8}$`);
  const found = Object.entries(json[kind][type] ?? {}).find(([logicalId]) => id.test(logicalId));
  if (!found) throw new Error(`no ${type} at */${suffix}`);
  return found[1] as Block;
}

describe("AWS service endpoints of the example", () => {
  const stacks = buildExample();
  const consumer = Testing.synth(stacks.consumers[0], true);
  const consumerJson = parsed(consumer);
  const providerJson = parsed(Testing.synth(stacks.provider, true));

  test("an S3 gateway endpoint on the private route table of each network", () => {
    expect(consumer).toHaveResourceWithProperties(VpcEndpoint, {
      vpc_endpoint_type: "Gateway",
      service_name: "com.amazonaws.us-east-1.s3",
      route_table_ids: [expect.stringMatching(/aws_route_table\.network_private-rt/)],
    });
    expect(byPath(providerJson, "resource", "aws_vpc_endpoint", "aws-endpoints/s3-gateway").route_table_ids).toEqual([
      expect.stringMatching(/aws_route_table\.network_private-rt/),
    ]);
  });

  test("the S3 gateway policy: the configured buckets and actions for the account's own principals; AWS's package and agent buckets", () => {
    const policy = byPath(consumerJson, "data", "aws_iam_policy_document", "aws-endpoints/s3-gateway-policy");
    expect(policy.statement).toEqual([
      {
        sid: "OwnAccountOnly",
        effect: "Allow",
        principals: [{ type: "*", identifiers: ["*"] }],
        actions: ["s3:GetObject", "s3:ListBucket"],
        resources: ["arn:aws:s3:::privatelink-demo-artifacts-222222222222", "arn:aws:s3:::privatelink-demo-artifacts-222222222222/*"],
        condition: [{ test: "StringEquals", variable: "aws:PrincipalAccount", values: ["222222222222"] }],
      },
      {
        // dnf and the SSM agent on a private instance: read-only, AWS-owned buckets of the region only.
        sid: "AwsOwnedPackagesAndAgents",
        effect: "Allow",
        principals: [{ type: "*", identifiers: ["*"] }],
        actions: ["s3:GetObject"],
        resources: expect.arrayContaining([
          "arn:aws:s3:::al2023-repos-us-east-1-de612dc2/*",
          "arn:aws:s3:::amazon-ssm-us-east-1/*",
          "arn:aws:s3:::aws-ssm-us-east-1/*",
        ]),
      },
    ]);
    expect(policy.statement[1].resources.every((arn: string) => /^arn:aws:s3:::[a-z0-9.-]*us-east-1[a-z0-9.-]*\/\*$/.test(arn))).toBe(true);
    expect(byPath(consumerJson, "resource", "aws_vpc_endpoint", "aws-endpoints/s3-gateway").policy).toMatch(
      /data\.aws_iam_policy_document\..*s3-gateway-policy.*\.json/,
    );
  });

  test("a kinesis-streams interface endpoint with private DNS in the private subnets, with its policy", () => {
    expect(consumer).toHaveResourceWithProperties(VpcEndpoint, {
      vpc_endpoint_type: "Interface",
      service_name: "com.amazonaws.us-east-1.kinesis-streams",
      private_dns_enabled: true,
      subnet_ids: [expect.stringMatching(/private-use1-az1/), expect.stringMatching(/private-use1-az2/)],
    });
    expect(byPath(consumerJson, "data", "aws_iam_policy_document", "kinesis-streams-interface-policy").statement[0]).toMatchObject({
      actions: ["kinesis:PutRecord", "kinesis:PutRecords", "kinesis:DescribeStreamSummary"],
      resources: ["arn:aws:kinesis:us-east-1:222222222222:stream/privatelink-demo-events"],
    });
  });

  test("interface endpoints share one security group admitting 443 from the VPC only", () => {
    expect(consumer).toHaveResourceWithProperties(SecurityGroup, {
      name: "privatelink-demo-analytics-aws-endpoints",
      ingress: [expect.objectContaining({ protocol: "tcp", from_port: 443, to_port: 443, cidr_blocks: ["10.20.0.0/16"] })],
      egress: [],
    });
    for (const suffix of ["kinesis-streams-interface", "ssm-interface", "ssmmessages-interface", "ec2messages-interface"]) {
      expect(byPath(consumerJson, "resource", "aws_vpc_endpoint", suffix).security_group_ids).toEqual([expect.stringMatching(/network_aws-endpoints_sg/)]);
    }
  });

  test("Session Manager: the three SSM endpoints with private DNS; only ssm takes a policy", () => {
    for (const service of ["ssm", "ssmmessages", "ec2messages"]) {
      expect(consumer).toHaveResourceWithProperties(VpcEndpoint, {
        service_name: `com.amazonaws.us-east-1.${service}`,
        vpc_endpoint_type: "Interface",
        private_dns_enabled: true,
      });
    }
    expect(byPath(consumerJson, "resource", "aws_vpc_endpoint", "ssm-interface").policy).toBeDefined();
    expect(byPath(consumerJson, "resource", "aws_vpc_endpoint", "ssmmessages-interface").policy).toBeUndefined();
  });

  test("Session Manager: an instance profile with AmazonSSMManagedInstanceCore on the client and service instances", () => {
    expect(consumer).toHaveResourceWithProperties(IamRolePolicyAttachment, { policy_arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" });
    expect(consumer).toHaveResource(IamInstanceProfile);
    expect(consumer).toHaveDataSourceWithProperties(DataAwsIamPolicyDocument, {
      statement: [expect.objectContaining({ principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }] })],
    });
    expect(consumer).toHaveResourceWithProperties(Instance, {
      iam_instance_profile: expect.stringMatching(/aws_iam_instance_profile\.network_session-manager_profile/),
    });
    const [template] = Object.values(providerJson.resource.aws_launch_template) as Block[];
    expect(template.iam_instance_profile.name).toMatch(/aws_iam_instance_profile\.network_session-manager_profile/);
  });

  test("instances may leave only on 443, to the VPC's interface endpoints and the S3 gateway's prefix list", () => {
    const sg = byPath(providerJson, "resource", "aws_security_group", "service/instance-sg");
    expect(sg.egress).toEqual([
      expect.objectContaining({ from_port: 443, to_port: 443, cidr_blocks: ["10.10.0.0/16"] }),
      expect.objectContaining({ from_port: 443, to_port: 443, prefix_list_ids: [expect.stringMatching(/s3-gateway.*\.prefix_list_id/)] }),
    ]);
  });
});

describe("networks without AWS service endpoints", () => {
  const config = exampleConfig((raw) => {
    delete raw.provider.network.awsEndpoints;
    delete raw.provider.network.sessionManager;
  });
  const json = parsed(Testing.synth(buildExample(config).provider));

  test("get no endpoints, no profile and no egress at all", () => {
    expect(json.resource.aws_vpc_endpoint).toBeUndefined();
    expect(json.resource.aws_iam_instance_profile).toBeUndefined();
    expect(byPath(json, "resource", "aws_security_group", "service/instance-sg").egress).toEqual([]);
    const [template] = Object.values(json.resource.aws_launch_template) as Block[];
    expect(template).not.toHaveProperty("iam_instance_profile");
  });

  test("an endpoint without a policy entry allows only its own service's actions, for the account's principals only", () => {
    const withKms = exampleConfig((raw) => (raw.provider.network.awsEndpoints = [{ service: "kms" }]));
    const policy = byPath(parsed(Testing.synth(buildExample(withKms).provider)), "data", "aws_iam_policy_document", "kms-interface-policy");
    expect(policy.statement[0]).toMatchObject({
      actions: ["kms:*"],
      resources: ["*"],
      condition: [{ test: "StringEquals", variable: "aws:PrincipalAccount", values: ["111111111111"] }],
    });
  });

  test("an s3 Interface endpoint without a gateway sets the resolver-only DNS option as configured", () => {
    const config2 = exampleConfig((raw) => (raw.provider.network.awsEndpoints = [{ service: "s3", privateDnsOnlyForInboundResolverEndpoint: false }]));
    const endpoint = byPath(parsed(Testing.synth(buildExample(config2).provider)), "resource", "aws_vpc_endpoint", "s3-interface");
    expect(endpoint).toMatchObject({ private_dns_enabled: true, dns_options: { private_dns_only_for_inbound_resolver_endpoint: false } });
  });
});

describe("AWS service endpoint validation", () => {
  test.each([
    ["an unknown service", [{ service: "s4" }], /awsEndpoints\[0\]\.service: expected one of s3, dynamodb, .*; got "s4"/],
    [
      "a Gateway for a service without one",
      [{ service: "kinesis-streams", type: "Gateway" }],
      /awsEndpoints\[0\]\.type: Gateway endpoints exist only for s3 and dynamodb; use "Interface" for kinesis-streams; got "Gateway"/,
    ],
    [
      "private DNS on a Gateway",
      [{ service: "s3", type: "Gateway", privateDns: true }],
      /awsEndpoints\[0\]\.privateDns: private DNS applies to Interface endpoints only/,
    ],
    [
      "an s3 Interface with private DNS and no gateway",
      [{ service: "s3" }],
      /awsEndpoints\[0\]\.privateDns: private DNS for an s3 Interface endpoint needs an s3 Gateway endpoint in the same network, or "privateDnsOnly/,
    ],
    [
      "the resolver option off s3",
      [{ service: "sts", privateDnsOnlyForInboundResolverEndpoint: false }],
      /privateDnsOnlyForInboundResolverEndpoint: applies to s3 Interface endpoints only/,
    ],
    [
      "a duplicate endpoint",
      [{ service: "sts" }, { service: "sts" }],
      /awsEndpoints\[1\]\.service: expected each service and type once; .*awsEndpoints\[0\] is already a Interface endpoint/,
    ],
    [
      "a policy where none is taken",
      [{ service: "ssmmessages", policy: { actions: ["ssm:*"] } }],
      /awsEndpoints\[0\]\.policy: ssmmessages endpoints take no endpoint policy/,
    ],
    [
      "buckets on a non-s3 endpoint",
      [{ service: "sts", policy: { buckets: ["my-bucket"] } }],
      /awsEndpoints\[0\]\.policy\.buckets: buckets apply to s3 endpoints only/,
    ],
    [
      "buckets and resources together",
      [{ service: "s3", type: "Gateway", policy: { buckets: ["my-bucket"], resources: ["*"] } }],
      /policy\.resources: expected either buckets or resources, not both/,
    ],
    [
      "a malformed action",
      [{ service: "sts", policy: { actions: ["AssumeRole"] } }],
      /policy\.actions\[0\]: expected an IAM action such as s3:GetObject; got "AssumeRole"/,
    ],
    [
      "an unknown policy field",
      [{ service: "sts", policy: { principals: ["*"] } }],
      /awsEndpoints\[0\]\.policy: unknown field principals; accepted fields: actions, resources, buckets/,
    ],
  ])("rejects %s", (_name, endpoints, expected) => {
    expect(problemsOf((raw) => (raw.consumers[0].network.awsEndpoints = endpoints))).toMatch(expected);
  });

  test("sessionManager must be a boolean", () => {
    expect(problemsOf((raw) => (raw.provider.network.sessionManager = "yes"))).toMatch(/provider\.network\.sessionManager: expected true or false; got "yes"/);
  });
});
