import * as v from "valibot";
import { AWS_ENDPOINT_SERVICES } from "./aws-services";
import { cidrProblem } from "./cidr";
import { BINDINGS_AWS_PROVIDER_VERSION } from "./bindings";
import { AZ_ID_PATTERN, REGIONS } from "./regions";

/**
 * The config file's schema: field types, formats and defaults. Checks that
 * span fields (subnets inside their VPC, consumer AZs served by the provider…)
 * live in `rules.ts`, so that every problem is reported in one run.
 *
 * valibot rather than zod: same job, and it loads in ~10 ms instead of ~90 ms,
 * which is a sixth of a synth.
 */

/** A field's meaning, kept in the schema so the README reference is generated from it. */
const described = <T extends v.GenericSchema>(schema: T, text: string) => v.pipe(schema, v.description(text));

/**
 * A default that depends on other fields, so the rules fill it in
 * (`rules.ts`, `network-rules.ts`); the text says what it is, for the
 * reference. Constant defaults are `v.optional`'s own.
 */
const derivedDefault = <T extends v.GenericSchema>(schema: T, text: string) => v.pipe(schema, v.metadata({ derivedDefault: text }));

const CIDR_EXAMPLE = "expected an IPv4 CIDR block such as 10.0.0.0/16";

const cidr = v.pipe(
  v.string(CIDR_EXAMPLE),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const problem = cidrProblem(dataset.value);
    if (problem) addIssue({ message: `${problem}; ${CIDR_EXAMPLE}` });
  }),
);

const azId = v.pipe(
  v.string("expected an AZ id such as use1-az1"),
  v.regex(AZ_ID_PATTERN, "expected an AZ id such as use1-az1 (AZ ids, not AZ names like us-east-1a)"),
);

const region = v.picklist(REGIONS, `expected an AWS region: ${REGIONS.join(", ")}`);

const roleArn = v.pipe(
  v.string("expected an IAM role ARN"),
  v.regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "expected an IAM role ARN such as arn:aws:iam::111111111111:role/terraform"),
);

const bool = v.boolean("expected true or false");

/**
 * S3's general-purpose bucket naming rules:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
const BUCKET_RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const BUCKET_RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];
const bucketName = v.pipe(
  v.string("expected an S3 bucket name"),
  v.regex(
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    "expected an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit",
  ),
  v.check((name) => !name.includes(".."), "expected an S3 bucket name without two adjacent periods"),
  v.check((name) => !/^\d{1,3}(\.\d{1,3}){3}$/.test(name), "expected an S3 bucket name not formatted as an IP address"),
  v.check(
    (name) => !BUCKET_RESERVED_PREFIXES.some((p) => name.startsWith(p)),
    `expected an S3 bucket name not starting with a reserved prefix (${BUCKET_RESERVED_PREFIXES.join(", ")})`,
  ),
  v.check(
    (name) => !BUCKET_RESERVED_SUFFIXES.some((p) => name.endsWith(p)),
    `expected an S3 bucket name not ending with a reserved suffix (${BUCKET_RESERVED_SUFFIXES.join(", ")})`,
  ),
);

const StateSchema = v.strictObject({
  bucket: described(
    bucketName,
    "S3 bucket that holds this account's Terraform state. S3 naming rules apply: 3-63 characters, lowercase letters, digits, dots and hyphens, no `..`, not an IP address, none of the reserved prefixes (`xn--`, `sthree-`, `amzn-s3-demo-`) or suffixes (`-s3alias`, `--ol-s3`, `.mrap`, `--x-s3`, `--table-s3`).",
  ),
  region: v.optional(derivedDefault(described(region, "Region of the state bucket."), "the account's region")),
  keyPrefix: v.optional(
    described(
      v.pipe(v.string("expected a key prefix"), v.regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, "expected a key prefix such as privatelink or teams/net")),
      "Prefix of every state key in the bucket.",
    ),
    "privatelink",
  ),
  bootstrapBackend: v.optional(
    described(
      v.picklist(["local", "s3"], 'expected "local" or "s3"'),
      "Where the bootstrap stack keeps its own state: `local` until the bucket exists, then `s3`.",
    ),
    "local",
  ),
});

export const AccountSchema = v.strictObject({
  id: described(
    v.pipe(v.string('expected a 12-digit account id as a string, e.g. "111111111111"'), v.regex(/^\d{12}$/, "expected a 12-digit AWS account id")),
    "12-digit AWS account id. Every AwsProvider is locked to it.",
  ),
  region: described(region, "AWS region of this account's resources."),
  roleArn: v.optional(derivedDefault(described(roleArn, "Role to assume in this account."), "none: the caller's own credentials")),
  endpointUrl: v.optional(
    described(
      v.pipe(v.string("expected a URL"), v.regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?\/?$/, "expected an http(s) URL such as http://127.0.0.1:5000")),
      "Send every AWS API call of this account (provider, S3 state, remote state) to this URL instead of AWS: an emulator such as moto or LocalStack. Path-style S3, no credential checks.",
    ),
  ),
  endpointCaBundle: v.optional(
    described(
      v.pipe(v.string("expected a file path"), v.minLength(1, "expected a file path")),
      "With an https `endpointUrl`: PEM certificate file the emulator serves (`npm run emulator` writes it), which Terraform then trusts for this account. Relative to the project root. Emulator only: with it the app also gives the emulator's dummy credentials.",
    ),
  ),
  state: v.optional(described(StateSchema, "This account's S3 state bucket. Required with the s3 backend; unused with the cloud backend.")),
});

const EndpointPolicySchema = v.strictObject({
  actions: v.optional(
    derivedDefault(
      described(
        v.pipe(
          v.array(
            v.pipe(
              v.string("expected an IAM action"),
              v.check(
                (a) => a !== "*",
                'expected named actions: leave "actions" out to allow every action; a bare "*" is refused so a listed policy always names what it allows',
              ),
              v.regex(/^([a-z0-9-]+:[A-Za-z0-9*]+|\*)$/, "expected an IAM action such as s3:GetObject"),
            ),
            "expected a list of IAM actions",
          ),
          v.minLength(1, "expected at least one action"),
        ),
        'IAM actions allowed through the endpoint, e.g. `s3:GetObject` or `s3:Get*`. Leave it out for every action; a bare `"*"` is refused.',
      ),
      "every action of the service",
    ),
  ),
  resources: v.optional(
    derivedDefault(
      described(
        v.pipe(
          v.array(v.pipe(v.string("expected an ARN"), v.regex(/^(\*|arn:aws[a-z-]*:[a-z0-9-]+:.*)$/, "expected an ARN or *")), "expected a list of ARNs"),
          v.minLength(1, "expected at least one resource"),
        ),
        "Resource ARNs allowed through the endpoint.",
      ),
      "every resource, or the `buckets` and their objects",
    ),
  ),
  buckets: v.optional(
    described(
      v.pipe(v.array(bucketName, "expected a list of bucket names"), v.minLength(1, "expected at least one bucket")),
      "S3 only: the buckets (and their objects) reachable through the endpoint.",
    ),
  ),
});

const AwsEndpointSchema = v.strictObject({
  service: described(
    v.picklist(AWS_ENDPOINT_SERVICES, `expected one of ${AWS_ENDPOINT_SERVICES.join(", ")}`),
    "Short service name, as in com.amazonaws.<region>.<service>.",
  ),
  type: v.optional(
    described(
      v.picklist(["Interface", "Gateway"], 'expected "Interface" or "Gateway"'),
      "`Interface` (ENIs in the private subnets) or `Gateway` (routes; s3 and dynamodb only).",
    ),
    "Interface",
  ),
  privateDns: v.optional(
    derivedDefault(described(bool, "Interface only: resolve the service's public DNS name to the endpoint."), "true for Interface endpoints"),
  ),
  privateDnsOnlyForInboundResolverEndpoint: v.optional(
    described(bool, "s3 Interface only: private DNS for inbound resolver queries only. Must be false for private DNS without an s3 Gateway."),
  ),
  policy: v.optional(described(EndpointPolicySchema, "Endpoint policy. Every policy admits only principals of the VPC's own account.")),
});

export const NetworkSchema = v.strictObject({
  cidr: described(cidr, "VPC CIDR block, /16 to /28; not in 0.0.0.0/8, 127.0.0.0/8, 169.254.0.0/16, 224.0.0.0/4 or 240.0.0.0/4, which AWS refuses for a VPC."),
  azIds: described(
    v.pipe(v.array(azId, "expected a list of AZ ids"), v.minLength(2, "expected at least 2 AZ ids, one subnet per AZ")),
    "AZ ids (not names) of the subnets: at least two.",
  ),
  privateSubnetCidrs: v.optional(
    described(v.array(cidr, "expected a list of CIDR blocks"), "Private subnet CIDRs, one per AZ id in order. Derived from the VPC CIDR when left out."),
  ),
  publicSubnets: v.optional(described(bool, "Whether to add public subnets with an internet gateway."), false),
  publicSubnetCidrs: v.optional(
    described(v.array(cidr, "expected a list of CIDR blocks"), "Public subnet CIDRs, one per AZ id. Derived when left out; needs `publicSubnets: true`."),
  ),
  awsEndpoints: v.optional(
    described(
      v.array(AwsEndpointSchema, "expected a list of AWS service endpoints"),
      "VPC endpoints to AWS services, reached from the private subnets without internet.",
    ),
    [],
  ),
  flowLogs: v.optional(described(bool, "VPC flow logs (all traffic) into a KMS-encrypted CloudWatch log group."), true),
  flowLogRetentionDays: v.optional(
    described(
      v.picklist(
        [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653],
        "expected a CloudWatch retention in days: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653",
      ),
      "Days the flow-log group keeps logs.",
    ),
    365,
  ),
  sessionManager: v.optional(
    described(bool, "Session Manager access to this network's instances: the ssm, ssmmessages and ec2messages endpoints and an instance profile."),
    false,
  ),
});

const PORT = "expected a TCP port 1-65535";
const port = v.pipe(v.number("expected a TCP port number 1-65535"), v.integer("expected a whole port number"), v.minValue(1, PORT), v.maxValue(65535, PORT));

const instanceType = v.pipe(
  v.string("expected an EC2 instance type"),
  v.regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "expected an EC2 instance type such as t3.micro"),
);

const INSTANCES = "expected 1-20 instances";

const CONNECTION_EVENTS = ["Accept", "Connect", "Delete", "Reject"] as const;

const PrivateDnsSchema = v.strictObject({
  name: described(
    v.pipe(
      v.string("expected a DNS name"),
      v.regex(/^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "expected a lowercase DNS name such as api.internal.example.com"),
    ),
    "Friendly name consumers resolve to their endpoint, e.g. api.internal.example.com.",
  ),
  hostedZoneId: described(
    v.pipe(v.string("expected a Route 53 hosted zone id"), v.regex(/^Z[A-Z0-9]{1,32}$/, "expected a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ")),
    "Public Route 53 hosted zone (in the provider account) that holds the domain-verification TXT record.",
  ),
});

const NotificationsSchema = v.strictObject({
  events: v.optional(
    described(
      v.pipe(
        v.array(v.picklist(CONNECTION_EVENTS, `expected one of ${CONNECTION_EVENTS.join(", ")}`), "expected a list of events"),
        v.minLength(1, "expected at least one event"),
      ),
      "Connection events that publish to the topic.",
    ),
    [...CONNECTION_EVENTS],
  ),
});

export const ServiceSchema = v.strictObject({
  port: described(port, "TCP port the service listens on, behind the NLB and the endpoint."),
  instanceType: v.optional(described(instanceType, "EC2 instance type of the service instances."), "t3.micro"),
  instanceCount: v.optional(
    described(
      v.pipe(v.number(INSTANCES), v.integer(INSTANCES), v.minValue(1, INSTANCES), v.maxValue(20, INSTANCES)),
      "Number of service instances, spread over the AZs.",
    ),
    2,
  ),
  page: v.optional(
    described(
      v.pipe(v.string("expected the page text"), v.minLength(1, "expected a non-empty page")),
      "Text of the page the default user data serves over HTTP. The resulting user data must fit EC2's 16 KB.",
    ),
  ),
  userData: v.optional(
    described(
      v.pipe(v.string("expected a user data script"), v.minLength(1, "expected non-empty user data")),
      "Complete user data to run instead of the default HTTP server, at most 16 KB (EC2's limit). Excludes `page`.",
    ),
  ),
  acceptanceRequired: v.optional(described(bool, "Whether the provider must accept each consumer connection."), true),
  detailedMonitoring: v.optional(described(bool, "CloudWatch detailed (1-minute) monitoring of the service instances."), true),
  deletionProtection: v.optional(described(bool, "Deletion protection on the NLB. Turn it off to let `cdktf destroy` remove the service."), true),
  privateDns: v.optional(described(PrivateDnsSchema, "A private DNS name for the service, verified through a TXT record in Route 53.")),
  notifications: v.optional(described(NotificationsSchema, "An encrypted SNS topic told of consumer connections.")),
});

export const ClientCidrsSchema = v.pipe(v.array(cidr, "expected a list of CIDR blocks"), v.minLength(1, "expected at least one CIDR"));

export const ConsumerSchema = v.strictObject({
  name: described(
    v.pipe(
      v.string("expected a consumer name"),
      v.regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, "expected 2-32 lowercase letters, digits or hyphens, starting with a letter"),
    ),
    "Unique name, used in stack names and state keys.",
  ),
  account: described(AccountSchema, "The consumer's AWS account."),
  network: described(NetworkSchema, "The consumer VPC. Its AZ ids must be ones the provider serves."),
  allowedClientCidrs: v.optional(
    derivedDefault(
      described(
        ClientCidrsSchema,
        "CIDRs allowed to reach the endpoint on the service port. Each range once (none inside another), never /0 nor ranges that together cover every address.",
      ),
      "the consumer VPC CIDR",
    ),
  ),
  clientInstanceType: v.optional(described(instanceType, "EC2 instance type of the client instance used to test the endpoint."), "t3.micro"),
  clientDetailedMonitoring: v.optional(described(bool, "CloudWatch detailed (1-minute) monitoring of the client instance."), true),
  azLookup: v.optional(
    described(bool, "Place the endpoint by looking the service up from this account (data aws_vpc_endpoint_service) instead of by the provider's AZ ids."),
    false,
  ),
});

const workspaceName = v.pipe(
  v.string("expected a workspace name"),
  v.regex(/^[A-Za-z0-9_-]{1,90}$/, "expected a Terraform Cloud workspace name: letters, digits, - and _"),
);

export const BackendSchema = v.variant(
  "type",
  [
    v.strictObject({
      type: described(v.literal("s3", 'expected "s3" or "cloud"'), "`s3`: each stack keeps its state in its account's S3 bucket."),
    }),
    v.strictObject({
      type: described(v.literal("cloud", 'expected "s3" or "cloud"'), "`cloud`: each stack is a Terraform Cloud workspace."),
      organization: described(
        v.pipe(v.string("expected an organization name"), v.regex(/^[A-Za-z0-9_-]{1,60}$/, "expected a Terraform Cloud organization name")),
        "Terraform Cloud organization.",
      ),
      hostname: v.optional(
        described(
          v.pipe(v.string("expected a hostname"), v.regex(/^[a-z0-9.-]+$/, "expected a hostname such as app.terraform.io")),
          "Terraform Cloud or Enterprise host.",
        ),
        "app.terraform.io",
      ),
      workspacePrefix: v.optional(
        derivedDefault(
          described(
            v.pipe(v.string("expected a prefix"), v.regex(/^[A-Za-z0-9_-]{0,60}$/, "expected letters, digits, - and _")),
            "Workspace names are this prefix plus the stack name.",
          ),
          "`<project>-`",
        ),
      ),
      workspaces: v.optional(
        described(
          v.record(v.string(), workspaceName, "expected an object of stack name to workspace name"),
          "Workspace names by stack name, overriding the prefix.",
        ),
      ),
      project: v.optional(
        described(v.pipe(v.string("expected a project name"), v.minLength(1, "expected a project name")), "Terraform Cloud project of the workspaces."),
      ),
    }),
  ],
  'expected a backend with "type": "s3" or "cloud"',
);

const WiringSchema = v.strictObject({
  mode: v.optional(
    described(
      v.picklist(["variables", "remote-state"], 'expected "variables" or "remote-state"'),
      "`variables`: outputs are copied to the next stack's variables (`npm run wire`). `remote-state`: the next stack reads the producer's S3 state.",
    ),
    "variables",
  ),
  stateReadRoleArn: v.optional(
    described(
      roleArn,
      "In `remote-state` mode, a role that may read the producers' state files instead of the read-only role each bootstrap stack then creates (`<project>-state-reader-<owner>`). Never a deployer role.",
    ),
  ),
});

/** AWS tag limits (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html), less the stacks' own tags. */
const TAG_KEY_MAX = 128;
const TAG_VALUE_MAX = 256;
const MAX_USER_TAGS = 45;

const versionConstraint = v.pipe(
  v.string("expected a version constraint"),
  v.regex(
    /^\s*(=|!=|>=|<=|>|<|~>)?\s*\d+(\.\d+){0,2}(-[0-9A-Za-z.]+)?\s*(,\s*(=|!=|>=|<=|>|<|~>)?\s*\d+(\.\d+){0,2}(-[0-9A-Za-z.]+)?\s*)*$/,
    'expected a Terraform version constraint such as "6.25.0", "~> 6.25" or ">= 6.0, < 7.0"',
  ),
);

export const ConfigSchema = v.strictObject({
  $schema: v.optional(
    described(
      v.string("expected a path or URL"),
      "JSON Schema of this file for editors (`config/schema.json`, written by `npm run docs`). Ignored by the app.",
    ),
  ),
  project: described(
    v.pipe(
      v.string("expected a project name"),
      v.regex(/^[a-z][a-z0-9-]{1,30}$/, "expected 2-31 lowercase letters, digits or hyphens, starting with a letter"),
    ),
    "Short project name, used in resource names and tags.",
  ),
  tags: v.optional(
    described(
      v.pipe(
        v.record(
          v.pipe(
            v.string(),
            v.maxLength(TAG_KEY_MAX, `expected a tag key of at most ${TAG_KEY_MAX} characters`),
            v.check((k) => !k.toLowerCase().startsWith("aws:"), "expected a tag key without the aws: prefix, which AWS reserves"),
          ),
          v.pipe(v.string("expected a string tag value"), v.maxLength(TAG_VALUE_MAX, `expected a tag value of at most ${TAG_VALUE_MAX} characters`)),
          "expected an object of string tags",
        ),
        v.check(
          (tags) => Object.keys(tags).length <= MAX_USER_TAGS,
          `expected at most ${MAX_USER_TAGS} tags: AWS allows 50 per resource, and the stacks add up to ${50 - MAX_USER_TAGS} of their own (Project, Stack, Consumer, Name, Tier)`,
        ),
      ),
      `Tags added to every resource through the providers' default_tags: at most ${MAX_USER_TAGS}, keys up to ${TAG_KEY_MAX} characters without the \`aws:\` prefix, values up to ${TAG_VALUE_MAX}.`,
    ),
    {},
  ),
  awsProviderVersion: v.optional(
    described(
      versionConstraint,
      "Version constraint on hashicorp/aws that every stack requires. The default is the version the bindings were generated from; set another when your provider mirror serves another version (config/emulator.json names the 5.100.0 binary these machines carry).",
    ),
    BINDINGS_AWS_PROVIDER_VERSION,
  ),
  backend: v.optional(described(BackendSchema, "Where every stack keeps its state: S3 in each account (default) or Terraform Cloud workspaces."), {
    type: "s3",
  }),
  wiring: v.optional(described(WiringSchema, "How values cross from one stack to the next."), {}),
  provider: described(
    v.strictObject({
      account: described(AccountSchema, "The provider's AWS account."),
      network: described(NetworkSchema, "The provider VPC: the service instances and NLB go in its private subnets."),
      service: described(ServiceSchema, "The service offered over PrivateLink."),
    }),
    "The account that owns the service.",
  ),
  consumers: described(
    v.pipe(v.array(ConsumerSchema, "expected a list of consumers"), v.minLength(1, "expected at least one consumer")),
    "The accounts that reach the service through an interface endpoint.",
  ),
});

/**
 * What the schema gives: the config file's shapes with the schema's
 * defaults filled in. The rules turn these into the resolved `…Config`
 * types of `types.ts`, which are all that constructs and stacks see.
 */
export type BackendInput = v.InferOutput<typeof BackendSchema>;
export type WiringInput = v.InferOutput<typeof WiringSchema>;
export type StateInput = v.InferOutput<typeof StateSchema>;
export type AccountInput = v.InferOutput<typeof AccountSchema>;
export type AwsEndpointInput = v.InferOutput<typeof AwsEndpointSchema>;
export type EndpointPolicyInput = v.InferOutput<typeof EndpointPolicySchema>;
export type NetworkInput = v.InferOutput<typeof NetworkSchema>;
export type ServiceInput = v.InferOutput<typeof ServiceSchema>;
