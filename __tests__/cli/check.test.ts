import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCompiled, scratchProject } from "../sandbox";

// npm run check's command line: misuse stops before any AWS call, with a clear message.
const check = (...args: string[]) => runCompiled("src/cli/check.js", args);

describe("npm run check: misuse is refused before anything runs", () => {
  test("--help prints the usage", () => {
    const result = check("--help");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^Usage: npm run check -- \[--consumer NAME \.\.\.\] \[--port N \.\.\.\] \[--family ipv4\|ipv6\] \[--kind K \.\.\.\] \[--json\]/,
    );
  });

  test("an unknown consumer names the config's consumers", () => {
    const result = check("--consumer", "billing");
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe("Unknown consumer billing; the config's consumers are analytics, reporting.");
  });

  test("a port that is no listener of the config names the listener ports", () => {
    const result = check("--port", "9090");
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe("Port 9090 is not a port the check probes; the config's listener ports are 8080.");
  });

  test("with a shared resource, a port is one of a listener's or one the check probes of a resource the consumers reach", () => {
    const cwd = scratchProject();
    const file = join(cwd, "config/example.json");
    const config = JSON.parse(readFileSync(file, "utf8"));
    config.provider.resources = [{ name: "orders-db", dnsName: "orders-db.example.com", ports: [5432, "7000-7002", "8000-8100"] }];
    config.consumers[0].resources = ["orders-db"];
    writeFileSync(file, JSON.stringify(config));
    const result = runCompiled("src/cli/check.js", ["--port", "8050"], { cwd });
    expect(result.stderr.trim()).toBe(
      "Port 8050 is not a port the check probes; the config's listener ports are 8080, and its shared resources' 5432, 7000, 7001, 7002, 8000, 8100.",
    );
    expect(result.status).toBe(1);
    // The second consumer reaches no resource: only the listener ports are named.
    const second = runCompiled("src/cli/check.js", ["--consumer", "reporting", "--port", "5432"], { cwd });
    expect(second.stderr.trim()).toBe("Port 5432 is not a port the check probes; the config's listener ports are 8080.");
    // Only a resource's port: the consumer that does not reach it is not probed (here neither is deployed, so the other reports why).
    const only = runCompiled("src/cli/check.js", ["--port", "5432", "--json"], { cwd });
    expect(only.status).toBe(1);
    expect(JSON.parse(only.stdout).consumers.map((c: { consumer: string }) => c.consumer)).toEqual(["analytics"]);
    // Only the resource kind: likewise only the consumer that reaches a shared resource.
    const kind = runCompiled("src/cli/check.js", ["--kind", "resource", "--json"], { cwd });
    expect(JSON.parse(kind.stdout).consumers.map((c: { consumer: string }) => c.consumer)).toEqual(["analytics"]);
  });

  test("a bad family, a flag without its value and an unknown flag are errors, never a stack trace", () => {
    expect(check("--family", "ipv5").stderr.trim()).toBe("--family takes ipv4 or ipv6; got ipv5.");
    expect(check("--consumer").stderr).toMatch(/^--consumer needs a consumer name\./);
    expect(check("--kind", "public").stderr.trim()).toBe("--kind takes regional, zonal, private-dns, resource; got public.");
    // The example config shares no resource: asking only for resources leaves nothing to probe, which is an error, not a pass.
    const none = check("--kind", "resource");
    expect(none.status).toBe(1);
    expect(none.stderr.trim()).toBe("Nothing to probe: no consumer asked for reaches a shared resource on the ports asked for.");
    const unknown = check("--bogus");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^Unknown argument --bogus\./);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  });

  test("without deployed stacks every consumer is reported as not probed, and the check fails", () => {
    const result = check("--json");
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(false);
    expect(report.consumers.map((c: { consumer: string; error?: string }) => [c.consumer, /^consumer \w+: /.test(c.error ?? "")])).toEqual([
      ["analytics", true],
      ["reporting", true],
    ]);
  }, 60_000);
});
