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
  /** With remote-state wiring: the read-only role other stacks read this bucket's state with. @default none */
  readonly stateReader?: { readonly roleName: string; readonly readerAccountIds: readonly string[]; readonly stateKeys: readonly string[] };
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
    super(scope, name, { ...props, backend: { type: "s3" }, localState: account.state.bootstrapBackend === "local" });
    this.stateBucket = new StateBucket(this, "state", { bucketName: account.state.bucket });
    if (props.stateReader) new StateReaderRole(this, "state-reader", { bucket: this.stateBucket.bucket, region: account.state.region, ...props.stateReader });
  }
}
