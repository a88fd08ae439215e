import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_PARALLELISM, parseLifecycleArgs, resumeHint } from "../src/lifecycle/args";
import { reviewPlan, summaryMarkdown } from "../src/lifecycle/review";
import { type Outcome, exitCode } from "../src/lifecycle/outcome";
import { schedule } from "../src/lifecycle/scheduler";
import { applyArgs, completeLineOf, errorLineOf, planArgs, runUrlOf, wiredArgs, wiredFor } from "../src/lifecycle/terraform";
import { selectStacks } from "../src/lifecycle/topology";
import { stackGraph } from "../src/wiring/stack-graph";
import { mergeVarFile, readJsonFile } from "../src/wiring/var-file";
import { App } from "cdktf";
import { buildStacks } from "../src/app";
import { exampleConfig, useCloud } from "./config-helpers";

describe("topology: the order of the stacks", () => {
  const config = exampleConfig();
  const nodes = stackGraph(config);
  const byName = new Map(nodes.map((n) => [n.name, n]));

  test("bootstrap stacks, provider, then each consumer and its acceptance", () => {
    expect(nodes.map((n) => n.name)).toEqual([
      "bootstrap-provider",
      "bootstrap-analytics",
      "bootstrap-reporting",
      "provider",
      "consumer-analytics",
      "acceptance-analytics",
      "consumer-reporting",
      "acceptance-reporting",
    ]);
    expect(byName.get("provider")?.after).toEqual(["bootstrap-provider"]);
    expect(byName.get("consumer-analytics")?.after).toEqual(["provider", "bootstrap-analytics"]);
    expect(byName.get("acceptance-analytics")?.after).toEqual(["consumer-analytics"]);
    // Where each keeps its state: the acceptance stack in the provider account's bucket.
    expect(["provider", "consumer-analytics", "acceptance-analytics", "bootstrap-provider"].map((n) => byName.get(n)?.stateFrom)).toEqual([
      "bootstrap-provider",
      "bootstrap-analytics",
      "bootstrap-provider",
      undefined,
    ]);
  });

  test("each stack knows its account and consumer, from the config (not from its name)", () => {
    expect(nodes.map((n) => [n.name, n.kind, n.account.id, n.consumer])).toEqual([
      ["bootstrap-provider", "bootstrap", "111111111111", undefined],
      ["bootstrap-analytics", "bootstrap", "222222222222", undefined],
      ["bootstrap-reporting", "bootstrap", "333333333333", undefined],
      ["provider", "provider", "111111111111", undefined],
      ["consumer-analytics", "consumer", "222222222222", "analytics"],
      // The provider accepts: its account.
      ["acceptance-analytics", "acceptance", "111111111111", "analytics"],
      ["consumer-reporting", "consumer", "333333333333", "reporting"],
      ["acceptance-reporting", "acceptance", "111111111111", "reporting"],
    ]);
  });

  test("cdktf sees the same order: every stack's synthesized dependencies are its predecessors, so cdktf deploy '*' orders them", () => {
    const outdir = mkdtempSync(join(tmpdir(), "graph-"));
    const app = new App({ outdir });
    buildStacks(app, config);
    app.synth();
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
    const dependencies = Object.fromEntries(
      Object.entries(manifest.stacks as Record<string, { dependencies: string[] }>).map(([name, s]) => [name, s.dependencies]),
    );
    expect(dependencies).toEqual({
      "bootstrap-provider": [],
      "bootstrap-analytics": [],
      "bootstrap-reporting": [],
      provider: ["bootstrap-provider"],
      "consumer-analytics": ["provider", "bootstrap-analytics"],
      "acceptance-analytics": ["consumer-analytics"],
      "consumer-reporting": ["provider", "bootstrap-reporting"],
      "acceptance-reporting": ["consumer-reporting"],
    });
  });

  test("inputs come from the wiring contract", () => {
    expect(byName.get("consumer-analytics")?.inputsFrom).toEqual(["provider"]);
    expect(byName.get("acceptance-analytics")?.inputsFrom).toEqual(["provider", "consumer-analytics"]);
    expect(byName.get("provider")?.inputsFrom).toEqual([]);
  });

  test("private DNS comes after acceptance; remote-state wiring has no variables to feed", () => {
    const dns = stackGraph(exampleConfig((raw) => (raw.provider.service.privateDns = { name: "api.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" })));
    expect(dns.find((n) => n.name === "private-dns-analytics")?.after).toEqual(["acceptance-analytics"]);
    const remote = stackGraph(exampleConfig((raw) => (raw.wiring = { mode: "remote-state", stateReaders: ["arn:aws:iam::444444444444:role/ci"] })));
    expect(remote.every((n) => n.inputsFrom.length === 0)).toBe(true);
    expect(remote.find((n) => n.name === "acceptance-analytics")?.after).toEqual(["consumer-analytics"]);
  });

  test("without acceptance, no acceptance stacks; with the cloud backend, no bootstrap stacks", () => {
    const noAcceptance = stackGraph(exampleConfig((raw) => (raw.provider.service.acceptanceRequired = false)));
    expect(noAcceptance.some((n) => n.kind === "acceptance")).toBe(false);
    const cloud = stackGraph(exampleConfig((raw) => useCloud(raw)));
    expect(cloud.some((n) => n.kind === "bootstrap")).toBe(false);
    expect(cloud.find((n) => n.name === "provider")?.after).toEqual([]);
  });

  test("--consumer selects that consumer's stacks, plus the shared ones it needs except for destroy", () => {
    expect(selectStacks(nodes, ["reporting"], false).map((n) => n.name)).toEqual([
      "bootstrap-provider",
      "bootstrap-reporting",
      "provider",
      "consumer-reporting",
      "acceptance-reporting",
    ]);
    expect(selectStacks(nodes, ["reporting"], true).map((n) => n.name)).toEqual(["consumer-reporting", "acceptance-reporting"]);
    expect(selectStacks(nodes, [], true)).toHaveLength(nodes.length);
  });

  test("an unknown consumer is refused, naming the known ones", () => {
    expect(() => selectStacks(nodes, ["billing"], false)).toThrow("Unknown consumer billing; the config's consumers are analytics, reporting.");
  });
});

describe("lifecycle arguments", () => {
  test("defaults, and every flag", () => {
    expect(parseLifecycleArgs("deploy", [])).toEqual({
      autoApprove: false,
      detailedExitcode: false,
      consumers: [],
      parallelism: DEFAULT_PARALLELISM,
      allowReplace: [],
      allowOutage: false,
      plans: false,
      lockTimeout: "5m",
      help: false,
    });
    expect(parseLifecycleArgs("deploy", ["--auto-approve", "--consumer", "a", "b", "--consumer", "c", "--parallelism", "2"])).toMatchObject({
      autoApprove: true,
      consumers: ["a", "b", "c"],
      parallelism: 2,
    });
    expect(parseLifecycleArgs("plan", ["--detailed-exitcode"]).detailedExitcode).toBe(true);
    expect(
      parseLifecycleArgs("deploy", [
        "--allow-replace",
        "provider:aws_lb_listener.service_listener-443_0A1B2C3D",
        "--allow-replace",
        'aws_instance.x["a"]',
        "--allow-outage",
        "--plans",
        "--lock-timeout",
        "90s",
      ]),
    ).toMatchObject({
      allowReplace: ["provider:aws_lb_listener.service_listener-443_0A1B2C3D", 'aws_instance.x["a"]'],
      allowOutage: true,
      plans: true,
      lockTimeout: "90s",
    });
  });

  test.each([
    ["deploy", ["--parallelism", "0"], /--parallelism needs a whole number of at least 1; got "0"/],
    ["deploy", ["--parallelism"], /--parallelism needs a whole number of at least 1; got nothing/],
    ["deploy", ["--consumer"], /--consumer needs a consumer name/],
    ["plan", ["--auto-approve"], /Unknown option --auto-approve for npm run plan/],
    ["destroy", ["--detailed-exitcode"], /Unknown option --detailed-exitcode for npm run destroy/],
    ["deploy", ["--yes"], /Unknown option --yes/],
    ["deploy", ["--allow-replace"], /--allow-replace needs a resource address as the review sheet prints it \(STACK:ADDRESS\); got nothing/],
    ["deploy", ["--allow-replace", "--allow-outage"], /--allow-replace needs a resource address .* got "--allow-outage"/],
    ["deploy", ["--allow-replace", "provider: x y"], /--allow-replace needs a resource address .* got "provider: x y"/],
    ["plan", ["--allow-outage"], /Unknown option --allow-outage for npm run plan/],
    ["destroy", ["--plans"], /Unknown option --plans for npm run destroy/],
    ["plan", ["--lock-timeout", "5"], /--lock-timeout needs a duration such as 30s, 5m or 1h; got "5"/],
  ] as const)("%s %j is refused with usage", (command, argv, message) => {
    expect(() => parseLifecycleArgs(command, argv)).toThrow(message);
    expect(() => parseLifecycleArgs(command, argv)).toThrow(/Usage: npm run/);
  });

  test("the resume hint names the failed consumers, or the whole run when a shared stack failed", () => {
    expect(resumeHint("deploy", ["reporting"])).toBe("Fix the cause, then resume with: npm run deploy -- --auto-approve --consumer reporting");
    expect(resumeHint("deploy", [undefined, "reporting"])).toMatch(/run npm run deploy -- --auto-approve again/);
  });
});

describe("Terraform command lines", () => {
  test("plans are saved, non-interactive, with Terraform's detailed exit code", () => {
    expect(planArgs("/p/x.tfplan", { varFile: "/v/x.json" })).toEqual([
      "plan",
      "-input=false",
      "-no-color",
      "-detailed-exitcode",
      "-lock-timeout=0s",
      "-var-file=/v/x.json",
      "-out=/p/x.tfplan",
    ]);
    expect(planArgs("/p/x.tfplan", undefined, true, "5m")).toEqual([
      "plan",
      "-input=false",
      "-no-color",
      "-detailed-exitcode",
      "-lock-timeout=5m",
      "-destroy",
      "-out=/p/x.tfplan",
    ]);
    expect(applyArgs("/p/x.tfplan", "5m")).toEqual(["apply", "-input=false", "-no-color", "-lock-timeout=5m", "/p/x.tfplan"]);
  });

  test("S3 state takes a var file; Terraform Cloud takes run variables, lists as HCL", () => {
    const vars = { service_name: "com.amazonaws.vpce.us-east-1.vpce-svc-0abc", service_availability_zone_ids: ["use1-az1", "use1-az2"] };
    expect(wiredFor({ type: "s3" }, "/v/c.json", vars)).toEqual({ varFile: "/v/c.json" });
    const cloud = wiredFor({ type: "cloud", organization: "acme", hostname: "app.terraform.io", workspacePrefix: "p-", workspaces: {} }, "/v/c.json", vars);
    expect(wiredArgs(cloud)).toEqual([
      "-var=service_name=com.amazonaws.vpce.us-east-1.vpce-svc-0abc",
      '-var=service_availability_zone_ids=["use1-az1","use1-az2"]',
    ]);
    expect(wiredFor({ type: "s3" }, "/v/c.json", {})).toBeUndefined();
  });

  test("run URLs, summary lines and errors are read from Terraform's output", () => {
    expect(runUrlOf("To view this run in a browser, visit:\nhttps://app.terraform.io/app/acme/privatelink-provider/runs/run-AbC123\n")).toBe(
      "https://app.terraform.io/app/acme/privatelink-provider/runs/run-AbC123",
    );
    expect(runUrlOf("Plan: 1 to add")).toBeUndefined();
    expect(completeLineOf("...\nApply complete! Resources: 3 added, 0 changed, 0 destroyed.\n")).toBe(
      "Apply complete! Resources: 3 added, 0 changed, 0 destroyed.",
    );
    expect(errorLineOf("│ Error: creating EC2 VPC Endpoint\n│ \n│   with aws_vpc_endpoint.x,\n│ InvalidServiceName: nope\n")).toBe(
      "Error: creating EC2 VPC Endpoint InvalidServiceName: nope",
    );
  });
});

describe("the review sheet", () => {
  const plan = {
    resource_changes: [
      { address: "aws_vpc.a", change: { actions: ["no-op"] } },
      { address: "aws_subnet.b", change: { actions: ["create"] } },
      { address: "aws_security_group.c", change: { actions: ["update"] } },
      {
        address: "aws_instance.d",
        change: { actions: ["delete", "create"], replace_paths: [["ami"], ["tags", "Name"], ["root_block_device", 0, "volume_size"]] },
        action_reason: "replace_because_cannot_update",
      },
      { address: "aws_lb_target_group.e", change: { actions: ["create", "delete"], replace_paths: [["port"]] } },
      { address: "aws_vpc_endpoint_connection_accepter.f", change: { actions: ["delete"] }, action_reason: "delete_because_no_resource_config" },
      { address: "data.aws_ssm_parameter.g", change: { actions: ["read"] } },
    ],
    output_changes: { service_name: { actions: ["no-op"] }, endpoint_id: { actions: ["update"] } },
  };

  test("counts by action, and every replacement and deletion with what forces it", () => {
    const { counts, risky } = reviewPlan(plan);
    expect(counts).toEqual({ add: 1, change: 1, replace: 2, destroy: 1, outputs: 1 });
    expect(risky).toEqual([
      {
        address: "aws_instance.d",
        action: "replace",
        forcedBy: ["ami", "tags.Name", "root_block_device[0].volume_size"],
        reason: "replace_because_cannot_update",
      },
      { address: "aws_lb_target_group.e", action: "replace", forcedBy: ["port"], reason: undefined },
      {
        address: "aws_vpc_endpoint_connection_accepter.f",
        action: "destroy",
        forcedBy: [],
        reason: "delete_because_no_resource_config",
        traffic: "connection accepter",
      },
    ]);
  });

  test("summary.md: a row per stack, waiting stacks included, and the risky changes by stack", () => {
    const { counts, risky } = reviewPlan(plan);
    const md = summaryMarkdown("config/example.json", [
      { stack: "provider", status: "changes", counts, risky },
      { stack: "consumer-analytics", status: "waiting on provider", risky: [] },
    ]);
    expect(md).toContain("| `provider` | changes | 1 | 1 | 2 | 1 |");
    expect(md).toContain("| `consumer-analytics` | waiting on provider |  |  |  |  |");
    expect(md).toContain("- **replace** `aws_instance.d`, forced by `ami`, `tags.Name`, `root_block_device[0].volume_size` (replace_because_cannot_update)");
    expect(md).toContain("- **destroy** `aws_vpc_endpoint_connection_accepter.f` (delete_because_no_resource_config)");
  });

  test("an empty plan has no risky changes", () => {
    expect(summaryMarkdown("c.json", [{ stack: "provider", status: "no changes", counts: reviewPlan({}).counts, risky: [] }])).toContain(
      "## Replacements and deletions\n\nNone.",
    );
  });
});

describe("exit codes from the stacks' outcomes", () => {
  const plain = { detailedExitcode: false, retiring: false };
  const detailed = { detailedExitcode: true, retiring: false };

  test("deploy and destroy succeed only when every stack was applied or had nothing to change", () => {
    expect(exitCode("deploy", ["applied", "unchanged"], plain)).toBe(0);
    for (const outcome of ["waiting", "declined", "failed", "blocked"] as const) {
      expect(exitCode("deploy", ["applied", outcome], plain)).toBe(1);
      expect(exitCode("destroy", [outcome], plain)).toBe(1);
    }
    expect(exitCode("destroy", ["unchanged"], plain)).toBe(0);
  });

  test("plan fails only on a failed plan; with --detailed-exitcode, changes, a waiting stack or a retirement give 2", () => {
    expect(exitCode("plan", ["planned", "waiting"], plain)).toBe(0);
    expect(exitCode("plan", ["planned", "failed"], detailed)).toBe(1);
    expect(exitCode("plan", ["unchanged", "unchanged"], detailed)).toBe(0);
    expect(exitCode("plan", ["unchanged", "planned"], detailed)).toBe(2);
    expect(exitCode("plan", ["unchanged", "waiting"], detailed)).toBe(2);
    expect(exitCode("plan", ["unchanged"], { detailedExitcode: true, retiring: true })).toBe(2);
  });
});

describe("scheduling", () => {
  const tasks = [
    { name: "provider", after: [] },
    { name: "consumer-a", after: ["provider"] },
    { name: "acceptance-a", after: ["consumer-a"] },
    { name: "consumer-b", after: ["provider"] },
    { name: "acceptance-b", after: ["consumer-b"] },
  ];

  test("each task runs after what it follows; a failure holds back only its own later tasks", async () => {
    const order: string[] = [];
    const results = await schedule(
      tasks,
      4,
      async (name) => {
        order.push(name);
        return { outcome: (name === "consumer-a" ? "failed" : "applied") as Outcome, name };
      },
      (name, by) => ({ outcome: "blocked" as Outcome, name: `${name} blocked by ${by}` }),
    );
    expect(order[0]).toBe("provider");
    expect(order).toContain("acceptance-b");
    expect(order).not.toContain("acceptance-a");
    expect(results.get("acceptance-a")?.name).toBe("acceptance-a blocked by consumer-a");
    expect(order.indexOf("acceptance-b")).toBeGreaterThan(order.indexOf("consumer-b"));
  });

  test("independent tasks run in parallel up to the limit, and reverse order flips every dependency", async () => {
    let running = 0;
    let peak = 0;
    const order: string[] = [];
    await schedule(
      tasks,
      2,
      async (name) => {
        running++;
        peak = Math.max(peak, running);
        order.push(name);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return { outcome: "unchanged" as Outcome };
      },
      () => ({ outcome: "blocked" as Outcome }),
      true,
    );
    expect(peak).toBe(2);
    expect(order.at(-1)).toBe("provider");
    expect(order.indexOf("consumer-a")).toBeGreaterThan(order.indexOf("acceptance-a"));
  });
});

describe("var files", () => {
  const dir = mkdtempSync(join(tmpdir(), "varfile-"));

  test("merges into an existing file, which may start with a byte-order mark", () => {
    const file = join(dir, "a.tfvars.json");
    writeFileSync(file, '\uFEFF{"kept": 1, "service_name": "old"}');
    mergeVarFile(file, { service_name: "new" });
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ kept: 1, service_name: "new" });
  });

  test("malformed JSON, a non-object and a directory are refused by name, and left as they are", () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{ nope");
    expect(() => mergeVarFile(bad, { a: 1 })).toThrow(`Var file ${bad} is not valid JSON`);
    expect(readFileSync(bad, "utf8")).toBe("{ nope");
    const list = join(dir, "list.json");
    writeFileSync(list, "[1]");
    expect(() => mergeVarFile(list, { a: 1 })).toThrow(`Var file ${list} must hold a JSON object of variable values`);
    const sub = join(dir, "sub");
    mkdirSync(sub);
    expect(() => readJsonFile(sub, "Var file")).toThrow(`Var file ${sub} is a directory, not a file.`);
  });

  test("a path under a file is a clear error, not a stack trace", () => {
    const file = join(dir, "plain");
    writeFileSync(file, "x");
    expect(() => mergeVarFile(join(file, "v.json"), { a: 1 })).toThrow(/^Cannot write .*plain\/v\.json: /);
  });
});
