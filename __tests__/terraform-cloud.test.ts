import { Testing } from "cdktf";
import { workspaceVariables } from "../src/wiring/wire";
import { buildExample, exampleConfig, parsed, problemsOf, type RawConfig, useCloud } from "./helpers";

describe("the cloud backend", () => {
  const config = exampleConfig((raw) => {
    useCloud(raw, { type: "cloud", organization: "acme", workspaces: { provider: "net-privatelink-service" } });
    for (const account of [raw.provider.account, ...raw.consumers.map((c: RawConfig) => c.account)]) delete account.state;
  });
  const stacks = buildExample(config);

  test("puts each stack in its own workspace: the configured name or <project>-<stack>", () => {
    expect(parsed(Testing.synth(stacks.provider)).terraform.cloud).toEqual({
      organization: "acme",
      hostname: "app.terraform.io",
      workspaces: { name: "net-privatelink-service" },
    });
    const consumer = parsed(Testing.synth(stacks.consumers[0]));
    expect(consumer.terraform.cloud.workspaces).toEqual({ name: "privatelink-demo-consumer-analytics" });
    expect(consumer.terraform.backend).toBeUndefined();
  });

  test("needs no state buckets, so no bootstrap stacks", () => {
    expect(stacks.bootstrap).toEqual([]);
  });

  test("a workspace prefix and project apply to every stack", () => {
    const prefixed = buildExample(exampleConfig((raw) => useCloud(raw, { type: "cloud", organization: "acme", workspacePrefix: "pl-", project: "Network" })));
    expect(parsed(Testing.synth(prefixed.acceptance[1])).terraform.cloud.workspaces).toEqual({ name: "pl-acceptance-reporting", project: "Network" });
  });
});

describe("backend validation", () => {
  test.each([
    ["an unknown backend type", (r: RawConfig) => (r.backend = { type: "gcs" }), /backend\.type: expected a backend with "type": "s3" or "cloud"; got "gcs"/],
    [
      "a cloud backend without organization",
      (r: RawConfig) => (r.backend = { type: "cloud" }),
      /backend\.organization: missing required field; expected an organization name/,
    ],
    [
      "remote-state wiring with the cloud backend",
      (r: RawConfig) => Object.assign(r, { backend: { type: "cloud", organization: "acme" }, wiring: { mode: "remote-state" } }),
      /wiring\.mode: expected "variables" or "tfe-outputs" with the cloud backend/,
    ],
    [
      "an account without a state bucket on the s3 backend",
      (r: RawConfig) => delete r.consumers[1].account.state,
      /consumers\[1\]\.account\.state: missing required field; expected the account's S3 state bucket/,
    ],
    [
      "a bad workspace name",
      (r: RawConfig) => (r.backend = { type: "cloud", organization: "acme", workspaces: { provider: "has space" } }),
      /backend\.workspaces\.provider: expected a Terraform Cloud workspace name/,
    ],
  ])("rejects %s", (_name, mutate, expected) => {
    expect(problemsOf(mutate)).toMatch(expected);
  });
});

describe("workspace variables for Terraform Cloud", () => {
  test("strings stay plain, lists become HCL, nothing is marked sensitive", () => {
    expect(workspaceVariables({ service_name: "com.amazonaws.vpce.us-east-1.vpce-svc-1", service_availability_zone_ids: ["use1-az1", "use1-az2"] })).toEqual([
      { key: "service_name", value: "com.amazonaws.vpce.us-east-1.vpce-svc-1", category: "terraform", hcl: false, sensitive: false },
      { key: "service_availability_zone_ids", value: '["use1-az1","use1-az2"]', category: "terraform", hcl: true, sensitive: false },
    ]);
  });
});
