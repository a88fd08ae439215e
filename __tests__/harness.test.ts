import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateConfig } from "../src/config/validate";
import { CONFIG_VARIANTS, configVariant } from "../scripts/verify/config-variants";
import { findProviderMirror, terraformrc } from "../scripts/verify/provider-mirror";

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
