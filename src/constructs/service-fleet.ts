import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { DEFAULT_ROOT_VOLUME_GIB, HARDENED_METADATA } from "./private-instance";

export interface ServiceFleetProps {
  /** Private subnets to spread the instances over. */
  readonly subnetIds: string[];
  /** Security groups of the instances. */
  readonly securityGroupIds: string[];
  /** EC2 instance type. */
  readonly instanceType: string;
  /** Number of instances, kept at all times. */
  readonly count: number;
  /** What the launch template names as image: an AMI id, or `resolve:ssm:<parameter>` resolved at each launch; a new value rolls the instances. */
  readonly image: string;
  /** Ask for EBS optimization; only for instance types that support it. */
  readonly ebsOptimized: boolean;
  /** User data (plain text); a change rolls the instances. */
  readonly userData: string;
  /** CloudWatch detailed (1-minute) monitoring. */
  readonly detailedMonitoring: boolean;
  /** Instance profile, e.g. for Session Manager. @default none */
  readonly instanceProfileName?: string;
  /** The target groups (one per target port) that register the instances. */
  readonly targetGroupArns: readonly string[];
  /** Prefix of names and Name tags. */
  readonly name: string;
}

/** Seconds a new instance gets to boot and pass health checks before it counts. */
const INSTANCE_WARMUP_SECONDS = 120;

/**
 * The service's instances as an Auto Scaling group behind the target group,
 * launched from a template hardened like every instance here (no public IP,
 * IMDSv2, encrypted root volume). A new AMI or user data makes a new
 * template version, and an instance refresh rolls it out while keeping 100%
 * of the instances healthy (replacements launch first, up to 200%), so no
 * change takes every target out of the NLB.
 */
export class ServiceFleet extends Construct {
  readonly launchTemplate: LaunchTemplate;
  readonly group: AutoscalingGroup;

  constructor(scope: Construct, id: string, props: ServiceFleetProps) {
    super(scope, id);
    this.launchTemplate = new LaunchTemplate(this, "template", {
      namePrefix: `${props.name}-`,
      imageId: props.image,
      instanceType: props.instanceType,
      userData: Fn.base64encode(props.userData),
      ebsOptimized: props.ebsOptimized ? "true" : undefined,
      monitoring: { enabled: props.detailedMonitoring },
      metadataOptions: { ...HARDENED_METADATA },
      iamInstanceProfile: props.instanceProfileName ? { name: props.instanceProfileName } : undefined,
      networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", securityGroups: props.securityGroupIds, deleteOnTermination: "true" }],
      blockDeviceMappings: [
        { deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeType: "gp3", volumeSize: DEFAULT_ROOT_VOLUME_GIB, deleteOnTermination: "true" } },
      ],
      tagSpecifications: [{ resourceType: "instance", tags: { Name: props.name } }],
      updateDefaultVersion: true,
      tags: { Name: props.name },
    });
    this.group = new AutoscalingGroup(this, "group", {
      namePrefix: `${props.name}-`,
      minSize: props.count,
      maxSize: props.count,
      desiredCapacity: props.count,
      vpcZoneIdentifier: props.subnetIds,
      targetGroupArns: [...props.targetGroupArns],
      healthCheckType: "ELB",
      healthCheckGracePeriod: INSTANCE_WARMUP_SECONDS,
      launchTemplate: { id: this.launchTemplate.id, version: `${this.launchTemplate.latestVersion}` },
      // Launch replacements before terminating: never fewer healthy instances than asked for.
      instanceRefresh: {
        strategy: "Rolling",
        preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmup: String(INSTANCE_WARMUP_SECONDS) },
      },
      tag: [{ key: "Name", value: props.name, propagateAtLaunch: true }],
    });
  }
}
