#!/usr/bin/env python3
"""npm run test:e2e (L3): apply the provider and consumer stacks into two
emulated AWS accounts (moto_server), wired output -> variable, check the
result through the AWS API, then destroy them.

The flow is a user's: synth with an emulator config (endpointUrl per
account), bootstrap the state buckets, apply the provider with its state in
emulated S3, `npm run wire` its outputs into the consumer's var file, apply
the consumer, assert, destroy consumer then provider.
"""
import atexit
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
PROVIDER_ACCOUNT, CONSUMER_ACCOUNT = "111111111111", "222222222222"
WORK = tempfile.mkdtemp(prefix="privatelink-e2e-")
moto = None


def log(message):
    print(f"test:e2e: {message}", flush=True)


def run(cmd, cwd=ROOT, env=None, quiet=False, attempts=1):
    for attempt in range(attempts):
        result = subprocess.run(cmd, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True)
        if result.returncode == 0:
            break
        if attempt + 1 < attempts:
            # moto's server sometimes drops a connection; apply and destroy are safe to run again.
            last = [l for l in (result.stdout + result.stderr).splitlines() if l.startswith("Error")][-1:] or ["(no error line)"]
            log(f"retrying {cmd[1]} in {os.path.basename(cwd)} after: {last[0][:200]}")
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-6000:] + result.stderr[-6000:])
        raise SystemExit(f"test:e2e: FAILED: {' '.join(cmd)} (in {cwd})")
    if not quiet:
        # Terraform's own summary lines ("Apply complete!", "Destroy complete!").
        for line in result.stdout.splitlines():
            if line.startswith(("Apply complete!", "Destroy complete!")):
                print(f"  {line}", flush=True)
    return result.stdout


def stop_moto():
    if moto and moto.poll() is None:
        os.killpg(moto.pid, signal.SIGTERM)
        try:
            moto.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(moto.pid, signal.SIGKILL)
    shutil.rmtree(WORK, ignore_errors=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    global moto
    found = subprocess.run([os.path.join(ROOT, "scripts/verify/provider-mirror.sh")], capture_output=True, text=True)
    if found.returncode != 0:
        log("SKIPPED: no hashicorp/aws provider can be installed offline here (run npm run provider:install).")
        return
    mirror, version = found.stdout.split()
    note = "" if version == "6.25.0" else f": NOT the 6.25.0 cdktf pins (it cannot be built here); the applied copies name {version}"
    log(f"provider hashicorp/aws {version} from {mirror}{note}")

    # moto over TLS: the state buckets' policy denies requests without TLS.
    cert, key = os.path.join(WORK, "moto.crt"), os.path.join(WORK, "moto.key")
    run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert], quiet=True)
    port = free_port()
    url = f"https://127.0.0.1:{port}"
    atexit.register(stop_moto)
    moto = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port), "-s", "-c", cert, "-k", key], stdout=open(os.path.join(WORK, "moto.log"), "w"), stderr=subprocess.STDOUT, start_new_session=True)
    import boto3  # moto's dependency

    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            time.sleep(0.2)
    log(f"moto_server {url} (pid {moto.pid})")

    def aws(service, account):
        common = dict(endpoint_url=url, verify=cert, region_name="us-east-1")
        sts = boto3.client("sts", aws_access_key_id="test", aws_secret_access_key="test", **common)
        creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/privatelink-deployer", RoleSessionName="e2e")["Credentials"]
        return boto3.client(service, aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"], **common)

    # The emulator config, pointed at this run's port.
    config = json.load(open(os.path.join(ROOT, "config/emulator.json")))
    for account in [config["provider"]["account"]] + [c["account"] for c in config["consumers"]]:
        account["endpointUrl"] = url
    config_file = os.path.join(WORK, "emulator.json")
    json.dump(config, open(config_file, "w"))
    synth_dir = os.path.join(WORK, "cdktf.out")
    run(["node", "dist/main.js"], env={"PRIVATELINK_CONFIG": config_file, "CDKTF_OUTDIR": synth_dir}, quiet=True)

    with open(os.path.join(WORK, "terraformrc"), "w") as rc:
        rc.write(f'provider_installation {{\n  filesystem_mirror {{\n    path    = "{mirror}"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }}\n}}\n')
    tf_env = {"TF_CLI_CONFIG_FILE": os.path.join(WORK, "terraformrc"), "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1", "AWS_CA_BUNDLE": cert, "TF_IN_AUTOMATION": "1"}

    def stage(stack):
        work = os.path.join(WORK, "tf", stack)
        run(["node", "scripts/verify/stage-stack.js", os.path.join(synth_dir, "stacks", stack), work, version, os.path.join(WORK, "state")], quiet=True)
        run(["terraform", "init", "-input=false", "-no-color"], cwd=work, env=tf_env, quiet=True)
        return work

    def apply(stack, *args):
        log(f"apply {stack}")
        work = stage(stack)
        run(["terraform", "apply", "-auto-approve", "-input=false", "-no-color", *args], cwd=work, env=tf_env, attempts=2)
        return work

    # 1. State buckets.
    for stack, account in (("bootstrap-provider", PROVIDER_ACCOUNT), ("bootstrap-analytics", CONSUMER_ACCOUNT)):
        apply(stack)
        s3, bucket = aws("s3", account), f"privatelink-e2e-state-{account}"
        policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
        assert any(st.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false" and st["Effect"] == "Deny" for st in policy["Statement"]), policy
        assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
        # moto applies bucket-policy Deny statements without their conditions, so the
        # TLS-only deny would refuse even TLS requests; it was checked above, now removed.
        s3.delete_bucket_policy(Bucket=bucket)

    # 2. Provider, state in emulated S3.
    provider_dir = apply("provider")
    outputs_file = os.path.join(WORK, "provider.outputs.json")
    with open(outputs_file, "w") as f:
        f.write(run(["terraform", "output", "-json"], cwd=provider_dir, env=tf_env, quiet=True))
    outputs = {k: v["value"] for k, v in json.load(open(outputs_file)).items()}

    # 3. Wire provider outputs into the consumer's variables.
    var_file = os.path.join(WORK, "consumer-analytics.tfvars.json")
    run(["node", "dist/src/cli/wire.js", "provider", "consumer-analytics", "--outputs-file", outputs_file, "--var-file", var_file], env={"PRIVATELINK_CONFIG": config_file}, quiet=True)
    wired = json.load(open(var_file))
    assert wired == {"service_name": outputs["service_name"], "service_availability_zone_ids": outputs["service_availability_zone_ids"]}, wired
    log(f"wired {', '.join(wired)} -> consumer-analytics")

    # 4. Consumer.
    consumer_dir = apply("consumer-analytics", f"-var-file={var_file}")

    # 5. Check through the AWS API.
    ec2_provider, ec2_consumer = aws("ec2", PROVIDER_ACCOUNT), aws("ec2", CONSUMER_ACCOUNT)
    services = ec2_provider.describe_vpc_endpoint_service_configurations()["ServiceConfigurations"]
    service = next(s for s in services if s["ServiceId"] == outputs["service_id"])
    assert service["ServiceName"] == outputs["service_name"], service
    principals = [p["Principal"] for p in ec2_provider.describe_vpc_endpoint_service_permissions(ServiceId=outputs["service_id"])["AllowedPrincipals"]]
    assert f"arn:aws:iam::{CONSUMER_ACCOUNT}:root" in principals, principals
    endpoint_id = json.loads(run(["terraform", "output", "-json", "endpoint_id"], cwd=consumer_dir, env=tf_env, quiet=True))
    endpoint = ec2_consumer.describe_vpc_endpoints(VpcEndpointIds=[endpoint_id])["VpcEndpoints"][0]
    assert endpoint["ServiceName"] == outputs["service_name"] and endpoint["VpcEndpointType"] == "Interface", endpoint
    for account, key in ((PROVIDER_ACCOUNT, "provider"), (CONSUMER_ACCOUNT, "consumer-analytics")):
        aws("s3", account).head_object(Bucket=f"privatelink-e2e-state-{account}", Key=f"privatelink/privatelink-e2e/{key}.tfstate")
    log(f"checked: endpoint service {outputs['service_id']} allows {CONSUMER_ACCOUNT}; endpoint {endpoint_id} in {CONSUMER_ACCOUNT} uses {outputs['service_name']}; both state files are in their account's bucket")

    # 6. Destroy, consumer first.
    log("destroy consumer-analytics")
    run(["terraform", "destroy", "-auto-approve", "-input=false", "-no-color", f"-var-file={var_file}"], cwd=consumer_dir, env=tf_env, attempts=2)
    log("destroy provider")
    run(["terraform", "destroy", "-auto-approve", "-input=false", "-no-color"], cwd=provider_dir, env=tf_env, attempts=2)
    log("OK (the bootstrap buckets keep prevent_destroy; the emulator goes away with them)")


if __name__ == "__main__":
    main()
