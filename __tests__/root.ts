import { join } from "node:path";

/** The project's root: suites that read its files import this alone, not helpers.ts, which loads the whole app. */
export const ROOT = join(__dirname, "..");
