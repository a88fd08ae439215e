// The floor for `node dist/main.js`: load only cdktf, constructs and the
// provider modules the app imports, then write one empty stack.
const { readFileSync, readdirSync } = require("node:fs");
const { join } = require("node:path");
const { App, TerraformStack } = require("cdktf");
require("constructs");

// The provider modules the compiled app imports, found in its own sources.
function providerModules(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return providerModules(path);
    if (!entry.name.endsWith(".js")) return [];
    return [...readFileSync(path, "utf8").matchAll(/require\("(@cdktf\/provider-aws\/lib\/[^"]+)"\)/g)].map((m) => m[1]);
  });
}
for (const mod of new Set(providerModules(join(__dirname, "..", "dist", "src")))) require(mod);

const app = new App();
new TerraformStack(app, "empty");
app.synth();
