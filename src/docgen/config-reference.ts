import { CONFIG_ROOT, fieldInfo, type SchemaNode, unwrap } from "../config/schema-walk";

/** One row of the config reference. */
export interface ReferenceRow {
  readonly path: string;
  readonly type: string;
  /** `required`, `none`, the default as JSON, or a derived default in parentheses. */
  readonly default: string;
  readonly description: string;
}

/**
 * Every field of the config, walked from the schema itself: its type, its
 * default (the schema's, or the text of a derived one) and the description
 * the schema carries. A schema met a second time (the account and network
 * shapes) is listed once, then referred to.
 */
export function configReference(): ReferenceRow[] {
  const rows: ReferenceRow[] = [];
  const seen = new Map<SchemaNode, string>();

  const visit = (schema: SchemaNode, path: string) => {
    const info = fieldInfo(schema);
    const { node, description } = info;
    const derived = info.metadata.derivedDefault;
    const fallback =
      info.default !== undefined ? JSON.stringify(info.default) : typeof derived === "string" ? `(${derived})` : info.optional ? "none" : "required";
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
      for (const [key, child] of Object.entries(node.entries ?? {})) visit(child, path ? `${path}.${key}` : key);
      return;
    }
    if (node.type === "variant") {
      // A choice of shapes (the backend): one row per field, saying which shape it belongs to.
      rows.push({ path, type: "object", default: fallback, description });
      const shapes = (node.options ?? []).map((o) => unwrap(o as SchemaNode));
      const discriminator = shapes.map((shape) => String(unwrap(shape.entries?.type ?? { type: "unknown" }).literal ?? "?"));
      rows.push({
        path: `${path}.type`,
        type: discriminator.map((d) => `\`"${d}"\``).join(" \\| "),
        default: "required",
        description: shapes.map((shape) => (shape.entries?.type ? fieldInfo(shape.entries.type).description : "")).join(" "),
      });
      shapes.forEach((shape, i) => {
        for (const [key, child] of Object.entries(shape.entries ?? {})) {
          if (key === "type") continue;
          const before = rows.length;
          visit(child, `${path}.${key}`);
          for (const row of rows.slice(before)) Object.assign(row, { description: `With \`"${discriminator[i]}"\`: ${row.description}` });
        }
      });
      return;
    }
    if (node.type === "array" && node.item && unwrap(node.item).type === "strict_object") {
      rows.push({ path, type: "list of objects", default: fallback, description });
      // The list's row describes the items; list their fields only.
      for (const [key, child] of Object.entries(unwrap(node.item).entries ?? {})) visit(child, `${path}[].${key}`);
      return;
    }
    rows.push({ path, type: typeName(node), default: fallback, description });
  };
  visit(CONFIG_ROOT, "");
  return rows;
}

function typeName(node: SchemaNode): string {
  switch (node.type) {
    case "picklist": {
      // JSON as the config file takes it: numbers bare, strings quoted.
      const options = (node.options ?? []).map((o) => `\`${JSON.stringify(o)}\``);
      return options.length > 25 ? `one of ${options.length} values: ${options[0]} … ${options[options.length - 1]}` : options.join(" \\| ");
    }
    case "array": {
      const item = unwrap(node.item ?? { type: "unknown" });
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
    const derived = row.default.startsWith("(") && row.default.endsWith(")");
    const def = row.default === "required" || row.default === "none" ? row.default : derived ? `_${row.default.slice(1, -1)}_` : `\`${row.default}\``;
    lines.push(`| \`${row.path}\` | ${row.type} | ${def} | ${row.description.replace(/\|/g, "\\|")} |`);
  }
  return `${lines.join("\n")}\n`;
}

/** The page that carries the reference table. */
export const CONFIG_REFERENCE_PATH = "docs/configuration.md";

export const REFERENCE_START = "<!-- config-reference:start (npm run docs) -->";
export const REFERENCE_END = "<!-- config-reference:end -->";

/** `markdown` with the reference table placed between the markers. */
export function withReference(markdown: string, table: string = configReferenceTable()): string {
  const start = markdown.indexOf(REFERENCE_START);
  const end = markdown.indexOf(REFERENCE_END);
  if (start < 0 || end < start) throw new Error(`Markers ${REFERENCE_START} and ${REFERENCE_END} not found.`);
  return `${markdown.slice(0, start + REFERENCE_START.length)}\n${table}${markdown.slice(end)}`;
}
