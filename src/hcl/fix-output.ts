import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type App, TerraformStack, TerraformVariable } from "cdktf";
import { fixCdktfHcl, withEmptyLists, withTerraformSettings } from "./fix-hcl";
import { formatHcl } from "./format-hcl";

/**
 * Makes the cdk.tf of every stack the app has just synthesized say what its
 * JSON says (`fixCdktfHcl`, `withEmptyLists`, `withTerraformSettings`) and
 * lays it out as `terraform fmt` does.
 */
export function fixHclOutput(app: App): void {
  for (const stack of app.node.children.filter((c): c is TerraformStack => TerraformStack.isStack(c))) {
    const hclFile = join(app.outdir, "stacks", stack.node.id, "cdk.tf");
    if (!existsSync(hclFile)) continue;
    const nonNullable = stack.node
      .findAll()
      .filter((c): c is TerraformVariable => c instanceof TerraformVariable && c.nullable === false)
      .map((v) => v.friendlyUniqueId);
    const json = stack.toTerraform();
    const fixed = withTerraformSettings(withEmptyLists(fixCdktfHcl(readFileSync(hclFile, "utf8"), nonNullable), json), json);
    writeFileSync(hclFile, formatHcl(fixed));
  }
}
