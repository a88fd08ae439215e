import * as v from "valibot";
import { cidrProblem } from "./cidr";
import { AZ_ID_PATTERN, REGIONS } from "./regions";

/**
 * The building blocks of the config schema: field formats shared by its
 * sections, each with the message that says what it accepts, and the two
 * ways a field documents itself for the generated reference.
 */

/** A field's meaning, kept in the schema so the README reference is generated from it. */
export const described = <T extends v.GenericSchema>(schema: T, text: string) => v.pipe(schema, v.description(text));

/**
 * A default that depends on other fields, so the rules fill it in
 * (the `*-rules.ts` files); the text says what it is, for the
 * reference. Constant defaults are `v.optional`'s own.
 */
export const derivedDefault = <T extends v.GenericSchema>(schema: T, text: string) => v.pipe(schema, v.metadata({ derivedDefault: text }));

const CIDR_EXAMPLE = "expected an IPv4 CIDR block such as 10.0.0.0/16";

export const cidr = v.pipe(
  v.string(CIDR_EXAMPLE),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const problem = cidrProblem(dataset.value);
    if (problem) addIssue({ message: `${problem}; ${CIDR_EXAMPLE}` });
  }),
);

export const azId = v.pipe(
  v.string("expected an AZ id such as use1-az1"),
  v.regex(AZ_ID_PATTERN, "expected an AZ id such as use1-az1 (AZ ids, not AZ names like us-east-1a)"),
);

export const region = v.picklist(REGIONS, `expected an AWS region: ${REGIONS.join(", ")}`);

/** IAM's limit on a role or user name: 64 characters (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). */
const IAM_NAME_MAX = 64;

/**
 * The message for an IAM ARN the pattern refuses: the name's length against
 * IAM's limit when that is what is wrong, else the shape expected.
 */
export function iamArnMessage(shape: string): (issue: { input: unknown }) => string {
  return ({ input }) => {
    const name = typeof input === "string" ? (input.split("/").at(-1) ?? "") : "";
    return name.length > IAM_NAME_MAX ? `expected a name of at most ${IAM_NAME_MAX} characters (IAM's limit); ${name} is ${name.length}` : shape;
  };
}

export const roleArn = v.pipe(
  v.string("expected an IAM role ARN"),
  // A path of segments, then the role's name of 1-64 characters.
  v.regex(
    /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/,
    iamArnMessage("expected an IAM role ARN such as arn:aws:iam::111111111111:role/terraform"),
  ),
);

export const bool = v.boolean("expected true or false");

/**
 * S3's general-purpose bucket naming rules:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
const BUCKET_RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const BUCKET_RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];
export const bucketName = v.pipe(
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

const PORT = "expected a TCP port 1-65535";
export const port = v.pipe(
  v.number("expected a TCP port number 1-65535"),
  v.integer("expected a whole port number"),
  v.minValue(1, PORT),
  v.maxValue(65535, PORT),
);

export const imageId = v.pipe(v.string("expected an AMI id"), v.regex(/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/, "expected an AMI id such as ami-0123456789abcdef0"));

export const instanceType = v.pipe(
  v.string("expected an EC2 instance type"),
  v.regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "expected an EC2 instance type such as t3.micro"),
);

const snsTopicArn = v.pipe(
  v.string("expected an SNS topic ARN"),
  v.regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, "expected an SNS topic ARN such as arn:aws:sns:us-east-1:111111111111:alerts"),
);

/** CloudWatch alarms of a stack (`provider.service.alarms`, `consumers[].alarms`) and where they notify. */
export const AlarmsSchema = v.strictObject({
  topicArn: v.optional(
    derivedDefault(
      described(
        snsTopicArn,
        "SNS topic the alarms notify, in the stack's region (CloudWatch refuses a topic in another region). Its policy must let " +
          "`cloudwatch.amazonaws.com` publish, and a KMS key that encrypts it must let that principal use it.",
      ),
      "a topic the stack creates, encrypted with its own KMS key (output `alarm_topic_arn`; subscribe to it)",
    ),
  ),
});
