import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The project directory: the nearest directory above `from` with a
 * package.json. The same from a script's source (under jest) and from its
 * compiled copy under dist/.
 */
export function projectRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package.json above ${from}.`);
  }
}
