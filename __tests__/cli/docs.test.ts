import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../root";
import { runCompiled } from "../sandbox";

// npm run docs, run as npm runs it.

describe("npm run docs", () => {
  const docs = (args: string[], env: Record<string, string> = {}) => runCompiled("src/cli/docs.js", args, { env });

  test("with another config prints its diagram and leaves the README alone", () => {
    const before = readFileSync(join(ROOT, "README.md"), "utf8");
    const result = docs([], { PRIVATELINK_CONFIG: "config/emulator.json" });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^flowchart LR/);
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).toBe(before);
  });

  test("--help prints usage and writes nothing; an unknown argument is an error", () => {
    expect(docs(["--help"]).stdout).toMatch(/^Usage: npm run docs/);
    const bad = docs(["--bogus"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^Unknown argument --bogus\./);
  });

  test("the reference lists number choices as numbers", () => {
    expect(readFileSync(join(ROOT, "docs/configuration.md"), "utf8")).toMatch(/`provider\.network\.flowLogRetentionDays` \| `1` \\\| `3` \\\| `5`/);
  });
});
