import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpointService } from "@cdktf/provider-aws/lib/vpc-endpoint-service";
import { Construct } from "constructs";
import type { ServiceConfig } from "../config/types";
import type { PrivateNetwork } from "./network";
import { loadBalancerName } from "../aws-names";
import { latestAmazonLinuxAmi } from "./private-instance";
import { ServiceFleet } from "./service-fleet";
import { serviceUserData } from "../config/user-data";

export interface PrivateLinkServiceProps {
  /** The provider VPC; instances and NLB go in its private subnets. */
  readonly network: PrivateNetwork;
  /** The provider VPC CIDR: the only source the instances and NLB admit. */
  readonly vpcCidr: string;
  /** Port, instances, page and acceptance of the service. */
  readonly service: ServiceConfig;
  /** Principals allowed to create endpoints, e.g. `arn:aws:iam::222222222222:root`. */
  readonly allowedPrincipals: string[];
  /** Prefix of names and Name tags. */
  readonly name: string;
}

/**
 * A service offered over PrivateLink: instances in private subnets (an Auto
 * Scaling group that rolls changes out) behind an internal NLB, exposed as a
 * VPC endpoint service.
 *
 * The NLB has a security group admitting the service port from the VPC only.
 * Its enforcement on PrivateLink traffic is turned off on purpose: who may
 * connect is decided by `allowed_principals` and acceptance, and by each
 * consumer endpoint's own security group. With enforcement on and no rule
 * for the consumers' addresses, the NLB silently drops their traffic.
 */
export class PrivateLinkService extends Construct {
  readonly loadBalancer: Lb;
  readonly targetGroup: LbTargetGroup;
  readonly endpointService: VpcEndpointService;
  /** The instances: an Auto Scaling group that rolls changes out. */
  readonly fleet: ServiceFleet;

  constructor(scope: Construct, id: string, props: PrivateLinkServiceProps) {
    super(scope, id);
    const { network, service, name, vpcCidr } = props;
    const subnets = network.privateSubnets;

    const servicePortFromVpc = [
      { description: `service port from the VPC`, protocol: "tcp", fromPort: service.port, toPort: service.port, cidrBlocks: [vpcCidr] },
    ];

    const nlbSg = new SecurityGroup(this, "nlb-sg", {
      name: `${name}-nlb`,
      description: "NLB of the PrivateLink service: service port within the VPC",
      vpcId: network.vpc.id,
      ingress: servicePortFromVpc,
      egress: [{ ...servicePortFromVpc[0], description: "service port to the targets" }],
      tags: { Name: `${name}-nlb` },
    });
    const instanceSg = new SecurityGroup(this, "instance-sg", {
      name: `${name}-instances`,
      description: "Service instances: service port from the NLB inside the VPC",
      vpcId: network.vpc.id,
      ingress: servicePortFromVpc,
      // Only what the AWS service endpoints need (none without them).
      egress: network.endpointEgress,
      tags: { Name: `${name}-instances` },
    });

    this.loadBalancer = new Lb(this, "nlb", {
      name: loadBalancerName(`${name}-nlb`),
      internal: true,
      loadBalancerType: "network",
      subnets: subnets.map((s) => s.id),
      securityGroups: [nlbSg.id],
      enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: "off",
      enableCrossZoneLoadBalancing: true,
      enableDeletionProtection: service.deletionProtection,
      tags: { Name: `${name}-nlb` },
    });

    this.targetGroup = new LbTargetGroup(this, "tg", {
      // A port change replaces the group: a fixed name would clash with the old one,
      // and the old one cannot go while the listener uses it (ResourceInUse).
      namePrefix: TARGET_GROUP_NAME_PREFIX,
      lifecycle: { createBeforeDestroy: true },
      port: service.port,
      protocol: "TCP",
      targetType: "instance",
      vpcId: network.vpc.id,
      healthCheck: { enabled: true, protocol: "TCP", port: "traffic-port", interval: 10, healthyThreshold: 3, unhealthyThreshold: 3 },
      tags: { Name: `${name}-tg` },
    });
    this.fleet = new ServiceFleet(this, "fleet", {
      subnetIds: subnets.map((s) => s.id),
      securityGroupIds: [instanceSg.id],
      instanceType: service.instanceType,
      count: service.instanceCount,
      amiId: latestAmazonLinuxAmi(this),
      userData: serviceUserData(service),
      detailedMonitoring: service.detailedMonitoring,
      instanceProfileName: network.instanceProfileName,
      targetGroupArn: this.targetGroup.arn,
      name,
    });

    new LbListener(this, "listener", {
      loadBalancerArn: this.loadBalancer.arn,
      port: service.port,
      protocol: "TCP",
      defaultAction: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
    });

    this.endpointService = new VpcEndpointService(this, "endpoint-service", {
      acceptanceRequired: service.acceptanceRequired,
      networkLoadBalancerArns: [this.loadBalancer.arn],
      // Inline only: mixing with aws_vpc_endpoint_service_allowed_principal makes them overwrite each other.
      allowedPrincipals: props.allowedPrincipals,
      privateDnsName: service.privateDns?.name,
      tags: { Name: name },
    });
  }
}

/** AWS appends a unique suffix; at most 6 characters. */
export const TARGET_GROUP_NAME_PREFIX = "plsvc-";
