import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { PrivateNetwork } from "../../src/constructs/network";
import { blocks, networkConfig, synthOf } from "./scope";

const base = { name: "t", region: "us-east-1", accountId: "123456789012" };

describe("PrivateNetwork", () => {
  test("a VPC with DNS for private endpoints, one private subnet per AZ id, named by AZ id", () => {
    const { synth, json } = synthOf((scope) => new PrivateNetwork(scope, "net", { ...base, network: networkConfig() }));
    expect(synth).toHaveResourceWithProperties(Vpc, { cidr_block: "10.1.0.0/16", enable_dns_support: true, enable_dns_hostnames: true });
    expect(synth).toHaveResourceWithProperties(Subnet, { cidr_block: "10.1.16.0/20", availability_zone_id: "use1-az2", map_public_ip_on_launch: false });
    expect(blocks(json, "aws_subnet")).toHaveLength(2);
    expect(Object.keys(json.resource.aws_subnet).some((id) => id.includes("private-use1-az2"))).toBe(true);
  });

  test("the default security group is emptied", () => {
    const { synth } = synthOf((scope) => new PrivateNetwork(scope, "net", { ...base, network: networkConfig() }));
    expect(synth).toHaveResourceWithProperties(DefaultSecurityGroup, { ingress: [], egress: [] });
  });

  test("no internet gateway, route to 0.0.0.0/0 or flow logs unless asked for", () => {
    const { synth } = synthOf((scope) => new PrivateNetwork(scope, "net", { ...base, network: networkConfig() }));
    expect(synth).not.toHaveResource(InternetGateway);
    expect(synth).not.toHaveResource(Route);
    expect(synth).not.toHaveResource(FlowLog);
  });

  test("public subnets come with an internet gateway and their own route table", () => {
    const network = networkConfig({ publicSubnetCidrs: ["10.1.128.0/20", "10.1.144.0/20"] });
    const { synth, json } = synthOf((scope) => new PrivateNetwork(scope, "net", { ...base, network }));
    expect(synth).toHaveResource(InternetGateway);
    expect(synth).toHaveResourceWithProperties(Route, { destination_cidr_block: "0.0.0.0/0" });
    expect(blocks(json, "aws_subnet").filter((s) => s.tags.Tier === "public")).toHaveLength(2);
  });

  test("flow logs with the given retention; a Session Manager profile when enabled", () => {
    const network = networkConfig({ flowLogRetentionDays: 30, sessionManager: true });
    const { synth, json } = synthOf((scope) => new PrivateNetwork(scope, "net", { ...base, network }));
    expect(synth).toHaveResourceWithProperties(FlowLog, { traffic_type: "ALL" });
    expect(blocks(json, "aws_cloudwatch_log_group")[0]).toMatchObject({ retention_in_days: 30 });
    expect(blocks(json, "aws_iam_instance_profile")).toHaveLength(1);
  });
});
