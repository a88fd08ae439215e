import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import type { VpcEndpointService } from "@cdktf/provider-aws/lib/vpc-endpoint-service";
import { VpcEndpointServicePrivateDnsVerification } from "@cdktf/provider-aws/lib/vpc-endpoint-service-private-dns-verification";
import { Construct } from "constructs";

export interface ServicePrivateDnsProps {
  /** The endpoint service; its `private_dns_name` must already be set. */
  readonly endpointService: VpcEndpointService;
  /** Public hosted zone of the private DNS name's domain. */
  readonly hostedZoneId: string;
}

/**
 * Proves ownership of an endpoint service's private DNS name: publishes the
 * TXT record AWS asks for in Route 53, then starts the verification. Until it
 * is verified, consumers cannot turn on private DNS for the name.
 */
export class ServicePrivateDns extends Construct {
  readonly verification: VpcEndpointServicePrivateDnsVerification;

  constructor(scope: Construct, id: string, props: ServicePrivateDnsProps) {
    super(scope, id);
    const challenge = props.endpointService.privateDnsNameConfiguration.get(0);
    // The name is relative: Route 53 puts it under the zone's domain.
    const record = new Route53Record(this, "verification-record", {
      zoneId: props.hostedZoneId,
      name: challenge.name,
      type: challenge.type,
      ttl: 300,
      records: [challenge.value],
    });
    this.verification = new VpcEndpointServicePrivateDnsVerification(this, "verification", {
      serviceId: props.endpointService.id,
      // Otherwise it returns at once, and the private-dns stack can race an unverified name.
      waitForVerification: true,
      dependsOn: [record],
      // Verification is per name: a new name must be verified again.
      lifecycle: { replaceTriggeredBy: [`${props.endpointService.terraformResourceType}.${props.endpointService.friendlyUniqueId}.private_dns_name`] },
    });
  }
}
