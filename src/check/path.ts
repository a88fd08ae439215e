/**
 * What `npm run check` reads through the AWS API about one consumer's path
 * to the service: its client instance, its interface endpoint, and the
 * provider's endpoint service, load balancer, listeners and target groups.
 * Plain data, so that the diagnosis is a pure function of it.
 */

/** One rule of a security group, in one direction. */
export interface SecurityGroupRule {
  /** `tcp`, `udp`, `icmp`… or `-1` for every protocol. */
  readonly protocol: string;
  /** First and last port; absent for every port. */
  readonly fromPort?: number;
  readonly toPort?: number;
  /** IPv4 and IPv6 CIDRs the rule admits. */
  readonly cidrs: readonly string[];
  /** Security groups whose network interfaces the rule admits. */
  readonly groups: readonly string[];
}

export interface SecurityGroup {
  readonly id: string;
  readonly ingress: readonly SecurityGroupRule[];
  readonly egress: readonly SecurityGroupRule[];
}

export interface ClientInstance {
  readonly id: string;
  /** EC2 state name: `running`, `stopped`… */
  readonly state: string;
  readonly ipv4?: string;
  readonly ipv6?: string;
  /** AZ name of its subnet, in the consumer account's naming. */
  readonly zone?: string;
  readonly securityGroups: readonly SecurityGroup[];
}

/** An endpoint network interface: one per subnet. */
export interface EndpointInterface {
  readonly id: string;
  readonly zone: string;
  readonly ipv4?: string;
  readonly ipv6?: string;
}

export interface Endpoint {
  readonly id: string;
  /** `available`, `pendingAcceptance`, `rejected`… */
  readonly state: string;
  readonly serviceName: string;
  /** `ipv4`, `dualstack` or `ipv6`. */
  readonly ipAddressType: string;
  /** `ipv4`, `dualstack`, `ipv6` or `service-defined`: which records its names have. */
  readonly dnsRecordIpType: string;
  /** Regional name first, then one per AZ. */
  readonly dnsNames: readonly string[];
  readonly privateDnsEnabled: boolean;
  readonly securityGroups: readonly SecurityGroup[];
  readonly interfaces: readonly EndpointInterface[];
  /** A Resource endpoint's resource configuration. */
  readonly resourceConfigurationArn?: string;
}

interface Target {
  readonly id: string;
  readonly port: number;
  /** DescribeTargetHealth's state, reason and description. */
  readonly state: string;
  readonly reason?: string;
  readonly description?: string;
  /** The target instance's security groups (empty when it could not be read). */
  readonly securityGroups: readonly SecurityGroup[];
}

export interface TargetGroup {
  readonly arn: string;
  readonly name: string;
  readonly port: number;
  /** `traffic-port` or a port number. */
  readonly healthCheckPort: string;
  readonly targets: readonly Target[];
}

export interface Listener {
  readonly port: number;
  readonly targetGroups: readonly TargetGroup[];
}

export interface LoadBalancer {
  readonly arn: string;
  readonly name: string;
  readonly ipAddressType: string;
  readonly securityGroups: readonly SecurityGroup[];
  /** EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: `on`, `off`, or absent without security groups. */
  readonly enforceOnPrivateLink?: string;
  /** Private IPv4 address ranges of its subnets: the health checks' source without a security group. */
  readonly subnetCidrs: readonly string[];
  readonly listeners: readonly Listener[];
}

export interface EndpointService {
  readonly id: string;
  readonly supportedIpAddressTypes: readonly string[];
  readonly privateDnsName?: string;
  readonly loadBalancers: readonly LoadBalancer[];
}

/** Everything read about one consumer's path. */
export interface ConsumerPath {
  readonly client: ClientInstance;
  readonly endpoint: Endpoint;
  /** Absent when the provider account has no service of the endpoint's name. */
  readonly service?: EndpointService;
}

/** A shared resource's VPC Lattice resource configuration, as its owner (the provider account) reads it. */
export interface ResourceConfiguration {
  readonly id: string;
  readonly arn: string;
  /** `ACTIVE`, `CREATE_IN_PROGRESS`… */
  readonly status: string;
  /** Ports and ranges it takes: `5432`, `7000-7001`. */
  readonly portRanges: readonly string[];
  /** The resource's IPv4 address; absent for a resource known by domain name. */
  readonly ipAddress?: string;
  readonly domainName?: string;
  readonly gatewayId: string;
}

/** The resource gateway a configuration sends its traffic through, in the provider VPC. */
export interface ResourceGateway {
  readonly id: string;
  /** `ACTIVE`, `UPDATE_IN_PROGRESS`… */
  readonly status: string;
  /** Its egress rules govern what it reaches. */
  readonly securityGroups: readonly SecurityGroup[];
}

/** Everything read about one consumer's path to one shared resource. */
export interface ResourcePath {
  /** The resource's name in the config. */
  readonly name: string;
  readonly endpoint: Endpoint;
  /** Absent when the provider account has no such configuration. */
  readonly configuration?: ResourceConfiguration;
  /** Absent when the configuration's gateway is gone. */
  readonly gateway?: ResourceGateway;
}

/** `ipv4` or `ipv6`. */
export type IpFamily = "ipv4" | "ipv6";

/** One connection the check makes from a client: a name the endpoint answers, a listener port, an IP family. */
export interface ProbeTarget {
  readonly name: string;
  /** `regional`, `zonal` or `private DNS`. */
  readonly kind: string;
  readonly port: number;
  readonly family: IpFamily;
}

/** The first component along a path that stops a connection, with its id and what it does. */
export interface Blocker {
  readonly component: string;
  readonly id: string;
  readonly reason: string;
}
