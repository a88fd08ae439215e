import { trafficRolesTable } from "../lifecycle/traffic-roles";

/** The page that holds the table of what the deploy guard protects. */
export const GUARD_DOC_PATH = "docs/lifecycle.md";

const GUARD_START = "<!-- traffic-roles:start (npm run docs) -->";
const GUARD_END = "<!-- traffic-roles:end -->";

/** `markdown` with the deploy guard's table (from TRAFFIC_ROLES) between the traffic-roles markers. */
export function withTrafficRoles(markdown: string, table: string = trafficRolesTable()): string {
  const start = markdown.indexOf(GUARD_START);
  const end = markdown.indexOf(GUARD_END);
  if (start < 0 || end < start) throw new Error(`Markers ${GUARD_START} and ${GUARD_END} not found.`);
  return `${markdown.slice(0, start + GUARD_START.length)}\n${table}\n${markdown.slice(end)}`;
}
