/**
 * cdktf 0.21 renders a few constructs into HCL (`cdktf synth --hcl`) that
 * Terraform rejects or warns about, although the JSON it writes for the same
 * stack is right. These rewrites make the HCL say what the JSON says:
 *
 * - `precondition = [ { … }, ]` inside `lifecycle` becomes one
 *   `precondition { … }` block per item (the list form is an error);
 * - quoted `depends_on` entries become bare references (quoted ones are
 *   deprecated);
 * - `nullable = false`, which cdktf drops from `variable` blocks, is restored
 *   for the variables that declare it in the JSON.
 *
 * `withEmptyLists` restores the empty lists cdktf drops, and
 * `withTerraformSettings` the `terraform` block settings it renders wrongly.
 */
export function fixCdktfHcl(hcl: string, nonNullableVariables: readonly string[]): string {
  const lines = hcl.split("\n");
  const out: string[] = [];
  let inDependsOn = false;
  let variable: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const trimmed = line.trim();

    if (trimmed === "precondition = [") {
      // Items are `{`, attribute lines, `},` until the closing `]`.
      for (i++; i < lines.length && lines[i].trim() !== "]"; i++) {
        const item = lines[i].trim();
        if (item === "{") out.push("precondition {");
        else if (item === "},") out.push("}");
        else out.push(lines[i]);
      }
      continue;
    }

    if (trimmed === "depends_on = [") inDependsOn = true;
    else if (inDependsOn && trimmed === "]") inDependsOn = false;
    else if (inDependsOn) {
      out.push(line.replace(/^(\s*)"([^"$]+)"(,?)$/, "$1$2$3"));
      continue;
    }

    const declared = /^variable "([^"]+)" \{$/.exec(trimmed);
    if (declared) variable = declared[1];
    if (variable && trimmed.startsWith("type = ") && nonNullableVariables.includes(variable)) {
      out.push(line, "nullable = false");
      variable = undefined;
      continue;
    }
    out.push(line);
  }
  return out.join("\n");
}

/**
 * The HCL with every empty list attribute of a resource or data source that
 * its JSON has and cdktf's HCL drops: `ingress = []` on a security group
 * removes every rule, where a missing `ingress` leaves the rules alone, so
 * a reviewer must see it.
 */
export function withEmptyLists(hcl: string, json: { resource?: Blocks; data?: Blocks }): string {
  const lines = hcl.split("\n");
  for (const kind of ["resource", "data"] as const) {
    for (const [type, byName] of Object.entries(json[kind] ?? {})) {
      for (const [name, block] of Object.entries(byName)) {
        const empty = Object.keys(block).filter((key) => Array.isArray(block[key]) && (block[key] as unknown[]).length === 0);
        if (empty.length === 0) continue;
        const header = lines.findIndex((l) => l.trim() === `${kind} "${type}" "${name}" {`);
        if (header < 0) throw new Error(`No ${kind} "${type}" "${name}" in the HCL output.`);
        lines.splice(header + 1, 0, ...empty.map((key) => `${key} = []`));
      }
    }
  }
  return lines.join("\n");
}

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

/**
 * The HCL with the `terraform` block's settings that cdktf 0.21 renders as
 * `0 = "required_version"` (an override's key as a value, which Terraform
 * rejects) written as the JSON has them: `required_version = ">= 1.10.0"`.
 */
export function withTerraformSettings(hcl: string, json: { terraform?: Record<string, unknown> }): string {
  return hcl
    .split("\n")
    .map((line) => {
      const misplaced = /^(\s*)\d+ = "([a-z_]+)"$/.exec(line);
      if (!misplaced) return line;
      const value = json.terraform?.[misplaced[2]];
      if (typeof value !== "string") throw new Error(`The HCL output has ${line.trim()}, and the JSON no string terraform.${misplaced[2]} to write instead.`);
      return `${misplaced[1]}${misplaced[2]} = ${JSON.stringify(value)}`;
    })
    .join("\n");
}
