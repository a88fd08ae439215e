"""The e2e's upgrade baseline: the previous release (the newest one CHANGELOG.md
names) deployed from its own checkout, then this code planned and deployed
over it."""
import glob
import json
import os
import re
import shutil
import subprocess

from e2e_helpers import fail

# A release heading of CHANGELOG.md: `## 0.1.0 (commit 2b32a03)`.
RELEASE = re.compile(r"^## (\S+) \(commit ([0-9a-f]{7,40})\)$", re.M)


def previous_release(root):
    """(version, commit) of the newest release CHANGELOG.md names: the one users run today, which the upgrade starts from."""
    found = RELEASE.search(open(os.path.join(root, "CHANGELOG.md"), encoding="utf-8").read())
    if not found:
        fail("CHANGELOG.md names no release as '## VERSION (commit SHA)': the upgrade step has no release to start from")
    return found.group(1), found.group(2)


# What a release cannot deploy of the e2e's topology, by version: (why, how its config is cut down). This code deploys the
# rest after the upgrade, so the e2e still runs on its whole topology.
RELEASE_LIMITS = {
    "0.1.0": (
        "it cannot deploy a consumer with Session Manager beside a listener on 443: its client's egress repeats the 443 rule to "
        "the VPC, which EC2 refuses (InvalidPermission.Duplicate; fixed since), so it deploys the TCP listener alone",
        lambda c: c["provider"]["service"].update(listeners=[l for l in c["provider"]["service"]["listeners"] if l["port"] != 443]),
    ),
}


def released_config(version, config):
    """The e2e's config as the release can deploy it, and why it differs (None when it does not)."""
    cut = json.loads(json.dumps(config))
    if version not in RELEASE_LIMITS:
        return cut, None
    why, change = RELEASE_LIMITS[version]
    change(cut)
    return cut, why


def prepare_previous(root, work, commit, config):
    """The release's code in work/previous (git archive of its commit), its own dependencies installed (npm ci of its
    lockfile), with `config` as its config/emulator.json and the emulator's CA; returns the directory."""
    dest = os.path.join(work, "previous")
    os.makedirs(dest)
    archive = subprocess.run(["git", "-C", root, "archive", "--format=tar", commit], capture_output=True)
    if archive.returncode != 0:
        fail(
            f"cannot check out release {commit}: git archive said {archive.stderr.decode(errors='replace').strip()}; "
            "the upgrade step needs the repository's history (a full clone, not a shallow one)"
        )
    subprocess.run(["tar", "-x", "-C", dest], input=archive.stdout, check=True)
    installed = subprocess.run(["npm", "ci", "--prefer-offline", "--no-audit", "--no-fund"], cwd=dest, capture_output=True, text=True)
    if installed.returncode != 0:
        fail(f"npm ci of release {commit} failed (exit {installed.returncode}):\n{installed.stderr[-3000:]}")
    os.makedirs(os.path.join(dest, "config"), exist_ok=True)
    json.dump(config, open(os.path.join(dest, "config/emulator.json"), "w"), indent=2)
    shutil.copy2(os.path.join(work, "emulator-ca.pem"), os.path.join(dest, "emulator-ca.pem"))
    return dest


def carry_local_state(previous, work):
    """The bootstrap stacks' local state (terraform.<stack>.tfstate at the project's root), which a user's checkout keeps
    across an upgrade: copied from the release's directory into this code's."""
    files = sorted(glob.glob(os.path.join(previous, "terraform.*.tfstate")))
    if not files:
        fail(f"the release left no bootstrap state (terraform.*.tfstate) in {previous}")
    for path in files:
        shutil.copy2(path, os.path.join(work, os.path.basename(path)))
    return [os.path.basename(p) for p in files]


def plan_changes(work):
    """What the saved plans of npm run plan change: (stack, address, actions) of each resource, reads and no-ops left out."""
    found = []
    for path in sorted(glob.glob(os.path.join(work, "plans", "*.json"))):
        stack = os.path.basename(path)[: -len(".json")]
        for change in json.load(open(path)).get("resource_changes", []):
            actions = change["change"]["actions"]
            if actions not in (["no-op"], ["read"]):
                found.append((stack, change["address"], actions))
    return found
