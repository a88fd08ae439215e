import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpointService } from "@cdktf/provider-aws/lib/vpc-endpoint-service";
import { Fn, Op, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import type { ServiceConfig } from "../config/types";
import type { PrivateNetwork } from "./network";
import { loadBalancerName } from "../aws-names";
import { ServiceFleet } from "./service-fleet";
import { listenerPortsOf, serviceUserData, targetPortsOf } from "../config/user-data";

export interface PrivateLinkServiceProps {
  /** The provider VPC; instances and NLB go in its private subnets. */
  readonly network: PrivateNetwork;
  /** Listeners, instances, page and acceptance of the service. */
  readonly service: ServiceConfig;
  /** Principals allowed to create endpoints, e.g. `arn:aws:iam::222222222222:root`. */
  readonly allowedPrincipals: string[];
  /**
   * Regions the service is offered in: its own, plus the consumers' other
   * regions (cross-region PrivateLink). AWS reads the own region back among
   * them (the provider's read keeps every region whose ServiceState is
   * Available), so it must be listed; and the attribute is Optional+Computed,
   * so a region left out of the list stays until the list names the rest.
   */
  readonly supportedRegions: readonly string[];
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
  /** One target group per distinct target port. */
  readonly targetGroups = new Map<number, LbTargetGroup>();
  readonly endpointService: VpcEndpointService;
  /** The instances: an Auto Scaling group that rolls changes out. */
  readonly fleet: ServiceFleet;

  constructor(scope: Construct, id: string, props: PrivateLinkServiceProps) {
    super(scope, id);
    const { network, service, name } = props;
    const subnets = network.privateSubnets;
    const targetPorts = targetPortsOf(service);
    // Dual stack needs IPv6 addresses in the subnets; the config checks that for a VPC it creates.
    const dualStack = service.dualStack && network.vpcIpv6Cidr !== undefined;
    const { nlbSg, instanceSg } = this.securityGroups(network, service, name, targetPorts);

    this.loadBalancer = new Lb(this, "nlb", {
      name: loadBalancerName(`${name}-nlb`),
      internal: true,
      loadBalancerType: "network",
      // Explicit both ways: the attribute is Optional+Computed, so leaving it out would never turn dual stack off.
      ipAddressType: dualStack ? "dualstack" : "ipv4",
      subnets: subnets.map((s) => s.id),
      securityGroups: [nlbSg.id],
      enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: "off",
      enableCrossZoneLoadBalancing: true,
      enableDeletionProtection: service.deletionProtection,
      tags: { Name: `${name}-nlb` },
      // An NLB takes one subnet per AZ. The config checks the AZ ids of a VPC it creates; an existing VPC's subnets are read here.
      lifecycle: network.vpc
        ? undefined
        : {
            precondition: [
              {
                condition: Op.eq(Fn.lengthOf(Fn.distinct([...network.azIds])), subnets.length),
                errorMessage: "The provider's subnets (network.subnetIds) must each be in a different AZ: a load balancer takes one subnet per AZ.",
              },
            ],
          },
    });

    // Target groups and listeners are keyed by port, so reordering `listeners` or
    // removing one touches no other. Before that, the first of each had the id
    // `tg` / `listener`: `moved` blocks carry those addresses over to their port's.
    // Migration from layouts before 0.1.0 (CHANGELOG.md); it may go in the first
    // release that no longer upgrades from those, 1.0.0 at the earliest.
    const stack = TerraformStack.of(this);
    const formerAddress = (type: string, id: string) => `${type}.${stack.getLogicalId(new Construct(this, id).node)}`;
    this.addTargetGroups(network, service, name, targetPorts, formerAddress("aws_lb_target_group", "tg"));
    this.fleet = new ServiceFleet(this, "fleet", {
      subnetIds: subnets.map((s) => s.id),
      securityGroupIds: [instanceSg.id],
      instanceType: service.instanceType,
      count: service.instanceCount,
      image: service.image,
      ebsOptimized: service.ebsOptimized,
      userData: serviceUserData({ ...service, targetPorts }),
      detailedMonitoring: service.detailedMonitoring,
      instanceProfileName: network.instanceProfileName,
      targetGroupArns: [...this.targetGroups.values()].map((g) => g.arn),
      name,
    });

    service.listeners.forEach((listener, i) => {
      const resource = new LbListener(this, `listener-${listener.port}`, {
        loadBalancerArn: this.loadBalancer.arn,
        port: listener.port,
        protocol: listener.protocol,
        certificateArn: listener.certificateArn,
        sslPolicy: listener.sslPolicy,
        defaultAction: [{ type: "forward", targetGroupArn: (this.targetGroups.get(listener.targetPort) as LbTargetGroup).arn }],
      });
      if (i === 0) resource.moveFromId(formerAddress(resource.terraformResourceType, "listener"));
    });

    this.endpointService = new VpcEndpointService(this, "endpoint-service", {
      acceptanceRequired: service.acceptanceRequired,
      networkLoadBalancerArns: [this.loadBalancer.arn],
      // Inline only: mixing with aws_vpc_endpoint_service_allowed_principal makes them overwrite each other.
      allowedPrincipals: props.allowedPrincipals,
      privateDnsName: service.privateDns?.name,
      supportedIpAddressTypes: dualStack ? ["ipv4", "ipv6"] : ["ipv4"],
      supportedRegions: [...props.supportedRegions],
      tags: { Name: name },
    });
  }

  /**
   * The NLB admits its listener ports from the VPC and reaches the targets on
   * their ports; the instances admit those from the NLB's security group only.
   */
  private securityGroups(network: PrivateNetwork, service: ServiceConfig, name: string, targetPorts: readonly number[]) {
    const tcp = (port: number, description: string) => ({ description, protocol: "tcp", fromPort: port, toPort: port });
    const nlbSg = new SecurityGroup(this, "nlb-sg", {
      name: `${name}-nlb`,
      description: "NLB of the PrivateLink service: service port within the VPC",
      vpcId: network.vpcId,
      ingress: listenerPortsOf(service).map((port) => ({ ...tcp(port, "service port from the VPC"), ...network.vpcSources() })),
      egress: targetPorts.map((port) => ({ ...tcp(port, "service port to the targets"), ...network.vpcSources() })),
      tags: { Name: `${name}-nlb` },
    });
    const instanceSg = new SecurityGroup(this, "instance-sg", {
      name: `${name}-instances`,
      description: "Service instances: service port from the NLB inside the VPC",
      vpcId: network.vpcId,
      ingress: targetPorts.map((port) => ({ ...tcp(port, "service port from the NLB"), securityGroups: [nlbSg.id] })),
      // Only what the AWS service endpoints need (none without them).
      egress: network.endpointEgress,
      tags: { Name: `${name}-instances` },
    });
    return { nlbSg, instanceSg };
  }

  /** One target group per target port; the first listener's keeps the address it had as `tg` (`formerFirst`). */
  private addTargetGroups(network: PrivateNetwork, service: ServiceConfig, name: string, targetPorts: readonly number[], formerFirst: string): void {
    for (const port of targetPorts) {
      const group = new LbTargetGroup(this, `tg-${port}`, {
        // A port change replaces the group: a fixed name would clash with the old one,
        // and the old one cannot go while the listener uses it (ResourceInUse).
        namePrefix: TARGET_GROUP_NAME_PREFIX,
        lifecycle: { createBeforeDestroy: true },
        port,
        protocol: "TCP",
        targetType: "instance",
        vpcId: network.vpcId,
        proxyProtocolV2: service.proxyProtocolV2 || undefined,
        healthCheck: { enabled: true, protocol: "TCP", port: "traffic-port", interval: 10, healthyThreshold: 3, unhealthyThreshold: 3 },
        tags: { Name: targetPorts.length === 1 ? `${name}-tg` : `${name}-tg-${port}` },
      });
      if (port === service.listeners[0].targetPort) group.moveFromId(formerFirst);
      this.targetGroups.set(port, group);
    }
  }
}

/** AWS appends a unique suffix; at most 6 characters. */
const TARGET_GROUP_NAME_PREFIX = "plsvc-";
