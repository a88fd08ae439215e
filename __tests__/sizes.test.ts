import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "./root";

// Sizes the next maintainer can read: files of src/ under 300 lines and
// lines under 160 characters (functions under 80 lines: Biome's
// noExcessiveLinesPerFunction, biome.json).

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

const files = sources(join(ROOT, "src")).map((file) => ({ file: relative(ROOT, file), lines: readFileSync(file, "utf8").split("\n") }));

describe("sizes in src/", () => {
  test("the walk finds the sources", () => {
    expect(files.map((f) => f.file)).toContain("src/lifecycle/steps.ts");
  });

  test("no file is longer than 300 lines", () => {
    expect(files.filter((f) => f.lines.length > 300).map((f) => `${f.file}: ${f.lines.length} lines`)).toEqual([]);
  });

  test("no line is longer than 160 characters", () => {
    const long = files.flatMap((f) => f.lines.flatMap((line, i) => (line.length > 160 ? [`${f.file}:${i + 1}: ${line.length}`] : [])));
    expect(long).toEqual([]);
  });
});
