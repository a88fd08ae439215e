import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../root";

// An operator deploys from the checkout, then runs npm test there. The
// deploy-guard tests once ran the lifecycle CLI in the checkout itself, which
// cleared logs/deploy/ and merged fake endpoint ids into vars/*.tfvars.json
// (which npm run destroy falls back on). Here the tests run in a scratch copy
// of the project that holds such files, and must leave them as they were.

/** A copy of the project as jest sees it: its tests, sources and config, with the compiled app and the dependencies linked in. */
function scratchCheckout(): string {
  const dir = mkdtempSync(join(tmpdir(), "privatelink-checkout-"));
  for (const path of ["__tests__", "src", "config", "jest.config.js", "jest.cli.config.js", "setup.js", "package.json"]) {
    cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  }
  for (const path of ["node_modules", "dist"]) symlinkSync(join(ROOT, path), join(dir, path));
  return dir;
}

test("an operator's var file and deploy log survive the deploy-guard tests byte for byte", () => {
  const checkout = scratchCheckout();
  const varFile = join(checkout, "vars", "consumer-analytics.tfvars.json");
  const varText = '{\n  "service_name": "com.amazonaws.vpce.us-east-1.vpce-svc-0aaaabbbbccccdddd"\n}\n';
  const log = join(checkout, "logs", "deploy", "provider.log");
  const logText = "Apply complete! Resources: 12 added, 0 changed, 0 destroyed.\n";
  mkdirSync(join(checkout, "vars"));
  mkdirSync(join(checkout, "logs", "deploy"), { recursive: true });
  writeFileSync(varFile, varText);
  writeFileSync(log, logText);

  const jest = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules/jest/bin/jest.js"), "--ci", "--config", "jest.cli.config.js", "__tests__/cli/deploy-guard.test.ts"],
    {
      cwd: checkout,
      encoding: "utf8",
    },
  );

  // The suite ran its deploys, and they passed.
  expect(jest.stderr).toMatch(/Tests:\s+\d+ passed, \d+ total/);
  expect(jest.status).toBe(0);
  expect(readFileSync(varFile, "utf8")).toBe(varText);
  expect(readFileSync(log, "utf8")).toBe(logText);
  expect(readdirSync(join(checkout, "vars"))).toEqual(["consumer-analytics.tfvars.json"]);
  expect(readdirSync(join(checkout, "logs"))).toEqual(["deploy"]);
  expect(readdirSync(join(checkout, "logs", "deploy"))).toEqual(["provider.log"]);
  expect(["plans", "cdktf.out"].filter((path) => existsSync(join(checkout, path)))).toEqual([]);
}, 60_000);
