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
   * without the service's NLB fails to create.
   */
  readonly serviceAzs: { readonly ids: string[] } | { readonly names: string[] };
  /** TCP port of the service: the only port the endpoint admits. */
  readonly port: number;
  /** Client CIDRs allowed to reach the endpoint. */
  readonly allowedClientCidrs: readonly string[];
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
 * that admits only the service port from the allowed client CIDRs.
 */
export class InterfaceEndpoint extends Construct {
  readonly endpoint: VpcEndpoint;
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: InterfaceEndpointProps) {
    super(scope, id);
    const { network, port } = props;

    this.securityGroup = new SecurityGroup(this, "sg", {
      name: `${props.name}-endpoint`,
      // No port in the description: a description change replaces the group, which fails while the endpoint uses it.
      description: "PrivateLink endpoint: the service port from allowed clients only",
      vpcId: network.vpc.id,
      ingress: [{ description: "service port from allowed clients", protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: [...props.allowedClientCidrs] }],
      egress: [],
      tags: { Name: `${props.name}-endpoint` },
    });

    // Keep the subnets whose AZ id the service supports. Decided at apply
    // time from the wired AZ ids, so the endpoint follows the provider's AZs.
    const served = props.serviceAzs;
    const subnetIds = Fn.compact(
      network.privateSubnets.map((subnet, i) =>
        Fn.conditional("ids" in served ? Fn.contains(served.ids, network.azIds[i]) : Fn.contains(served.names, subnet.availabilityZone), subnet.id, ""),
      ),
    );

    this.endpoint = new VpcEndpoint(this, "endpoint", {
      vpcId: network.vpc.id,
      vpcEndpointType: "Interface",
      serviceName: props.serviceName,
      subnetIds,
      securityGroupIds: [this.securityGroup.id],
      // A private DNS name can only be used after the provider accepts. When the
      // private-dns stack turns it on, setting it here would turn it off again (Optional+Computed).
      privateDnsEnabled: props.privateDnsManagedSeparately ? undefined : false,
      tags: { Name: props.name },
      lifecycle: {
        precondition: [
          {
            condition: Op.gte(Fn.lengthOf(subnetIds), 1),
            errorMessage: "None of this VPC's AZs is served by the endpoint service; add a subnet in one of the service's AZs.",
          },
          ...(props.preconditions ?? []),
        ],
      },
    });
  }
}
