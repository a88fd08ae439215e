import { RamPrincipalAssociation } from "@cdktf/provider-aws/lib/ram-principal-association";
import { RamResourceAssociation } from "@cdktf/provider-aws/lib/ram-resource-association";
import { RamResourceShare } from "@cdktf/provider-aws/lib/ram-resource-share";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpclatticeResourceConfiguration } from "@cdktf/provider-aws/lib/vpclattice-resource-configuration";
import { VpclatticeResourceGateway } from "@cdktf/provider-aws/lib/vpclattice-resource-gateway";
import { Construct } from "constructs";
import { latticeName } from "../aws-names";
import { portRangeText } from "../config/resource-rules";
import type { SharedResourceConfig } from "../config/types";
import type { PrivateNetwork } from "./network";

/** A consumer the resources are shared with. */
interface ResourceConsumer {
  /** The consumer's name, which names its share. */
  readonly name: string;
  /** Its account, the share's principal. */
  readonly accountId: string;
  /** Names of the resources it gets. */
  readonly resources: readonly string[];
  /** Outside the provider's organization: the share allows external principals and sends an invitation. */
  readonly external: boolean;
}

export interface SharedResourcesProps {
  /** The provider VPC: the gateway goes in its private subnets. */
  readonly network: PrivateNetwork;
  /** The resources, each with one address and its ports. */
  readonly resources: readonly SharedResourceConfig[];
  /** The consumers that get some of them; one share each. */
  readonly consumers: readonly ResourceConsumer[];
  /** Prefix of names and Name tags. */
  readonly name: string;
}

/**
 * Resources shared over PrivateLink without a load balancer: a VPC Lattice
 * resource gateway in the provider's private subnets, a resource
 * configuration per resource (its address and TCP ports), and an AWS RAM
 * share per consumer that lists the resources it gets and its account.
 *
 * The gateway's security group governs its traffic to the resources
 * ("Security group rules for resource gateways control outbound traffic
 * from the resource gateway to resources",
 * https://docs.aws.amazon.com/vpc/latest/privatelink/resource-gateway.html):
 * each resource's ports to its address only (its /32), or, for a resource
 * known by DNS name, to the provider VPC; nothing comes in. The resource
 * itself must admit those ports from this group.
 */
export class SharedResources extends Construct {
  readonly gatewaySecurityGroup: SecurityGroup;
  readonly gateway: VpclatticeResourceGateway;
  /** By resource name. */
  readonly configurations = new Map<string, VpclatticeResourceConfiguration>();
  /** By consumer name. */
  readonly shares = new Map<string, RamResourceShare>();

  constructor(scope: Construct, id: string, props: SharedResourcesProps) {
    super(scope, id);
    const { network, name } = props;
    this.gatewaySecurityGroup = new SecurityGroup(this, "gateway-sg", {
      name: `${name}-resource-gateway`,
      description: "Resource gateway: out to each shared resource on its ports only",
      vpcId: network.vpcId,
      ingress: [],
      egress: props.resources.flatMap((resource) =>
        resource.portRanges.map((range) => ({
          description: `${resource.name} ${portRangeText(range)}`,
          protocol: "tcp",
          fromPort: range.from,
          toPort: range.to,
          ...(resource.ipAddress ? { cidrBlocks: [`${resource.ipAddress}/32`] } : network.vpcSources()),
        })),
      ),
      tags: { Name: `${name}-resource-gateway` },
    });
    this.gateway = new VpclatticeResourceGateway(this, "gateway", {
      name: latticeName(`${name}-resources`),
      vpcId: network.vpcId,
      subnetIds: network.privateSubnets.map((s) => s.id),
      securityGroupIds: [this.gatewaySecurityGroup.id],
      ipAddressType: "IPV4",
      tags: { Name: `${name}-resources` },
    });
    for (const resource of props.resources) {
      this.configurations.set(
        resource.name,
        new VpclatticeResourceConfiguration(this, `resource-${resource.name}`, {
          name: latticeName(`${name}-${resource.name}`),
          type: "SINGLE",
          protocol: "TCP",
          portRanges: resource.portRanges.map(portRangeText),
          resourceGatewayIdentifier: this.gateway.id,
          resourceConfigurationDefinition: [
            resource.ipAddress
              ? { ipResource: [{ ipAddress: resource.ipAddress }] }
              : { dnsResource: [{ domainName: resource.dnsName as string, ipAddressType: "IPV4" }] },
          ],
          tags: { Name: `${name}-${resource.name}` },
        }),
      );
    }
    for (const consumer of props.consumers) {
      const share = new RamResourceShare(this, `share-${consumer.name}`, {
        name: `${name}-${consumer.name}-resources`,
        // Within one organization (with RAM sharing enabled) RAM refuses principals outside it, so nothing else can be let in.
        allowExternalPrincipals: consumer.external,
        tags: { Name: `${name}-${consumer.name}-resources` },
      });
      new RamPrincipalAssociation(this, `share-${consumer.name}-account`, { resourceShareArn: share.arn, principal: consumer.accountId });
      for (const resource of consumer.resources) {
        new RamResourceAssociation(this, `share-${consumer.name}-${resource}`, {
          resourceShareArn: share.arn,
          resourceArn: (this.configurations.get(resource) as VpclatticeResourceConfiguration).arn,
        });
      }
      this.shares.set(consumer.name, share);
    }
  }
}
