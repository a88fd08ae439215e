import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sameStateLocation } from "../src/lifecycle/stack-init";
import { StackSteps, type StepContext } from "../src/lifecycle/steps";
import { stackGraph } from "../src/wiring/stack-graph";
import { exampleConfig } from "./config-helpers";
import { ROOT } from "./root";

// The steps against a stand-in terraform (fixtures/fake-terraform.sh) that
// records its calls and answers as told; the real one runs in npm run test:e2e.
const tmp = mkdtempSync(join(tmpdir(), "lifecycle-steps-"));
const calls = join(tmp, "calls");
const config = exampleConfig();
const nodes = stackGraph(config);
const cwd = process.cwd();

const providerOutputs = JSON.stringify({
  service_name: { value: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0" },
  service_id: { value: "vpce-svc-0123456789abcdef0" },
  service_availability_zone_ids: { value: ["use1-az1", "use1-az2"] },
});

function steps(overrides: Partial<StepContext> = {}, env: Record<string, string> = {}) {
  rmSync(calls, { force: true });
  Object.assign(process.env, {
    TERRAFORM: join(ROOT, "__tests__/fixtures/fake-terraform.sh"),
    FAKE_TF_CALLS: calls,
    FAKE_TF_OUTPUTS: "",
    FAKE_TF_PLAN_CODE: "2",
    FAKE_TF_STATE: "",
    FAKE_TF_SHOW_JSON: "",
    FAKE_TF_INIT_FAIL: "",
    ...env,
  });
  const outdir = join(tmp, "cdktf.out");
  for (const n of nodes) mkdirSync(join(outdir, "stacks", n.name), { recursive: true });
  mkdirSync(join(tmp, "plans"), { recursive: true });
  return new StackSteps({
    config,
    outdir,
    logDir: join(tmp, "logs"),
    plansDir: join(tmp, "plans"),
    nodes: new Map(nodes.map((n) => [n.name, n])),
    note: () => {},
    ...overrides,
  });
}
const called = () => readFileSync(calls, "utf8").trim().split("\n");

beforeAll(() => process.chdir(tmp));
afterAll(() => process.chdir(cwd));

describe("deploy of one stack", () => {
  test("wires the producer's outputs into the var file, plans, checks the plan, and applies exactly that plan", async () => {
    const result = await steps({}, { FAKE_TF_OUTPUTS: providerOutputs }).deploy("consumer-analytics");
    expect(result).toMatchObject({ outcome: "applied", status: "Apply complete! Resources: 1 added, 0 changed, 1 destroyed." });
    const varFile = join(tmp, "vars/consumer-analytics.tfvars.json");
    expect(JSON.parse(readFileSync(varFile, "utf8"))).toEqual({
      service_name: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
      service_availability_zone_ids: ["use1-az1", "use1-az2"],
    });
    const planFile = join(tmp, "cdktf.out/stacks/consumer-analytics/deploy.tfplan");
    expect(called()).toEqual([
      "consumer-analytics init -input=false -no-color",
      "provider init -input=false -no-color",
      "provider output -json -no-color",
      `consumer-analytics plan -input=false -no-color -detailed-exitcode -lock-timeout=0s -var-file=${varFile} -out=${planFile}`,
      `consumer-analytics show -json ${planFile}`,
      `consumer-analytics apply -input=false -no-color -lock-timeout=0s ${planFile}`,
    ]);
  });

  test("a producer without outputs is waited on, not failed, and nothing is planned", async () => {
    const result = await steps().deploy("consumer-analytics");
    expect(result).toMatchObject({ outcome: "waiting", waitingOn: "provider", status: "waiting on provider" });
    expect(called().some((c) => c.includes(" plan "))).toBe(false);
  });

  test("a producer deployed before the config gave it an output this stack takes is waited on, naming the output", async () => {
    const withoutAzs = JSON.stringify({ service_name: JSON.parse(providerOutputs).service_name });
    const result = await steps({}, { FAKE_TF_OUTPUTS: withoutAzs }).deploy("consumer-analytics");
    expect(result).toMatchObject({
      outcome: "waiting",
      waitingOn: "provider",
      status: "waiting on provider (its output service_availability_zone_ids not deployed yet)",
    });
    const planned = await steps({}, { FAKE_TF_OUTPUTS: withoutAzs }).plan("consumer-analytics");
    expect(planned).toMatchObject({
      outcome: "waiting",
      waitingOn: "provider",
      status: "waiting on provider (its output service_availability_zone_ids not deployed yet)",
    });
  });

  test("a provider deployed before the config shared a resource this consumer reaches is waited on, not failed", async () => {
    const shared = exampleConfig((raw) => {
      raw.provider.resources = [{ name: "cache", dnsName: "cache.example.com", ports: [6379] }];
      raw.consumers[1].resources = ["cache"];
    });
    const sharedNodes = new Map(stackGraph(shared).map((n) => [n.name, n]));
    const withoutCache = JSON.stringify({
      ...JSON.parse(providerOutputs),
      resource_configuration_arns: { value: { other: "arn:aws:vpc-lattice:us-east-1:111111111111:resourceconfiguration/rcfg-0123456789abcdef0" } },
      resource_share_arns: { value: { reporting: "arn:aws:ram:us-east-1:111111111111:resource-share/0a1b2c3d-0000-4000-8000-000000000001" } },
    });
    const planned = await steps({ config: shared, nodes: sharedNodes }, { FAKE_TF_OUTPUTS: withoutCache }).plan("consumer-reporting");
    expect(planned).toMatchObject({
      outcome: "waiting",
      waitingOn: "provider",
      status: "waiting on provider (its output resource_configuration_arns not deployed yet)",
    });
  });

  test("a prepared plan is applied as it is while its wired values hold, and planned again when they changed", async () => {
    const first = await steps({}, { FAKE_TF_OUTPUTS: providerOutputs }).plan("consumer-analytics", true);
    expect(first.prepared?.vars).toMatchObject({ service_name: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0" });
    await steps({}, { FAKE_TF_OUTPUTS: providerOutputs }).deploy("consumer-analytics", first.prepared);
    expect(called().filter((c) => c.includes(" plan "))).toEqual([]);
    expect(called().filter((c) => c.includes(" apply "))).toHaveLength(1);
    const moved = providerOutputs.replace("0123456789abcdef0", "0fedcba9876543210");
    await steps({}, { FAKE_TF_OUTPUTS: moved }).deploy("consumer-analytics", first.prepared);
    expect(called().filter((c) => c.includes(" plan "))).toHaveLength(1);
  });

  test("a saved plan (deploy --plans) whose wired values changed since npm run plan is refused as stale, never planned again", async () => {
    const planned = await steps({}, { FAKE_TF_OUTPUTS: providerOutputs }).plan("consumer-analytics");
    expect(planned.outcome).toBe("planned");
    const moved = providerOutputs.replace("0123456789abcdef0", "0fedcba9876543210");
    // npm run plan kept the wired values it planned with beside the plan.
    expect(JSON.parse(readFileSync(join(tmp, "plans/consumer-analytics.vars.json"), "utf8"))).toMatchObject({
      service_name: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
    });
    const saved = steps({ savedPlansOnly: true }, { FAKE_TF_OUTPUTS: moved });
    const result = await saved.deploy("consumer-analytics", saved.savedPlan("consumer-analytics"));
    expect(result.outcome).toBe("failed");
    expect(result.status).toBe("the saved plan is stale: its wired input service_name changed since it was planned; run npm run plan again and review it");
    expect(called().some((c) => c.includes(" plan ") || c.includes(" apply "))).toBe(false);
    const none = steps({ savedPlansOnly: true }, { FAKE_TF_OUTPUTS: providerOutputs });
    expect((await none.deploy("bootstrap-reporting", none.savedPlan("bootstrap-reporting"))).status).toBe(
      "no saved plan in plans/ for this stack; run npm run plan and review it",
    );
  });

  test("an empty plan is not applied", async () => {
    const result = await steps({}, { FAKE_TF_PLAN_CODE: "0" }).deploy("provider");
    expect(result).toMatchObject({ outcome: "unchanged", status: "no changes" });
    expect(called().some((c) => c.startsWith("provider apply"))).toBe(false);
    // Nor exported: an empty plan has nothing to check.
    expect(called().some((c) => c.startsWith("provider show"))).toBe(false);
  });

  test("a failed plan is reported with Terraform's error line", async () => {
    const result = await steps({}, { FAKE_TF_PLAN_CODE: "1" }).deploy("provider");
    expect(result).toMatchObject({ outcome: "failed", status: "Error: creating EC2 VPC Endpoint: InvalidServiceName" });
  });

  test("in a terminal, the plan is shown and applied only after yes", async () => {
    const shown: string[] = [];
    const declined = await steps({
      approve: async (stack, plan) => {
        shown.push(`${stack}: ${plan.trim()}`);
        return false;
      },
    }).deploy("provider");
    expect(declined).toMatchObject({ outcome: "declined", status: "not applied: declined at the prompt" });
    expect(shown).toEqual(["provider: # aws_instance.x must be replaced"]);
    expect(called().some((c) => c.startsWith("provider apply"))).toBe(false);

    const approved = await steps({ approve: async () => true }).deploy("provider");
    expect(approved.outcome).toBe("applied");
    expect(called().some((c) => c.startsWith("provider apply"))).toBe(true);
  });
});

describe("outputs of a producer", () => {
  test("a failed init (its state bucket not made yet) is tried again on the next read, not remembered", async () => {
    const s = steps({}, { FAKE_TF_INIT_FAIL: "1" });
    await expect(s.outputs("provider")).rejects.toThrow(/terraform init failed: Error: Failed to get existing workspaces: S3 bucket "b" does not exist/);
    process.env.FAKE_TF_INIT_FAIL = "";
    process.env.FAKE_TF_OUTPUTS = providerOutputs;
    await expect(s.outputs("provider")).resolves.toMatchObject({ service_id: "vpce-svc-0123456789abcdef0" });
    expect(called().filter((c) => c === "provider init -input=false -no-color")).toHaveLength(2);
  });
});

describe("terraform init", () => {
  test("is skipped in a later run when the stack was initialized for the same backend and providers, and run again when they change", async () => {
    const dir = join(tmp, "cdktf.out/stacks/bootstrap-reporting");
    mkdirSync(join(dir, ".terraform"), { recursive: true });
    const stack = (backend: object) =>
      writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify({ terraform: { backend, required_providers: { aws: { version: "5.100.0" } } } }));
    const inits = () => called().filter((c) => c.startsWith("bootstrap-reporting init"));
    stack({ local: { path: "a.tfstate" } });
    await steps({}, { FAKE_TF_PLAN_CODE: "0" }).plan("bootstrap-reporting");
    expect(inits()).toHaveLength(1);
    await steps({}, { FAKE_TF_PLAN_CODE: "0" }).plan("bootstrap-reporting");
    expect(inits()).toHaveLength(0);
    stack({ s3: { bucket: "b", key: "k", region: "us-east-1" } });
    await steps({}, { FAKE_TF_PLAN_CODE: "0" }).plan("bootstrap-reporting");
    expect(inits()).toHaveLength(1);
    rmSync(join(dir, ".terraform"), { recursive: true, force: true });
  });
});

describe("before the state buckets exist (a first deploy)", () => {
  test("a stack whose bucket is not made yet waits on the bootstrap stack that makes it, in plan and deploy", async () => {
    const planned = await steps({}, { FAKE_TF_INIT_FAIL: "1" }).plan("provider", true);
    expect(planned).toMatchObject({ outcome: "waiting", waitingOn: "bootstrap-provider", status: "waiting on bootstrap-provider (its state bucket)" });
    const deployed = await steps({}, { FAKE_TF_INIT_FAIL: "1" }).deploy("consumer-analytics");
    expect(deployed).toMatchObject({ outcome: "waiting", waitingOn: "bootstrap-analytics" });
  });
});

describe("destroy of one stack", () => {
  test("a stack without state is left alone", async () => {
    expect(await steps().destroy("acceptance-analytics")).toMatchObject({ outcome: "unchanged", status: "nothing to destroy (no state)" });
    expect(called().some((c) => c.includes(" plan "))).toBe(false);
  });

  test("plans the destruction with its wired variables, then applies it", async () => {
    const result = await steps({}, { FAKE_TF_STATE: "aws_vpc_endpoint_connection_accepter.accepter\n", FAKE_TF_OUTPUTS: providerOutputs }).destroy(
      "consumer-analytics",
    );
    expect(result.outcome).toBe("applied");
    expect(called().find((c) => c.startsWith("consumer-analytics plan"))).toMatch(/-destroy -var-file=.*consumer-analytics\.tfvars\.json/);
  });
});

describe("plan of one stack", () => {
  test("saves the plan under plans/, exports its JSON and reviews it", async () => {
    const result = await steps().plan("provider");
    expect(result).toMatchObject({ outcome: "planned", status: "+0 ~0 ±1 -0" });
    expect(result.review?.risky).toEqual([{ address: "aws_instance.x", action: "replace", forcedBy: ["ami"], reason: undefined }]);
    expect(existsSync(join(tmp, "plans/provider.json"))).toBe(true);
    expect(called().some((c) => c.startsWith("provider apply"))).toBe(false);
  });

  test("an empty plan is saved with its wired values but not exported: nothing to review", async () => {
    rmSync(join(tmp, "plans/bootstrap-analytics.json"), { force: true });
    const result = await steps({}, { FAKE_TF_PLAN_CODE: "0" }).plan("bootstrap-analytics");
    expect(result).toMatchObject({ outcome: "unchanged", status: "no changes" });
    expect(existsSync(join(tmp, "plans/bootstrap-analytics.json"))).toBe(false);
    expect(existsSync(join(tmp, "plans/bootstrap-analytics.vars.json"))).toBe(true);
    expect(called().some((c) => c.startsWith("bootstrap-analytics show"))).toBe(false);
  });

  test("a stack whose producer is not deployed is waiting, and the run goes on", async () => {
    const result = await steps().plan("acceptance-analytics");
    expect(result).toMatchObject({ outcome: "waiting", waitingOn: "provider", status: "waiting on provider" });
    expect(result.review?.status).toBe("waiting on provider");
  });
});

describe("a stack whose backend changed", () => {
  const stackDir = (previousPath: string, next: object) => {
    const dir = join(mkdtempSync(join(tmpdir(), "backend-")), "cdktf.out", "stacks", "bootstrap-provider");
    mkdirSync(join(dir, ".terraform"), { recursive: true });
    writeFileSync(join(dir, ".terraform", "terraform.tfstate"), JSON.stringify({ backend: { type: "local", config: { path: previousPath } } }));
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify({ terraform: { backend: next } }));
    return dir;
  };

  test("is re-initialized when only the spelling of its local state path changed", () => {
    const dir = stackDir("/somewhere/terraform.bootstrap-provider.tfstate", { local: { path: "x" } });
    expect(sameStateLocation(dir)).toBe(false);
    const same = stackDir("", { local: { path: "../../../terraform.bootstrap-provider.tfstate" } });
    writeFileSync(
      join(same, ".terraform", "terraform.tfstate"),
      JSON.stringify({ backend: { type: "local", config: { path: join(same, "../../../terraform.bootstrap-provider.tfstate") } } }),
    );
    expect(sameStateLocation(same)).toBe(true);
  });

  test("moved to S3, it is never re-initialized behind the user's back", () => {
    expect(sameStateLocation(stackDir("/x/terraform.tfstate", { s3: { bucket: "b", key: "k" } }))).toBe(false);
  });

  const s3StackDir = (previous: object, next: object) => {
    const dir = join(mkdtempSync(join(tmpdir(), "backend-")), "stack");
    mkdirSync(join(dir, ".terraform"), { recursive: true });
    writeFileSync(join(dir, ".terraform", "terraform.tfstate"), JSON.stringify({ backend: { type: "s3", config: previous } }));
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify({ terraform: { backend: { s3: next } } }));
    return dir;
  };
  const where = { bucket: "state-111111111111", key: "p/provider.tfstate", region: "us-east-1" };

  test("in S3, it is re-initialized when only the encryption changed (the bucket's key came in), the state staying where it was", () => {
    expect(
      sameStateLocation(s3StackDir({ ...where, encrypt: true }, { ...where, encrypt: true, kms_key_id: "arn:aws:kms:us-east-1:111111111111:alias/k" })),
    ).toBe(true);
  });

  test("in S3, a new bucket, key or region is a move of the state, never re-initialized behind the user's back", () => {
    expect(sameStateLocation(s3StackDir(where, { ...where, key: "other.tfstate" }))).toBe(false);
    expect(sameStateLocation(s3StackDir(where, { ...where, bucket: "another-bucket" }))).toBe(false);
    expect(sameStateLocation(s3StackDir(where, { ...where, region: "eu-west-1" }))).toBe(false);
  });
});
