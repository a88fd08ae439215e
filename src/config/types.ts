import type { AwsEndpointService } from "./aws-services";
import type { AccountInput, StateInput } from "./account-schema";
import type { BackendInput, WiringInput } from "./schema";
import type { ServiceInput } from "./service-schema";

/**
 * The config after validation, with every default and derived value filled
 * in. Constructs and stacks only ever see these types, never the schema's
 * `…Input` types they are resolved from.
 */

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

/** The service: the schema leaves nothing to resolve. */
export type ServiceConfig = Readonly<ServiceInput>;

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
}

interface ProviderConfig {
  readonly account: AccountConfig;
  readonly network: NetworkConfig;
  readonly service: ServiceConfig;
}

export interface ConsumerConfig {
  readonly name: string;
  readonly account: AccountConfig;
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
  readonly wiring: WiringConfig;
  readonly backend: BackendConfig;
  readonly provider: ProviderConfig;
  readonly consumers: readonly ConsumerConfig[];
}
