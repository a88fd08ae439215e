import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OrphanStateError, checkOrphanStates, consumerOfStack, orphanProbe } from "../src/lifecycle/orphans";
import { ROOT, exampleConfig, type RawConfig, type Block } from "./helpers";

// Removing a consumer from the config must not strand its stacks: plan and
// deploy look for state of stacks the config no longer has and refuse.

describe("the probe", () => {
  test("lists the project's state files and counts resources only in those the config does not have", () => {
    const probe: Block = orphanProbe(
      { terraform: { required_providers: { aws: { version: "6.25.0" } } }, provider: { aws: [{ region: "us-east-1" }] } },
      "state-bucket",
      "privatelink/demo/",
      ["privatelink/demo/provider.tfstate"],
    );
    expect(probe.data.aws_s3_objects.states).toEqual({ bucket: "state-bucket", prefix: "privatelink/demo/" });
    expect(probe.data.aws_s3_object.state.for_each).toContain('!contains(["privatelink/demo/provider.tfstate"], k)');
    expect(probe.provider).toEqual({ aws: [{ region: "us-east-1" }] });
    expect(probe.output.resources.value).toContain("jsondecode(o.body).resources");
  });

  test("stack names map back to their consumer", () => {
    expect(["consumer-billing", "acceptance-billing", "private-dns-billing", "provider", "bootstrap-billing"].map(consumerOfStack)).toEqual([
      "billing",
      "billing",
      "billing",
      undefined,
      undefined,
    ]);
  });
});

describe("checkOrphanStates against a stand-in terraform", () => {
  const tmp = mkdtempSync(join(tmpdir(), "orphans-"));
  const config = exampleConfig();
  const outdir = join(tmp, "cdktf.out");
  for (const name of ["bootstrap-provider", "bootstrap-analytics", "bootstrap-reporting"]) {
    mkdirSync(join(outdir, "stacks", name), { recursive: true });
    writeFileSync(join(outdir, "stacks", name, "cdk.tf.json"), JSON.stringify({ terraform: { required_providers: {} }, provider: {} }));
  }
  const run = (outputs: object) => {
    Object.assign(process.env, {
      TERRAFORM: join(ROOT, "__tests__/fixtures/fake-terraform.sh"),
      FAKE_TF_CALLS: join(tmp, "calls"),
      FAKE_TF_OUTPUTS: JSON.stringify(outputs),
      FAKE_TF_PLAN_CODE: "2",
    });
    return checkOrphanStates(config, outdir, join(tmp, "work"), ["provider", "consumer-analytics"]);
  };

  test("state of a removed consumer that still holds resources is refused, with the way to remove it", async () => {
    const error = await run({
      resources: { value: { "privatelink/privatelink-demo/consumer-billing.tfstate": 16, "privatelink/privatelink-demo/acceptance-billing.tfstate": 0 } },
    }).catch((e) => e);
    expect(error).toBeInstanceOf(OrphanStateError);
    expect(error.orphans.map((o: RawConfig) => o.stack)).toEqual(["consumer-billing", "consumer-billing", "consumer-billing"]);
    expect(error.message).toContain(
      "consumer-billing: 16 resources in s3://privatelink-demo-state-111111111111/privatelink/privatelink-demo/consumer-billing.tfstate",
    );
    expect(error.message).toContain("Put billing back into the config, run\n  npm run destroy -- --consumer billing");
    expect(error.message).toMatch(/Nothing was changed\.$/);
    // Each bucket was probed with its own bootstrap stack's provider settings.
    const probe = JSON.parse(readFileSync(join(tmp, "work", "bootstrap-analytics", "main.tf.json"), "utf8"));
    expect(probe.data.aws_s3_objects.states.bucket).toBe("privatelink-demo-state-222222222222");
  });

  test("emptied state (a consumer destroyed first) is fine", async () => {
    await expect(run({ resources: { value: { "privatelink/privatelink-demo/consumer-billing.tfstate": 0 } } })).resolves.toBeUndefined();
  });
});
