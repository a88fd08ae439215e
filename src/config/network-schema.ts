import * as v from "valibot";
import { AWS_ENDPOINT_SERVICES } from "./aws-services";
import { azId, bool, bucketName, cidr, derivedDefault, described } from "./schema-fields";

/** A network of the config: its VPC, subnets, AWS-service endpoints and flow logs. */

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

/** EC2 resource ids: the prefix, then 8 (older) or 17 hex digits. */
const ec2Id = (prefix: string, example: string) =>
  v.pipe(v.string(`expected a ${prefix} id`), v.regex(new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`), `expected a ${prefix} id such as ${example}`));

export const NetworkSchema = v.strictObject({
  cidr: v.optional(
    described(
      cidr,
      "VPC CIDR block, /16 to /28; not in 0.0.0.0/8, 127.0.0.0/8, 169.254.0.0/16, 224.0.0.0/4 or 240.0.0.0/4, which AWS refuses for a VPC. " +
        "Required unless `vpcId` names an existing VPC.",
    ),
  ),
  azIds: v.optional(
    described(
      v.pipe(v.array(azId, "expected a list of AZ ids"), v.minLength(2, "expected at least 2 AZ ids, one subnet per AZ")),
      "AZ ids (not names) of the subnets: at least two. Required with `cidr`.",
    ),
  ),
  vpcId: v.optional(
    described(
      ec2Id("vpc", "vpc-0123456789abcdef0"),
      "An existing VPC to use instead of creating one; excludes `cidr`, `azIds`, the subnet CIDRs, `publicSubnets` and `flowLogs`. " +
        "The stack then creates no VPC, subnets, route tables or flow logs, and reads what it needs from AWS.",
    ),
  ),
  subnetIds: v.optional(
    described(
      v.pipe(v.array(ec2Id("subnet", "subnet-0123456789abcdef0"), "expected a list of subnet ids"), v.minLength(1, "expected at least one subnet id")),
      "With `vpcId`: the private subnets the stack uses (at least two on the provider). Gateway endpoints go on their route tables.",
    ),
  ),
  ipv6: v.optional(
    described(
      bool,
      "Dual stack: an Amazon-provided IPv6 block on the VPC and a /64 per subnet, the same security-group rules over IPv6, " +
        "and (unless `dualStack` says otherwise) a dual-stack NLB and endpoint service (provider) or endpoint (consumer, when the service is dual stack).",
    ),
    false,
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
  flowLogs: v.optional(
    derivedDefault(described(bool, "VPC flow logs (all traffic) into a KMS-encrypted CloudWatch log group."), "true for a VPC the stack creates"),
  ),
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

export type AwsEndpointInput = v.InferOutput<typeof AwsEndpointSchema>;
export type EndpointPolicyInput = v.InferOutput<typeof EndpointPolicySchema>;
export type NetworkInput = v.InferOutput<typeof NetworkSchema>;
