import { flagsTable } from "../lifecycle/args";

const FLAGS_START = "<!-- flags:start (npm run docs) -->";
const FLAGS_END = "<!-- flags:end -->";

/** `markdown` with the lifecycle's flags table (from its own usage source) between the flags markers. */
export function withFlags(markdown: string, table: string = flagsTable()): string {
  const start = markdown.indexOf(FLAGS_START);
  const end = markdown.indexOf(FLAGS_END);
  if (start < 0 || end < start) throw new Error(`Markers ${FLAGS_START} and ${FLAGS_END} not found.`);
  return `${markdown.slice(0, start + FLAGS_START.length)}\n${table}\n${markdown.slice(end)}`;
}
