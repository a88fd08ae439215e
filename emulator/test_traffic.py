"""traffic.py against boto3: a probe from a consumer's client instance through
its interface endpoint to the provider's NLB and targets, on the healthy path
and with each hop broken in turn through the API.

Run: npm run test:emulator.
"""
import ipaddress
import itertools
import json
import unittest

from botocore.exceptions import ClientError

from test_extensions import CONSUMER, PROVIDER, REGION, EmulatorCase

_networks = itertools.count(100)
SSM_CORE = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"


class TrafficTest(EmulatorCase):
    def topology(self, accept=True, dual_stack=False):
        """A provider NLB service with two healthy targets on 8080, and a consumer client reaching it through an accepted endpoint."""
        n = next(_networks)
        t = {}
        # Provider: VPC, two subnets, an NLB with a security group, targets admitting the NLB's group.
        ec2 = t["pec2"] = self.client("ec2", PROVIDER)
        elb = t["elb"] = self.client("elbv2", PROVIDER)
        vpc = ec2.create_vpc(CidrBlock=f"10.{n}.0.0/16")["Vpc"]["VpcId"]
        subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.{n}.{i}.0/24", AvailabilityZone=f"{REGION}{z}")["Subnet"]["SubnetId"] for i, z in enumerate("ab")]
        t["pvpc"], t["psubnets"], t["cidr"] = vpc, subnets, f"10.{n + 100}.0.0/16"
        nlb_sg = t["nlb_sg"] = ec2.create_security_group(GroupName=f"nlb-{n}", Description="nlb", VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=nlb_sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "IpRanges": [{"CidrIp": f"10.{n}.0.0/16"}]}])
        target_sg = t["target_sg"] = ec2.create_security_group(GroupName=f"targets-{n}", Description="targets", VpcId=vpc)["GroupId"]
        t["target_rule"] = {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "UserIdGroupPairs": [{"GroupId": nlb_sg}]}
        ec2.authorize_security_group_ingress(GroupId=target_sg, IpPermissions=[t["target_rule"]])
        nlb = elb.create_load_balancer(
            Name=f"nlb-traffic-{n}", Subnets=subnets, SecurityGroups=[nlb_sg], Scheme="internal", Type="network", IpAddressType="dualstack" if dual_stack else "ipv4"
        )["LoadBalancers"][0]
        t["nlb"] = nlb["LoadBalancerArn"]
        elb.set_security_groups(LoadBalancerArn=t["nlb"], SecurityGroups=[nlb_sg], EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic="off")
        tg = t["tg"] = elb.create_target_group(Name=f"tg-{n}", Protocol="TCP", Port=8080, VpcId=vpc, TargetType="instance")["TargetGroups"][0]["TargetGroupArn"]
        targets = t["targets"] = [i["InstanceId"] for i in ec2.run_instances(ImageId="ami-12c6146b", MinCount=2, MaxCount=2, SubnetId=subnets[0], SecurityGroupIds=[target_sg])["Instances"]]
        elb.register_targets(TargetGroupArn=tg, Targets=[{"Id": i, "Port": 8080} for i in targets])
        t["listener"] = elb.create_listener(LoadBalancerArn=t["nlb"], Protocol="TCP", Port=8080, DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])["Listeners"][0]["ListenerArn"]
        service = ec2.create_vpc_endpoint_service_configuration(
            NetworkLoadBalancerArns=[t["nlb"]], AcceptanceRequired=True, SupportedIpAddressTypes=["ipv4", "ipv6"] if dual_stack else ["ipv4"]
        )["ServiceConfiguration"]
        t["service"] = service["ServiceId"]
        ec2.modify_vpc_endpoint_service_permissions(ServiceId=service["ServiceId"], AddAllowedPrincipals=[f"arn:aws:iam::{CONSUMER}:root"])

        # Consumer: VPC, subnets, Session Manager (profile and endpoints), the client and the endpoint.
        c = t["cec2"] = self.client("ec2", CONSUMER)
        cidr = f"10.{n + 100}.0.0/16"
        cvpc = t["cvpc"] = c.create_vpc(CidrBlock=cidr, AmazonProvidedIpv6CidrBlock=dual_stack)["Vpc"]["VpcId"]
        ipv6 = c.describe_vpcs(VpcIds=[cvpc])["Vpcs"][0].get("Ipv6CidrBlockAssociationSet", []) if dual_stack else []
        csubnets = []
        for i, z in enumerate("ab"):
            extra = {"Ipv6CidrBlock": str(list(ipaddress.ip_network(ipv6[0]["Ipv6CidrBlock"]).subnets(new_prefix=64))[i])} if ipv6 else {}
            csubnets.append(c.create_subnet(VpcId=cvpc, CidrBlock=f"10.{n + 100}.{i}.0/24", AvailabilityZone=f"{REGION}{z}", **extra)["Subnet"]["SubnetId"])
        t["csubnets"] = csubnets
        endpoint_sg = t["endpoint_sg"] = c.create_security_group(GroupName=f"endpoint-{n}", Description="endpoint", VpcId=cvpc)["GroupId"]
        t["endpoint_rule"] = {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "IpRanges": [{"CidrIp": cidr}]}
        if ipv6:
            t["endpoint_rule"]["Ipv6Ranges"] = [{"CidrIpv6": ipv6[0]["Ipv6CidrBlock"]}]
        c.authorize_security_group_ingress(GroupId=endpoint_sg, IpPermissions=[t["endpoint_rule"]])
        ssm_sg = c.create_security_group(GroupName=f"ssm-{n}", Description="ssm", VpcId=cvpc)["GroupId"]
        c.authorize_security_group_ingress(GroupId=ssm_sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": cidr}]}])
        for name in ("ssm", "ssmmessages", "ec2messages"):
            c.create_vpc_endpoint(
                VpcId=cvpc, ServiceName=f"com.amazonaws.{REGION}.{name}", VpcEndpointType="Interface", SubnetIds=csubnets, SecurityGroupIds=[ssm_sg], PrivateDnsEnabled=True
            )
        client_sg = t["client_sg"] = c.create_security_group(GroupName=f"client-{n}", Description="client", VpcId=cvpc)["GroupId"]
        c.revoke_security_group_egress(GroupId=client_sg, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
        t["client_rule"] = {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "IpRanges": [{"CidrIp": cidr}]}
        if ipv6:
            t["client_rule"]["Ipv6Ranges"] = [{"CidrIpv6": ipv6[0]["Ipv6CidrBlock"]}]
        c.authorize_security_group_egress(GroupId=client_sg, IpPermissions=[t["client_rule"], {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": cidr}]}])
        iam = self.client("iam", CONSUMER)
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
        iam.create_role(RoleName=f"ssm-{n}", AssumeRolePolicyDocument=json.dumps(trust))
        iam.attach_role_policy(RoleName=f"ssm-{n}", PolicyArn=SSM_CORE)
        iam.create_instance_profile(InstanceProfileName=f"ssm-{n}")
        iam.add_role_to_instance_profile(InstanceProfileName=f"ssm-{n}", RoleName=f"ssm-{n}")
        if ipv6:
            c.modify_subnet_attribute(SubnetId=csubnets[0], AssignIpv6AddressOnCreation={"Value": True})
        launch = {}
        t["client"] = c.run_instances(
            ImageId="ami-12c6146b", MinCount=1, MaxCount=1, SubnetId=csubnets[0], SecurityGroupIds=[client_sg], IamInstanceProfile={"Name": f"ssm-{n}"}, **launch
        )["Instances"][0]["InstanceId"]
        endpoint = c.create_vpc_endpoint(
            VpcId=cvpc,
            ServiceName=service["ServiceName"],
            VpcEndpointType="Interface",
            SubnetIds=csubnets,
            SecurityGroupIds=[endpoint_sg],
            **({"IpAddressType": "dualstack", "DnsOptions": {"DnsRecordIpType": "dualstack"}} if dual_stack else {}),
        )["VpcEndpoint"]
        t["endpoint"] = endpoint["VpcEndpointId"]
        t["names"] = [e["DnsName"] for e in c.describe_vpc_endpoints(VpcEndpointIds=[t["endpoint"]])["VpcEndpoints"][0]["DnsEntries"]]
        if accept:
            ec2.accept_vpc_endpoint_connections(ServiceId=t["service"], VpcEndpointIds=[t["endpoint"]])
        return t

    def probe(self, t, name=None, port=8080, family="ipv4"):
        """(result line, blocked note) of one probe from the client."""
        ssm = self.client("ssm", CONSUMER)
        host = name or t["names"][0]
        command = ssm.send_command(InstanceIds=[t["client"]], DocumentName="AWS-RunShellScript", Parameters={"commands": ["probe() { :; }", f"probe {host} {port} {family}"]})
        output = ssm.get_command_invocation(CommandId=command["Command"]["CommandId"], InstanceId=t["client"])["StandardOutputContent"]
        lines = output.splitlines()
        self.assertEqual(lines[0].split()[:4], ["probe", host, str(port), family])
        return " ".join(lines[0].split()[4:]), (lines[1].removeprefix("# blocked: ") if len(lines) > 1 else None)

    def assert_blocked(self, t, component, **probe):
        result, blocked = self.probe(t, **probe)
        self.assertIn(result, ("timeout", "refused", "unresolved"))
        self.assertIn(component, blocked or "")
        return blocked

    def test_endpoint_interfaces_sit_in_their_subnets_and_the_names_are_aws_s(self):
        t = self.topology()
        c = t["cec2"]
        described = c.describe_vpc_endpoints(VpcEndpointIds=[t["endpoint"]])["VpcEndpoints"][0]
        interfaces = c.describe_network_interfaces(NetworkInterfaceIds=described["NetworkInterfaceIds"])["NetworkInterfaces"]
        subnets = {s["SubnetId"]: s["CidrBlock"] for s in c.describe_subnets(SubnetIds=t["csubnets"])["Subnets"]}
        for interface in interfaces:
            prefix = subnets[interface["SubnetId"]].rsplit(".", 1)[0]
            self.assertTrue(interface["PrivateIpAddress"].startswith(prefix + "."), interface["PrivateIpAddress"])
        service_id = t["service"]
        self.assertRegex(t["names"][0], rf"^{t['endpoint']}-[0-9a-f]+\.{service_id}\.{REGION}\.vpce\.amazonaws\.com$")
        self.assertEqual([n.split(".")[0].rsplit("-", 3)[-3:] for n in t["names"][1:]], [["us", "east", "1a"], ["us", "east", "1b"]])

    def test_instances_an_auto_scaling_group_launches_carry_the_template_s_interface_groups(self):
        ec2 = self.client("ec2", PROVIDER)
        n = next(_networks)
        vpc = ec2.create_vpc(CidrBlock=f"10.{n}.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.{n}.0.0/24", AvailabilityZone=f"{REGION}a")["Subnet"]["SubnetId"]
        group = ec2.create_security_group(GroupName=f"fleet-{n}", Description="fleet", VpcId=vpc)["GroupId"]
        ec2.create_launch_template(
            LaunchTemplateName=f"fleet-{n}",
            LaunchTemplateData={"ImageId": "ami-12c6146b", "NetworkInterfaces": [{"DeviceIndex": 0, "Groups": [group], "AssociatePublicIpAddress": False}]},
        )
        self.client("autoscaling", PROVIDER).create_auto_scaling_group(
            AutoScalingGroupName=f"fleet-{n}", LaunchTemplate={"LaunchTemplateName": f"fleet-{n}"}, MinSize=1, MaxSize=1, VPCZoneIdentifier=subnet
        )
        launched = ec2.describe_instances(Filters=[{"Name": "subnet-id", "Values": [subnet]}])["Reservations"][0]["Instances"][0]
        self.assertEqual([g["GroupId"] for g in launched["SecurityGroups"]], [group])

    def test_the_healthy_path_connects_through_the_regional_and_each_zonal_name(self):
        t = self.topology()
        for name in t["names"]:
            result, blocked = self.probe(t, name=name)
            self.assertRegex(result, r"^connected \d+$")
            self.assertIsNone(blocked)
        health = t["elb"].describe_target_health(TargetGroupArn=t["tg"])["TargetHealthDescriptions"]
        self.assertEqual([h["TargetHealth"]["State"] for h in health], ["healthy", "healthy"])

    def test_a_name_nobody_publishes_does_not_resolve(self):
        t = self.topology()
        result, blocked = self.probe(t, name="vpce-0000-nothing.vpce-svc-0.us-east-1.vpce.amazonaws.com")
        self.assertEqual(result, "unresolved")
        self.assertIn("no DNS record", blocked)

    def test_a_deleted_endpoint_s_names_do_not_resolve_and_a_new_one_in_its_vpc_connects(self):
        t = self.topology()
        old = t["names"]
        t["cec2"].delete_vpc_endpoints(VpcEndpointIds=[t["endpoint"]])
        self.assertEqual(self.probe(t, name=old[0])[0], "unresolved")
        endpoint = t["cec2"].create_vpc_endpoint(
            VpcId=t["cvpc"], ServiceName=f"com.amazonaws.vpce.{REGION}.{t['service']}", VpcEndpointType="Interface", SubnetIds=t["csubnets"], SecurityGroupIds=[t["endpoint_sg"]]
        )["VpcEndpoint"]["VpcEndpointId"]
        t["pec2"].accept_vpc_endpoint_connections(ServiceId=t["service"], VpcEndpointIds=[endpoint])
        name = t["cec2"].describe_vpc_endpoints(VpcEndpointIds=[endpoint])["VpcEndpoints"][0]["DnsEntries"][0]["DnsName"]
        self.assertRegex(self.probe(t, name=name)[0], r"^connected")

    def test_the_client_security_group_egress_blocks(self):
        t = self.topology()
        t["cec2"].revoke_security_group_egress(GroupId=t["client_sg"], IpPermissions=[t["client_rule"]])
        self.assertIn("egress", self.assert_blocked(t, t["client_sg"]))

    def test_the_endpoint_security_group_ingress_blocks(self):
        t = self.topology()
        t["cec2"].revoke_security_group_ingress(GroupId=t["endpoint_sg"], IpPermissions=[t["endpoint_rule"]])
        self.assertIn("ingress", self.assert_blocked(t, t["endpoint_sg"]))

    def test_a_rejected_endpoint_blocks_until_accepted_again(self):
        t = self.topology()
        t["pec2"].reject_vpc_endpoint_connections(ServiceId=t["service"], VpcEndpointIds=[t["endpoint"]])
        self.assertIn("rejected", self.assert_blocked(t, t["endpoint"]))
        t["pec2"].accept_vpc_endpoint_connections(ServiceId=t["service"], VpcEndpointIds=[t["endpoint"]])
        self.assertRegex(self.probe(t)[0], r"^connected")

    def test_an_endpoint_pending_acceptance_blocks(self):
        t = self.topology(accept=False)
        self.assertIn("pendingAcceptance", self.assert_blocked(t, t["endpoint"]))

    def test_a_port_without_a_listener_blocks_at_the_load_balancer(self):
        t = self.topology()
        t["cec2"].authorize_security_group_egress(GroupId=t["client_sg"], IpPermissions=[{**t["client_rule"], "FromPort": 9090, "ToPort": 9090}])
        t["cec2"].authorize_security_group_ingress(GroupId=t["endpoint_sg"], IpPermissions=[{**t["endpoint_rule"], "FromPort": 9090, "ToPort": 9090}])
        self.assertIn("no listener on port 9090", self.assert_blocked(t, "nlb-traffic", port=9090))

    def test_a_target_security_group_that_does_not_admit_the_nlb_makes_every_target_unhealthy(self):
        t = self.topology()
        t["pec2"].revoke_security_group_ingress(GroupId=t["target_sg"], IpPermissions=[t["target_rule"]])
        self.assertIn("no healthy target", self.assert_blocked(t, "tg-"))
        health = t["elb"].describe_target_health(TargetGroupArn=t["tg"])["TargetHealthDescriptions"]
        self.assertEqual({(h["TargetHealth"]["State"], h["TargetHealth"]["Reason"]) for h in health}, {("unhealthy", "Target.Timeout")})
        self.assertIn(t["target_sg"], health[0]["TargetHealth"]["Description"])

    def test_stopped_targets_leave_the_target_group_without_a_healthy_target(self):
        t = self.topology()
        t["pec2"].stop_instances(InstanceIds=t["targets"])
        self.assert_blocked(t, "no healthy target")
        states = [h["TargetHealth"]["State"] for h in t["elb"].describe_target_health(TargetGroupArn=t["tg"])["TargetHealthDescriptions"]]
        self.assertEqual(states, ["unused", "unused"])
        t["pec2"].start_instances(InstanceIds=t["targets"][:1])
        self.assertRegex(self.probe(t)[0], r"^connected")

    def test_nlb_enforcing_its_inbound_rules_on_privatelink_traffic_blocks_a_client_it_does_not_admit(self):
        t = self.topology()
        t["elb"].set_security_groups(LoadBalancerArn=t["nlb"], SecurityGroups=[t["nlb_sg"]], EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic="on")
        self.assertIn("enforces its inbound rules on PrivateLink traffic", self.assert_blocked(t, t["nlb_sg"]))

    def test_ipv6_through_an_ipv4_only_endpoint_does_not_resolve(self):
        t = self.topology()
        result, blocked = self.probe(t, family="ipv6")
        self.assertEqual(result, "unresolved")
        self.assertIn("AAAA", blocked)

    def test_dual_stack_connects_over_ipv6_and_an_ipv4_only_nlb_blocks_it(self):
        t = self.topology(dual_stack=True)
        # The client got its IPv6 address from its subnet (AssignIpv6AddressOnCreation), not from the launch.
        client = t["cec2"].describe_instances(InstanceIds=[t["client"]])["Reservations"][0]["Instances"][0]
        self.assertTrue(client["NetworkInterfaces"][0]["Ipv6Addresses"])
        self.assertRegex(self.probe(t, family="ipv6")[0], r"^connected")
        t["elb"].set_ip_address_type(LoadBalancerArn=t["nlb"], IpAddressType="ipv4")
        self.assertIn("IPv4 only", self.assert_blocked(t, "nlb-traffic", family="ipv6"))
        self.assertRegex(self.probe(t)[0], r"^connected")

    def test_send_command_refuses_an_instance_ssm_does_not_manage_and_lists_only_managed_ones(self):
        t = self.topology()
        ssm = self.client("ssm", CONSUMER)
        unmanaged = t["cec2"].run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, SubnetId=t["csubnets"][0], SecurityGroupIds=[t["client_sg"]])["Instances"][0]["InstanceId"]
        listed = lambda: [i["InstanceId"] for i in ssm.describe_instance_information(Filters=[{"Key": "InstanceIds", "Values": [t["client"], unmanaged]}])["InstanceInformationList"]]
        self.assertEqual(listed(), [t["client"]])
        with self.assertRaises(ClientError) as raised:
            ssm.send_command(InstanceIds=[unmanaged], DocumentName="AWS-RunShellScript", Parameters={"commands": ["true"]})
        self.assertEqual(raised.exception.response["Error"]["Code"], "InvalidInstanceId")
        t["cec2"].stop_instances(InstanceIds=[t["client"]])
        with self.assertRaises(ClientError):
            ssm.send_command(InstanceIds=[t["client"]], DocumentName="AWS-RunShellScript", Parameters={"commands": ["true"]})
        self.assertEqual(listed(), [])

    # --- Resource endpoints: the client's endpoint, the configuration, the gateway, the resource ---
    def shared_resource(self, t, dns_name=None):
        """A resource at an address in the provider VPC, shared through a gateway and configuration (5432, 7000-7001) and reached through a Resource endpoint."""
        ec2, c = t["pec2"], t["cec2"]
        n = next(_networks)
        ports = [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432}, {"IpProtocol": "tcp", "FromPort": 7000, "ToPort": 7001}]
        gateway_sg = t["gateway_sg"] = ec2.create_security_group(GroupName=f"gateway-{n}", Description="gateway", VpcId=t["pvpc"])["GroupId"]
        ec2.revoke_security_group_egress(GroupId=gateway_sg, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
        resource_sg = t["resource_sg"] = ec2.create_security_group(GroupName=f"db-{n}", Description="db", VpcId=t["pvpc"])["GroupId"]
        t["resource_rule"] = {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": gateway_sg}]}
        ec2.authorize_security_group_ingress(GroupId=resource_sg, IpPermissions=[t["resource_rule"], {**ports[1], "UserIdGroupPairs": [{"GroupId": gateway_sg}]}])
        eni = t["resource_eni"] = ec2.create_network_interface(SubnetId=t["psubnets"][0], Groups=[resource_sg])["NetworkInterface"]
        address = t["resource_address"] = eni["PrivateIpAddress"]
        t["gateway_rule"] = {**ports[0], "IpRanges": [{"CidrIp": f"{address}/32"}]}
        ec2.authorize_security_group_egress(GroupId=gateway_sg, IpPermissions=[t["gateway_rule"], {**ports[1], "IpRanges": [{"CidrIp": f"{address}/32"}]}])
        lattice, ram = self.client("vpc-lattice", PROVIDER), self.client("ram", PROVIDER)
        gateway = lattice.create_resource_gateway(name=f"traffic-{n}-gw", vpcIdentifier=t["pvpc"], subnetIds=t["psubnets"], securityGroupIds=[gateway_sg])
        t["gateway"] = gateway["id"]
        definition = {"dnsResource": {"domainName": dns_name, "ipAddressType": "IPV4"}} if dns_name else {"ipResource": {"ipAddress": address}}
        configuration = lattice.create_resource_configuration(
            name=f"traffic-db-{n}", type="SINGLE", portRanges=["5432", "7000-7001"], resourceGatewayIdentifier=gateway["id"], resourceConfigurationDefinition=definition
        )
        t["configuration"] = configuration["arn"]
        share = t["share"] = ram.create_resource_share(name=f"traffic-share-{n}", allowExternalPrincipals=True)["resourceShare"]["resourceShareArn"]
        ram.associate_resource_share(resourceShareArn=share, resourceArns=[configuration["arn"]], principals=[CONSUMER])
        consumer_ram = self.client("ram", CONSUMER)
        invitation = consumer_ram.get_resource_share_invitations(resourceShareArns=[share])["resourceShareInvitations"][0]
        consumer_ram.accept_resource_share_invitation(resourceShareInvitationArn=invitation["resourceShareInvitationArn"])
        reach = [{**p, "IpRanges": [{"CidrIp": t["cidr"]}]} for p in ports]
        t["resource_endpoint_rule"] = reach[0]
        resource_endpoint_sg = t["resource_endpoint_sg"] = c.create_security_group(GroupName=f"resource-endpoint-{n}", Description="re", VpcId=t["cvpc"])["GroupId"]
        c.authorize_security_group_ingress(GroupId=resource_endpoint_sg, IpPermissions=reach)
        t["client_resource_rule"] = reach[0]
        c.authorize_security_group_egress(GroupId=t["client_sg"], IpPermissions=reach)
        endpoint = c.create_vpc_endpoint(
            VpcId=t["cvpc"], VpcEndpointType="Resource", ResourceConfigurationArn=configuration["arn"], SubnetIds=t["csubnets"], SecurityGroupIds=[resource_endpoint_sg]
        )["VpcEndpoint"]
        t["resource_endpoint"] = endpoint["VpcEndpointId"]
        t["resource_name"] = c.describe_vpc_endpoints(VpcEndpointIds=[endpoint["VpcEndpointId"]])["VpcEndpoints"][0]["DnsEntries"][0]["DnsName"]
        return t

    def test_a_resource_endpoint_connects_to_the_resource_on_each_of_its_ports_and_its_interfaces_sit_in_its_subnets(self):
        t = self.shared_resource(self.topology())
        for port in (5432, 7000, 7001):
            result, blocked = self.probe(t, name=t["resource_name"], port=port)
            self.assertRegex(result, r"^connected \d+$")
            self.assertIsNone(blocked)
        described = t["cec2"].describe_vpc_endpoints(VpcEndpointIds=[t["resource_endpoint"]])["VpcEndpoints"][0]
        interfaces = t["cec2"].describe_network_interfaces(NetworkInterfaceIds=described["NetworkInterfaceIds"])["NetworkInterfaces"]
        self.assertEqual(sorted(i["SubnetId"] for i in interfaces), sorted(t["csubnets"]))
        t["cec2"].delete_vpc_endpoints(VpcEndpointIds=[t["resource_endpoint"]])
        left = t["cec2"].describe_network_interfaces(Filters=[{"Name": "network-interface-id", "Values": described["NetworkInterfaceIds"]}])["NetworkInterfaces"]
        self.assertEqual(left, [])

    def test_a_resource_port_the_configuration_does_not_take_blocks_at_the_configuration(self):
        t = self.shared_resource(self.topology())
        extra = {**t["client_resource_rule"], "FromPort": 6000, "ToPort": 6000}
        t["cec2"].authorize_security_group_egress(GroupId=t["client_sg"], IpPermissions=[extra])
        t["cec2"].authorize_security_group_ingress(GroupId=t["resource_endpoint_sg"], IpPermissions=[extra])
        self.assertIn("takes no tcp/6000", self.assert_blocked(t, "resource configuration rcfg-", name=t["resource_name"], port=6000))

    def test_the_client_egress_and_the_resource_endpoint_ingress_block(self):
        t = self.shared_resource(self.topology())
        t["cec2"].revoke_security_group_ingress(GroupId=t["resource_endpoint_sg"], IpPermissions=[t["resource_endpoint_rule"]])
        self.assertIn(t["resource_endpoint"], self.assert_blocked(t, t["resource_endpoint_sg"], name=t["resource_name"], port=5432))
        t["cec2"].revoke_security_group_egress(GroupId=t["client_sg"], IpPermissions=[t["client_resource_rule"]])
        self.assertIn("egress", self.assert_blocked(t, t["client_sg"], name=t["resource_name"], port=5432))
        self.assertRegex(self.probe(t, name=t["resource_name"], port=7000)[0], r"^connected")

    def test_the_gateway_security_group_egress_blocks(self):
        t = self.shared_resource(self.topology())
        t["pec2"].revoke_security_group_egress(GroupId=t["gateway_sg"], IpPermissions=[t["gateway_rule"]])
        blocked = self.assert_blocked(t, t["gateway_sg"], name=t["resource_name"], port=5432)
        self.assertIn(f"resource gateway {t['gateway']}", blocked)

    def test_the_resource_security_group_that_does_not_admit_the_gateway_blocks(self):
        t = self.shared_resource(self.topology())
        t["pec2"].revoke_security_group_ingress(GroupId=t["resource_sg"], IpPermissions=[t["resource_rule"]])
        self.assertIn(f"from resource gateway {t['gateway']}", self.assert_blocked(t, t["resource_sg"], name=t["resource_name"], port=5432))

    def test_nothing_at_the_resource_address_blocks(self):
        t = self.shared_resource(self.topology())
        t["pec2"].delete_network_interface(NetworkInterfaceId=t["resource_eni"]["NetworkInterfaceId"])
        self.assertIn(t["resource_address"], self.assert_blocked(t, "no network interface holds", name=t["resource_name"], port=5432))

    def test_a_withdrawn_share_blocks(self):
        t = self.shared_resource(self.topology())
        self.client("ram", PROVIDER).disassociate_resource_share(resourceShareArn=t["share"], principals=[CONSUMER])
        self.assertIn("no longer shared", self.assert_blocked(t, "resource configuration", name=t["resource_name"], port=5432))

    def test_a_resource_known_by_domain_name_needs_a_public_record(self):
        t = self.topology()
        route53 = self.client("route53", PROVIDER)
        private = route53.create_hosted_zone(
            Name="db.example.org", CallerReference=f"private-{t['pvpc']}", HostedZoneConfig={"PrivateZone": True}, VPC={"VPCRegion": REGION, "VPCId": t["pvpc"]}
        )["HostedZone"]["Id"]
        t = self.shared_resource(t, dns_name=f"{t['pvpc']}.db.example.org")
        record = lambda zone: route53.change_resource_record_sets(
            HostedZoneId=zone,
            ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": {"Name": f"{t['pvpc']}.db.example.org", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": t["resource_address"]}]}}]},
        )
        record(private)
        self.assertIn("has no public A record", self.assert_blocked(t, "resource configuration", name=t["resource_name"], port=5432))
        public = route53.create_hosted_zone(Name="db.example.org", CallerReference=f"public-{t['pvpc']}")["HostedZone"]["Id"]
        record(public)
        self.assertRegex(self.probe(t, name=t["resource_name"], port=5432)[0], r"^connected")

    def test_ipv6_through_a_resource_endpoint_does_not_resolve(self):
        t = self.shared_resource(self.topology())
        result, blocked = self.probe(t, name=t["resource_name"], port=5432, family="ipv6")
        self.assertEqual(result, "unresolved")
        self.assertIn("AAAA", blocked)


if __name__ == "__main__":
    unittest.main()
