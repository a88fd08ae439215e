#!/usr/bin/env python3
"""npm run test:e2e (L3): the whole lifecycle of config/emulator.json, as a
user runs it, against the local emulator (npm run emulator).

In a scratch project directory (a copy of this project's code, its own
config copy, state, var files and logs), on a free port:
  0. the second consumer sits in another region (cross-region PrivateLink),
     in its own VPC made there with boto3 (the stacks then use it by
     network.vpcId/subnetIds); the first consumer allows one role
     (principals; its deployer is allowed with it), and the service gets two
     listeners, TLS with an ACM certificate issued here and TCP, with proxy
     protocol v2; the provider and the first consumer are dual stack; the
     service and the first consumer have alarms (topics the stacks create),
     and the provider shares one resource (orders-db) with the first consumer;
  1. the upgrade: the previous release (CHANGELOG.md's newest, checked out
     with git archive, its own npm ci) deploys everything: bootstraps,
     provider, both consumers, both acceptance stacks; this code's npm run
     check reaches the service through each consumer's endpoint; this
     code's npm run plan deletes and replaces nothing; its deploy applies
     while the check probes, none failing; the plan after it is empty and
     the NLB, endpoint service, endpoints and service instances are the
     same ones;
  2. checks through the AWS API (boto3) in each account, including that a
     role the service does not allow is refused, and the alarms, their
     metrics and topics, and the provider's dashboard; the resource gateway,
     configuration and RAM share, accepted, and the first consumer's
     Resource endpoint and its security group;
  3. npm run plan -- --detailed-exitcode exits 0: no perpetual diff;
  4. the removal procedure (transition 10b): plan with the second consumer
     dropped from the config refuses, naming its stacks; npm run destroy --
     --consumer <second> --auto-approve: its endpoint and connection are
     gone, the first consumer's connection stays accepted; deploy without it
     drops its principal and its region, and the plan after it is empty;
  5. day-2 transitions on what is left, each planned (npm run plan), deployed
     and planned empty again, the consumer's endpoint keeping its id and
     staying available, its connection accepted, the NLB and endpoint
     service the same ones: a third listener added (1); the listeners
     reordered, which plans nothing (2); a port changed in one step, which
     the deploy guard refuses before applying anything (4a); a listener
     removed, completing the move to the new port, named with
     --allow-replace (3, 4b); a new instance type, AMI and user data, which
     roll the fleet through an instance refresh and replace nothing (5, 9);
     the networks' IPv6 blocks removed, which cannot apply on AWS: refused
     (6a); dual stack off through provider.service.dualStack, the consumers
     dropping IPv6 before the provider (6b), then on again, the provider
     first (6c); a new provider CIDR, which
     replaces the VPC and its subnets under the NLB: refused, with
     --allow-outage too (11); private DNS on for the deployed service, the
     name verified through Route 53 (8a), then off together with
     acceptance, the private-DNS stack retired by destroying it (8b) and the
     accepter by forgetting it, the connection staying accepted (7); the
     removed consumer added back (10a). Where no stack's wired inputs change
     on the way, the deploy applies exactly the reviewed plans (--plans).
     Each transition's time is
     printed at the end;
  6. npm run destroy -- --auto-approve: every stack's state is empty and no
     account holds anything of the topology but the state buckets (and
     their keys) and the second consumer's own VPC.
Terraform's own "Apply complete!"/"Destroy complete!" lines are printed per
stack by the commands themselves.

Each day-2 transition is a named step (TRANSITIONS): `npm run test:e2e --
--list` prints them, and `npm run test:e2e -- --only NAME[,NAME]` runs the
baseline (0-4), those transitions and the ones they start from, then the
destroy (6), so one transition can be run and debugged alone.

Runs with the emulator's virtualenv python (boto3 comes with moto).
"""
import argparse
import json
import re
import os
import shutil
import subprocess
import sys
import tempfile
import time

import e2e_helpers as helpers
import e2e_upgrade as upgrade
from e2e_helpers import ProbeLoop, fail, free_port, log

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The scratch project; made once the arguments are read.
WORK = None
# Copied, so edits to the working tree during a run do not reach it; node_modules is linked.
COPIED = ["package.json", "tsconfig.json", "cdktf.json", "main.ts", "src", "dist", "emulator"]
emulator = None

# The day-2 transitions, in the order a full run applies them: name -> (the
# README's day-2 number, what changes, the transitions it starts from). Each
# starts from the baseline (steps 0-4) plus the transitions it needs, so
# `--only NAME` runs it alone with exactly those.
TRANSITIONS = {
    "listener-added": ("1", "a third listener added (TCP 9090)", ()),
    "listeners-reordered": ("2", "the listeners reordered: nothing to change", ("listener-added",)),
    "port-moved-refused": ("4a", "a port changed in one step (8080 -> 8081): refused, with the safe path", ()),
    "listener-removed": ("3, 4b", "listener 8080 removed, completing the move 8080 -> 9090 (named with --allow-replace)", ("listener-added",)),
    "fleet-rolled": ("5, 9", "a new instance type, a new AMI and a new release of the user data", ()),
    "ipv6-blocks-removed-refused": ("6a", "the networks' IPv6 blocks removed: refused, pointing at dualStack", ()),
    "dual-stack-off": ("6b", "dual stack off (it was on since day 1): provider.service.dualStack false", ()),
    "dual-stack-on": ("6c", "dual stack on for the deployed topology: provider.service.dualStack true", ("dual-stack-off",)),
    "new-cidr-refused": ("11", "a new provider CIDR, which forces a new network and NLB: refused, with --allow-outage too", ()),
    "private-dns-on": ("8a", "private DNS on for the deployed service: the name verified, then turned on at the endpoint", ()),
    "private-dns-and-acceptance-off": (
        "8b, 7",
        "private DNS off (the private-DNS stack destroyed) and acceptance off (the accepter forgotten; the connection stays accepted)",
        ("private-dns-on",),
    ),
    "consumer-added": ("10a", "a consumer added to the deployed topology (the one the baseline removed: cross-region, in its own VPC)", ()),
}


def selection(only):
    """The transitions to run for `--only a,b`: those named and the ones they need, in TRANSITIONS order; all without --only."""
    if only is None:
        return list(TRANSITIONS)
    names = [n.strip() for n in only.split(",") if n.strip()]
    unknown = [n for n in names if n not in TRANSITIONS]
    if unknown or not names:
        raise SystemExit(f"test:e2e: unknown transition {', '.join(unknown) or '(none given)'}; --list names them: {', '.join(TRANSITIONS)}")
    wanted = set()

    def add(name):
        if name not in wanted:
            wanted.add(name)
            for need in TRANSITIONS[name][2]:
                add(need)

    for name in names:
        add(name)
    return [n for n in TRANSITIONS if n in wanted]


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="npm run test:e2e --", description="The whole lifecycle of config/emulator.json against the local emulator.")
    parser.add_argument("--list", action="store_true", help="print the day-2 transitions, with what each starts from, and exit")
    parser.add_argument("--only", metavar="NAME[,NAME]", help="run the baseline, these transitions and those they need, then destroy")
    return parser.parse_args(argv)


def npm(*args, **kwargs):
    return helpers.npm(WORK, *args, **kwargs)


def main(selected):
    global emulator
    log(f"transitions: {', '.join(selected)}")
    # The mirror finder and its Terraform CLI config are shared with the other harnesses (scripts/verify/provider-mirror.ts).
    rc_file = os.path.join(WORK, "terraformrc")
    found = subprocess.run(["node", os.path.join(ROOT, "dist/scripts/verify/provider-mirror.js"), "--terraformrc", rc_file], capture_output=True, text=True)
    config = json.load(open(os.path.join(ROOT, "config/emulator.json"), encoding="utf-8-sig"))
    if found.returncode == 0:
        mirror, version = found.stdout.split()
        if config.get("awsProviderVersion") != version:
            fail(f"config/emulator.json asks for hashicorp/aws {config.get('awsProviderVersion')}, but the mirror {mirror} holds {version}")
        log(f"provider hashicorp/aws {version} from the filesystem mirror {mirror} (config/emulator.json's awsProviderVersion; not the 6.25.0 the bindings were generated from)")
    else:
        # As any Terraform user: init installs the provider from the registry; if it cannot, the first deploy fails and so does this run.
        rc_file = None
        log(f"no provider mirror found: terraform init installs hashicorp/aws {config.get('awsProviderVersion')} from the registry")

    # The scratch project: this project's code, a config pointed at a free port.
    for name in COPIED:
        source = os.path.join(ROOT, name)
        (shutil.copytree if os.path.isdir(source) else shutil.copy2)(source, os.path.join(WORK, name))
    os.symlink(os.path.join(ROOT, "node_modules"), os.path.join(WORK, "node_modules"))
    os.makedirs(os.path.join(WORK, "config"))
    url = f"https://127.0.0.1:{free_port()}"
    for account in [config["provider"]["account"]] + [c["account"] for c in config["consumers"]]:
        account["endpointUrl"] = url
        account["endpointCaBundle"] = "emulator-ca.pem"
    json.dump(config, open(os.path.join(WORK, "config/emulator.json"), "w"), indent=2)
    # Offline Terraform needs a CLI config naming the mirror; the only set-up the README asks for.
    if rc_file:
        os.environ["TF_CLI_CONFIG_FILE"] = rc_file
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        os.environ.pop(key, None)

    emulator = helpers.start_emulator(WORK, url)
    ca = os.path.join(WORK, "emulator-ca.pem")
    import boto3  # the emulator's virtualenv has it
    from botocore.exceptions import ClientError

    def aws(service, account, region=None, role="e2e-check"):
        common = dict(endpoint_url=url, verify=ca, region_name=region or config["provider"]["account"]["region"])
        sts = boto3.client("sts", aws_access_key_id="test", aws_secret_access_key="test", **common)
        creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{role}", RoleSessionName="e2e")["Credentials"]
        return boto3.client(service, aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"], **common)

    provider_account = config["provider"]["account"]["id"]
    consumers = [(c["name"], c["account"]["id"]) for c in config["consumers"]]
    assert len(consumers) >= 2 and config["provider"]["service"].get("acceptanceRequired", True), "config/emulator.json must have two consumers and acceptance"
    ec2p = aws("ec2", provider_account)

    def connection_states():
        service = ec2p.describe_vpc_endpoint_service_configurations()["ServiceConfigurations"]
        if not service:
            return {}, None
        connections = ec2p.describe_vpc_endpoint_connections(Filters=[{"Name": "service-id", "Values": [service[0]["ServiceId"]]}])["VpcEndpointConnections"]
        return {c["VpcEndpointOwner"]: c["VpcEndpointState"] for c in connections}, service[0]

    def traffic_check(*flags, expect=(0,), config="config/emulator.json"):
        """npm run check (the traffic probe through every consumer's endpoint); returns its output."""
        _, out = npm("check", "--", *flags, expect=expect, config=config, capture=True)
        return out

    # 0. The second consumer sits in another region (cross-region PrivateLink)
    # and brings its own VPC there (network.vpcId, subnetIds), made here as its
    # owner would have made it; the first allows one role only (principals).
    # None of this is in config/emulator.json, which stays the plain demo.
    second_region = "us-west-2"
    regions = {account: (second_region if account == consumers[1][1] else config["provider"]["account"]["region"]) for account in [provider_account] + [a for _, a in consumers]}

    def endpoint_ids(account):
        """Every interface endpoint of the account that is not deleted: the service's and Session Manager's."""
        return [e["VpcEndpointId"] for e in aws("ec2", account, regions[account]).describe_vpc_endpoints()["VpcEndpoints"] if e["VpcEndpointType"] == "Interface" and e["State"] != "deleted"]

    def service_endpoints(ec2c):
        """The interface endpoints to an endpoint service (com.amazonaws.vpce.REGION.vpce-svc-ID), not to an AWS service such as ssm."""
        return [
            e for e in ec2c.describe_vpc_endpoints()["VpcEndpoints"] if e["VpcEndpointType"] == "Interface" and e["State"] != "deleted" and ".vpce-svc-" in e["ServiceName"]
        ]

    second_account = consumers[1][1]
    config["consumers"][1]["account"]["region"] = second_region
    ec2s = aws("ec2", second_account, second_region)
    own_vpc = ec2s.create_vpc(CidrBlock=config["consumers"][1]["network"]["cidr"])["Vpc"]["VpcId"]
    # Session Manager's endpoints use private DNS, which needs DNS hostnames in the VPC (the stack's postcondition says so).
    ec2s.modify_vpc_attribute(VpcId=own_vpc, EnableDnsHostnames={"Value": True})
    own_subnets = [
        ec2s.create_subnet(VpcId=own_vpc, CidrBlock=f"{config['consumers'][1]['network']['cidr'].split('.0.0/')[0]}.{16 * i}.0/20", AvailabilityZoneId=az)["Subnet"]["SubnetId"]
        for i, az in enumerate(["usw2-az1", "usw2-az2"])
    ]
    config["consumers"][1]["network"] = {"vpcId": own_vpc, "subnetIds": own_subnets, "sessionManager": True}
    # The provider serves TLS on 443 (an ACM certificate issued here) and TCP on
    # 8080, both to the instances, with proxy protocol v2 and its own user data.
    certificate = aws("acm", provider_account).request_certificate(DomainName="service.e2e.example.com")["CertificateArn"]
    service_config = config["provider"]["service"]
    service_config.pop("port", None)
    service_config.pop("page", None)
    service_config.update(
        listeners=[{"port": 443, "protocol": "TLS", "certificateArn": certificate, "targetPort": 8443}, {"port": 8080}],
        proxyProtocolV2=True,
        userData="#!/bin/bash\n# a server that reads proxy protocol v2 would start here\n",
    )
    # Dual stack on the provider and the first consumer.
    config["provider"]["network"]["ipv6"] = True
    config["consumers"][0]["network"]["ipv6"] = True
    first_role = f"arn:aws:iam::{consumers[0][1]}:role/{consumers[0][0]}-app"
    config["consumers"][0]["principals"] = [first_role]
    # Alarms on the service and the first consumer's endpoint, into topics the stacks create.
    service_config["alarms"] = {}
    config["consumers"][0]["alarms"] = {}
    # One resource shared without a load balancer, with the first consumer (another organization: it accepts the share).
    config["provider"]["resources"] = [{"name": "orders-db", "dnsName": "orders-db.internal.example.com", "ports": [5432, "7000-7001"]}]
    config["consumers"][0]["resources"] = ["orders-db"]
    json.dump(config, open(os.path.join(WORK, "config/emulator.json"), "w"), indent=2)
    # The first consumer's deployer creates its endpoint, so it is allowed with the configured role.
    first_deployer = config["consumers"][0]["account"]["roleArn"]
    allowed = {account: (sorted([first_role, first_deployer]) if account == consumers[0][1] else [f"arn:aws:iam::{account}:root"]) for _, account in consumers}
    log(
        f"{consumers[1][0]} is in {second_region} (cross-region) and uses its existing VPC {own_vpc} (subnets {', '.join(own_subnets)}); "
        f"{consumers[0][0]} allows {first_role} (and its deployer) only; "
        f"the service listens on TLS 443 ({certificate}) and TCP 8080 with proxy protocol v2; the provider and {consumers[0][0]} are dual stack"
    )

    # 1. Deploy everything with the previous release (CHANGELOG.md's newest), from its own checkout and dependencies, then
    # upgrade to this code as a user would: plan (nothing deleted or replaced), deploy while the check probes, plan empty.
    version, commit = upgrade.previous_release(ROOT)
    released, why = upgrade.released_config(version, config)
    previous = upgrade.prepare_previous(ROOT, WORK, commit, released)
    log(f"deploying release {version} (commit {commit}) from its own checkout, {previous}" + (f"; {why}" if why else ""))
    helpers.npm(previous, "deploy", "--", "--auto-approve")
    # This code's first plan and deploy run on the config the release deployed, in a checkout that kept its local state: the upgrade alone.
    json.dump(released, open(os.path.join(WORK, "config/emulator.json"), "w"), indent=2)
    log(f"carried the release's bootstrap state into this code's checkout: {', '.join(upgrade.carry_local_state(previous, WORK))}")
    upgrade_started = time.time()
    # The endpoint's own names on every listener port and family: the shared resource's address is made after the deploy (below).
    kept_names = ["--kind", "regional", "--kind", "zonal"]
    traffic_check(*kept_names)
    log(f"checked: this code's npm run check reaches the service through every consumer's endpoint of release {version}")

    def traffic_bearing_ids():
        return {
            "NLB": sorted(lb["LoadBalancerArn"] for lb in aws("elbv2", provider_account).describe_load_balancers()["LoadBalancers"]),
            "endpoint service": sorted(s["ServiceId"] for s in ec2p.describe_vpc_endpoint_service_configurations()["ServiceConfigurations"]),
            "endpoints": sorted(e for _, account in consumers for e in endpoint_ids(account)),
            "service instances": sorted(
                i["InstanceId"]
                for r in ec2p.describe_instances(Filters=[{"Name": "instance-state-name", "Values": ["running"]}])["Reservations"]
                for i in r["Instances"]
            ),
        }

    ids = traffic_bearing_ids()
    npm("plan", "--", "--detailed-exitcode", expect=(0, 2))
    changes = upgrade.plan_changes(WORK)
    log(f"the upgrade from {version} plans {len(changes)} changes:\n  " + "\n  ".join(f"{s}: {a} ({', '.join(x)})" for s, a, x in changes))
    removed = [f"{s}: {a} ({', '.join(x)})" for s, a, x in changes if "delete" in x]
    if removed:
        fail(f"the upgrade from {version} deletes or replaces:\n  " + "\n  ".join(removed))
    # The state buckets, keys and policies are the release's own: an upgrade that re-creates them lost the bootstrap state.
    bootstrap = [f"{s}: {a} ({', '.join(x)})" for s, a, x in changes if s.startswith("bootstrap-")]
    if bootstrap:
        fail(f"the upgrade from {version} changes the bootstrap stacks, whose state the checkout kept:\n  " + "\n  ".join(bootstrap))
    # Exactly the reviewed plans (no stack's wired inputs change on an upgrade).
    with ProbeLoop(WORK, kept_names) as loop:
        npm("deploy", "--", "--auto-approve", "--plans")
    if loop.failures or loop.probes == 0:
        fail(f"the upgrade from {version}: {loop.probes} probes while it applied, failed: " + "\n  ".join(dict.fromkeys(loop.failures)))
    npm("plan", "--", "--detailed-exitcode")
    if traffic_bearing_ids() != ids:
        fail(f"the upgrade from {version} changed traffic-bearing resources: {ids} -> {traffic_bearing_ids()}")
    log(
        f"checked: upgraded from {version} in {time.time() - upgrade_started:.0f} s: nothing deleted or replaced, the NLB, endpoint service, "
        f"endpoints and service instances the same; {loop.probes} probes in {len(loop.rounds)} rounds while it applied, none failed; the plan after it is empty"
    )
    if why:
        # The rest of the topology, which the release could not deploy, by this code, under the same probe.
        json.dump(config, open(os.path.join(WORK, "config/emulator.json"), "w"), indent=2)
        released_ports = [f for l in released["provider"]["service"]["listeners"] for f in ("--port", str(l["port"]))]
        with ProbeLoop(WORK, kept_names + released_ports) as loop:
            npm("deploy", "--", "--auto-approve")
        if loop.failures or loop.probes == 0:
            fail(f"completing the topology after the upgrade: {loop.probes} probes, failed: " + "\n  ".join(dict.fromkeys(loop.failures)))
        # Step 3's plan, after the API checks below, proves it re-plans empty.
        log(f"checked: this code deployed what {version} could not; {loop.probes} probes while it applied, none failed")

    # 2. Through the AWS API.
    states, service = connection_states()
    if not service or not service["AcceptanceRequired"]:
        fail(f"expected one endpoint service requiring acceptance, got {service}")
    principals = sorted(p["Principal"] for p in ec2p.describe_vpc_endpoint_service_permissions(ServiceId=service["ServiceId"])["AllowedPrincipals"])
    if principals != sorted(p for ps in allowed.values() for p in ps):
        fail(f"allowed principals {principals}, expected {allowed}")
    supported = sorted(r["Region"] for r in service.get("SupportedRegions", []))
    if supported != sorted({config["provider"]["account"]["region"], second_region}):
        fail(f"the service's supported regions are {supported}, expected its own and {second_region}")
    # The service's endpoint, and Session Manager's three (sessionManager: true), all in the consumer's own VPC.
    interface_endpoints = [e for e in ec2s.describe_vpc_endpoints()["VpcEndpoints"] if e["VpcEndpointType"] == "Interface"]
    endpoint_vpcs = [e["VpcId"] for e in interface_endpoints if e["ServiceName"] == service["ServiceName"]]
    ssm_services = sorted(e["ServiceName"] for e in interface_endpoints if e["VpcId"] == own_vpc and e["ServiceName"] != service["ServiceName"])
    created_vpcs = [v["VpcId"] for v in ec2s.describe_vpcs()["Vpcs"] if not v.get("IsDefault")]
    if endpoint_vpcs != [own_vpc] or created_vpcs != [own_vpc]:
        fail(f"{consumers[1][0]}: endpoints in {endpoint_vpcs}, VPCs {created_vpcs}; expected the endpoint in its own VPC {own_vpc} and no VPC created")
    expected_ssm = sorted(f"com.amazonaws.{second_region}.{name}" for name in ("ec2messages", "ssm", "ssmmessages"))
    if ssm_services != expected_ssm:
        fail(f"{consumers[1][0]}: Session Manager endpoints {ssm_services} in {own_vpc}, expected {expected_ssm}")
    for name, account in consumers:
        endpoints = aws("ec2", account, regions[account]).describe_vpc_endpoints()["VpcEndpoints"]
        mine = [e for e in endpoints if e.get("ServiceName") == service["ServiceName"]]
        if len(mine) != 1 or mine[0]["State"] != "available" or states.get(account) != "available":
            fail(f"consumer {name}: endpoint {[(e['VpcEndpointId'], e['State']) for e in mine]}, connection {states.get(account)}")
        if mine[0].get("ServiceRegion") != config["provider"]["account"]["region"]:
            fail(f"consumer {name}: the endpoint names service region {mine[0].get('ServiceRegion')}, expected the provider's")
    # A role of the first consumer's account that the service does not allow is refused, as AWS refuses it.
    first_vpc = next(v["VpcId"] for v in aws("ec2", consumers[0][1]).describe_vpcs()["Vpcs"] if not v.get("IsDefault"))
    first_subnet = aws("ec2", consumers[0][1]).describe_subnets(Filters=[{"Name": "vpc-id", "Values": [first_vpc]}])["Subnets"][0]["SubnetId"]
    try:
        aws("ec2", consumers[0][1], role=f"{consumers[0][0]}-intruder").create_vpc_endpoint(
            VpcId=first_vpc, ServiceName=service["ServiceName"], VpcEndpointType="Interface", SubnetIds=[first_subnet]
        )
        fail(f"a role the service does not allow created an endpoint in {consumers[0][0]}'s account")
    except ClientError as err:
        if err.response["Error"]["Code"] != "InvalidServiceName":
            raise
    for stack, account in [("provider", provider_account)] + [(f"consumer-{n}", a) for n, a in consumers] + [(f"acceptance-{n}", provider_account) for n, _ in consumers]:
        bucket = next(a["state"]["bucket"] for a in [config["provider"]["account"]] + [c["account"] for c in config["consumers"]] if a["id"] == account)
        key = f"privatelink/{config['project']}/{stack}.tfstate"
        aws("s3", account, regions[account]).head_object(Bucket=bucket, Key=key)
    elb = aws("elbv2", provider_account)
    listeners = sorted((l["Port"], l["Protocol"], [c["CertificateArn"] for c in l.get("Certificates", [])]) for lb in elb.describe_load_balancers()["LoadBalancers"] for l in elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"])
    if listeners != [(443, "TLS", [certificate]), (8080, "TCP", [])]:
        fail(f"listeners {listeners}")
    groups_by_port = {g["Port"]: g["TargetGroupArn"] for g in elb.describe_target_groups()["TargetGroups"]}
    proxy = {port: {a["Key"]: a["Value"] for a in elb.describe_target_group_attributes(TargetGroupArn=arn)["Attributes"]}.get("proxy_protocol_v2.enabled") for port, arn in groups_by_port.items()}
    if proxy != {8443: "true", 8080: "true"}:
        fail(f"target groups and proxy protocol: {proxy}")
    nlb_types = [lb["IpAddressType"] for lb in elb.describe_load_balancers()["LoadBalancers"]]
    first_endpoint = next(e for e in aws("ec2", consumers[0][1]).describe_vpc_endpoints()["VpcEndpoints"] if e.get("ServiceName") == service["ServiceName"])
    dual = (nlb_types, sorted(service.get("SupportedIpAddressTypes") or []), first_endpoint.get("IpAddressType"), first_endpoint.get("DnsOptions", {}).get("DnsRecordIpType"))
    if dual != (["dualstack"], ["ipv4", "ipv6"], "dualstack", "dualstack"):
        fail(f"dual stack: NLB, service types, endpoint type and DNS records were {dual}")
    consumer_rules = sorted(
        (r["FromPort"], r["ToPort"])
        for g in aws("ec2", consumers[0][1]).describe_security_groups(Filters=[{"Name": "group-name", "Values": [f"{config['project']}-{consumers[0][0]}-endpoint"]}])["SecurityGroups"]
        for r in g["IpPermissions"]
    )
    if consumer_rules != [(443, 443), (8080, 8080)]:
        fail(f"{consumers[0][0]}'s endpoint admits {consumer_rules}, expected the listener ports 443 and 8080")
    # The alarms: per target group and on the endpoint service in the provider account, on the endpoint in the first consumer's, each notifying its own stack's topic.
    def alarms_of(account):
        cw = aws("cloudwatch", account)
        topics = [t["TopicArn"] for t in aws("sns", account).list_topics()["Topics"] if t["TopicArn"].endswith("-alarms")]
        found = {a["AlarmName"]: a for a in cw.describe_alarms()["MetricAlarms"]}
        for name, a in found.items():
            if a["AlarmActions"] != topics or a["OKActions"] != topics or len(topics) != 1:
                fail(f"alarm {name} notifies {a['AlarmActions']} (ok: {a['OKActions']}), expected its stack's topic {topics}")
        return found, cw
    provider_alarms, cw = alarms_of(provider_account)
    prefix = f"{config['project']}-provider"
    expected = sorted([f"{prefix}-reset-packets"] + [f"{prefix}-tg-{p}-{h}-hosts" for p in (8080, 8443) for h in ("healthy", "unhealthy")])
    if sorted(provider_alarms) != expected:
        fail(f"provider alarms {sorted(provider_alarms)}, expected {expected}")
    resets = provider_alarms[f"{prefix}-reset-packets"]
    if (resets["Namespace"], resets["MetricName"], resets["Dimensions"]) != ("AWS/PrivateLinkServices", "RstPacketsSent", [{"Name": "Service Id", "Value": service["ServiceId"]}]):
        fail(f"the reset-packets alarm watches {resets['Namespace']} {resets['MetricName']} {resets['Dimensions']}")
    dashboards = [d["DashboardName"] for d in cw.list_dashboards()["DashboardEntries"]]
    if dashboards != [prefix]:
        fail(f"dashboards in the provider account: {dashboards}, expected {prefix}")
    consumer_alarms, _ = alarms_of(consumers[0][1])
    dropped = consumer_alarms.get(f"{config['project']}-{consumers[0][0]}-endpoint-dropped-packets")
    watched = dropped and {d["Name"]: d["Value"] for d in dropped["Dimensions"]}
    if len(consumer_alarms) != 1 or watched != {"Endpoint Type": "Interface", "Service Name": service["ServiceName"], "VPC Endpoint Id": first_endpoint["VpcEndpointId"], "VPC Id": first_endpoint["VpcId"]}:
        fail(f"{consumers[0][0]}'s alarms {sorted(consumer_alarms)} watch {watched}")
    if aws("cloudwatch", consumers[1][1], second_region).describe_alarms()["MetricAlarms"]:
        fail(f"{consumers[1][0]} (cross-region, no endpoint metrics) has alarms")
    # The shared resource: a gateway and a configuration in the provider account, shared with the first consumer only, which accepted
    # the share and reaches the resource through a Resource endpoint that admits its ports from its VPC.
    lattice = aws("vpc-lattice", provider_account)
    gateways = lattice.list_resource_gateways()["items"]
    configurations = [lattice.get_resource_configuration(resourceConfigurationIdentifier=c["id"]) for c in lattice.list_resource_configurations()["items"]]
    if len(gateways) != 1 or [(c["name"], c["portRanges"], c["resourceGatewayId"]) for c in configurations] != [(f"{config['project']}-provider-orders-db", ["5432", "7000-7001"], gateways[0]["id"])]:
        fail(f"resource gateways {gateways}, configurations {configurations}")
    ram = aws("ram", provider_account)
    shares = ram.get_resource_shares(resourceOwner="SELF", resourceShareStatus="ACTIVE")["resourceShares"]
    sharing = {
        kind: sorted((a["associatedEntity"], a["status"]) for a in ram.get_resource_share_associations(associationType=kind, resourceShareArns=[s["resourceShareArn"] for s in shares])["resourceShareAssociations"])
        for kind in ("PRINCIPAL", "RESOURCE")
    }
    if len(shares) != 1 or sharing != {"PRINCIPAL": [(consumers[0][1], "ASSOCIATED")], "RESOURCE": [(configurations[0]["arn"], "ASSOCIATED")]}:
        fail(f"resource shares {[s['name'] for s in shares]}: {sharing}")
    resource_endpoints = [e for e in aws("ec2", consumers[0][1]).describe_vpc_endpoints()["VpcEndpoints"] if e["VpcEndpointType"] == "Resource"]
    if [(e["State"], e.get("ResourceConfigurationArn"), e["VpcId"]) for e in resource_endpoints] != [("available", configurations[0]["arn"], first_endpoint["VpcId"])]:
        fail(f"{consumers[0][0]}'s resource endpoints: {resource_endpoints}")
    resource_rules = sorted((r["FromPort"], r["ToPort"]) for g in aws("ec2", consumers[0][1]).describe_security_groups(GroupIds=[g["GroupId"] for g in resource_endpoints[0]["Groups"]])["SecurityGroups"] for r in g["IpPermissions"])
    if resource_rules != [(5432, 5432), (7000, 7001)]:
        fail(f"{consumers[0][0]}'s resource endpoint admits {resource_rules}, expected 5432 and 7000-7001")
    if any(e["VpcEndpointType"] == "Resource" for e in ec2s.describe_vpc_endpoints()["VpcEndpoints"]):
        fail(f"{consumers[1][0]} has a resource endpoint, but no resources")
    log(
        f"checked: service {service['ServiceId']} requires acceptance and allows {', '.join(principals)}; every endpoint available and accepted; "
        f"{consumers[1][0]}'s endpoint is in its own VPC in {second_region}, names the service's region, and no VPC was created there; "
        f"the service supports {', '.join(supported)}; a role of {consumers[0][0]} that is not allowed was refused; listeners TLS 443 and TCP 8080 on target groups 8443 and 8080 "
        f"with proxy protocol v2; {consumers[0][0]}'s endpoint admits the listener ports 443 and 8080; the NLB, service and {consumers[0][0]}'s endpoint are dual stack; "
        f"every state file in its own account's bucket; the provider alarms on target groups 8080 and 8443 and on reset packets, with one dashboard; "
        f"{consumers[0][0]} alarms on packets its endpoint drops; each alarm notifies its own stack's topic; orders-db is shared through a resource "
        f"gateway and configuration with {consumers[0][0]} only, which accepted the share and reaches it through a Resource endpoint admitting 5432 and 7000-7001"
    )

    # The shared resource itself, which the user brings and the stacks only point at: a network interface in the provider's private
    # subnet whose security group admits the shared ports from the resource gateway's, and the public A record its name resolves by.
    gateway = lattice.get_resource_gateway(resourceGatewayIdentifier=gateways[0]["id"])
    db_group = ec2p.create_security_group(GroupName="e2e-orders-db", Description="orders-db: the shared ports from the resource gateway", VpcId=gateway["vpcId"])["GroupId"]
    from_gateway = [{"GroupId": g} for g in gateway["securityGroupIds"]]
    ec2p.authorize_security_group_ingress(
        GroupId=db_group, IpPermissions=[{"IpProtocol": "tcp", "FromPort": low, "ToPort": high, "UserIdGroupPairs": from_gateway} for low, high in ((5432, 5432), (7000, 7001))]
    )
    orders_db = ec2p.create_network_interface(SubnetId=gateway["subnetIds"][0], Groups=[db_group], Description="e2e: orders-db")["NetworkInterface"]
    route53p = aws("route53", provider_account)
    db_zone = route53p.create_hosted_zone(Name="internal.example.com", CallerReference=f"orders-db-{time.time()}")["HostedZone"]["Id"]
    db_record = {"Name": "orders-db.internal.example.com", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": orders_db["PrivateIpAddress"]}]}
    route53p.change_resource_record_sets(HostedZoneId=db_zone, ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": db_record}]})

    # 2b. Traffic: a probe from every consumer's client reaches a healthy target on every port and family, and the first consumer's
    # client reaches the shared resource on each of its ports.
    out = traffic_check()
    print(out, flush=True)
    reached = sorted(int(port) for port in re.findall(r"\(resource orders-db\)\s+(\d+)\s+ipv4\s+connected in", out))
    if reached != [5432, 7000, 7001]:
        fail(f"{consumers[0][0]} reached orders-db on {reached}, expected 5432, 7000 and 7001:\n{out[-3000:]}")
    log("checked: npm run check connects from every consumer's client through its endpoint on every listener port and family, and to orders-db on 5432, 7000 and 7001")
    # A negative control for the resource: orders-db stops admitting 5432 from the gateway, and the check must name it.
    db_rule = {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": from_gateway}
    ec2p.revoke_security_group_ingress(GroupId=db_group, IpPermissions=[db_rule])
    out = traffic_check("--consumer", consumers[0][0], "--port", "5432", expect=(1,))
    if "blocked by the beyond the API -: every hop the API shows admits it, yet the probe got timeout: look at the resource" not in out:
        fail(f"with {db_group}'s 5432 rule revoked, the check did not send the operator to the resource:\n{out[-3000:]}")
    ec2p.authorize_security_group_ingress(GroupId=db_group, IpPermissions=[db_rule])
    traffic_check("--consumer", consumers[0][0], "--port", "5432")
    log(f"checked: with orders-db's security group {db_group} not admitting the gateway on 5432 the check failed, pointing at the resource; restored, it passes")
    # A negative control: the first consumer's endpoint security group stops admitting 8080, and the check must name it.
    ec2_first = aws("ec2", consumers[0][1])
    endpoint_group = ec2_first.describe_security_groups(Filters=[{"Name": "group-name", "Values": [f"{config['project']}-{consumers[0][0]}-endpoint"]}])["SecurityGroups"][0]
    rule = next(r for r in endpoint_group["IpPermissions"] if r.get("FromPort") == 8080)
    ec2_first.revoke_security_group_ingress(GroupId=endpoint_group["GroupId"], IpPermissions=[rule])
    out = traffic_check("--consumer", consumers[0][0], expect=(1,))
    if f"blocked by the endpoint security group ingress {endpoint_group['GroupId']}: admits no tcp/8080" not in out:
        fail(f"with {endpoint_group['GroupId']}'s 8080 rule revoked, the check did not name it:\n{out[-3000:]}")
    ec2_first.authorize_security_group_ingress(GroupId=endpoint_group["GroupId"], IpPermissions=[rule])
    traffic_check("--consumer", consumers[0][0])
    log(f"checked: with {endpoint_group['GroupId']}'s tcp/8080 ingress revoked the check failed naming it; restored, it passes")

    # 3. No perpetual diff in any stack.
    npm("plan", "--", "--detailed-exitcode")
    log("plan after apply is empty in every stack (plans/summary.md):")
    print(open(os.path.join(WORK, "plans/summary.md")).read(), flush=True)

    # 4. Remove the second consumer, as the README says: dropping it from the
    # config first is refused (its stacks hold resources), so destroy it first.
    # (Transition 10, its removal half.) The transitions below run on what is left.
    second_name, second_account = consumers[1]
    first_name, first_account = consumers[0]
    removal_started = time.time()
    without = {**config, "consumers": [c for c in config["consumers"] if c["name"] != second_name]}
    json.dump(without, open(os.path.join(WORK, "config/emulator-without.json"), "w"), indent=2)
    _, refused = npm("plan", expect=(1,), config="config/emulator-without.json", capture=True)
    # Its acceptance stack's state is in the provider's bucket, which the config still names.
    if f"acceptance-{second_name}:" not in refused or f"npm run destroy -- --consumer {second_name}" not in refused:
        fail(f"plan without {second_name} in the config did not name its stacks and the destroy to run:\n{refused[-2000:]}")
    log(f"checked: with {second_name} dropped from the config, plan refuses, naming acceptance-{second_name} and the destroy to run")
    npm("destroy", "--", "--consumer", second_name, "--auto-approve")
    states, _ = connection_states()
    if endpoint_ids(second_account) or states.get(second_account) not in (None, "deleted", "rejected"):
        fail(f"consumer {second_name}: endpoints {endpoint_ids(second_account)}, connection {states.get(second_account)}")
    if states.get(first_account) != "available" or len(service_endpoints(aws("ec2", first_account))) != 1:
        fail(f"consumer {first_name} was touched: connection {states.get(first_account)}")
    log(f"checked: {second_name}'s endpoint and connection are gone ({states.get(second_account) or 'no connection'}); {first_name}'s connection is still accepted")
    full_config = config
    config = without
    json.dump(config, open(os.path.join(WORK, "config/emulator.json"), "w"), indent=2)
    npm("deploy", "--", "--auto-approve")
    principals = [p["Principal"] for p in ec2p.describe_vpc_endpoint_service_permissions(ServiceId=service["ServiceId"])["AllowedPrincipals"]]
    if sorted(principals) != allowed[first_account]:
        fail(f"after removing {second_name} from the config, the service still allows {principals}")
    supported = sorted(r["Region"] for r in ec2p.describe_vpc_endpoint_service_configurations()["ServiceConfigurations"][0].get("SupportedRegions", []))
    if supported != [config["provider"]["account"]["region"]]:
        fail(f"after removing the cross-region {second_name}, the service still supports {supported}")
    log(f"checked: with {second_name} out of the config, deploy dropped its principal and its region; the service allows {', '.join(principals)} in {supported[0]} only")
    npm("plan", "--", "--detailed-exitcode")
    timings = [("10b", f"a consumer removed by the documented procedure ({second_name})", time.time() - removal_started)]

    # 5. Day-2 transitions, each from the deployed topology: the changed
    # config plans (npm run plan), deploys, and plans empty again; the
    # consumer's endpoint keeps its id and stays available, its connection
    # stays accepted, and the NLB and endpoint service stay the same ones.
    groups = aws("autoscaling", provider_account)
    ec2c = aws("ec2", first_account)

    def snapshot():
        endpoints = service_endpoints(ec2c)
        groups_named = ec2c.describe_security_groups(Filters=[{"Name": "group-name", "Values": [f"{config['project']}-{first_name}-endpoint"]}])["SecurityGroups"]
        states, _ = connection_states()
        return {
            "provider VPC": sorted(v["VpcId"] for v in ec2p.describe_vpcs()["Vpcs"] if not v.get("IsDefault")),
            "NLB": sorted(lb["LoadBalancerArn"] for lb in elb.describe_load_balancers()["LoadBalancers"]),
            "endpoint service": sorted(s["ServiceId"] for s in ec2p.describe_vpc_endpoint_service_configurations()["ServiceConfigurations"]),
            "endpoint": sorted((e["VpcEndpointId"], e["State"]) for e in endpoints),
            "endpoint security group": sorted(g["GroupId"] for g in groups_named),
            "connection": states.get(first_account),
        }

    def listener_ports():
        return sorted(l["Port"] for lb in elb.describe_load_balancers()["LoadBalancers"] for l in elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"])

    def endpoint_ports():
        groups_named = ec2c.describe_security_groups(Filters=[{"Name": "group-name", "Values": [f"{config['project']}-{first_name}-endpoint"]}])["SecurityGroups"]
        return sorted(r["FromPort"] for g in groups_named for r in g["IpPermissions"])

    def review(stack="provider"):
        # npm run plan exports a stack's plan only when it changes something.
        path = os.path.join(WORK, f"plans/{stack}.json")
        return json.load(open(path)) if os.path.exists(path) else {}

    def planned(stack="provider"):
        return [(rc["address"], rc["change"]["actions"]) for rc in review(stack).get("resource_changes", []) if rc["change"]["actions"] not in (["no-op"], ["read"])]

    last = {}
    probe_totals = []

    def ports_of(c):
        """The listener ports, and the ports the check probes of each shared resource (a range wider than 16 ports at its ends)."""
        service = c["provider"]["service"]
        listened = {l["port"] for l in service["listeners"]} if service.get("listeners") else {service["port"]}
        shared = set()
        for item in (item for r in c["provider"].get("resources", []) for item in r["ports"]):
            low, _, high = str(item).partition("-")
            low, high = int(low), int(high or low)
            shared |= set(range(low, high + 1)) if high - low < 16 else {low, high}
        return listened | shared

    def dual_stack_of(c):
        return json.dumps([c["provider"]["network"].get("ipv6"), c["provider"]["service"].get("dualStack"), [x["network"].get("ipv6") for x in c["consumers"]]])

    def private_dns_of(c):
        return json.dumps([c["provider"]["service"].get("privateDns"), [x.get("privateDns") for x in c["consumers"]]])

    def probe_scope(before, after):
        """What must keep answering while a change applies: the ports and consumers it keeps, over IPv4 only when it changes
        dual stack, and the service's private DNS name only when it keeps private DNS as it was (a change that turns it off
        takes the name away by design, one that turns it on gives it only once applied)."""
        flags = [f for port in sorted(ports_of(before) & ports_of(after)) for f in ("--port", str(port))]
        kept = [x["name"] for x in after["consumers"] if x["name"] in {y["name"] for y in before["consumers"]}]
        flags += [f for name in kept for f in ("--consumer", name)]
        if private_dns_of(before) != private_dns_of(after):
            flags += ["--kind", "regional", "--kind", "zonal"] + (["--kind", "resource"] if after["provider"].get("resources") else [])
        return flags + (["--family", "ipv4"] if dual_stack_of(before) != dual_stack_of(after) else [])

    def transition(name, change, *, applies=True, refused=(), flags=lambda: [], check=None, reviewed=False):
        """Changes the config, plans, deploys (or expects the guard's refusal), plans again, and checks what must not change.

        reviewed: deploy applies exactly the saved plans of the npm run plan before it (--plans), planning nothing itself;
        only where no stack's wired inputs change on the way (else its saved plan is stale, and refused)."""
        number, title, _ = TRANSITIONS[name]
        started = time.time()
        before = snapshot()
        previous = json.loads(json.dumps(config))
        change(config)
        json.dump(config, open(os.path.join(WORK, "config/emulator.json"), "w"), indent=2)
        log(f"transition {number} ({name}): {title}")
        if refused:
            # Refused before anything is applied: the deploy's own plans are the review.
            _, out = npm("deploy", "--", "--auto-approve", *flags(), expect=(1,), capture=True)
            for text in refused:
                if text not in out:
                    fail(f"transition {number}: the refusal did not say {text!r}:\n{out[-3000:]}")
            after = snapshot()
            if after != before:
                fail(f"transition {number}: a refused deploy changed {before} -> {after}")
            log(f"checked: the guard refused it, naming {', '.join(refused)}; nothing changed")
            # Traffic flows as deployed: the check reads the config that was deployed, not the refused one.
            json.dump(previous, open(os.path.join(WORK, "config/emulator-deployed.json"), "w"), indent=2)
            traffic_check(config="config/emulator-deployed.json")
            if check:
                check()
        else:
            npm("plan", "--", "--detailed-exitcode", expect=(2,) if applies else (0,))
            last["planned"] = planned()
            if applies:
                with ProbeLoop(WORK, probe_scope(previous, config)) as loop:
                    _, last["deploy"] = npm("deploy", "--", "--auto-approve", *(["--plans"] if reviewed else []), *flags(), capture=True)
                print(last["deploy"], end="", flush=True)
                if loop.failures:
                    fail(f"transition {number}: {len(loop.failures)} probes failed while it applied:\n  " + "\n  ".join(dict.fromkeys(loop.failures)))
                if loop.probes == 0:
                    fail(f"transition {number}: no probe ran while it applied")
                log(f"checked: {loop.probes} probes in {len(loop.rounds)} rounds while it applied, none failed; longest gap between rounds {loop.gap:.0f} s")
                probe_totals.append((number, loop.probes, loop.gap))
                npm("plan", "--", "--detailed-exitcode")
            traffic_check()
            after = snapshot()
            if after != before:
                fail(f"transition {number}: protected resources changed: {before} -> {after}")
            if check:
                check()
        seconds = time.time() - started
        timings.append((number, title, seconds))
        log(f"transition {number} done in {seconds:.0f} s: the endpoint {after['endpoint'][0][0]} kept its id and is {after['endpoint'][0][1]}, its connection {after['connection']}")

    listeners = config["provider"]["service"]["listeners"]
    steps = {}

    def step(name):
        """Registers the function that runs the named transition (TRANSITIONS), from the baseline plus the transitions it needs."""

        def register(run):
            steps[name] = run
            return run

        return register

    def expect_ports(listener, endpoint):
        def check():
            if listener_ports() != listener or endpoint_ports() != endpoint:
                fail(f"listeners {listener_ports()}, endpoint admits {endpoint_ports()}; expected {listener} and {endpoint}")
            log(f"checked: listeners {listener}; {first_name}'s endpoint admits {endpoint}")

        return check

    # The consumers read the ports from the config, so no wired input changes: the reviewed plans are applied.
    @step("listener-added")
    def _():
        transition("listener-added", lambda c: listeners.append({"port": 9090}), check=expect_ports([443, 8080, 9090], [443, 8080, 9090]), reviewed=True)

    @step("listeners-reordered")
    def _():
        transition("listeners-reordered", lambda c: listeners.reverse(), applies=False, check=expect_ports([443, 8080, 9090], [443, 8080, 9090]))

    @step("port-moved-refused")
    def _():
        def move_8080(c):
            next(l for l in listeners if l["port"] == 8080)["port"] = 8081

        transition(
            "port-moved-refused",
            move_8080,
            refused=["destroy aws_lb_listener.", "(listener; allow with --allow-replace provider:", "keep the old listener and add the new one"],
        )
        next(l for l in listeners if l["port"] == 8081)["port"] = 8080

    @step("listener-removed")
    def _():
        def removed_listener():
            address = next(a for a, actions in planned() if a.startswith("aws_lb_listener.") and actions == ["delete"])
            return ["--allow-replace", f"provider:{address}"]

        transition(
            "listener-removed",
            lambda c: listeners.remove(next(l for l in listeners if l["port"] == 8080)),
            flags=removed_listener,
            check=expect_ports([443, 9090], [443, 9090]),
            reviewed=True,
        )

    @step("fleet-rolled")
    def _():
        # Instances roll: a new instance type, a pinned AMI and a new release of the user data, in one change.
        image = next(i["ImageId"] for i in ec2p.describe_images(Owners=["amazon"])["Images"] if i.get("Architecture") == "x86_64" and "ubuntu" in i.get("Name", ""))
        fleet_before = sorted(i["InstanceId"] for i in groups.describe_auto_scaling_groups()["AutoScalingGroups"][0]["Instances"])

        def roll(c):
            c["provider"]["service"].update(instanceType="t3.small", imageId=image, userData=c["provider"]["service"]["userData"] + "# release 2\n")

        def rolled():
            changed = last["planned"]
            if not changed or any("delete" in actions for _, actions in changed):
                fail(f"a new instance type, image and release should replace nothing; the plan was {changed}")
            group = groups.describe_auto_scaling_groups()["AutoScalingGroups"][0]
            after = sorted(i["InstanceId"] for i in group["Instances"])
            refreshes = groups.describe_instance_refreshes(AutoScalingGroupName=group["AutoScalingGroupName"])["InstanceRefreshes"]
            targets = {tg: sorted(t["Target"]["Id"] for t in elb.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]) for tg in group["TargetGroupARNs"]}
            types = {r["Instances"][0]["InstanceType"] for r in ec2p.describe_instances(InstanceIds=after)["Reservations"]}
            images = {r["Instances"][0]["ImageId"] for r in ec2p.describe_instances(InstanceIds=after)["Reservations"]}
            if len(after) != len(fleet_before) or set(after) & set(fleet_before) or not refreshes or any(ids != after for ids in targets.values()) or types != {"t3.small"} or images != {image}:
                fail(f"the fleet did not roll: {fleet_before} -> {after} ({types}, {images}), refreshes {refreshes}, targets {targets}")
            log(f"checked: the plan replaced nothing; an instance refresh ({refreshes[0]['Preferences']}) replaced all {len(after)} instances with t3.small on {image}, and every target group holds the new ones")

        transition("fleet-rolled", roll, check=rolled, reviewed=True)

    @step("ipv6-blocks-removed-refused")
    def _():
        def network_ipv6_off(c):
            c["provider"]["network"]["ipv6"] = False
            c["consumers"][0]["network"]["ipv6"] = False

        transition(
            "ipv6-blocks-removed-refused",
            network_ipv6_off,
            refused=["aws_vpc.", "(IPv6 block", "cannot apply, even with --allow-outage", "set provider.service.dualStack to false"],
        )
        config["provider"]["network"]["ipv6"] = True
        config["consumers"][0]["network"]["ipv6"] = True

    def ip_types():
        """(the NLBs' IpAddressType, the service's SupportedIpAddressTypes, the first consumer's endpoint IpAddressType and DnsRecordIpType)."""
        nlb = [lb["IpAddressType"] for lb in elb.describe_load_balancers()["LoadBalancers"]]
        types = sorted(ec2p.describe_vpc_endpoint_service_configurations()["ServiceConfigurations"][0].get("SupportedIpAddressTypes") or [])
        endpoint = service_endpoints(ec2c)[0]
        return (nlb, types, endpoint.get("IpAddressType"), endpoint.get("DnsOptions", {}).get("DnsRecordIpType"))

    @step("dual-stack-off")
    def _():
        def ipv6_off(c):
            # The networks keep their IPv6 blocks; the service stops serving IPv6, and the endpoint follows.
            c["provider"]["service"]["dualStack"] = False

        def single_stack():
            now = ip_types()
            if now != (["ipv4"], ["ipv4"], "ipv4", "ipv4"):
                fail(f"dual stack off: NLB, service types, endpoint type and DNS records were {now}")
            if "drop it first, then the provider" not in last["deploy"]:
                fail("deploy did not order the consumers before the provider when the service dropped IPv6")
            log("checked: the consumers' endpoints dropped IPv6 first, then the provider; NLB, service and endpoint are IPv4 only")

        transition("dual-stack-off", ipv6_off, check=single_stack, reviewed=True)

    @step("dual-stack-on")
    def _():
        def ipv6_on(c):
            c["provider"]["service"]["dualStack"] = True

        def dual_again():
            now = ip_types()
            if now != (["dualstack"], ["ipv4", "ipv6"], "dualstack", "dualstack"):
                fail(f"dual stack on: NLB, service types, endpoint type and DNS records were {now}")
            log("checked: the provider serves IPv6 again, then the consumer's endpoint follows: NLB, service and endpoint are dual stack")

        # The networks kept their IPv6 blocks: turning it back on is the provider first (the default order), then the endpoints.
        transition("dual-stack-on", ipv6_on, check=dual_again, reviewed=True)

    @step("new-cidr-refused")
    def _():
        def new_cidr(c):
            c["provider"]["network"]["cidr"] = "10.30.0.0/16"

        # A new CIDR replaces the VPC and its subnets, destroy-first, under the NLB: refused before anything applies.
        transition(
            "new-cidr-refused",
            new_cidr,
            refused=["replace aws_vpc.", "(VPC or subnet, forced by cidr_block; cannot apply, even with --allow-outage)", "DependencyViolation"],
            flags=lambda: ["--allow-outage"],
        )
        config["provider"]["network"]["cidr"] = "10.10.0.0/16"

    def endpoint_private_dns():
        return service_endpoints(ec2c)[0].get("PrivateDnsEnabled")

    @step("private-dns-on")
    def _():
        # The name is verified through a TXT record in a public hosted zone of the provider account, made here as its owner would.
        zone_id = aws("route53", provider_account).create_hosted_zone(Name="e2e.example.com", CallerReference=str(time.time()))["HostedZone"]["Id"].split("/")[-1]

        def private_dns_on(c):
            c["provider"]["service"]["privateDns"] = {"name": "service.e2e.example.com", "hostedZoneId": zone_id}

        def named():
            _, now = connection_states()
            verification = now.get("PrivateDnsNameConfiguration", {}).get("State")
            if (now.get("PrivateDnsName"), verification, endpoint_private_dns()) != ("service.e2e.example.com", "verified", True):
                fail(f"private DNS on: the service's name {now.get('PrivateDnsName')} is {verification}, the endpoint's private DNS {endpoint_private_dns()}")
            log(f"checked: the deployed service got its name, verified through Route 53, and {first_name}'s endpoint resolves it (private DNS on)")

        # The private-DNS stack is new and waits on an output the provider gains here, so deploy plans it itself.
        transition("private-dns-on", private_dns_on, check=named)

    @step("private-dns-and-acceptance-off")
    def _():
        def both_off(c):
            del c["provider"]["service"]["privateDns"]
            c["provider"]["service"]["acceptanceRequired"] = False

        def unnamed():
            if f"retired private-dns-{first_name}:" not in last["deploy"]:
                fail(f"deploy did not retire private-dns-{first_name}:\n{last['deploy'][-2000:]}")
            bucket = config["consumers"][0]["account"]["state"]["bucket"]
            state = json.loads(aws("s3", first_account).get_object(Bucket=bucket, Key=f"privatelink/{config['project']}/private-dns-{first_name}.tfstate")["Body"].read())
            if state.get("resources") or endpoint_private_dns():
                fail(f"private DNS off: private-dns-{first_name}'s state holds {state.get('resources')}, the endpoint's private DNS is {endpoint_private_dns()}")
            log(f"checked: private-dns-{first_name} was retired (destroyed): the endpoint's private DNS is off and its state empty; the endpoint stays")

        def forgotten():
            if f"retired acceptance-{first_name}: forgot aws_vpc_endpoint_connection_accepter." not in last["deploy"]:
                fail(f"deploy did not retire acceptance-{first_name} by forgetting its accepter:\n{last['deploy'][-2000:]}")
            key = f"privatelink/{config['project']}/acceptance-{first_name}.tfstate"
            state = json.loads(aws("s3", provider_account).get_object(Bucket=config["provider"]["account"]["state"]["bucket"], Key=key)["Body"].read())
            _, now = connection_states()
            if state.get("resources") or now["AcceptanceRequired"]:
                fail(f"acceptance off: acceptance-{first_name}'s state holds {state.get('resources')}, the service requires acceptance: {now['AcceptanceRequired']}")
            log(f"checked: acceptance-{first_name}'s accepter was forgotten, not destroyed: its state is empty and the connection is still accepted")

        def both_retired():
            unnamed()
            forgotten()

        # One config change turns both consumer-side features off: each retires its stacks its own way.
        transition("private-dns-and-acceptance-off", both_off, check=both_retired, reviewed=True)

    @step("consumer-added")
    def _():
        # The consumer removed by the baseline comes back: its VPC (its own, in another
        # region) and state bucket are still there, its stacks' states empty.
        def add_second(c):
            c["consumers"].append(next(x for x in full_config["consumers"] if x["name"] == second_name))

        def second_served():
            states, now = connection_states()
            principals = sorted(p["Principal"] for p in ec2p.describe_vpc_endpoint_service_permissions(ServiceId=now["ServiceId"])["AllowedPrincipals"])
            supported = sorted(r["Region"] for r in now.get("SupportedRegions", []))
            endpoints = service_endpoints(ec2s)
            if principals != sorted(p for ps in allowed.values() for p in ps) or supported != sorted({config["provider"]["account"]["region"], second_region}):
                fail(f"{second_name} added: the service allows {principals} in {supported}")
            if [(e["VpcId"], e["State"]) for e in endpoints] != [(own_vpc, "available")] or states.get(second_account) != "available":
                fail(f"{second_name} added: endpoints {[(e['VpcId'], e['State']) for e in endpoints]}, connection {states.get(second_account)}")
            how = "accepted by its acceptance stack" if now["AcceptanceRequired"] else "accepted (acceptance is off)"
            log(f"checked: {second_name} is served again: its principal and region are back, its endpoint is available in its own VPC and {how}")

        # Its stacks plan against the provider's outputs as they are (the service name does not change): the reviewed plans are applied.
        # With acceptance on, its acceptance stack waits on its new endpoint, so deploy plans that itself.
        transition("consumer-added", add_second, check=second_served, reviewed=not config["provider"]["service"].get("acceptanceRequired", True))

    for name in selected:
        steps[name]()

    log("transitions and their times:")
    for number, title, seconds in timings:
        print(f"  {number:>6}  {seconds:5.0f} s  {title}", flush=True)
    log("probes while each transition applied (all connected):")
    for number, probes, gap in probe_totals:
        print(f"  {number:>6}  {probes:4d} probes, longest gap {gap:3.0f} s", flush=True)

    # 6. Everything else, once the resource the stacks only pointed at is gone (its interface holds an address of the provider's subnet).
    ec2p.delete_network_interface(NetworkInterfaceId=orders_db["NetworkInterfaceId"])
    ec2p.delete_security_group(GroupId=db_group)
    route53p.change_resource_record_sets(HostedZoneId=db_zone, ChangeBatch={"Changes": [{"Action": "DELETE", "ResourceRecordSet": db_record}]})
    route53p.delete_hosted_zone(Id=db_zone)
    npm("destroy", "--", "--auto-approve", config="config/emulator.json")
    left = {account: endpoint_ids(account) for _, account in consumers}
    if any(left.values()) or ec2p.describe_vpc_endpoint_service_configurations()["ServiceConfigurations"]:
        fail(f"left behind: endpoints {left}, services {ec2p.describe_vpc_endpoint_service_configurations()['ServiceConfigurations']}")
    buckets = {a["id"]: a["state"]["bucket"] for a in [full_config["provider"]["account"]] + [c["account"] for c in full_config["consumers"]]}
    for account, bucket in buckets.items():
        aws("s3", account, regions[account]).head_bucket(Bucket=bucket)
    # Every stack's state is empty, and no account holds anything of the topology.
    stacks_of = {provider_account: ["provider"] + [f"acceptance-{n}" for n, _ in consumers]}
    for name, account in consumers:
        stacks_of[account] = [f"consumer-{name}"]
    for account, stacks in stacks_of.items():
        s3 = aws("s3", account, regions[account])
        for stack in stacks:
            body = s3.get_object(Bucket=buckets[account], Key=f"privatelink/{config['project']}/{stack}.tfstate")["Body"].read()
            resources = json.loads(body).get("resources", [])
            if resources:
                fail(f"after destroy, {stack}'s state still holds {[r['type'] + '.' + r['name'] for r in resources]}")
        ec2 = aws("ec2", account, regions[account])
        left = {
            "VPCs": [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault") and v["VpcId"] != own_vpc],
            "load balancers": [lb["LoadBalancerName"] for lb in aws("elbv2", account, regions[account]).describe_load_balancers()["LoadBalancers"]],
            "Auto Scaling groups": [g["AutoScalingGroupName"] for g in aws("autoscaling", account, regions[account]).describe_auto_scaling_groups()["AutoScalingGroups"]],
            "running instances": [i["InstanceId"] for r in ec2.describe_instances(Filters=[{"Name": "instance-state-name", "Values": ["pending", "running"]}])["Reservations"] for i in r["Instances"]],
            "endpoints": [e["VpcEndpointId"] for e in ec2.describe_vpc_endpoints()["VpcEndpoints"] if e["State"] != "deleted"],
            "endpoint services": [s["ServiceId"] for s in ec2.describe_vpc_endpoint_service_configurations()["ServiceConfigurations"]],
            "alarms": [a["AlarmName"] for a in aws("cloudwatch", account, regions[account]).describe_alarms()["MetricAlarms"]],
            "dashboards": [d["DashboardName"] for d in aws("cloudwatch", account, regions[account]).list_dashboards()["DashboardEntries"]],
            "SNS topics": [t["TopicArn"] for t in aws("sns", account, regions[account]).list_topics()["Topics"]],
            "resource gateways": [g["id"] for g in aws("vpc-lattice", account, regions[account]).list_resource_gateways()["items"]],
            "resource configurations": [c["id"] for c in aws("vpc-lattice", account, regions[account]).list_resource_configurations()["items"]],
            "active resource shares": [r["name"] for r in aws("ram", account, regions[account]).get_resource_shares(resourceOwner="SELF", resourceShareStatus="ACTIVE")["resourceShares"]],
        }
        if any(left.values()):
            fail(f"after destroy, account {account} still holds {left}")
    log(
        "checked: after destroy every stack's state is empty, and no account holds a VPC, load balancer, Auto Scaling group, running instance, "
        "endpoint, endpoint service, alarm, dashboard, SNS topic, resource gateway or configuration, or active resource share of the topology"
    )
    left_vpc = [v["VpcId"] for v in ec2s.describe_vpcs(VpcIds=[own_vpc])["Vpcs"]]
    left_subnets = sorted(s["SubnetId"] for s in ec2s.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [own_vpc]}])["Subnets"])
    if left_vpc != [own_vpc] or left_subnets != sorted(own_subnets):
        fail(f"destroy touched {consumers[1][0]}'s own VPC: {left_vpc}, subnets {left_subnets}")
    log(f"OK: everything destroyed but the state buckets ({', '.join(sorted(set(buckets.values())))}), which keep prevent_destroy, and {consumers[1][0]}'s own VPC, which the stacks only read")


if __name__ == "__main__":
    args = parse_args(sys.argv[1:])
    if args.list:
        for name, (number, title, needs) in TRANSITIONS.items():
            after = f" (after {', '.join(needs)})" if needs else ""
            print(f"{name:32} {number:>6}  {title}{after}")
        sys.exit(0)
    chosen = selection(args.only)
    WORK = tempfile.mkdtemp(prefix="privatelink-e2e-")
    try:
        main(chosen)
    finally:
        helpers.stop_emulator(emulator)
        if os.environ.get("PRIVATELINK_E2E_KEEP"):
            log(f"kept {WORK}")
        else:
            shutil.rmtree(WORK, ignore_errors=True)
