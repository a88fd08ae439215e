import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { PrivateLinkConfig } from "../config/types";
import { PrivateNetwork } from "../constructs/network";
import { PrivateLinkService } from "../constructs/privatelink-service";
import { ConnectionNotifications } from "../constructs/connection-notifications";
import { ServicePrivateDns } from "../constructs/service-private-dns";
import { AlarmTopic } from "../constructs/alarm-topic";
import { ServiceAlarms } from "../constructs/metric-alarms";
import { SharedResources } from "../constructs/shared-resources";
import {
  ALARM_TOPIC_ARN,
  RESOURCE_CONFIGURATION_ARNS,
  RESOURCE_GATEWAY_SECURITY_GROUP_ID,
  RESOURCE_SHARE_ARNS,
  NOTIFICATION_TOPIC_ARN,
  SERVICE_AZ_IDS,
  SERVICE_AZ_NAMES,
  SERVED_STACKS,
  SERVICE_ID,
  SERVICE_NAME,
  SERVICE_PRIVATE_DNS_NAME,
  type StackOutput,
} from "../wiring/contract";
import { servedStacks } from "../wiring/stack-graph";
import { partitionOf } from "../config/regions";
import { AccountStack, accountStackProps } from "./account-stack";

export interface ProviderStackProps {
  /** The whole config: the provider's part, and the consumers it allows. */
  readonly config: PrivateLinkConfig;
}

/**
 * Provider account: the VPC, the service behind an internal NLB, and the
 * endpoint service that allows each consumer's principals (by default its
 * account root), in the consumers' regions too; when configured, alarms and
 * a dashboard, and the resources it shares without a load balancer.
 */
export class ProviderStack extends AccountStack {
  readonly network: PrivateNetwork;
  readonly service: PrivateLinkService;

  constructor(scope: Construct, name: string, { config }: ProviderStackProps) {
    super(scope, name, accountStackProps(config, config.provider.account));
    const prefix = `${config.project}-provider`;

    const { account } = config.provider;
    this.network = new PrivateNetwork(this, "network", { network: config.provider.network, name: prefix, region: account.region, accountId: account.id });
    const partition = partitionOf(account.region);
    const principals = [...new Set(config.consumers.flatMap((c) => c.principals))].sort();
    // Always set: AWS reads the service's own region back among the supported ones, and the
    // attribute is Optional+Computed, so leaving it out would keep a removed consumer's region.
    const supportedRegions = [...new Set([account.region, ...config.consumers.map((c) => c.account.region)])].sort();
    this.service = new PrivateLinkService(this, "service", {
      network: this.network,
      service: config.provider.service,
      allowedPrincipals: principals,
      supportedRegions,
      name: prefix,
    });

    const endpointService = this.service.endpointService;
    const output = (value: StackOutput, ref: unknown) => new TerraformOutput(this, value.name, { value: ref, description: value.description, staticId: true });
    output(SERVICE_NAME, endpointService.serviceName);
    output(SERVICE_ID, endpointService.id);
    output(SERVICE_AZ_NAMES, endpointService.availabilityZones);
    output(SERVED_STACKS, servedStacks(config));
    output(
      SERVICE_AZ_IDS,
      this.network.privateSubnets.map((s) => s.availabilityZoneId),
    );

    const { privateDns, notifications, alarms } = config.provider.service;
    if (privateDns) {
      new ServicePrivateDns(this, "private-dns", { endpointService, hostedZoneId: privateDns.hostedZoneId });
      output(SERVICE_PRIVATE_DNS_NAME, endpointService.privateDnsName);
    }
    if (notifications) {
      const topic = new ConnectionNotifications(this, "notifications", {
        serviceId: endpointService.id,
        events: notifications.events,
        accountId: account.id,
        partition,
        name: `${prefix}-connections`,
      }).topic;
      output(NOTIFICATION_TOPIC_ARN, topic.arn);
    }
    if (alarms) {
      const topic = new AlarmTopic(this, "alarm-topic", {
        topicArn: alarms.topicArn,
        accountId: account.id,
        region: account.region,
        partition,
        name: `${prefix}-alarms`,
      });
      new ServiceAlarms(this, "alarms", {
        loadBalancerArnSuffix: this.service.loadBalancer.arnSuffix,
        targetGroups: [...this.service.targetGroups].map(([port, group]) => ({ port, arnSuffix: group.arnSuffix })),
        instanceCount: config.provider.service.instanceCount,
        serviceId: endpointService.id,
        topicArn: topic.arn,
        region: account.region,
        name: prefix,
      });
      output(ALARM_TOPIC_ARN, topic.arn);
    }
    if (config.provider.resources.length > 0) {
      const shared = new SharedResources(this, "resources", {
        network: this.network,
        resources: config.provider.resources,
        consumers: config.consumers
          .filter((c) => c.resources.length > 0)
          .map((c) => ({ name: c.name, accountId: c.account.id, resources: c.resources, external: c.acceptsResourceShare })),
        name: prefix,
      });
      const byName = <T>(items: Map<string, T>, value: (item: T) => string) => Object.fromEntries([...items].map(([key, item]) => [key, value(item)]));
      output(
        RESOURCE_CONFIGURATION_ARNS,
        byName(shared.configurations, (c) => c.arn),
      );
      output(RESOURCE_GATEWAY_SECURITY_GROUP_ID, shared.gatewaySecurityGroup.id);
      if (shared.shares.size > 0)
        output(
          RESOURCE_SHARE_ARNS,
          byName(shared.shares, (s) => s.arn),
        );
    }
  }
}
