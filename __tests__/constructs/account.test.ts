import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { BINDINGS_AWS_PROVIDER_VERSION } from "../../src/config/bindings";
import { AwsAccountProvider } from "../../src/constructs/aws-account-provider";
import { StateBucket } from "../../src/constructs/state-bucket";
import { StateReaderRole } from "../../src/constructs/state-reader-role";
import type { Block } from "../helpers";
import { blocks, synthOf } from "./scope";

describe("AwsAccountProvider", () => {
  const account = { id: "123456789012", region: "eu-west-1" };

  test("locked to its account, with the given tags on every resource", () => {
    const { synth } = synthOf((scope) => new AwsAccountProvider(scope, "aws", { account, tags: { Team: "net" }, version: BINDINGS_AWS_PROVIDER_VERSION }));
    expect(synth).toHaveProviderWithProperties(AwsProvider, {
      region: "eu-west-1",
      allowed_account_ids: ["123456789012"],
      default_tags: [{ tags: { Team: "net" } }],
    });
  });

  test("assumes the account's role when one is named, and only then", () => {
    const roleArn = "arn:aws:iam::123456789012:role/deployer";
    const { json } = synthOf(
      (scope) => new AwsAccountProvider(scope, "aws", { account: { ...account, roleArn }, tags: {}, version: BINDINGS_AWS_PROVIDER_VERSION }),
    );
    expect(json.provider.aws[0].assume_role).toEqual([{ role_arn: roleArn, session_name: "privatelink-cdktf" }]);
    const plain = synthOf((scope) => new AwsAccountProvider(scope, "aws", { account, tags: {}, version: BINDINGS_AWS_PROVIDER_VERSION }));
    expect(plain.json.provider.aws[0]).not.toHaveProperty("assume_role");
  });

  test("pins another provider version only when asked for one", () => {
    const other = synthOf((scope) => new AwsAccountProvider(scope, "aws", { account, tags: {}, version: "5.100.0" }));
    expect(other.json.terraform.required_providers.aws.version).toBe("5.100.0");
  });

  test("with an emulator: every service at its URL, its dummy credentials and CA bundle", () => {
    const { json } = synthOf(
      (scope) =>
        new AwsAccountProvider(scope, "aws", {
          account: { ...account, endpointUrl: "https://127.0.0.1:4580" },
          tags: {},
          version: "5.100.0",
          caBundle: "../ca.pem",
        }),
    );
    const provider = json.provider.aws[0];
    expect(provider).toMatchObject({ access_key: "test", secret_key: "test", custom_ca_bundle: "../ca.pem", s3_use_path_style: true });
    expect(Object.values(provider.endpoints[0])).toEqual(expect.arrayContaining(["https://127.0.0.1:4580"]));
    expect(new Set(Object.values(provider.endpoints[0]))).toEqual(new Set(["https://127.0.0.1:4580"]));
  });
});

const DEPLOYER = "arn:aws:iam::123456789012:role/deployer";
const bucketProps = {
  bucketName: "tf-state-123456789012",
  accountId: "123456789012",
  region: "eu-west-1",
  keyAliasName: "alias/terraform-state-tf-state-123456789012",
  writers: [DEPLOYER],
};

describe("StateBucket", () => {
  const build = (noncurrentVersionDays?: number, readers?: string[]) =>
    synthOf((scope) => new StateBucket(scope, "state", { ...bucketProps, noncurrentVersionDays, readers }));
  const keyPolicyOf = (json: ReturnType<typeof build>["json"]) =>
    Object.entries(json.data.aws_iam_policy_document).find(([id]) => id.includes("key-policy"))?.[1] as Block;

  test("encrypts with a customer-managed key of its own: rotated, under the alias the backends name, kept on destroy", () => {
    const { synth, json } = build();
    expect(synth).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    expect(synth).toHaveResourceWithProperties(KmsAlias, { name: "alias/terraform-state-tf-state-123456789012" });
    const [key] = Object.keys(json.resource.aws_kms_key);
    expect(blocks(json, "aws_s3_bucket_server_side_encryption_configuration")[0].rule[0].apply_server_side_encryption_by_default).toEqual({
      sse_algorithm: "aws:kms",
      kms_master_key_id: `\${aws_kms_key.${key}.arn}`,
    });
  });

  test("the key policy: the root administers but cannot decrypt; the deployers and readers use it through S3 only", () => {
    const statements = keyPolicyOf(build(undefined, ["arn:aws:iam::123456789012:role/reader"]).json).statement;
    const [admin, writers, readers] = statements;
    expect(admin).toMatchObject({ principals: [{ type: "AWS", identifiers: ["arn:aws:iam::123456789012:root"] }] });
    expect(admin.actions).not.toEqual(expect.arrayContaining(["kms:*"]));
    expect(admin.actions).not.toEqual(expect.arrayContaining(["kms:Decrypt"]));
    const viaS3 = [{ test: "StringEquals", variable: "kms:ViaService", values: ["s3.eu-west-1.amazonaws.com"] }];
    expect(writers).toMatchObject({ principals: [{ type: "AWS", identifiers: [DEPLOYER] }], condition: viaS3 });
    expect(writers.actions).toEqual(expect.arrayContaining(["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"]));
    expect(readers).toMatchObject({
      principals: [{ type: "AWS", identifiers: ["arn:aws:iam::123456789012:role/reader"] }],
      actions: ["kms:Decrypt"],
      condition: viaS3,
    });
    expect(keyPolicyOf(build().json).statement).toHaveLength(2);
  });

  test("versioned, KMS-encrypted, public access blocked, kept on destroy", () => {
    const { synth, json } = build();
    expect(synth).toHaveResourceWithProperties(S3Bucket, { bucket: "tf-state-123456789012", lifecycle: { prevent_destroy: true } });
    expect(synth).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: "Enabled" } });
    expect(synth).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(blocks(json, "aws_s3_bucket_server_side_encryption_configuration")[0].rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("aws:kms");
  });

  test("refuses requests without TLS", () => {
    const policy = Object.entries(build().json.data.aws_iam_policy_document).find(([id]) => id.includes("tls-only"))?.[1] as Block;
    expect(policy.statement[0]).toMatchObject({
      sid: "DenyInsecureTransport",
      effect: "Deny",
      condition: [{ variable: "aws:SecureTransport", values: ["false"] }],
    });
  });

  test("keeps old state versions for 90 days unless told otherwise", () => {
    const days = (json: ReturnType<typeof build>["json"]) => blocks(json, "aws_s3_bucket_lifecycle_configuration")[0].rule[0].noncurrent_version_expiration;
    expect(days(build().json)).toEqual([{ noncurrent_days: 90 }]);
    expect(days(build(30).json)).toEqual([{ noncurrent_days: 30 }]);
    expect(build().synth).toHaveResource(S3BucketLifecycleConfiguration);
  });
});

describe("StateReaderRole", () => {
  const build = () =>
    synthOf((scope) => {
      new StateReaderRole(scope, "reader", {
        bucketName: "tf-state-123456789012",
        region: "eu-west-1",
        roleName: "p-state-reader",
        readerPrincipals: ["arn:aws:iam::210987654321:role/ci"],
        stateKeys: ["p/provider.tfstate"],
      });
    });

  test("assumable only by the named identities Terraform runs as, never an account root", () => {
    const { synth, json } = build();
    expect(synth).toHaveResourceWithProperties(IamRole, { name: "p-state-reader" });
    const trust = Object.entries(json.data.aws_iam_policy_document).find(([id]) => id.includes("reader_trust"))?.[1];
    expect(trust?.statement[0].principals).toEqual([{ type: "AWS", identifiers: ["arn:aws:iam::210987654321:role/ci"] }]);
  });

  test("reads exactly the named state files, and decrypts only through S3 in the bucket's region", () => {
    const read = Object.entries(build().json.data.aws_iam_policy_document).find(([id]) => id.includes("reader_read"))?.[1];
    expect(read?.statement[0]).toMatchObject({ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::tf-state-123456789012/p/provider.tfstate"] });
    expect(read?.statement[1]).toMatchObject({ actions: ["kms:Decrypt"], condition: [{ variable: "kms:ViaService", values: ["s3.eu-west-1.amazonaws.com"] }] });
  });
});
