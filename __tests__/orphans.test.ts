import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OrphanStateError, checkOrphanStates, orphanProbe, retire, retirementLine } from "../src/lifecycle/orphans";
import { stackGraph } from "../src/wiring/stack-graph";
import { exampleConfig, type Block } from "./config-helpers";
import { ROOT } from "./root";

// Removing a consumer from the config must not strand its stacks: plan and
// deploy look for state of stacks the config no longer has and refuse.

describe("the probe", () => {
  test("lists the keys of the project's state files only: no state body is read into its own state", () => {
    const probe: Block = orphanProbe(
      { terraform: { required_providers: { aws: { version: "6.25.0" } } }, provider: { aws: [{ region: "us-east-1" }] } },
      "state-bucket",
      "privatelink/demo/",
    );
    expect(probe.data).toEqual({ aws_s3_objects: { states: { bucket: "state-bucket", prefix: "privatelink/demo/" } } });
    expect(probe.provider).toEqual({ aws: [{ region: "us-east-1" }] });
    expect(probe.output.keys.value).toBe('${[for k in data.aws_s3_objects.states.keys : k if endswith(k, ".tfstate")]}');
  });
});

describe("checkOrphanStates against a stand-in terraform", () => {
  const tmp = mkdtempSync(join(tmpdir(), "orphans-"));
  const config = exampleConfig();
  const outdir = join(tmp, "cdktf.out");
  const buckets: Record<string, string> = {
    "bootstrap-provider": "privatelink-demo-state-111111111111",
    "bootstrap-analytics": "privatelink-demo-state-222222222222",
    "bootstrap-reporting": "privatelink-demo-state-333333333333",
    provider: "privatelink-demo-state-111111111111",
    "consumer-analytics": "privatelink-demo-state-222222222222",
    "consumer-reporting": "privatelink-demo-state-333333333333",
  };
  for (const [name, bucket] of Object.entries(buckets)) {
    mkdirSync(join(outdir, "stacks", name), { recursive: true });
    const backend = name.startsWith("bootstrap-")
      ? { local: { path: "x" } }
      : { s3: { bucket, key: `privatelink/privatelink-demo/${name}.tfstate`, region: "us-east-1" } };
    writeFileSync(
      join(outdir, "stacks", name, "cdk.tf.json"),
      JSON.stringify({ terraform: { required_providers: { aws: { version: "6.25.0" } }, backend }, provider: {} }),
    );
  }
  const calls = join(tmp, "calls");
  const known = stackGraph(config).map((n) => n.name);
  const served = {
    "consumer-analytics": "analytics",
    "acceptance-analytics": "analytics",
    "consumer-reporting": "reporting",
    "acceptance-reporting": "reporting",
  };
  const run = (providerOutputs: Record<string, unknown>, env: Record<string, string>) => {
    rmSync(calls, { force: true });
    Object.assign(process.env, {
      TERRAFORM: join(ROOT, "__tests__/fixtures/fake-terraform.sh"),
      FAKE_TF_CALLS: calls,
      FAKE_TF_OUTPUTS: "",
      FAKE_TF_STATE: "",
      ...env,
    });
    return checkOrphanStates(config, outdir, join(tmp, "work"), known, async () => providerOutputs);
  };
  const called = () => (existsSync(calls) ? readFileSync(calls, "utf8").trim().split("\n") : []);

  test("a consumer the provider was deployed for and the config dropped: its stacks' state is read, and resources in it refuse the run", async () => {
    const error = await run(
      { service_name: "x", served_stacks: { ...served, "consumer-billing": "billing", "acceptance-billing": "billing" } },
      { FAKE_TF_STATE: "aws_vpc_endpoint.endpoint\naws_security_group.sg\n" },
    ).catch((e) => e);
    expect(error).toBeInstanceOf(OrphanStateError);
    expect(error.message).toContain(
      "consumer-billing: 2 resources in s3://privatelink-demo-state-222222222222/privatelink/privatelink-demo/consumer-billing.tfstate",
    );
    expect(error.message).toContain("acceptance-billing: 2 resources in s3://privatelink-demo-state-111111111111/");
    expect(error.message).toContain("Put billing back into the config, run\n  npm run destroy -- --consumer billing");
    expect(error.message).toMatch(/Nothing was changed\.$/);
    // Only the dropped consumer's stacks are read, with state commands only: no apply, no provider run.
    expect(
      called()
        .filter((c) => c.includes(" state list"))
        .every((c) => /^privatelink-demo-state-\d+-(consumer|acceptance|private-dns)-billing /.test(c)),
    ).toBe(true);
    expect(called().some((c) => c.includes(" apply"))).toBe(false);
    const scratch = JSON.parse(readFileSync(join(tmp, "work", "privatelink-demo-state-222222222222-consumer-billing", "main.tf.json"), "utf8"));
    expect(scratch.terraform.backend.s3).toMatchObject({
      bucket: "privatelink-demo-state-222222222222",
      key: "privatelink/privatelink-demo/consumer-billing.tfstate",
    });
  });

  test("no state file at a key (the stack never kept state in that bucket) is nothing; another failure to read it is an error", async () => {
    await expect(run({ served_stacks: { ...served, "consumer-billing": "billing" } }, { FAKE_TF_STATE: "none" })).resolves.toEqual([]);
    await expect(run({ served_stacks: { ...served, "consumer-billing": "billing" } }, { FAKE_TF_STATE: "broken" })).rejects.toThrow(
      /^Cannot read the state of consumer-billing in privatelink-demo-state-\d+: Error: AccessDenied: not allowed/,
    );
  });

  test("emptied state (a consumer destroyed first) is fine", async () => {
    await expect(run({ service_name: "x", served_stacks: { ...served, "consumer-billing": "billing" } }, { FAKE_TF_STATE: "" })).resolves.toEqual([]);
  });

  test("nothing deployed, or every served consumer still in the config: nothing is read", async () => {
    await expect(run({}, { FAKE_TF_STATE: "aws_vpc.a\n" })).resolves.toEqual([]);
    await expect(run({ served_stacks: served }, { FAKE_TF_STATE: "aws_vpc.a\n" })).resolves.toEqual([]);
    expect(called()).toEqual([]);
  });

  test("the provider's state bucket not there yet means nothing is deployed; any other failure to read is an error", async () => {
    const failing = (message: string) => checkOrphanStates(config, outdir, join(tmp, "work"), [], () => Promise.reject(new Error(message)));
    await expect(
      failing('cannot read provider\'s outputs: terraform init failed: Error: Failed to get existing workspaces: S3 bucket "b" does not exist.'),
    ).resolves.toEqual([]);
    await expect(failing("cannot read provider's outputs: AccessDenied")).rejects.toThrow(
      "Cannot look for state of removed stacks: the provider's outputs could not be read: cannot read provider's outputs: AccessDenied",
    );
  });

  test("acceptance turned off: deploy forgets each accepter, which leaves the connection accepted", async () => {
    const off = exampleConfig((raw) => (raw.provider.service.acceptanceRequired = false));
    // Emptied already (a run that retired them stopped before the provider recorded it): nothing to do.
    Object.assign(process.env, { FAKE_TF_STATE: "" });
    const retirements = await checkOrphanStates(
      off,
      outdir,
      join(tmp, "work"),
      stackGraph(off).map((n) => n.name),
      async () => ({ served_stacks: served }),
    );
    expect(retirements.map((r) => [r.stack, r.how, r.bucket])).toEqual([]);
    Object.assign(process.env, { FAKE_TF_STATE: "aws_vpc_endpoint_connection_accepter.accepter\n" });
    const found = await checkOrphanStates(
      off,
      outdir,
      join(tmp, "work"),
      stackGraph(off).map((n) => n.name),
      async () => ({ served_stacks: served }),
    );
    expect(found.map((r) => [r.stack, r.how, r.bucket, r.addresses])).toEqual([
      ["acceptance-analytics", "forget", "privatelink-demo-state-111111111111", ["aws_vpc_endpoint_connection_accepter.accepter"]],
      ["acceptance-reporting", "forget", "privatelink-demo-state-111111111111", ["aws_vpc_endpoint_connection_accepter.accepter"]],
    ]);
    expect(retirementLine(found[0])).toBe(
      "acceptance-analytics: acceptance is off; deploy forgets aws_vpc_endpoint_connection_accepter.accepter instead of destroying it, so the connection stays accepted",
    );
    rmSync(calls, { force: true });
    expect(await retire(found[0], "5m")).toBe("forgot aws_vpc_endpoint_connection_accepter.accepter: the connection stays accepted");
    expect(called()).toEqual([
      "privatelink-demo-state-111111111111-acceptance-analytics state rm -no-color -lock-timeout=5m aws_vpc_endpoint_connection_accepter.accepter",
    ]);
  });

  test("private DNS turned off: deploy destroys each private-DNS stack with its consumer account's provider settings", async () => {
    writeFileSync(
      join(outdir, "stacks", "consumer-analytics", "cdk.tf.json"),
      JSON.stringify({
        terraform: {
          required_providers: { aws: { version: "6.25.0" } },
          backend: { s3: { bucket: buckets["consumer-analytics"], key: "k", region: "us-east-1" } },
        },
        provider: { aws: [{ allowed_account_ids: ["222222222222"], region: "us-east-1" }] },
      }),
    );
    const found = await run(
      { served_stacks: { ...served, "private-dns-analytics": "analytics" } },
      { FAKE_TF_STATE: "aws_vpc_endpoint_private_dns.private-dns\n" },
    );
    expect(found.map((r) => [r.stack, r.how, r.bucket])).toEqual([["private-dns-analytics", "destroy", "privatelink-demo-state-222222222222"]]);
    const scratch = JSON.parse(readFileSync(join(found[0].dir, "main.tf.json"), "utf8"));
    expect(scratch.provider).toEqual({ aws: [{ allowed_account_ids: ["222222222222"], region: "us-east-1" }] });
    expect(scratch.resource).toBeUndefined();
    rmSync(calls, { force: true });
    expect(await retire(found[0], "5m")).toMatch(/^Apply complete! .*: the endpoint's private DNS is off, the endpoint stays$/);
    expect(called()).toEqual(["privatelink-demo-state-222222222222-private-dns-analytics apply -auto-approve -input=false -no-color -lock-timeout=5m"]);
  });

  test("a provider deployed before it recorded its consumers: every bucket's keys are listed, and each unknown one is read", async () => {
    const keys = ["privatelink/privatelink-demo/provider.tfstate", "privatelink/privatelink-demo/consumer-billing.tfstate"];
    const error = await run(
      { service_name: "x" },
      { FAKE_TF_OUTPUTS: JSON.stringify({ keys: { value: keys } }), FAKE_TF_STATE: "aws_vpc.a\naws_subnet.b\n" },
    ).catch((e) => e);
    expect(error).toBeInstanceOf(OrphanStateError);
    expect(error.message).toContain("consumer-billing: 2 resources in s3://privatelink-demo-state-222222222222/");
    // Its consumer is not known from a key: the message says to destroy it with the config that has it.
    expect(error.message).toContain("Destroy consumer-billing with the config that still has it, then change the config.");
    expect(error.message).not.toContain("npm run destroy -- --consumer");
    const probe = JSON.parse(readFileSync(join(tmp, "work", "bootstrap-analytics", "main.tf.json"), "utf8"));
    expect(probe.data.aws_s3_objects.states.bucket).toBe("privatelink-demo-state-222222222222");
    // Known keys (provider) are not read.
    expect(
      called()
        .filter((c) => c.includes(" state list"))
        .every((c) => c.includes("-consumer-billing ")),
    ).toBe(true);
  });

  test("a bucket the probe cannot list because it does not exist holds nothing; any other failure is an error", async () => {
    Object.assign(process.env, { FAKE_TF_APPLY_FAIL: "Error: reading S3 Objects: NoSuchBucket: The specified bucket does not exist" });
    await expect(run({ service_name: "x" }, {})).resolves.toEqual([]);
    Object.assign(process.env, { FAKE_TF_APPLY_FAIL: "Error: reading S3 Objects: AccessDenied: status code: 403" });
    await expect(run({ service_name: "x" }, {})).rejects.toThrow(
      /^Cannot look for state of removed stacks in privatelink-demo-state-\d+: Error: reading S3 Objects: AccessDenied/,
    );
    delete process.env.FAKE_TF_APPLY_FAIL;
  });

  test("the release that recorded stacks without their consumers: a dropped consumer's stacks are still found", async () => {
    const error = await run(
      { service_name: "x", served_stacks: [...Object.keys(served), "consumer-billing"] },
      { FAKE_TF_STATE: "aws_vpc_endpoint.endpoint\n" },
    ).catch((e) => e);
    expect(error).toBeInstanceOf(OrphanStateError);
    expect(error.message).toContain("Destroy consumer-billing with the config that still has it");
  });
});
