import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { withFlags } from "../src/docgen/flags";
import { LIFECYCLE_FLAGS, usage } from "../src/lifecycle/args";
import { ROOT } from "./helpers";

const readme = readFileSync(join(ROOT, "README.md"), "utf8");

describe("the flags of deploy, plan and destroy", () => {
  test("README.md carries the table generated from the lifecycle's own flags (run npm run docs)", () => {
    expect(withFlags(readme)).toBe(readme);
    expect(readme).toContain("| `--allow-outage` | ✓ |  |  |");
  });

  test("each command's usage names exactly its flags", () => {
    expect(usage("plan").split("\n")[0]).toBe("Usage: npm run plan -- [--detailed-exitcode] [--consumer NAME ...] [--parallelism N] [--lock-timeout D]");
    expect(usage("destroy").split("\n")[0]).not.toContain("--allow-outage");
  });

  test("help lists every flag, and no flag the lifecycle does not take", () => {
    const help = readFileSync(join(ROOT, "help"), "utf8");
    const lifecycle = help.slice(help.indexOf("  Lifecycle"), help.indexOf("\n\n", help.indexOf("  Lifecycle")));
    const names = LIFECYCLE_FLAGS.map((f) => f.flag.split(" ")[0]);
    for (const name of names) expect({ name, listed: lifecycle.includes(name) }).toEqual({ name, listed: true });
    const mentioned = [...new Set(lifecycle.match(/--[a-z][a-z-]+/g))];
    expect(mentioned.filter((flag) => !names.includes(flag))).toEqual([]);
  });
});

describe("README.md", () => {
  test("reads in ten minutes: at most 350 lines, the details in docs/", () => {
    expect(readme.split("\n").length).toBeLessThanOrEqual(350);
  });

  test("every relative link of README.md and docs/ leads to a file that exists", () => {
    const docs = readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md"));
    expect(docs.length).toBeGreaterThan(5);
    const pages = ["README.md", ...docs.map((f) => `docs/${f}`), "emulator/README.md"];
    for (const page of pages) {
      const text = readFileSync(join(ROOT, page), "utf8");
      for (const [, target] of text.matchAll(/\]\(((?!https?:|#)[^)#\s]+)(?:#[^)]*)?\)/g)) {
        const path = join(ROOT, dirname(page), target);
        expect({ page, target, exists: existsSync(path) }).toEqual({ page, target, exists: true });
      }
    }
  });
});
