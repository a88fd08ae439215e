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
export const SESSION_MANAGER_SERVICES: readonly string[] = ["ssm", "ssmmessages", "ec2messages"];
