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
