import { DataAwsVpcEndpointService } from "@cdktf/provider-aws/lib/data-aws-vpc-endpoint-service";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { TerraformOutput, propertyAccess } from "cdktf";
import { clientInstanceName } from "../aws-names";
import type { Construct } from "constructs";
import type { AlarmsConfig, ConsumerConfig, SharedResourceConfig } from "../config/types";
import { portRangeText } from "../config/resource-rules";
import { InterfaceEndpoint } from "../constructs/interface-endpoint";
import { PrivateNetwork, distinctRules } from "../constructs/network";
import { PrivateInstance, latestAmazonLinuxAmi } from "../constructs/private-instance";
import { type WiredInputs, wiredInputsOf } from "../constructs/wired-inputs";
import { listenerPortsOf } from "../config/user-data";
import { AlarmTopic } from "../constructs/alarm-topic";
import { EndpointAlarms } from "../constructs/metric-alarms";
import { partitionOf } from "../config/regions";
import { ResourceEndpoints } from "../constructs/resource-endpoints";
import {
  ALARM_TOPIC_ARN,
  CLIENT_INSTANCE_ID,
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

    // The shared resources this consumer reaches, in its order (the config checks that each is shared).
    const shared = consumer.resources.flatMap((name) => config.provider.resources.filter((r) => r.name === name));
    const client = this.addClient(consumer, prefix, clientInstanceName(config.project, consumer.name), ports, shared);

    const endpoint = this.endpoint.endpoint;
    new TerraformOutput(this, ENDPOINT_ID.name, { value: endpoint.id, description: ENDPOINT_ID.description, staticId: true });
    new TerraformOutput(this, CLIENT_INSTANCE_ID.name, { value: client.instance.id, description: CLIENT_INSTANCE_ID.description, staticId: true });
    new TerraformOutput(this, ENDPOINT_DNS_NAMES.name, {
      value: propertyAccess(endpoint.dnsEntry, ["*", "dns_name"]),
      description: ENDPOINT_DNS_NAMES.description,
      staticId: true,
    });

    if (shared.length > 0) this.addResourceEndpoints(consumer, shared, inputs, prefix);
    if (consumer.alarms) this.addAlarms(consumer, consumer.alarms, inputs.string(SERVICE_NAME), prefix);
  }

  /**
   * The test client: no inbound; out only to the endpoint's ports, each
   * shared resource's ports (to its Resource endpoint, IPv4 as the endpoint
   * is) and the AWS service endpoints.
   */
  private addClient(
    consumer: ConsumerConfig,
    prefix: string,
    name: string,
    ports: readonly number[],
    shared: readonly SharedResourceConfig[],
  ): PrivateInstance {
    // A single port a listener has is already open to the VPC (AWS refuses a duplicate rule).
    const toResources = shared.flatMap((resource) =>
      resource.portRanges
        .filter((range) => range.from !== range.to || !ports.includes(range.from))
        .map((range) => ({
          description: `${resource.name} ${portRangeText(range)} to its Resource endpoint`,
          protocol: "tcp",
          fromPort: range.from,
          toPort: range.to,
          cidrBlocks: this.network.vpcCidrs,
        })),
    );
    const clientSg = new SecurityGroup(this, "client-sg", {
      name: `${prefix}-client`,
      description: "Test client: no inbound; out only to the PrivateLink endpoint and AWS service endpoints",
      vpcId: this.network.vpcId,
      ingress: [],
      egress: distinctRules([
        ...ports.map((port) => ({ description: "service port to the endpoint", protocol: "tcp", fromPort: port, toPort: port, ...this.network.vpcSources() })),
        ...toResources,
        ...this.network.endpointEgress,
      ]),
      tags: { Name: `${prefix}-client` },
    });
    return new PrivateInstance(this, "client", {
      subnetId: this.network.privateSubnets[0].id,
      securityGroupIds: [clientSg.id],
      instanceType: consumer.clientInstanceType,
      image: consumer.clientImageId ? { pinned: consumer.clientImageId } : { latest: latestAmazonLinuxAmi(this, consumer.clientImageParameter) },
      ebsOptimized: consumer.clientEbsOptimized,
      instanceProfileName: this.network.instanceProfileName,
      detailedMonitoring: consumer.clientDetailedMonitoring,
      name,
    });
  }

  /** A Resource endpoint per shared resource the consumer reaches, and their ids as an output. */
  private addResourceEndpoints(consumer: ConsumerConfig, shared: readonly SharedResourceConfig[], inputs: WiredInputs, prefix: string): void {
    const reached = new ResourceEndpoints(this, "resources", {
      network: this.network,
      resources: shared.map(({ name, portRanges }) => ({ name, portRanges, configurationArn: inputs.entry(RESOURCE_CONFIGURATION_ARNS, name) })),
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

  /** The alarm on the endpoint, to the consumer's topic (or one made here), and the topic as an output. */
  private addAlarms(consumer: ConsumerConfig, alarms: AlarmsConfig, serviceName: string, prefix: string): void {
    const topic = new AlarmTopic(this, "alarm-topic", {
      topicArn: alarms.topicArn,
      accountId: consumer.account.id,
      region: consumer.account.region,
      partition: partitionOf(consumer.account.region),
      name: `${prefix}-alarms`,
    });
    new EndpointAlarms(this, "alarms", {
      endpointId: this.endpoint.endpoint.id,
      serviceName,
      vpcId: this.network.vpcId,
      topicArn: topic.arn,
      name: prefix,
    });
    new TerraformOutput(this, ALARM_TOPIC_ARN.name, { value: topic.arn, description: ALARM_TOPIC_ARN.description, staticId: true });
  }
}
