import type { AccountConfig, BackendConfig, EndpointPolicy, ServiceConfig, StateConfig } from "./schema";

/**
 * The config after validation, with every default and derived value filled
 * in. Constructs and stacks only ever see these types.
 */

export type WiringMode = "variables" | "remote-state";

/** The state settings of an account, with the bucket region resolved. */
export interface ResolvedState extends StateConfig {
  readonly region: string;
}

/** An account, with its state region resolved. */
export interface ResolvedAccount extends Omit<AccountConfig, "state"> {
  /** Undefined with the cloud backend, where state lives in Terraform Cloud. */
  readonly state?: ResolvedState;
}

/** A VPC endpoint to an AWS service, with its defaults resolved. */
export interface AwsEndpointConfig {
  readonly service: string;
  readonly type: "Interface" | "Gateway";
  /** Interface endpoints only. */
  readonly privateDns: boolean;
  readonly privateDnsOnlyForInboundResolverEndpoint?: boolean;
  /** Undefined for services that take no endpoint policy. */
  readonly policy?: EndpointPolicy;
}

/** A VPC with its subnets resolved, one private (and maybe one public) per AZ id. */
export interface NetworkConfig {
  readonly cidr: string;
  readonly azIds: readonly string[];
  readonly privateSubnetCidrs: readonly string[];
  /** Empty when the network has no public subnets. */
  readonly publicSubnetCidrs: readonly string[];
  /** AWS-service endpoints, including the Session Manager ones when enabled. */
  readonly awsEndpoints: readonly AwsEndpointConfig[];
  /** Whether instances in this network get the Session Manager instance profile. */
  readonly sessionManager: boolean;
  /** Flow-log retention in days; undefined when flow logs are off. */
  readonly flowLogRetentionDays?: number;
}

export interface ProviderConfig {
  readonly account: ResolvedAccount;
  readonly network: NetworkConfig;
  readonly service: ServiceConfig;
}

export interface ConsumerConfig {
  readonly name: string;
  readonly account: ResolvedAccount;
  readonly network: NetworkConfig;
  readonly allowedClientCidrs: readonly string[];
  readonly clientInstanceType: string;
  readonly clientDetailedMonitoring: boolean;
  /** Place the endpoint from a lookup of the service in this account, not from the provider's AZ ids. */
  readonly azLookup: boolean;
}

export interface PrivateLinkConfig {
  readonly project: string;
  /** Version constraint on hashicorp/aws written into every stack. */
  readonly awsProviderVersion: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly wiring: { readonly mode: WiringMode; readonly stateReadRoleArn?: string };
  readonly backend: BackendConfig;
  readonly provider: ProviderConfig;
  readonly consumers: readonly ConsumerConfig[];
}
