import type { Construct } from "constructs";
import type { ResolvedAccount, ResolvedState } from "../config/types";
import { StateBucket } from "../constructs/state-bucket";
import { AccountStack } from "./account-stack";

/**
 * One per state bucket: creates the bucket the other stacks keep their state
 * in. Its own state starts local (the bucket does not exist yet) and moves
 * into the bucket once `state.bootstrapBackend` is set to `s3`.
 */
export class BootstrapStack extends AccountStack {
  readonly stateBucket: StateBucket;

  constructor(scope: Construct, name: string, project: string, tags: Readonly<Record<string, string>>, account: ResolvedAccount & { readonly state: ResolvedState }) {
    super(scope, name, { account, project, tags, backend: { type: "s3" }, localState: account.state.bootstrapBackend === "local" });
    this.stateBucket = new StateBucket(this, "state", { bucketName: account.state.bucket });
  }
}
