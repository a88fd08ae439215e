"""PrivateLink for resources, which moto 5.2 lacks: VPC Lattice resource
gateways and resource configurations, AWS RAM shares between accounts with
invitations, and `Resource`-type VPC endpoints to a shared resource
configuration. Installed by `extensions.install()`; each part has its boto3
test in test_extensions.py.

AWS API references:
- VPC Lattice: CreateResourceGateway, GetResourceGateway,
  UpdateResourceGateway, DeleteResourceGateway, CreateResourceConfiguration,
  GetResourceConfiguration, UpdateResourceConfiguration,
  DeleteResourceConfiguration
  (https://docs.aws.amazon.com/vpc-lattice/latest/APIReference/API_Operations.html);
- AWS RAM: CreateResourceShare, GetResourceShares, UpdateResourceShare,
  DeleteResourceShare, AssociateResourceShare, DisassociateResourceShare,
  GetResourceShareAssociations, GetResourceShareInvitations,
  AcceptResourceShareInvitation, ListResources
  (https://docs.aws.amazon.com/ram/latest/APIReference/API_Operations.html);
- EC2 CreateVpcEndpoint with VpcEndpointType Resource and
  ResourceConfigurationArn
  (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html).
"""
import json
import re
import secrets
import time
import uuid

import moto.ram.urls as ram_urls
import moto.vpclattice.urls as lattice_urls
from moto.core.exceptions import JsonRESTError
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models import ec2_backends
from moto.ram.responses import ResourceAccessManagerResponse
from moto.vpclattice.models import vpclattice_backends
from moto.vpclattice.responses import VPCLatticeResponse


class ServiceError(JsonRESTError):
    """A REST-JSON error with its HTTP status, as VPC Lattice and RAM answer."""

    def __init__(self, status, error_type, message):
        super().__init__(error_type, message)
        self.code = status


def _now():
    return time.time()


def _iso(seconds):
    """VPC Lattice's timestamps are ISO 8601 strings (its API model's timestampFormat), unlike RAM's epoch seconds."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{int(seconds % 1 * 1000):03d}Z"


def _hex(n):
    return secrets.token_hex(n)[:n]


# --- VPC Lattice: resource gateways and resource configurations -------------
# A resource gateway sits in subnets of one VPC (at most one per AZ), with
# security groups that govern its traffic to the resources; a resource
# configuration names one resource (an IP address or a DNS name) and its TCP
# port ranges behind a gateway of the same account. A gateway in use by a
# configuration, or a configuration in use by an endpoint, cannot be deleted
# (ConflictException). Both are ACTIVE at once here.
_gateways = {}  # (account, region) -> {id: gateway}
_configurations = {}  # (account, region) -> {id: configuration}

_PORT_RANGE = re.compile(r"^(\d{1,5})(?:-(\d{1,5}))?$")
_NAME = re.compile(r"^(?!rgw-|rcfg-)[a-z0-9](?:[a-z0-9]|-(?!-)){1,38}[a-z0-9]$")


def _scope(response):
    return (response.current_account, response.region)


def _body(response):
    try:
        return json.loads(response.body or "{}")
    except ValueError:
        return {}


def _identifier(response):
    """The id in the request path; an ARN there (its slash decoded) ends with the id too."""
    return response.path.split("?")[0].rstrip("/").split("/")[-1]


def _lookup(store, scope, identifier, kind):
    items = store.get(scope, {})
    found = items.get(identifier) or next((i for i in items.values() if i["arn"] == identifier), None)
    if found is None:
        raise ServiceError(404, "ResourceNotFoundException", f"The {kind} {identifier} was not found.")
    return found


def _check_name(name, kind):
    if not isinstance(name, str) or not _NAME.match(name):
        raise ServiceError(400, "ValidationException", f"The {kind} name {name!r} must be 3-40 lowercase letters, digits and single hyphens, not starting or ending with a hyphen.")


def _tag(scope, arn, tags):
    if tags:
        vpclattice_backends[scope[0]][scope[1]].tag_resource(arn, tags)


def _gateway_view(gateway, created=False):
    view = {k: gateway[k] for k in ("arn", "id", "name", "status", "subnetIds", "securityGroupIds", "ipAddressType")}
    view["vpcIdentifier" if created else "vpcId"] = gateway["vpcId"]
    if not created:
        view.update(createdAt=_iso(gateway["createdAt"]), lastUpdatedAt=_iso(gateway["lastUpdatedAt"]))
    return json.dumps(view)


def create_resource_gateway(self):
    body = _body(self)
    scope = _scope(self)
    _check_name(body.get("name"), "resource gateway")
    if any(g["name"] == body["name"] for g in _gateways.get(scope, {}).values()):
        raise ServiceError(409, "ConflictException", f"A resource gateway named {body['name']} already exists.")
    ec2 = ec2_backends[scope[0]][scope[1]]
    vpc_id = body.get("vpcIdentifier")
    if vpc_id not in ec2.vpcs:
        raise ServiceError(400, "ValidationException", f"The VPC {vpc_id} does not exist.")
    zones = set()
    for subnet_id in body.get("subnetIds") or []:
        subnet = next((s for zone in ec2.subnets.values() for s in zone.values() if s.id == subnet_id), None)
        if subnet is None or subnet.vpc_id != vpc_id:
            raise ServiceError(400, "ValidationException", f"The subnet {subnet_id} is not in the VPC {vpc_id}.")
        if subnet.availability_zone in zones:
            raise ServiceError(400, "ValidationException", f"The subnets must be in different Availability Zones; {subnet_id} repeats {subnet.availability_zone}.")
        zones.add(subnet.availability_zone)
    if not zones:
        raise ServiceError(400, "ValidationException", "A resource gateway needs at least one subnet.")
    for group_id in body.get("securityGroupIds") or []:
        group = ec2.get_security_group_from_id(group_id)
        if group is None or group.vpc_id != vpc_id:
            raise ServiceError(400, "ValidationException", f"The security group {group_id} is not in the VPC {vpc_id}.")
    gateway_id = f"rgw-{_hex(17)}"
    gateway = {
        "id": gateway_id,
        "arn": f"arn:aws:vpc-lattice:{scope[1]}:{scope[0]}:resourcegateway/{gateway_id}",
        "name": body["name"],
        "vpcId": vpc_id,
        "subnetIds": list(body["subnetIds"]),
        "securityGroupIds": list(body.get("securityGroupIds") or []),
        "ipAddressType": body.get("ipAddressType") or "IPV4",
        "status": "ACTIVE",
        "createdAt": _now(),
        "lastUpdatedAt": _now(),
    }
    _gateways.setdefault(scope, {})[gateway_id] = gateway
    _tag(scope, gateway["arn"], body.get("tags"))
    return _gateway_view(gateway, created=True)


def get_resource_gateway(self):
    return _gateway_view(_lookup(_gateways, _scope(self), _identifier(self), "resource gateway"))


def update_resource_gateway(self):
    gateway = _lookup(_gateways, _scope(self), _identifier(self), "resource gateway")
    body = _body(self)
    if "securityGroupIds" in body:
        gateway["securityGroupIds"] = list(body["securityGroupIds"] or [])
    gateway["lastUpdatedAt"] = _now()
    return _gateway_view(gateway)


def delete_resource_gateway(self):
    scope = _scope(self)
    gateway = _lookup(_gateways, scope, _identifier(self), "resource gateway")
    users = [c["id"] for c in _configurations.get(scope, {}).values() if c["resourceGatewayId"] == gateway["id"]]
    if users:
        raise ServiceError(409, "ConflictException", f"The resource gateway {gateway['id']} is in use by the resource configurations {', '.join(users)}.")
    del _gateways[scope][gateway["id"]]
    return json.dumps({"arn": gateway["arn"], "id": gateway["id"], "name": gateway["name"], "status": "DELETE_IN_PROGRESS"})


def list_resource_gateways(self):
    return json.dumps({"items": [json.loads(_gateway_view(g)) for g in _gateways.get(_scope(self), {}).values()]})


def _check_port_ranges(ranges):
    if not ranges:
        raise ServiceError(400, "ValidationException", "A resource configuration needs at least one port range.")
    for text in ranges:
        match = _PORT_RANGE.match(str(text))
        low, high = (int(match.group(1)), int(match.group(2) or match.group(1))) if match else (0, 0)
        if not match or not 1 <= low <= high <= 65535:
            raise ServiceError(400, "ValidationException", f"The port range {text!r} must be a port or from-to within 1-65535.")


def _check_definition(definition):
    kinds = [k for k in ("ipResource", "dnsResource", "arnResource") if (definition or {}).get(k)]
    if len(kinds) != 1:
        raise ServiceError(400, "ValidationException", "A resource configuration definition names exactly one of ipResource, dnsResource, arnResource.")


def _configuration_view(configuration):
    view = {k: v for k, v in configuration.items() if not k.startswith("_")}
    view.update(createdAt=_iso(configuration["createdAt"]), lastUpdatedAt=_iso(configuration["lastUpdatedAt"]))
    return json.dumps(view)


def create_resource_configuration(self):
    body = _body(self)
    scope = _scope(self)
    _check_name(body.get("name"), "resource configuration")
    if any(c["name"] == body["name"] for c in _configurations.get(scope, {}).values()):
        raise ServiceError(409, "ConflictException", f"A resource configuration named {body['name']} already exists.")
    kind = body.get("type")
    if kind != "SINGLE":
        raise ServiceError(400, "ValidationException", "Only SINGLE resource configurations are emulated.")
    gateway = _lookup(_gateways, scope, body.get("resourceGatewayIdentifier") or "", "resource gateway")
    _check_port_ranges(body.get("portRanges"))
    _check_definition(body.get("resourceConfigurationDefinition"))
    configuration_id = f"rcfg-{_hex(17)}"
    configuration = {
        "id": configuration_id,
        "arn": f"arn:aws:vpc-lattice:{scope[1]}:{scope[0]}:resourceconfiguration/{configuration_id}",
        "name": body["name"],
        "type": kind,
        "protocol": body.get("protocol") or "TCP",
        "portRanges": list(body["portRanges"]),
        "resourceGatewayId": gateway["id"],
        "resourceConfigurationDefinition": body["resourceConfigurationDefinition"],
        "allowAssociationToShareableServiceNetwork": body.get("allowAssociationToShareableServiceNetwork", True),
        "status": "ACTIVE",
        "createdAt": _now(),
        "lastUpdatedAt": _now(),
    }
    _configurations.setdefault(scope, {})[configuration_id] = configuration
    _tag(scope, configuration["arn"], body.get("tags"))
    return _configuration_view(configuration)


def get_resource_configuration(self):
    return _configuration_view(_lookup(_configurations, _scope(self), _identifier(self), "resource configuration"))


def update_resource_configuration(self):
    configuration = _lookup(_configurations, _scope(self), _identifier(self), "resource configuration")
    body = _body(self)
    if "portRanges" in body:
        _check_port_ranges(body["portRanges"])
        configuration["portRanges"] = list(body["portRanges"])
    if "resourceConfigurationDefinition" in body:
        _check_definition(body["resourceConfigurationDefinition"])
        configuration["resourceConfigurationDefinition"] = body["resourceConfigurationDefinition"]
    if "allowAssociationToShareableServiceNetwork" in body:
        configuration["allowAssociationToShareableServiceNetwork"] = body["allowAssociationToShareableServiceNetwork"]
    configuration["lastUpdatedAt"] = _now()
    return _configuration_view(configuration)


def _endpoints_to(configuration_arn):
    """Resource endpoints (of any account) that are not deleted and reach this resource configuration."""
    return [
        endpoint.id
        for regions in list(ec2_backends.values())
        for backend in list(regions.values())
        for endpoint in list(backend.vpc_end_points.values())
        if getattr(endpoint, "resource_configuration_arn", None) == configuration_arn and endpoint.state != "deleted"
    ]


def delete_resource_configuration(self):
    scope = _scope(self)
    configuration = _lookup(_configurations, scope, _identifier(self), "resource configuration")
    users = _endpoints_to(configuration["arn"])
    if users:
        raise ServiceError(409, "ConflictException", f"The resource configuration {configuration['id']} is in use by the VPC endpoints {', '.join(users)}.")
    del _configurations[scope][configuration["id"]]
    return json.dumps({"arn": configuration["arn"], "id": configuration["id"], "name": configuration["name"], "status": "DELETING"})


def list_resource_configurations(self):
    return json.dumps({"items": [json.loads(_configuration_view(c)) for c in _configurations.get(_scope(self), {}).values()]})


def configuration_by_arn(arn):
    parts = arn.split(":")
    if len(parts) < 6:
        return None
    configurations = _configurations.get((parts[4], parts[3]), {})
    return next((c for c in configurations.values() if c["arn"] == arn), None)


def gateway_of(configuration, account, region):
    """The resource gateway of a configuration owned by the account in the region, or None when it is gone."""
    return _gateways.get((account, region), {}).get(configuration["resourceGatewayId"])


def gateways_in_subnet(account, region, subnet_id):
    """Resource gateways of this account and region with a subnet: DeleteSubnet refuses while they hold it."""
    return [g["id"] for g in _gateways.get((account, region), {}).values() if subnet_id in g["subnetIds"]]


# --- AWS RAM: shares, principals, invitations -------------------------------
# RAM is regional: a share lives in its owner's region, shares only resources
# of that region, and its principals see it there only. Sharing with an
# account outside the owner's organization needs allowExternalPrincipals
# (else OperationNotPermittedException) and sends that account an
# invitation: its principal association stays ASSOCIATING, and the share is
# not the account's, until it accepts. The emulator has no organizations, so
# every account is outside the owner's. The share's owner disassociates
# principals and resources; an account that accepted may leave the share
# (DisassociateResourceShare naming itself).
# https://docs.aws.amazon.com/ram/latest/userguide/working-with-regional-vs-global.html
# https://docs.aws.amazon.com/ram/latest/userguide/working-with-sharing-invitations.html
_shares = {}  # arn -> share
_invitations = {}  # arn -> invitation

_SHAREABLE = {"resourceconfiguration": "vpc-lattice:ResourceConfiguration"}
# The AWS managed permission RAM attaches for a resource type when a share names no permission.
_DEFAULT_PERMISSIONS = {"vpc-lattice:ResourceConfiguration": "AWSRAMPermissionVpcLatticeResourceConfiguration"}


def _share(arn, region=None):
    share = _shares.get(arn)
    if share is None or (region is not None and share["region"] != region):
        raise ServiceError(400, "UnknownResourceException", f"The resource share {arn} does not exist.")
    return share


def _share_view(share):
    return {
        "resourceShareArn": share["arn"],
        "name": share["name"],
        "owningAccountId": share["owner"],
        "allowExternalPrincipals": share["allowExternalPrincipals"],
        "status": share["status"],
        "tags": [{"key": k, "value": v} for k, v in share["tags"].items()],
        "creationTime": share["creationTime"],
        "lastUpdatedTime": share["lastUpdatedTime"],
        "featureSet": "STANDARD",
    }


def _association_view(share, entity, kind, entry):
    return {
        "resourceShareArn": share["arn"],
        "resourceShareName": share["name"],
        "associatedEntity": entity,
        "associationType": kind,
        "status": entry["status"],
        "creationTime": entry["creationTime"],
        "lastUpdatedTime": entry["lastUpdatedTime"],
        "external": kind == "PRINCIPAL",
    }


def _check_owner(response, share):
    if share["owner"] != response.current_account:
        raise ServiceError(400, "OperationNotPermittedException", f"Only the owner of {share['arn']} ({share['owner']}) may change it.")


def _add_principal(share, principal):
    if not re.fullmatch(r"\d{12}", principal or ""):
        raise ServiceError(400, "InvalidParameterException", f"The principal {principal!r} must be an AWS account id (the emulator shares with accounts only).")
    if principal == share["owner"]:
        raise ServiceError(400, "InvalidParameterException", "A resource share cannot list its owner's own account.")
    if not share["allowExternalPrincipals"]:
        raise ServiceError(
            400, "OperationNotPermittedException", f"The account {principal} is not in your organization, and the resource share {share['arn']} does not allow external principals."
        )
    current = share["principals"].get(principal)
    if current and current["status"] in ("ASSOCIATING", "ASSOCIATED"):
        return
    share["principals"][principal] = {"status": "ASSOCIATING", "creationTime": _now(), "lastUpdatedTime": _now()}
    invitation_arn = f"arn:aws:ram:{share['region']}:{share['owner']}:resource-share-invitation/{uuid.uuid4()}"
    _invitations[invitation_arn] = {
        "resourceShareInvitationArn": invitation_arn,
        "resourceShareName": share["name"],
        "resourceShareArn": share["arn"],
        "senderAccountId": share["owner"],
        "receiverAccountId": principal,
        "invitationTimestamp": _now(),
        "status": "PENDING",
        "_region": share["region"],
    }


def _add_resource(share, resource_arn):
    parts = (resource_arn or "").split(":")
    kind = parts[5].split("/")[0] if len(parts) > 5 else ""
    if kind not in _SHAREABLE or configuration_by_arn(resource_arn) is None:
        raise ServiceError(400, "UnknownResourceException", f"The resource {resource_arn} does not exist or cannot be shared (the emulator shares VPC Lattice resource configurations).")
    if parts[4] != share["owner"]:
        raise ServiceError(400, "OperationNotPermittedException", f"The resource {resource_arn} belongs to another account than the share's owner.")
    if parts[3] != share["region"]:
        raise ServiceError(400, "InvalidParameterException", f"The resource {resource_arn} is in {parts[3]}; the resource share is in {share['region']}, and RAM shares resources of its own region only.")
    share["resources"][resource_arn] = {"status": "ASSOCIATED", "creationTime": _now(), "lastUpdatedTime": _now()}


def create_resource_share(self):
    body = _body(self)
    arn = f"arn:aws:ram:{self.region}:{self.current_account}:resource-share/{uuid.uuid4()}"
    share = {
        "arn": arn,
        "name": body.get("name"),
        "owner": self.current_account,
        "region": self.region,
        "allowExternalPrincipals": body.get("allowExternalPrincipals", True),
        "status": "ACTIVE",
        "tags": {t["key"]: t.get("value", "") for t in body.get("tags") or []},
        "creationTime": _now(),
        "lastUpdatedTime": _now(),
        "principals": {},
        "resources": {},
    }
    for principal in body.get("principals") or []:
        _add_principal(share, principal)
    for resource_arn in body.get("resourceArns") or []:
        _add_resource(share, resource_arn)
    _shares[arn] = share
    return json.dumps({"resourceShare": _share_view(share), "clientToken": body.get("clientToken")})


def _visible_to(share, account):
    return share["owner"] == account or share["principals"].get(account, {}).get("status") == "ASSOCIATED"


def get_resource_shares(self):
    body = _body(self)
    owner = body.get("resourceOwner")
    if owner not in ("SELF", "OTHER-ACCOUNTS"):
        raise ServiceError(400, "InvalidParameterException", "resourceOwner must be SELF or OTHER-ACCOUNTS.")
    wanted = body.get("resourceShareArns")
    found = []
    for share in list(_shares.values()):
        if share["region"] != self.region or (wanted and share["arn"] not in wanted):
            continue
        mine = share["owner"] == self.current_account
        if (owner == "SELF" and mine) or (owner == "OTHER-ACCOUNTS" and not mine and _visible_to(share, self.current_account) and share["status"] == "ACTIVE"):
            if body.get("resourceShareStatus") in (None, share["status"]) and (not body.get("name") or body["name"] == share["name"]):
                found.append(_share_view(share))
    return json.dumps({"resourceShares": found})


def update_resource_share(self):
    body = _body(self)
    share = _share(body.get("resourceShareArn"), self.region)
    _check_owner(self, share)
    if "name" in body:
        share["name"] = body["name"]
    if "allowExternalPrincipals" in body:
        share["allowExternalPrincipals"] = body["allowExternalPrincipals"]
    share["lastUpdatedTime"] = _now()
    return json.dumps({"resourceShare": _share_view(share)})


def delete_resource_share(self):
    share = _share(self._get_param("resourceShareArn"), self.region)
    _check_owner(self, share)
    share["status"] = "DELETED"
    for entry in list(share["principals"].values()) + list(share["resources"].values()):
        entry.update(status="DISASSOCIATED", lastUpdatedTime=_now())
    return json.dumps({"returnValue": True})


def associate_resource_share(self):
    body = _body(self)
    share = _share(body.get("resourceShareArn"), self.region)
    _check_owner(self, share)
    if share["status"] != "ACTIVE":
        raise ServiceError(400, "UnknownResourceException", f"The resource share {share['arn']} is {share['status']}.")
    for principal in body.get("principals") or []:
        _add_principal(share, principal)
    for resource_arn in body.get("resourceArns") or []:
        _add_resource(share, resource_arn)
    entries = [_association_view(share, p, "PRINCIPAL", share["principals"][p]) for p in body.get("principals") or []]
    entries += [_association_view(share, r, "RESOURCE", share["resources"][r]) for r in body.get("resourceArns") or []]
    return json.dumps({"resourceShareAssociations": entries, "clientToken": body.get("clientToken")})


def disassociate_resource_share(self):
    body = _body(self)
    share = _share(body.get("resourceShareArn"), self.region)
    principals = body.get("principals") or []
    leaving = share["owner"] != self.current_account and principals == [self.current_account] and not body.get("resourceArns")
    if not leaving:
        _check_owner(self, share)
    entries = []
    for kind, field, store in (("PRINCIPAL", "principals", share["principals"]), ("RESOURCE", "resourceArns", share["resources"])):
        for entity in body.get(field) or []:
            entry = store.get(entity)
            if entry is None:
                raise ServiceError(400, "UnknownResourceException", f"{entity} is not associated with the resource share {share['arn']}.")
            entry.update(status="DISASSOCIATED", lastUpdatedTime=_now())
            entries.append(_association_view(share, entity, kind, entry))
    return json.dumps({"resourceShareAssociations": entries, "clientToken": body.get("clientToken")})


def get_resource_share_associations(self):
    body = _body(self)
    kind = body.get("associationType")
    if kind not in ("PRINCIPAL", "RESOURCE"):
        raise ServiceError(400, "InvalidParameterException", "associationType must be PRINCIPAL or RESOURCE.")
    wanted = body.get("resourceShareArns")
    entries = []
    for share in list(_shares.values()):
        if share["owner"] != self.current_account or share["region"] != self.region or (wanted and share["arn"] not in wanted):
            continue
        store = share["principals"] if kind == "PRINCIPAL" else share["resources"]
        for entity, entry in store.items():
            if body.get("principal") not in (None, entity) or body.get("resourceArn") not in (None, entity):
                continue
            if body.get("associationStatus") in (None, entry["status"]):
                entries.append(_association_view(share, entity, kind, entry))
    return json.dumps({"resourceShareAssociations": entries})


def _invitation_view(invitation):
    return {k: v for k, v in invitation.items() if not k.startswith("_")}


def get_resource_share_invitations(self):
    body = _body(self)
    wanted_arns = body.get("resourceShareInvitationArns")
    wanted_shares = body.get("resourceShareArns")
    found = []
    for invitation in list(_invitations.values()):
        if invitation["receiverAccountId"] != self.current_account or invitation["_region"] != self.region:
            continue
        if wanted_arns and invitation["resourceShareInvitationArn"] not in wanted_arns:
            continue
        if wanted_shares and invitation["resourceShareArn"] not in wanted_shares:
            continue
        found.append(_invitation_view(invitation))
    if wanted_arns and not found:
        raise ServiceError(400, "ResourceShareInvitationArnNotFoundException", f"The invitations {', '.join(wanted_arns)} were not found.")
    return json.dumps({"resourceShareInvitations": found})


def accept_resource_share_invitation(self):
    body = _body(self)
    invitation = _invitations.get(body.get("resourceShareInvitationArn"))
    if invitation is None or invitation["receiverAccountId"] != self.current_account or invitation["_region"] != self.region:
        raise ServiceError(400, "ResourceShareInvitationArnNotFoundException", f"The invitation {body.get('resourceShareInvitationArn')} was not found.")
    if invitation["status"] == "ACCEPTED":
        raise ServiceError(400, "ResourceShareInvitationAlreadyAcceptedException", "The invitation was already accepted.")
    if invitation["status"] != "PENDING":
        raise ServiceError(400, "ResourceShareInvitationExpiredException", f"The invitation is {invitation['status']}.")
    share = _share(invitation["resourceShareArn"])
    invitation["status"] = "ACCEPTED"
    entry = share["principals"].get(self.current_account)
    if entry and entry["status"] == "ASSOCIATING":
        entry.update(status="ASSOCIATED", lastUpdatedTime=_now())
    return json.dumps({"resourceShareInvitation": _invitation_view(invitation), "clientToken": body.get("clientToken")})


def list_resources(self):
    body = _body(self)
    owner = body.get("resourceOwner")
    wanted = body.get("resourceShareArns")
    found = []
    for share in list(_shares.values()):
        if share["region"] != self.region or share["status"] != "ACTIVE" or (wanted and share["arn"] not in wanted):
            continue
        mine = share["owner"] == self.current_account
        if not ((owner == "SELF" and mine) or (owner == "OTHER-ACCOUNTS" and not mine and _visible_to(share, self.current_account))):
            continue
        for arn, entry in share["resources"].items():
            if entry["status"] == "ASSOCIATED":
                kind = _SHAREABLE[arn.split(":")[5].split("/")[0]]
                found.append(
                    {
                        "arn": arn,
                        "type": kind,
                        "resourceShareArn": share["arn"],
                        "status": "AVAILABLE",
                        "creationTime": entry["creationTime"],
                        "lastUpdatedTime": entry["lastUpdatedTime"],
                        "resourceRegionScope": "REGIONAL",
                    }
                )
    return json.dumps({"resources": found})


def list_resource_share_permissions(self):
    body = _body(self)
    share = _share(body.get("resourceShareArn"), self.region)
    _check_owner(self, share)
    kinds = sorted({_SHAREABLE[arn.split(":")[5].split("/")[0]] for arn, e in share["resources"].items() if e["status"] == "ASSOCIATED"})
    permissions = [
        {
            "arn": f"arn:aws:ram::aws:permission/{_DEFAULT_PERMISSIONS[kind]}",
            "version": "1",
            "defaultVersion": True,
            "name": _DEFAULT_PERMISSIONS[kind],
            "resourceType": kind,
            "status": "ATTACHABLE",
            "creationTime": share["creationTime"],
            "lastUpdatedTime": share["lastUpdatedTime"],
            "isResourceTypeDefault": True,
            "permissionType": "AWS_MANAGED",
            "featureSet": "STANDARD",
        }
        for kind in kinds
    ]
    return json.dumps({"permissions": permissions})


def shared_with(configuration_arn, account):
    """Whether the account may use the resource configuration: it owns it, or an active share lists both and the account accepted."""
    configuration = configuration_by_arn(configuration_arn)
    if configuration is None:
        return False
    if configuration_arn.split(":")[4] == account:
        return True
    return any(
        share["status"] == "ACTIVE"
        and share["resources"].get(configuration_arn, {}).get("status") == "ASSOCIATED"
        and share["principals"].get(account, {}).get("status") == "ASSOCIATED"
        for share in list(_shares.values())
    )


# --- Resource endpoints ------------------------------------------------------
# CreateVpcEndpoint with VpcEndpointType Resource takes a
# ResourceConfigurationArn instead of a service name. The caller's account
# must own the resource configuration or have it shared through RAM (and
# accepted); the endpoint's subnets must share at least one Availability
# Zone with the resource gateway ("At least one Availability Zone of the VPC
# endpoint and the resource gateway have to overlap",
# https://docs.aws.amazon.com/vpc/latest/privatelink/resource-gateway.html).
def check_resource_endpoint(backend, configuration_arn, subnet_ids):
    """Raises as AWS refuses a resource endpoint; returns the configuration."""
    if not configuration_arn:
        raise EC2ClientError("InvalidParameter", "A Resource endpoint needs a ResourceConfigurationArn.")
    configuration = configuration_by_arn(configuration_arn)
    if configuration is None or not shared_with(configuration_arn, backend.account_id):
        raise EC2ClientError("InvalidParameter", f"The resource configuration {configuration_arn} does not exist or is not shared with account {backend.account_id}.")
    if configuration_arn.split(":")[3] != backend.region_name:
        raise EC2ClientError("InvalidParameter", f"The resource configuration {configuration_arn} is in another region than {backend.region_name}.")
    owner = configuration_arn.split(":")
    gateway = _gateways.get((owner[4], owner[3]), {}).get(configuration["resourceGatewayId"])
    owner_ec2 = ec2_backends[owner[4]][owner[3]]
    gateway_zones = {s.availability_zone_id for zone in owner_ec2.subnets.values() for s in zone.values() if gateway and s.id in gateway["subnetIds"]}
    endpoint_zones = {s.availability_zone_id for zone in backend.subnets.values() for s in zone.values() if s.id in (subnet_ids or [])}
    if not gateway_zones & endpoint_zones:
        raise EC2ClientError(
            "InvalidParameter",
            f"The endpoint's subnets ({', '.join(sorted(endpoint_zones))}) share no Availability Zone with the resource gateway ({', '.join(sorted(gateway_zones))}).",
        )
    return configuration


def resource_dns_entry(endpoint_id, configuration, region):
    return {"dns_name": f"{endpoint_id}-snra-{_hex(8)}.{configuration['id']}.{_hex(7)}.vpc-lattice-rsc.{region}.on.aws", "hosted_zone_id": "Z" + _hex(12).upper()}


def reset():
    """Forgets every gateway, configuration, share and invitation, as moto's reset forgets its backends."""
    for store in (_gateways, _configurations, _shares, _invitations):
        store.clear()


def install():
    """Registers the VPC Lattice and RAM routes moto lacks and answers them."""
    lattice_urls.url_paths.update(
        {
            "{0}/resourcegateways$": VPCLatticeResponse.dispatch,
            "{0}/resourcegateways/(?P<resourceGatewayIdentifier>.+)$": VPCLatticeResponse.dispatch,
            "{0}/resourceconfigurations$": VPCLatticeResponse.dispatch,
            "{0}/resourceconfigurations/(?P<resourceConfigurationIdentifier>.+)$": VPCLatticeResponse.dispatch,
        }
    )
    for name in ("create", "get", "update", "delete", "list"):
        for kind in ("resource_gateway", "resource_configuration"):
            method = f"{name}_{kind}s" if name == "list" else f"{name}_{kind}"
            setattr(VPCLatticeResponse, method, globals()[method])
    ram_urls.url_paths.update(
        {
            "{0}/associateresourceshare$": ResourceAccessManagerResponse.dispatch,
            "{0}/disassociateresourceshare$": ResourceAccessManagerResponse.dispatch,
            "{0}/getresourceshareinvitations$": ResourceAccessManagerResponse.dispatch,
            "{0}/acceptresourceshareinvitation$": ResourceAccessManagerResponse.dispatch,
            "{0}/listresources$": ResourceAccessManagerResponse.dispatch,
            "{0}/listresourcesharepermissions$": ResourceAccessManagerResponse.dispatch,
        }
    )
    for method in (
        create_resource_share,
        get_resource_shares,
        update_resource_share,
        delete_resource_share,
        associate_resource_share,
        disassociate_resource_share,
        get_resource_share_associations,
        get_resource_share_invitations,
        accept_resource_share_invitation,
        list_resources,
        list_resource_share_permissions,
    ):
        setattr(ResourceAccessManagerResponse, method.__name__, method)
