import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { IAM_ROLE_NAME_MAX, boundedName } from "../aws-names";

/** AWS-managed policy that lets the SSM agent register and open sessions. */
const ssmCorePolicyArn = (partition: string): string => `arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`;

export interface SessionManagerProfileProps {
  /** Name of the role and instance profile. */
  readonly name: string;
  /** ARN partition of the account's region. */
  readonly partition: string;
}

/**
 * An instance profile for Session Manager: shell access to private
 * instances through the ssm endpoints, without SSH keys or open ports.
 */
export class SessionManagerProfile extends Construct {
  readonly profile: IamInstanceProfile;

  constructor(scope: Construct, id: string, props: SessionManagerProfileProps) {
    super(scope, id);
    const assume = new DataAwsIamPolicyDocument(this, "assume", {
      statement: [{ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }] }],
    });
    const role = new IamRole(this, "role", { name: boundedName(props.name, IAM_ROLE_NAME_MAX), assumeRolePolicy: assume.json, tags: { Name: props.name } });
    new IamRolePolicyAttachment(this, "ssm-core", { role: role.name, policyArn: ssmCorePolicyArn(props.partition) });
    this.profile = new IamInstanceProfile(this, "profile", { name: props.name, role: role.name, tags: { Name: props.name } });
  }
}
