import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CreatedNetworkConfig, NetworkConfig, PrivateLinkConfig } from "../src/config/types";
import { resolveConfig } from "../src/wiring/load";
import { ROOT } from "./root";

// Config helpers without the stacks: a suite that only reads or checks config
// imports these, and so never loads cdktf and the provider bindings.

/**
 * One block of JSON: synthesized Terraform or a raw config. Its attributes are
 * free-form, so tests index into them and assert on the values they find.
 */
// biome-ignore lint/suspicious/noExplicitAny: Terraform JSON has no fixed shape; every use is an assertion on the value.
export type Block = Record<string, any>;

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
  return resolveConfig(raw, "example");
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

/** A network the stack creates; fails the test for an existing VPC. */
export function created(network: NetworkConfig): CreatedNetworkConfig {
  if (network.kind !== "created") throw new Error(`expected a VPC the stack creates, got existing ${network.vpcId}`);
  return network;
}
