import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { withFlags } from "../src/docgen/flags";
import { withTrafficRoles } from "../src/docgen/traffic-roles";
import { LIFECYCLE_FLAGS, usage } from "../src/lifecycle/args";
import { CROSS_REGION_PRIVATELINK_REGIONS } from "../src/config/regions";
import { resolveConfig } from "../src/wiring/load";
import { withEveryOption } from "../src/docgen/diagram";
import { wiringTable, withWiringTable } from "../src/docgen/wiring-table";
import { exampleConfig, type exampleRaw } from "./config-helpers";
import { ROOT } from "./root";

const readme = readFileSync(join(ROOT, "README.md"), "utf8");

describe("the flags of deploy, plan and destroy", () => {
  test("README.md carries the table generated from the lifecycle's own flags (run npm run docs)", () => {
    expect(withFlags(readme)).toBe(readme);
    expect(readme).toContain("| `--allow-outage` | ✓ |  |  |");
  });

  test("each command's usage names exactly its flags", () => {
    expect(usage("plan").split("\n")[0]).toBe("Usage: npm run plan -- [--detailed-exitcode] [--consumer NAME ...] [--parallelism N] [--lock-timeout D]");
    expect(usage("destroy").split("\n")[0]).not.toContain("--allow-outage");
  });

  test("help lists every flag, and no flag the lifecycle does not take", () => {
    const help = readFileSync(join(ROOT, "help"), "utf8");
    const lifecycle = help.slice(help.indexOf("  Lifecycle"), help.indexOf("\n\n", help.indexOf("  Lifecycle")));
    const names = LIFECYCLE_FLAGS.map((f) => f.flag.split(" ")[0]);
    for (const name of names) expect({ name, listed: lifecycle.includes(name) }).toEqual({ name, listed: true });
    const mentioned = [...new Set(lifecycle.match(/--[a-z][a-z-]+/g))];
    expect(mentioned.filter((flag) => !names.includes(flag))).toEqual([]);
  });
});

describe("what the deploy guard protects, written from one table", () => {
  const lifecycle = readFileSync(join(ROOT, "docs/lifecycle.md"), "utf8");

  test("docs/lifecycle.md carries the table generated from the guard's roles (run npm run docs)", () => {
    expect(withTrafficRoles(lifecycle)).toBe(lifecycle);
    expect(lifecycle).toContain("| resource gateway | `aws_vpclattice_resource_gateway` | with `--allow-replace STACK:ADDRESS` or `--allow-outage` |");
    expect(lifecycle).toContain("| load balancer | `aws_lb` of type network | never, even with `--allow-outage` |");
  });

  test("a stale table is found", () => {
    const stale = lifecycle.replace("| listener | `aws_lb_listener` |", "| listener | `aws_alb_listener` |");
    expect(stale).not.toBe(lifecycle);
    expect(withTrafficRoles(stale)).toBe(lifecycle);
  });

  test("deploy's usage and the review sheet name the shared resources' parts too", () => {
    const deploy = usage("deploy").replace(/\s+/g, " ");
    expect(deploy).toContain(
      "deleting or replacing the NLB, a listener, the endpoint service, an interface endpoint, a connection accepter, an endpoint's security group, " +
        "a shared resource's gateway, its configuration, its endpoint or a VPC or subnet (replacing one) interrupts the consumers' traffic",
    );
    expect(deploy).toContain("(a replaced NLB, a replaced VPC or subnet or a removed IPv6 block never applies");
  });

  test("help and README point at the table instead of keeping a list of their own", () => {
    const help = readFileSync(join(ROOT, "help"), "utf8");
    for (const text of [help, readme]) {
      expect(text).toContain("docs/lifecycle.md");
      expect(text).not.toMatch(/endpoint service, an? interface endpoint/);
    }
  });
});

describe("the user's docs speak of the user's machines", () => {
  test("README, help and docs/ never say \"these machines\" (they are the reader's, not this project's CI)", () => {
    const pages = ["README.md", "help", ...readdirSync(join(ROOT, "docs")).map((f) => `docs/${f}`)];
    const saying = pages.filter((page) => /these machines/i.test(readFileSync(join(ROOT, page), "utf8")));
    expect(pages).toContain("docs/verification.md");
    expect(saying).toEqual([]);
  });
});

describe("the wiring tables, written from the contract", () => {
  const everyOption = () => {
    const raw = JSON.parse(readFileSync(join(ROOT, "config/example.json"), "utf8"));
    return resolveConfig(withEveryOption(raw), "config/example.json with every option");
  };

  test.each(["README.md", "docs/wiring.md"])("%s carries the table of every hop (run npm run docs)", (page) => {
    const text = readFileSync(join(ROOT, page), "utf8");
    expect(withWiringTable(text, wiringTable(everyOption()))).toBe(text);
    // Every hop a topology can have, as a user reads them.
    for (const row of [
      "| `provider.service_name` | `consumer-<name>` | `com.amazonaws.vpce.<region>.vpce-svc-<hex>` |",
      "| `provider.service_availability_zone_ids` | `consumer-<name>` (not with `azLookup` or cross-region) |",
      "| `provider.resource_configuration_arns` | `consumer-<name>` (with `resources`) |",
      "| `provider.resource_share_arns` | `consumer-<name>` (with `resources`, outside the provider's organization) |",
      "| `provider.service_id` | `acceptance-<name>` (with `acceptanceRequired`, the default) | `vpce-svc-<hex>` |",
      "| `consumer-<name>.endpoint_id` | `acceptance-<name>` (with `acceptanceRequired`, the default) | `vpce-<hex>` |",
      "| `consumer-<name>.endpoint_id` | `private-dns-<name>` (with `privateDns`) | `vpce-<hex>` |",
    ]) {
      expect(text).toContain(row);
    }
  });

  test("a stale table is found and rewritten; a page without the markers is an error", () => {
    const text = readFileSync(join(ROOT, "docs/wiring.md"), "utf8");
    const stale = text.replace(/^\| `provider.resource_share_arns`.*\n/m, "");
    expect(stale).not.toBe(text);
    expect(withWiringTable(stale, wiringTable(everyOption()))).toBe(text);
    expect(() => withWiringTable("# no markers\n", "| x |")).toThrow("Markers <!-- wiring:start (npm run docs) --> and <!-- wiring:end --> not found.");
  });
});

/** AZ ids of each region name its zones with AWS's prefix for the region. */
const AZ_PREFIX: Record<string, string> = {
  "us-east-1": "use1",
  "us-east-2": "use2",
  "us-west-2": "usw2",
  "eu-west-1": "euw1",
  "eu-central-1": "euc1",
  "ap-southeast-1": "apse1",
  "ap-southeast-2": "apse2",
  "ap-northeast-1": "apne1",
  "sa-east-1": "sae1",
};

/** A consumer of the example moved to another region, in two of its AZs, without the lookup a cross-region consumer cannot use. */
function inRegion(consumer: ReturnType<typeof exampleRaw>["consumers"][number], region: string): void {
  consumer.account.region = region;
  consumer.network.azIds = [`${AZ_PREFIX[region]}-az1`, `${AZ_PREFIX[region]}-az2`];
  consumer.azLookup = false;
}

describe("facts the docs state agree with the code", () => {
  const docPage = (page: string) => readFileSync(join(ROOT, page), "utf8").replace(/\s+/g, " ");

  test("docs/options.md lists the regions the validator takes for a cross-region consumer", () => {
    const listed = docPage("docs/options.md").match(/when both regions offer it: ([a-z0-9-, ]+) and ([a-z0-9-]+) \(/);
    expect(listed).not.toBeNull();
    const regions = [...(listed?.[1].split(", ") ?? []), listed?.[2]];
    // The provider is in us-east-1; a consumer in each listed region is taken, and one in a region not listed is not.
    const accepted = (region: string) => {
      try {
        return exampleConfig((raw) => inRegion(raw.consumers[1], region)).consumers[1].account.region === region;
      } catch {
        return false;
      }
    };
    for (const region of regions) expect({ region, accepted: accepted(region as string) }).toEqual({ region, accepted: true });
    expect(accepted("eu-central-1")).toBe(false);
    expect(regions.sort()).toEqual([...CROSS_REGION_PRIVATELINK_REGIONS].sort());
  });

  test("docs/configuration.md does not tie a consumer to the provider's region or to an account of its own", () => {
    const rules = docPage("docs/configuration.md");
    expect(rules).toContain("a consumer in another region only where both regions offer cross-region PrivateLink");
    expect(rules).toContain("several consumers may share an account and region");
    expect(rules).not.toContain("each consumer in the provider's region");
    expect(rules).not.toContain("used by one consumer only");
    // What the docs say, the validator does: both are valid.
    expect(exampleConfig((raw) => inRegion(raw.consumers[1], "us-west-2")).consumers[1].account.region).toBe("us-west-2");
    expect(exampleConfig((raw) => (raw.consumers[1].account = { ...raw.consumers[0].account })).consumers[1].account.id).toBe("222222222222");
  });
});

describe("README.md", () => {
  test("reads in ten minutes: at most 350 lines, the details in docs/", () => {
    expect(readme.split("\n").length).toBeLessThanOrEqual(350);
  });

  test("every relative link of README.md and docs/ leads to a file that exists", () => {
    const docs = readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md"));
    expect(docs.length).toBeGreaterThan(5);
    const pages = ["README.md", ...docs.map((f) => `docs/${f}`), "emulator/README.md"];
    for (const page of pages) {
      const text = readFileSync(join(ROOT, page), "utf8");
      for (const [, target] of text.matchAll(/\]\(((?!https?:|#)[^)#\s]+)(?:#[^)]*)?\)/g)) {
        const path = join(ROOT, dirname(page), target);
        expect({ page, target, exists: existsSync(path) }).toEqual({ page, target, exists: true });
      }
    }
  });
});
