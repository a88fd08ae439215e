import { TerraformStack, Testing } from "cdktf";
import type { PrivateLinkStacks } from "../src/app";
import { wiringPlan } from "../src/wiring/contract";
import { WireError, outputsOf, wireVariables } from "../src/wiring/wire";
import { buildExample, exampleConfig, parsed, type RawConfig } from "./helpers";

const providerOutputs = {
  service_name: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
  service_id: "vpce-svc-0123456789abcdef0",
  service_availability_zone_ids: ["use1-az1", "use1-az2"],
  service_availability_zones: ["us-east-1a", "us-east-1b"],
};

describe("the wiring contract", () => {
  const config = exampleConfig();
  const stacks = buildExample(config);
  const all = [stacks.provider, ...stacks.consumers, ...stacks.acceptance, ...stacks.bootstrap, ...stacks.privateDns];
  const byName = new Map(all.map((s) => [s.node.id, parsed(Testing.synth(s))]));

  test("each variable a stack declares is fed by a hop, and each hop's output exists in its producer", () => {
    const plan = wiringPlan(config);
    for (const [name, json] of byName) {
      const declared = Object.keys(json.variable ?? {}).sort();
      const fed = plan
        .filter((h) => h.stack === name)
        .map((h) => h.value.name)
        .sort();
      expect({ name, declared }).toEqual({ name, declared: fed });
    }
    for (const hop of plan) {
      expect(Object.keys(byName.get(hop.fromStack)?.output ?? {})).toContain(hop.value.name);
    }
  });

  test("the provider feeds the consumer, and provider plus consumer feed the acceptance stack", () => {
    expect(wiringPlan(config).map((h) => `${h.fromStack}.${h.value.name} -> ${h.stack}`)).toEqual([
      "provider.service_name -> consumer-analytics",
      "provider.service_availability_zone_ids -> consumer-analytics",
      "provider.service_id -> acceptance-analytics",
      "consumer-analytics.endpoint_id -> acceptance-analytics",
      // reporting looks the service's AZs up itself (azLookup), so it takes no AZ ids.
      "provider.service_name -> consumer-reporting",
      "provider.service_id -> acceptance-reporting",
      "consumer-reporting.endpoint_id -> acceptance-reporting",
    ]);
  });

  // The provider's outputs in the example, which has connection notifications on (hence the topic).
  const providerOutputs = [
    "notification_topic_arn",
    "served_stacks",
    "service_availability_zone_ids",
    "service_availability_zones",
    "service_id",
    "service_name",
  ];

  test("outputs are the names users wire and read, so renaming one breaks this test, not a deploy", () => {
    expect(Object.keys(byName.get("provider")?.output ?? {}).sort()).toEqual(providerOutputs);
    expect(Object.keys(byName.get("consumer-analytics")?.output ?? {}).sort()).toEqual(["client_instance_id", "endpoint_dns_names", "endpoint_id"]);
  });

  test("optional outputs appear when their option is on, under the contract's names", () => {
    const config = exampleConfig((raw) => {
      raw.provider.service.alarms = {};
      raw.consumers[0].alarms = {};
    });
    const stacks = buildExample(config);
    const provider = Object.keys(parsed(Testing.synth(stacks.provider)).output);
    const consumer = Object.keys(parsed(Testing.synth(stacks.consumers[0])).output);
    expect(provider.sort()).toEqual(["alarm_topic_arn", ...providerOutputs]);
    expect(consumer.sort()).toEqual(["alarm_topic_arn", "client_instance_id", "endpoint_dns_names", "endpoint_id"]);
  });

  test("in variables mode no stack reads another's state", () => {
    for (const json of byName.values()) expect(json.data?.terraform_remote_state).toBeUndefined();
  });

  test("every state key is unique", () => {
    const keys = [...byName.values()].map((json) => json.terraform.backend?.s3?.key).filter(Boolean);
    expect(keys.length).toBeGreaterThanOrEqual(3);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

/**
 * Runs cdktf's own cross-stack reference pass (which AccountStack skips in
 * synth) over every stack, and returns the implicit cross-stack outputs and
 * remote-state inputs it created.
 */
function implicitCrossStackReferences(stacks: PrivateLinkStacks): string[] {
  const all = [stacks.provider, ...stacks.consumers, ...stacks.acceptance, ...stacks.bootstrap, ...stacks.privateDns];
  for (const stack of all) TerraformStack.prototype.prepareStack.call(stack);
  return all.flatMap((stack) => {
    const json = parsed(Testing.synth(stack));
    const outputs = Object.keys(json.output ?? {}).filter((name) => name.startsWith("cross-stack-output"));
    const inputs = Object.keys(json.data?.terraform_remote_state ?? {}).filter((name) => name.startsWith("cross-stack-reference-input"));
    return [...outputs, ...inputs].map((name) => `${stack.node.id}: ${name}`);
  });
}

describe("stacks are self-contained", () => {
  // AccountStack skips cdktf's cross-stack reference pass in synth; this keeps that safe.
  test.each([
    ["the example", (_raw: RawConfig) => undefined],
    ["remote-state wiring", (raw: RawConfig) => (raw.wiring = { mode: "remote-state", stateReaders: ["arn:aws:iam::444444444444:role/ci"] })],
    ["a private DNS name", (raw: RawConfig) => (raw.provider.service.privateDns = { name: "api.internal.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" })],
    [
      "public subnets and more endpoints",
      (raw: RawConfig) =>
        Object.assign(raw.provider.network, {
          publicSubnets: true,
          awsEndpoints: [{ service: "kms" }, { service: "s3", privateDnsOnlyForInboundResolverEndpoint: false }],
        }),
    ],
    ["no acceptance", (raw: RawConfig) => (raw.provider.service.acceptanceRequired = false)],
  ])("with %s, cdktf finds no implicit cross-stack reference", (_name, mutate) => {
    expect(implicitCrossStackReferences(buildExample(exampleConfig(mutate)))).toEqual([]);
  });

  test("the check finds a token used across stacks", () => {
    const stacks = buildExample();
    stacks.consumers[0].endpoint.endpoint.addOverride("tags.Leak", stacks.provider.service.endpointService.id);
    expect(implicitCrossStackReferences(stacks)).toEqual([
      expect.stringMatching(/^provider: cross-stack-output-/),
      expect.stringMatching(/^consumer-analytics: cross-stack-reference-input-provider/),
    ]);
  });
});

describe("wire", () => {
  const config = exampleConfig();

  test("reads cdktf's outputs file and returns the consumer's variables", () => {
    expect(wireVariables(config, "provider", "consumer-analytics", outputsOf("provider", { provider: providerOutputs }))).toEqual({
      service_name: providerOutputs.service_name,
      service_availability_zone_ids: ["use1-az1", "use1-az2"],
    });
  });

  test("reads terraform output -json", () => {
    const tf = Object.fromEntries(Object.entries(providerOutputs).map(([k, value]) => [k, { value, type: "string", sensitive: false }]));
    expect(wireVariables(config, "provider", "acceptance-analytics", outputsOf("provider", tf))).toEqual({ service_id: "vpce-svc-0123456789abcdef0" });
  });

  test("accepts the emulator's short service ids", () => {
    const outputs = { ...providerOutputs, service_name: "com.amazonaws.vpce.us-east-1.vpce-svc-3d6484a5" };
    expect(wireVariables(config, "provider", "consumer-analytics", outputs).service_name).toBe(outputs.service_name);
  });

  test("names every missing output", () => {
    expect(() => wireVariables(config, "provider", "consumer-analytics", { service_id: "vpce-svc-1" })).toThrow(
      /output service_name is missing from provider's outputs; deploy provider first[\s\S]*output service_availability_zone_ids is missing/,
    );
  });

  test("rejects a malformed value with the variable's own message", () => {
    expect(() => wireVariables(config, "provider", "consumer-analytics", { ...providerOutputs, service_name: "vpce-svc-123" })).toThrow(
      /output service_name = "vpce-svc-123": service_name must look like/,
    );
    expect(() => wireVariables(config, "provider", "consumer-analytics", { ...providerOutputs, service_availability_zone_ids: [] })).toThrow(WireError);
  });

  test("rejects a hop the contract does not have", () => {
    expect(() => wireVariables(config, "consumer-analytics", "provider", {})).toThrow(
      /Stack provider takes no values from consumer-analytics\. The hops of this config are: provider -> consumer-analytics/,
    );
  });

  test("rejects an outputs document that is not an object", () => {
    expect(() => outputsOf("provider", [])).toThrow(/must be a JSON object/);
  });
});
