import * as v from "valibot";

/** The value at a key path of untyped JSON; undefined where the path leads nowhere. */
export function at(value: unknown, ...keys: (string | number)[]): unknown {
  return keys.reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[key] : undefined), value);
}

/** A part of the config parsed on its own; undefined when it does not type-check (the whole-config parse reports why). */
export function part<T extends v.GenericSchema>(schema: T, value: unknown): v.InferOutput<T> | undefined {
  const result = v.safeParse(schema, value);
  return result.success ? result.output : undefined;
}
