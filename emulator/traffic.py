"""Traffic through the emulated topology, which moto 5.2 does not carry: it
runs no instance and no load balancer, so `SendCommand` runs nothing and
every registered target reads healthy. Here the answers follow from the
emulator's state, hop by hop, as AWS decides them:

- SSM `SendCommand` to `AWS-RunShellScript` answers the `probe HOST PORT
  FAMILY` calls of the script (npm run check sends them; `src/check/probe.ts`
  holds the shell function) with the line the function prints on AWS:
  `connected MS`, `refused`, `timeout` or `unresolved`. The emulator runs no
  shell: it evaluates each call's path, and names the first hop that blocks
  it after the line (`# blocked: ...`), for its own tests.
- SSM `DescribeInstanceInformation` lists the managed instances, and
  `SendCommand` refuses the others (`InvalidInstanceId`).
- ELBv2 `DescribeTargetHealth` follows the same rules for targets.
- An interface endpoint's network interfaces take addresses of their subnets
  and its DNS entries AWS's names (regional, then one per AZ).

Module-level state: none; everything is read from moto's backends.
"""
import ipaddress
import re
import time

from moto.ec2.models import ec2_backends
from moto.elbv2.models import FakeHealthStatus, FakeTargetGroup, elbv2_backends
from moto.iam.models import iam_backends
from moto.route53.models import route53_backends
from moto.ssm.exceptions import SSMException
from moto.ssm.models import SimpleSystemManagerBackend
from moto.ssm.responses import SimpleSystemManagerResponse
from moto.core.responses import ActionResult
from moto.ec2.models.vpcs import VPCBackend

import resource_sharing

_PROBE = re.compile(r"^\s*probe\s+(\S+)\s+(\d{1,5})\s+(ipv4|ipv6)\s*$", re.M)
_SSM_CORE = re.compile(r"^arn:aws[a-z-]*:iam::aws:policy/AmazonSSMManagedInstanceCore$")
_SHELL_DOCUMENTS = ("AWS-RunShellScript",)


class InvalidInstanceId(SSMException):
    """SendCommand: "The following scenarios can result in this error message: the instance is not running, ... not registered with SSM"."""

    def __init__(self):
        super().__init__(
            "InvalidInstanceId",
            "Instances not in a valid state for account, or not managed by Systems Manager (the SSM Agent is not registered).",
        )


def _backends(account, region):
    return ec2_backends[account][region], elbv2_backends[account][region]


# --- Security groups, as the VPC documentation evaluates them ---------------
# "Security groups are stateful": the reply to an allowed request is allowed,
# so a connection needs the sender's egress and the receiver's ingress. A rule
# admits a protocol and port range from (ingress) or to (egress) a CIDR, or
# the network interfaces of a referenced security group.
# https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
def _rule_admits(rule, port, address, peer_groups):
    if rule.ip_protocol not in ("-1", "tcp"):
        return False
    if rule.ip_protocol == "tcp" and not (rule.from_port <= port <= rule.to_port):
        return False
    group = (rule.source_group or {}).get("GroupId")
    if group:
        return group in peer_groups
    cidr = (rule.ip_range or {}).get("CidrIp") or (rule.ip_range or {}).get("CidrIpv6")
    if not cidr or address is None:
        return False
    network = ipaddress.ip_network(cidr, strict=False)
    return network.version == address.version and address in network


def _admitting_group(backend, group_ids, direction, port, address, peer_groups):
    """The first of the groups with a rule admitting the connection, or None."""
    for group_id in group_ids:
        group = backend.get_security_group_from_id(group_id)
        if group is None:
            continue
        rules = group.egress_rules if direction == "egress" else group.ingress_rules
        if any(_rule_admits(rule, port, address, peer_groups) for rule in rules):
            return group_id
    return None


def _ipv6_block(subnet):
    for association in (getattr(subnet, "ipv6_cidr_block_associations", None) or {}).values():
        if association.get("ipv6CidrBlockState", {}).get("State", "associated") == "associated" and association.get("ipv6CidrBlock"):
            return ipaddress.ip_network(association["ipv6CidrBlock"])
    return None


def _interface_address(eni, family):
    """The ENI's address of the family, or None: an IPv6 address only where the subnet has an IPv6 block."""
    if family == "ipv4":
        return ipaddress.ip_address(eni.private_ip_address)
    if eni.ipv6_addresses:
        return ipaddress.ip_address(eni.ipv6_addresses[0])
    return None


# --- Endpoint network interfaces and DNS names, as AWS gives them ----------
# "For each subnet that you specify, we create an endpoint network interface
# in the subnet and assign it a private IP address from the subnet address
# range"; a dual-stack endpoint's interfaces get IPv6 addresses too. Its DNS
# names are a Regional one and one per AZ:
# vpce-<id>-<random>.vpce-svc-<id>.<region>.vpce.amazonaws.com and
# vpce-<id>-<random>-<az>.vpce-svc-<id>.<region>.vpce.amazonaws.com.
# moto 5.2.1 gives the interfaces random addresses outside the subnet and one
# DNS name of its own form.
# https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-dns-hostnames
# https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
_create_vpc_endpoint = None


def place_interfaces(backend, endpoint):
    for eni_id in endpoint.network_interface_ids:
        eni = backend.get_network_interface(eni_id)
        subnet = eni.subnet
        address = subnet.get_available_subnet_ip(eni)
        eni.private_ip_address = address
        eni.private_ip_addresses = [{"Primary": True, "PrivateIpAddress": address}]


def give_ipv6(backend, endpoint):
    """IPv6 addresses for the interfaces of an endpoint that is dual stack, in subnets with an IPv6 block; none otherwise."""
    dual = getattr(endpoint, "ip_address_type", "ipv4") in ("dualstack", "ipv6")
    for eni_id in endpoint.network_interface_ids:
        eni = backend.get_network_interface(eni_id)
        block = _ipv6_block(eni.subnet)
        if not dual or block is None:
            eni.ipv6_addresses = []
        elif not eni.ipv6_addresses:
            host = int(ipaddress.ip_address(eni.private_ip_address)) & 0xFFFF
            eni.ipv6_addresses = [str(block.network_address + 0x100 + host)]


# "AssignIpv6AddressOnCreation: whether a network interface created in this
# subnet receives an IPv6 address": an instance launched into such a subnet
# has one. moto 5.2.1 assigns IPv6 only when asked for a count.
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Subnet.html
def assign_ipv6_on_creation(eni):
    subnet = eni.subnet
    block = _ipv6_block(subnet)
    if block is not None and str(getattr(subnet, "assign_ipv6_address_on_creation", False)).lower() == "true" and not eni.ipv6_addresses:
        host = int(ipaddress.ip_address(eni.private_ip_address)) & 0xFFFF
        eni.ipv6_addresses = [str(block.network_address + 0x1000 + host)]


def create_vpc_endpoint(self, *args, **kwargs):
    endpoint = _create_vpc_endpoint(self, *args, **kwargs)
    if (endpoint.vpc_endpoint_type or "").lower() == "interface":
        place_interfaces(self, endpoint)
        service_id = endpoint.service_name.rsplit(".", 1)[-1]
        stem = f"{endpoint.id}-{endpoint.id[-8:]}"
        zones = [self.get_subnet(s).availability_zone for s in endpoint.subnet_ids or []]
        hosted_zone = "Z7HUB22UULQXV"
        endpoint.dns_entries = [{"dns_name": f"{stem}.{service_id}.{self.region_name}.vpce.amazonaws.com", "hosted_zone_id": hosted_zone}] + [
            {"dns_name": f"{stem}-{zone}.{service_id}.{self.region_name}.vpce.amazonaws.com", "hosted_zone_id": hosted_zone} for zone in zones
        ]
    return endpoint


# --- Managed instances ---------------------------------------------------
# "Systems Manager can manage an EC2 instance when: the SSM Agent is installed
# and running (it is on Amazon Linux 2023), the instance profile grants
# AmazonSSMManagedInstanceCore, and the instance can reach the ssm,
# ssmmessages and ec2messages endpoints" (without internet: interface
# endpoints with private DNS, reached on 443 through the security groups).
# https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-instance-permissions.html
# https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html
def _instance_profile_grants_ssm(account, region, backend, instance):
    association = backend.iam_instance_profile_associations.get(instance.id)
    if association is None:
        return False
    iam = iam_backends[account]["global"]
    for role in association.iam_instance_profile.roles:
        role = iam.roles.get(role.id, role)
        if any(_SSM_CORE.match(arn) for arn in role.managed_policies):
            return True
    return False


def _reaches_ssm(backend, instance):
    """Whether the instance reaches each of ssm, ssmmessages and ec2messages: an interface endpoint with private DNS in its VPC, through both groups on 443."""
    eni = instance.nics[0]
    address = ipaddress.ip_address(eni.private_ip_address)
    groups = sorted(g.id for g in eni.group_set)
    for name in ("ssm", "ssmmessages", "ec2messages"):
        service = f"com.amazonaws.{backend.region_name}.{name}"
        reached = False
        for endpoint in list(backend.vpc_end_points.values()):
            if endpoint.vpc_id != instance.vpc_id or endpoint.service_name != service or not endpoint.private_dns_enabled:
                continue
            if endpoint.state != "available":
                continue
            targets = [ipaddress.ip_address(backend.get_network_interface(e).private_ip_address) for e in endpoint.network_interface_ids]
            egress = any(_admitting_group(backend, groups, "egress", 443, t, endpoint.security_group_ids) for t in targets) if targets else False
            ingress = _admitting_group(backend, endpoint.security_group_ids, "ingress", 443, address, groups)
            if egress and ingress:
                reached = True
        if not reached:
            return False
    return True


def managed(account, region, instance):
    """Whether SSM manages the instance: running, the SSM core policy through its profile, and the SSM endpoints reachable."""
    backend = ec2_backends[account][region]
    return instance.state == "running" and _instance_profile_grants_ssm(account, region, backend, instance) and _reaches_ssm(backend, instance)


def _instance(backend, instance_id):
    try:
        return backend.get_instance(instance_id)
    except Exception:
        return None


# DescribeInstanceInformation: the managed instances, each Online.
# https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeInstanceInformation.html
def describe_instance_information(self):
    account, region = self.current_account, self.region
    backend = ec2_backends[account][region]
    wanted = None
    for f in self._get_param("Filters") or []:
        if f.get("Key") == "InstanceIds":
            wanted = set(f.get("Values") or [])
    for f in self._get_param("InstanceInformationFilterList") or []:
        if f.get("key") == "InstanceIds":
            wanted = set(f.get("valueSet") or [])
    listed = []
    for reservation in backend.all_reservations():
        for instance in reservation.instances:
            if wanted is not None and instance.id not in wanted:
                continue
            if managed(account, region, instance):
                listed.append({"InstanceId": instance.id, "PingStatus": "Online", "ResourceType": "EC2Instance", "PlatformType": "Linux", "AgentVersion": "3.3.0.0"})
    return ActionResult({"InstanceInformationList": listed})


# SendCommand: "InvalidInstanceId: The following scenarios can result in this
# error message: The instance ID is not valid, the instance is not in a
# running state, or the SSM Agent isn't registered with the endpoint."
# https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_SendCommand.html
_send_command = SimpleSystemManagerBackend.send_command


def send_command(self, *args, **kwargs):
    instance_ids = kwargs.get("instance_ids") or []
    backend = ec2_backends[self.account_id][self.region_name]
    instances = []
    for instance_id in instance_ids:
        instance = _instance(backend, instance_id)
        if instance is None or not managed(self.account_id, self.region_name, instance):
            raise InvalidInstanceId()
        instances.append(instance)
    command = _send_command(self, *args, **{**kwargs, "instance_ids": list(instance_ids)})
    if not kwargs.get("targets"):
        # "InstanceIds: the IDs of the managed nodes where the command should run"; moto 5.2.1 adds every instance of the account when no Targets are given.
        command.instance_ids = list(dict.fromkeys(instance_ids))
        command.invocations = [i for i in command.invocations if i["InstanceId"] in command.instance_ids]
        command.completed_count = command.target_count = len(command.instance_ids)
    if command.document_name in _SHELL_DOCUMENTS:
        script = "\n".join((command.parameters or {}).get("commands") or [])
        by_id = {instance.id: instance for instance in instances}
        for invocation in command.invocations:
            instance = by_id[invocation["InstanceId"]]
            invocation["StandardOutputContent"] = "".join(
                _probe_line(self.account_id, self.region_name, instance, host, int(port), family) for host, port, family in _PROBE.findall(script)
            )
    return command


def _probe_line(account, region, instance, host, port, family):
    started = time.monotonic()
    result, blocked = evaluate(account, region, instance, host, port, family)
    if result == "connected":
        result = f"connected {max(1, round((time.monotonic() - started) * 1000))}"
    line = f"probe {host} {port} {family} {result}\n"
    return line + (f"# blocked: {blocked}\n" if blocked else "")


# --- The path of one TCP connection from a client instance -----------------
def _resolve(backend, instance, host, family):
    """(endpoint, interface) that the name leads to from the instance's VPC for this family, or None (no such record)."""
    for endpoint in list(backend.vpc_end_points.values()):
        if endpoint.vpc_id != instance.vpc_id or (endpoint.vpc_endpoint_type or "").lower() not in ("interface", "resource"):
            continue
        # A deleted endpoint's records are gone with it (moto keeps the endpoint, in state deleted, without its interfaces).
        if endpoint.state == "deleted":
            continue
        names = [e["dns_name"] for e in endpoint.dns_entries or []]
        interfaces = [backend.get_network_interface(e) for e in endpoint.network_interface_ids]
        if not interfaces:
            continue
        chosen = None
        if names and host == names[0]:
            # A Regional name answers every interface; the client takes its own AZ's.
            same_az = [i for i in interfaces if i.subnet.availability_zone == instance.nics[0].subnet.availability_zone]
            chosen = (same_az or interfaces)[0]
        elif host in names[1:]:
            zone = host.split(".", 1)[0].rsplit("-", 3)
            zone_name = "-".join(zone[-3:])
            chosen = next((i for i in interfaces if i.subnet.availability_zone == zone_name), None)
        elif endpoint.private_dns_enabled:
            # Private DNS: the service's name resolves to the endpoint in a VPC with DNS support and hostnames.
            # https://docs.aws.amazon.com/vpc/latest/privatelink/manage-dns-names.html
            config, _, _ = _service_owner(endpoint.service_name)
            vpc = backend.get_vpc(instance.vpc_id)
            if config is not None and getattr(config, "private_dns_name", None) == host and _vpc_dns(vpc):
                same_az = [i for i in interfaces if i.subnet.availability_zone == instance.nics[0].subnet.availability_zone]
                chosen = (same_az or interfaces)[0]
        if chosen is None:
            continue
        # "DnsRecordIpType: ipv4 creates A records, ipv6 AAAA records, dualstack both."
        # https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DnsOptions.html
        record = (getattr(endpoint, "dns_options", None) or {}).get("DnsRecordIpType", "ipv4")
        if _is_resource(endpoint):
            # A Resource endpoint to an IPv4 configuration publishes A records only (resource_sharing.py emulates IPv4 gateways).
            record = "ipv4"
        if family == "ipv6" and record not in ("ipv6", "dualstack"):
            return endpoint, None
        if family == "ipv4" and record not in ("ipv4", "dualstack", "service-defined"):
            return endpoint, None
        return endpoint, chosen
    return None


def _vpc_dns(vpc):
    support = getattr(vpc, "enable_dns_support", "true")
    hostnames = getattr(vpc, "enable_dns_hostnames", "false")
    return str(support).lower() == "true" and str(hostnames).lower() == "true"


def _service_owner(service_name):
    """(configuration, owner account, owner region) of the endpoint service with this name, or Nones."""
    for account, regions in list(ec2_backends.items()):
        for region, backend in list(regions.items()):
            for config in list(backend.configurations.values()):
                if config.service_name == service_name:
                    return config, account, region
    return None, None, None


def evaluate(account, region, instance, host, port, family):
    """("connected" | "refused" | "timeout" | "unresolved", the first blocking hop or None) for a TCP connection from the instance."""
    backend = ec2_backends[account][region]
    found = _resolve(backend, instance, host, family)
    if found is None:
        return "unresolved", f"no DNS record for {host} in {instance.vpc_id}"
    endpoint, interface = found
    if interface is None:
        return "unresolved", f"endpoint {endpoint.id} publishes no {'AAAA' if family == 'ipv6' else 'A'} record (DnsRecordIpType {endpoint.dns_options.get('DnsRecordIpType')})"
    client_eni = instance.nics[0]
    client_groups = sorted(g.id for g in client_eni.group_set)
    if family == "ipv6":
        # An IPv6 connection needs an IPv6 address at both ends.
        if not client_eni.ipv6_addresses:
            return "timeout", f"client instance {instance.id} has no IPv6 address (its subnet {client_eni.subnet.id} or the instance is IPv4 only)"
        source = ipaddress.ip_address(client_eni.ipv6_addresses[0])
        destination = _interface_address(interface, "ipv6")
        if destination is None:
            return "timeout", f"endpoint {endpoint.id} is IPv4 only (IpAddressType {getattr(endpoint, 'ip_address_type', 'ipv4')}): its interface {interface.id} has no IPv6 address"
    else:
        source = ipaddress.ip_address(client_eni.private_ip_address)
        destination = ipaddress.ip_address(interface.private_ip_address)
    if _admitting_group(backend, client_groups, "egress", port, destination, endpoint.security_group_ids) is None:
        return "timeout", f"security group {', '.join(client_groups)} of client instance {instance.id}: no egress rule admits tcp/{port} to {destination}"
    # "An interface endpoint ... in the pendingAcceptance, rejected or pending state carries no traffic."
    # https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html#accept-reject-connection-requests
    if endpoint.state != "available":
        return "timeout", f"endpoint {endpoint.id} is {endpoint.state}, not available"
    if _admitting_group(backend, endpoint.security_group_ids, "ingress", port, source, client_groups) is None:
        return "timeout", f"security group {', '.join(endpoint.security_group_ids)} of endpoint {endpoint.id}: no ingress rule admits tcp/{port} from {source}"
    if _is_resource(endpoint):
        return _evaluate_resource(account, endpoint, port)
    config, owner, owner_region = _service_owner(endpoint.service_name)
    if config is None:
        return "timeout", f"endpoint service {endpoint.service_name} no longer exists"
    if family == "ipv6" and "ipv6" not in (getattr(config, "supported_ip_address_types", None) or ["ipv4"]):
        return "timeout", f"endpoint service {config.id} does not support IPv6"
    _, elbv2 = _backends(owner, owner_region)
    for arn in config.network_load_balancer_arns or []:
        balancer = elbv2.load_balancers.get(arn)
        if balancer is None:
            return "timeout", f"load balancer {arn} of endpoint service {config.id} no longer exists"
        if family == "ipv6" and balancer.ip_address_type != "dualstack":
            return "timeout", f"load balancer {balancer.name} is IPv4 only (IpAddressType {balancer.ip_address_type})"
        # "If you enable inbound rules for PrivateLink traffic, the source of the traffic is the client's private IP address."
        # https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html
        enforce = getattr(balancer, "enforce_security_group_inbound_rules_on_private_link_traffic", None)
        owner_ec2 = ec2_backends[owner][owner_region]
        if balancer.security_groups and enforce == "on" and _admitting_group(owner_ec2, balancer.security_groups, "ingress", port, source, []) is None:
            return "timeout", f"security group {', '.join(balancer.security_groups)} of load balancer {balancer.name} enforces its inbound rules on PrivateLink traffic and admits no tcp/{port} from {source}"
        listener = next((l for l in balancer.listeners.values() if int(l.port) == port), None)
        if listener is None:
            return "timeout", f"load balancer {balancer.name} has no listener on port {port}"
        groups = _forwarded_groups(elbv2, listener)
        healthy = [t for g in groups for t in g.targets.values() if health(elbv2, owner_ec2, g, t)[0] == "healthy"]
        if not healthy:
            names = ", ".join(g.name for g in groups) or "none"
            return "timeout", f"target group {names} of the listener on port {port} has no healthy target"
        return "connected", None
    return "timeout", f"endpoint service {config.id} has no load balancer"


# --- Resource endpoints: through the resource gateway to the resource -------
# A Resource endpoint takes the traffic to its resource configuration's
# resource gateway, which sends it on from its own addresses in the provider
# VPC: "Security group rules for resource gateways control outbound traffic
# from the resource gateway to resources", and the resource must admit the
# gateway. The configuration's port ranges are "the ports through which the
# resource can be accessed"; a resource known by domain name is resolved
# publicly ("the domain name must be publicly resolvable"). Only a shared
# configuration (RAM, accepted) serves another account.
# https://docs.aws.amazon.com/vpc/latest/privatelink/resource-gateway.html
# https://docs.aws.amazon.com/vpc/latest/privatelink/resource-configuration.html
# https://docs.aws.amazon.com/vpc/latest/privatelink/use-resource-endpoint.html
def _is_resource(endpoint):
    return (endpoint.vpc_endpoint_type or "").lower() == "resource"


def _in_ranges(port, ranges):
    for text in ranges:
        low, _, high = str(text).partition("-")
        if int(low) <= port <= int(high or low):
            return True
    return False


def _public_a_record(domain):
    """The first address of a public hosted zone's A record for the name, in any account; None when no public zone answers."""
    wanted = domain.rstrip(".").lower()
    backends = [backend for partitions in list(route53_backends.values()) for backend in list(partitions.values())]
    for backend in backends:
        for zone in list(backend.zones.values()):
            if zone.private_zone:
                continue
            for record in zone.rrsets:
                if record.type == "A" and record.name.rstrip(".").lower() == wanted and record.records:
                    return record.records[0]
    return None


def _interface_at(ec2, vpc_id, address):
    for eni in list(ec2.enis.values()):
        if eni.private_ip_address == str(address) and eni.subnet.vpc_id == vpc_id:
            return eni
    return None


def _evaluate_resource(account, endpoint, port):
    """The resource path beyond a Resource endpoint: configuration, its ports, the gateway, its egress, and the resource's own groups."""
    arn = endpoint.resource_configuration_arn
    configuration = resource_sharing.configuration_by_arn(arn)
    if configuration is None:
        return "timeout", f"resource configuration {arn} no longer exists"
    if not resource_sharing.shared_with(arn, account):
        return "timeout", f"resource configuration {configuration['id']} is no longer shared with account {account}"
    if not _in_ranges(port, configuration["portRanges"]):
        return "timeout", f"resource configuration {configuration['id']} takes no tcp/{port} (port ranges {', '.join(configuration['portRanges'])})"
    owner, owner_region = arn.split(":")[4], arn.split(":")[3]
    gateway = resource_sharing.gateway_of(configuration, owner, owner_region)
    if gateway is None or gateway["status"] != "ACTIVE":
        return "timeout", f"resource gateway {configuration['resourceGatewayId']} of resource configuration {configuration['id']} is not active"
    definition = configuration["resourceConfigurationDefinition"]
    if definition.get("ipResource"):
        address = definition["ipResource"]["ipAddress"]
    else:
        domain = (definition.get("dnsResource") or {}).get("domainName", "")
        address = _public_a_record(domain)
        if address is None:
            return "timeout", f"resource configuration {configuration['id']}: {domain} has no public A record (a resource's domain name is resolved publicly)"
    owner_ec2 = ec2_backends[owner][owner_region]
    target = _interface_at(owner_ec2, gateway["vpcId"], address)
    target_groups = sorted(g.id for g in target.group_set) if target is not None else []
    destination = ipaddress.ip_address(address)
    if _admitting_group(owner_ec2, gateway["securityGroupIds"], "egress", port, destination, target_groups) is None:
        groups = ", ".join(gateway["securityGroupIds"]) or "(none)"
        return "timeout", f"security group {groups} of resource gateway {gateway['id']}: no egress rule admits tcp/{port} to {address}"
    if target is None:
        return "timeout", f"no network interface holds {address} in {gateway['vpcId']}: nothing answers at the resource"
    instance = getattr(target, "instance", None)
    if instance is not None and instance.state != "running":
        return "timeout", f"instance {instance.id} at the resource's address {address} is {instance.state}"
    zone_subnets = [s for z in owner_ec2.subnets.values() for s in z.values() if s.id in gateway["subnetIds"]]
    sources = [_node_address(s) for s in zone_subnets if s.availability_zone == target.subnet.availability_zone] or [_node_address(s) for s in zone_subnets]
    if _admitting_group(owner_ec2, target_groups, "ingress", port, sources[0], gateway["securityGroupIds"]) is None:
        return "timeout", f"security group {', '.join(target_groups) or '(none)'} of the resource at {address} admits no tcp/{port} from resource gateway {gateway['id']}"
    return "connected", None


def _forwarded_groups(elbv2, listener):
    arns = []
    for action in listener.default_actions:
        data = getattr(action, "data", {}) or {}
        if data.get("TargetGroupArn"):
            arns.append(data["TargetGroupArn"])
        for group in (data.get("ForwardConfig") or {}).get("TargetGroups", []):
            arns.append(group["TargetGroupArn"])
    return [elbv2.target_groups[a] for a in dict.fromkeys(arns) if a in elbv2.target_groups]


# --- Target health, as the NLB's health checks find it -----------------------
# A target is healthy when it is running and passes the health check: the
# check comes from the load balancer's security group (or its nodes' private
# addresses without one) to the health check port, and the target's security
# groups must admit it there and on the traffic port.
# "Health checks are subject to outbound rules, but not inbound rules."
# https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html
# https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-register-targets.html#target-security-groups
# https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html
def _balancers_of(elbv2, group):
    return [b for b in elbv2.load_balancers.values() if b.arn in (group.load_balancer_arns or [])]


def _node_address(subnet):
    """A load balancer node's private address in the subnet (AWS takes one per AZ from the subnet)."""
    return subnet.cidr.network_address + 4 if hasattr(subnet, "cidr") else ipaddress.ip_network(subnet.cidr_block).network_address + 4


def health(elbv2, ec2, group, target):
    """(state, reason, description) of a registered target."""
    instance = _instance(ec2, target["Id"]) if target["Id"].startswith("i-") else None
    if instance is None or instance.state in ("terminated", "shutting-down"):
        return "unused", "Target.InvalidState", "Target is in the terminated state"
    if instance.state != "running":
        return "unused", "Target.InvalidState", f"Target is in the {instance.state} state"
    target_port = int(target.get("Port") or group.port)
    check_port = target_port if str(group.health_check_port or "traffic-port") == "traffic-port" else int(group.health_check_port)
    groups = sorted(g.id for g in instance.nics[0].group_set)
    for balancer in _balancers_of(elbv2, group):
        if balancer.security_groups:
            sources = [(None, list(balancer.security_groups))]
            if _admitting_group(ec2, balancer.security_groups, "egress", check_port, ipaddress.ip_address(instance.private_ip), groups) is None:
                return "unhealthy", "Target.Timeout", f"Security group {', '.join(balancer.security_groups)} of the load balancer lets no health check out to port {check_port}"
        else:
            sources = [(_node_address(s), []) for s in balancer.subnets]
        for port in dict.fromkeys([check_port, target_port]):
            for address, peer in sources:
                if _admitting_group(ec2, groups, "ingress", port, address, peer) is None:
                    return "unhealthy", "Target.Timeout", f"Security group {', '.join(groups)} of the target admits no tcp/{port} from the load balancer"
    return "healthy", None, None


def health_for(self, target, ec2_backend):
    registered = self.targets.get(target["Id"])
    if registered is None:
        return _health_for(self, target, ec2_backend)
    elbv2 = elbv2_backends[ec2_backend.account_id][ec2_backend.region_name]
    state, reason, description = health(elbv2, ec2_backend, self, registered)
    if state == "healthy":
        return FakeHealthStatus(registered["Id"], registered["Port"], self.health_check_port, "healthy")
    return FakeHealthStatus(registered["Id"], registered["Port"], self.health_check_port, state, reason, description)


_health_for = FakeTargetGroup.health_for


# DeleteVpcEndpoints deletes an endpoint's network interfaces with it; moto 5.2.1 does so for interface endpoints only.
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpcEndpoints.html
_delete_vpc_endpoints = None


def delete_vpc_endpoints(self, vpce_ids=None):
    for vpce_id in vpce_ids or []:
        endpoint = self.vpc_end_points.get(vpce_id)
        if endpoint is not None and _is_resource(endpoint):
            for eni_id in endpoint.network_interface_ids or []:
                self.enis.pop(eni_id, None)
            endpoint.network_interface_ids = []
    return _delete_vpc_endpoints(self, vpce_ids)


def install():
    """Applies the traffic extensions to moto (after extensions.py's own)."""
    global _create_vpc_endpoint, _delete_vpc_endpoints
    _delete_vpc_endpoints = VPCBackend.delete_vpc_endpoints
    VPCBackend.delete_vpc_endpoints = delete_vpc_endpoints
    _create_vpc_endpoint = VPCBackend.create_vpc_endpoint
    VPCBackend.create_vpc_endpoint = create_vpc_endpoint
    SimpleSystemManagerBackend.send_command = send_command
    SimpleSystemManagerResponse.describe_instance_information = describe_instance_information
    FakeTargetGroup.health_for = health_for
