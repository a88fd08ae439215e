/**
 * The hashicorp/aws provider Terraform installs offline here: the newest
 * version in a filesystem mirror on this machine (PRIVATELINK_PROVIDER_MIRRORS,
 * space-separated, default /opt/tf-plugins), and the one Terraform CLI
 * config that points at it. Every harness gets both from here:
 * test:terraform and the deploy bench import it, the e2e runs it:
 *
 *   node dist/scripts/verify/provider-mirror.js [--terraformrc <file>]
 *
 * prints "<mirror dir> <version>" (and writes the CLI config), or exits 3
 * when there is no provider.
 */
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface ProviderMirror {
  /** The filesystem mirror directory. */
  readonly dir: string;
  /** The newest hashicorp/aws version it holds for linux_amd64. */
  readonly version: string;
}

const DEFAULT_MIRRORS = "/opt/tf-plugins";

/** Compares dotted versions numerically. */
function byVersion(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** The first mirror with a hashicorp/aws binary, and its newest version; undefined when there is none. */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): ProviderMirror | undefined {
  for (const dir of (env.PRIVATELINK_PROVIDER_MIRRORS || DEFAULT_MIRRORS).split(/\s+/).filter(Boolean)) {
    const versions = join(dir, "registry.terraform.io", "hashicorp", "aws");
    if (!existsSync(versions)) continue;
    const version = readdirSync(versions).sort(byVersion).at(-1);
    const platform = version && join(versions, version, "linux_amd64");
    if (version && platform && existsSync(platform) && readdirSync(platform).some((f) => f.startsWith("terraform-provider-aws_v"))) return { dir, version };
  }
  return undefined;
}

/** The Terraform CLI config that installs hashicorp/aws from `mirror` only. */
export function terraformrc(mirror: ProviderMirror): string {
  return `provider_installation {\n  filesystem_mirror {\n    path    = "${mirror.dir}"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`;
}

/** Writes the CLI config to `file` and points this process's Terraform runs at it. */
export function useProviderMirror(mirror: ProviderMirror, file: string): void {
  writeFileSync(file, terraformrc(mirror));
  process.env.TF_CLI_CONFIG_FILE = file;
}

if (require.main === module) {
  const mirror = findProviderMirror();
  if (!mirror) process.exit(3);
  const at = process.argv.indexOf("--terraformrc");
  if (at >= 0) writeFileSync(process.argv[at + 1], terraformrc(mirror));
  process.stdout.write(`${mirror.dir} ${mirror.version}\n`);
}
