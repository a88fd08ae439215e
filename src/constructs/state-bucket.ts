import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { partitionOf } from "../config/regions";

export interface StateBucketProps {
  /** Bucket name. */
  readonly bucketName: string;
  /** The account that owns the bucket and its key; its root administers the key but cannot use it. */
  readonly accountId: string;
  /** Region of the bucket: the key's `kms:ViaService` condition and the ARN partition. */
  readonly region: string;
  /** Alias of the key (`alias/…`), which backends name before the key exists. */
  readonly keyAliasName: string;
  /** Principals that write state (the deployer roles): encrypt and decrypt, through S3 only. */
  readonly writers: readonly string[];
  /** Principals that only read state (remote-state reading roles): decrypt, through S3 only. @default none */
  readonly readers?: readonly string[];
  /** Days old state versions are kept. @default 90 */
  readonly noncurrentVersionDays?: number;
}

/** KMS actions that manage a key without using it: what the account root keeps, so the key never becomes unmanageable. */
const KEY_ADMIN_ACTIONS = [
  "kms:CancelKeyDeletion",
  "kms:Create*",
  "kms:Delete*",
  "kms:Describe*",
  "kms:Disable*",
  "kms:Enable*",
  "kms:Get*",
  "kms:List*",
  "kms:Put*",
  "kms:Revoke*",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:Update*",
];

/**
 * An S3 bucket fit to hold Terraform state: versioned, encrypted with a
 * customer-managed KMS key of its own (rotated; its policy names who may
 * encrypt and decrypt, and only through S3, where the AWS-managed `aws/s3`
 * key would let anyone in the account with S3 access decrypt), closed to the
 * public, owner-enforced, TLS-only, and protected from `terraform destroy`.
 */
export class StateBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    const partition = partitionOf(props.region);
    const throughS3 = [{ test: "StringEquals", variable: "kms:ViaService", values: [`s3.${props.region}.amazonaws.com`] }];
    const keyPolicy = new DataAwsIamPolicyDocument(this, "key-policy", {
      statement: [
        {
          sid: "AccountAdministersOnly",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [`arn:${partition}:iam::${props.accountId}:root`] }],
          actions: KEY_ADMIN_ACTIONS,
          resources: ["*"],
        },
        {
          sid: "DeployersReadAndWriteState",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [...props.writers] }],
          actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
          resources: ["*"],
          condition: throughS3,
        },
        ...(props.readers?.length
          ? [
              {
                sid: "ReadersReadState",
                effect: "Allow",
                principals: [{ type: "AWS", identifiers: [...props.readers] }],
                actions: ["kms:Decrypt"],
                resources: ["*"],
                condition: throughS3,
              },
            ]
          : []),
      ],
    });
    this.key = new KmsKey(this, "key", {
      description: `Terraform state in ${props.bucketName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: keyPolicy.json,
      lifecycle: { preventDestroy: true },
      tags: { Name: props.keyAliasName },
    });
    new KmsAlias(this, "key-alias", { name: props.keyAliasName, targetKeyId: this.key.keyId });

    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      lifecycle: { preventDestroy: true },
      tags: { Name: props.bucketName },
    });
    const bucket = this.bucket.id;

    new S3BucketVersioningA(this, "versioning", { bucket, versioningConfiguration: { status: "Enabled" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.key.arn }, bucketKeyEnabled: true }],
    });
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [
        {
          id: "expire-old-state-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 90 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });

    const tlsOnly = new DataAwsIamPolicyDocument(this, "tls-only", {
      statement: [
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          actions: ["s3:*"],
          principals: [{ type: "*", identifiers: ["*"] }],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    // The policy goes on after the public access block, which would otherwise race it.
    new S3BucketPolicy(this, "policy", { bucket, policy: tlsOnly.json, dependsOn: [publicAccessBlock] });
  }
}
