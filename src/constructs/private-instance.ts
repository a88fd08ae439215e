import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { Construct } from "constructs";

/** SSM public parameter holding the latest Amazon Linux 2023 AMI id. */
const AL2023_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

export interface PrivateInstanceProps {
  /** Subnet to launch in; it should be private. */
  readonly subnetId: string;
  /** Security groups of the instance. */
  readonly securityGroupIds: string[];
  /** EC2 instance type. */
  readonly instanceType: string;
  /** Shell script run at first boot. @default none */
  readonly userData?: string;
  /** AMI id, e.g. from `latestAmazonLinuxAmi`. */
  readonly amiId: string;
  /** Root volume size in GiB. @default 8, Amazon Linux 2023's own size */
  readonly rootVolumeGiB?: number;
  /** CloudWatch detailed (1-minute) monitoring; the config's `clientDetailedMonitoring`. */
  readonly detailedMonitoring: boolean;
  /** Instance profile, e.g. for Session Manager. @default none */
  readonly instanceProfileName?: string;
  /** Name tag. */
  readonly name: string;
}

/** IMDSv2 only, one hop: the instance metadata settings of every instance here. */
export const HARDENED_METADATA = { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 } as const;

/** Root volume size, GiB: Amazon Linux 2023's own. */
export const DEFAULT_ROOT_VOLUME_GIB = 8;

/**
 * An EC2 instance hardened the same way wherever it is used: no SSH key, no
 * public IP, IMDSv2 only, encrypted root volume, detailed monitoring.
 */
export class PrivateInstance extends Construct {
  readonly instance: Instance;

  constructor(scope: Construct, id: string, props: PrivateInstanceProps) {
    super(scope, id);
    this.instance = new Instance(this, "instance", {
      ami: props.amiId,
      instanceType: props.instanceType,
      subnetId: props.subnetId,
      vpcSecurityGroupIds: props.securityGroupIds,
      associatePublicIpAddress: false,
      iamInstanceProfile: props.instanceProfileName,
      userData: props.userData,
      userDataReplaceOnChange: props.userData !== undefined,
      monitoring: props.detailedMonitoring,
      ebsOptimized: true,
      metadataOptions: { ...HARDENED_METADATA },
      rootBlockDevice: { encrypted: true, volumeType: "gp3", volumeSize: props.rootVolumeGiB ?? DEFAULT_ROOT_VOLUME_GIB, deleteOnTermination: true },
      tags: { Name: props.name },
    });
  }
}

/** The latest Amazon Linux 2023 AMI id of the stack's region, looked up once per stack. */
export function latestAmazonLinuxAmi(scope: Construct, id = "al2023-ami"): string {
  // insecure_value: AMI ids are public, and a sensitive AMI would hide plan diffs.
  return new DataAwsSsmParameter(scope, id, { name: AL2023_AMI_PARAMETER }).insecureValue;
}
