"""Helpers of npm run test:e2e (scripts/verify/e2e.py): its log lines, the
npm commands it runs in the scratch project, the emulator process, and the
continuous probe that runs while a transition applies."""
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time


def log(message):
    print(f"test:e2e: {message}", flush=True)


def fail(message):
    raise SystemExit(f"test:e2e: FAILED: {message}")


def npm(work, *args, expect=(0,), config="config/emulator.json", capture=False):
    """Runs `npm run <args>` in the scratch project `work`, streaming its output (or returning it); returns the exit code."""
    started = time.time()
    log(f"$ PRIVATELINK_CONFIG={config} npm run {' '.join(args)}")
    result = subprocess.run(["npm", "run", "--silent", *args], cwd=work, env={**os.environ, "PRIVATELINK_CONFIG": config}, capture_output=capture, text=True)
    log(f"  exit {result.returncode} after {time.time() - started:.0f} s")
    if result.returncode not in expect:
        if capture:
            sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        fail(f"npm run {' '.join(args)} exited {result.returncode}, expected {' or '.join(map(str, expect))} (logs in {work}/logs)")
    return (result.returncode, result.stdout + result.stderr) if capture else result.returncode


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_emulator(work, url):
    """npm run emulator on the scratch project's config, in its own process group; returns once it accepts connections."""
    emulator = subprocess.Popen(["npm", "run", "--silent", "emulator", "--", "--config", os.path.join(work, "config/emulator.json")], cwd=work, start_new_session=True)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), 0.2).close()
            return emulator
        except OSError:
            if emulator.poll() is not None:
                fail("the emulator did not start")
            time.sleep(0.3)
    stop_emulator(emulator)
    fail(f"the emulator did not answer on {url} within 30 s")


def stop_emulator(emulator):
    if emulator and emulator.poll() is None:
        os.killpg(emulator.pid, signal.SIGTERM)
        try:
            emulator.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(emulator.pid, signal.SIGKILL)


class ProbeLoop(threading.Thread):
    """The check's probe, round after round from each consumer, while a transition applies; every probe must connect.

    It synthesizes into its own directory (cdktf.out.probe), so it never touches the stacks the deploy is running in."""

    def __init__(self, work, flags):
        super().__init__(daemon=True)
        self.work, self.flags, self.stop, self.rounds, self.failures, self.probes = work, flags, threading.Event(), [], [], 0

    def run(self):
        env = {**os.environ, "PRIVATELINK_CONFIG": "config/emulator.json", "CDKTF_OUTDIR": os.path.join(self.work, "cdktf.out.probe")}
        while not self.stop.is_set():
            result = subprocess.run(["node", "dist/src/cli/check.js", "--json", *self.flags], cwd=self.work, env=env, capture_output=True, text=True)
            self.rounds.append(time.time())
            try:
                report = json.loads(result.stdout)
            except ValueError:
                self.failures.append(f"the check printed no report (exit {result.returncode}): {result.stderr.strip()[-500:]}")
                continue
            for consumer in report["consumers"]:
                if consumer.get("error"):
                    self.failures.append(consumer["error"])
                for probe in consumer["probes"]:
                    self.probes += 1
                    if probe["result"] != "connected":
                        blocked = probe.get("blockedBy") or {}
                        self.failures.append(
                            f"{consumer['consumer']} {probe['target']}:{probe['port']} {probe['family']} {probe['result']}: "
                            f"{blocked.get('component')} {blocked.get('id')}: {blocked.get('reason')}"
                        )
            self.stop.wait(2)

    def __enter__(self):
        self.started = time.time()
        self.start()
        return self

    def __exit__(self, *_):
        self.stop.set()
        self.join()
        marks = [self.started] + self.rounds
        self.gap = max(b - a for a, b in zip(marks, marks[1:])) if len(marks) > 1 else time.time() - self.started
