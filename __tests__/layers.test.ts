import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { ROOT } from "./root";

/**
 * The parts of src/ from the ground up. A part imports only parts on lower
 * floors (or itself); type-only imports aside, since they vanish at build.
 * Written out here, not read from the code, so that a new arrow up is a
 * failing test and a deliberate edit of this list.
 */
const FLOORS: readonly (readonly string[])[] = [
  ["aws-names.ts", "token-stack-traces.ts", "synth-output.ts", "hcl"],
  ["config"],
  ["wiring"],
  ["state"],
  ["constructs"],
  ["stacks"],
  ["app.ts"],
  ["lifecycle", "check"],
  ["docgen"],
  ["cli"],
];

/** The part of src/ a path inside it belongs to: its folder, or the file itself at the top. */
const partOf = (pathInSrc: string): string => pathInSrc.split("/")[0];

const floorOf = (part: string): number => FLOORS.findIndex((floor) => floor.includes(part));

/** Every import and re-export of a module's text, with whether it is type-only. */
function importsOf(text: string): { from: string; typeOnly: boolean }[] {
  return [...text.matchAll(/^(?:import|export)\s+(type\s+)?(?:[^"';]*?\s+from\s+)?"([^"]+)";/gm)].map((m) => ({ from: m[2], typeOnly: Boolean(m[1]) }));
}

/** Arrows that point sideways or up between parts, as `from -> to` with the file; files given relative to src/. */
function arrowsUp(files: Readonly<Record<string, string>>): string[] {
  const found: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    const part = partOf(file);
    if (floorOf(part) < 0) {
      found.push(`${file}: ${part} is on no floor`);
      continue;
    }
    for (const { from, typeOnly } of importsOf(text)) {
      if (!from.startsWith(".") || typeOnly) continue;
      const target = normalize(join(dirname(file), from));
      if (target.startsWith("..")) {
        found.push(`${file}: imports ${from}, outside src/`);
        continue;
      }
      const to = partOf(target.includes("/") ? target : `${target}.ts`);
      if (to === part) continue;
      if (floorOf(to) < 0 || floorOf(to) >= floorOf(part)) found.push(`${file}: ${part} -> ${to} (${from})`);
    }
  }
  return found;
}

function sourcesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) out[relative(dir, path)] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return out;
}

describe("the parts of src/ form floors that import only downwards", () => {
  test("no module imports a part on its own floor or above", () => {
    const sources = sourcesOf(join(ROOT, "src"));
    expect(Object.keys(sources).length).toBeGreaterThan(50);
    expect(arrowsUp(sources)).toEqual([]);
  });

  test("an import up a floor, sideways to a peer, out of src/ or from a part on no floor is found", () => {
    expect(
      arrowsUp({
        "config/validate.ts": 'import { stackNames } from "../wiring/stack-graph";\nimport type { StackNode } from "../wiring/stack-graph";',
        "check/run.ts": 'import {\n  stepsOf,\n} from "../lifecycle/steps";',
        "wiring/contract.ts": 'export { formatPath } from "../config/errors";\nimport { x } from "../../scripts/x";',
        "extra/thing.ts": "",
        "app.ts": 'import { ProviderStack } from "./stacks/provider-stack";\nimport { run } from "./cli/run";',
      }),
    ).toEqual([
      "config/validate.ts: config -> wiring (../wiring/stack-graph)",
      "check/run.ts: check -> lifecycle (../lifecycle/steps)",
      "wiring/contract.ts: imports ../../scripts/x, outside src/",
      "extra/thing.ts: extra is on no floor",
      "app.ts: app.ts -> cli (./cli/run)",
    ]);
  });
});
