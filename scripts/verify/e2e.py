#!/usr/bin/env python3
"""npm run test:e2e (L3): the whole lifecycle of config/emulator.json, as a
user runs it, against the local emulator (npm run emulator).

In a scratch project directory (a copy of this project's code, its own
config copy, state, var files and logs), on a free port:
  1. npm run deploy -- --auto-approve: bootstraps, provider, both consumers,
     both acceptance stacks;
  2. checks through the AWS API (boto3) in each account;
  3. a second deploy changes nothing;
  4. npm run plan -- --detailed-exitcode exits 0: no perpetual diff; a new
     page plans no replacement, deploys as an instance refresh, and leaves
     no diff;
  5. the removal procedure: plan with the second consumer dropped from the
     config refuses, naming its stacks; npm run destroy -- --consumer <second>
     --auto-approve: its endpoint and connection are gone, the first
     consumer's connection stays accepted; deploy without it drops its
     principal;
  6. npm run destroy -- --auto-approve: nothing left but the state buckets.
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
    if found.returncode != 0:
        log("SKIPPED: no hashicorp/aws provider can be installed offline here (see README, Verification).")
        return
    mirror, version = found.stdout.split()
    config = json.load(open(os.path.join(ROOT, "config/emulator.json"), encoding="utf-8-sig"))
    if config.get("awsProviderVersion") != version:
        fail(f"config/emulator.json asks for hashicorp/aws {config.get('awsProviderVersion')}, but the mirror {mirror} holds {version}")
    log(f"provider hashicorp/aws {version} from the filesystem mirror {mirror} (config/emulator.json's awsProviderVersion; not the 6.25.0 the bindings were generated from)")

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

    def aws(service, account):
        common = dict(endpoint_url=url, verify=ca, region_name=config["provider"]["account"]["region"])
        sts = boto3.client("sts", aws_access_key_id="test", aws_secret_access_key="test", **common)
        creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/e2e-check", RoleSessionName="e2e")["Credentials"]
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

    def endpoint_ids(account):
        return [e["VpcEndpointId"] for e in aws("ec2", account).describe_vpc_endpoints()["VpcEndpoints"] if e["VpcEndpointType"] == "Interface" and e["State"] != "deleted"]

    # 1. Deploy everything.
    npm("deploy", "--", "--auto-approve")

    # 2. Through the AWS API.
    states, service = connection_states()
    if not service or not service["AcceptanceRequired"]:
        fail(f"expected one endpoint service requiring acceptance, got {service}")
    principals = sorted(p["Principal"] for p in ec2p.describe_vpc_endpoint_service_permissions(ServiceId=service["ServiceId"])["AllowedPrincipals"])
    if principals != sorted(f"arn:aws:iam::{account}:root" for _, account in consumers):
        fail(f"allowed principals {principals}")
    for name, account in consumers:
        endpoints = aws("ec2", account).describe_vpc_endpoints()["VpcEndpoints"]
        mine = [e for e in endpoints if e["ServiceName"] == service["ServiceName"]]
        if len(mine) != 1 or mine[0]["State"] != "available" or states.get(account) != "available":
            fail(f"consumer {name}: endpoint {[(e['VpcEndpointId'], e['State']) for e in mine]}, connection {states.get(account)}")
    for stack, account in [("provider", provider_account)] + [(f"consumer-{n}", a) for n, a in consumers] + [(f"acceptance-{n}", provider_account) for n, _ in consumers]:
        bucket = next(a["state"]["bucket"] for a in [config["provider"]["account"]] + [c["account"] for c in config["consumers"]] if a["id"] == account)
        key = f"privatelink/{config['project']}/{stack}.tfstate"
        aws("s3", account).head_object(Bucket=bucket, Key=key)
    log(f"checked: service {service['ServiceId']} requires acceptance and allows {', '.join(principals)}; every endpoint available and accepted; every state file in its own account's bucket")

    # 3. Nothing changes the second time.
    npm("deploy", "--", "--auto-approve")
    summary = open(os.path.join(WORK, "logs/deploy/provider.log")).read()
    if "Apply complete!" in summary:
        fail("the second deploy applied changes to the provider stack")

    # 4. No perpetual diff in any stack.
    npm("plan", "--", "--detailed-exitcode")
    log("plan after apply is empty in every stack (plans/summary.md):")
    print(open(os.path.join(WORK, "plans/summary.md")).read(), flush=True)

    # 4b. A routine change (a new release of the page) rolls the instances:
    # the plan replaces nothing, the group refreshes, and no diff remains.
    elb = aws("elbv2", provider_account)
    groups = aws("autoscaling", provider_account)
    config["provider"]["service"]["page"] = config["provider"]["service"].get("page", "") + " (release 2)"
    json.dump(config, open(os.path.join(WORK, "config/emulator.json"), "w"), indent=2)
    npm("plan")
    review = json.load(open(os.path.join(WORK, "plans/provider.json")))
    changed = [(rc["address"], rc["change"]["actions"]) for rc in review.get("resource_changes", []) if rc["change"]["actions"] not in (["no-op"], ["read"])]
    if not changed or any("delete" in actions for _, actions in changed):
        fail(f"a new page should update the provider in place, replacing nothing; the plan: {changed}")
    log(f"checked: the new page updates {', '.join(a for a, _ in changed)} in place; nothing is replaced")
    group = groups.describe_auto_scaling_groups()["AutoScalingGroups"][0]
    before = sorted(i["InstanceId"] for i in group["Instances"])
    npm("deploy", "--", "--auto-approve")
    group = groups.describe_auto_scaling_groups()["AutoScalingGroups"][0]
    after = sorted(i["InstanceId"] for i in group["Instances"])
    refreshes = groups.describe_instance_refreshes(AutoScalingGroupName=group["AutoScalingGroupName"])["InstanceRefreshes"]
    targets = [t["Target"]["Id"] for tg in group["TargetGroupARNs"] for t in elb.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]]
    if len(after) != len(before) or set(after) & set(before) or not refreshes or sorted(targets) != after:
        fail(f"the release did not roll: instances {before} -> {after}, refreshes {refreshes}, targets {targets}")
    log(f"checked: an instance refresh ({refreshes[0]['Preferences']}) replaced all {len(after)} instances, and the target group holds the new ones")
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
    if principals != [f"arn:aws:iam::{first_account}:root"]:
        fail(f"after removing {second_name} from the config, the service still allows {principals}")
    log(f"checked: with {second_name} out of the config, deploy dropped its principal; the service allows {principals[0]} only")

    # 6. Everything else.
    npm("destroy", "--", "--auto-approve", config="config/emulator-without.json")
    left = {account: endpoint_ids(account) for _, account in consumers}
    if any(left.values()) or ec2p.describe_vpc_endpoint_service_configurations()["ServiceConfigurations"]:
        fail(f"left behind: endpoints {left}, services {ec2p.describe_vpc_endpoint_service_configurations()['ServiceConfigurations']}")
    buckets = {a["id"]: a["state"]["bucket"] for a in [config["provider"]["account"]] + [c["account"] for c in config["consumers"]]}
    for account, bucket in buckets.items():
        aws("s3", account).head_bucket(Bucket=bucket)
    log(f"OK: everything destroyed but the state buckets ({', '.join(sorted(set(buckets.values())))}), which keep prevent_destroy")


if __name__ == "__main__":
    try:
        main()
    finally:
        stop_emulator()
        if os.environ.get("PRIVATELINK_E2E_KEEP"):
            log(f"kept {WORK}")
        else:
            shutil.rmtree(WORK, ignore_errors=True)
