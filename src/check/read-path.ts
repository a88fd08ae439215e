import {
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  type DescribeVpcEndpointServiceConfigurationsCommandOutput,
  DescribeVpcEndpointsCommand,
  type IpPermission,
} from "@aws-sdk/client-ec2";
import {
  type Action,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetResourceConfigurationCommand, GetResourceGatewayCommand } from "@aws-sdk/client-vpc-lattice";
import { type AccountClients, awsErrorCode } from "./aws";
import type {
  ClientInstance,
  ConsumerPath,
  Endpoint,
  EndpointService,
  Listener,
  LoadBalancer,
  ResourceConfiguration,
  ResourceGateway,
  ResourcePath,
  SecurityGroup,
  SecurityGroupRule,
  TargetGroup,
} from "./path";

/** A read the check could not make, naming the API action, the account's identity and AWS's answer. */
export class ReadError extends Error {}

/** Runs one API read, turning its failure into a ReadError that names the action and who made it. */
async function read<T>(action: string, clients: AccountClients, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const code = awsErrorCode(err);
    const hint = code && /AccessDenied|UnauthorizedOperation/.test(code) ? ` (grant ${action} to ${clients.identity})` : "";
    throw new ReadError(`${action} as ${clients.identity} failed: ${code ? `${code}: ` : ""}${(err as Error).message}${hint}`);
  }
}

function rulesOf(permissions: readonly IpPermission[] | undefined): SecurityGroupRule[] {
  return (permissions ?? []).map((p) => ({
    protocol: p.IpProtocol ?? "-1",
    fromPort: p.IpProtocol === "-1" ? undefined : p.FromPort,
    toPort: p.IpProtocol === "-1" ? undefined : p.ToPort,
    cidrs: [...(p.IpRanges ?? []).map((r) => r.CidrIp ?? ""), ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6 ?? "")].filter(Boolean),
    groups: (p.UserIdGroupPairs ?? []).map((g) => g.GroupId ?? "").filter(Boolean),
  }));
}

async function securityGroups(clients: AccountClients, ids: readonly string[]): Promise<SecurityGroup[]> {
  if (ids.length === 0) return [];
  const { SecurityGroups } = await read("ec2:DescribeSecurityGroups", clients, () =>
    clients.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [...new Set(ids)] })),
  );
  const byId = new Map((SecurityGroups ?? []).map((g) => [g.GroupId, g]));
  return ids.flatMap((id) => {
    const g = byId.get(id);
    return g ? [{ id, ingress: rulesOf(g.IpPermissions), egress: rulesOf(g.IpPermissionsEgress) }] : [];
  });
}

async function instancesOf(clients: AccountClients, ids: readonly string[]) {
  if (ids.length === 0) return [];
  const { Reservations } = await read("ec2:DescribeInstances", clients, () => clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [...ids] })));
  return (Reservations ?? []).flatMap((r) => r.Instances ?? []);
}

/**
 * The id of the one instance tagged Name `name` that is not terminated, or
 * undefined when there is none; a ReadError when several share the name.
 */
export async function findClientByName(clients: AccountClients, name: string): Promise<string | undefined> {
  const filters = [
    { Name: "tag:Name", Values: [name] },
    { Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped"] },
  ];
  const { Reservations } = await read("ec2:DescribeInstances", clients, () => clients.ec2.send(new DescribeInstancesCommand({ Filters: filters })));
  const ids = (Reservations ?? []).flatMap((r) => r.Instances ?? []).flatMap((i) => (i.InstanceId ? [i.InstanceId] : []));
  if (ids.length > 1) throw new ReadError(`several instances are named ${name} (${ids.join(", ")}); the check probes from one client`);
  return ids[0];
}

/** The consumer's client instance, or a ReadError when EC2 does not know it. */
async function readClient(clients: AccountClients, instanceId: string): Promise<ClientInstance> {
  const [instance] = await instancesOf(clients, [instanceId]);
  if (!instance) throw new ReadError(`ec2:DescribeInstances as ${clients.identity} found no instance ${instanceId}`);
  const nic = instance.NetworkInterfaces?.[0];
  return {
    id: instanceId,
    state: instance.State?.Name ?? "unknown",
    ipv4: instance.PrivateIpAddress,
    ipv6: instance.Ipv6Address ?? nic?.Ipv6Addresses?.[0]?.Ipv6Address,
    zone: instance.Placement?.AvailabilityZone,
    securityGroups: await securityGroups(clients, (instance.SecurityGroups ?? []).map((g) => g.GroupId ?? "").filter(Boolean)),
  };
}

/** The consumer's interface endpoint with its network interfaces and security groups. */
async function readEndpoint(clients: AccountClients, endpointId: string): Promise<Endpoint> {
  const { VpcEndpoints } = await read("ec2:DescribeVpcEndpoints", clients, () =>
    clients.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] })),
  );
  const e = VpcEndpoints?.[0];
  if (!e) throw new ReadError(`ec2:DescribeVpcEndpoints as ${clients.identity} found no endpoint ${endpointId}`);
  const ids = e.NetworkInterfaceIds ?? [];
  const { NetworkInterfaces } = ids.length
    ? await read("ec2:DescribeNetworkInterfaces", clients, () => clients.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ids })))
    : { NetworkInterfaces: [] };
  return {
    id: endpointId,
    state: e.State ?? "unknown",
    serviceName: e.ServiceName ?? "",
    ipAddressType: e.IpAddressType ?? "ipv4",
    dnsRecordIpType: e.DnsOptions?.DnsRecordIpType ?? "ipv4",
    dnsNames: (e.DnsEntries ?? []).map((d) => d.DnsName ?? "").filter(Boolean),
    privateDnsEnabled: e.PrivateDnsEnabled ?? false,
    resourceConfigurationArn: e.ResourceConfigurationArn,
    securityGroups: await securityGroups(clients, (e.Groups ?? []).map((g) => g.GroupId ?? "").filter(Boolean)),
    interfaces: (NetworkInterfaces ?? []).map((n) => ({
      id: n.NetworkInterfaceId ?? "",
      zone: n.AvailabilityZone ?? "",
      ipv4: n.PrivateIpAddress,
      ipv6: n.Ipv6Addresses?.[0]?.Ipv6Address,
    })),
  };
}

/** The provider's endpoint service of that name, with its load balancers down to target health; undefined when the account has none. */
async function readService(clients: AccountClients, serviceName: string): Promise<EndpointService | undefined> {
  const id = serviceName.split(".").at(-1) ?? serviceName;
  let found: DescribeVpcEndpointServiceConfigurationsCommandOutput;
  try {
    found = await clients.ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [id] }));
  } catch (err) {
    // An unknown id is an answer (the service is gone), not a failed read.
    if (/InvalidVpcEndpointService|NotFound/.test(awsErrorCode(err) ?? "")) return undefined;
    return read("ec2:DescribeVpcEndpointServiceConfigurations", clients, () => Promise.reject(err));
  }
  const service = found.ServiceConfigurations?.[0];
  if (!service) return undefined;
  const arns = service.NetworkLoadBalancerArns ?? [];
  return {
    id: service.ServiceId ?? id,
    supportedIpAddressTypes: service.SupportedIpAddressTypes ?? ["ipv4"],
    privateDnsName: service.PrivateDnsName,
    loadBalancers: arns.length ? await readLoadBalancers(clients, arns) : [],
  };
}

async function readLoadBalancers(clients: AccountClients, arns: string[]): Promise<LoadBalancer[]> {
  const elbv2 = clients.elbv2;
  const { LoadBalancers } = await read("elasticloadbalancing:DescribeLoadBalancers", clients, () =>
    elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: arns })),
  );
  return Promise.all(
    (LoadBalancers ?? []).map(async (b) => {
      const arn = b.LoadBalancerArn ?? "";
      const subnetIds = (b.AvailabilityZones ?? []).map((z) => z.SubnetId ?? "").filter(Boolean);
      const { Subnets } = subnetIds.length
        ? await read("ec2:DescribeSubnets", clients, () => clients.ec2.send(new DescribeSubnetsCommand({ SubnetIds: subnetIds })))
        : { Subnets: [] };
      const { Listeners } = await read("elasticloadbalancing:DescribeListeners", clients, () =>
        elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: arn })),
      );
      const listeners: Listener[] = await Promise.all(
        (Listeners ?? []).map(async (l) => ({ port: l.Port ?? 0, targetGroups: await readTargetGroups(clients, forwardedTo(l.DefaultActions ?? [])) })),
      );
      return {
        arn,
        name: b.LoadBalancerName ?? arn,
        ipAddressType: b.IpAddressType ?? "ipv4",
        securityGroups: await securityGroups(clients, b.SecurityGroups ?? []),
        enforceOnPrivateLink: b.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic,
        subnetCidrs: (Subnets ?? []).map((s) => s.CidrBlock ?? "").filter(Boolean),
        listeners,
      };
    }),
  );
}

function forwardedTo(actions: readonly Action[]): string[] {
  const arns = actions.flatMap((a) => [a.TargetGroupArn ?? "", ...(a.ForwardConfig?.TargetGroups ?? []).map((g) => g.TargetGroupArn ?? "")]);
  return [...new Set(arns.filter(Boolean))];
}

async function readTargetGroups(clients: AccountClients, arns: string[]): Promise<TargetGroup[]> {
  if (arns.length === 0) return [];
  const { TargetGroups } = await read("elasticloadbalancing:DescribeTargetGroups", clients, () =>
    clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: arns })),
  );
  return Promise.all(
    (TargetGroups ?? []).map(async (g) => {
      const arn = g.TargetGroupArn ?? "";
      const { TargetHealthDescriptions } = await read("elasticloadbalancing:DescribeTargetHealth", clients, () =>
        clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })),
      );
      const health = TargetHealthDescriptions ?? [];
      const instances = await instancesOf(
        clients,
        health.map((h) => h.Target?.Id ?? "").filter((id) => id.startsWith("i-")),
      );
      const groupsOf = new Map(
        await Promise.all(
          instances.map(
            async (i) =>
              [
                i.InstanceId,
                await securityGroups(
                  clients,
                  (i.SecurityGroups ?? []).map((s) => s.GroupId ?? ""),
                ),
              ] as const,
          ),
        ),
      );
      return {
        arn,
        name: g.TargetGroupName ?? arn,
        port: g.Port ?? 0,
        healthCheckPort: g.HealthCheckPort ?? "traffic-port",
        targets: health.map((h) => ({
          id: h.Target?.Id ?? "",
          port: h.Target?.Port ?? g.Port ?? 0,
          state: h.TargetHealth?.State ?? "unknown",
          reason: h.TargetHealth?.Reason,
          description: h.TargetHealth?.Description,
          securityGroups: groupsOf.get(h.Target?.Id) ?? [],
        })),
      };
    }),
  );
}

/** Everything the diagnosis reads about one consumer's path. */
export async function readConsumerPath(consumer: AccountClients, provider: AccountClients, endpointId: string, clientId: string): Promise<ConsumerPath> {
  const [client, endpoint] = await Promise.all([readClient(consumer, clientId), readEndpoint(consumer, endpointId)]);
  return { client, endpoint, service: await readService(provider, endpoint.serviceName) };
}

/** A read of something that may be gone: undefined for VPC Lattice's ResourceNotFoundException, a ReadError for any other failure. */
async function readIfFound<T>(action: string, clients: AccountClients, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (awsErrorCode(err) === "ResourceNotFoundException") return undefined;
    return read(action, clients, () => Promise.reject(err));
  }
}

/** The resource configuration and its gateway, read in the provider account that owns them; undefined parts are gone. */
async function readResourceSide(provider: AccountClients, arn: string): Promise<{ configuration?: ResourceConfiguration; gateway?: ResourceGateway }> {
  const found = await readIfFound("vpc-lattice:GetResourceConfiguration", provider, () =>
    provider.lattice.send(new GetResourceConfigurationCommand({ resourceConfigurationIdentifier: arn })),
  );
  if (!found) return {};
  const definition = found.resourceConfigurationDefinition;
  const configuration: ResourceConfiguration = {
    id: found.id ?? arn,
    arn,
    status: found.status ?? "unknown",
    portRanges: found.portRanges ?? [],
    ipAddress: definition && "ipResource" in definition ? definition.ipResource?.ipAddress : undefined,
    domainName: definition && "dnsResource" in definition ? definition.dnsResource?.domainName : undefined,
    gatewayId: found.resourceGatewayId ?? "-",
  };
  const gateway = found.resourceGatewayId
    ? await readIfFound("vpc-lattice:GetResourceGateway", provider, () =>
        provider.lattice.send(new GetResourceGatewayCommand({ resourceGatewayIdentifier: found.resourceGatewayId })),
      )
    : undefined;
  if (!gateway) return { configuration };
  return {
    configuration,
    gateway: {
      id: gateway.id ?? configuration.gatewayId,
      status: gateway.status ?? "unknown",
      securityGroups: await securityGroups(provider, gateway.securityGroupIds ?? []),
    },
  };
}

/** One shared resource's path from the consumer: its Resource endpoint, then the provider's configuration and gateway. */
export async function readResourcePath(consumer: AccountClients, provider: AccountClients, name: string, endpointId: string): Promise<ResourcePath> {
  const endpoint = await readEndpoint(consumer, endpointId);
  const side = endpoint.resourceConfigurationArn ? await readResourceSide(provider, endpoint.resourceConfigurationArn) : {};
  return { name, endpoint, ...side };
}
