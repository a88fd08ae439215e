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
     protocol v2; the provider and the first consumer are dual stack;
  1. npm run deploy -- --auto-approve: bootstraps, provider, both consumers,
     both acceptance stacks;
  2. checks through the AWS API (boto3) in each account, including that a
     role the service does not allow is refused;
  3. a second deploy changes nothing in any stack;
  4. npm run plan -- --detailed-exitcode exits 0: no perpetual diff; a new
     release of the user data plans no replacement, deploys as an instance
     refresh, and leaves no diff;
  5. the removal procedure: plan with the second consumer dropped from the
     config refuses, naming its stacks; npm run destroy -- --consumer <second>
     --auto-approve: its endpoint and connection are gone, the first
     consumer's connection stays accepted; deploy without it drops its
     principal and its region, and the plan after it is empty;
  6. npm run destroy -- --auto-approve: every stack's state is empty and no
     account holds anything of the topology but the state buckets (and
     their keys) and the second consumer's own VPC.
Terraform's own "Apply complete!"/"Destroy complete!" lines are printed per
stack by the commands themselves.

Runs with the emulator's virtualenv python (boto3 comes with moto).
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = tempfile.mkdtemp(prefix="privatelink-e2e-")
# Copied, so edits to the working tree during a run do not reach it; node_modules is linked.
COPIED = ["package.json", "tsconfig.json", "cdktf.json", "main.ts", "src", "dist", "emulator"]
emulator = None


def log(message):
    print(f"test:e2e: {message}", flush=True)


def fail(message):
    raise SystemExit(f"test:e2e: FAILED: {message}")


def npm(*args, expect=(0,), config="config/emulator.json", capture=False):
    """Runs `npm run <args>` in the scratch project, streaming its output (or returning it); returns the exit code."""
    started = time.time()
    log(f"$ PRIVATELINK_CONFIG={config} npm run {' '.join(args)}")
    result = subprocess.run(["npm", "run", "--silent", *args], cwd=WORK, env={**os.environ, "PRIVATELINK_CONFIG": config}, capture_output=capture, text=True)
    log(f"  exit {result.returncode} after {time.time() - started:.0f} s")
    if result.returncode not in expect:
        if capture:
            sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        fail(f"npm run {' '.join(args)} exited {result.returncode}, expected {' or '.join(map(str, expect))} (logs in {WORK}/logs)")
    return (result.returncode, result.stdout + result.stderr) if capture else result.returncode


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_emulator():
    if emulator and emulator.poll() is None:
        os.killpg(emulator.pid, signal.SIGTERM)
        try:
            emulator.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(emulator.pid, signal.SIGKILL)


def main():
    global emulator
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

    emulator = subprocess.Popen(["npm", "run", "--silent", "emulator", "--", "--config", os.path.join(WORK, "config/emulator.json")], cwd=WORK, start_new_session=True)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), 0.2).close()
            break
        except OSError:
            if emulator.poll() is not None:
                fail("the emulator did not start")
            time.sleep(0.3)
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

    # 0. The second consumer sits in another region (cross-region PrivateLink)
    # and brings its own VPC there (network.vpcId, subnetIds), made here as its
    # owner would have made it; the first allows one role only (principals).
    # None of this is in config/emulator.json, which stays the plain demo.
    second_region = "us-west-2"
    regions = {account: (second_region if account == consumers[1][1] else config["provider"]["account"]["region"]) for account in [provider_account] + [a for _, a in consumers]}

    def endpoint_ids(account):
        return [e["VpcEndpointId"] for e in aws("ec2", account, regions[account]).describe_vpc_endpoints()["VpcEndpoints"] if e["VpcEndpointType"] == "Interface" and e["State"] != "deleted"]

    second_account = consumers[1][1]
    config["consumers"][1]["account"]["region"] = second_region
    ec2s = aws("ec2", second_account, second_region)
    own_vpc = ec2s.create_vpc(CidrBlock=config["consumers"][1]["network"]["cidr"])["Vpc"]["VpcId"]
    own_subnets = [
        ec2s.create_subnet(VpcId=own_vpc, CidrBlock=f"{config['consumers'][1]['network']['cidr'].split('.0.0/')[0]}.{16 * i}.0/20", AvailabilityZoneId=az)["Subnet"]["SubnetId"]
        for i, az in enumerate(["usw2-az1", "usw2-az2"])
    ]
    config["consumers"][1]["network"] = {"vpcId": own_vpc, "subnetIds": own_subnets}
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
    json.dump(config, open(os.path.join(WORK, "config/emulator.json"), "w"), indent=2)
    # The first consumer's deployer creates its endpoint, so it is allowed with the configured role.
    first_deployer = config["consumers"][0]["account"]["roleArn"]
    allowed = {account: (sorted([first_role, first_deployer]) if account == consumers[0][1] else [f"arn:aws:iam::{account}:root"]) for _, account in consumers}
    log(
        f"{consumers[1][0]} is in {second_region} (cross-region) and uses its existing VPC {own_vpc} (subnets {', '.join(own_subnets)}); "
        f"{consumers[0][0]} allows {first_role} (and its deployer) only; "
        f"the service listens on TLS 443 ({certificate}) and TCP 8080 with proxy protocol v2; the provider and {consumers[0][0]} are dual stack"
    )

    # 1. Deploy everything.
    npm("deploy", "--", "--auto-approve")

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
    endpoint_vpcs = [e["VpcId"] for e in ec2s.describe_vpc_endpoints()["VpcEndpoints"] if e["VpcEndpointType"] == "Interface"]
    created_vpcs = [v["VpcId"] for v in ec2s.describe_vpcs()["Vpcs"] if not v.get("IsDefault")]
    if endpoint_vpcs != [own_vpc] or created_vpcs != [own_vpc]:
        fail(f"{consumers[1][0]}: endpoints in {endpoint_vpcs}, VPCs {created_vpcs}; expected the endpoint in its own VPC {own_vpc} and no VPC created")
    for name, account in consumers:
        endpoints = aws("ec2", account, regions[account]).describe_vpc_endpoints()["VpcEndpoints"]
        mine = [e for e in endpoints if e["ServiceName"] == service["ServiceName"]]
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
    first_endpoint = next(e for e in aws("ec2", consumers[0][1]).describe_vpc_endpoints()["VpcEndpoints"] if e["ServiceName"] == service["ServiceName"])
    dual = (nlb_types, sorted(service.get("SupportedIpAddressTypes") or []), first_endpoint.get("IpAddressType"), first_endpoint.get("DnsOptions", {}).get("DnsRecordIpType"))
    if dual != (["dualstack"], ["ipv4", "ipv6"], "dualstack", "dualstack"):
        fail(f"dual stack: NLB, service types, endpoint type and DNS records were {dual}")
    consumer_rules = sorted(
        (r["FromPort"], r["ToPort"])
        for g in aws("ec2", consumers[0][1]).describe_security_groups(Filters=[{"Name": "group-name", "Values": [f"{config['project']}-{consumers[0][0]}-endpoint"]}])["SecurityGroups"]
        for r in g["IpPermissions"]
    )
    if consumer_rules != [(443, 443), (8080, 8080)]:
        fail(f"{consumers[0][0]}'s endpoint admits {consumer_rules}, expected the wired listener ports 443 and 8080")
    log(
        f"checked: service {service['ServiceId']} requires acceptance and allows {', '.join(principals)}; every endpoint available and accepted; "
        f"{consumers[1][0]}'s endpoint is in its own VPC in {second_region}, names the service's region, and no VPC was created there; "
        f"the service supports {', '.join(supported)}; a role of {consumers[0][0]} that is not allowed was refused; listeners TLS 443 and TCP 8080 on target groups 8443 and 8080 "
        f"with proxy protocol v2; {consumers[0][0]}'s endpoint admits the wired ports 443 and 8080; the NLB, service and {consumers[0][0]}'s endpoint are dual stack; "
        f"every state file in its own account's bucket"
    )

    # 3. Nothing changes the second time, in any stack.
    npm("deploy", "--", "--auto-approve")
    logs = sorted(os.listdir(os.path.join(WORK, "logs/deploy")))
    applied = [name for name in logs if "Apply complete!" in open(os.path.join(WORK, "logs/deploy", name)).read()]
    if len(logs) < 1 + 2 * len(consumers) or applied:
        fail(f"the second deploy applied changes to {applied} (stack logs: {logs})")
    log(f"checked: the second deploy applied nothing in any of the {len(logs)} stacks")

    # 4. No perpetual diff in any stack.
    npm("plan", "--", "--detailed-exitcode")
    log("plan after apply is empty in every stack (plans/summary.md):")
    print(open(os.path.join(WORK, "plans/summary.md")).read(), flush=True)

    # 4b. A routine change (a new release of the page) rolls the instances:
    # the plan replaces nothing, the group refreshes, and no diff remains.
    groups = aws("autoscaling", provider_account)
    config["provider"]["service"]["userData"] += "# release 2\n"
    json.dump(config, open(os.path.join(WORK, "config/emulator.json"), "w"), indent=2)
    npm("plan")
    review = json.load(open(os.path.join(WORK, "plans/provider.json")))
    changed = [(rc["address"], rc["change"]["actions"]) for rc in review.get("resource_changes", []) if rc["change"]["actions"] not in (["no-op"], ["read"])]
    if not changed or any("delete" in actions for _, actions in changed):
        fail(f"a new page should update the provider in place, replacing nothing; the plan: {changed}")
    log(f"checked: the new release of the user data updates {', '.join(a for a, _ in changed)} in place; nothing is replaced")
    group = groups.describe_auto_scaling_groups()["AutoScalingGroups"][0]
    before = sorted(i["InstanceId"] for i in group["Instances"])
    npm("deploy", "--", "--auto-approve")
    group = groups.describe_auto_scaling_groups()["AutoScalingGroups"][0]
    after = sorted(i["InstanceId"] for i in group["Instances"])
    refreshes = groups.describe_instance_refreshes(AutoScalingGroupName=group["AutoScalingGroupName"])["InstanceRefreshes"]
    targets = {tg: sorted(t["Target"]["Id"] for t in elb.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]) for tg in group["TargetGroupARNs"]}
    if len(after) != len(before) or set(after) & set(before) or not refreshes or len(targets) != 2 or any(ids != after for ids in targets.values()):
        fail(f"the release did not roll: instances {before} -> {after}, refreshes {refreshes}, targets {targets}")
    log(f"checked: an instance refresh ({refreshes[0]['Preferences']}) replaced all {len(after)} instances, and both target groups hold the new ones")
    npm("plan", "--", "--detailed-exitcode")

    # 5. Remove the second consumer, as the README says: dropping it from the
    # config first is refused (its stacks hold resources), so destroy it first.
    second_name, second_account = consumers[1]
    first_name, first_account = consumers[0]
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
    if states.get(first_account) != "available" or len(endpoint_ids(first_account)) != 1:
        fail(f"consumer {first_name} was touched: connection {states.get(first_account)}")
    log(f"checked: {second_name}'s endpoint and connection are gone ({states.get(second_account) or 'no connection'}); {first_name}'s connection is still accepted")
    npm("deploy", "--", "--auto-approve", config="config/emulator-without.json")
    principals = [p["Principal"] for p in ec2p.describe_vpc_endpoint_service_permissions(ServiceId=service["ServiceId"])["AllowedPrincipals"]]
    if sorted(principals) != allowed[first_account]:
        fail(f"after removing {second_name} from the config, the service still allows {principals}")
    supported = sorted(r["Region"] for r in ec2p.describe_vpc_endpoint_service_configurations()["ServiceConfigurations"][0].get("SupportedRegions", []))
    if supported != [config["provider"]["account"]["region"]]:
        fail(f"after removing the cross-region {second_name}, the service still supports {supported}")
    log(f"checked: with {second_name} out of the config, deploy dropped its principal and its region; the service allows {', '.join(principals)} in {supported[0]} only")
    npm("plan", "--", "--detailed-exitcode", config="config/emulator-without.json")

    # 6. Everything else.
    npm("destroy", "--", "--auto-approve", config="config/emulator-without.json")
    left = {account: endpoint_ids(account) for _, account in consumers}
    if any(left.values()) or ec2p.describe_vpc_endpoint_service_configurations()["ServiceConfigurations"]:
        fail(f"left behind: endpoints {left}, services {ec2p.describe_vpc_endpoint_service_configurations()['ServiceConfigurations']}")
    buckets = {a["id"]: a["state"]["bucket"] for a in [config["provider"]["account"]] + [c["account"] for c in config["consumers"]]}
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
        }
        if any(left.values()):
            fail(f"after destroy, account {account} still holds {left}")
    log(f"checked: after destroy every stack's state is empty, and no account holds a VPC, load balancer, Auto Scaling group, running instance, endpoint or endpoint service of the topology")
    left_vpc = [v["VpcId"] for v in ec2s.describe_vpcs(VpcIds=[own_vpc])["Vpcs"]]
    left_subnets = sorted(s["SubnetId"] for s in ec2s.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [own_vpc]}])["Subnets"])
    if left_vpc != [own_vpc] or left_subnets != sorted(own_subnets):
        fail(f"destroy touched {consumers[1][0]}'s own VPC: {left_vpc}, subnets {left_subnets}")
    log(f"OK: everything destroyed but the state buckets ({', '.join(sorted(set(buckets.values())))}), which keep prevent_destroy, and {consumers[1][0]}'s own VPC, which the stacks only read")


if __name__ == "__main__":
    try:
        main()
    finally:
        stop_emulator()
        if os.environ.get("PRIVATELINK_E2E_KEEP"):
            log(f"kept {WORK}")
        else:
            shutil.rmtree(WORK, ignore_errors=True)
