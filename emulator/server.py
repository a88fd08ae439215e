"""npm run emulator: serves the AWS emulator the config's accounts point at.

Every account of the config (PRIVATELINK_CONFIG, default
config/emulator.json) names the same `endpointUrl`; the emulator listens
there until stopped. With an https URL it serves TLS with a self-signed
certificate, written to the accounts' `endpointCaBundle` so Terraform and
boto3 can trust it. moto does the emulation, with the extensions in
extensions.py.
"""
import argparse
import datetime
import ipaddress
import json
import logging
import os
import signal
import sys
from urllib.parse import urlparse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)


class EmulatorError(Exception):
    pass


def accounts_of(config):
    provider = (config.get("provider") or {}).get("account") or {}
    return [provider] + [(c or {}).get("account") or {} for c in config.get("consumers") or []]


def endpoint_of(config_file):
    """(url, ca bundle path or None) shared by every account of the config."""
    try:
        with open(config_file, encoding="utf-8-sig") as f:
            config = json.load(f)
    except (OSError, ValueError) as err:
        raise EmulatorError(f"cannot read the config {config_file}: {err}")
    accounts = accounts_of(config)
    urls = {a.get("endpointUrl") for a in accounts}
    if urls == {None} or None in urls:
        raise EmulatorError(f"{config_file}: every account needs an endpointUrl for the emulator to serve (config/emulator.json has them)")
    if len(urls) > 1:
        raise EmulatorError(f"{config_file}: the accounts name different endpointUrls ({', '.join(sorted(urls))}); one emulator serves one URL")
    cas = {a.get("endpointCaBundle") for a in accounts}
    if len(cas) > 1:
        raise EmulatorError(f"{config_file}: the accounts name different endpointCaBundle files; the emulator has one certificate")
    url = urls.pop()
    ca = cas.pop()
    if urlparse(url).scheme == "https" and not ca:
        raise EmulatorError(f"{config_file}: an https endpointUrl needs endpointCaBundle, the file the emulator writes its certificate to")
    return url, (os.path.join(ROOT, ca) if ca and not os.path.isabs(ca) else ca)


def ensure_certificate(cert_file, host):
    """A self-signed certificate for `host`, reused while it has a day left. Returns (cert, key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key_file = os.path.splitext(cert_file)[0] + ".key"
    now = datetime.datetime.now(datetime.timezone.utc)
    if os.path.exists(cert_file) and os.path.exists(key_file):
        with open(cert_file, "rb") as f:
            existing = x509.load_pem_x509_certificate(f.read())
        if existing.not_valid_after_utc - now > datetime.timedelta(days=1):
            return cert_file, key_file
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "privatelink emulator")])
    try:
        alt = [x509.IPAddress(ipaddress.ip_address(host))]
    except ValueError:
        alt = [x509.DNSName(host)]
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName(alt + [x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    os.makedirs(os.path.dirname(cert_file) or ".", exist_ok=True)
    with open(key_file, "wb") as f:
        os.chmod(key_file, 0o600)
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    with open(cert_file, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    return cert_file, key_file


def make_app():
    """moto's server app with the extensions installed."""
    import extensions
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    # AWS managed policies exist in every account (AmazonSSMManagedInstanceCore, which Session Manager's instance profile attaches, among them);
    # moto loads them only when asked. https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    extensions.install()
    return extensions.TransportMiddleware(DomainDispatcherApplication(create_backend_app))


def make_emulator(url, ca_file=None):
    """A server for `url`, not yet serving."""
    from werkzeug.serving import make_server

    parsed = urlparse(url)
    host, port = parsed.hostname, parsed.port or (443 if parsed.scheme == "https" else 80)
    ssl_context = ensure_certificate(ca_file, host) if parsed.scheme == "https" else None
    try:
        return make_server(host, port, make_app(), threaded=True, ssl_context=ssl_context)
    except OSError as err:
        raise EmulatorError(f"cannot listen on {host}:{port}: {err.strerror or err} (is an emulator already running?)")


def main():
    parser = argparse.ArgumentParser(prog="npm run emulator", description="Serves the local AWS emulator at the endpointUrl of the config's accounts.")
    parser.add_argument("--config", default=os.environ.get("PRIVATELINK_CONFIG") or "config/emulator.json", help="config whose accounts' endpointUrl to serve (default: PRIVATELINK_CONFIG or config/emulator.json)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args()
    try:
        url, ca = endpoint_of(os.path.join(ROOT, args.config) if not os.path.isabs(args.config) else args.config)
        server = make_emulator(url, ca)
    except EmulatorError as err:
        sys.stderr.write(f"emulator: {err}\n")
        return 1
    if not args.verbose:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    trust = f" (certificate: {os.path.relpath(ca, ROOT)})" if ca else ""
    print(f"emulator: serving {url}{trust} for the accounts of {args.config}; Ctrl-C stops it", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    print("emulator: stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
