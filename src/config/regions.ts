/**
 * AWS commercial regions this project accepts, with the prefix their AZ ids
 * carry (`use1-az1` belongs to us-east-1). AZ ids, unlike AZ names, name the
 * same physical zone in every account, so all AZ config is given by id.
 */
const REGION_AZ_ID_PREFIX: Readonly<Record<string, string>> = {
  "af-south-1": "afs1",
  "ap-east-1": "ape1",
  "ap-east-2": "ape2",
  "ap-northeast-1": "apne1",
  "ap-northeast-2": "apne2",
  "ap-northeast-3": "apne3",
  "ap-south-1": "aps1",
  "ap-south-2": "aps2",
  "ap-southeast-1": "apse1",
  "ap-southeast-2": "apse2",
  "ap-southeast-3": "apse3",
  "ap-southeast-4": "apse4",
  "ap-southeast-5": "apse5",
  "ap-southeast-7": "apse7",
  "ca-central-1": "cac1",
  "ca-west-1": "caw1",
  "eu-central-1": "euc1",
  "eu-central-2": "euc2",
  "eu-north-1": "eun1",
  "eu-south-1": "eus1",
  "eu-south-2": "eus2",
  "eu-west-1": "euw1",
  "eu-west-2": "euw2",
  "eu-west-3": "euw3",
  "il-central-1": "ilc1",
  "me-central-1": "mec1",
  "me-south-1": "mes1",
  "mx-central-1": "mxc1",
  "sa-east-1": "sae1",
  "us-east-1": "use1",
  "us-east-2": "use2",
  "us-west-1": "usw1",
  "us-west-2": "usw2",
};

export const REGIONS = Object.keys(REGION_AZ_ID_PREFIX) as [string, ...string[]];

/**
 * Regions where an endpoint service can be shared with, and reached from,
 * other regions (cross-region PrivateLink), as AWS announced it on
 * 2024-11-26: https://aws.amazon.com/about-aws/whats-new/2024/11/aws-privatelink-across-region-connectivity/
 * and https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html#endpoint-service-cross-region
 * A provider and a consumer in different regions must both be in this list.
 * All of them are in the `aws` partition, so a pair is never split across
 * partitions (which PrivateLink cannot cross).
 */
export const CROSS_REGION_PRIVATELINK_REGIONS: readonly string[] = [
  "us-east-1",
  "us-east-2",
  "us-west-2",
  "eu-west-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-northeast-1",
  "sa-east-1",
];

/** `use1-az1`: region prefix, `-az`, zone number. */
export const AZ_ID_PATTERN = /^[a-z]{2,4}[0-9]-az[0-9]{1,2}$/;

/** The AZ-id prefix of a region, e.g. `use1` for us-east-1. */
export function azIdPrefix(region: string): string | undefined {
  return REGION_AZ_ID_PREFIX[region];
}

/**
 * The ARN partition of a region: `aws-cn` for China, `aws-us-gov` for
 * GovCloud, `aws` for the rest. Every ARN the stacks build and every ARN in
 * the config must use its region's partition.
 */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The partition an ARN names, e.g. `aws` for `arn:aws:iam::…`. */
export function arnPartition(arn: string): string | undefined {
  return /^arn:([a-z-]+):/.exec(arn)?.[1];
}
