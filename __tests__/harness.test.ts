import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateConfig } from "../src/config/validate";
import { CONFIG_VARIANTS, configVariant } from "../scripts/verify/config-variants";
import { findProviderMirror, terraformrc } from "../scripts/verify/provider-mirror";
import { comparable, jsonDifferences } from "../scripts/verify/test-fork";

describe("the Terraform tier's configs (scripts/verify/config-variants.ts)", () => {
  test.each(Object.keys(CONFIG_VARIANTS))("%s is a valid config, with the mirror's provider version", (name) => {
    expect(validateConfig(configVariant(name, "5.100.0"), name).awsProviderVersion).toBe("5.100.0");
  });
  test("an unknown variant is refused, naming the variants", () => {
    expect(() => configVariant("nope")).toThrow(/No config variant nope; the variants are example, private-dns, remote-state, cloud/);
  });
});

describe("the provider mirror every harness uses (scripts/verify/provider-mirror.ts)", () => {
  const mirror = (versions: Record<string, boolean>): string => {
    const dir = mkdtempSync(join(tmpdir(), "privatelink-mirror-"));
    for (const [version, withBinary] of Object.entries(versions)) {
      const platform = join(dir, "registry.terraform.io", "hashicorp", "aws", version, "linux_amd64");
      mkdirSync(platform, { recursive: true });
      if (withBinary) writeFileSync(join(platform, `terraform-provider-aws_v${version}_x5`), "");
    }
    return dir;
  };

  test("the newest version by number, not by text", () => {
    const dir = mirror({ "5.9.0": true, "5.100.0": true });
    expect(findProviderMirror({ PRIVATELINK_PROVIDER_MIRRORS: dir })).toEqual({ dir, version: "5.100.0" });
  });

  test("none when the newest version has no binary, or no mirror has the provider", () => {
    expect(findProviderMirror({ PRIVATELINK_PROVIDER_MIRRORS: mirror({ "6.0.0": false }) })).toBeUndefined();
    expect(findProviderMirror({ PRIVATELINK_PROVIDER_MIRRORS: join(tmpdir(), "no-such-mirror") })).toBeUndefined();
  });

  test("the CLI config installs hashicorp/aws from that mirror only", () => {
    expect(terraformrc({ dir: "/m", version: "5.100.0" })).toBe(
      'provider_installation {\n  filesystem_mirror {\n    path    = "/m"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n',
    );
  });
});

describe("the fork comparison (scripts/verify/test-fork.ts)", () => {
  const stack = (version: string, extra: Record<string, unknown> = {}) => ({
    "//": { metadata: { version } },
    terraform: { required_providers: { aws: { source: "aws", version } }, required_version: ">= 1.10.0" },
    resource: { aws_vpc: { a: { cidr_block: "10.0.0.0/16", ...extra } } },
  });

  test("allows only the provider pin and the metadata to differ", () => {
    expect(jsonDifferences(comparable(stack("6.25.0")), comparable(stack("6.66.0")))).toEqual([]);
  });

  test("reports any other difference, with its path and both values", () => {
    expect(jsonDifferences(comparable(stack("6.25.0")), comparable(stack("6.66.0", { tags: {} })))).toEqual([
      ".resource.aws_vpc.a.tags: cdktf (absent) | cdktn {}",
    ]);
  });
});
