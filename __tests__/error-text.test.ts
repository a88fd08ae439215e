import { errorText } from "../src/cli/run";
import { ConfigError } from "../src/config/errors";

describe("errorText: what every entry point prints for an error", () => {
  const err = new Error("boom");
  test("the message alone by default, with no stack frames", () => {
    expect(errorText(err, false)).toBe("boom");
  });
  test("the stack trace with DEBUG", () => {
    expect(errorText(err, true)).toMatch(/^Error: boom\n\s+at /);
  });
  test("a config error prints its whole list of problems", () => {
    const config = new ConfigError("c.json", [{ code: "field.missing", path: "project", message: "missing required field" }]);
    expect(errorText(config, false)).toBe(config.message);
    expect(errorText(config, false)).toContain("project: missing required field [field.missing]");
  });
});
