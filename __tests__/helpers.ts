// Types of cdktf's jest matchers (toHaveResource, ...); setup.js installs them.
import "cdktf/lib/testing/adapters/jest";
import { TerraformDataSource, type TerraformResource, Testing } from "cdktf";
import { type PrivateLinkStacks, buildStacks } from "../src/app";
import type { PrivateLinkConfig } from "../src/config/types";
import { type Block, exampleConfig } from "./config-helpers";

// The stack helpers; the config helpers (config-helpers.ts) are re-exported, so a suite that builds stacks imports one module.
export { type Block, type RawConfig, created, exampleConfig, exampleRaw, problemsOf, useCloud } from "./config-helpers";
export { ROOT } from "./root";

/** Builds every stack of a config in a fresh test app. */
export function buildExample(config: PrivateLinkConfig = exampleConfig()): PrivateLinkStacks {
  return buildStacks(Testing.app(), config);
}

/** A synthesized stack: blocks by kind, then by type, then by name; absent kinds are empty. */
export interface SynthJson {
  readonly terraform: Block;
  readonly provider: Record<string, Block[]>;
  readonly resource: Record<string, Record<string, Block>>;
  readonly data: Record<string, Record<string, Block>>;
  readonly variable: Record<string, Block>;
  readonly output: Record<string, Block>;
  readonly locals: Block;
}

/** Synthesized JSON of a stack, parsed. */
export function parsed(synth: string): SynthJson {
  const json = JSON.parse(synth) as Partial<SynthJson>;
  return { provider: {}, resource: {}, data: {}, variable: {}, output: {}, locals: {}, ...json, terraform: json.terraform ?? {} };
}

/** How many blocks of each type a stack has: `aws_vpc: 1`, `data.aws_ami: 1`, … */
export function inventory(json: SynthJson): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [type, blocks] of Object.entries(json.resource)) counts[type] = Object.keys(blocks).length;
  for (const [type, blocks] of Object.entries(json.data)) counts[`data.${type}`] = Object.keys(blocks).length;
  return counts;
}

/**
 * How Terraform JSON refers to an attribute of a block, e.g.
 * `aws_subnet.network_private-use1-az1_1A2B3C4D.id`: built from the
 * construct, so no test spells out (or pattern-matches) a hashed logical id.
 */
export function refTo(block: TerraformResource | TerraformDataSource, attribute: string): string {
  const kind = block instanceof TerraformDataSource ? "data." : "";
  return `${kind}${block.terraformResourceType}.${block.friendlyUniqueId}.${attribute}`;
}
