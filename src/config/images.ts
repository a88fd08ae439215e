/**
 * Which image an instance type can boot, and which launch options it has.
 * Pure functions of the instance type name, so the config can resolve them
 * once and the constructs only ever see the result.
 */

/** SSM public parameters holding the latest Amazon Linux 2023 AMI, by CPU architecture. */
const AL2023_PARAMETERS = {
  x86_64: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
  arm64: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
} as const;

type Architecture = keyof typeof AL2023_PARAMETERS;

/**
 * The CPU architecture of an instance type: Graviton (arm64) types carry a
 * `g` among the attributes after the generation digit (t4g, m6gd, c7gn,
 * g5g, is4gen), and a1 is the first Graviton; everything else here is
 * x86_64 (g4dn and g6 are GPU families of Intel and AMD hosts).
 * https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html
 */
export function architectureOf(instanceType: string): Architecture {
  const family = /^([a-z]+)(\d+)([a-z-]*)\./.exec(instanceType);
  if (!family) return "x86_64";
  const [, series, generation, attributes] = family;
  return attributes.includes("g") || (series === "a" && generation === "1") ? "arm64" : "x86_64";
}

/**
 * Previous-generation families in which some or all sizes do not support
 * EBS optimization ("EBS-optimized instance types", EC2 User Guide): for
 * them the option is left out. Every current-generation type is
 * EBS-optimized by default, so asking for it is always accepted.
 * https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-nitro-instances.html
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ebs-optimized.html
 */
const WITHOUT_EBS_OPTIMIZATION = ["t1", "t2", "m1", "m2", "m3", "c1", "c3", "r3", "i2", "g2", "cc2", "cr1", "hi1", "hs1"];

/** Whether `ebs_optimized = true` may be set for the type. */
export function supportsEbsOptimization(instanceType: string): boolean {
  return !WITHOUT_EBS_OPTIMIZATION.includes(instanceType.split(".")[0]);
}

/** The SSM public parameter of the latest Amazon Linux 2023 for the instance type's architecture. */
export function latestImageParameter(instanceType: string): string {
  return AL2023_PARAMETERS[architectureOf(instanceType)];
}

/**
 * The image a launch template names: the pinned AMI id, or else the latest
 * Amazon Linux 2023 for the type's architecture as `resolve:ssm:<parameter>`,
 * which EC2 resolves at each launch. A new AWS release then changes no plan:
 * instances launched later (a refresh, a replacement) get it, and pinning an
 * id is how a rollout becomes a deliberate change.
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/using-systems-manager-parameters.html
 */
export function launchImage(instanceType: string, pinned?: string): string {
  return pinned ?? `resolve:ssm:${latestImageParameter(instanceType)}`;
}
