/**
 * The review sheet of `npm run plan`: per stack, what the saved plan would
 * add, change, replace and destroy, with every replacement and deletion
 * listed by address and the attributes that force it. Built from
 * `terraform show -json` of the saved plan.
 */
import { type TrafficRole, deletedRole, guardedPhrase, trafficRoleSpec } from "./traffic-roles";

/** The parts of `terraform show -json <plan>` read here. */
export interface PlanJson {
  readonly resource_changes?: readonly {
    readonly address: string;
    readonly type?: string;
    readonly change: {
      readonly actions: readonly string[];
      readonly replace_paths?: readonly (readonly (string | number)[])[];
      readonly before?: Readonly<Record<string, unknown>> | null;
      readonly after?: Readonly<Record<string, unknown>> | null;
    };
    readonly action_reason?: string;
  }[];
  readonly output_changes?: Readonly<Record<string, { readonly actions: readonly string[] }>>;
  /** The stack's configuration; read for which security groups its interface endpoints use. */
  readonly configuration?: {
    readonly root_module?: {
      readonly resources?: readonly {
        readonly address: string;
        readonly type: string;
        readonly expressions?: Readonly<Record<string, { readonly references?: readonly string[]; readonly constant_value?: unknown }>>;
      }[];
    };
  };
}

export interface PlanCounts {
  readonly add: number;
  readonly change: number;
  readonly replace: number;
  readonly destroy: number;
  /** Outputs that would be added, changed or removed. */
  readonly outputs: number;
}

/** A replacement or deletion a reviewer must see. */
export interface RiskyChange {
  readonly address: string;
  readonly action: "replace" | "destroy" | "update";
  /** Attributes that force the replacement (`replace_paths`), e.g. `ami`, `tags.Name`. */
  readonly forcedBy: readonly string[];
  /** Terraform's `action_reason`, when it gives one. */
  readonly reason?: string;
  /**
   * Set when the resource carries the consumers' traffic (see
   * `trafficRole`): deploy refuses the change unless allowed.
   */
  readonly traffic?: TrafficRole;
}

export interface StackReview {
  readonly stack: string;
  /** `planned`, or why there is no plan: `waiting on <stack>`, `failed: …`. */
  readonly status: string;
  readonly counts?: PlanCounts;
  readonly risky: readonly RiskyChange[];
  /** The Terraform Cloud run, for remote plans. */
  readonly runUrl?: string;
  /**
   * The endpoint service stops supporting IPv6: deploy then applies the
   * consumers (whose endpoints drop IPv6) before the provider.
   */
  readonly dropsIpv6?: boolean;
}

const isReplace = (actions: readonly string[]) => actions.includes("create") && actions.includes("delete");

/** `a.b[0].c` from a replace path. */
function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${key}` : key), "");
}

/** The security groups (addresses) that the plan's interface endpoints use, from its configuration. */
function endpointSecurityGroups(plan: PlanJson): Set<string> {
  const groups = new Set<string>();
  for (const resource of plan.configuration?.root_module?.resources ?? []) {
    if (resource.type !== "aws_vpc_endpoint" || resource.expressions?.vpc_endpoint_type?.constant_value !== "Interface") continue;
    for (const ref of resource.expressions?.security_group_ids?.references ?? []) {
      if (/^aws_security_group\.[^.]+$/.test(ref)) groups.add(ref);
    }
  }
  return groups;
}

/** The traffic role of a resource that a plan deletes or replaces, if it has one (see TRAFFIC_ROLES). */
function trafficRole(rc: NonNullable<PlanJson["resource_changes"]>[number], endpointGroups: Set<string>): TrafficRole | undefined {
  return deletedRole({
    type: rc.type ?? rc.address.replace(/^(?:module\.[^.]+\.)*/, "").split(".")[0],
    address: rc.address.replace(/\[.*\]$/, ""),
    actions: rc.change.actions,
    before: rc.change.before ?? {},
    endpointGroups,
  });
}

/** Whether an update takes an IPv6 block off a VPC or subnet. */
function dropsIpv6Block(rc: NonNullable<PlanJson["resource_changes"]>[number]): boolean {
  const type = rc.type ?? rc.address.split(".")[0];
  const { before, after } = rc.change;
  if (!rc.change.actions.includes("update")) return false;
  if (type === "aws_vpc") return before?.assign_generated_ipv6_cidr_block === true && after?.assign_generated_ipv6_cidr_block !== true;
  if (type === "aws_subnet") return Boolean(before?.ipv6_cidr_block) && !after?.ipv6_cidr_block;
  return false;
}

/** Whether the plan takes IPv6 off an endpoint service that supports it. */
function dropsIpv6(plan: PlanJson): boolean {
  const types = (v: Readonly<Record<string, unknown>> | null | undefined) => (v?.supported_ip_address_types ?? []) as readonly string[];
  return (plan.resource_changes ?? []).some(
    (rc) =>
      (rc.type ?? rc.address.split(".")[0]) === "aws_vpc_endpoint_service" &&
      rc.change.actions.includes("update") &&
      types(rc.change.before).includes("ipv6") &&
      !types(rc.change.after).includes("ipv6"),
  );
}

/** Counts and risky changes of one saved plan; traffic-bearing ones carry their role. */
export function reviewPlan(plan: PlanJson): { counts: PlanCounts; risky: RiskyChange[]; dropsIpv6: boolean } {
  const counts = { add: 0, change: 0, replace: 0, destroy: 0, outputs: 0 };
  const risky: RiskyChange[] = [];
  const endpointGroups = endpointSecurityGroups(plan);
  for (const rc of plan.resource_changes ?? []) {
    const { actions } = rc.change;
    const traffic = actions.includes("delete") ? trafficRole(rc, endpointGroups) : undefined;
    const role = traffic ? { traffic } : {};
    if (isReplace(actions)) {
      counts.replace++;
      risky.push({ address: rc.address, action: "replace", forcedBy: (rc.change.replace_paths ?? []).map(formatPath), reason: rc.action_reason, ...role });
    } else if (actions.includes("create")) counts.add++;
    else if (actions.includes("update")) {
      counts.change++;
      if (dropsIpv6Block(rc)) risky.push({ address: rc.address, action: "update", forcedBy: [], reason: "removes its IPv6 block", traffic: "IPv6 block" });
    } else if (actions.includes("delete")) {
      counts.destroy++;
      risky.push({ address: rc.address, action: "destroy", forcedBy: [], reason: rc.action_reason, ...role });
    }
  }
  counts.outputs = Object.values(plan.output_changes ?? {}).filter((o) => !o.actions.every((a) => a === "no-op")).length;
  return { counts, risky, dropsIpv6: dropsIpv6(plan) };
}

/** Whether a stack's plan changes anything, outputs included. */
export function hasChanges(counts: PlanCounts): boolean {
  return counts.add + counts.change + counts.replace + counts.destroy + counts.outputs > 0;
}

/** A traffic-bearing change with the stack it is in. */
export interface TrafficChange extends RiskyChange {
  readonly stack: string;
  readonly traffic: TrafficRole;
}

/** Every traffic-bearing deletion and replacement of the reviewed stacks. */
export function trafficChanges(reviews: readonly StackReview[]): TrafficChange[] {
  return reviews.flatMap((r) => r.risky.flatMap((c) => (c.traffic ? [{ ...c, stack: r.stack, traffic: c.traffic }] : [])));
}

/** What the operator allowed: addresses (`STACK:ADDRESS` or a bare `ADDRESS`, in any stack) and whether an outage is accepted. */
export interface Allowance {
  readonly addresses: readonly string[];
  readonly outage: boolean;
}

/**
 * The traffic-bearing changes that deploy must refuse: every one not
 * named with --allow-replace, unless --allow-outage; and always those that
 * cannot apply (a replaced NLB).
 */
export function refusedChanges(changes: readonly TrafficChange[], allow: Allowance): TrafficChange[] {
  return changes.filter((c) => {
    if (trafficRoleSpec(c.traffic).cannotApply) return true;
    if (allow.outage) return false;
    return !allow.addresses.includes(`${c.stack}:${c.address}`) && !allow.addresses.includes(c.address);
  });
}

/** One change as a line, with what forces it. */
function changeLine(c: RiskyChange): string {
  const forced = c.forcedBy.length > 0 ? `, forced by ${c.forcedBy.map((p) => `\`${p}\``).join(", ")}` : "";
  const reason = c.reason ? ` (${c.reason})` : "";
  return `**${c.action}** \`${c.address}\`${forced}${reason}`;
}

/** The refusal deploy prints: each address, why, and how to go ahead; `consequence` says what was not applied. */
export function refusalMessage(refused: readonly TrafficChange[], consequence = "nothing was applied in any stack"): string {
  const lines = refused.map((c) => {
    const how = trafficRoleSpec(c.traffic).cannotApply ? "cannot apply, even with --allow-outage" : `allow with --allow-replace ${c.stack}:${c.address}`;
    const forced = c.forcedBy.length ? `, forced by ${c.forcedBy.join(", ")}` : "";
    return `  - ${c.stack}: ${c.action} ${c.address} (${c.traffic}${forced}; ${how})\n      ${trafficRoleSpec(c.traffic).advice}`;
  });
  const allowable = refused.some((c) => !trafficRoleSpec(c.traffic).cannotApply);
  return [
    `These changes would interrupt the consumers' traffic, so ${consequence}:`,
    ...lines,
    allowable
      ? "To go ahead anyway, name each change with --allow-replace STACK:ADDRESS (repeatable), or accept every one with --allow-outage."
      : "Change the config so that these are not replaced.",
  ].join("\n");
}

/** plans/summary.md. */
export function summaryMarkdown(configFile: string, reviews: readonly StackReview[], retired: readonly string[] = []): string {
  const cell = (n: number | undefined) => (n === undefined ? "" : String(n));
  const rows = reviews.map(
    (r) =>
      `| \`${r.stack}\` | ${r.status}${r.runUrl ? ` ([run](${r.runUrl}))` : ""} | ` +
      `${[r.counts?.add, r.counts?.change, r.counts?.replace, r.counts?.destroy].map(cell).join(" | ")} |`,
  );
  const risky = reviews.filter((r) => r.risky.length > 0);
  const traffic = trafficChanges(reviews);
  const blocked = [...new Set(traffic.filter((c) => trafficRoleSpec(c.traffic).cannotApply).map((c) => c.traffic))];
  const lines = [
    `# Plan review: ${configFile}`,
    "",
    "Written by `npm run plan` from each stack's saved plan (`plans/<stack>.tfplan`, as JSON in `plans/<stack>.json`).",
    "",
    `## ${traffic.length > 0 ? "⚠ " : ""}Changes that interrupt the consumers' traffic`,
    "",
    ...(traffic.length === 0
      ? [`None: nothing that carries it is deleted or replaced (${guardedPhrase()}), and no IPv6 block removed.`, ""]
      : [
          "`npm run deploy` refuses these unless each is named with `--allow-replace STACK:ADDRESS` or `--allow-outage` is given" +
            (blocked.length > 0 ? ` (the ${blocked.join(", ")} changes cannot apply at all, even with \`--allow-outage\`)` : "") +
            ".",
          "",
          ...traffic.flatMap((c) => [`- \`${c.stack}\`: ${changeLine(c)}, the ${c.traffic}.`, `  Instead: ${trafficRoleSpec(c.traffic).advice}`]),
          "",
        ]),
    "| stack | status | add | change | replace | destroy |",
    "|---|---|---|---|---|---|",
    ...rows,
    "",
    "## Replacements and deletions",
    "",
    ...(risky.length === 0 ? ["None."] : risky.flatMap((r) => [`### \`${r.stack}\``, "", ...r.risky.map((c) => `- ${changeLine(c)}`), ""])),
    ...(retired.length > 0 ? ["", "## Stacks retired by deploy", "", ...retired.map((line) => `- ${line}`)] : []),
  ];
  return `${lines.join("\n").trimEnd()}\n`;
}
