import { DataAwsVpcEndpointService } from "@cdktf/provider-aws/lib/data-aws-vpc-endpoint-service";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { TerraformOutput, propertyAccess } from "cdktf";
import type { Construct } from "constructs";
import { InterfaceEndpoint } from "../constructs/interface-endpoint";
import { PrivateNetwork } from "../constructs/network";
import { PrivateInstance, latestAmazonLinuxAmi } from "../constructs/private-instance";
import { wiredInputsOf } from "../constructs/wired-inputs";
import { listenerPortsOf } from "../config/user-data";
import { AlarmTopic } from "../constructs/alarm-topic";
import { EndpointAlarms } from "../constructs/metric-alarms";
import { partitionOf } from "../config/regions";
import { ResourceEndpoints } from "../constructs/resource-endpoints";
import {
  ALARM_TOPIC_ARN,
  ENDPOINT_DNS_NAMES,
  ENDPOINT_ID,
  RESOURCE_CONFIGURATION_ARNS,
  RESOURCE_ENDPOINT_IDS,
  RESOURCE_SHARE_ARNS,
  SERVICE_AZ_IDS,
  SERVICE_NAME,
} from "../wiring/contract";
import { AccountStack, type ConsumerStackProps, accountStackProps } from "./account-stack";

/**
 * Consumer account: a VPC (created, or an existing one read from AWS), an
 * interface endpoint to the provider's service (service name and AZ ids
 * come in through the wiring contract, the ports from the config; in
 * another region than the provider's, the endpoint names the service's
 * region), and a client instance to test it from; when configured, a
 * Resource endpoint per shared resource it reaches, and an alarm on its
 * endpoint.
 */
export class ConsumerStack extends AccountStack {
  readonly network: PrivateNetwork;
  readonly endpoint: InterfaceEndpoint;

  constructor(scope: Construct, name: string, { config, consumer, stateOf }: ConsumerStackProps) {
    super(scope, name, accountStackProps(config, consumer.account));
    const prefix = `${config.project}-${consumer.name}`;
    const { service } = config.provider;

    const inputs = wiredInputsOf(this, config, name, stateOf);
    // The service's ports come from the config, as the provider's listeners do.
    const ports = listenerPortsOf(service);

    this.network = new PrivateNetwork(this, "network", {
      network: consumer.network,
      name: prefix,
      region: consumer.account.region,
      accountId: consumer.account.id,
      privateDns: service.privateDns !== undefined,
    });
    // Same region: only the subnets in the service's AZs. Another region: all of them.
    const serviceAzs = consumer.serviceRegion
      ? undefined
      : consumer.azLookup
        ? { names: new DataAwsVpcEndpointService(this, "service-lookup", { serviceName: inputs.string(SERVICE_NAME) }).availabilityZones }
        : { ids: inputs.list(SERVICE_AZ_IDS) };
    this.endpoint = new InterfaceEndpoint(this, "endpoint", {
      network: this.network,
      serviceName: inputs.string(SERVICE_NAME),
      serviceAzs,
      serviceRegion: consumer.serviceRegion,
      ports,
      allowedClientCidrs: consumer.allowedClientCidrs ?? this.network.vpcCidrs,
      dualStack: consumer.dualStack,
      // IPv6 clients: the VPC's own, when the IPv4 clients are the whole VPC (the default).
      admitVpcIpv6: consumer.dualStack && consumer.allowedClientCidrs === undefined,
      privateDnsManagedSeparately: service.privateDns !== undefined,
      preconditions: inputs.preconditions,
      name: prefix,
    });

    const clientSg = new SecurityGroup(this, "client-sg", {
      name: `${prefix}-client`,
      description: "Test client: no inbound; out only to the PrivateLink endpoint and AWS service endpoints",
      vpcId: this.network.vpcId,
      ingress: [],
      egress: [
        ...ports.map((port) => ({ description: "service port to the endpoint", protocol: "tcp", fromPort: port, toPort: port, ...this.network.vpcSources() })),
        ...this.network.endpointEgress,
      ],
      tags: { Name: `${prefix}-client` },
    });
    new PrivateInstance(this, "client", {
      subnetId: this.network.privateSubnets[0].id,
      securityGroupIds: [clientSg.id],
      instanceType: consumer.clientInstanceType,
      image: consumer.clientImageId ? { pinned: consumer.clientImageId } : { latest: latestAmazonLinuxAmi(this, consumer.clientImageParameter) },
      ebsOptimized: consumer.clientEbsOptimized,
      instanceProfileName: this.network.instanceProfileName,
      detailedMonitoring: consumer.clientDetailedMonitoring,
      name: `${prefix}-client`,
    });

    const endpoint = this.endpoint.endpoint;
    new TerraformOutput(this, ENDPOINT_ID.name, { value: endpoint.id, description: ENDPOINT_ID.description, staticId: true });
    new TerraformOutput(this, ENDPOINT_DNS_NAMES.name, {
      value: propertyAccess(endpoint.dnsEntry, ["*", "dns_name"]),
      description: ENDPOINT_DNS_NAMES.description,
      staticId: true,
    });

    if (consumer.resources.length > 0) {
      const shared = new Map(config.provider.resources.map((r) => [r.name, r]));
      const reached = new ResourceEndpoints(this, "resources", {
        network: this.network,
        resources: consumer.resources.map((name) => ({
          name,
          portRanges: shared.get(name)?.portRanges ?? [],
          configurationArn: inputs.entry(RESOURCE_CONFIGURATION_ARNS, name),
        })),
        shareArn: consumer.acceptsResourceShare ? inputs.entry(RESOURCE_SHARE_ARNS, consumer.name) : undefined,
        allowedClientCidrs: consumer.allowedClientCidrs ?? this.network.vpcCidrs,
        admitVpcIpv6: consumer.dualStack && consumer.allowedClientCidrs === undefined,
        name: prefix,
      });
      new TerraformOutput(this, RESOURCE_ENDPOINT_IDS.name, {
        value: Object.fromEntries([...reached.endpoints].map(([name, endpoint]) => [name, endpoint.id])),
        description: RESOURCE_ENDPOINT_IDS.description,
        staticId: true,
      });
    }

    if (consumer.alarms) {
      const { account } = consumer;
      const topic = new AlarmTopic(this, "alarm-topic", {
        topicArn: consumer.alarms.topicArn,
        accountId: account.id,
        region: account.region,
        partition: partitionOf(account.region),
        name: `${prefix}-alarms`,
      });
      new EndpointAlarms(this, "alarms", {
        endpointId: endpoint.id,
        serviceName: inputs.string(SERVICE_NAME),
        vpcId: this.network.vpcId,
        topicArn: topic.arn,
        name: prefix,
      });
      new TerraformOutput(this, ALARM_TOPIC_ARN.name, { value: topic.arn, description: ALARM_TOPIC_ARN.description, staticId: true });
    }
  }
}
