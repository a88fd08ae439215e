import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { VpcEndpointConnectionAccepter } from "@cdktf/provider-aws/lib/vpc-endpoint-connection-accepter";
import { Testing } from "cdktf";
import { buildExample, exampleConfig, inventory, parsed } from "./helpers";

describe("acceptance stack", () => {
  const synth = Testing.synth(buildExample().acceptance[0], true);
  const json = parsed(synth);

  test("runs in the provider account with a state key of its own", () => {
    expect(synth).toHaveProviderWithProperties(AwsProvider, { allowed_account_ids: ["111111111111"] });
    expect(json.terraform.backend.s3).toMatchObject({
      bucket: "privatelink-demo-state-111111111111",
      key: "privatelink/privatelink-demo/acceptance-analytics.tfstate",
      use_lockfile: true,
      encrypt: true,
    });
  });

  test("accepts the wired endpoint on the wired service", () => {
    expect(synth).toHaveResourceWithProperties(VpcEndpointConnectionAccepter, {
      vpc_endpoint_service_id: "${var.service_id}",
      vpc_endpoint_id: "${var.endpoint_id}",
    });
    expect(json.variable.service_id.validation[0].condition).toBe('${can(regex("^vpce-svc-[0-9a-f]+$", var.service_id))}');
    expect(json.variable.endpoint_id.validation[0].condition).toBe('${can(regex("^vpce-[0-9a-f]+$", var.endpoint_id))}');
  });

  test("holds exactly these blocks: nothing added or dropped unnoticed", () => {
    expect(inventory(json)).toEqual({ aws_vpc_endpoint_connection_accepter: 1 });
  });
});

describe("bootstrap stacks", () => {
  const stacks = buildExample().bootstrap;
  const synth = Testing.synth(stacks[0], true);
  const json = parsed(synth);

  test("one per state bucket, in that bucket's account", () => {
    expect(stacks.map((s) => s.node.id)).toEqual(["bootstrap-provider", "bootstrap-analytics", "bootstrap-reporting"]);
    expect(synth).toHaveProviderWithProperties(AwsProvider, { allowed_account_ids: ["111111111111"] });
    expect(Testing.synth(stacks[1])).toHaveProviderWithProperties(AwsProvider, { allowed_account_ids: ["222222222222"] });
  });

  test("a shared bucket gets one bootstrap stack", () => {
    const shared = buildExample(exampleConfig((raw) => (raw.consumers[0].account.state = raw.provider.account.state))).bootstrap;
    expect(shared.map((s) => s.node.id)).toEqual(["bootstrap-provider", "bootstrap-reporting"]);
  });

  test("the bucket is versioned, KMS-encrypted, closed to the public and protected from destroy", () => {
    expect(synth).toHaveResourceWithProperties(S3Bucket, { bucket: "privatelink-demo-state-111111111111", lifecycle: { prevent_destroy: true } });
    expect(synth).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: "Enabled" } });
    expect(synth).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [expect.objectContaining({ apply_server_side_encryption_by_default: expect.objectContaining({ sse_algorithm: "aws:kms" }) })],
    });
    expect(synth).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test("a bucket policy denies every request without TLS", () => {
    expect(synth).toHaveDataSourceWithProperties(DataAwsIamPolicyDocument, {
      statement: [
        expect.objectContaining({ effect: "Deny", actions: ["s3:*"], condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] }),
      ],
    });
    expect(synth).toHaveResourceWithProperties(S3BucketPolicy, { policy: expect.stringMatching(/data\.aws_iam_policy_document\..+\.json/) });
  });

  test("keeps its own state local until told to move it into the bucket", () => {
    expect(json.terraform.backend?.s3).toBeUndefined();
    const moved = buildExample(exampleConfig((raw) => (raw.provider.account.state.bootstrapBackend = "s3"))).bootstrap[0];
    expect(parsed(Testing.synth(moved)).terraform.backend.s3).toMatchObject({
      key: "privatelink/privatelink-demo/bootstrap-provider.tfstate",
      use_lockfile: true,
      encrypt: true,
    });
  });

  test("holds exactly these blocks: nothing added or dropped unnoticed", () => {
    expect(inventory(parsed(synth))).toEqual({
      aws_kms_alias: 1,
      aws_kms_key: 1,
      aws_s3_bucket: 1,
      aws_s3_bucket_lifecycle_configuration: 1,
      aws_s3_bucket_ownership_controls: 1,
      aws_s3_bucket_policy: 1,
      aws_s3_bucket_public_access_block: 1,
      aws_s3_bucket_server_side_encryption_configuration: 1,
      aws_s3_bucket_versioning: 1,
      "data.aws_iam_policy_document": 2,
    });
  });
});
