import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { Construct } from "constructs";
import { ServiceEncryptionKey } from "./service-encryption-key";

export interface AlarmTopicProps {
  /** A topic to notify instead of creating one (in the alarms' region; its owner lets CloudWatch publish). */
  readonly topicArn?: string;
  /** The account that owns the alarms (and the topic it creates). */
  readonly accountId: string;
  /** Region of the alarms. */
  readonly region: string;
  /** ARN partition of the region. */
  readonly partition: string;
  /** Name of the topic and key alias it creates. */
  readonly name: string;
}

/**
 * Where CloudWatch alarms notify: the given SNS topic, or one created here,
 * encrypted with its own rotated KMS key. CloudWatch publishes to an
 * encrypted topic only when the key lets `cloudwatch.amazonaws.com` use it
 * (an AWS-managed SNS key never does), and only when the topic policy lets it
 * publish; the policy admits this account's alarms only (the aws:SourceArn
 * and aws:SourceAccount conditions of "Amazon SNS topic policy for
 * CloudWatch alarms",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html).
 */
export class AlarmTopic extends Construct {
  /** The topic's ARN, given or created. */
  readonly arn: string;
  /** Undefined when a topic was given. */
  readonly topic?: SnsTopic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    if (props.topicArn) {
      this.arn = props.topicArn;
      return;
    }
    // The key statement AWS gives for CloudWatch alarms ("Enable compatibility
    // between event sources from AWS services and encrypted topics",
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html):
    // the service and the two actions, no conditions. The key encrypts this
    // topic only, and the topic policy below narrows who may publish at all.
    const key = new ServiceEncryptionKey(this, "encryption", {
      partition: props.partition,
      accountId: props.accountId,
      servicePrincipal: "cloudwatch.amazonaws.com",
      serviceActions: ["kms:GenerateDataKey*", "kms:Decrypt"],
      serviceConditions: [],
      description: `${props.name}: CloudWatch alarm notifications`,
    }).key;
    new KmsAlias(this, "key-alias", { name: `alias/${props.name}`, targetKeyId: key.keyId });

    this.topic = new SnsTopic(this, "topic", { name: props.name, kmsMasterKeyId: key.arn });
    this.arn = this.topic.arn;
    const policy = new DataAwsIamPolicyDocument(this, "topic-policy", {
      statement: [
        {
          sid: "AlarmsPublish",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
          actions: ["sns:Publish"],
          resources: [this.topic.arn],
          condition: [
            { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:${props.partition}:cloudwatch:${props.region}:${props.accountId}:alarm:*`] },
            { test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] },
          ],
        },
      ],
    });
    new SnsTopicPolicy(this, "topic-access", { arn: this.topic.arn, policy: policy.json });
  }
}
