import type { Construct } from "constructs";
import { WiredInputs } from "../../src/constructs/wired-inputs";
import { SERVICE_AZ_IDS, SERVICE_NAME, type WiringHop } from "../../src/wiring/contract";
import { synthOf } from "./scope";

const fromAccount = { id: "123456789012", region: "eu-west-1" };
const hops: WiringHop[] = [
  { stack: "consumer-a", fromStack: "provider", fromAccount, value: SERVICE_NAME },
  { stack: "consumer-a", fromStack: "provider", fromAccount, value: SERVICE_AZ_IDS },
];
const KEY = "arn:aws:kms:eu-west-1:123456789012:alias/terraform-state-state-123456789012";
const stateOf = (stack: string) => ({ bucket: "state-123456789012", key: `p/${stack}.tfstate`, region: "eu-west-1", kmsKeyArn: KEY });

function build(mode: "variables" | "remote-state", readRole?: string, use?: (inputs: WiredInputs) => void) {
  return synthOf((scope: Construct) => {
    const inputs = new WiredInputs(scope, "inputs", { hops, mode, stateOf, readRoleArnOf: () => readRole });
    use?.(inputs);
  });
}

describe("WiredInputs", () => {
  test("variables mode: one non-nullable variable per hop, named as in the contract and validated by its pattern", () => {
    const { json } = build("variables");
    expect(Object.keys(json.variable).sort()).toEqual(["service_availability_zone_ids", "service_name"]);
    expect(json.variable.service_name).toMatchObject({ type: "string", nullable: false });
    expect(json.variable.service_name.validation[0]).toEqual({
      condition: '${can(regex("^com[.]amazonaws[.]vpce[.][a-z0-9-]+[.]vpce-svc-[0-9a-f]+$", var.service_name))}',
      error_message: "service_name must look like com.amazonaws.vpce.<region>.vpce-svc-<hex>; copy the provider stack's service_name output.",
    });
    // The pattern (RE2, here read as a JavaScript RegExp: the syntax it uses is common to both) takes AWS's service names only.
    const serviceName = new RegExp(/regex\("([^"]+)"/.exec(json.variable.service_name.validation[0].condition)?.[1] ?? "");
    expect(["com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", "com.amazonaws.vpce.eu-west-1.vpce-svc-0a1b"].map((n) => serviceName.test(n))).toEqual([
      true,
      true,
    ]);
    expect(["vpce-svc-0123456789abcdef0", "com.amazonaws.us-east-1.s3", "com.amazonaws.vpce.us-east-1.vpce-svc-0123 "].map((n) => serviceName.test(n))).toEqual(
      [false, false, false],
    );
    expect(json.variable.service_availability_zone_ids.type).toBe("list(string)");
    expect(json.variable.service_availability_zone_ids.validation[0].condition).toContain("length(var.service_availability_zone_ids) >= 1");
  });

  test("remote-state mode: one S3 remote state per producer, read with the read-only role; no variables", () => {
    const { json } = build("remote-state", "arn:aws:iam::123456789012:role/reader");
    expect(json.variable).toEqual({});
    expect(json.data.terraform_remote_state["remote-state-provider"]).toEqual({
      backend: "s3",
      config: {
        bucket: "state-123456789012",
        key: "p/provider.tfstate",
        region: "eu-west-1",
        kms_key_id: KEY,
        assume_role: { role_arn: "arn:aws:iam::123456789012:role/reader" },
      },
    });
  });

  test("remote-state mode: the variables' checks become preconditions for the resources that use the values", () => {
    let preconditions: WiredInputs["preconditions"] = [];
    build("remote-state", undefined, (inputs) => {
      preconditions = inputs.preconditions;
    });
    expect(preconditions.map((p) => p.errorMessage)).toEqual([
      "service_name must look like com.amazonaws.vpce.<region>.vpce-svc-<hex>; copy the provider stack's service_name output.",
      "service_availability_zone_ids must be a non-empty list of AZ ids such as use1-az1; copy the provider stack's output.",
    ]);
  });

  test("asking for an input that has no hop into the stack fails at synth, naming the fix", () => {
    expect(() => build("variables", undefined, (inputs) => inputs.string({ ...SERVICE_NAME, name: "endpoint_id" }))).toThrow(
      /has no string input endpoint_id; add the hop to wiringPlan\(\)/,
    );
    expect(() => build("variables", undefined, (inputs) => inputs.list(SERVICE_NAME))).toThrow(/has no list input service_name/);
  });
});
