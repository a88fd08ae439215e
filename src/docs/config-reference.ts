import { ConfigSchema } from "../config/schema";

/** One row of the config reference. */
export interface ReferenceRow {
  readonly path: string;
  readonly type: string;
  /** `required`, `none`, or the default as JSON. */
  readonly default: string;
  readonly description: string;
}

type Node = {
  type: string;
  kind?: string;
  wrapped?: Node;
  default?: unknown;
  pipe?: Node[];
  description?: string;
  entries?: Record<string, Node>;
  item?: Node;
  options?: unknown[];
  literal?: unknown;
  value?: Node;
};

/**
 * Every field of the config, walked from the schema itself: its type, its
 * default and the description the schema carries. A schema met a second
 * time (the account and network shapes) is listed once, then referred to.
 */
export function configReference(): ReferenceRow[] {
  const rows: ReferenceRow[] = [];
  const seen = new Map<Node, string>();

  const visit = (schema: Node, path: string, required: boolean) => {
    let node = schema;
    let fallback: string = required ? "required" : "none";
    if (node.type === "optional") {
      fallback = node.default === undefined ? "none" : JSON.stringify(node.default);
      node = node.wrapped as Node;
    }
    const descriptions: string[] = [];
    while (node.pipe) {
      for (const action of node.pipe.slice(1)) if (action.type === "description" && action.description) descriptions.push(action.description);
      node = node.pipe[0];
    }
    const description = descriptions.join(" ");
    const firstSeen = seen.get(node);
    if (firstSeen) {
      rows.push({ path, type: "object", default: fallback, description: `${description} Same fields as \`${firstSeen}\`.`.trim() });
      return;
    }
    if (node.type === "strict_object" || node.type === "object") {
      if (path) {
        seen.set(node, path);
        rows.push({ path, type: "object", default: fallback, description });
      }
      for (const [key, child] of Object.entries(node.entries ?? {})) visit(child, path ? `${path}.${key}` : key, child.type !== "optional");
      return;
    }
    if (node.type === "variant") {
      // A choice of shapes (the backend): one row per field, saying which shape it belongs to.
      rows.push({ path, type: "object", default: fallback, description });
      const shapes = (node.options ?? []).map((o) => unwrap(o as Node));
      const discriminator = shapes.map((shape) => (unwrap(shape.entries?.type as Node).literal as string) ?? "?");
      rows.push({
        path: `${path}.type`,
        type: discriminator.map((d) => `\`"${d}"\``).join(" \\| "),
        default: "required",
        description: shapes.map((shape) => descriptionOf(shape.entries?.type as Node)).join(" "),
      });
      shapes.forEach((shape, i) => {
        for (const [key, child] of Object.entries(shape.entries ?? {})) {
          if (key === "type") continue;
          const before = rows.length;
          visit(child, `${path}.${key}`, child.type !== "optional");
          for (const row of rows.slice(before)) Object.assign(row, { description: `With \`"${discriminator[i]}"\`: ${row.description}` });
        }
      });
      return;
    }
    if (node.type === "array" && node.item && unwrap(node.item).type === "strict_object") {
      rows.push({ path, type: "list of objects", default: fallback, description });
      // The list's row describes the items; list their fields only.
      for (const [key, child] of Object.entries(unwrap(node.item).entries ?? {})) visit(child, `${path}[].${key}`, child.type !== "optional");
      return;
    }
    rows.push({ path, type: typeName(node), default: fallback, description });
  };
  visit(ConfigSchema as unknown as Node, "", true);
  return rows;
}

function descriptionOf(node: Node): string {
  const texts: string[] = [];
  for (let n: Node | undefined = node; n; n = n.wrapped ?? n.pipe?.[0]) {
    for (const action of n.pipe?.slice(1) ?? []) if (action.type === "description" && action.description) texts.push(action.description);
    if (!n.wrapped && !n.pipe) break;
  }
  return texts.join(" ");
}

function unwrap(node: Node): Node {
  let n = node;
  while (n.wrapped || n.pipe) n = n.wrapped ?? (n.pipe as Node[])[0];
  return n;
}

function typeName(node: Node): string {
  switch (node.type) {
    case "picklist": {
      // JSON as the config file takes it: numbers bare, strings quoted.
      const options = (node.options ?? []).map((o) => `\`${JSON.stringify(o)}\``);
      return options.length > 25 ? `one of ${options.length} values: ${options[0]} … ${options[options.length - 1]}` : options.join(" \\| ");
    }
    case "array": {
      const item = unwrap(node.item as Node);
      return item.type === "picklist" ? `list of ${typeName(item)}` : `list of ${typeName(item)}s`;
    }
    case "record":
      return "map of strings";
    default:
      return node.type;
  }
}

/** The reference as a Markdown table. */
export function configReferenceTable(rows: readonly ReferenceRow[] = configReference()): string {
  const lines = ["| field | type | default | meaning |", "|---|---|---|---|"];
  for (const row of rows) {
    const def = row.default === "required" || row.default === "none" ? row.default : `\`${row.default}\``;
    lines.push(`| \`${row.path}\` | ${row.type} | ${def} | ${row.description.replace(/\|/g, "\\|")} |`);
  }
  return `${lines.join("\n")}\n`;
}

export const REFERENCE_START = "<!-- config-reference:start (npm run docs) -->";
export const REFERENCE_END = "<!-- config-reference:end -->";

/** `markdown` with the reference table placed between the markers. */
export function withReference(markdown: string, table: string = configReferenceTable()): string {
  const start = markdown.indexOf(REFERENCE_START);
  const end = markdown.indexOf(REFERENCE_END);
  if (start < 0 || end < start) throw new Error(`Markers ${REFERENCE_START} and ${REFERENCE_END} not found.`);
  return `${markdown.slice(0, start + REFERENCE_START.length)}\n${table}${markdown.slice(end)}`;
}
