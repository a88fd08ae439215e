import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import type { SecurityGroupEgress } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";
import { partitionOf } from "../config/regions";
import type { NetworkConfig } from "../config/types";
import { AwsServiceEndpoints } from "./aws-service-endpoints";
import { FlowLogs } from "./flow-logs";
import { SessionManagerProfile } from "./session-manager-profile";

export interface PrivateNetworkProps {
  /** VPC CIDR, AZ ids and subnet CIDRs, already validated and resolved. */
  readonly network: NetworkConfig;
  /** Prefix of the Name tags. */
  readonly name: string;
  /** Region of the VPC, for AWS service endpoint names. */
  readonly region: string;
  /** Account of the VPC: endpoint policies admit only its principals. */
  readonly accountId: string;
}

/**
 * A VPC with one private subnet per AZ id, sharing one route table with only
 * the local route. Public subnets, an internet gateway and a public route
 * table are added only when the config lists them. The default security
 * group is emptied so nothing can fall back on it.
 *
 * AWS-service endpoints and, when enabled, a Session Manager instance
 * profile for the instances in this VPC come with it.
 *
 * Provider and consumer networks are both this construct.
 */
export class PrivateNetwork extends Construct {
  readonly vpc: Vpc;
  /** AZ ids of the subnets, in the order of `privateSubnets` and `publicSubnets`. */
  readonly azIds: readonly string[];
  readonly privateSubnets: Subnet[];
  readonly publicSubnets: Subnet[];
  readonly privateRouteTable: RouteTable;
  readonly serviceEndpoints: AwsServiceEndpoints;
  /** Instance profile instances here should use; undefined without Session Manager. */
  readonly instanceProfileName?: string;

  constructor(scope: Construct, id: string, props: PrivateNetworkProps) {
    super(scope, id);
    const { network, name } = props;
    this.azIds = network.azIds;

    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: network.cidr,
      // Interface endpoints with private DNS need both.
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: name },
    });

    new DefaultSecurityGroup(this, "default-sg", { vpcId: this.vpc.id, ingress: [], egress: [], tags: { Name: `${name}-default-closed` } });

    this.privateRouteTable = new RouteTable(this, "private-rt", { vpcId: this.vpc.id, tags: { Name: `${name}-private` } });
    // Subnet ids carry the AZ id, not the list index, so reordering azIds keeps resources.
    this.privateSubnets = network.azIds.map((azId, i) => {
      const subnet = new Subnet(this, `private-${azId}`, {
        vpcId: this.vpc.id,
        cidrBlock: network.privateSubnetCidrs[i],
        availabilityZoneId: azId,
        mapPublicIpOnLaunch: false,
        tags: { Name: `${name}-private-${azId}`, Tier: "private" },
      });
      new RouteTableAssociation(this, `private-${azId}-rta`, { subnetId: subnet.id, routeTableId: this.privateRouteTable.id });
      return subnet;
    });

    this.publicSubnets = [];
    if (network.publicSubnetCidrs.length > 0) {
      const igw = new InternetGateway(this, "igw", { vpcId: this.vpc.id, tags: { Name: name } });
      const publicRouteTable = new RouteTable(this, "public-rt", { vpcId: this.vpc.id, tags: { Name: `${name}-public` } });
      new Route(this, "public-default-route", { routeTableId: publicRouteTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
      this.publicSubnets = network.azIds.map((azId, i) => {
        const subnet = new Subnet(this, `public-${azId}`, {
          vpcId: this.vpc.id,
          cidrBlock: network.publicSubnetCidrs[i],
          availabilityZoneId: azId,
          // Nothing here gets a public IP unless it asks for one.
          mapPublicIpOnLaunch: false,
          tags: { Name: `${name}-public-${azId}`, Tier: "public" },
        });
        new RouteTableAssociation(this, `public-${azId}-rta`, { subnetId: subnet.id, routeTableId: publicRouteTable.id });
        return subnet;
      });
    }

    this.serviceEndpoints = new AwsServiceEndpoints(this, "aws-endpoints", {
      network: this,
      vpcCidr: network.cidr,
      region: props.region,
      accountId: props.accountId,
      endpoints: network.awsEndpoints,
      name,
    });
    if (network.flowLogRetentionDays !== undefined) {
      new FlowLogs(this, "flow-logs", {
        vpcId: this.vpc.id,
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
}
