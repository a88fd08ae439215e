/**
 * The configs the Terraform tier checks: the example, and variants that
 * switch on what the example leaves off. A jest test keeps each one valid.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../project-root";

/** A config as JSON, before validation. */
type RawConfig = { [key: string]: unknown } & {
  provider: { service: Record<string, unknown> };
  wiring?: unknown;
  backend?: unknown;
};

export const CONFIG_VARIANTS: Readonly<Record<string, (raw: RawConfig) => void>> = {
  example: () => undefined,
  "private-dns": (raw) => {
    raw.provider.service.privateDns = { name: "api.internal.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" };
  },
  "remote-state": (raw) => {
    raw.wiring = { mode: "remote-state" };
  },
  cloud: (raw) => {
    raw.backend = { type: "cloud", organization: "acme" };
  },
};

/** config/example.json changed by the named variant, asking for `awsProviderVersion` when given. */
export function configVariant(name: string, awsProviderVersion?: string): RawConfig {
  const raw = JSON.parse(readFileSync(join(projectRoot(), "config", "example.json"), "utf8")) as RawConfig;
  const change = CONFIG_VARIANTS[name];
  if (!change) throw new Error(`No config variant ${name}; the variants are ${Object.keys(CONFIG_VARIANTS).join(", ")}.`);
  change(raw);
  if (awsProviderVersion) raw.awsProviderVersion = awsProviderVersion;
  return raw;
}
