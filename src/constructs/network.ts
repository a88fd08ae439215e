import { DataAwsRouteTable } from "@cdktf/provider-aws/lib/data-aws-route-table";
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import type { SecurityGroupEgress } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Fn, type Postcondition, Token, propertyAccess } from "cdktf";
import { Construct } from "constructs";
import { partitionOf } from "../config/regions";
import type { CreatedNetworkConfig, ExistingNetworkConfig, NetworkConfig } from "../config/types";
import { AwsServiceEndpoints } from "./aws-service-endpoints";
import { FlowLogs } from "./flow-logs";
import { SessionManagerProfile } from "./session-manager-profile";

export interface PrivateNetworkProps {
  /** The VPC to create (CIDR, AZ ids, subnet CIDRs) or the existing one to use, validated and resolved. */
  readonly network: NetworkConfig;
  /** Prefix of the Name tags. */
  readonly name: string;
  /** Region of the VPC, for AWS service endpoint names. */
  readonly region: string;
  /** Account of the VPC: endpoint policies admit only its principals. */
  readonly accountId: string;
  /**
   * Whether a private DNS name resolves in this VPC (the service's, on a
   * consumer's endpoint), besides the AWS-service endpoints' own: an
   * existing VPC must then have DNS support and DNS hostnames. @default false
   */
  readonly privateDns?: boolean;
}

/** Extra bits of a subnet's IPv6 block: the VPC's /56 gives /64s. */
const IPV6_SUBNET_NEW_BITS = 8;
/** Public subnets' IPv6 blocks start here, after room for 8 private ones (as their IPv4 blocks do). */
const IPV6_PUBLIC_OFFSET = 8;

/** Sources "within this VPC" of a security-group rule: its IPv4 block, and its IPv6 block when dual stack. */
export interface VpcSources {
  readonly cidrBlocks: string[];
  readonly ipv6CidrBlocks?: string[];
}

/**
 * The VPC of a stack: one it creates, with one private subnet per AZ id
 * sharing one route table with only the local route (public subnets, an
 * internet gateway and a public route table only when the config lists
 * them, and the default security group emptied so nothing can fall back on
 * it); or an existing one, read from AWS, of which the stack creates
 * nothing. With `ipv6`, a created VPC gets an Amazon-provided IPv6 block and
 * each subnet a /64 of it.
 *
 * AWS-service endpoints and, when enabled, a Session Manager instance
 * profile for the instances in this VPC come with it; flow logs with a
 * created VPC.
 *
 * Provider and consumer networks are both this construct.
 */
/**
 * Security-group rules with duplicates merged: AWS refuses a group with two
 * rules of the same protocol, ports and peers (InvalidPermission.Duplicate,
 * whatever their descriptions), as when a listener port is 443 and the client
 * also needs 443 to the AWS service endpoints. The merged rule keeps both
 * descriptions.
 * https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
 */
export function distinctRules(rules: readonly SecurityGroupEgress[]): SecurityGroupEgress[] {
  const merged = new Map<string, SecurityGroupEgress>();
  for (const rule of rules) {
    const { description, ...peers } = rule;
    const key = JSON.stringify(Object.entries(peers).sort(([a], [b]) => a.localeCompare(b)));
    const seen = merged.get(key);
    merged.set(key, seen ? { ...seen, description: [seen.description, description].filter(Boolean).join("; ") } : rule);
  }
  return [...merged.values()];
}

export class PrivateNetwork extends Construct {
  /** The VPC's id. */
  readonly vpcId: string;
  /**
   * Every IPv4 block of the VPC: the configured one, or for an existing VPC
   * each block associated with it, read from AWS (subnets may sit in a
   * secondary block).
   */
  readonly vpcCidrs: string[];
  /** The VPC's IPv6 block; undefined unless dual stack. */
  readonly vpcIpv6Cidr?: string;
  /** The created VPC; undefined for an existing one. */
  readonly vpc?: Vpc;
  /** AZ ids of the private subnets, in their order (read from AWS for an existing VPC). */
  readonly azIds: readonly string[];
  readonly privateSubnets: readonly (Subnet | DataAwsSubnet)[];
  /** Empty for an existing VPC. */
  readonly publicSubnets: readonly Subnet[];
  /** Route tables of the private subnets, where gateway endpoints go. */
  readonly privateRouteTableIds: readonly string[];
  readonly serviceEndpoints: AwsServiceEndpoints;
  /** Instance profile instances here should use; undefined without Session Manager. */
  readonly instanceProfileName?: string;

  constructor(scope: Construct, id: string, props: PrivateNetworkProps) {
    super(scope, id);
    const { network, name } = props;
    const built = network.kind === "created" ? this.create(network, name) : this.read(network, props.privateDns === true);
    this.vpcId = built.vpcId;
    this.vpcCidrs = built.vpcCidrs;
    this.vpcIpv6Cidr = network.ipv6 ? built.vpcIpv6Cidr : undefined;
    this.vpc = built.vpc;
    this.azIds = built.azIds;
    this.privateSubnets = built.privateSubnets;
    this.publicSubnets = built.publicSubnets;
    this.privateRouteTableIds = built.privateRouteTableIds;

    this.serviceEndpoints = new AwsServiceEndpoints(this, "aws-endpoints", {
      network: this,
      region: props.region,
      accountId: props.accountId,
      endpoints: network.awsEndpoints,
      name,
    });
    if (network.kind === "created" && network.flowLogRetentionDays !== undefined) {
      new FlowLogs(this, "flow-logs", {
        vpcId: this.vpcId,
        accountId: props.accountId,
        region: props.region,
        retentionDays: network.flowLogRetentionDays,
        name,
      });
    }
    if (network.sessionManager) {
      this.instanceProfileName = new SessionManagerProfile(this, "session-manager", { name: `${name}-ssm`, partition: partitionOf(props.region) }).profile.name;
    }
  }

  /** Egress an instance here needs to use the AWS service endpoints. */
  get endpointEgress(): SecurityGroupEgress[] {
    return this.serviceEndpoints.clientEgress;
  }

  /** The whole VPC as the source (or destination) of a security-group rule, over IPv6 too when dual stack. */
  vpcSources(): VpcSources {
    return { cidrBlocks: this.vpcCidrs, ...(this.vpcIpv6Cidr ? { ipv6CidrBlocks: [this.vpcIpv6Cidr] } : {}) };
  }

  private create(network: CreatedNetworkConfig, name: string) {
    const vpc = new Vpc(this, "vpc", {
      cidrBlock: network.cidr,
      // Interface endpoints with private DNS need both.
      enableDnsSupport: true,
      enableDnsHostnames: true,
      assignGeneratedIpv6CidrBlock: network.ipv6 || undefined,
      tags: { Name: name },
    });
    const ipv6 = (index: number) =>
      network.ipv6 ? { ipv6CidrBlock: Fn.cidrsubnet(vpc.ipv6CidrBlock, IPV6_SUBNET_NEW_BITS, index), assignIpv6AddressOnCreation: true } : {};

    new DefaultSecurityGroup(this, "default-sg", { vpcId: vpc.id, ingress: [], egress: [], tags: { Name: `${name}-default-closed` } });

    const privateRouteTable = new RouteTable(this, "private-rt", { vpcId: vpc.id, tags: { Name: `${name}-private` } });
    // Subnet ids carry the AZ id, not the list index, so reordering azIds keeps resources.
    const privateSubnets = network.azIds.map((azId, i) => {
      const subnet = new Subnet(this, `private-${azId}`, {
        vpcId: vpc.id,
        cidrBlock: network.privateSubnetCidrs[i],
        ...ipv6(i),
        availabilityZoneId: azId,
        mapPublicIpOnLaunch: false,
        tags: { Name: `${name}-private-${azId}`, Tier: "private" },
      });
      new RouteTableAssociation(this, `private-${azId}-rta`, { subnetId: subnet.id, routeTableId: privateRouteTable.id });
      return subnet;
    });

    let publicSubnets: Subnet[] = [];
    if (network.publicSubnetCidrs.length > 0) {
      const igw = new InternetGateway(this, "igw", { vpcId: vpc.id, tags: { Name: name } });
      const publicRouteTable = new RouteTable(this, "public-rt", { vpcId: vpc.id, tags: { Name: `${name}-public` } });
      new Route(this, "public-default-route", { routeTableId: publicRouteTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
      if (network.ipv6) {
        new Route(this, "public-default-route-ipv6", { routeTableId: publicRouteTable.id, destinationIpv6CidrBlock: "::/0", gatewayId: igw.id });
      }
      publicSubnets = network.azIds.map((azId, i) => {
        const subnet = new Subnet(this, `public-${azId}`, {
          vpcId: vpc.id,
          cidrBlock: network.publicSubnetCidrs[i],
          ...ipv6(IPV6_PUBLIC_OFFSET + i),
          availabilityZoneId: azId,
          // Nothing here gets a public IP unless it asks for one.
          mapPublicIpOnLaunch: false,
          tags: { Name: `${name}-public-${azId}`, Tier: "public" },
        });
        new RouteTableAssociation(this, `public-${azId}-rta`, { subnetId: subnet.id, routeTableId: publicRouteTable.id });
        return subnet;
      });
    }
    return {
      vpc,
      vpcId: vpc.id,
      vpcCidrs: [network.cidr],
      vpcIpv6Cidr: vpc.ipv6CidrBlock,
      azIds: network.azIds,
      privateSubnets,
      publicSubnets,
      privateRouteTableIds: [privateRouteTable.id],
    };
  }

  /**
   * An existing VPC: its CIDR blocks, subnets' AZ ids and (for gateway
   * endpoints) route tables, read from AWS; each read checks, before
   * anything is planned on it, what the stacks rely on: DNS support and
   * hostnames where private DNS is used, IPv6 blocks on the VPC and subnets
   * when dual stack.
   */
  private read(network: ExistingNetworkConfig, servicePrivateDns: boolean) {
    const privateDns = servicePrivateDns || network.awsEndpoints.some((e) => e.type === "Interface" && e.privateDns);
    const vpcChecks: Postcondition[] = [
      ...(privateDns
        ? [
            {
              condition: "${self.enable_dns_support && self.enable_dns_hostnames}",
              errorMessage: `VPC ${network.vpcId} needs DNS support and DNS hostnames turned on: private DNS names of endpoints resolve only in such a VPC.`,
            },
          ]
        : []),
      ...(network.ipv6
        ? [{ condition: '${self.ipv6_cidr_block != ""}', errorMessage: `VPC ${network.vpcId} has no IPv6 block, and network.ipv6 asks for dual stack.` }]
        : []),
    ];
    const vpc = new DataAwsVpc(this, "vpc", { id: network.vpcId, lifecycle: vpcChecks.length > 0 ? { postcondition: vpcChecks } : undefined });
    const privateSubnets = network.subnetIds.map(
      (subnetId) =>
        new DataAwsSubnet(this, `subnet-${subnetId}`, {
          id: subnetId,
          vpcId: network.vpcId,
          lifecycle: network.ipv6
            ? {
                postcondition: [
                  {
                    condition: '${self.ipv6_cidr_block != ""}',
                    errorMessage: `Subnet ${subnetId} has no IPv6 block, and network.ipv6 asks for dual stack: associate one, or turn ipv6 off.`,
                  },
                ],
              }
            : undefined,
        }),
    );
    // Only gateway endpoints need them; each subnet must then have its own explicit route-table association.
    const gateways = network.awsEndpoints.some((e) => e.type === "Gateway");
    const routeTables = gateways
      ? network.subnetIds.map((subnetId) => new DataAwsRouteTable(this, `route-table-${subnetId}`, { subnetId, vpcId: network.vpcId }).id)
      : [];
    return {
      vpc: undefined,
      vpcId: network.vpcId,
      vpcCidrs: Token.asList(propertyAccess(vpc.cidrBlockAssociations, ["*", "cidr_block"])),
      vpcIpv6Cidr: vpc.ipv6CidrBlock,
      azIds: privateSubnets.map((subnet) => subnet.availabilityZoneId),
      privateSubnets,
      publicSubnets: [],
      privateRouteTableIds: gateways ? Fn.distinct(routeTables) : [],
    };
  }
}
