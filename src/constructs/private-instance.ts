import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
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
   * The image, as a launch template names it: an AMI id, or
   * `resolve:ssm:<parameter>`, which EC2 resolves at launch, so a new AWS
   * release changes no plan. A new value replaces the instance.
   */
  readonly image: string;
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
 * public IP, IMDSv2 only, encrypted root volume, detailed monitoring. Its
 * image comes from a launch template of its own, the one place that may
 * name an SSM parameter instead of an AMI id (`aws_instance.ami` would read
 * back the resolved id and plan a replacement).
 */
export class PrivateInstance extends Construct {
  readonly instance: Instance;
  readonly launchTemplate: LaunchTemplate;

  constructor(scope: Construct, id: string, props: PrivateInstanceProps) {
    super(scope, id);
    this.launchTemplate = new LaunchTemplate(this, "template", {
      namePrefix: `${props.name}-`,
      imageId: props.image,
      // The instance sets these itself; the template carries them too, so it launches nothing weaker.
      metadataOptions: { ...HARDENED_METADATA },
      updateDefaultVersion: true,
      tags: { Name: props.name },
    });
    this.instance = new Instance(this, "instance", {
      // A new template version (a new image) replaces the instance.
      launchTemplate: { id: this.launchTemplate.id, version: `${this.launchTemplate.latestVersion}` },
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
    });
  }
}
