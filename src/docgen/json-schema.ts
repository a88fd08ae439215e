import { toJsonSchema } from "@valibot/to-json-schema";
import { ConfigSchema } from "../config/schema";

/** Where `npm run docs` writes it; the example configs point at it with `$schema`. */
export const CONFIG_JSON_SCHEMA_PATH = "config/schema.json";

/**
 * The config's JSON Schema, from the same valibot schema the app validates
 * with, for editors to check and complete config files (`$schema` in
 * config/example.json). It carries types, formats, choices, defaults and
 * descriptions; checks written as code (CIDR math, the rules across fields)
 * stay with the app, which reports them at synth.
 */
function configJsonSchema(): Record<string, unknown> {
  const schema = toJsonSchema(ConfigSchema, { errorMode: "ignore", typeMode: "input" }) as Record<string, unknown>;
  return { ...schema, title: "privatelink-cdktf config", description: "Config of the PrivateLink stacks; see the configuration reference in README.md." };
}

/** The JSON Schema as written to config/schema.json. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
