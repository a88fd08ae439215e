import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { WireError } from "./wire";

/** Default var file of a stack, fed by `npm run wire` and by the lifecycle commands. */
export const varFileOf = (stack: string): string => `vars/${stack}.tfvars.json`;

/** Reads a JSON file written by a person or a tool; a UTF-8 byte-order mark is allowed. */
export function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw new WireError(`${what} ${file} is a directory, not a file.`);
    text = readFileSync(file, "utf8");
  } catch (err) {
    if (err instanceof WireError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new WireError(`Cannot read ${what} ${file}: ${code === "ENOENT" ? "it does not exist" : (err as Error).message}.`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    throw new WireError(`${what} ${file} is not valid JSON (${(err as Error).message}); it was left as it is.`);
  }
}

/**
 * Writes `content` to `file` through a temporary file and a rename, so a
 * failed write (a full disk) never leaves half a file behind.
 */
export function writeFileAtomic(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, content);
    renameSync(tmp, file);
  } catch (err) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The temporary file could not even be made; nothing to clean up.
    }
    throw new WireError(`Cannot write ${file}: ${(err as Error).message}.`);
  }
}

/** Merges `vars` into the var file (a JSON object of variable values), atomically. */
export function mergeVarFile(file: string, vars: Readonly<Record<string, unknown>>): void {
  const existing = existsSync(file) ? readJsonFile(file, "Var file") : {};
  if (existing === null || typeof existing !== "object" || Array.isArray(existing)) {
    throw new WireError(`Var file ${file} must hold a JSON object of variable values; it was left as it is.`);
  }
  writeFileAtomic(file, `${JSON.stringify({ ...(existing as Record<string, unknown>), ...vars }, null, 2)}\n`);
}
