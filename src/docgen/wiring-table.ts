import type { PrivateLinkConfig } from "../config/types";
import { wiringPlan } from "../wiring/contract";

/** The pages that hold the table of what crosses between stacks. */
export const WIRING_DOC_PATHS = ["README.md", "docs/wiring.md"] as const;

const WIRING_START = "<!-- wiring:start (npm run docs) -->";
const WIRING_END = "<!-- wiring:end -->";

/**
 * The wiring contract as a table: every output→variable hop the config's
 * topology has (give it a config with every option), with each consumer's
 * name written `<name>`, when the hop exists, and what a valid value looks
 * like. Written from `wiringPlan`, so the docs cannot drift from it.
 */
export function wiringTable(config: PrivateLinkConfig): string {
  const general = (stack: string) => config.consumers.reduce((text, c) => text.replace(new RegExp(`-${c.name}$`), "-<name>"), stack);
  const rows = new Map<string, string>();
  for (const hop of wiringPlan(config)) {
    const from = `\`${general(hop.fromStack)}.${hop.value.name}\``;
    const row = `| ${from} | \`${general(hop.stack)}\`${hop.when ? ` (${hop.when})` : ""} | ${hop.value.shape} |`;
    rows.set(`${from} ${general(hop.stack)}`, row);
  }
  return ["| producer output | variable of | validation |", "|---|---|---|", ...rows.values()].join("\n");
}

/** `markdown` with the wiring table between the wiring markers. */
export function withWiringTable(markdown: string, table: string): string {
  const start = markdown.indexOf(WIRING_START);
  const end = markdown.indexOf(WIRING_END);
  if (start < 0 || end < start) throw new Error(`Markers ${WIRING_START} and ${WIRING_END} not found.`);
  return `${markdown.slice(0, start + WIRING_START.length)}\n${table}\n${markdown.slice(end)}`;
}
