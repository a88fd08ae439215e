import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigSchema } from "../src/config/schema";
import { configJsonSchemaText } from "../src/docgen/json-schema";
import { CONFIG_REFERENCE_PATH, REFERENCE_END, REFERENCE_START, configReference, configReferenceTable, withReference } from "../src/docgen/config-reference";
import { ROOT } from "./root";

describe("config reference", () => {
  const rows = configReference();

  test("lists every top-level field and every field of the nested sections", () => {
    const paths = rows.map((r) => r.path);
    expect(paths).toEqual(expect.arrayContaining(Object.keys(ConfigSchema.entries)));
    expect(paths).toEqual(
      expect.arrayContaining([
        "provider.account.id",
        "provider.network.azIds",
        "provider.service.port",
        "consumers[].name",
        "provider.network.awsEndpoints[].policy.buckets",
      ]),
    );
  });

  test("every field has a description, a type and a default column", () => {
    for (const row of rows)
      expect({ path: row.path, ok: row.description.length > 0 && row.type.length > 0 && row.default.length > 0 }).toEqual({ path: row.path, ok: true });
  });

  test("types and defaults come from the schema", () => {
    const byPath = Object.fromEntries(rows.map((r) => [r.path, r]));
    expect(byPath["provider.service.instanceCount"]).toMatchObject({ type: "number", default: "2" });
    expect(byPath["provider.service.port"]).toMatchObject({ type: "number", default: "none" });
    expect(byPath["provider.service.listeners[].protocol"]).toMatchObject({ type: '`"TCP"` \\| `"TLS"`', default: '"TCP"' });
    expect(byPath["provider.network.flowLogs"]).toMatchObject({ default: "(true for a VPC the stack creates)" });
    expect(byPath["wiring.mode"]).toMatchObject({ type: '`"variables"` \\| `"remote-state"` \\| `"tfe-outputs"`', default: '"variables"' });
    expect(byPath["consumers[].account"].description).toContain("Same fields as `provider.account`.");
  });

  test("docs/configuration.md carries the current table (run npm run docs), and the README links it", () => {
    const page = readFileSync(join(ROOT, CONFIG_REFERENCE_PATH), "utf8");
    expect(withReference(page)).toBe(page);
    expect(page).toContain(configReferenceTable());
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).toContain("[docs/configuration.md](docs/configuration.md)");
  });

  test("refuses a document without the markers", () => {
    expect(() => withReference("# none")).toThrow(`Markers ${REFERENCE_START} and ${REFERENCE_END} not found.`);
  });
});

describe("config/schema.json, the JSON Schema for editors", () => {
  const onDisk = readFileSync(join(ROOT, "config", "schema.json"), "utf8");
  const schema = JSON.parse(onDisk) as { properties: Record<string, unknown>; additionalProperties: boolean; required: string[] };

  test("is current (run npm run docs)", () => {
    expect(onDisk).toBe(configJsonSchemaText());
  });

  test("has every top-level field of the config, refuses others, and requires what the schema requires", () => {
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(ConfigSchema.entries).sort());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required.sort()).toEqual(["consumers", "project", "provider"]);
  });

  test("the example configs point editors at it", () => {
    for (const file of ["example.json", "emulator.json"]) {
      expect(JSON.parse(readFileSync(join(ROOT, "config", file), "utf8")).$schema).toBe("./schema.json");
    }
  });
});
