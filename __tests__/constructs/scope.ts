// Types of cdktf's jest matchers (toHaveResource, ...); setup.js installs them.
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import type { Construct } from "constructs";
import type { CreatedNetworkConfig } from "../../src/config/types";
import { type Block, parsed, type SynthJson } from "../helpers";

/**
 * Builds constructs in a throwaway stack from props written in the test (as
 * aws-cdk's own construct tests do), independent of config/example.json.
 */
export function synthOf(build: (scope: Construct) => void): { synth: string; json: SynthJson } {
  const synth = Testing.synthScope(build);
  return { synth, json: parsed(synth) };
}

/** The blocks of one type in a synthesized scope. */
export function blocks(json: SynthJson, type: string, kind: "resource" | "data" = "resource"): Block[] {
  return Object.values(json[kind][type] ?? {});
}

/** A small resolved network: two AZs, private subnets only, no endpoints, no flow logs. */
export function networkConfig(overrides: Partial<Omit<CreatedNetworkConfig, "kind">> = {}): CreatedNetworkConfig {
  return {
    kind: "created",
    cidr: "10.1.0.0/16",
    azIds: ["use1-az1", "use1-az2"],
    privateSubnetCidrs: ["10.1.0.0/20", "10.1.16.0/20"],
    publicSubnetCidrs: [],
    awsEndpoints: [],
    sessionManager: false,
    ipv6: false,
    ...overrides,
  };
}
