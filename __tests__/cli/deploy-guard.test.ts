import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../root";
import { runCompiled, scratchProject } from "../sandbox";

// The deploy guard in the lifecycle CLI, against a stand-in terraform.

describe("npm run deploy refuses before applying anything in any stack", () => {
  // The run writes logs/, vars/ and plans/ where it starts: here, never in the checkout.
  const tmp = scratchProject("deploy-guard-");
  const calls = join(tmp, "calls");
  const listenerGone = JSON.stringify({
    resource_changes: [{ address: "aws_lb_listener.service_listener-443_0A1B2C3D", type: "aws_lb_listener", change: { actions: ["delete"] } }],
  });
  const providerOutputs = JSON.stringify({
    service_name: { value: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0" },
    service_id: { value: "vpce-svc-0123456789abcdef0" },
    service_availability_zone_ids: { value: ["use1-az1", "use1-az2"] },
    service_ports: { value: ["8080"] },
    endpoint_id: { value: "vpce-0123456789abcdef0" },
  });
  const deploy = (...flags: string[]) => {
    rmSync(calls, { force: true });
    return runCompiled("src/cli/lifecycle.js", ["deploy", "--auto-approve", ...flags], {
      cwd: tmp,
      env: {
        CDKTF_OUTDIR: join(tmp, "cdktf.out"),
        TERRAFORM: join(ROOT, "__tests__/fixtures/fake-terraform.sh"),
        FAKE_TF_CALLS: calls,
        FAKE_TF_OUTPUTS: providerOutputs,
        FAKE_TF_PLAN_CODE: "2",
        FAKE_TF_SHOW_JSON: listenerGone,
      },
    });
  };
  const applied = () =>
    readFileSync(calls, "utf8")
      .split("\n")
      .filter((c) => / apply -input=false/.test(c));

  test("a plan that deletes a listener stops the run, naming it, and nothing is applied", () => {
    const result = deploy();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("These changes would interrupt the consumers' traffic, so nothing was applied in any stack:");
    expect(result.stderr).toContain("provider: destroy aws_lb_listener.service_listener-443_0A1B2C3D (listener; allow with --allow-replace");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(applied()).toEqual([]);
  });

  test("named with --allow-replace (here the bare address, in every stack), it is applied", () => {
    const result = deploy("--allow-replace", "aws_lb_listener.service_listener-443_0A1B2C3D");
    expect(result.stderr).not.toContain("would interrupt");
    expect(result.status).toBe(0);
    expect(applied().map((c) => c.split(" ")[0])).toContain("provider");
  });
});
