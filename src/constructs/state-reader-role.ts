import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { partitionOf } from "../config/regions";
import { IAM_ROLE_NAME_MAX, boundedName } from "../aws-names";

export interface StateReaderRoleProps {
  /** Name of the state bucket. */
  readonly bucketName: string;
  /** Region of the bucket: the KMS condition and the partition of the ARNs. */
  readonly region: string;
  /** Role name, unique in the account. */
  readonly roleName: string;
  /** The identities that may assume the role: those Terraform runs as (never an account root). */
  readonly readerPrincipals: readonly string[];
  /** Keys of the state files it may read. */
  readonly stateKeys: readonly string[];
}

/**
 * A read-only role on some state files of a state bucket, for remote-state
 * wiring: `s3:GetObject` on exactly those keys and `kms:Decrypt` through S3
 * only, assumable only by the named identities Terraform runs as. Reading
 * another stack's outputs never needs a deployer role.
 */
export class StateReaderRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: StateReaderRoleProps) {
    super(scope, id);
    const partition = partitionOf(props.region);
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "AWS", identifiers: [...props.readerPrincipals] }],
        },
      ],
    });
    const read = new DataAwsIamPolicyDocument(this, "read", {
      statement: [
        {
          sid: "ReadStateFiles",
          effect: "Allow",
          actions: ["s3:GetObject"],
          resources: props.stateKeys.map((key) => `arn:${partition}:s3:::${props.bucketName}/${key}`),
        },
        // The bucket's key policy names this role; decrypt only on behalf of S3 in the bucket's region.
        {
          sid: "DecryptThroughS3",
          effect: "Allow",
          actions: ["kms:Decrypt"],
          resources: ["*"],
          condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [`s3.${props.region}.amazonaws.com`] }],
        },
      ],
    });
    this.role = new IamRole(this, "role", {
      name: boundedName(props.roleName, IAM_ROLE_NAME_MAX),
      assumeRolePolicy: trust.json,
      tags: { Name: props.roleName },
    });
    new IamRolePolicy(this, "read-policy", { name: "read-state", role: this.role.id, policy: read.json });
  }
}
