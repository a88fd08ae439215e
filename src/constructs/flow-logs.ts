import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { partitionOf } from "../config/regions";
import { IAM_ROLE_NAME_MAX, boundedName } from "../aws-names";
import { ServiceEncryptionKey } from "./service-encryption-key";

export interface FlowLogsProps {
  /** The VPC to log. */
  readonly vpcId: string;
  /** Account and region of the VPC: the log group and key live there. */
  readonly accountId: string;
  readonly region: string;
  /** Days the log group keeps flow logs. */
  readonly retentionDays: number;
  /** Name of the log group, role and key alias. */
  readonly name: string;
}

/**
 * VPC flow logs (all traffic) into a CloudWatch log group encrypted with a
 * rotated customer-managed key, written through a role that may write only
 * to that group.
 */
export class FlowLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: FlowLogsProps) {
    super(scope, id);
    const logGroupName = `/vpc/${props.name}/flow-logs`;
    const logGroupArn = `arn:${partitionOf(props.region)}:logs:${props.region}:${props.accountId}:log-group:${logGroupName}`;

    const key = new ServiceEncryptionKey(this, "encryption", {
      partition: partitionOf(props.region),
      accountId: props.accountId,
      servicePrincipal: `logs.${props.region}.amazonaws.com`,
      serviceActions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      serviceConditions: [{ test: "ArnEquals", variable: "kms:EncryptionContext:aws:logs:arn", values: [logGroupArn] }],
      description: `${props.name}: VPC flow logs`,
    }).key;
    this.logGroup = new CloudwatchLogGroup(this, "log-group", { name: logGroupName, retentionInDays: props.retentionDays, kmsKeyId: key.arn });

    const assume = new DataAwsIamPolicyDocument(this, "assume", {
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }],
        },
      ],
    });
    const role = new IamRole(this, "role", { name: boundedName(`${props.name}-flow-logs`, IAM_ROLE_NAME_MAX), assumeRolePolicy: assume.json });
    const write = new DataAwsIamPolicyDocument(this, "write", {
      statement: [
        { effect: "Allow", actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], resources: [`${this.logGroup.arn}:*`] },
      ],
    });
    new IamRolePolicy(this, "write-policy", { name: "write-flow-logs", role: role.id, policy: write.json });

    new FlowLog(this, "flow-log", {
      vpcId: props.vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.arn,
      iamRoleArn: role.arn,
    });
  }
}
