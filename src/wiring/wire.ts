import type { PrivateLinkConfig } from "../config/types";
import { azIdPrefix } from "../config/regions";
import { RESOURCE_CONFIGURATION_ARNS, RESOURCE_SHARE_ARNS, SERVICE_AZ_IDS, SERVICE_NAME, type WiredValue, wiringPlan } from "./contract";

/** A wiring step that cannot be carried out; the message says what to do. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WireError";
  }
}

/**
 * The outputs of `fromStack`, from any of the shapes the tools write:
 * `cdktf output --outputs-file` (`{ "<stack>": { name: value } }`),
 * `terraform output -json` (`{ name: { value, type, sensitive } }`), or a flat
 * `{ name: value }` object.
 */
export function outputsOf(fromStack: string, document: unknown): Record<string, unknown> {
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    throw new WireError(`The outputs of ${fromStack} must be a JSON object.`);
  }
  const doc = document as Record<string, unknown>;
  const scoped = doc[fromStack];
  const flat = scoped !== null && typeof scoped === "object" && !Array.isArray(scoped) ? (scoped as Record<string, unknown>) : doc;
  return Object.fromEntries(
    Object.entries(flat).map(([name, v]) => {
      const isTerraformShape = v !== null && typeof v === "object" && !Array.isArray(v) && "value" in v;
      return [name, isTerraformShape ? (v as { value: unknown }).value : v];
    }),
  );
}

function matches(value: WiredValue, v: unknown): boolean {
  const re = new RegExp(`^${value.pattern}$`);
  if (value.type === "string") return typeof v === "string" && re.test(v);
  if (value.type === "map") {
    const entries = v !== null && typeof v === "object" && !Array.isArray(v) ? Object.values(v) : [];
    return entries.length > 0 && entries.every((e) => typeof e === "string" && re.test(e));
  }
  return Array.isArray(v) && v.length > 0 && v.every((e) => typeof e === "string" && re.test(e));
}

/**
 * The variables `toStack` takes from `fromStack`, read from `fromStack`'s
 * outputs. Throws `WireError` naming every missing or malformed output.
 */
export function wireVariables(config: PrivateLinkConfig, fromStack: string, toStack: string, outputs: Record<string, unknown>): Record<string, unknown> {
  if (config.wiring.mode !== "variables") {
    const how = config.wiring.mode === "remote-state" ? "state (terraform_remote_state)" : "workspace's outputs (tfe_outputs)";
    throw new WireError(
      `In ${config.wiring.mode} wiring, ${toStack} reads ${fromStack}'s ${how} itself and declares no variables: ` +
        "there is nothing to wire, and a variable set anyway would do nothing.",
    );
  }
  const plan = wiringPlan(config);
  const hops = plan.filter((hop) => hop.stack === toStack && hop.fromStack === fromStack);
  if (hops.length === 0) {
    const known = [...new Set(plan.map((h) => `${h.fromStack} -> ${h.stack}`))].join(", ");
    throw new WireError(`Stack ${toStack} takes no values from ${fromStack}. The hops of this config are: ${known || "none"}.`);
  }
  const problems: string[] = [];
  const vars: Record<string, unknown> = {};
  for (const { value, keys } of hops) {
    const v = outputs[value.name];
    const lacking = (keys ?? []).filter((key) => v === null || typeof v !== "object" || !(key in v));
    if (v === undefined) {
      problems.push(
        `output ${value.name} is missing from ${fromStack}'s outputs; deploy ${fromStack} first (its outputs: ${Object.keys(outputs).join(", ") || "none"})`,
      );
    } else if (!matches(value, v)) {
      problems.push(`output ${value.name} = ${JSON.stringify(v)}: ${value.errorMessage}`);
    } else if (lacking.length > 0) {
      problems.push(
        `output ${value.name} = ${JSON.stringify(v)} has no ${lacking.join(", ")}, which ${toStack} reads; deploy ${fromStack} with this config first`,
      );
    } else if (foreignRegion(config, value, v)) {
      problems.push(`output ${value.name} = ${JSON.stringify(v)}: ${foreignRegion(config, value, v)}`);
    } else {
      vars[value.name] = v;
    }
  }
  if (problems.length > 0) throw new WireError(`Cannot wire ${fromStack} -> ${toStack}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  return vars;
}

/** A Terraform Cloud workspace variable, as the API and the UI take it. */
export interface WorkspaceVariable {
  readonly key: string;
  /** Strings as they are; lists and maps as HCL (`["a", "b"]`, `{"k":"v"}`). */
  readonly value: string;
  readonly category: "terraform";
  /** Whether `value` is HCL rather than a plain string. */
  readonly hcl: boolean;
  readonly sensitive: boolean;
}

/** The variables of `wireVariables` as Terraform Cloud workspace variables. None of the wired values is secret. */
export function workspaceVariables(vars: Record<string, unknown>): WorkspaceVariable[] {
  return Object.entries(vars).map(([key, value]) => {
    const isHcl = typeof value !== "string";
    return { key, value: isHcl ? JSON.stringify(value) : (value as string), category: "terraform", hcl: isHcl, sensitive: false };
  });
}

/**
 * Why a well-formed value cannot belong to this config's provider (another
 * region's service or AZs), or undefined. Catches outputs copied from
 * another environment.
 */
function foreignRegion(config: PrivateLinkConfig, value: WiredValue, v: unknown): string | undefined {
  const region = config.provider.account.region;
  if (value.name === SERVICE_NAME.name && typeof v === "string" && !v.startsWith(`com.amazonaws.vpce.${region}.`)) {
    return `expected a service of the provider's region ${region} (com.amazonaws.vpce.${region}.…); is this another environment's output?`;
  }
  const prefix = azIdPrefix(region);
  if (value.name === SERVICE_AZ_IDS.name && prefix && Array.isArray(v) && v.some((id) => typeof id === "string" && !id.startsWith(`${prefix}-`))) {
    return `expected AZ ids of the provider's region ${region} (${prefix}-azN); is this another environment's output?`;
  }
  // RAM shares are regional, and a Resource endpoint takes a resource configuration of its own region.
  if ((value.name === RESOURCE_CONFIGURATION_ARNS.name || value.name === RESOURCE_SHARE_ARNS.name) && v !== null && typeof v === "object") {
    const elsewhere = Object.entries(v).filter(([, arn]) => typeof arn === "string" && arn.split(":")[3] !== region);
    if (elsewhere.length > 0) {
      const named = elsewhere.map(([key, arn]) => `${key}: ${arn}`).join(", ");
      return `expected ARNs of the provider's region ${region}, not ${named}; is this another environment's output?`;
    }
  }
  return undefined;
}
