import { z } from "zod";
import { cidrProblem } from "./cidr";
import { AZ_ID_PATTERN, REGIONS } from "./regions";

/**
 * The config file's schema: field types, formats and defaults. Checks that
 * span fields (subnets inside their VPC, consumer AZs served by the provider…)
 * live in `rules.ts`, so that every problem is reported in one run.
 */

const cidr = z.string({ error: "expected an IPv4 CIDR block such as 10.0.0.0/16" }).superRefine((value, ctx) => {
  const problem = cidrProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: `${problem}; expected an IPv4 CIDR block such as 10.0.0.0/16`, input: value });
});

const azId = z.string().regex(AZ_ID_PATTERN, "expected an AZ id such as use1-az1 (AZ ids, not AZ names like us-east-1a)");

const region = z.enum(REGIONS, { error: `expected an AWS region: ${REGIONS.join(", ")}` });

export const StateSchema = z.strictObject({
  /** S3 bucket that holds this account's Terraform state. */
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "expected an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens"),
  /** Region of the state bucket. Defaults to the account's region. */
  region: region.optional(),
  /** Prefix of every state key in the bucket. */
  keyPrefix: z.string().regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, "expected a key prefix such as privatelink or teams/net").default("privatelink"),
  /** Where the bootstrap stack keeps its own state: `local` until the bucket exists, then `s3`. */
  bootstrapBackend: z.enum(["local", "s3"], { error: 'expected "local" or "s3"' }).default("local"),
});

export const AccountSchema = z.strictObject({
  /** 12-digit AWS account id. Every AwsProvider is locked to it. */
  id: z.string({ error: 'expected a 12-digit account id as a string, e.g. "111111111111"' }).regex(/^\d{12}$/, "expected a 12-digit AWS account id"),
  /** AWS region of this account's resources. */
  region,
  /** Role to assume in this account. Defaults to the caller's own credentials. */
  roleArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "expected an IAM role ARN such as arn:aws:iam::111111111111:role/terraform")
    .optional(),
  /** This account's S3 state backend. */
  state: StateSchema,
});

export const NetworkSchema = z.strictObject({
  /** VPC CIDR block, /16 to /28. */
  cidr,
  /** AZ ids (not names) of the subnets: at least two. */
  azIds: z.array(azId).min(2, "expected at least 2 AZ ids, one subnet per AZ"),
  /** Private subnet CIDRs, one per AZ id in order. Derived from the VPC CIDR when left out. */
  privateSubnetCidrs: z.array(cidr).optional(),
  /** Whether to add public subnets with an internet gateway. */
  publicSubnets: z.boolean().default(false),
  /** Public subnet CIDRs, one per AZ id. Derived when left out; needs `publicSubnets: true`. */
  publicSubnetCidrs: z.array(cidr).optional(),
});

const port = z.number({ error: "expected a TCP port number 1-65535" }).int("expected a whole port number").min(1, "expected a TCP port 1-65535").max(65535, "expected a TCP port 1-65535");

const instanceType = z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "expected an EC2 instance type such as t3.micro");

export const ServiceSchema = z.strictObject({
  /** TCP port the service listens on, behind the NLB and the endpoint. */
  port,
  /** EC2 instance type of the service instances. */
  instanceType: instanceType.default("t3.micro"),
  /** Number of service instances, spread over the AZs. */
  instanceCount: z.number().int().min(1, "expected 1-20 instances").max(20, "expected 1-20 instances").default(2),
  /** Text of the page the default user data serves over HTTP. */
  page: z.string().min(1, "expected a non-empty page").optional(),
  /** Complete user data to run instead of the default HTTP server. Excludes `page`. */
  userData: z.string().min(1, "expected non-empty user data").optional(),
  /** Whether the provider must accept each consumer connection. */
  acceptanceRequired: z.boolean().default(true),
});

export const ClientCidrsSchema = z.array(cidr).min(1, "expected at least one CIDR");

export const ConsumerSchema = z.strictObject({
  /** Unique name, used in stack names and state keys. */
  name: z.string().regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, "expected 2-32 lowercase letters, digits or hyphens, starting with a letter"),
  /** The consumer's AWS account. */
  account: AccountSchema,
  /** The consumer VPC. Its AZ ids must be ones the provider serves. */
  network: NetworkSchema,
  /** CIDRs allowed to reach the endpoint on the service port. Defaults to the consumer VPC CIDR. */
  allowedClientCidrs: ClientCidrsSchema.optional(),
  /** EC2 instance type of the client instance used to test the endpoint. */
  clientInstanceType: instanceType.default("t3.micro"),
});

export const WiringSchema = z.strictObject({
  /** `variables`: outputs are copied to the next stack's variables (`npm run wire`). `remote-state`: the next stack reads the producer's S3 state. */
  mode: z.enum(["variables", "remote-state"], { error: 'expected "variables" or "remote-state"' }).default("variables"),
  /** In `remote-state` mode, a role that may read the producer's state bucket. Defaults to the reading stack's own credentials. */
  stateReadRoleArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "expected an IAM role ARN")
    .optional(),
});

export const ConfigSchema = z.strictObject({
  /** Short project name, used in resource names and tags. */
  project: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/, "expected 2-31 lowercase letters, digits or hyphens, starting with a letter"),
  /** Tags added to every resource through the providers' default_tags. */
  tags: z.record(z.string(), z.string()).default({}),
  /** How values cross from one stack to the next. */
  wiring: WiringSchema.prefault({}),
  /** The account that owns the service. */
  provider: z.strictObject({
    account: AccountSchema,
    network: NetworkSchema,
    service: ServiceSchema,
  }),
  /** The accounts that reach the service through an interface endpoint. */
  consumers: z.array(ConsumerSchema).min(1, "expected at least one consumer"),
});

export type StateConfig = z.infer<typeof StateSchema>;
export type AccountConfig = z.infer<typeof AccountSchema>;
export type NetworkInput = z.infer<typeof NetworkSchema>;
export type ServiceConfig = z.infer<typeof ServiceSchema>;
export type ConsumerInput = z.infer<typeof ConsumerSchema>;
export type ConfigInput = z.infer<typeof ConfigSchema>;
