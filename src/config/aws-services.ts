/**
 * AWS services this project can reach through VPC endpoints, by the short
 * name used in `com.amazonaws.<region>.<short name>`.
 */
export const AWS_ENDPOINT_SERVICES = [
  "s3",
  "dynamodb",
  "kinesis-streams",
  "kinesis-firehose",
  "ssm",
  "ssmmessages",
  "ec2messages",
  "ec2",
  "sts",
  "kms",
  "logs",
  "monitoring",
  "events",
  "secretsmanager",
  "sqs",
  "sns",
  "lambda",
  "ecr.api",
  "ecr.dkr",
  "execute-api",
  "elasticloadbalancing",
] as const;

export type AwsEndpointService = (typeof AWS_ENDPOINT_SERVICES)[number];

/** Services that also offer Gateway endpoints (free, route-table based). */
export const GATEWAY_SERVICES: readonly string[] = ["s3", "dynamodb"];

/** Interface endpoints of these services take no endpoint policy. */
export const NO_POLICY_SERVICES: readonly string[] = ["ssmmessages", "ec2messages"];

/** The interface endpoints Session Manager needs to reach instances without SSH or internet. */
export const SESSION_MANAGER_SERVICES: readonly AwsEndpointService[] = ["ssm", "ssmmessages", "ec2messages"];

/** The IAM action prefix of each endpoint service: a default endpoint policy allows only that service's actions. */
export const IAM_PREFIX: Readonly<Record<AwsEndpointService, string>> = {
  s3: "s3",
  dynamodb: "dynamodb",
  "kinesis-streams": "kinesis",
  "kinesis-firehose": "firehose",
  ssm: "ssm",
  ssmmessages: "ssmmessages",
  ec2messages: "ec2messages",
  ec2: "ec2",
  sts: "sts",
  kms: "kms",
  logs: "logs",
  monitoring: "cloudwatch",
  events: "events",
  secretsmanager: "secretsmanager",
  sqs: "sqs",
  sns: "sns",
  lambda: "lambda",
  "ecr.api": "ecr",
  "ecr.dkr": "ecr",
  "execute-api": "execute-api",
  elasticloadbalancing: "elasticloadbalancing",
};
