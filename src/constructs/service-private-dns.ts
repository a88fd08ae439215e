import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import type { VpcEndpointService } from "@cdktf/provider-aws/lib/vpc-endpoint-service";
import { VpcEndpointServicePrivateDnsVerification } from "@cdktf/provider-aws/lib/vpc-endpoint-service-private-dns-verification";
import { DataResource, Fn, Op, Token } from "cdktf";
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
    const service = props.endpointService;
    const challenge = service.privateDnsNameConfiguration.get(0);
    // AWS issues the challenge when the service gets its name, but the provider
    // plans private_dns_name_configuration unchanged when private_dns_name
    // changes: for a deployed service it stays known and empty until the update,
    // and `[0]` fails to plan ("Invalid index"), or a stale challenge is planned.
    // This records the name the challenge belongs to; whenever the name changes
    // its output is unknown until apply, so the record's values are too, and
    // Terraform reads them after the service has its new challenge.
    const challengeOf = new DataResource(this, "challenge-name", { input: { name: service.privateDnsName } });
    const current = Op.eq(challengeOf.output.lookup("name"), service.privateDnsName);
    const ofCurrent = (value: string) => Token.asString(Fn.conditional(current, value, null));
    // The name is relative: Route 53 puts it under the zone's domain.
    const record = new Route53Record(this, "verification-record", {
      zoneId: props.hostedZoneId,
      name: ofCurrent(challenge.name),
      type: ofCurrent(challenge.type),
      ttl: 300,
      records: [ofCurrent(challenge.value)],
    });
    this.verification = new VpcEndpointServicePrivateDnsVerification(this, "verification", {
      serviceId: service.id,
      // Otherwise it returns at once, and the private-dns stack can race an unverified name.
      waitForVerification: true,
      dependsOn: [record],
      // Verification is per name: a new name must be verified again.
      lifecycle: { replaceTriggeredBy: [`${service.terraformResourceType}.${service.friendlyUniqueId}.private_dns_name`] },
    });
  }
}
