import { VpcEndpointPrivateDns } from "@cdktf/provider-aws/lib/vpc-endpoint-private-dns";
import type { Construct } from "constructs";
import { wiredInputsOf } from "../constructs/wired-inputs";
import { ENDPOINT_ID } from "../wiring/contract";
import { AccountStack, type ConsumerStackProps, accountStackProps } from "./account-stack";

/**
 * Consumer account, after acceptance: turns on private DNS for the
 * consumer's endpoint, so the service's private DNS name resolves to it.
 * AWS only allows this once the provider has accepted the connection, so it
 * cannot be part of the consumer stack's first apply.
 */
export class PrivateDnsStack extends AccountStack {
  readonly privateDns: VpcEndpointPrivateDns;

  constructor(scope: Construct, name: string, { config, consumer, stateOf }: ConsumerStackProps) {
    super(scope, name, accountStackProps(config, consumer.account));
    const inputs = wiredInputsOf(this, config, name, stateOf);
    this.privateDns = new VpcEndpointPrivateDns(this, "private-dns", {
      vpcEndpointId: inputs.string(ENDPOINT_ID),
      privateDnsEnabled: true,
      lifecycle: inputs.preconditions.length > 0 ? { precondition: inputs.preconditions } : undefined,
    });
  }
}
