/**
 * The floor for `node dist/main.js`: load only cdktf, constructs and the
 * provider modules the app imports, then write one empty stack.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import { projectRoot } from "../scripts/project-root";

/** The provider modules the compiled app imports, found in its own compiled sources. */
function providerModules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return providerModules(path);
    if (!entry.name.endsWith(".js")) return [];
    return [...readFileSync(path, "utf8").matchAll(/require\("(@cdktf\/provider-aws\/lib\/[^"]+)"\)/g)].map((m) => m[1]);
  });
}

require("constructs");
for (const mod of new Set(providerModules(join(projectRoot(), "dist", "src")))) require(mod);

const app = new App();
new TerraformStack(app, "empty");
app.synth();
