import { Testing } from "cdktf";
import { TfcStack } from "../src/stacks/tfc-stack";
import { blocks } from "./constructs/scope";
import { type Block, buildExample, exampleConfig, parsed, type RawConfig, useCloud } from "./helpers";

const VCS = { identifier: "acme/privatelink", oauthTokenId: "ot-AbCd1234" };

function tfcOf(mutate: (raw: RawConfig) => void = () => undefined) {
  const config = exampleConfig((raw) => {
    useCloud(raw, { type: "cloud", organization: "acme", project: "networking", vcsRepo: VCS });
    mutate(raw);
  });
  return parsed(Testing.synth(new TfcStack(Testing.app(), "tfc", { config })));
}

/** The blocks of one type keyed by construct id (the part of the logical id before cdktf's hash, when any). */
function byId(json: ReturnType<typeof parsed>, type: string): Record<string, Block> {
  return Object.fromEntries(Object.entries(json.resource[type] ?? {}).map(([id, b]) => [id.replace(/_[0-9A-F]{8}$/, ""), b]));
}

describe("npm run tfc: Terraform Cloud as code", () => {
  const json = tfcOf();
  const workspaces = byId(json, "tfe_workspace");

  test("a workspace per stack, named as the stacks' cloud blocks name them, in the project, running in the stack's directory", () => {
    expect(
      Object.values(workspaces)
        .map((w) => w.name)
        .sort(),
    ).toEqual([
      "privatelink-demo-acceptance-analytics",
      "privatelink-demo-acceptance-reporting",
      "privatelink-demo-consumer-analytics",
      "privatelink-demo-consumer-reporting",
      "privatelink-demo-provider",
    ]);
    expect(blocks(json, "tfe_project", "data")).toEqual([expect.objectContaining({ name: "networking", organization: "acme" })]);
    expect(workspaces["workspace-consumer-analytics"]).toMatchObject({
      organization: "acme",
      project_id: "${data.tfe_project.project.id}",
      working_directory: "cdktf.out/stacks/consumer-analytics",
      vcs_repo: { identifier: "acme/privatelink", oauth_token_id: "ot-AbCd1234", branch: "main" },
      trigger_patterns: ["cdktf.out/stacks/consumer-analytics/**/*"],
      auto_apply: false,
    });
    const app = buildExample(exampleConfig((raw) => useCloud(raw)));
    expect(parsed(Testing.synth(app.consumers[0])).terraform.cloud.workspaces.name).toBe("privatelink-demo-consumer-analytics");
  });

  test("remote execution; state shared with no one in variables wiring", () => {
    for (const settings of blocks(json, "tfe_workspace_settings")) {
      expect(settings).toMatchObject({ execution_mode: "remote", global_remote_state: false, remote_state_consumer_ids: [] });
    }
  });

  test("dynamic AWS credentials: each workspace assumes its own account's run role; no static keys", () => {
    const variables = byId(json, "tfe_variable");
    expect(variables["consumer-analytics-TFC_AWS_PROVIDER_AUTH"]).toMatchObject({ category: "env", value: "true" });
    expect(variables["consumer-analytics-TFC_AWS_RUN_ROLE_ARN"]).toMatchObject({ category: "env", value: "arn:aws:iam::222222222222:role/terraform-cloud" });
    expect(variables["acceptance-analytics-TFC_AWS_RUN_ROLE_ARN"].value).toBe("arn:aws:iam::111111111111:role/terraform-cloud");
    const keys = Object.values(variables).map((v) => v.key);
    expect(keys.filter((k) => /AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)/.test(k))).toEqual([]);
  });

  test("run triggers along the stack graph: provider → consumer → acceptance", () => {
    const triggers = Object.keys(byId(json, "tfe_run_trigger")).sort();
    expect(triggers).toEqual([
      "trigger-consumer-analytics-acceptance-analytics",
      "trigger-consumer-reporting-acceptance-reporting",
      "trigger-provider-consumer-analytics",
      "trigger-provider-consumer-reporting",
    ]);
    expect(byId(json, "tfe_run_trigger")["trigger-provider-consumer-analytics"]).toEqual(
      expect.objectContaining({ workspace_id: "${tfe_workspace.workspace-consumer-analytics.id}", sourceable_id: "${tfe_workspace.workspace-provider.id}" }),
    );
  });

  test("variables wiring: each wired value is a Terraform variable of its workspace, read from the producer's outputs (lists as HCL)", () => {
    const variables = byId(json, "tfe_variable");
    expect(variables["consumer-analytics-service_name"]).toMatchObject({
      category: "terraform",
      key: "service_name",
      hcl: false,
      value: expect.stringContaining("data.tfe_outputs.outputs-provider.nonsensitive_values.service_name"),
    });
    expect(variables["consumer-analytics-service_availability_zone_ids"]).toMatchObject({ hcl: true, value: expect.stringContaining("jsonencode(") });
    expect(variables["acceptance-reporting-endpoint_id"].value).toContain("data.tfe_outputs.outputs-consumer-reporting");
    expect(Object.values(variables).filter((v) => v.category === "terraform")).toHaveLength(7);
  });

  test("the private-DNS stacks get workspaces and triggers too", () => {
    const withDns = tfcOf((raw) => (raw.provider.service.privateDns = { name: "api.internal.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" }));
    expect(Object.keys(byId(withDns, "tfe_run_trigger"))).toContain("trigger-acceptance-analytics-private-dns-analytics");
  });

  test("the workspaces' own state is in the <prefix>tfc workspace; without vcsRepo the workspaces are CLI-driven", () => {
    expect(json.terraform.cloud).toEqual({
      organization: "acme",
      hostname: "app.terraform.io",
      workspaces: { name: "privatelink-demo-tfc", project: "networking" },
    });
    const cli = tfcOf((raw) => delete raw.backend.vcsRepo);
    expect(byId(cli, "tfe_workspace")["workspace-provider"].vcs_repo).toBeUndefined();
  });
});

describe("tfe-outputs wiring", () => {
  const tfeOutputs = (raw: RawConfig) => {
    useCloud(raw);
    raw.wiring = { mode: "tfe-outputs" };
  };

  test("each producer shares its state with exactly the workspaces that read it, and no variable is set", () => {
    const json = tfcOf((raw) => (raw.wiring = { mode: "tfe-outputs" }));
    const settings = byId(json, "tfe_workspace_settings");
    expect(settings["settings-provider"].remote_state_consumer_ids).toEqual([
      "${tfe_workspace.workspace-consumer-analytics.id}",
      "${tfe_workspace.workspace-acceptance-analytics.id}",
      "${tfe_workspace.workspace-consumer-reporting.id}",
      "${tfe_workspace.workspace-acceptance-reporting.id}",
    ]);
    expect(settings["settings-consumer-analytics"].remote_state_consumer_ids).toEqual(["${tfe_workspace.workspace-acceptance-analytics.id}"]);
    expect(settings["settings-acceptance-analytics"].remote_state_consumer_ids).toEqual([]);
    expect(Object.values(byId(json, "tfe_variable")).filter((v) => v.category === "terraform")).toEqual([]);
  });

  test("a stack reads its producers' outputs with tfe_outputs, checked by the contract's patterns, and declares no variables", () => {
    const stacks = buildExample(exampleConfig(tfeOutputs));
    const consumer = parsed(Testing.synth(stacks.consumers[0]));
    expect(consumer.data.tfe_outputs["tfe-outputs-provider"]).toMatchObject({ organization: "acme", workspace: "privatelink-demo-provider" });
    expect(consumer.variable).toEqual({});
    const endpoint = blocks(consumer, "aws_vpc_endpoint").find((e) => e.vpc_endpoint_type === "Interface") as Block;
    expect(endpoint.service_name).toBe("${data.tfe_outputs.tfe-outputs-provider.nonsensitive_values.service_name}");
    expect(endpoint.lifecycle.precondition.map((p: Block) => p.error_message)).toContain(
      "service_name must look like com.amazonaws.vpce.<region>.vpce-svc-<hex>; copy the provider stack's service_name output.",
    );
    const acceptance = parsed(Testing.synth(stacks.acceptance[0]));
    expect(Object.keys(acceptance.data.tfe_outputs).sort()).toEqual(["tfe-outputs-consumer-analytics", "tfe-outputs-provider"]);
  });
});
