import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Fn, Op, type Precondition } from "cdktf";
import { Construct } from "constructs";
import type { PrivateNetwork } from "./network";

export interface InterfaceEndpointProps {
  /** The consumer VPC; the endpoint goes in its private subnets. */
  readonly network: PrivateNetwork;
  /** Service name of the endpoint service, e.g. `com.amazonaws.vpce.us-east-1.vpce-svc-0123…`. */
  readonly serviceName: string;
  /**
   * The AZs the service supports, as AZ ids (the same in every account) or as
   * AZ names in this account's mapping (from a lookup of the service). Only
   * subnets in these AZs get an endpoint interface; an endpoint in an AZ
   * without the service's NLB fails to create. @default every private
   * subnet: a service in another region (`serviceRegion`) has no AZs here
   */
  readonly serviceAzs?: { readonly ids: string[] } | { readonly names: string[] };
  /** The service's region when it is not this VPC's (cross-region PrivateLink). @default this VPC's region */
  readonly serviceRegion?: string;
  /** TCP ports of the service (its listener ports): the only ports the endpoint admits, one rule each. */
  readonly ports: readonly number[];
  /** Client CIDRs allowed to reach the endpoint. */
  readonly allowedClientCidrs: readonly string[];
  /**
   * With a dual-stack network: an endpoint with IPv4 and IPv6 addresses; its
   * DNS names get AAAA records only when IPv6 clients are admitted
   * (`admitVpcIpv6`). @default false
   */
  readonly dualStack?: boolean;
  /**
   * With a dual-stack network: admit the VPC's IPv6 block too. Set it only
   * when the allowed clients are the whole VPC, so IPv6 admits no more than
   * IPv4. @default false
   */
  readonly admitVpcIpv6?: boolean;
  /**
   * Whether `aws_vpc_endpoint_private_dns` (the private-dns stack) turns
   * private DNS on later. The endpoint then leaves `private_dns_enabled`
   * alone, as that resource's docs ask. @default false: private DNS stays off
   */
  readonly privateDnsManagedSeparately?: boolean;
  /** Checks on the inputs, run before the endpoint is created. @default none */
  readonly preconditions?: Precondition[];
  /** Prefix of names and Name tags. */
  readonly name: string;
}

/**
 * An interface VPC endpoint to an endpoint service, with a security group
 * that admits only the service ports from the allowed client CIDRs.
 */
export class InterfaceEndpoint extends Construct {
  readonly endpoint: VpcEndpoint;
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: InterfaceEndpointProps) {
    super(scope, id);
    const { network } = props;
    const ipv6Clients = props.admitVpcIpv6 ? network.vpcIpv6Cidr : undefined;
    const dualStack = props.dualStack && network.vpcIpv6Cidr !== undefined;
    const sources = { cidrBlocks: [...props.allowedClientCidrs], ...(ipv6Clients ? { ipv6CidrBlocks: [ipv6Clients] } : {}) };
    const description = "service port from allowed clients";

    const ingress = props.ports.map((port) => ({ description, protocol: "tcp", fromPort: port, toPort: port, ...sources }));
    this.securityGroup = new SecurityGroup(this, "sg", {
      name: `${props.name}-endpoint`,
      // No port in the description: a description change replaces the group, which fails while the endpoint uses it.
      description: "PrivateLink endpoint: the service port from allowed clients only",
      vpcId: network.vpcId,
      ingress,
      egress: [],
      tags: { Name: `${props.name}-endpoint` },
    });

    // Keep the subnets whose AZ id the service supports. Decided at apply
    // time from the wired AZ ids, so the endpoint follows the provider's AZs.
    const served = props.serviceAzs;
    const subnetIds = served
      ? Fn.compact(
          network.privateSubnets.map((subnet, i) =>
            Fn.conditional("ids" in served ? Fn.contains(served.ids, network.azIds[i]) : Fn.contains(served.names, subnet.availabilityZone), subnet.id, ""),
          ),
        )
      : network.privateSubnets.map((subnet) => subnet.id);

    this.endpoint = new VpcEndpoint(this, "endpoint", {
      vpcId: network.vpcId,
      vpcEndpointType: "Interface",
      serviceName: props.serviceName,
      serviceRegion: props.serviceRegion,
      subnetIds,
      securityGroupIds: [this.securityGroup.id],
      // Explicit both ways: both are Optional+Computed, so leaving them out would never turn dual stack off.
      ipAddressType: dualStack ? "dualstack" : "ipv4",
      // AAAA records only when the security group admits IPv6 clients: otherwise
      // clients would resolve IPv6 addresses whose traffic the group then drops.
      dnsOptions: { dnsRecordIpType: dualStack && ipv6Clients ? "dualstack" : "ipv4" },
      // A private DNS name can only be used after the provider accepts. When the
      // private-dns stack turns it on, setting it here would turn it off again (Optional+Computed).
      privateDnsEnabled: props.privateDnsManagedSeparately ? undefined : false,
      tags: { Name: props.name },
      lifecycle: {
        precondition: [
          ...(served
            ? [
                {
                  condition: Op.gte(Fn.lengthOf(subnetIds), 1),
                  errorMessage: "None of this VPC's AZs is served by the endpoint service; add a subnet in one of the service's AZs.",
                },
              ]
            : []),
          ...(props.preconditions ?? []),
        ],
      },
    });
  }
}
