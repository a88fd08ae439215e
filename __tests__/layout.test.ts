import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./root";

// docs/layout.md is written by hand; this keeps it current.
describe("docs/layout.md", () => {
  const layout = readFileSync(join(ROOT, "docs/layout.md"), "utf8");

  test("names every directory of src/ and every top-level directory the repository tracks", () => {
    const tracked = execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter(Boolean);
    const dirs = new Set(
      tracked.flatMap((file) => {
        const parts = file.split("/");
        if (parts.length < 2 || parts[0].startsWith(".")) return [];
        return parts[0] === "src" && parts.length > 2 ? [`src/${parts[1]}/`] : [`${parts[0]}/`];
      }),
    );
    for (const dir of dirs) expect({ dir, listed: layout.includes(dir) }).toEqual({ dir, listed: true });
  });

  test("names every construct class", () => {
    const classes = readdirSync(join(ROOT, "src", "constructs")).flatMap((file) =>
      [...readFileSync(join(ROOT, "src", "constructs", file), "utf8").matchAll(/^export class (\w+) extends Construct/gm)].map((m) => m[1]),
    );
    expect(classes.length).toBeGreaterThan(10);
    for (const name of classes) expect({ name, listed: layout.includes(name) }).toEqual({ name, listed: true });
  });
});
