import { ConfigSchema } from "./schema";

/**
 * Reading the config schema as data: the one walker behind the problem
 * messages ("accepted fields: …", "missing required field; …") and the
 * generated config reference. It sees valibot schemas as the plain objects
 * they are; only the properties used here are typed.
 */
export interface SchemaNode {
  readonly type: string;
  readonly kind?: string;
  /** Inside `optional`. */
  readonly wrapped?: SchemaNode;
  /** The default of an `optional`. */
  readonly default?: unknown;
  /** A `pipe`: the schema first, then its actions (checks, descriptions, metadata). */
  readonly pipe?: readonly SchemaNode[];
  readonly description?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly entries?: Readonly<Record<string, SchemaNode>>;
  readonly item?: SchemaNode;
  readonly options?: readonly unknown[];
  readonly literal?: unknown;
  readonly message?: unknown;
  readonly expects?: string;
}

/** The config's root schema, as a node. */
export const CONFIG_ROOT = ConfigSchema as unknown as SchemaNode;

/** What a field's wrappers say about it: descriptions and metadata of its pipes, and whether it is optional. */
export interface FieldInfo {
  /** The schema inside `optional` and `pipe`. */
  readonly node: SchemaNode;
  readonly optional: boolean;
  /** The schema default, when there is one. */
  readonly default?: unknown;
  /** Descriptions, outermost first, joined by a space. */
  readonly description: string;
  /** Metadata of the pipes, merged. */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** A field's schema unwrapped from `optional` and `pipe`, with what those wrappers carried. */
export function fieldInfo(schema: SchemaNode): FieldInfo {
  let node = schema;
  let optional = false;
  let fallback: unknown;
  const descriptions: string[] = [];
  const metadata: Record<string, unknown> = {};
  for (;;) {
    if (node.type === "optional" && node.wrapped) {
      optional = true;
      if (fallback === undefined) fallback = node.default;
      node = node.wrapped;
    } else if (node.pipe && node.pipe[0] !== node) {
      for (const action of node.pipe.slice(1)) {
        if (action.type === "description" && action.description) descriptions.push(action.description);
        if (action.type === "metadata" && action.metadata) Object.assign(metadata, action.metadata);
      }
      node = node.pipe[0];
    } else {
      return { node, optional, default: fallback, description: descriptions.join(" "), metadata };
    }
  }
}

/** The schema inside `optional` and `pipe`. */
export function unwrap(schema: SchemaNode): SchemaNode {
  return fieldInfo(schema).node;
}

/**
 * The fields of an object node. Of a variant (the backend): the shape whose
 * `type` the given object names, else the first shape that has `key`.
 */
export function entriesOf(node: SchemaNode, key?: string, given?: unknown): Readonly<Record<string, SchemaNode>> | undefined {
  if (node.entries) return node.entries;
  const shapes = (node.options ?? []).map((o) => unwrap(o as SchemaNode));
  const named = given !== null && typeof given === "object" ? (given as { type?: unknown }).type : undefined;
  const chosen =
    shapes.find((s) => s.entries?.type && unwrap(s.entries.type).literal === named) ?? shapes.find((s) => key !== undefined && s.entries && key in s.entries);
  return chosen?.entries;
}

/** The (unwrapped) schema node of the field at `path`, e.g. `["consumers", 0, "network"]`. */
export function schemaAt(path: readonly PropertyKey[], root: SchemaNode = CONFIG_ROOT): SchemaNode {
  let node = unwrap(root);
  for (const key of path) {
    const next = typeof key === "number" ? node.item : entriesOf(node, String(key))?.[String(key)];
    node = unwrap(next ?? { type: "unknown" });
  }
  return node;
}

/** What a field accepts, from its schema's own message. */
export function acceptedBy(node: SchemaNode): string {
  if (typeof node.message === "string") return node.message;
  if (node.entries) return `expected an object with fields ${Object.keys(node.entries).join(", ")}`;
  return `expected ${node.expects ?? "a value"}`;
}

/** The object-like schema types, which valibot lets a list through as an object with keys 0, 1, … */
const OBJECT_TYPES = new Set(["object", "strict_object", "loose_object", "variant", "record"]);

/**
 * Every path of `value` where the schema asks for an object and the config
 * gives a list: valibot takes `[]` as an empty object, so `alarms: []`
 * would turn alarms on with every default. Walks objects' fields and lists'
 * items; `path` is the dotted path of `value`, "" at the root.
 */
export function listsForObjects(value: unknown, node: SchemaNode = CONFIG_ROOT, path = ""): { path: string; value: unknown; node: SchemaNode }[] {
  const inner = unwrap(node);
  if (inner.type === "array" && inner.item && Array.isArray(value)) {
    const item = inner.item;
    return value.flatMap((x, i) => listsForObjects(x, item, `${path}[${i}]`));
  }
  if (!OBJECT_TYPES.has(inner.type)) return [];
  if (Array.isArray(value)) return [{ path, value, node: inner }];
  if (value === null || typeof value !== "object") return [];
  const fields = inner.type === "record" ? undefined : entriesOf(inner, undefined, value);
  return Object.entries(fields ?? {}).flatMap(([key, child]) =>
    key in value ? listsForObjects((value as Record<string, unknown>)[key], child, path ? `${path}.${key}` : key) : [],
  );
}
