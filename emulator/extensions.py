"""What moto 5.2 lacks for these stacks, added the way AWS behaves.

Each extension is small, names the AWS API reference page it imitates, and
has its own boto3 test in test_extensions.py. `install()` applies them all;
it is idempotent.
"""
import datetime
import io
import json
import re
import sys
import threading
import uuid
from urllib.parse import parse_qs

from moto.autoscaling.responses import AutoScalingResponse
from moto.moto_api._internal.models import MotoAPIBackend
from moto.core.responses import ActionResult
from moto.ec2.exceptions import DependencyViolationError, EC2ClientError, InvalidParameterValueError, InvalidServiceName
from moto.ec2.models import ec2_backends
from moto.ec2.models.elastic_network_interfaces import NetworkInterface
from moto.ec2.models.instances import InstanceBackend
from moto.core.types import Base64EncodedString
from moto.ec2.models.launch_templates import LaunchTemplate, LaunchTemplateBackend
from moto.ec2.models.subnets import Subnet, SubnetBackend
from moto.ec2.utils import parse_user_data, random_private_ip
from moto.ec2.models.vpcs import VPCBackend
from moto.ec2.models.vpc_service_configuration import VPCServiceConfiguration
import moto.route53.models as route53_models
from moto.ec2.responses.monitoring import Monitoring
from moto.ec2.responses.vpc_service_configuration import VPCEndpointServiceConfiguration
from moto.ec2.responses.vpcs import VPCs
from moto.elbv2.models import ELBv2Backend, elbv2_backends
from moto.elbv2.responses import ELBV2Response
from moto.iam.access_control import IAMPolicy
from moto.s3.models import FakeBucket
from moto.sts.models import sts_backends
from moto.ssm.models import ssm_backends

import resource_sharing
import traffic

# Set per request by `TransportMiddleware`: whether it came over TLS, and the
# access key that signed it (whose assumed role is the caller).
_request = threading.local()

_installed = False

# moto's backends are plain dicts and lists shared by every request thread; a
# request that iterates them while another adds to them fails with HTTP 500,
# which the AWS SDK retries, so a create that went through is sent again (the
# provider then reads InvalidGroup.Duplicate for a security group it has just
# made). AWS applies each request once; so does the emulator: requests that
# change something run one at a time. Reads (Describe*, Get*, List*, Head*,
# S3 GET/HEAD) run alongside; one that trips over a change is retried by the
# SDK, which repeats nothing.
_serial = threading.Lock()

_ACCESS_KEY = re.compile(r"Credential=([A-Z0-9]{16,128})/")
_READ_ACTIONS = ("Describe", "Get", "List", "Head")


def _is_read(environ):
    """Whether the request only reads: by its action (Query and JSON protocols), else (S3 REST) by its method."""
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return target.rsplit(".", 1)[-1].startswith(_READ_ACTIONS)
    action = parse_qs(environ.get("QUERY_STRING", "")).get("Action", [None])[0]
    if action is None and environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        action = parse_qs(body.decode("utf-8", "replace")).get("Action", [None])[0]
    if action is not None:
        return action.startswith(_READ_ACTIONS)
    return environ.get("REQUEST_METHOD") in ("GET", "HEAD")


# --- Idempotent retries ----------------------------------------------------
# An EC2 request with a ClientToken is idempotent: repeated with the same
# token (an SDK retry after a lost response), it returns the first result
# and changes nothing again. moto 5.2.1 ignores ClientToken and creates a
# second resource, which a busy emulator turns into a duplicate endpoint
# service whose permissions nobody set.
# https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html
_answered = {}


# The same holds for any change an AWS SDK sends again: every attempt of one
# call carries the same amz-sdk-invocation-id (a new call gets a new one). On
# AWS the first attempt's answer arrives; from this emulator under load it can
# be lost after the change went through (moto's werkzeug server), and the retry
# then fails where AWS would have answered (CreateSubnet, which takes no
# ClientToken: InvalidSubnet.Conflict against the subnet the first attempt
# made). So a retried attempt of a call whose change succeeded gets that
# answer again; a new call (new invocation id) is served as always.
# https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
_INVOCATIONS_KEPT = 10000


def _invocation(environ):
    """The SDK's id of the call this request is an attempt of; None when it sent none."""
    return environ.get("HTTP_AMZ_SDK_INVOCATION_ID") or None


def _client_token(environ):
    """(action, ClientToken) of a Query request that carries one; None otherwise. Reads the body once and puts it back."""
    if not environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        return None
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    environ["wsgi.input"] = io.BytesIO(body)
    fields = parse_qs(body.decode("utf-8", "replace"))
    token = fields.get("ClientToken", [None])[0]
    return (fields.get("Action", [None])[0], token) if token else None


class TransportMiddleware:
    """Serves changes one at a time, and records for each request whether it arrived over TLS (aws:SecureTransport) and who signed it."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        def logged(status, headers, *rest):
            # A 5xx is the emulator's own failure: say which call it was, so a retried create is explained.
            if status.startswith("5"):
                sys.stderr.write(f"emulator: {status} for {environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')} {environ.get('QUERY_STRING', '')[:200]}\n")
            return start_response(status, headers, *rest)

        _request.secure = environ.get("wsgi.url_scheme") == "https"
        found = _ACCESS_KEY.search(environ.get("HTTP_AUTHORIZATION", ""))
        _request.access_key = found.group(1) if found else None
        if _is_read(environ):
            return list(self.app(environ, logged))
        with _serial:
            token = _client_token(environ)
            invocation = _invocation(environ)
            keys = [k for k in ((_request.access_key, *token) if token else None, ("invocation", invocation) if invocation else None) if k]
            for key in keys:
                if key in _answered:
                    status, headers, body = _answered[key]
                    if key[0] == "invocation":
                        sys.stderr.write(f"emulator: answered a retried attempt of call {invocation} with its first answer\n")
                    start_response(status, headers)
                    return body
            answer = {}

            def remembered(status, headers, *rest):
                answer.update(status=status, headers=headers)
                return logged(status, headers, *rest)

            body = list(self.app(environ, remembered))
            if answer.get("status", "").startswith("2"):
                for key in keys:
                    _answered[key] = (answer["status"], answer["headers"], body)
                # Retries come within seconds: the oldest answers go first (dicts keep insertion order).
                while len(_answered) > _INVOCATIONS_KEPT:
                    del _answered[next(iter(_answered))]
            return body


def _caller_role_arn():
    """The IAM role whose session signed this request (STS AssumeRole), or None for other credentials."""
    key = getattr(_request, "access_key", None)
    if not key:
        return None
    for _, _, backend in _existing(sts_backends):
        role = backend.get_assumed_role_from_access_key(key)
        if role:
            return role.role_arn
    return None


def _existing(backend_dict):
    """(account, region, backend) of every backend moto has created so far."""
    for account_id, regions in list(backend_dict.items()):
        for region, backend in list(regions.items()):
            yield account_id, region, backend


def _service_by_name(service_name):
    """The endpoint service (of any account) with this service name, and its owner's backend."""
    for _, _, backend in _existing(ec2_backends):
        for config in list(backend.configurations.values()):
            if config.service_name == service_name:
                return config, backend
    return None, None


def _endpoints_of(config):
    """Interface endpoints of every account that connect to this endpoint service."""
    return [
        (account_id, endpoint)
        for account_id, _, backend in _existing(ec2_backends)
        for endpoint in list(backend.vpc_end_points.values())
        if endpoint.service_name == config.service_name
    ]


# --- Allowed principals match as AWS matches them ----------------------------
# "To grant permissions to all principals in an AWS account, specify the
# account root"; a role ARN admits only that role's sessions; `*` admits
# everyone. The caller is the role whose STS session signed the request.
# https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html#add-remove-permissions
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcEndpointServicePermissions.html
def _allows(config, owner_backend, account_id):
    """Whether the caller, in `account_id`, may use the service: the owner itself, `*`, its account's root, or its own role."""
    if account_id == owner_backend.account_id:
        return True
    caller = _caller_role_arn()
    for principal in config.principals:
        parts = principal.split(":")
        if principal == "*" or (parts[4:5] == [account_id] and parts[5:6] == ["root"]):
            return True
        if caller is not None and principal == caller:
            return True
    return False


# --- Endpoints wait for acceptance -----------------------------------------
# CreateVpcEndpoint: "If the service requires acceptance, the endpoint is in
# the pendingAcceptance state until the service owner accepts it", and the
# caller must be an allowed principal, else InvalidServiceName.
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html
# https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html#accept-reject-connection-requests
_create_vpc_endpoint = VPCBackend.create_vpc_endpoint


# Cross-region (ServiceRegion): "the Region where the service is hosted"; the
# endpoint reports it, and the service must list the endpoint's Region among
# its SupportedRegions. Without ServiceRegion the service must be in the
# endpoint's own Region.
# https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-cross-region.html
def create_vpc_endpoint(self, *args, **kwargs):
    service_name = kwargs.get("service_name")
    endpoint_type = (kwargs.get("endpoint_type") or "").lower()
    if endpoint_type == "resource":
        # A resource endpoint (resource_sharing.py): to a resource configuration shared with this account.
        arn = getattr(_request, "resource_configuration_arn", None)
        configuration = resource_sharing.check_resource_endpoint(self, arn, kwargs.get("subnet_ids"))
        endpoint = _create_vpc_endpoint(self, *args, **kwargs)
        endpoint.resource_configuration_arn = arn
        # "We create a network interface in each subnet" of a Resource endpoint, as for an interface endpoint; moto 5.2.1 creates none.
        # https://docs.aws.amazon.com/vpc/latest/privatelink/use-resource-endpoint.html
        endpoint.network_interface_ids = [self.create_network_interface(subnet_id, random_private_ip()).id for subnet_id in kwargs.get("subnet_ids") or []]
        traffic.place_interfaces(self, endpoint)
        endpoint.dns_entries = [resource_sharing.resource_dns_entry(endpoint.id, configuration, self.region_name)]
        endpoint.service_region = self.region_name
        return endpoint
    config, owner = _service_by_name(service_name) if endpoint_type == "interface" else (None, None)
    if config and not _allows(config, owner, self.account_id):
        raise InvalidServiceName(service_name)
    service_region = getattr(_request, "service_region", None)
    if config and (service_region or self.region_name) != owner.region_name:
        raise InvalidServiceName(service_name)
    if config and self.region_name not in config._supported_region_names:
        raise InvalidParameterValueError(f"{service_name} is not offered in {self.region_name}: it is not among the service's supported regions")
    endpoint = _create_vpc_endpoint(self, *args, **kwargs)
    endpoint.service_region = service_region or self.region_name
    if config and config.acceptance_required:
        endpoint.state = "pendingAcceptance"
    return endpoint


# --- IP address types: dual-stack endpoint services and endpoints ----------
# CreateVpcEndpointServiceConfiguration takes SupportedIpAddressTypes, which
# the service configuration then reports; CreateVpcEndpoint takes
# IpAddressType and DnsOptions (DnsRecordIpType), which the endpoint then
# reports. moto 5.2.1 drops all three, so a dual-stack plan never settles.
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpointServiceConfiguration.html
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DnsOptionsSpecification.html
_create_service_configuration = VPCEndpointServiceConfiguration.create_vpc_endpoint_service_configuration
_create_vpc_endpoint_response = VPCs.create_vpc_endpoint


def create_vpc_endpoint_service_configuration(self):
    result = _create_service_configuration(self)
    config = result.result["ServiceConfiguration"]
    # The service's own Region is always supported, whether or not it was listed.
    # https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ServiceConfiguration.html (SupportedRegions)
    own = self.ec2_backend.region_name
    config._supported_region_names = [own] + [r for r in config._supported_region_names if r != own]
    if config.private_dns_name:
        _new_private_dns_challenge(config)
    # Without SupportedIpAddressTypes, AWS creates (and reports) an IPv4-only service.
    config.supported_ip_address_types = self._get_param("SupportedIpAddressTypes", []) or ["ipv4"]
    return result


def create_vpc_endpoint_with_ip_types(self):
    _request.service_region = self._get_param("ServiceRegion")
    _request.resource_configuration_arn = self._get_param("ResourceConfigurationArn")
    try:
        result = _create_vpc_endpoint_response(self)
    finally:
        _request.service_region = None
        _request.resource_configuration_arn = None
    endpoint = result.result["VpcEndpoint"]
    # An interface endpoint is IPv4 with IPv4 DNS records unless asked otherwise, and reports so.
    endpoint.ip_address_type = self._get_param("IpAddressType") or "ipv4"
    endpoint.dns_options = {"DnsRecordIpType": "ipv4", **(self._get_param("DnsOptions") or {})}
    traffic.give_ipv6(self.ec2_backend, endpoint)
    return result


# --- Turning dual stack on and off -----------------------------------------
# ModifyVpcEndpoint takes IpAddressType and DnsOptions, and
# ModifyVpcEndpointServiceConfiguration takes Add/RemoveSupportedIpAddressTypes;
# moto 5.2.1 ignores all three, so a change of either never settles. AWS
# refuses an endpoint IP address type its service does not support, and a
# DNS record type the endpoint's address type cannot serve.
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcEndpoint.html
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcEndpointServiceConfiguration.html
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DnsOptionsSpecification.html (DnsRecordIpType)
_modify_vpc_endpoint = VPCs.modify_vpc_endpoint
_modify_service_configuration = VPCEndpointServiceConfiguration.modify_vpc_endpoint_service_configuration


def modify_vpc_endpoint(self):
    endpoint_id = self._get_param("VpcEndpointId")
    ip_type = self._get_param("IpAddressType")
    dns = self._get_param("DnsOptions")
    endpoint = self.ec2_backend.vpc_end_points.get(endpoint_id)
    private_dns = self._get_param("PrivateDnsEnabled")
    if endpoint is not None and private_dns is not None:
        _set_private_dns(endpoint, str(private_dns).lower() == "true")
    if endpoint is not None and (ip_type or dns):
        new_type = ip_type or getattr(endpoint, "ip_address_type", "ipv4")
        config, _ = _service_by_name(endpoint.service_name)
        supported = getattr(config, "supported_ip_address_types", ["ipv4"]) if config else ["ipv4", "ipv6"]
        needs = {"ipv4": ["ipv4"], "ipv6": ["ipv6"], "dualstack": ["ipv4", "ipv6"]}.get(new_type, [new_type])
        if any(t not in supported for t in needs):
            raise EC2ClientError("InvalidParameter", f"The VPC endpoint service {endpoint.service_name} does not support the IP address type {new_type}.")
        record = (dns or {}).get("DnsRecordIpType") or endpoint.dns_options.get("DnsRecordIpType", "ipv4")
        if new_type == "ipv4" and record != "ipv4" or new_type == "ipv6" and record != "ipv6":
            raise EC2ClientError("InvalidParameter", f"DnsRecordIpType {record} is not valid for an endpoint of IP address type {new_type}.")
    result = _modify_vpc_endpoint(self)
    if endpoint is not None:
        if ip_type:
            endpoint.ip_address_type = ip_type
        if dns:
            endpoint.dns_options = {**endpoint.dns_options, **dns}
        traffic.give_ipv6(self.ec2_backend, endpoint)
    return result


def modify_vpc_endpoint_service_configuration(self):
    result = _modify_service_configuration(self)
    config = self.ec2_backend.describe_vpc_endpoint_service_configurations([self._get_param("ServiceId")])[0]
    if self._get_param("PrivateDnsName"):
        _new_private_dns_challenge(config)
    types = [t for t in getattr(config, "supported_ip_address_types", ["ipv4"]) if t not in self._get_param("RemoveSupportedIpAddressTypes", [])]
    config.supported_ip_address_types = types + [t for t in self._get_param("AddSupportedIpAddressTypes", []) if t not in types]
    return result


# --- Subnet IPv6 blocks ----------------------------------------------------
# A subnet's IPv6 association reports its state as a string (SubnetCidrBlockState:
# State is associating | associated | ...), and DescribeSubnets filters by
# ipv6-cidr-block-association.* (which the AWS provider's waiter uses). moto
# 5.2.1 nests the state dict into itself and answers those filters with HTTP 500.
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SubnetCidrBlockState.html
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSubnets.html
def ipv6_cidr_block_association_set(self):
    return [
        {
            "ipv6CidrBlock": association["ipv6CidrBlock"],
            "associationId": association["associationId"],
            "ipv6CidrBlockState": {"state": association["ipv6CidrBlockState"]["State"]},
        }
        for association in self.ipv6_cidr_block_associations.values()
        if association["ipv6CidrBlockState"]["State"] == "associated"
    ]


_subnet_filter_value = Subnet.get_filter_value
_IPV6_ASSOCIATION_FILTERS = {
    "ipv6-cidr-block-association.association-id": lambda a: a["associationId"],
    "ipv6-cidr-block-association.ipv6-cidr-block": lambda a: a["ipv6CidrBlock"],
    "ipv6-cidr-block-association.state": lambda a: a["ipv6CidrBlockState"]["State"],
}


def subnet_filter_value(self, filter_name, method_name=None):
    if filter_name in _IPV6_ASSOCIATION_FILTERS:
        return [_IPV6_ASSOCIATION_FILTERS[filter_name](a) for a in self.ipv6_cidr_block_associations.values()]
    return _subnet_filter_value(self, filter_name, method_name)


# --- Endpoint connections, from the service owner's side -------------------
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpointConnections.html
def describe_vpc_endpoint_connections(self):
    filters = self._filters_from_querystring()
    connections = []
    for config in self.ec2_backend.configurations.values():
        for account_id, endpoint in _endpoints_of(config):
            connection = {
                "ServiceId": config.id,
                "VpcEndpointId": endpoint.id,
                "VpcEndpointOwner": account_id,
                "VpcEndpointState": endpoint.state,
                "CreationTimestamp": endpoint.creation_timestamp,
                "DnsEntries": endpoint.dns_entries,
                "NetworkLoadBalancerArns": list(config.network_load_balancer_arns),
                # A dual-stack endpoint's connection is dual stack too.
                "IpAddressType": getattr(endpoint, "ip_address_type", None) or "ipv4",
                "VpcEndpointConnectionId": f"vpce-con-{endpoint.id[5:]}",
            }
            wanted = {
                "service-id": connection["ServiceId"],
                "vpc-endpoint-id": connection["VpcEndpointId"],
                "vpc-endpoint-owner": connection["VpcEndpointOwner"],
                "vpc-endpoint-state": connection["VpcEndpointState"],
            }
            if all(wanted.get(name) in values for name, values in filters.items()):
                connections.append(connection)
    return ActionResult({"VpcEndpointConnections": connections})


def _set_connection_state(response, from_states, to_state):
    service_id = response._get_param("ServiceId")
    config = response.ec2_backend.describe_vpc_endpoint_service_configurations([service_id])[0]
    endpoints = {endpoint.id: endpoint for _, endpoint in _endpoints_of(config)}
    unsuccessful = []
    for endpoint_id in response._get_param("VpcEndpointIds", []):
        endpoint = endpoints.get(endpoint_id)
        if endpoint is None:
            error = {"Code": "InvalidVpcEndpointId.NotFound", "Message": f"The Vpc Endpoint Id '{endpoint_id}' does not exist"}
        elif endpoint.state not in from_states:
            error = {"Code": "InvalidState", "Message": f"Endpoint {endpoint_id} is {endpoint.state}"}
        else:
            endpoint.state = to_state
            continue
        unsuccessful.append({"ResourceId": endpoint_id, "Error": error})
    return ActionResult({"Unsuccessful": unsuccessful})


# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AcceptVpcEndpointConnections.html
def accept_vpc_endpoint_connections(self):
    return _set_connection_state(self, ("pendingAcceptance", "rejected", "available"), "available")


# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RejectVpcEndpointConnections.html
# A rejected endpoint stays, in the rejected state, until its owner deletes it.
def reject_vpc_endpoint_connections(self):
    return _set_connection_state(self, ("pendingAcceptance", "available", "rejected"), "rejected")


# --- Other accounts' services, as an allowed consumer sees them -------------
# DescribeVpcEndpointServices lists "the services that you can create an
# endpoint for": AWS services and endpoint services that allow the caller.
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpointServices.html
_describe_vpc_endpoint_services = VPCBackend.describe_vpc_endpoint_services


def describe_vpc_endpoint_services(self, service_names, filters, max_results, next_token, region):
    shared = [
        config.to_dict()
        for _, other_region, backend in _existing(ec2_backends)
        if backend is not self and other_region == region
        for config in list(backend.configurations.values())
        if _allows(config, backend, self.account_id)
    ]
    shared_names = {s["ServiceName"] for s in shared}
    own_names = [n for n in service_names if n not in shared_names]
    if service_names and not own_names:
        result = {"servicesDetails": [], "serviceNames": [], "nextToken": None}
    else:
        result = _describe_vpc_endpoint_services(self, own_names, filters, max_results, next_token, region)
    if result["nextToken"] is None:  # the shared services follow the last page
        extra = VPCBackend._filter_endpoint_services(service_names, filters, shared)
        result["servicesDetails"] = result["servicesDetails"] + extra
        result["serviceNames"] = result["serviceNames"] + [s["ServiceName"] for s in extra]
    return result


# --- No public IP reads back as no association ------------------------------
# An instance's network interface has an Association only when it has a
# public IPv4 address; moto returns an empty one, which the AWS provider reads
# as associate_public_ip_address = true and plans a replacement.
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceNetworkInterface.html
_association = NetworkInterface.association


def association(self):
    return _association.fget(self) or None


# --- Security groups given on the primary network interface -----------------
# RunInstances may name the security groups on NetworkInterfaces[0].Groups
# (the AWS provider does so when associate_public_ip_address is set);
# DescribeInstances then lists them as the instance's SecurityGroups. moto
# keeps them on the interface only, so vpc_security_group_ids reads back empty.
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceNetworkInterfaceSpecification.html
_run_instances = InstanceBackend.run_instances


# --- Launch templates may name an SSM parameter as image ---------------------
# A launch template's ImageId may be `resolve:ssm:<parameter>`; EC2 resolves
# it at each launch, so the instance reports the AMI id the parameter held
# then, while the template keeps the parameter. moto launched instances with
# the literal string as their image.
# https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/create-launch-template.html#use-an-ssm-parameter-instead-of-an-ami-id
# https://docs.aws.amazon.com/autoscaling/ec2/userguide/using-systems-manager-parameters.html
_RESOLVE_SSM = "resolve:ssm:"


def _resolved_image(backend, image_id, launch_template):
    if not image_id and launch_template:
        image_id = backend._get_template_from_args(launch_template).image_id
    if not image_id or not image_id.startswith(_RESOLVE_SSM):
        return image_id
    name = image_id[len(_RESOLVE_SSM):]
    parameter = ssm_backends[backend.account_id][backend.region_name].get_parameter(name)
    if parameter is None:
        raise InvalidParameterValueError(f"The SSM parameter {name} of the launch template's image does not exist")
    return parameter.value


# A launch template may give the instance's security groups on its primary
# network interface (NetworkInterfaces, DeviceIndex 0, Groups) instead of
# SecurityGroupIds; the instance then carries those groups. moto 5.2.1 reads
# only SecurityGroupIds and SecurityGroups, so an Auto Scaling group's
# instances landed in the VPC's default group.
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchTemplateInstanceNetworkInterfaceSpecificationRequest.html
def _template_interface_groups(backend, launch_template):
    data = backend._get_template_from_args(launch_template).data
    primary = next((n for n in data.get("NetworkInterfaces") or [] if int(n.get("DeviceIndex") or 0) == 0), None)
    return list((primary or {}).get("Groups") or [])


def run_instances(self, image_id, *args, **kwargs):
    template = kwargs.get("launch_template")
    image_id = _resolved_image(self, image_id, template)
    names = args[2] if len(args) > 2 else kwargs.get("security_group_names")
    if template and not names and not kwargs.get("security_group_ids"):
        groups = _template_interface_groups(self, template)
        if groups:
            kwargs["security_group_ids"] = groups
    reservation = _run_instances(self, image_id, *args, **kwargs)
    for instance in reservation.instances:
        primary = instance.nics.get(0)
        if primary is not None:
            traffic.assign_ipv6_on_creation(primary)
        if not instance.security_groups and primary is not None:
            instance.security_groups = list(primary.group_set)
    return reservation


# --- NLB security-group enforcement on PrivateLink traffic, read back -------
# CreateLoadBalancer/SetSecurityGroups take
# EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic ("on" by default for
# an NLB with security groups), and DescribeLoadBalancers returns it.
# https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SetSecurityGroups.html
# https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancer.html
_create_load_balancer = ELBv2Backend.create_load_balancer
_set_security_groups = ELBV2Response.set_security_groups


def create_load_balancer(self, *args, **kwargs):
    balancer = _create_load_balancer(self, *args, **kwargs)
    if balancer.type == "network" and balancer.security_groups:
        balancer.enforce_security_group_inbound_rules_on_private_link_traffic = "on"
    return balancer


def set_security_groups(self):
    arn = self._get_param("LoadBalancerArn")
    enforce = self._get_param("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic")
    result = _set_security_groups(self)
    balancer = self.elbv2_backend.load_balancers.get(arn)
    if balancer is not None and balancer.type == "network":
        if enforce is not None:
            balancer.enforce_security_group_inbound_rules_on_private_link_traffic = enforce
        result.result["EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"] = getattr(balancer, "enforce_security_group_inbound_rules_on_private_link_traffic", None)
    return result


# --- A launch template's own tags stay out of its launch data -----------------
# CreateLaunchTemplate's TagSpecifications (resource type launch-template) tag
# the template itself; LaunchTemplateData.TagSpecifications tag what it
# launches. moto copies the first into the second, which the AWS provider
# reads back as an extra tag_specifications block and plans away forever.
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html
_create_launch_template = LaunchTemplateBackend.create_launch_template


def create_launch_template(self, name, description, template_data, tag_spec):
    specs = template_data.get("TagSpecifications")
    if specs:
        template_data = {**template_data, "TagSpecifications": [s for s in specs if s.get("ResourceType") != "launch-template"]}
        if not template_data["TagSpecifications"]:
            del template_data["TagSpecifications"]
    return _create_launch_template(self, name, description, template_data, tag_spec)


# --- Launch template versions keep their user data as base64 ------------------
# CreateLaunchTemplateVersion takes UserData base64-encoded, as
# CreateLaunchTemplate does; moto decodes it for the first version only, and
# instances launched from a later version fail (HTTP 500).
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RequestLaunchTemplateData.html
_create_version = LaunchTemplate.create_version


def create_version(self, data, description):
    if data.get("UserData") is not None and not isinstance(data["UserData"], Base64EncodedString):
        data = {**data, "UserData": parse_user_data(data["UserData"])}
    return _create_version(self, data, description)


# --- Instance refresh ---------------------------------------------------------
# StartInstanceRefresh replaces every instance of the group with one from its
# current launch template; DescribeInstanceRefreshes reports it. AWS rolls
# over minutes within the MinHealthyPercentage; the emulator replaces them at
# once (launch-before-terminate is not observable without traffic).
# https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html
# https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeInstanceRefreshes.html
_refreshes = {}


def start_instance_refresh(self):
    name = self._get_param("AutoScalingGroupName")
    group = self.autoscaling_backend.describe_auto_scaling_groups([name])[0]
    old = [state.instance.id for state in group.instance_states]
    for instance_id in old:
        # should_decrement=False: the group launches a replacement from its current template
        # and registers it with its target groups; the old one leaves them, as in AWS.
        self.autoscaling_backend.terminate_instance(instance_id, should_decrement=False)
        for arn in group.target_group_arns:
            self.autoscaling_backend.elbv2_backend.deregister_targets(arn, [{"Id": instance_id}])
    refresh_id = str(uuid.uuid4())
    now = datetime.datetime.now(datetime.timezone.utc)
    _refreshes.setdefault((self.current_account, self.region, name), []).insert(0, {
        "InstanceRefreshId": refresh_id,
        "AutoScalingGroupName": name,
        "Status": "Successful",
        "PercentageComplete": 100,
        "InstancesToUpdate": 0,
        "StartTime": now,
        "EndTime": now,
        "Preferences": self._get_param("Preferences") or {},
    })
    return ActionResult({"InstanceRefreshId": refresh_id})


def describe_instance_refreshes(self):
    name = self._get_param("AutoScalingGroupName")
    wanted = self._get_param("InstanceRefreshIds", [])
    found = [r for r in _refreshes.get((self.current_account, self.region, name), []) if not wanted or r["InstanceRefreshId"] in wanted]
    return ActionResult({"InstanceRefreshes": found})


# --- Detailed monitoring ----------------------------------------------------
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_MonitorInstances.html
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UnmonitorInstances.html
def _set_monitoring(response, state):
    changed = []
    for instance_id in response._get_param("InstanceIds", []):
        instance = response.ec2_backend.get_instance(instance_id)
        instance.monitoring_state = state
        changed.append({"InstanceId": instance_id, "Monitoring": {"State": state}})
    return ActionResult({"InstanceMonitorings": changed})


def monitor_instances(self):
    self.error_on_dryrun()
    return _set_monitoring(self, "enabled")


def unmonitor_instances(self):
    self.error_on_dryrun()
    return _set_monitoring(self, "disabled")


# --- Bucket-policy conditions on the transport --------------------------------
# A statement applies only when its Condition holds; the usual TLS-only policy
# denies with {"Bool": {"aws:SecureTransport": "false"}}, so it must not deny
# requests that came over TLS. Statements with conditions this emulator cannot
# judge still apply, as moto has them.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit
_get_permission = FakeBucket.get_permission


def _condition_holds(condition):
    """False when the condition is about the transport and does not hold; True otherwise."""
    secure = getattr(_request, "secure", None)
    for operator, tests in (condition or {}).items():
        if operator not in ("Bool", "BoolIfExists") or not isinstance(tests, dict):
            continue
        for key, values in tests.items():
            if key.lower() != "aws:securetransport" or secure is None:
                continue
            expected = values if isinstance(values, list) else [values]
            if str(secure).lower() not in [str(v).lower() for v in expected]:
                return False
    return True


def get_permission(self, action, resource):
    if self.policy is None:
        return _get_permission(self, action, resource)
    policy = json.loads(self.policy)
    statements = policy.get("Statement", [])
    statements = statements if isinstance(statements, list) else [statements]
    applying = [s for s in statements if _condition_holds(s.get("Condition"))]
    return IAMPolicy(json.dumps({**policy, "Statement": applying})).is_action_permitted(action, resource)


# --- Private DNS names of endpoint services ---------------------------------
# A service's private DNS name starts pendingVerification, with a TXT record
# (name and value) the owner must publish in the domain's DNS;
# StartVpcEndpointServicePrivateDnsVerification then checks it, and only a
# verified name can be turned on at a consumer's endpoint, once its
# connection is accepted. moto 5.2.1 reports every name verified at once
# (with a fixed record), has no StartVpcEndpointServicePrivateDnsVerification,
# and ignores PrivateDnsEnabled on ModifyVpcEndpoint. Route 53 hosted zone ids
# start with Z; moto's do not.
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_PrivateDnsNameConfiguration.html
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_StartVpcEndpointServicePrivateDnsVerification.html
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcEndpoint.html (PrivateDnsEnabled)
# https://docs.aws.amazon.com/vpc/latest/privatelink/manage-dns-names.html
# https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHostedZone.html (Id: /hostedzone/Z1PA6795UKMFR9)
def _new_private_dns_challenge(config):
    config._private_dns_challenge = {
        "State": "pendingVerification",
        "Type": "TXT",
        "Name": f"_{uuid.uuid4().hex[:20]}",
        "Value": f"vpce:{uuid.uuid4().hex}",
    }


def private_dns_name_configuration(self):
    return getattr(self, "_private_dns_challenge", {}) if self.private_dns_name else {}


def start_vpc_endpoint_service_private_dns_verification(self):
    config = self.ec2_backend.describe_vpc_endpoint_service_configurations([self._get_param("ServiceId")])[0]
    challenge = getattr(config, "_private_dns_challenge", None)
    if not config.private_dns_name or not challenge:
        raise EC2ClientError("InvalidParameter", f"The service {config.id} has no private DNS name to verify.")
    from moto.route53.models import route53_backends

    zones = route53_backends[self.current_account]["global"].zones.values()
    published = any(
        record.type == "TXT" and record.name.rstrip(".").startswith(f"{challenge['Name']}.") and any(challenge["Value"] in str(v) for v in record.records)
        for zone in zones
        for record in zone.rrsets
    )
    challenge["State"] = "verified" if published else "failed"
    return ActionResult({"ReturnValue": True})


def _set_private_dns(endpoint, enabled):
    if not enabled:
        endpoint.private_dns_enabled = False
        return
    config, _ = _service_by_name(endpoint.service_name)
    challenge = getattr(config, "_private_dns_challenge", {}) if config else {}
    if not config or not config.private_dns_name or challenge.get("State") != "verified":
        raise EC2ClientError("InvalidParameter", f"The private DNS name of {endpoint.service_name} is not verified; private DNS cannot be enabled.")
    if endpoint.state != "available":
        raise EC2ClientError("InvalidParameter", f"Private DNS can be enabled only once the endpoint's connection is accepted; {endpoint.id} is {endpoint.state}.")
    endpoint.private_dns_enabled = True


# --- A subnet in use cannot be deleted ------------------------------------------
# AWS refuses DeleteSubnet while the subnet holds network interfaces: "You must
# terminate all running instances in the subnet before you can delete the
# subnet", and a load balancer's or interface endpoint's interfaces hold it as
# well (DependencyViolation: "The subnet ... has dependencies and cannot be
# deleted"). moto deletes it anyway, so a plan that replaces a subnet under the
# NLB would apply here and fail on AWS.
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSubnet.html
_delete_subnet = SubnetBackend.delete_subnet


def _subnet_users(backend, subnet_id):
    instances = [i.id for i in backend.all_instances() if i.subnet_id == subnet_id and i.state not in ("terminated", "shutting-down")]
    endpoints = [
        e.id
        for e in backend.vpc_end_points.values()
        if (e.vpc_endpoint_type or "").lower() in ("interface", "resource") and e.state != "deleted" and subnet_id in (e.subnet_ids or [])
    ]
    endpoints += resource_sharing.gateways_in_subnet(backend.account_id, backend.region_name, subnet_id)
    balancers = [lb.name for lb in elbv2_backends[backend.account_id][backend.region_name].load_balancers.values() if any(s.id == subnet_id for s in lb.subnets)]
    return instances + endpoints + balancers


def delete_subnet(self, subnet_id):
    users = _subnet_users(self, subnet_id)
    if users:
        raise DependencyViolationError(f"The subnet '{subnet_id}' has dependencies and cannot be deleted (in use by {', '.join(users)}).")
    return _delete_subnet(self, subnet_id)


_create_route53_zone_id = route53_models.create_route53_zone_id


def route53_zone_id(*args, **kwargs):
    return "Z" + _create_route53_zone_id(*args, **kwargs)[1:]


# moto's reset (POST /moto-api/reset) clears its backends; the state these
# extensions keep beside them (answers to retried calls, instance refreshes,
# and resource_sharing.py's gateways, configurations, shares and invitations)
# goes with it, so nothing of one run leaks into the next on the same server.
_moto_reset = MotoAPIBackend.reset


def reset(self):
    # Served like any change, one at a time (TransportMiddleware holds _serial), so nothing else runs meanwhile.
    _moto_reset(self)
    _answered.clear()
    _refreshes.clear()
    resource_sharing.reset()


def install():
    """Applies every extension to moto, once."""
    global _installed
    if _installed:
        return
    _installed = True
    MotoAPIBackend.reset = reset
    VPCBackend.create_vpc_endpoint = create_vpc_endpoint
    VPCs.create_vpc_endpoint = create_vpc_endpoint_with_ip_types
    VPCs.modify_vpc_endpoint = modify_vpc_endpoint
    VPCServiceConfiguration.private_dns_name_configuration = property(private_dns_name_configuration)
    VPCEndpointServiceConfiguration.start_vpc_endpoint_service_private_dns_verification = start_vpc_endpoint_service_private_dns_verification
    route53_models.create_route53_zone_id = route53_zone_id
    VPCEndpointServiceConfiguration.modify_vpc_endpoint_service_configuration = modify_vpc_endpoint_service_configuration
    Subnet.ipv6_cidr_block_association_set = property(ipv6_cidr_block_association_set)
    Subnet.get_filter_value = subnet_filter_value
    SubnetBackend.delete_subnet = delete_subnet
    VPCEndpointServiceConfiguration.create_vpc_endpoint_service_configuration = create_vpc_endpoint_service_configuration
    VPCBackend.describe_vpc_endpoint_services = describe_vpc_endpoint_services
    VPCEndpointServiceConfiguration.describe_vpc_endpoint_connections = describe_vpc_endpoint_connections
    VPCEndpointServiceConfiguration.accept_vpc_endpoint_connections = accept_vpc_endpoint_connections
    VPCEndpointServiceConfiguration.reject_vpc_endpoint_connections = reject_vpc_endpoint_connections
    NetworkInterface.association = property(association)
    InstanceBackend.run_instances = run_instances
    ELBv2Backend.create_load_balancer = create_load_balancer
    ELBV2Response.set_security_groups = set_security_groups
    LaunchTemplateBackend.create_launch_template = create_launch_template
    LaunchTemplate.create_version = create_version
    AutoScalingResponse.start_instance_refresh = start_instance_refresh
    AutoScalingResponse.describe_instance_refreshes = describe_instance_refreshes
    Monitoring.monitor_instances = monitor_instances
    Monitoring.unmonitor_instances = unmonitor_instances
    FakeBucket.get_permission = get_permission
    resource_sharing.install()
    traffic.install()
