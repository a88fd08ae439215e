import { CloudBackend, NamedCloudWorkspace, S3Backend, type TerraformStack } from "cdktf";
import type { AccountConfig, CloudBackendConfig } from "../config/types";
import { stateKey } from "../wiring/state-layout";

/** The S3 state location of one stack. */
export interface StateLocation {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  readonly roleArn?: string;
  /** Emulator URL for S3 and STS; undefined for AWS. */
  readonly endpointUrl?: string;
  /** CA bundle of the emulator's TLS certificate, as Terraform sees the path. */
  readonly caBundle?: string;
  /** The alias ARN of the bucket's customer-managed key, which every state object is encrypted with. */
  readonly kmsKeyArn: string;
}

/** Where a stack's state lives: its account's bucket, under a key unique to the stack. Undefined without a bucket. */
export function stateLocation(
  account: AccountConfig,
  project: string,
  stackName: string,
  kmsKeyArn: string | undefined,
  caBundle?: string,
): StateLocation | undefined {
  if (!account.state || !kmsKeyArn) return undefined;
  return {
    bucket: account.state.bucket,
    key: stateKey(account.state.keyPrefix, project, stackName),
    region: account.state.region,
    roleArn: account.roleArn,
    endpointUrl: account.endpointUrl,
    caBundle,
    kmsKeyArn,
  };
}

/**
 * Puts the stack's state in its account's bucket: encrypted with the
 * bucket's customer-managed key (`encrypt` alone would send AES256,
 * overriding the bucket's KMS default), and locked with an S3 lockfile
 * (DynamoDB locking is deprecated since Terraform 1.11).
 */
export function useS3State(stack: TerraformStack, location: StateLocation): S3Backend {
  const backend = new S3Backend(stack, {
    bucket: location.bucket,
    key: location.key,
    region: location.region,
    encrypt: true,
    kmsKeyId: location.kmsKeyArn,
    assumeRole: location.roleArn ? { roleArn: location.roleArn } : undefined,
    ...emulatorBackendSettings(location),
  });
  // cdktf 0.21's S3Backend has no prop for it yet.
  backend.addOverride("use_lockfile", true);
  return backend;
}

/** Puts the stack's state in its own Terraform Cloud workspace. */
export function useCloudState(stack: TerraformStack, backend: CloudBackendConfig, workspace: string): CloudBackend {
  return new CloudBackend(stack, {
    organization: backend.organization,
    hostname: backend.hostname,
    workspaces: new NamedCloudWorkspace(workspace, backend.project),
  });
}

/**
 * The credentials an emulator takes (moto accepts any); given only with an
 * `endpointUrl`, so that nothing in the environment is needed to reach it.
 */
export const EMULATOR_CREDENTIALS = { accessKey: "test", secretKey: "test" } as const;

/** S3 backend (and remote state) settings that point at an emulator, when the account has one. */
export function emulatorBackendSettings(location: StateLocation) {
  if (!location.endpointUrl) return {};
  return {
    endpoints: { s3: location.endpointUrl, sts: location.endpointUrl, iam: location.endpointUrl },
    ...EMULATOR_CREDENTIALS,
    customCaBundle: location.caBundle,
    usePathStyle: true,
    skipCredentialsValidation: true,
    skipMetadataApiCheck: true,
    skipRegionValidation: true,
  };
}
