import type { Construct } from "constructs";
import type { AccountConfig, StateConfig } from "../config/types";
import { StateBucket } from "../constructs/state-bucket";
import { StateReaderRole } from "../constructs/state-reader-role";
import { AccountStack } from "./account-stack";

export interface BootstrapStackProps {
  /** The account that owns the bucket, with its state settings. */
  readonly account: AccountConfig & { readonly state: StateConfig };
  /** Project name: part of the stack's own state key once it moves into the bucket. */
  readonly project: string;
  /** Tags for every resource. */
  readonly tags: Readonly<Record<string, string>>;
  /** Version constraint on hashicorp/aws. */
  readonly awsProviderVersion: string;
  /** Alias ARN of the bucket's key, for this stack's own backend once its state moves into the bucket. */
  readonly stateKmsKeyArn: string;
  /** Alias name of the bucket's key. */
  readonly stateKeyAliasName: string;
  /** Principals that write state into the bucket: the deployer roles of the accounts keeping state there. */
  readonly stateWriters: readonly string[];
  /** Roles of other accounts that read state from the bucket (a configured `wiring.stateReadRoleArn`). @default none */
  readonly externalStateReaders?: readonly string[];
  /** With remote-state wiring: the read-only role other stacks read this bucket's state with. @default none */
  readonly stateReader?: { readonly roleName: string; readonly readerPrincipals: readonly string[]; readonly stateKeys: readonly string[] };
}

/**
 * One per state bucket: creates the bucket the other stacks keep their state
 * in. Its own state starts local (the bucket does not exist yet) and moves
 * into the bucket once `state.bootstrapBackend` is set to `s3`.
 */
export class BootstrapStack extends AccountStack {
  readonly stateBucket: StateBucket;

  constructor(scope: Construct, name: string, props: BootstrapStackProps) {
    const { account } = props;
    // The bucket goes where every backend looks for it: state.region, which may differ from the account's region.
    super(scope, name, {
      ...props,
      account: { ...account, region: account.state.region },
      backend: { type: "s3" },
      localState: account.state.bootstrapBackend === "local",
    });
    const reader =
      props.stateReader && new StateReaderRole(this, "state-reader", { bucketName: account.state.bucket, region: account.state.region, ...props.stateReader });
    this.stateBucket = new StateBucket(this, "state", {
      bucketName: account.state.bucket,
      accountId: account.id,
      region: account.state.region,
      keyAliasName: props.stateKeyAliasName,
      writers: props.stateWriters,
      readers: [...(reader ? [reader.role.arn] : []), ...(props.externalStateReaders ?? [])],
    });
  }
}
