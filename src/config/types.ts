import type { AwsEndpointService } from "./aws-services";
import type { AccountInput, StateInput } from "./account-schema";
import type { BackendInput, WiringInput } from "./backend-schema";
import type { ServiceInput } from "./service-schema";
import type * as v from "valibot";
import type { AlarmsSchema } from "./schema-fields";

/**
 * The config after validation, with every default and derived value filled
 * in. Constructs and stacks only ever see these types, never the schema's
 * `…Input` types they are resolved from.
 */

/** Alarms of a stack: the topic they notify, or undefined for one the stack creates. */
export type AlarmsConfig = v.InferOutput<typeof AlarmsSchema>;

/** How values cross from one stack to the next. */
export type WiringMode = WiringInput["mode"];

/** The state settings of an account, with the bucket region resolved. */
export interface StateConfig extends StateInput {
  readonly region: string;
}

/** An account, with its state region resolved. */
export interface AccountConfig extends Omit<AccountInput, "state"> {
  /** Undefined with the cloud backend, where state lives in Terraform Cloud. */
  readonly state?: StateConfig;
}

/** An endpoint policy's one statement: what principals of the VPC's own account may do through it. */
export interface EndpointPolicyConfig {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

/** A VPC endpoint to an AWS service, with its defaults resolved. */
export interface AwsEndpointConfig {
  readonly service: AwsEndpointService;
  readonly type: "Interface" | "Gateway";
  /** Interface endpoints only. */
  readonly privateDns: boolean;
  readonly privateDnsOnlyForInboundResolverEndpoint?: boolean;
  /** Undefined for services that take no endpoint policy. */
  readonly policy?: EndpointPolicyConfig;
}

/** What every network has, whether the stack creates its VPC or uses an existing one. */
interface NetworkCommon {
  /** AWS-service endpoints, including the Session Manager ones when enabled. */
  readonly awsEndpoints: readonly AwsEndpointConfig[];
  /** Whether instances in this network get the Session Manager instance profile. */
  readonly sessionManager: boolean;
  /** Dual stack: IPv6 on the VPC and subnets, and the same rules over IPv6. */
  readonly ipv6: boolean;
}

/** A VPC the stack creates, with its subnets resolved: one private (and maybe one public) per AZ id. */
export interface CreatedNetworkConfig extends NetworkCommon {
  readonly kind: "created";
  readonly cidr: string;
  readonly azIds: readonly string[];
  readonly privateSubnetCidrs: readonly string[];
  /** Empty when the network has no public subnets. */
  readonly publicSubnetCidrs: readonly string[];
  /** Flow-log retention in days; undefined when flow logs are off. */
  readonly flowLogRetentionDays?: number;
}

/** An existing VPC: the stack reads its CIDR, subnets' AZs and route tables from AWS, and creates none of them. */
export interface ExistingNetworkConfig extends NetworkCommon {
  readonly kind: "existing";
  readonly vpcId: string;
  /** The private subnets the stack uses. */
  readonly subnetIds: readonly string[];
}

export type NetworkConfig = CreatedNetworkConfig | ExistingNetworkConfig;

/** One NLB listener, resolved. */
export interface ListenerConfig {
  readonly port: number;
  readonly protocol: "TCP" | "TLS";
  /** The port the instances listen on; the listener's own port unless configured. */
  readonly targetPort: number;
  /** TLS only. */
  readonly certificateArn?: string;
  /** TLS only; the default policy unless configured. */
  readonly sslPolicy?: string;
}

/** The service, with its listeners resolved from `port` or `listeners`. */
export interface ServiceConfig extends Omit<ServiceInput, "port" | "listeners" | "imageId" | "dualStack"> {
  /** A dual-stack NLB and endpoint service: `dualStack`, or else the network's `ipv6`. */
  readonly dualStack: boolean;
  /** What the launch template names: the pinned AMI id, or `resolve:ssm:` the latest Amazon Linux 2023 for the type's architecture. */
  readonly image: string;
  /** Whether the instance type supports EBS optimization (asked for only then). */
  readonly ebsOptimized: boolean;
  /** At least one. */
  readonly listeners: readonly ListenerConfig[];
}

/** Terraform Cloud, with the workspace names resolved. */
export interface CloudBackendConfig extends Omit<Extract<BackendInput, { type: "cloud" }>, "workspacePrefix" | "workspaces"> {
  /** Workspace names are this prefix plus the stack name. */
  readonly workspacePrefix: string;
  /** Workspace names by stack name, overriding the prefix. */
  readonly workspaces: Readonly<Record<string, string>>;
}

/** Where every stack keeps its state. */
export type BackendConfig = Extract<BackendInput, { type: "s3" }> | CloudBackendConfig;

interface WiringConfig {
  readonly mode: WiringMode;
  readonly stateReadRoleArn?: string;
  /** The identities Terraform runs as, which assume each bucket's read-only role; empty outside remote-state wiring. */
  readonly stateReaders: readonly string[];
}

/** TCP ports from `from` to `to`, both included. */
export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/** A resource the provider shares over PrivateLink, with its ports resolved to ranges. */
export interface SharedResourceConfig {
  readonly name: string;
  /** Exactly one of `dnsName` and `ipAddress`. */
  readonly dnsName?: string;
  readonly ipAddress?: string;
  readonly portRanges: readonly PortRange[];
}

interface ProviderConfig {
  readonly account: AccountConfig;
  readonly network: NetworkConfig;
  readonly service: ServiceConfig;
  /** Empty when nothing is shared. */
  readonly resources: readonly SharedResourceConfig[];
}

export interface ConsumerConfig {
  readonly name: string;
  readonly account: AccountConfig;
  readonly network: NetworkConfig;
  /** Undefined when not configured: then the VPC's own CIDR (read from AWS for an existing VPC), and its IPv6 block when dual stack. */
  readonly allowedClientCidrs?: readonly string[];
  /** IAM principals the endpoint service allows for this consumer; the account root unless configured. */
  readonly principals: readonly string[];
  /** The provider's region when it differs from this consumer's (cross-region PrivateLink); undefined in the same region. */
  readonly serviceRegion?: string;
  readonly clientInstanceType: string;
  /** The client's pinned AMI; undefined to follow the latest Amazon Linux 2023 (`clientImageParameter`). */
  readonly clientImageId?: string;
  /** SSM public parameter of the latest Amazon Linux 2023 for the client's instance type's architecture. */
  readonly clientImageParameter: string;
  /** Whether the client's instance type supports EBS optimization. */
  readonly clientEbsOptimized: boolean;
  readonly clientDetailedMonitoring: boolean;
  /** Place the endpoint from a lookup of the service in this account, not from the provider's AZ ids. */
  readonly azLookup: boolean;
  /** A dual-stack endpoint: `dualStack`, or else the network's `ipv6` when the service is dual stack. */
  readonly dualStack: boolean;
  /** CloudWatch alarms on the endpoint; undefined when not configured. */
  readonly alarms?: AlarmsConfig;
  /** Names of the provider resources this consumer reaches; empty for none. */
  readonly resources: readonly string[];
  /** Whether it accepts the RAM share of its resources: not in the provider's organization (`account.organizationId`). */
  readonly acceptsResourceShare: boolean;
}

export interface PrivateLinkConfig {
  readonly project: string;
  /** Version constraint on hashicorp/aws written into every stack. */
  readonly awsProviderVersion: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly wiring: WiringConfig;
  readonly backend: BackendConfig;
  readonly provider: ProviderConfig;
  readonly consumers: readonly ConsumerConfig[];
}
