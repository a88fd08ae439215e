/**
 * Lays out cdktf's HCL as `terraform fmt` does, so that the reviewed HCL is
 * fmt-clean: two spaces per nesting level, the `=` of consecutive one-line
 * attributes aligned, one blank line between top-level blocks and none
 * inside them. Only layout changes; every token stays as it is.
 */
export function formatHcl(hcl: string): string {
  const out: string[] = [];
  // What each open bracket is: a block's body, or an expression (object, list, call).
  const contexts: ("block" | "expression")[] = [];
  let chain: { index: number; key: string }[] = [];
  const closeChain = () => {
    const width = Math.max(0, ...chain.map((c) => c.key.length));
    for (const { index, key } of chain) out[index] = out[index].replace(`${key} = `, `${key.padEnd(width)} = `);
    chain = [];
  };
  for (const raw of hcl.split("\n")) {
    let line = raw.trim();
    if (line === "") continue;
    const { opens, closesFirst } = bracketsOf(line);
    const indent = Math.max(0, contexts.length - (closesFirst ? 1 : 0));
    if (indent === 0 && out.length > 0 && !closesFirst) {
      closeChain();
      out.push("");
    }
    const attribute = /^("[^"]*"|[A-Za-z_][\w-]*) = (.*)$/.exec(line);
    if (attribute && opens === 0) {
      // An attribute of a block whose value is only "${…}" is written bare, as terraform fmt does.
      if (contexts.at(-1) === "block") line = `${attribute[1]} = ${unwrapped(attribute[2])}`;
      chain.push({ index: out.length, key: `${"  ".repeat(indent)}${attribute[1]}` });
    } else closeChain();
    out.push(`${"  ".repeat(indent)}${spacedObjects(line)}`);
    if (opens < 0) contexts.splice(opens);
    const kind = attribute || contexts.at(-1) === "expression" || /^[[{(]/.test(line) ? "expression" : "block";
    for (let i = 0; i < opens; i++) contexts.push(kind);
  }
  closeChain();
  return `${out.join("\n")}\n`;
}

/**
 * A one-line object constructor with a space inside each brace, as terraform
 * fmt writes it (`jsonencode({ "a" = { "b" = 1 } })`); braces inside strings
 * and their templates, empty objects and a brace that ends the line (a block
 * or a multi-line object) stay as they are.
 */
function spacedObjects(line: string): string {
  let out = "";
  const stack: ("string" | "template" | "object")[] = [];
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    const top = stack.at(-1);
    if (top === "string") {
      if (c === "\\") {
        out += c + (line[i + 1] ?? "");
        i++;
        continue;
      }
      if (c === '"') stack.pop();
      else if ((c === "$" || c === "%") && line[i + 1] === "{") {
        stack.push("template");
        out += `${c}{`;
        i++;
        continue;
      }
      out += c;
      continue;
    }
    if (c === '"') stack.push("string");
    else if (c === "{") {
      // In a template, a brace opens an object or closes nothing of ours; only top-level objects are respaced.
      const inTemplate = stack.includes("template");
      const rest = line.slice(i + 1);
      if (!inTemplate && rest.trim() !== "" && !rest.startsWith("}")) {
        stack.push("object");
        out += rest.startsWith(" ") ? c : `${c} `;
        continue;
      }
      stack.push(inTemplate ? "template" : "object");
      if (inTemplate) {
        // A nested brace inside a template: counted as part of it.
        out += c;
        continue;
      }
    } else if (c === "}") {
      const open = stack.pop();
      if (open === "object" && !out.endsWith(" ") && !out.endsWith("{")) out += " ";
    }
    out += c;
  }
  return out;
}

/** `"${expr}"` as `expr` when the string holds nothing but that one interpolation; anything else as it is. */
function unwrapped(value: string): string {
  if (!value.startsWith('"${') || !value.endsWith('}"')) return value;
  const inner = value.slice(3, -2);
  // The interpolation must end where the string does: the inner text closes no template of its own.
  const probe = bracketsOf(`"\${${inner}}"`);
  return probe.opens === 0 && templateEndsAtLast(inner) ? inner : value;
}

/** Whether `"${` + inner + `}"` is one interpolation: the first `}` outside nested strings that closes it is the last one. */
function templateEndsAtLast(inner: string): boolean {
  let braces = 0;
  let quote = false;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === '"') quote = false;
      continue;
    }
    if (c === '"') quote = true;
    else if (c === "{") braces++;
    else if (c === "}") {
      if (braces === 0) return false;
      braces--;
    }
  }
  return braces === 0 && !quote;
}

/**
 * The net change in bracket depth over one line, outside strings and their
 * `${…}` templates, and whether the line starts by closing one.
 */
function bracketsOf(line: string): { opens: number; closesFirst: boolean } {
  let opens = 0;
  // What each open context is: a string, or a template inside one (with its own brace depth).
  const stack: { kind: "string" | "template"; braces: number }[] = [];
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    const top = stack.at(-1);
    if (top?.kind === "string") {
      if (c === "\\") i++;
      else if (c === '"') stack.pop();
      else if ((c === "$" || c === "%") && line[i + 1] === "{") {
        stack.push({ kind: "template", braces: 0 });
        i++;
      }
      continue;
    }
    if (c === '"') stack.push({ kind: "string", braces: 0 });
    else if (top?.kind === "template") {
      if (c === "{") top.braces++;
      else if (c === "}") {
        if (top.braces === 0) stack.pop();
        else top.braces--;
      }
    } else if ("{[(".includes(c)) opens++;
    else if ("}])".includes(c)) opens--;
  }
  return { opens, closesFirst: /^[}\])]/.test(line) };
}
