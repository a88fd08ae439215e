import { VpcEndpointConnectionAccepter } from "@cdktf/provider-aws/lib/vpc-endpoint-connection-accepter";
import type { Construct } from "constructs";
import { wiredInputsOf } from "../constructs/wired-inputs";
import { ENDPOINT_ID, SERVICE_ID } from "../wiring/contract";
import { AccountStack, type ConsumerStackProps, accountStackProps } from "./account-stack";

/**
 * Provider account, after the consumer: accepts one consumer's endpoint
 * connection. Kept apart from the provider stack so the flow
 * provider → consumer → acceptance has no cycle, and one consumer's
 * acceptance never blocks another's.
 */
export class AcceptanceStack extends AccountStack {
  readonly accepter: VpcEndpointConnectionAccepter;

  constructor(scope: Construct, name: string, { config, consumer, stateOf }: ConsumerStackProps) {
    super(scope, name, accountStackProps(config, config.provider.account, { Consumer: consumer.name }));
    const inputs = wiredInputsOf(this, config, name, stateOf);

    this.accepter = new VpcEndpointConnectionAccepter(this, "accepter", {
      vpcEndpointServiceId: inputs.string(SERVICE_ID),
      vpcEndpointId: inputs.string(ENDPOINT_ID),
      lifecycle: inputs.preconditions.length > 0 ? { precondition: inputs.preconditions } : undefined,
    });
  }
}
