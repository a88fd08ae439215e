import { RamResourceShareAccepter } from "@cdktf/provider-aws/lib/ram-resource-share-accepter";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Construct } from "constructs";
import { portRangeText } from "../config/resource-rules";
import type { PortRange } from "../config/types";
import type { PrivateNetwork } from "./network";

/** One shared resource this consumer reaches. */
interface ReachedResource {
  readonly name: string;
  /** Its TCP ports, which the endpoint admits. */
  readonly portRanges: readonly PortRange[];
  /** ARN of its resource configuration (wired from the provider stack). */
  readonly configurationArn: string;
}

export interface ResourceEndpointsProps {
  /** The consumer VPC: the endpoints go in its private subnets. */
  readonly network: PrivateNetwork;
  /** The resources, each with its ports and configuration ARN. */
  readonly resources: readonly ReachedResource[];
  /** The RAM share to accept (outside the provider's organization); undefined when the organization shares without invitations. */
  readonly shareArn?: string;
  /** Client CIDRs admitted on the resources' ports. */
  readonly allowedClientCidrs: readonly string[];
  /** Also admit the VPC's own IPv6 block (dual-stack clients of the whole VPC). @default false */
  readonly admitVpcIpv6?: boolean;
  /** Prefix of names and Name tags. */
  readonly name: string;
}

/**
 * A consumer's way to the resources shared with it: it accepts the RAM
 * share's invitation (an account outside the provider's organization must),
 * then a `Resource`-type VPC endpoint per resource in its private subnets,
 * behind one security group that admits each resource's ports from the
 * allowed client CIDRs only and lets nothing out.
 */
export class ResourceEndpoints extends Construct {
  readonly securityGroup: SecurityGroup;
  /** By resource name. */
  readonly endpoints = new Map<string, VpcEndpoint>();
  /** Undefined when the share needs no acceptance. */
  readonly accepter?: RamResourceShareAccepter;

  constructor(scope: Construct, id: string, props: ResourceEndpointsProps) {
    super(scope, id);
    const { network, name } = props;
    if (props.shareArn) this.accepter = new RamResourceShareAccepter(this, "share-accepter", { shareArn: props.shareArn });
    const ipv6 = props.admitVpcIpv6 && network.vpcIpv6Cidr ? { ipv6CidrBlocks: [network.vpcIpv6Cidr] } : {};
    this.securityGroup = new SecurityGroup(this, "sg", {
      name: `${name}-resources`,
      description: "Resource endpoints: each shared resource's ports from the allowed clients only",
      vpcId: network.vpcId,
      ingress: props.resources.flatMap((resource) =>
        resource.portRanges.map((range) => ({
          description: `${resource.name} ${portRangeText(range)} from the allowed clients`,
          protocol: "tcp",
          fromPort: range.from,
          toPort: range.to,
          cidrBlocks: [...props.allowedClientCidrs],
          ...ipv6,
        })),
      ),
      egress: [],
      tags: { Name: `${name}-resources` },
    });
    for (const resource of props.resources) {
      this.endpoints.set(
        resource.name,
        new VpcEndpoint(this, `endpoint-${resource.name}`, {
          vpcId: network.vpcId,
          vpcEndpointType: "Resource",
          resourceConfigurationArn: resource.configurationArn,
          subnetIds: network.privateSubnets.map((s) => s.id),
          securityGroupIds: [this.securityGroup.id],
          // The share must be accepted before the resource configuration can be used.
          dependsOn: this.accepter ? [this.accepter] : undefined,
          tags: { Name: `${name}-${resource.name}` },
        }),
      );
    }
  }
}
