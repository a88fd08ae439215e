import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type App, TerraformStack, TerraformVariable } from "cdktf";
import { fixCdktfHcl } from "./fix-hcl";

/** Applies `fixCdktfHcl` to the cdk.tf of every stack the app has just synthesized. */
export function fixHclOutput(app: App): void {
  for (const stack of app.node.children.filter((c): c is TerraformStack => TerraformStack.isStack(c))) {
    const hclFile = join(app.outdir, "stacks", stack.node.id, "cdk.tf");
    if (!existsSync(hclFile)) continue;
    const nonNullable = stack.node
      .findAll()
      .filter((c): c is TerraformVariable => c instanceof TerraformVariable && c.nullable === false)
      .map((v) => v.friendlyUniqueId);
    writeFileSync(hclFile, fixCdktfHcl(readFileSync(hclFile, "utf8"), nonNullable));
  }
}
