import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcEndpointServicePrivateDnsVerification } from "@cdktf/provider-aws/lib/vpc-endpoint-service-private-dns-verification";
import { isAbsolute, resolve } from "node:path";
import { Testing } from "cdktf";
import { buildStacks } from "../src/app";
import { buildExample, exampleConfig, parsed, type RawConfig, type Block } from "./helpers";

// Changes after day 1 that must apply: each test fails on the stacks as they were before the fix.

const withPrivateDns = (raw: RawConfig) => (raw.provider.service.privateDns = { name: "api.internal.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" });

describe("private DNS on the consumer endpoint", () => {
  test("with a private DNS name, the endpoint leaves private_dns_enabled to the private-dns stack", () => {
    const json = parsed(Testing.synth(buildExample(exampleConfig(withPrivateDns)).consumers[0]));
    const [endpoint] = Object.values(json.resource.aws_vpc_endpoint) as Block[];
    expect(endpoint).not.toHaveProperty("private_dns_enabled");
  });

  test("without one, private DNS stays explicitly off", () => {
    expect(Testing.synth(buildExample().consumers[0])).toHaveResourceWithProperties(VpcEndpoint, {
      vpc_endpoint_type: "Interface",
      private_dns_enabled: false,
    });
  });
});

describe("private DNS name verification", () => {
  const json = parsed(Testing.synth(buildExample(exampleConfig(withPrivateDns)).provider));
  const [verification] = Object.values(json.resource.aws_vpc_endpoint_service_private_dns_verification) as Block[];

  test("waits until AWS has verified the name", () => {
    expect(Testing.synth(buildExample(exampleConfig(withPrivateDns)).provider)).toHaveResourceWithProperties(VpcEndpointServicePrivateDnsVerification, {
      wait_for_verification: true,
    });
  });

  test("runs again when the name changes", () => {
    const [serviceName] = Object.keys(json.resource.aws_vpc_endpoint_service);
    expect(verification.lifecycle.replace_triggered_by).toEqual([`aws_vpc_endpoint_service.${serviceName}.private_dns_name`]);
  });
});

describe("a port change", () => {
  const at = (port: number) => exampleConfig((raw) => (raw.provider.service.port = port));
  const provider = (port: number) => parsed(Testing.synth(buildExample(at(port)).provider));
  const consumer = (port: number) => parsed(Testing.synth(buildExample(at(port)).consumers[0]));

  test("replaces the target group under a new generated name, created before the old one goes", () => {
    const synth = Testing.synth(buildExample(at(9090)).provider);
    expect(synth).toHaveResourceWithProperties(LbTargetGroup, {
      name_prefix: "plsvc-",
      port: 9090,
      lifecycle: { create_before_destroy: true },
    });
    const [tg] = Object.values(parsed(synth).resource.aws_lb_target_group) as Block[];
    expect(tg).not.toHaveProperty("name");
    // AWS appends a unique suffix to a name prefix of at most 6 characters (ELBv2 CreateTargetGroup, Name: 32 at most).
    expect(tg.name_prefix).toHaveLength(6);
  });

  test("leaves every security group's name and description as they were (a description change replaces the group)", () => {
    const groups = (json: RawConfig) =>
      Object.entries(json.resource.aws_security_group as Record<string, Block>).map(([id, sg]: [string, Block]) => [id, sg.name, sg.description]);
    expect(groups(provider(9090))).toEqual(groups(provider(8080)));
    expect(groups(consumer(9090))).toEqual(groups(consumer(8080)));
    expect(Testing.synth(buildExample(at(9090)).consumers[0])).toHaveResourceWithProperties(SecurityGroup, {
      ingress: [expect.objectContaining({ from_port: 9090, to_port: 9090 })],
    });
  });
});

describe("two consumers in one account (prod and staging VPCs)", () => {
  const config = exampleConfig((raw) => {
    raw.consumers[1].account = structuredClone(raw.consumers[0].account);
    raw.consumers[1].network.cidr = "10.40.0.0/16";
    raw.consumers[1].allowedClientCidrs = ["10.40.0.0/20"];
  });
  const stacks = buildExample(config);

  test("are allowed, each with its own stacks and state keys, sharing one bucket", () => {
    expect(stacks.consumers.map((s) => s.node.id)).toEqual(["consumer-analytics", "consumer-reporting"]);
    expect(new Set(stacks.consumers.map((s) => s.state?.key)).size).toBe(2);
    expect(stacks.bootstrap.map((s) => s.node.id)).toEqual(["bootstrap-provider", "bootstrap-analytics"]);
  });

  test("every named resource of the two has a name of its own, and the account is allowed once", () => {
    // An inline role policy's name is scoped to its role, so it may repeat.
    const names = (json: RawConfig) =>
      Object.entries(json.resource as Record<string, Record<string, Block>>)
        .filter(([type]) => type !== "aws_iam_role_policy")
        .flatMap(([, byId]) => Object.values(byId))
        .flatMap((r) => (typeof r.name === "string" ? [r.name] : []));
    const [a, b] = stacks.consumers.map((s) => names(parsed(Testing.synth(s))));
    expect(a.length).toBeGreaterThan(3);
    expect(a.filter((n) => b.includes(n))).toEqual([]);
    const [service] = Object.values(parsed(Testing.synth(stacks.provider)).resource.aws_vpc_endpoint_service) as Block[];
    expect(service.allowed_principals).toEqual(["arn:aws:iam::222222222222:root"]);
  });
});

describe("the bootstrap stacks' local state", () => {
  test("is a path relative to the stack directory, so cdk.tf.json does not depend on where the repo lives", () => {
    const app = Testing.app();
    const [bootstrap] = buildStacks(app, exampleConfig()).bootstrap;
    const path: string = parsed(Testing.synth(bootstrap)).terraform.backend.local.path;
    expect(isAbsolute(path)).toBe(false);
    // Terraform runs in the stack's directory; from there the path is the project's state file.
    expect(resolve(app.outdir, "stacks", "bootstrap-provider", path)).toBe(resolve("terraform.bootstrap-provider.tfstate"));
  });
});

describe("routine changes roll the service instances instead of replacing them all", () => {
  const provider = (page: string) => parsed(Testing.synth(buildExample(exampleConfig((raw) => (raw.provider.service.page = page))).provider));
  const [before, after] = [provider("release 1"), provider("release 2")];

  test("there are no bare instances behind the NLB, only an Auto Scaling group keeping 100% healthy while it rolls", () => {
    expect(after.resource.aws_instance).toBeUndefined();
    expect(after.resource.aws_lb_target_group_attachment).toBeUndefined();
    const [group] = Object.values(after.resource.aws_autoscaling_group) as Block[];
    expect(group.instance_refresh.preferences).toMatchObject({ min_healthy_percentage: 100, max_healthy_percentage: 200 });
  });

  test("a new page (or AMI) changes only the launch template; the group follows its latest version", () => {
    const template = (json: RawConfig) => Object.values(json.resource.aws_launch_template)[0] as Block;
    expect(template(after).user_data).not.toBe(template(before).user_data);
    expect(after.resource.aws_autoscaling_group).toEqual(before.resource.aws_autoscaling_group);
  });
});

describe("images (provider.service.imageId, consumers[].clientImageId)", () => {
  const stacksWith = (mutate: (raw: RawConfig) => void) => {
    const stacks = buildExample(exampleConfig(mutate));
    return { provider: parsed(Testing.synth(stacks.provider)), consumer: parsed(Testing.synth(stacks.consumers[0])) };
  };
  const imageOf = (json: Block) => (Object.values(json.resource.aws_launch_template)[0] as Block).image_id;
  const clientOf = (json: Block) => Object.values(json.resource.aws_instance)[0] as Block;
  const parameterOf = (json: Block) => (Object.values(json.data.aws_ssm_parameter)[0] as Block).name;

  test("by default an AWS release changes nothing Terraform plans: EC2 resolves the fleet's image at launch; the client keeps its own", () => {
    const { provider, consumer } = stacksWith(() => {});
    expect(imageOf(provider)).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
    expect(JSON.stringify(provider)).not.toContain("aws_ssm_parameter");
    expect(parameterOf(consumer)).toBe("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
    expect(clientOf(consumer).lifecycle).toEqual({ ignore_changes: ["ami"] });
  });

  test("a pinned AMI is what the templates name: rolling to another is a config change the review shows", () => {
    const { provider, consumer } = stacksWith((raw) => {
      raw.provider.service.imageId = "ami-0123456789abcdef0";
      raw.consumers[0].clientImageId = "ami-0fedcba9876543210";
    });
    expect(imageOf(provider)).toBe("ami-0123456789abcdef0");
    expect(clientOf(consumer).ami).toBe("ami-0fedcba9876543210");
    expect(clientOf(consumer)).not.toHaveProperty("lifecycle");
    expect(consumer.data.aws_ssm_parameter).toBeUndefined();
  });

  test("a Graviton type gets the arm64 image; a type without EBS optimization is not asked for it", () => {
    const { provider, consumer } = stacksWith((raw) => {
      raw.provider.service.instanceType = "t4g.small";
      raw.consumers[0].clientInstanceType = "t2.micro";
    });
    expect(imageOf(provider)).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
    expect(Object.values(provider.resource.aws_launch_template)[0]).toMatchObject({ ebs_optimized: "true" });
    expect(parameterOf(consumer)).toBe("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
    expect(clientOf(consumer)).not.toHaveProperty("ebs_optimized");
  });
});
