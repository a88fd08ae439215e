import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatementCondition } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";

export interface ServiceEncryptionKeyProps {
  /** The account that owns the key; its root administers it, as in AWS's default key policy. */
  readonly accountId: string;
  /** ARN partition of the account's region (`aws`, `aws-cn`, `aws-us-gov`). */
  readonly partition: string;
  /** The AWS service that encrypts with the key, e.g. `vpce.amazonaws.com`. */
  readonly servicePrincipal: string;
  /** KMS actions the service may use. */
  readonly serviceActions: string[];
  /** Conditions that narrow the service's use to this account's resources. */
  readonly serviceConditions: DataAwsIamPolicyDocumentStatementCondition[];
  /** Key description. */
  readonly description: string;
}

/**
 * A rotated customer-managed KMS key that one AWS service may use, for data
 * that service writes on our behalf (flow logs, SNS notifications): AWS
 * services cannot use the AWS-managed keys of other services.
 */
export class ServiceEncryptionKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: ServiceEncryptionKeyProps) {
    super(scope, id);
    const policy = new DataAwsIamPolicyDocument(this, "policy", {
      statement: [
        {
          sid: "AccountAdministers",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [`arn:${props.partition}:iam::${props.accountId}:root`] }],
          actions: ["kms:*"],
          resources: ["*"],
        },
        {
          sid: "ServiceUses",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: [props.servicePrincipal] }],
          actions: props.serviceActions,
          resources: ["*"],
          condition: props.serviceConditions,
        },
      ],
    });
    this.key = new KmsKey(this, "key", { description: props.description, enableKeyRotation: true, deletionWindowInDays: 30, policy: policy.json });
  }
}
