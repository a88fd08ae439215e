import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing } from "cdktf";
import { buildExample, exampleConfig, parsed, type Block } from "./helpers";

// Where state lives and how it is protected, as AWS and Terraform require it
// (facts the emulator would not catch: it ignores KMS key policies, and any
// Terraform version reads the JSON).

const KEY_111 = "arn:aws:kms:us-east-1:111111111111:alias/terraform-state-privatelink-demo-state-111111111111";

describe("every backend names the bucket's customer-managed key", () => {
  const stacks = buildExample();
  const all = [...stacks.bootstrap, stacks.provider, ...stacks.consumers, ...stacks.acceptance];

  test("so state objects are SSE-KMS under that key, not AES256 (`encrypt` alone sends AES256)", () => {
    const backends = stacks.acceptance.map((s) => parsed(Testing.synth(s)).terraform.backend.s3);
    expect(backends[0]).toMatchObject({ encrypt: true, kms_key_id: KEY_111 });
    for (const stack of [stacks.provider, ...stacks.consumers]) {
      const backend = parsed(Testing.synth(stack)).terraform.backend.s3 as Block;
      const account = backend.bucket.replace("privatelink-demo-state-", "");
      expect(backend.kms_key_id).toBe(`arn:aws:kms:us-east-1:${account}:alias/terraform-state-privatelink-demo-state-${account}`);
    }
  });

  test("and the bootstrap stack creates that alias", () => {
    const json = parsed(Testing.synth(stacks.bootstrap[0]));
    const [alias] = Object.values(json.resource.aws_kms_alias) as Block[];
    expect(`arn:aws:kms:us-east-1:111111111111:${alias.name}`).toBe(KEY_111);
  });

  test("every stack requires Terraform 1.10 or later, which S3 lockfile locking needs", () => {
    expect(all.length).toBeGreaterThan(5);
    for (const stack of all) expect(parsed(Testing.synth(stack)).terraform.required_version).toBe(">= 1.10.0");
  });
});

describe("a state region other than the account's", () => {
  const config = exampleConfig((raw) => (raw.provider.account.state.region = "eu-west-1"));
  const stacks = buildExample(config);

  test("the bootstrap stack creates the bucket and its key where the backends look for them", () => {
    expect(Testing.synth(stacks.bootstrap[0])).toHaveProviderWithProperties(AwsProvider, { region: "eu-west-1" });
    expect(parsed(Testing.synth(stacks.provider)).terraform.backend.s3).toMatchObject({
      region: "eu-west-1",
      kms_key_id: "arn:aws:kms:eu-west-1:111111111111:alias/terraform-state-privatelink-demo-state-111111111111",
    });
  });

  test("the stacks' own resources stay in the account's region", () => {
    expect(Testing.synth(stacks.provider)).toHaveProviderWithProperties(AwsProvider, { region: "us-east-1" });
  });
});

describe("remote-state reads", () => {
  const CI = "arn:aws:iam::444444444444:role/ci";
  const config = exampleConfig((raw) => (raw.wiring = { mode: "remote-state", stateReaders: [CI] }));
  const stacks = buildExample(config);
  const provider = parsed(Testing.synth(stacks.bootstrap[0]));

  test("the reader role trusts the identity Terraform runs as, not the consumer accounts' roots", () => {
    const trust = Object.entries(provider.data.aws_iam_policy_document).find(([id]) => id.includes("reader_trust"))?.[1] as Block;
    expect(trust.statement[0].principals).toEqual([{ type: "AWS", identifiers: [CI] }]);
    expect(JSON.stringify(trust)).not.toMatch(/:root/);
  });

  test("the bucket's key lets the reader role decrypt, through S3", () => {
    const keyPolicy = Object.entries(provider.data.aws_iam_policy_document).find(([id]) => id.includes("key-policy"))?.[1] as Block;
    const readers = keyPolicy.statement.find((s: Block) => s.sid === "ReadersReadState");
    expect(readers.actions).toEqual(["kms:Decrypt"]);
    expect(readers.principals[0].identifiers[0]).toMatch(/^\$\{aws_iam_role\..*\.arn\}$/);
  });

  test("each read names the producer bucket's key", () => {
    const consumer = parsed(Testing.synth(stacks.consumers[0]));
    expect(consumer.data.terraform_remote_state["remote-state-provider"].config.kms_key_id).toBe(KEY_111);
  });

  test("a configured reading role may decrypt the buckets it reads", () => {
    const role = "arn:aws:iam::111111111111:role/state-reader";
    const own = buildExample(exampleConfig((raw) => (raw.wiring = { mode: "remote-state", stateReadRoleArn: role })));
    const keyPolicy = Object.entries(parsed(Testing.synth(own.bootstrap[0])).data.aws_iam_policy_document).find(([id]) =>
      id.includes("key-policy"),
    )?.[1] as Block;
    expect(keyPolicy.statement.find((s: Block) => s.sid === "ReadersReadState").principals[0].identifiers).toEqual([role]);
    expect(Object.keys(parsed(Testing.synth(own.bootstrap[0])).resource)).not.toContain("aws_iam_role");
  });
});
