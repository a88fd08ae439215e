import * as v from "valibot";
import { AccountSchema } from "./account-schema";
import { BINDINGS_AWS_PROVIDER_VERSION } from "./bindings";
import { NetworkSchema } from "./network-schema";
import { AlarmsSchema, bool, cidr, derivedDefault, described, iamArnMessage, imageId, instanceType } from "./schema-fields";
import { ResourceSchema, resourceName } from "./resource-schema";
import { ServiceSchema } from "./service-schema";
import { BackendSchema, WiringSchema } from "./backend-schema";

/**
 * The config file's schema: field types, formats and defaults. The sections
 * are in `account-schema.ts`, `network-schema.ts`, `service-schema.ts` and
 * `backend-schema.ts`, their shared formats in `schema-fields.ts`. Checks that span fields
 * (subnets inside their VPC, consumer AZs served by the provider…) live in
 * the `*-rules.ts` files, so that every problem is reported in one run.
 *
 * valibot rather than zod: same job, and it loads in ~10 ms instead of ~90 ms,
 * which is a sixth of a synth.
 */

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
        "CIDRs allowed to reach the endpoint on the service port. Each range once " +
          "(none inside another), never /0 nor ranges that together cover every address.",
      ),
      "the consumer VPC CIDR",
    ),
  ),
  principals: v.optional(
    derivedDefault(
      described(
        v.pipe(
          v.array(
            v.pipe(
              v.string("expected an IAM ARN"),
              v.regex(
                /^arn:aws[a-z-]*:iam::\d{12}:(root|role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64})$/,
                iamArnMessage("expected the account root or a role, such as arn:aws:iam::222222222222:role/app"),
              ),
            ),
            "expected a list of IAM ARNs",
          ),
          v.minLength(1, "expected at least one principal"),
        ),
        "IAM principals of this consumer's own account the endpoint service allows: roles (without a path), or the account root. " +
          "Only allowed principals may create the endpoint, so the consumer's deployer (`account.roleArn`) is allowed too unless the root is " +
          "listed; without a `roleArn`, list the root.",
      ),
      "the account root",
    ),
  ),
  clientInstanceType: v.optional(
    described(instanceType, "EC2 instance type of the client instance used to test the endpoint. Graviton types get the arm64 image."),
    "t3.micro",
  ),
  clientImageId: v.optional(
    derivedDefault(
      described(imageId, "AMI of the client instance, pinned: a new id replaces the client. It must suit the instance type's architecture."),
      "the latest Amazon Linux 2023 for the instance type's architecture when the client is created; later releases are not applied to it " +
        "(they would replace it), so they change no plan",
    ),
  ),
  clientDetailedMonitoring: v.optional(described(bool, "CloudWatch detailed (1-minute) monitoring of the client instance."), true),
  dualStack: v.optional(
    derivedDefault(
      described(
        bool,
        "A dual-stack endpoint (IPv4 and IPv6 addresses). Needs `network.ipv6` and a dual-stack service (`provider.service.dualStack`). " +
          "Set it to false and keep `network.ipv6` to stop using IPv6.",
      ),
      "network.ipv6 when the service is dual stack",
    ),
  ),
  azLookup: v.optional(
    described(bool, "Place the endpoint by looking the service up from this account (data aws_vpc_endpoint_service) instead of by the provider's AZ ids."),
    false,
  ),
  resources: v.optional(
    described(
      v.array(resourceName, "expected a list of resource names"),
      "Names of `provider.resources` this consumer reaches, each through a `Resource` VPC endpoint that admits the resource's ports from " +
        "`allowedClientCidrs`. In the provider's region only.",
    ),
    [],
  ),
  alarms: v.optional(
    described(
      AlarmsSchema,
      "A CloudWatch alarm on the endpoint: packets it dropped. Not for a consumer in another region than the provider: AWS publishes no " +
        "endpoint metrics for cross-region access.",
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
      // Security group names start with it, and EC2 refuses a group name starting with sg- (CreateSecurityGroup, GroupName).
      v.regex(/^(?!sg-)[a-z][a-z0-9-]{1,30}$/, "expected 2-31 lowercase letters, digits or hyphens, starting with a letter and not with sg-"),
    ),
    "Short project name, used in resource names and tags. Not starting with `sg-`: security group names start with it.",
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
          `expected at most ${MAX_USER_TAGS} tags: AWS allows 50 per resource, and the stacks ` +
            `add up to ${50 - MAX_USER_TAGS} of their own (Project, Stack, Consumer, Name, Tier)`,
        ),
      ),
      `Tags added to every resource through the providers' default_tags: at most ${MAX_USER_TAGS}, keys ` +
        `up to ${TAG_KEY_MAX} characters without the \`aws:\` prefix, values up to ${TAG_VALUE_MAX}.`,
    ),
    {},
  ),
  awsProviderVersion: v.optional(
    described(
      versionConstraint,
      "Version constraint on hashicorp/aws that every stack requires. The default is the version the bindings were generated from; set " +
        "another when your provider mirror serves another version (config/emulator.json names 5.100.0, the binary this project's CI machines carry).",
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
      resources: v.optional(
        described(
          v.array(ResourceSchema, "expected a list of resources"),
          "Resources (a database, any TCP endpoint by DNS name or IP address) shared with consumers over PrivateLink without a load balancer: " +
            "a resource gateway in the private subnets, a resource configuration per resource, and a RAM share per consumer that lists its resources.",
        ),
        [],
      ),
    }),
    "The account that owns the service.",
  ),
  consumers: described(
    v.pipe(v.array(ConsumerSchema, "expected a list of consumers"), v.minLength(1, "expected at least one consumer")),
    "The accounts that reach the service through an interface endpoint.",
  ),
});
