/**
 * Config problems and how they are shown. Every problem names the field path,
 * the value given and what is accepted; `ConfigError` carries all of them so
 * one run reports everything that is wrong.
 */

export interface ConfigProblem {
  /** Dotted path of the field, e.g. `consumers[0].network.cidr`; empty for the whole file. */
  readonly path: string;
  /** What is wrong and what is accepted. */
  readonly message: string;
  /** The value given; `undefined` when the field is missing. */
  readonly value?: unknown;
}

export class ConfigError extends Error {
  constructor(
    /** The config file the problems were found in. */
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(formatProblems(file, problems));
    this.name = "ConfigError";
  }
}

/** `a.b[0].c` from a list of keys. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "");
}

function showValue(value: unknown): string {
  if (value === undefined) return "nothing (the field is missing)";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatProblems(file: string, problems: readonly ConfigProblem[]): string {
  const lines = problems.map((p) => {
    const where = p.path || "(file)";
    const got = "value" in p ? `; got ${showValue(p.value)}` : "";
    return `  - ${where}: ${p.message}${got}`;
  });
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return `Invalid config ${file}: ${count}\n${lines.join("\n")}\nNothing was synthesized. See "Configuration reference" in README.md.`;
}
