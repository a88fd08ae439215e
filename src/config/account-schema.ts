import * as v from "valibot";
import { bucketName, derivedDefault, described, region, roleArn } from "./schema-fields";

/** An AWS account of the config and its state bucket. */

const StateSchema = v.strictObject({
  bucket: described(
    bucketName,
    "S3 bucket that holds this account's Terraform state. S3 naming rules apply: 3-63 characters, lowercase letters, digits, dots and hyphens, no `..`, not " +
      "an IP address, none of the reserved prefixes (`xn--`, `sthree-`, `amzn-s3-demo-`) or suffixes (`-s3alias`, `--ol-s3`, `.mrap`, `--x-s3`, `--table-s3`).",
  ),
  region: v.optional(derivedDefault(described(region, "Region of the state bucket."), "the account's region")),
  keyPrefix: v.optional(
    described(
      v.pipe(v.string("expected a key prefix"), v.regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, "expected a key prefix such as privatelink or teams/net")),
      "Prefix of every state key in the bucket.",
    ),
    "privatelink",
  ),
  bootstrapBackend: v.optional(
    described(
      v.picklist(["local", "s3"], 'expected "local" or "s3"'),
      "Where the bootstrap stack keeps its own state: `local` until the bucket exists, then `s3`.",
    ),
    "local",
  ),
});

export const AccountSchema = v.strictObject({
  id: described(
    v.pipe(v.string('expected a 12-digit account id as a string, e.g. "111111111111"'), v.regex(/^\d{12}$/, "expected a 12-digit AWS account id")),
    "12-digit AWS account id. Every AwsProvider is locked to it.",
  ),
  region: described(region, "AWS region of this account's resources."),
  roleArn: v.optional(derivedDefault(described(roleArn, "Role to assume in this account."), "none: the caller's own credentials")),
  endpointUrl: v.optional(
    described(
      v.pipe(v.string("expected a URL"), v.regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?\/?$/, "expected an http(s) URL such as http://127.0.0.1:5000")),
      "Send every AWS API call of this account (provider, S3 state, remote state) to this URL " +
        "instead of AWS: an emulator such as moto or LocalStack. Path-style S3, no credential checks.",
    ),
  ),
  endpointCaBundle: v.optional(
    described(
      v.pipe(v.string("expected a file path"), v.minLength(1, "expected a file path")),
      "With an https `endpointUrl`: PEM certificate file the emulator serves (`npm run emulator` writes it), which Terraform then trusts " +
        "for this account. Relative to the project root. Emulator only: with it the app also gives the emulator's dummy credentials.",
    ),
  ),
  runRoleArn: v.optional(
    described(
      roleArn,
      "With the cloud backend: the role Terraform Cloud runs of this account's workspaces assume with dynamic provider credentials (OIDC; " +
        "`npm run tfc` sets `TFC_AWS_PROVIDER_AUTH` and `TFC_AWS_RUN_ROLE_ARN`). Its trust policy trusts Terraform Cloud's OIDC provider for these " +
        "workspaces. The stack's provider then assumes `roleArn` from it (or deploys as it without `roleArn`). Required with the cloud backend.",
    ),
  ),
  organizationId: v.optional(
    described(
      v.pipe(v.string("expected an organization id"), v.regex(/^o-[a-z0-9]{10,32}$/, "expected an AWS Organizations id such as o-a1b2c3d4e5")),
      "The AWS organization of the account. When a consumer's is the provider's, resources are shared within the organization (RAM sharing with " +
        "AWS Organizations must be enabled) and need no acceptance; otherwise the consumer accepts the RAM share's invitation.",
    ),
  ),
  state: v.optional(described(StateSchema, "This account's S3 state bucket. Required with the s3 backend; unused with the cloud backend.")),
});

export type StateInput = v.InferOutput<typeof StateSchema>;
export type AccountInput = v.InferOutput<typeof AccountSchema>;
