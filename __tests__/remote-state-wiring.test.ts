import { type TerraformStack, Testing } from "cdktf";
import { buildExample, exampleConfig, parsed, type Block } from "./helpers";

// In remote-state wiring a stack reads its producers' state through the bucket's read-only role.

describe("remote-state wiring reads through a read-only role, never a deployer role", () => {
  const config = exampleConfig((raw) => (raw.wiring = { mode: "remote-state", stateReaders: ["arn:aws:iam::444444444444:role/ci"] }));
  const stacks = buildExample(config);
  const readerOf = (stack: TerraformStack) => {
    const json = parsed(Testing.synth(stack));
    const [role] = Object.values(json.resource?.aws_iam_role ?? {}) as Block[];
    // The role's trust and permission documents, found through the references the role and its policy hold.
    const docs = json.data.aws_iam_policy_document;
    const [policy] = Object.values(json.resource.aws_iam_role_policy) as Block[];
    const referenced = (ref: string) => docs[/aws_iam_policy_document\.([^.]+)\.json/.exec(ref)?.[1] ?? ""];
    return { role, trust: referenced(role.assume_role_policy).statement[0], read: referenced(policy.policy).statement };
  };

  test("the provider's bucket gets a role trusted by the identity Terraform runs as only, reading the provider's state file only", () => {
    const { role, trust, read } = readerOf(stacks.bootstrap[0]);
    expect(role.name).toBe("privatelink-demo-state-reader-provider");
    // The read runs as the ambient identity (wiring.stateReaders), not as the reading stack's deployer role.
    expect(trust.principals[0].identifiers).toEqual(["arn:aws:iam::444444444444:role/ci"]);
    expect(read[0]).toMatchObject({ actions: ["s3:GetObject"], resources: [expect.stringMatching(/\/privatelink\/privatelink-demo\/provider\.tfstate$/)] });
    expect(read[1]).toMatchObject({
      actions: ["kms:Decrypt"],
      condition: [{ test: "StringEquals", variable: "kms:ViaService", values: ["s3.us-east-1.amazonaws.com"] }],
    });
  });

  test("a consumer's bucket lets the same identity read that consumer's state, for its acceptance", () => {
    const { trust, read } = readerOf(stacks.bootstrap[1]);
    expect(trust.principals[0].identifiers).toEqual(["arn:aws:iam::444444444444:role/ci"]);
    expect(read[0].resources).toEqual([expect.stringMatching(/\/privatelink\/privatelink-demo\/consumer-analytics\.tfstate$/)]);
  });

  test("readers assume that role, not the producer's deployer role", () => {
    const consumer = parsed(Testing.synth(stacks.consumers[0]));
    expect(consumer.data.terraform_remote_state["remote-state-provider"].config.assume_role).toEqual({
      role_arn: "arn:aws:iam::111111111111:role/privatelink-demo-state-reader-provider",
    });
    const acceptance = parsed(Testing.synth(stacks.acceptance[0]));
    expect(acceptance.data.terraform_remote_state["remote-state-consumer-analytics"].config.assume_role).toEqual({
      role_arn: "arn:aws:iam::222222222222:role/privatelink-demo-state-reader-analytics",
    });
    expect(JSON.stringify([consumer.data, acceptance.data])).not.toContain("privatelink-deployer");
  });

  test("variables wiring makes no reader role", () => {
    expect(parsed(Testing.synth(buildExample().bootstrap[0])).resource.aws_iam_role).toBeUndefined();
  });
});
