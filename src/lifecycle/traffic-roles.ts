/**
 * What carries the consumers' traffic: the one table the deploy guard, the
 * review sheet, deploy's usage and the docs (README, docs/lifecycle.md, by
 * `npm run docs`) are written from, so that no copy of the list drifts.
 */

/** One resource change of `terraform show -json`, as far as a role needs it. */
export interface RoleChange {
  /** The resource type, e.g. `aws_lb`. */
  readonly type: string;
  /** The address without an index, e.g. `aws_security_group.endpoint`. */
  readonly address: string;
  readonly actions: readonly string[];
  readonly before: Readonly<Record<string, unknown>>;
  /** Addresses of the security groups that the stack's interface endpoints use. */
  readonly endpointGroups: ReadonlySet<string>;
}

export interface TrafficRoleSpec {
  /** The role's name, as the refusal and the review sheet print it. */
  readonly role: string;
  /** How lists of the guarded resources name it, e.g. `the NLB`. */
  readonly listed: string;
  /** The Terraform resources of the role, for the docs. */
  readonly resources: string;
  /** Whether a deletion or replacement of `change` has this role. */
  readonly deleting?: (change: RoleChange) => boolean;
  /**
   * Set on changes that cannot succeed at all, so that even --allow-outage
   * does not let them through: how a list of those names it.
   */
  readonly cannotApply?: string;
  /** What a reviewer should do instead of letting it go. */
  readonly advice: string;
}

const isReplace = (actions: readonly string[]) => actions.includes("create") && actions.includes("delete");

/** Every role, in the order the lists name them. */
const TRAFFIC_ROLES = [
  {
    role: "load balancer",
    listed: "the NLB",
    resources: "`aws_lb` of type network",
    deleting: (c) => c.type === "aws_lb" && (c.before.load_balancer_type ?? "network") === "network",
    cannotApply: "a replaced NLB",
    advice:
      "A new NLB cannot take over in one apply: the old one keeps its fixed name (and deletion protection), and AWS refuses to delete a load " +
      "balancer an endpoint service uses, so the apply would stop after deleting the listeners. Undo the change that forces it: keep the " +
      "provider's subnets and CIDR (adding an AZ adds a subnet in place). Moving the service to other subnets is a new service: deploy it " +
      "beside this one under another project name, move the consumers, then destroy this one.",
  },
  {
    role: "listener",
    listed: "a listener",
    resources: "`aws_lb_listener`",
    deleting: (c) => c.type === "aws_lb_listener",
    advice:
      "Clients of this port lose the service. To move a port, keep the old listener and add the new one (both in `listeners`), deploy, move " +
      "the clients, then remove the old one and deploy with --allow-replace naming this address.",
  },
  {
    role: "endpoint service",
    listed: "the endpoint service",
    resources: "`aws_vpc_endpoint_service`",
    deleting: (c) => c.type === "aws_vpc_endpoint_service",
    advice:
      "Every consumer's endpoint belongs to this service; a new service has a new name, so every endpoint must be recreated and accepted " +
      "again. Undo the change that forces it.",
  },
  {
    role: "interface endpoint",
    listed: "an interface endpoint",
    resources: "`aws_vpc_endpoint` of type Interface",
    deleting: (c) => c.type === "aws_vpc_endpoint" && c.before.vpc_endpoint_type === "Interface",
    advice:
      "The consumer's clients lose the service until a new endpoint is created and accepted, and its DNS names change. Undo the change " +
      "that forces it, or remove the consumer on purpose (npm run destroy -- --consumer NAME).",
  },
  {
    role: "connection accepter",
    listed: "a connection accepter",
    resources: "`aws_vpc_endpoint_connection_accepter`",
    deleting: (c) => c.type === "aws_vpc_endpoint_connection_accepter",
    advice:
      "Destroying an accepter rejects the consumer's connection. To stop requiring acceptance, set acceptanceRequired to false: deploy then " +
      "forgets the accepters and the connections stay accepted. To remove a consumer, npm run destroy -- --consumer NAME.",
  },
  {
    role: "endpoint security group",
    listed: "an endpoint's security group",
    resources: "`aws_security_group` that an interface endpoint of the stack uses",
    deleting: (c) => c.type === "aws_security_group" && c.endpointGroups.has(c.address),
    advice:
      "The endpoint uses this group: replacing it drops the endpoint's rules while the group is swapped, and a fixed name clashes with the " +
      "old group. Undo the change that forces it (its name, description or VPC).",
  },
  {
    role: "resource gateway",
    listed: "a shared resource's gateway",
    resources: "`aws_vpclattice_resource_gateway`",
    deleting: (c) => c.type === "aws_vpclattice_resource_gateway",
    advice:
      "Every shared resource goes through this gateway; a new one needs new resource configurations and new consumer endpoints. Undo " +
      "the change that forces it: keep the provider's subnets (a new AZ's subnet replaces the gateway).",
  },
  {
    role: "resource configuration",
    listed: "its configuration",
    resources: "`aws_vpclattice_resource_configuration`",
    deleting: (c) => c.type === "aws_vpclattice_resource_configuration",
    advice:
      "Every consumer endpoint of this resource belongs to its configuration; a new configuration has a new ARN, so those endpoints are " +
      "replaced too. Undo the change that forces it (its name, or its address type), or remove the resource on purpose.",
  },
  {
    role: "resource endpoint",
    listed: "its endpoint",
    resources: "`aws_vpc_endpoint` of type Resource",
    deleting: (c) => c.type === "aws_vpc_endpoint" && c.before.vpc_endpoint_type === "Resource",
    advice:
      "The consumer's clients lose the shared resource until a new endpoint is created, and its DNS names change. Undo the change that " +
      "forces it, or take the resource out of the consumer's `resources` on purpose and deploy with --allow-replace naming this address.",
  },
  {
    role: "VPC or subnet",
    listed: "a VPC or subnet (replacing one)",
    resources: "`aws_vpc`, `aws_subnet`, when replaced (deleting one is fine once what used it has moved out, which Terraform orders)",
    deleting: (c) => (c.type === "aws_vpc" || c.type === "aws_subnet") && isReplace(c.actions),
    cannotApply: "a replaced VPC or subnet",
    advice:
      "Terraform replaces a VPC or subnet by deleting it first, and AWS deletes a subnet only once nothing in it holds an address " +
      "(DeleteSubnet: DependencyViolation while the NLB, the instances or an interface endpoint use it): the apply would stop half-way. " +
      "Keep the network's CIDR and AZs (adding an AZ adds a subnet in place). To move the service or a consumer to another network, deploy " +
      "it beside this one (another project name, or another consumer), move the clients, then destroy the old one.",
  },
  {
    // Not a deletion: an update that takes the block off (see dropsIpv6Block in review.ts).
    role: "IPv6 block",
    listed: "a removed IPv6 block",
    resources: "`aws_vpc`, `aws_subnet`, when an update takes its IPv6 block off",
    cannotApply: "a removed IPv6 block",
    advice:
      "AWS removes an IPv6 block from a VPC or subnet only once nothing holds addresses from it (DisassociateVpcCidrBlock, " +
      "DisassociateSubnetCidrBlock), and Terraform would change the VPC before its subnets, while the NLB, instances and endpoints still " +
      "use them. To stop serving over IPv6, keep network.ipv6 and set provider.service.dualStack to false: the endpoints follow.",
  },
] as const satisfies readonly TrafficRoleSpec[];

export type TrafficRole = (typeof TRAFFIC_ROLES)[number]["role"];

/** The spec of a role. */
export function trafficRoleSpec(role: TrafficRole): TrafficRoleSpec {
  return TRAFFIC_ROLES.find((r) => r.role === role) as TrafficRoleSpec;
}

/** The role of a resource that a plan deletes or replaces, if it carries traffic. */
export function deletedRole(change: RoleChange): TrafficRole | undefined {
  return TRAFFIC_ROLES.find((r: TrafficRoleSpec) => r.deleting?.(change))?.role;
}

/** `a, b or c`. */
function series(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/**
 * What the guard refuses to delete or replace unless allowed, as a phrase:
 * `the NLB, a listener, …, its endpoint or a VPC or subnet (replacing one)`.
 */
export function guardedPhrase(): string {
  return series(TRAFFIC_ROLES.filter((r: TrafficRoleSpec) => r.deleting).map((r) => r.listed));
}

/** The changes that never apply, as a phrase: `a replaced NLB, a replaced VPC or subnet or a removed IPv6 block`. */
export function neverAppliesPhrase(): string {
  return series(TRAFFIC_ROLES.flatMap((r: TrafficRoleSpec) => (r.cannotApply ? [r.cannotApply] : [])));
}

/** When a row of the table may be applied. */
const CANNOT_APPLY = "never, even with `--allow-outage`";
const CAN_APPLY = "with `--allow-replace STACK:ADDRESS` or `--allow-outage`";

/** The docs' table of the roles (docs/lifecycle.md, between its guard markers). */
export function trafficRolesTable(): string {
  const rows = TRAFFIC_ROLES.map((r: TrafficRoleSpec) => `| ${r.role} | ${r.resources} | ${r.cannotApply ? CANNOT_APPLY : CAN_APPLY} | ${r.advice} |`);
  return ["| role | Terraform resources | applies | what to do instead |", "|---|---|---|---|", ...rows].join("\n");
}
