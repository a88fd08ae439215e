import { createHash } from "node:crypto";

/**
 * AWS name limits of the resources the stacks name:
 * - load balancers: 32 characters, alphanumerics and hyphens, no hyphen at
 *   either end, not starting with `internal-`
 *   (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html);
 * - IAM roles: 64 characters; instance profiles: 128
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html);
 * - security groups, SNS topics, KMS aliases and log groups allow 255 or more,
 *   beyond what a project and consumer name (31 + 32 characters) can build.
 */
const LOAD_BALANCER_NAME_MAX = 32;
export const IAM_ROLE_NAME_MAX = 64;

/**
 * `name` when it fits in `max` characters; otherwise shortened and ended
 * with a hash of the whole, so two long names stay distinct. Never ends in a
 * hyphen.
 */
export function boundedName(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, max - hash.length - 1).replace(/-+$/, "")}-${hash}`;
}

/**
 * The Name tag of a consumer's client instance, by which `npm run check`
 * finds the client of a consumer stack deployed before its
 * `client_instance_id` output existed (release 0.1.0).
 */
export function clientInstanceName(project: string, consumer: string): string {
  return `${project}-${consumer}-client`;
}

/** A valid load balancer name from `name`. */
export function loadBalancerName(name: string): string {
  return boundedName(name.startsWith("internal-") ? `lb-${name}` : name, LOAD_BALANCER_NAME_MAX);
}

/**
 * VPC Lattice names (resource gateways, resource configurations): 3-40
 * lowercase letters, digits and hyphens, no hyphen at either end and no two
 * in a row
 * (https://docs.aws.amazon.com/vpc-lattice/latest/APIReference/API_CreateResourceGateway.html).
 */
const LATTICE_NAME_MAX = 40;

/** A valid VPC Lattice name from `name`. */
export function latticeName(name: string): string {
  return boundedName(name.replace(/-{2,}/g, "-"), LATTICE_NAME_MAX);
}
