"""Each emulator extension against boto3, through a real TLS server.

Run: npm run test:emulator (or `python -m unittest` in emulator/ with the
emulator's virtualenv).
"""
import json
import ipaddress
import os
import ssl
import tempfile
import threading
import unittest
import urllib.request

import boto3
from botocore.exceptions import ClientError

import logging

import extensions
import resource_sharing
import server

logging.getLogger("werkzeug").setLevel(logging.WARNING)

PROVIDER, CONSUMER, STRANGER = "111111111111", "222222222222", "444444444444"
REGION = "us-east-1"


class EmulatorCase(unittest.TestCase):
    """A TLS emulator per test class, and clients of its accounts (no tests of its own)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.ca = os.path.join(cls.tmp.name, "ca.pem")
        cls.httpd = server.make_emulator("https://127.0.0.1:0", cls.ca)
        cls.url = f"https://127.0.0.1:{cls.httpd.server_port}"
        threading.Thread(target=cls.httpd.serve_forever, daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.httpd.shutdown()
        cls.tmp.cleanup()

    def client(self, service, account, role="deployer", region=REGION):
        common = dict(endpoint_url=self.url, verify=self.ca, region_name=region)
        sts = boto3.client("sts", aws_access_key_id="test", aws_secret_access_key="test", **common)
        creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{role}", RoleSessionName="test")["Credentials"]
        return boto3.client(service, aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"], **common)

    def network(self, account, cidr, role="deployer", region=REGION):
        ec2 = self.client("ec2", account, role, region)
        vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
        subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=cidr.replace("0.0/16", f"{i}.0/24"), AvailabilityZone=f"{region}{z}")["Subnet"]["SubnetId"] for i, z in enumerate("ab")]
        return ec2, vpc, subnets

    def service(self, acceptance_required, principals):
        ec2, vpc, subnets = self.network(PROVIDER, "10.10.0.0/16")
        elb = self.client("elbv2", PROVIDER)
        nlb = elb.create_load_balancer(Name=f"nlb-{len(principals)}-{int(acceptance_required)}", Subnets=subnets, Scheme="internal", Type="network")["LoadBalancers"][0]
        service = ec2.create_vpc_endpoint_service_configuration(NetworkLoadBalancerArns=[nlb["LoadBalancerArn"]], AcceptanceRequired=acceptance_required)["ServiceConfiguration"]
        if principals:
            ec2.modify_vpc_endpoint_service_permissions(ServiceId=service["ServiceId"], AddAllowedPrincipals=principals)
        return ec2, service

    def endpoint(self, account, service_name, cidr, role="deployer", region=REGION, **extra):
        ec2, vpc, subnets = self.network(account, cidr, role, region)
        return ec2, ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=service_name, VpcEndpointType="Interface", SubnetIds=subnets, **extra)["VpcEndpoint"]


class EmulatorTest(EmulatorCase):
    def test_a_role_principal_admits_that_role_only_and_a_root_admits_every_role(self):
        _, service = self.service(False, [f"arn:aws:iam::{CONSUMER}:role/app"])
        _, endpoint = self.endpoint(CONSUMER, service["ServiceName"], "10.23.0.0/16", role="app")
        self.assertEqual(endpoint["State"], "available")
        with self.assertRaises(ClientError) as raised:
            self.endpoint(CONSUMER, service["ServiceName"], "10.24.0.0/16", role="deployer")
        self.assertEqual(raised.exception.response["Error"]["Code"], "InvalidServiceName")
        with self.assertRaises(ClientError):
            self.client("ec2", CONSUMER, "deployer").describe_vpc_endpoint_services(ServiceNames=[service["ServiceName"]])
        _, by_root = self.service(False, [f"arn:aws:iam::{CONSUMER}:root"])
        _, endpoint = self.endpoint(CONSUMER, by_root["ServiceName"], "10.25.0.0/16", role="any-role")
        self.assertEqual(endpoint["State"], "available")

    def test_supported_regions_always_include_the_service_s_own_region(self):
        ec2, vpc, subnets = self.network(PROVIDER, "10.13.0.0/16")
        arn = self.client("elbv2", PROVIDER).create_load_balancer(Name="nlb-regions", Subnets=subnets, Scheme="internal", Type="network")["LoadBalancers"][0]["LoadBalancerArn"]
        plain = ec2.create_vpc_endpoint_service_configuration(NetworkLoadBalancerArns=[arn], AcceptanceRequired=False)["ServiceConfiguration"]
        wider = ec2.create_vpc_endpoint_service_configuration(NetworkLoadBalancerArns=[arn], AcceptanceRequired=False, SupportedRegions=["us-west-2"])["ServiceConfiguration"]
        described = {s["ServiceId"]: s for s in ec2.describe_vpc_endpoint_service_configurations(ServiceIds=[plain["ServiceId"], wider["ServiceId"]])["ServiceConfigurations"]}
        regions = lambda s: sorted(r["Region"] for r in described[s["ServiceId"]]["SupportedRegions"])
        self.assertEqual(regions(plain), [REGION])
        self.assertEqual(regions(wider), [REGION, "us-west-2"])

    def test_cross_region_endpoint_names_the_service_region_which_must_support_its_own(self):
        ec2, vpc, subnets = self.network(PROVIDER, "10.14.0.0/16")
        arn = self.client("elbv2", PROVIDER).create_load_balancer(Name="nlb-cross", Subnets=subnets, Scheme="internal", Type="network")["LoadBalancers"][0]["LoadBalancerArn"]
        service = ec2.create_vpc_endpoint_service_configuration(NetworkLoadBalancerArns=[arn], AcceptanceRequired=False, SupportedRegions=["us-west-2"])["ServiceConfiguration"]
        ec2.modify_vpc_endpoint_service_permissions(ServiceId=service["ServiceId"], AddAllowedPrincipals=[f"arn:aws:iam::{CONSUMER}:root"])
        consumer, endpoint = self.endpoint(CONSUMER, service["ServiceName"], "10.26.0.0/16", region="us-west-2", ServiceRegion=REGION)
        read = consumer.describe_vpc_endpoints(VpcEndpointIds=[endpoint["VpcEndpointId"]])["VpcEndpoints"][0]
        self.assertEqual(read["ServiceRegion"], REGION)
        with self.assertRaises(ClientError) as unsupported:
            self.endpoint(CONSUMER, service["ServiceName"], "10.27.0.0/16", region="eu-west-1", ServiceRegion=REGION)
        self.assertEqual(unsupported.exception.response["Error"]["Code"], "InvalidParameterValue")
        with self.assertRaises(ClientError) as unnamed:
            self.endpoint(CONSUMER, service["ServiceName"], "10.28.0.0/16", region="us-west-2")
        self.assertEqual(unnamed.exception.response["Error"]["Code"], "InvalidServiceName")

    def test_endpoint_waits_for_acceptance_then_accept_and_reject(self):
        provider, service = self.service(True, [f"arn:aws:iam::{CONSUMER}:root"])
        consumer, endpoint = self.endpoint(CONSUMER, service["ServiceName"], "10.20.0.0/16")
        self.assertEqual(endpoint["State"], "pendingAcceptance")

        connections = provider.describe_vpc_endpoint_connections(Filters=[{"Name": "service-id", "Values": [service["ServiceId"]]}])["VpcEndpointConnections"]
        self.assertEqual([(c["VpcEndpointId"], c["VpcEndpointOwner"], c["VpcEndpointState"]) for c in connections], [(endpoint["VpcEndpointId"], CONSUMER, "pendingAcceptance")])

        accepted = provider.accept_vpc_endpoint_connections(ServiceId=service["ServiceId"], VpcEndpointIds=[endpoint["VpcEndpointId"], "vpce-0000000000000000"])
        self.assertEqual([u["ResourceId"] for u in accepted["Unsuccessful"]], ["vpce-0000000000000000"])
        self.assertEqual(consumer.describe_vpc_endpoints(VpcEndpointIds=[endpoint["VpcEndpointId"]])["VpcEndpoints"][0]["State"], "available")

        provider.reject_vpc_endpoint_connections(ServiceId=service["ServiceId"], VpcEndpointIds=[endpoint["VpcEndpointId"]])
        state = provider.describe_vpc_endpoint_connections(Filters=[{"Name": "vpc-endpoint-id", "Values": [endpoint["VpcEndpointId"]]}])["VpcEndpointConnections"][0]["VpcEndpointState"]
        self.assertEqual(state, "rejected")

    def test_endpoint_of_a_service_without_acceptance_is_available(self):
        _, service = self.service(False, [f"arn:aws:iam::{CONSUMER}:root"])
        _, endpoint = self.endpoint(CONSUMER, service["ServiceName"], "10.21.0.0/16")
        self.assertEqual(endpoint["State"], "available")

    def test_account_not_allowed_cannot_connect(self):
        _, service = self.service(True, [f"arn:aws:iam::{CONSUMER}:root"])
        with self.assertRaises(ClientError) as raised:
            self.endpoint(STRANGER, service["ServiceName"], "10.40.0.0/16")
        self.assertEqual(raised.exception.response["Error"]["Code"], "InvalidServiceName")

    def test_consumer_sees_the_service_it_is_allowed_to_use(self):
        _, service = self.service(True, [f"arn:aws:iam::{CONSUMER}:root"])
        found = self.client("ec2", CONSUMER).describe_vpc_endpoint_services(ServiceNames=[service["ServiceName"]])["ServiceDetails"]
        self.assertEqual([(s["ServiceName"], s["Owner"]) for s in found], [(service["ServiceName"], PROVIDER)])
        self.assertTrue(found[0]["AvailabilityZones"])
        with self.assertRaises(ClientError) as raised:
            self.client("ec2", STRANGER).describe_vpc_endpoint_services(ServiceNames=[service["ServiceName"]])
        self.assertEqual(raised.exception.response["Error"]["Code"], "InvalidServiceName")

    def test_dual_stack_service_and_endpoint_report_their_ip_address_types(self):
        ec2, vpc, subnets = self.network(PROVIDER, "10.12.0.0/16")
        nlb = self.client("elbv2", PROVIDER).create_load_balancer(Name="nlb-dual", Subnets=subnets, Scheme="internal", Type="network", IpAddressType="dualstack")
        arn = nlb["LoadBalancers"][0]["LoadBalancerArn"]
        service = ec2.create_vpc_endpoint_service_configuration(NetworkLoadBalancerArns=[arn], AcceptanceRequired=False, SupportedIpAddressTypes=["ipv4", "ipv6"])
        service_id = service["ServiceConfiguration"]["ServiceId"]
        described = ec2.describe_vpc_endpoint_service_configurations(ServiceIds=[service_id])["ServiceConfigurations"][0]
        self.assertEqual(described["SupportedIpAddressTypes"], ["ipv4", "ipv6"])
        ec2.modify_vpc_endpoint_service_permissions(ServiceId=service_id, AddAllowedPrincipals=[f"arn:aws:iam::{CONSUMER}:root"])
        consumer, cvpc, csubnets = self.network(CONSUMER, "10.22.0.0/16")
        endpoint = consumer.create_vpc_endpoint(
            VpcId=cvpc,
            ServiceName=service["ServiceConfiguration"]["ServiceName"],
            VpcEndpointType="Interface",
            SubnetIds=csubnets,
            IpAddressType="dualstack",
            DnsOptions={"DnsRecordIpType": "dualstack"},
        )["VpcEndpoint"]
        read = consumer.describe_vpc_endpoints(VpcEndpointIds=[endpoint["VpcEndpointId"]])["VpcEndpoints"][0]
        self.assertEqual((read["IpAddressType"], read["DnsOptions"]["DnsRecordIpType"]), ("dualstack", "dualstack"))
        plain = consumer.create_vpc_endpoint(VpcId=cvpc, ServiceName=service["ServiceConfiguration"]["ServiceName"], VpcEndpointType="Interface", SubnetIds=csubnets[:1])
        # Without IpAddressType, an endpoint is IPv4 with IPv4 records, and says so.
        self.assertEqual((plain["VpcEndpoint"]["IpAddressType"], plain["VpcEndpoint"]["DnsOptions"]["DnsRecordIpType"]), ("ipv4", "ipv4"))
        connections = ec2.describe_vpc_endpoint_connections(Filters=[{"Name": "service-id", "Values": [service_id]}])["VpcEndpointConnections"]
        types = {c["VpcEndpointId"]: c["IpAddressType"] for c in connections}
        self.assertEqual(types, {endpoint["VpcEndpointId"]: "dualstack", plain["VpcEndpoint"]["VpcEndpointId"]: "ipv4"})

    def test_dual_stack_turns_off_endpoint_first_then_service(self):
        ec2, vpc, subnets = self.network(PROVIDER, "10.14.0.0/16")
        arn = self.client("elbv2", PROVIDER).create_load_balancer(Name="nlb-off", Subnets=subnets, Scheme="internal", Type="network")["LoadBalancers"][0]["LoadBalancerArn"]
        plain = ec2.create_vpc_endpoint_service_configuration(NetworkLoadBalancerArns=[arn], AcceptanceRequired=False)["ServiceConfiguration"]
        self.assertEqual(plain["SupportedIpAddressTypes"], ["ipv4"])
        ec2.modify_vpc_endpoint_service_configuration(ServiceId=plain["ServiceId"], AddSupportedIpAddressTypes=["ipv6"])
        ec2.modify_vpc_endpoint_service_permissions(ServiceId=plain["ServiceId"], AddAllowedPrincipals=[f"arn:aws:iam::{CONSUMER}:root"])
        read = lambda: ec2.describe_vpc_endpoint_service_configurations(ServiceIds=[plain["ServiceId"]])["ServiceConfigurations"][0]["SupportedIpAddressTypes"]
        self.assertEqual(read(), ["ipv4", "ipv6"])
        consumer, endpoint = self.endpoint(CONSUMER, plain["ServiceName"], "10.26.0.0/16", IpAddressType="dualstack", DnsOptions={"DnsRecordIpType": "dualstack"})
        endpoint_id = endpoint["VpcEndpointId"]
        # A DNS record type the address type cannot serve is refused, as AWS refuses it.
        with self.assertRaises(ClientError) as raised:
            consumer.modify_vpc_endpoint(VpcEndpointId=endpoint_id, IpAddressType="ipv4")
        self.assertEqual(raised.exception.response["Error"]["Code"], "InvalidParameter")
        consumer.modify_vpc_endpoint(VpcEndpointId=endpoint_id, IpAddressType="ipv4", DnsOptions={"DnsRecordIpType": "ipv4"})
        now = consumer.describe_vpc_endpoints(VpcEndpointIds=[endpoint_id])["VpcEndpoints"][0]
        self.assertEqual((now["IpAddressType"], now["DnsOptions"]["DnsRecordIpType"]), ("ipv4", "ipv4"))
        ec2.modify_vpc_endpoint_service_configuration(ServiceId=plain["ServiceId"], RemoveSupportedIpAddressTypes=["ipv6"])
        self.assertEqual(read(), ["ipv4"])
        # An endpoint cannot become dual stack on a service that no longer supports IPv6.
        with self.assertRaises(ClientError) as raised:
            consumer.modify_vpc_endpoint(VpcEndpointId=endpoint_id, IpAddressType="dualstack", DnsOptions={"DnsRecordIpType": "dualstack"})
        self.assertEqual(raised.exception.response["Error"]["Code"], "InvalidParameter")

    def test_private_dns_name_is_verified_through_route53_then_turned_on_at_an_accepted_endpoint(self):
        ec2, vpc, subnets = self.network(PROVIDER, "10.15.0.0/16")
        arn = self.client("elbv2", PROVIDER).create_load_balancer(Name="nlb-dns", Subnets=subnets, Scheme="internal", Type="network")["LoadBalancers"][0]["LoadBalancerArn"]
        service = ec2.create_vpc_endpoint_service_configuration(NetworkLoadBalancerArns=[arn], AcceptanceRequired=True, PrivateDnsName="api.dns.example.com")["ServiceConfiguration"]
        ec2.modify_vpc_endpoint_service_permissions(ServiceId=service["ServiceId"], AddAllowedPrincipals=[f"arn:aws:iam::{CONSUMER}:root"])
        challenge = lambda: ec2.describe_vpc_endpoint_service_configurations(ServiceIds=[service["ServiceId"]])["ServiceConfigurations"][0]["PrivateDnsNameConfiguration"]
        self.assertEqual((challenge()["State"], challenge()["Type"]), ("pendingVerification", "TXT"))
        consumer, endpoint = self.endpoint(CONSUMER, service["ServiceName"], "10.27.0.0/16")
        endpoint_id = endpoint["VpcEndpointId"]
        ec2.accept_vpc_endpoint_connections(ServiceId=service["ServiceId"], VpcEndpointIds=[endpoint_id])
        # Not verified yet: refused, as AWS refuses it.
        with self.assertRaises(ClientError) as raised:
            consumer.modify_vpc_endpoint(VpcEndpointId=endpoint_id, PrivateDnsEnabled=True)
        self.assertEqual(raised.exception.response["Error"]["Code"], "InvalidParameter")
        # Verification without the TXT record fails; with it, the name is verified.
        ec2.start_vpc_endpoint_service_private_dns_verification(ServiceId=service["ServiceId"])
        self.assertEqual(challenge()["State"], "failed")
        route53 = self.client("route53", PROVIDER)
        zone = route53.create_hosted_zone(Name="dns.example.com", CallerReference="dns")["HostedZone"]["Id"]
        self.assertRegex(zone, r"^/hostedzone/Z[A-Z0-9]+$")
        route53.change_resource_record_sets(
            HostedZoneId=zone,
            ChangeBatch={"Changes": [{"Action": "CREATE", "ResourceRecordSet": {"Name": f"{challenge()['Name']}.dns.example.com", "Type": "TXT", "TTL": 300, "ResourceRecords": [{"Value": f'"{challenge()["Value"]}"'}]}}]},
        )
        ec2.start_vpc_endpoint_service_private_dns_verification(ServiceId=service["ServiceId"])
        self.assertEqual(challenge()["State"], "verified")
        consumer.modify_vpc_endpoint(VpcEndpointId=endpoint_id, PrivateDnsEnabled=True)
        read = lambda: consumer.describe_vpc_endpoints(VpcEndpointIds=[endpoint_id])["VpcEndpoints"][0]["PrivateDnsEnabled"]
        self.assertTrue(read())
        consumer.modify_vpc_endpoint(VpcEndpointId=endpoint_id, PrivateDnsEnabled=False)
        self.assertFalse(read())

    def test_a_create_repeated_with_its_client_token_returns_the_first_result_and_creates_nothing(self):
        ec2, vpc, subnets = self.network(PROVIDER, "10.16.0.0/16")
        arn = self.client("elbv2", PROVIDER).create_load_balancer(Name="nlb-token", Subnets=subnets, Scheme="internal", Type="network")["LoadBalancers"][0]["LoadBalancerArn"]
        count = lambda: len(ec2.describe_vpc_endpoint_service_configurations()["ServiceConfigurations"])
        before = count()
        first = ec2.create_vpc_endpoint_service_configuration(NetworkLoadBalancerArns=[arn], AcceptanceRequired=False, ClientToken="retry-1")
        again = ec2.create_vpc_endpoint_service_configuration(NetworkLoadBalancerArns=[arn], AcceptanceRequired=False, ClientToken="retry-1")
        self.assertEqual(first["ServiceConfiguration"]["ServiceId"], again["ServiceConfiguration"]["ServiceId"])
        self.assertEqual(count(), before + 1)
        other = ec2.create_vpc_endpoint_service_configuration(NetworkLoadBalancerArns=[arn], AcceptanceRequired=False, ClientToken="retry-2")
        self.assertNotEqual(other["ServiceConfiguration"]["ServiceId"], first["ServiceConfiguration"]["ServiceId"])

    def test_a_retried_attempt_of_a_call_gets_its_first_answer_and_a_new_call_is_served_as_always(self):
        ec2, vpc, _ = self.network(PROVIDER, "10.17.0.0/16")
        invocation = {"id": "call-1"}

        def same_call(request, **_):
            # What an SDK retry sends: the first attempt's invocation id.
            request.headers["amz-sdk-invocation-id"] = invocation["id"]

        ec2.meta.events.register("before-send.ec2.CreateSubnet", same_call)
        first = ec2.create_subnet(VpcId=vpc, CidrBlock="10.17.100.0/24")["Subnet"]["SubnetId"]
        again = ec2.create_subnet(VpcId=vpc, CidrBlock="10.17.100.0/24")["Subnet"]["SubnetId"]
        self.assertEqual(again, first)
        self.assertEqual([s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "cidr-block", "Values": ["10.17.100.0/24"]}])["Subnets"]], [first])
        invocation["id"] = "call-2"
        with self.assertRaises(ClientError) as refused:
            ec2.create_subnet(VpcId=vpc, CidrBlock="10.17.100.0/24")
        self.assertEqual(refused.exception.response["Error"]["Code"], "InvalidSubnet.Conflict")

    def test_a_launch_template_image_from_ssm_is_resolved_at_launch(self):
        ec2, vpc, subnets = self.network(PROVIDER, "10.15.0.0/16")
        parameter = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
        template = ec2.create_launch_template(LaunchTemplateName="ssm-image", LaunchTemplateData={"ImageId": f"resolve:ssm:{parameter}"})["LaunchTemplate"]
        instance = ec2.run_instances(MinCount=1, MaxCount=1, SubnetId=subnets[0], LaunchTemplate={"LaunchTemplateId": template["LaunchTemplateId"]})["Instances"][0]
        expected = self.client("ssm", PROVIDER).get_parameter(Name=parameter)["Parameter"]["Value"]
        self.assertTrue(expected.startswith("ami-"))
        self.assertEqual(instance["ImageId"], expected)
        kept = ec2.describe_launch_template_versions(LaunchTemplateId=template["LaunchTemplateId"])["LaunchTemplateVersions"][0]["LaunchTemplateData"]["ImageId"]
        self.assertEqual(kept, f"resolve:ssm:{parameter}")
        missing = ec2.create_launch_template(LaunchTemplateName="ssm-missing", LaunchTemplateData={"ImageId": "resolve:ssm:/no/such/parameter"})["LaunchTemplate"]
        with self.assertRaises(ClientError) as raised:
            ec2.run_instances(MinCount=1, MaxCount=1, SubnetId=subnets[0], LaunchTemplate={"LaunchTemplateId": missing["LaunchTemplateId"]})
        self.assertEqual(raised.exception.response["Error"]["Code"], "InvalidParameterValue")

    def test_only_changes_wait_for_each_other_and_a_read_body_stays_readable(self):
        import io

        import extensions

        def form(body):
            return {"REQUEST_METHOD": "POST", "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}

        describe = form(b"Action=DescribeVpcs&Version=2016-11-15")
        self.assertTrue(extensions._is_read(describe))
        self.assertEqual(describe["wsgi.input"].read(), b"Action=DescribeVpcs&Version=2016-11-15")
        self.assertFalse(extensions._is_read(form(b"Action=CreateSecurityGroup&GroupName=g")))
        self.assertTrue(extensions._is_read({"REQUEST_METHOD": "POST", "HTTP_X_AMZ_TARGET": "AmazonSSM.GetParameter"}))
        self.assertFalse(extensions._is_read({"REQUEST_METHOD": "POST", "HTTP_X_AMZ_TARGET": "TrentService.CreateKey"}))
        self.assertTrue(extensions._is_read({"REQUEST_METHOD": "GET", "QUERY_STRING": ""}))
        self.assertFalse(extensions._is_read({"REQUEST_METHOD": "PUT", "QUERY_STRING": ""}))

    def test_subnet_ipv6_block_reports_its_state_and_filters_by_association(self):
        ec2 = self.client("ec2", PROVIDER)
        vpc = ec2.create_vpc(CidrBlock="10.13.0.0/16", AmazonProvidedIpv6CidrBlock=True)["Vpc"]["VpcId"]
        block = ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"][0]["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlock"]
        subnet_block = str(next(ipaddress.ip_network(block).subnets(new_prefix=64)))
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.13.0.0/24", Ipv6CidrBlock=subnet_block, AvailabilityZone=f"{REGION}a")["Subnet"]
        association = subnet["Ipv6CidrBlockAssociationSet"][0]
        self.assertEqual(association["Ipv6CidrBlockState"]["State"], "associated")
        found = ec2.describe_subnets(Filters=[{"Name": "ipv6-cidr-block-association.association-id", "Values": [association["AssociationId"]]}])["Subnets"]
        self.assertEqual([s["SubnetId"] for s in found], [subnet["SubnetId"]])
        self.assertEqual(ec2.describe_subnets(Filters=[{"Name": "ipv6-cidr-block-association.state", "Values": ["disassociated"]}])["Subnets"], [])

    def test_instance_without_public_ip_has_no_association(self):
        ec2, _, subnets = self.network(PROVIDER, "10.11.0.0/16")
        instance = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro", NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": subnets[0], "AssociatePublicIpAddress": False}])["Instances"][0]
        described = ec2.describe_instances(InstanceIds=[instance["InstanceId"]])["Reservations"][0]["Instances"][0]
        self.assertNotIn("Association", described["NetworkInterfaces"][0])

    def test_security_groups_of_the_primary_interface_are_the_instance_s(self):
        ec2, vpc, subnets = self.network(PROVIDER, "10.14.0.0/16")
        sg = ec2.create_security_group(GroupName="service", Description="service", VpcId=vpc)["GroupId"]
        instance = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": subnets[0], "Groups": [sg], "AssociatePublicIpAddress": False}])["Instances"][0]
        described = ec2.describe_instances(InstanceIds=[instance["InstanceId"]])["Reservations"][0]["Instances"][0]
        self.assertEqual([g["GroupId"] for g in described["SecurityGroups"]], [sg])

    def test_a_subnet_holding_an_nlb_an_endpoint_or_an_instance_cannot_be_deleted_until_they_are_gone(self):
        ec2, vpc, subnets = self.network(PROVIDER, "10.15.0.0/16")
        elb = self.client("elbv2", PROVIDER)
        nlb = elb.create_load_balancer(Name="nlb-in-use", Subnets=[subnets[0]], Scheme="internal", Type="network")["LoadBalancers"][0]
        instance = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, SubnetId=subnets[1])["Instances"][0]["InstanceId"]
        consumer, consumer_vpc, consumer_subnets = self.network(CONSUMER, "10.16.0.0/16")
        _, service = self.service(False, [f"arn:aws:iam::{CONSUMER}:root"])
        endpoint = consumer.create_vpc_endpoint(VpcId=consumer_vpc, ServiceName=service["ServiceName"], VpcEndpointType="Interface", SubnetIds=[consumer_subnets[0]])["VpcEndpoint"]["VpcEndpointId"]
        for client, subnet in [(ec2, subnets[0]), (ec2, subnets[1]), (consumer, consumer_subnets[0])]:
            with self.assertRaises(ClientError) as refused:
                client.delete_subnet(SubnetId=subnet)
            self.assertEqual(refused.exception.response["Error"]["Code"], "DependencyViolation")
        elb.delete_load_balancer(LoadBalancerArn=nlb["LoadBalancerArn"])
        ec2.terminate_instances(InstanceIds=[instance])
        consumer.delete_vpc_endpoints(VpcEndpointIds=[endpoint])
        for client, subnet in [(ec2, subnets[0]), (ec2, subnets[1]), (consumer, consumer_subnets[0])]:
            client.delete_subnet(SubnetId=subnet)
        self.assertEqual(ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"], [])

    def test_launch_template_tags_stay_out_of_its_launch_data(self):
        ec2 = self.client("ec2", PROVIDER)
        created = ec2.create_launch_template(
            LaunchTemplateName="tagged",
            LaunchTemplateData={"ImageId": "ami-12c6146b", "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "svc"}]}]},
            TagSpecifications=[{"ResourceType": "launch-template", "Tags": [{"Key": "Name", "Value": "template"}]}],
        )["LaunchTemplate"]
        data = ec2.describe_launch_template_versions(LaunchTemplateId=created["LaunchTemplateId"])["LaunchTemplateVersions"][0]["LaunchTemplateData"]
        self.assertEqual([s["ResourceType"] for s in data["TagSpecifications"]], ["instance"])
        self.assertEqual(created["Tags"], [{"Key": "Name", "Value": "template"}])

    def test_instance_refresh_rolls_a_new_template_version_through_the_target_group(self):
        ec2, vpc, subnets = self.network(PROVIDER, "10.15.0.0/16")
        elb = self.client("elbv2", PROVIDER)
        tg = elb.create_target_group(Name="fleet", Protocol="TCP", Port=8080, VpcId=vpc, TargetType="instance")["TargetGroups"][0]["TargetGroupArn"]
        template = ec2.create_launch_template(LaunchTemplateName="fleet", LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"})["LaunchTemplate"]["LaunchTemplateId"]
        asg = self.client("autoscaling", PROVIDER)
        asg.create_auto_scaling_group(AutoScalingGroupName="fleet", MinSize=2, MaxSize=2, DesiredCapacity=2, VPCZoneIdentifier=",".join(subnets), LaunchTemplate={"LaunchTemplateId": template, "Version": "1"}, TargetGroupARNs=[tg])
        instances = lambda: sorted(i["InstanceId"] for i in asg.describe_auto_scaling_groups(AutoScalingGroupNames=["fleet"])["AutoScalingGroups"][0]["Instances"])
        targets = lambda: sorted(t["Target"]["Id"] for t in elb.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"])
        before = instances()
        # A release: a new version with new user data (base64, as the API takes it).
        ec2.create_launch_template_version(LaunchTemplateId=template, LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro", "UserData": "IyEvYmluL3NoCg=="})
        asg.update_auto_scaling_group(AutoScalingGroupName="fleet", LaunchTemplate={"LaunchTemplateId": template, "Version": "2"})
        refresh = asg.start_instance_refresh(AutoScalingGroupName="fleet", Preferences={"MinHealthyPercentage": 100, "MaxHealthyPercentage": 200})["InstanceRefreshId"]
        after = instances()
        self.assertEqual(len(after), 2)
        self.assertFalse(set(before) & set(after))
        self.assertEqual(targets(), after)
        described = asg.describe_instance_refreshes(AutoScalingGroupName="fleet")["InstanceRefreshes"]
        self.assertEqual([(r["InstanceRefreshId"], r["Status"]) for r in described], [(refresh, "Successful")])

    def test_monitoring_turns_on_and_off(self):
        ec2, _, subnets = self.network(PROVIDER, "10.12.0.0/16")
        instance_id = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, SubnetId=subnets[0])["Instances"][0]["InstanceId"]
        self.assertEqual(ec2.monitor_instances(InstanceIds=[instance_id])["InstanceMonitorings"][0]["Monitoring"]["State"], "enabled")
        self.assertEqual(ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]["Monitoring"]["State"], "enabled")
        ec2.unmonitor_instances(InstanceIds=[instance_id])
        self.assertEqual(ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]["Monitoring"]["State"], "disabled")

    def test_nlb_reads_back_privatelink_enforcement(self):
        ec2, vpc, subnets = self.network(PROVIDER, "10.13.0.0/16")
        sg = ec2.create_security_group(GroupName="nlb", Description="nlb", VpcId=vpc)["GroupId"]
        elb = self.client("elbv2", PROVIDER)
        arn = elb.create_load_balancer(Name="enforce", Subnets=subnets, SecurityGroups=[sg], Scheme="internal", Type="network")["LoadBalancers"][0]["LoadBalancerArn"]
        read = lambda: elb.describe_load_balancers(LoadBalancerArns=[arn])["LoadBalancers"][0].get("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic")
        self.assertEqual(read(), "on")
        result = elb.set_security_groups(LoadBalancerArn=arn, SecurityGroups=[sg], EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic="off")
        self.assertEqual(result["EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"], "off")
        self.assertEqual(read(), "off")

    def test_tls_only_bucket_policy_admits_tls_requests(self):
        s3 = self.client("s3", PROVIDER)
        s3.create_bucket(Bucket="tls-only")
        deny_insecure = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::tls-only", "arn:aws:s3:::tls-only/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
        s3.put_bucket_policy(Bucket="tls-only", Policy=json.dumps({"Version": "2012-10-17", "Statement": [deny_insecure]}))
        s3.put_object(Bucket="tls-only", Key="state", Body=b"{}")
        self.assertEqual(s3.get_object(Bucket="tls-only", Key="state")["Body"].read(), b"{}")

        # The same deny without its condition still denies: only a condition that does not hold is skipped.
        unconditional = {k: v for k, v in deny_insecure.items() if k != "Condition"}
        s3.put_bucket_policy(Bucket="tls-only", Policy=json.dumps({"Version": "2012-10-17", "Statement": [unconditional]}))
        with self.assertRaises(ClientError) as raised:
            s3.put_object(Bucket="tls-only", Key="state", Body=b"{}")
        self.assertEqual(raised.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)

    def test_condition_on_transport_is_judged_by_the_request(self):
        import extensions

        extensions._request.secure = False
        self.assertFalse(extensions._condition_holds({"Bool": {"aws:SecureTransport": "true"}}))
        self.assertTrue(extensions._condition_holds({"Bool": {"aws:SecureTransport": "false"}}))
        extensions._request.secure = True
        self.assertTrue(extensions._condition_holds({"Bool": {"aws:SecureTransport": ["true"]}}))
        self.assertTrue(extensions._condition_holds({"StringEquals": {"aws:PrincipalAccount": "1"}}))

    # --- PrivateLink for resources (resource_sharing.py) ---
    def shared_configuration(self, cidr, name, principals=(), allow_external=True):
        """A resource gateway in two subnets of a new provider VPC, a resource configuration behind it, and a share of it."""
        ec2, vpc, subnets = self.network(PROVIDER, cidr)
        lattice = self.client("vpc-lattice", PROVIDER)
        gateway = lattice.create_resource_gateway(name=f"{name}-gw", vpcIdentifier=vpc, subnetIds=subnets)
        configuration = lattice.create_resource_configuration(
            name=f"{name}-db", type="SINGLE", portRanges=["5432"], resourceGatewayIdentifier=gateway["id"],
            resourceConfigurationDefinition={"dnsResource": {"domainName": "db.internal.example.com", "ipAddressType": "IPV4"}},
        )
        ram = self.client("ram", PROVIDER)
        share = ram.create_resource_share(name=f"{name}-share", allowExternalPrincipals=allow_external)["resourceShare"]["resourceShareArn"]
        ram.associate_resource_share(resourceShareArn=share, resourceArns=[configuration["arn"]], principals=list(principals))
        return lattice, gateway, configuration, ram, share, ec2, subnets

    def test_resource_gateways_and_configurations_are_checked_and_cannot_go_while_in_use(self):
        lattice, gateway, configuration, _, _, ec2, subnets = self.shared_configuration("10.17.0.0/16", "rg-a")
        self.assertEqual(lattice.get_resource_gateway(resourceGatewayIdentifier=gateway["id"])["status"], "ACTIVE")
        self.assertEqual(lattice.get_resource_configuration(resourceConfigurationIdentifier=configuration["arn"])["portRanges"], ["5432"])
        _, other_vpc, other_subnets = self.network(PROVIDER, "10.18.0.0/16")
        for bad in [
            dict(name="rg-a-gw", vpcIdentifier=other_vpc, subnetIds=other_subnets),  # the name is taken
            dict(name="rg-b-gw", vpcIdentifier=other_vpc, subnetIds=subnets),  # subnets of another VPC
            dict(name="Bad_Name", vpcIdentifier=other_vpc, subnetIds=other_subnets),
        ]:
            with self.assertRaises(ClientError):
                lattice.create_resource_gateway(**bad)
        with self.assertRaises(ClientError) as refused:
            lattice.create_resource_configuration(
                name="rg-a-bad", type="SINGLE", portRanges=["9000-8000"], resourceGatewayIdentifier=gateway["id"],
                resourceConfigurationDefinition={"ipResource": {"ipAddress": "10.17.0.9"}},
            )
        self.assertEqual(refused.exception.response["Error"]["Code"], "ValidationException")
        # The gateway holds its subnets, and its configuration holds it.
        with self.assertRaises(ClientError) as refused:
            ec2.delete_subnet(SubnetId=subnets[0])
        self.assertEqual(refused.exception.response["Error"]["Code"], "DependencyViolation")
        with self.assertRaises(ClientError) as refused:
            lattice.delete_resource_gateway(resourceGatewayIdentifier=gateway["id"])
        self.assertEqual(refused.exception.response["Error"]["Code"], "ConflictException")
        lattice.delete_resource_configuration(resourceConfigurationIdentifier=configuration["id"])
        lattice.delete_resource_gateway(resourceGatewayIdentifier=gateway["id"])
        with self.assertRaises(ClientError) as gone:
            lattice.get_resource_gateway(resourceGatewayIdentifier=gateway["id"])
        self.assertEqual(gone.exception.response["Error"]["Code"], "ResourceNotFoundException")
        ec2.delete_subnet(SubnetId=subnets[0])

    def test_a_share_invites_an_account_outside_the_organization_which_sees_it_once_it_accepts(self):
        _, _, configuration, ram, share, _, _ = self.shared_configuration("10.19.0.0/16", "rs-a", principals=[CONSUMER])
        association = ram.get_resource_share_associations(associationType="PRINCIPAL", resourceShareArns=[share])["resourceShareAssociations"]
        self.assertEqual([(a["associatedEntity"], a["status"]) for a in association], [(CONSUMER, "ASSOCIATING")])
        consumer = self.client("ram", CONSUMER)
        self.assertEqual(consumer.get_resource_shares(resourceOwner="OTHER-ACCOUNTS", resourceShareArns=[share])["resourceShares"], [])
        invitations = consumer.get_resource_share_invitations(resourceShareArns=[share])["resourceShareInvitations"]
        self.assertEqual([i["status"] for i in invitations], ["PENDING"])
        # RAM is regional: the invitation is not seen from another region.
        self.assertEqual(self.client("ram", CONSUMER, region="us-west-2").get_resource_share_invitations()["resourceShareInvitations"], [])
        consumer.accept_resource_share_invitation(resourceShareInvitationArn=invitations[0]["resourceShareInvitationArn"])
        association = ram.get_resource_share_associations(associationType="PRINCIPAL", resourceShareArns=[share])["resourceShareAssociations"]
        self.assertEqual([a["status"] for a in association], ["ASSOCIATED"])
        self.assertEqual([s["resourceShareArn"] for s in consumer.get_resource_shares(resourceOwner="OTHER-ACCOUNTS", resourceShareArns=[share])["resourceShares"]], [share])
        resources = consumer.list_resources(resourceOwner="OTHER-ACCOUNTS", resourceShareArns=[share])["resources"]
        self.assertEqual([(r["arn"], r["type"]) for r in resources], [(configuration["arn"], "vpc-lattice:ResourceConfiguration")])
        permissions = ram.list_resource_share_permissions(resourceShareArn=share)["permissions"]
        self.assertEqual([p["resourceType"] for p in permissions], ["vpc-lattice:ResourceConfiguration"])
        # Only the owner changes the share; the account that accepted may leave it.
        with self.assertRaises(ClientError) as refused:
            consumer.associate_resource_share(resourceShareArn=share, principals=[STRANGER])
        self.assertEqual(refused.exception.response["Error"]["Code"], "OperationNotPermittedException")
        consumer.disassociate_resource_share(resourceShareArn=share, principals=[CONSUMER])
        self.assertEqual(consumer.get_resource_shares(resourceOwner="OTHER-ACCOUNTS", resourceShareArns=[share])["resourceShares"], [])

    def test_a_share_without_external_principals_refuses_an_account_outside_the_organization(self):
        _, _, _, ram, share, _, _ = self.shared_configuration("10.20.0.0/16", "rs-b", allow_external=False)
        with self.assertRaises(ClientError) as refused:
            ram.associate_resource_share(resourceShareArn=share, principals=[CONSUMER])
        self.assertEqual(refused.exception.response["Error"]["Code"], "OperationNotPermittedException")
        self.assertEqual(self.client("ram", CONSUMER).get_resource_share_invitations(resourceShareArns=[share])["resourceShareInvitations"], [])

    def test_a_resource_endpoint_needs_the_configuration_shared_and_accepted_and_an_az_of_the_gateway(self):
        lattice, _, configuration, _, share, _, _ = self.shared_configuration("10.21.0.0/16", "re-a", principals=[CONSUMER])
        ec2, vpc, subnets = self.network(CONSUMER, "10.22.0.0/16")
        create = lambda subnet_ids: ec2.create_vpc_endpoint(VpcEndpointType="Resource", VpcId=vpc, SubnetIds=subnet_ids, ResourceConfigurationArn=configuration["arn"])
        with self.assertRaises(ClientError) as refused:
            create(subnets)  # not accepted yet
        self.assertEqual(refused.exception.response["Error"]["Code"], "InvalidParameter")
        ram = self.client("ram", CONSUMER)
        invitation = ram.get_resource_share_invitations(resourceShareArns=[share])["resourceShareInvitations"][0]
        ram.accept_resource_share_invitation(resourceShareInvitationArn=invitation["resourceShareInvitationArn"])
        far = ec2.create_subnet(VpcId=vpc, CidrBlock="10.22.9.0/24", AvailabilityZone="us-east-1d")["Subnet"]["SubnetId"]
        with self.assertRaises(ClientError) as refused:
            create([far])  # no AZ in common with the gateway
        self.assertEqual(refused.exception.response["Error"]["Code"], "InvalidParameter")
        endpoint = create(subnets)["VpcEndpoint"]
        described = ec2.describe_vpc_endpoints(VpcEndpointIds=[endpoint["VpcEndpointId"]])["VpcEndpoints"][0]
        self.assertEqual((described["VpcEndpointType"], described["State"], described["ResourceConfigurationArn"]), ("Resource", "available", configuration["arn"]))
        self.assertIn(".vpc-lattice-rsc.us-east-1.on.aws", described["DnsEntries"][0]["DnsName"])
        with self.assertRaises(ClientError) as refused:
            lattice.delete_resource_configuration(resourceConfigurationIdentifier=configuration["id"])
        self.assertEqual(refused.exception.response["Error"]["Code"], "ConflictException")
        with self.assertRaises(ClientError) as refused:
            ec2.delete_subnet(SubnetId=subnets[0])
        self.assertEqual(refused.exception.response["Error"]["Code"], "DependencyViolation")
        ec2.delete_vpc_endpoints(VpcEndpointIds=[endpoint["VpcEndpointId"]])
        lattice.delete_resource_configuration(resourceConfigurationIdentifier=configuration["id"])



class ResetTest(EmulatorCase):
    """moto's reset leaves none of the extensions' own state behind (a server of its own, so no other test loses its state)."""

    def test_a_reset_forgets_gateways_configurations_shares_invitations_and_answers(self):
        ec2, vpc, subnets = self.network(PROVIDER, "10.77.0.0/16")
        lattice, ram = self.client("vpc-lattice", PROVIDER), self.client("ram", PROVIDER)
        gateway = lattice.create_resource_gateway(name="reset-gw", vpcIdentifier=vpc, subnetIds=subnets)
        configuration = lattice.create_resource_configuration(
            name="reset-db", type="SINGLE", portRanges=["5432"], resourceGatewayIdentifier=gateway["id"],
            resourceConfigurationDefinition={"ipResource": {"ipAddress": "10.77.0.9"}},
        )
        share = ram.create_resource_share(name="reset-share", allowExternalPrincipals=True)["resourceShare"]["resourceShareArn"]
        ram.associate_resource_share(resourceShareArn=share, resourceArns=[configuration["arn"]], principals=[CONSUMER])
        self.assertTrue(resource_sharing._gateways and resource_sharing._configurations and resource_sharing._shares and resource_sharing._invitations)
        self.assertTrue(extensions._answered)
        reset = urllib.request.urlopen(urllib.request.Request(f"{self.url}/moto-api/reset", method="POST"), context=ssl.create_default_context(cafile=self.ca))
        self.assertEqual(reset.status, 200)
        self.assertEqual((resource_sharing._gateways, resource_sharing._configurations, resource_sharing._shares, resource_sharing._invitations), ({}, {}, {}, {}))
        self.assertEqual((extensions._answered, extensions._refreshes), ({}, {}))
        self.assertEqual(self.client("vpc-lattice", PROVIDER).list_resource_gateways()["items"], [])
        self.assertEqual(self.client("ram", PROVIDER).get_resource_shares(resourceOwner="SELF")["resourceShares"], [])
        self.assertEqual(self.client("ec2", PROVIDER).describe_vpcs(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Vpcs"], [])

if __name__ == "__main__":
    unittest.main()
