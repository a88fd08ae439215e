import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { VpcEndpointConnectionNotification } from "@cdktf/provider-aws/lib/vpc-endpoint-connection-notification";
import { Construct } from "constructs";
import { ServiceEncryptionKey } from "./service-encryption-key";

export interface ConnectionNotificationsProps {
  /** Id of the endpoint service to watch. */
  readonly serviceId: string;
  /** Events that publish, among Accept, Connect, Delete and Reject. */
  readonly events: readonly string[];
  /** The account that owns the service (and the topic). */
  readonly accountId: string;
  /** ARN partition of the account's region. */
  readonly partition: string;
  /** Name of the topic and key alias. */
  readonly name: string;
}

/**
 * Tells an SNS topic when consumers connect to the endpoint service. The
 * topic is encrypted with a customer-managed, rotated KMS key: AWS services
 * cannot publish to a topic under the AWS-managed SNS key.
 */
export class ConnectionNotifications extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: ConnectionNotificationsProps) {
    super(scope, id);
    const key = new ServiceEncryptionKey(this, "encryption", {
      partition: props.partition,
      accountId: props.accountId,
      servicePrincipal: "vpce.amazonaws.com",
      serviceActions: ["kms:GenerateDataKey*", "kms:Decrypt"],
      serviceConditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }],
      description: `${props.name}: PrivateLink connection notifications`,
    }).key;
    new KmsAlias(this, "key-alias", { name: `alias/${props.name}`, targetKeyId: key.keyId });

    this.topic = new SnsTopic(this, "topic", { name: props.name, kmsMasterKeyId: key.arn });
    const topicPolicy = new DataAwsIamPolicyDocument(this, "topic-policy", {
      statement: [
        {
          sid: "VpcEndpointsPublish",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["vpce.amazonaws.com"] }],
          actions: ["sns:Publish"],
          resources: [this.topic.arn],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }],
        },
      ],
    });
    new SnsTopicPolicy(this, "topic-access", { arn: this.topic.arn, policy: topicPolicy.json });

    new VpcEndpointConnectionNotification(this, "notification", {
      vpcEndpointServiceId: props.serviceId,
      connectionNotificationArn: this.topic.arn,
      connectionEvents: [...props.events],
    });
  }
}
