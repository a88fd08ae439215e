import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { Construct } from "constructs";

export interface PrivateInstanceProps {
  /** Subnet to launch in; it should be private. */
  readonly subnetId: string;
  /** Security groups of the instance. */
  readonly securityGroupIds: string[];
  /** EC2 instance type. */
  readonly instanceType: string;
  /** Shell script run at first boot. @default none */
  readonly userData?: string;
  /**
   * The AMI: a pinned id, whose change replaces the instance, or the latest
   * release read at plan time (`latestAmazonLinuxAmi`), which the instance
   * keeps once launched: a newer release would replace it, so it changes no
   * plan.
   */
  readonly image: { readonly pinned: string } | { readonly latest: string };
  /** Ask for EBS optimization; only for instance types that support it. */
  readonly ebsOptimized: boolean;
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
 *
 * It takes its image by AMI id: the hashicorp/aws provider looks an
 * instance's image up (DescribeImages) even when a launch template names it,
 * so `resolve:ssm:` works for launch templates of Auto Scaling groups only.
 */
export class PrivateInstance extends Construct {
  readonly instance: Instance;

  constructor(scope: Construct, id: string, props: PrivateInstanceProps) {
    super(scope, id);
    const latest = "latest" in props.image;
    this.instance = new Instance(this, "instance", {
      ami: "latest" in props.image ? props.image.latest : props.image.pinned,
      instanceType: props.instanceType,
      subnetId: props.subnetId,
      vpcSecurityGroupIds: props.securityGroupIds,
      associatePublicIpAddress: false,
      iamInstanceProfile: props.instanceProfileName,
      userData: props.userData,
      userDataReplaceOnChange: props.userData !== undefined,
      monitoring: props.detailedMonitoring,
      ebsOptimized: props.ebsOptimized || undefined,
      metadataOptions: { ...HARDENED_METADATA },
      rootBlockDevice: { encrypted: true, volumeType: "gp3", volumeSize: props.rootVolumeGiB ?? DEFAULT_ROOT_VOLUME_GIB, deleteOnTermination: true },
      tags: { Name: props.name },
      // A newer release of the latest image would replace the instance at the next unrelated apply.
      lifecycle: latest ? { ignoreChanges: ["ami"] } : undefined,
    });
  }
}

/** The latest AMI id an SSM public parameter holds (e.g. `latestImageParameter`), read at plan time, once per stack. */
export function latestAmazonLinuxAmi(scope: Construct, parameter: string, id = "al2023-ami"): string {
  // insecure_value: AMI ids are public, and a sensitive AMI would hide plan diffs.
  return new DataAwsSsmParameter(scope, id, { name: parameter }).insecureValue;
}
