import { relative, resolve } from "node:path";
import { App, LocalBackend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { AccountConfig, BackendConfig, ConsumerConfig, PrivateLinkConfig } from "../config/types";
import { AwsAccountProvider, type OptionalService, optionalServices } from "../constructs/aws-account-provider";
import { workspaceName } from "../config/workspaces";
import { type StateLocation, stateLocation, useCloudState, useS3State } from "../state/backend";
import { stateKmsKeyArn } from "../wiring/state-layout";

/** The Terraform versions every stack accepts: S3 lockfile locking (`use_lockfile`) came in 1.10. */
const REQUIRED_TERRAFORM_VERSION = ">= 1.10.0";

export interface AccountStackProps {
  /** The account the stack deploys into. */
  readonly account: AccountConfig;
  /** Project name: part of every state key. */
  readonly project: string;
  /** Tags for every resource. */
  readonly tags: Readonly<Record<string, string>>;
  /** Version constraint on hashicorp/aws (config `awsProviderVersion`). */
  readonly awsProviderVersion: string;
  /** Where state lives: the account's S3 bucket or a Terraform Cloud workspace. */
  readonly backend: BackendConfig;
  /** Alias ARN of the key of the account's state bucket (`stateKmsKeyArn`); undefined with the cloud backend. */
  readonly stateKmsKeyArn?: string;
  /** Keep cdktf's local state instead of the backend (a bootstrap stack before its bucket exists). @default false */
  readonly localState?: boolean;
  /** Services the config's options call beyond the usual ones (`optionalServices`). @default none */
  readonly optionalServices?: readonly OptionalService[];
}

/** The props every stack of a config shares, for a stack in `account`. */
export function accountStackProps(config: PrivateLinkConfig, account: AccountConfig, extraTags: Readonly<Record<string, string>> = {}): AccountStackProps {
  return {
    account,
    project: config.project,
    tags: { ...config.tags, ...extraTags },
    backend: config.backend,
    awsProviderVersion: config.awsProviderVersion,
    stateKmsKeyArn: stateKmsKeyArn(config, account),
    optionalServices: optionalServices(config),
  };
}

/** Props of the stacks that serve one consumer (its own, its acceptance, its private DNS). */
export interface ConsumerStackProps {
  /** The whole config. */
  readonly config: PrivateLinkConfig;
  /** The consumer the stack serves. */
  readonly consumer: ConsumerConfig;
  /** Where an earlier stack keeps its S3 state; read in remote-state wiring. */
  readonly stateOf: (stack: string) => StateLocation;
}

/**
 * A stack bound to one AWS account: its own provider locked to that account,
 * and its state in that account's bucket under a key of its own (or in its
 * own Terraform Cloud workspace).
 */
export class AccountStack extends TerraformStack {
  readonly account: AccountConfig;
  /** Where this stack's state lives (or would live) in S3; undefined with the cloud backend. */
  readonly state?: StateLocation;

  constructor(scope: Construct, name: string, props: AccountStackProps) {
    super(scope, name);
    this.account = props.account;
    // S3 native locking (use_lockfile) exists from Terraform 1.10 on; older versions would ignore it.
    this.addOverride("terraform.required_version", REQUIRED_TERRAFORM_VERSION);
    const caBundle = props.account.endpointCaBundle && pathFromStackDir(this, props.account.endpointCaBundle);
    this.state = stateLocation(props.account, props.project, name, props.stateKmsKeyArn, caBundle);
    new AwsAccountProvider(this, "account", {
      account: props.account,
      tags: { Project: props.project, Stack: name, ...props.tags },
      version: props.awsProviderVersion,
      caBundle,
      optionalServices: props.optionalServices,
    });
    if (props.localState) {
      // cdktf's default is an absolute path of the machine that synthesized; this one holds for any checkout.
      new LocalBackend(this, { path: pathFromStackDir(this, `terraform.${name}.tfstate`) });
      return;
    }
    if (props.backend.type === "cloud") {
      useCloudState(this, props.backend, workspaceName(props.backend, name));
    } else if (this.state) {
      useS3State(this, this.state);
    } else {
      throw new Error(`Stack ${name}: the s3 backend needs the account's state bucket (the config check should have caught this).`);
    }
  }

  /**
   * cdktf's prepareStack resolves every element once more before synth, only
   * to find implicit cross-stack references and turn them into remote-state
   * lookups. This app never uses them: values cross accounts output →
   * variable (src/wiring), and a test checks that every reference in every
   * stack points inside that stack. Skipping the pass saves a full resolve of
   * each stack; the written stacks are the same.
   */
  override prepareStack(): void {
    this.ensureBackendExists();
  }
}

/**
 * A path of the project directory (where synth runs) as Terraform sees it:
 * relative to the stack's own directory under the app's outdir, where
 * Terraform runs, so the synthesized JSON holds no machine-specific path.
 */
function pathFromStackDir(stack: TerraformStack, file: string): string {
  const stackDir = resolve(App.of(stack).outdir, "stacks", stack.node.id);
  return relative(stackDir, resolve(file));
}
