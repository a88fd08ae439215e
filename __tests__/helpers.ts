// Types of cdktf's jest matchers (toHaveResource, ...); setup.js installs them.
import "cdktf/lib/testing/adapters/jest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TerraformDataSource, type TerraformResource, Testing } from "cdktf";
import { type PrivateLinkStacks, buildStacks } from "../src/app";
import { validateConfig } from "../src/config/validate";
import type { CreatedNetworkConfig, NetworkConfig, PrivateLinkConfig } from "../src/config/types";

export const ROOT = join(__dirname, "..");

/** A config as JSON, before validation: tests write wrong values into it on purpose. */
export type RawConfig = Block;

/**
 * Puts a raw config on the cloud backend: `backend` as given, and each
 * account's run role, which the cloud backend needs (dynamic credentials).
 */
export function useCloud(raw: RawConfig, backend: RawConfig = { type: "cloud", organization: "acme" }): void {
  raw.backend = backend;
  for (const account of [raw.provider.account, ...raw.consumers.map((c: RawConfig) => c.account)]) {
    account.runRoleArn = `arn:aws:iam::${account.id}:role/terraform-cloud`;
  }
}

/** A fresh, mutable copy of config/example.json. */
export function exampleRaw(): RawConfig {
  return JSON.parse(readFileSync(join(ROOT, "config/example.json"), "utf8"));
}

export function exampleConfig(mutate?: (raw: ReturnType<typeof exampleRaw>) => void): PrivateLinkConfig {
  const raw = exampleRaw();
  mutate?.(raw);
  return validateConfig(raw, "example");
}

/** Builds every stack of a config in a fresh test app. */
export function buildExample(config: PrivateLinkConfig = exampleConfig()): PrivateLinkStacks {
  return buildStacks(Testing.app(), config);
}

/**
 * One block of synthesized Terraform JSON. Its attributes are free-form, so
 * tests index into them and assert on the values they find.
 */
// biome-ignore lint/suspicious/noExplicitAny: Terraform JSON has no fixed shape; every use is an assertion on the value.
export type Block = Record<string, any>;

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

/** The config problems a raw config produces, as "path: message" lines. */
export function problemsOf(mutate: (raw: ReturnType<typeof exampleRaw>) => void): string {
  try {
    exampleConfig(mutate);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected the config to be rejected");
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

/** A network the stack creates; fails the test for an existing VPC. */
export function created(network: NetworkConfig): CreatedNetworkConfig {
  if (network.kind !== "created") throw new Error(`expected a VPC the stack creates, got existing ${network.vpcId}`);
  return network;
}
