import { type ConsumerReport, allPassed } from "./check";

/** A probe's result as the table shows it: `connected in 3 ms`, `timed out`, … */
function resultText(result: string, ms: number | undefined): string {
  if (result === "connected") return `connected in ${ms ?? 0} ms`;
  return { timeout: "timed out", refused: "refused", unresolved: "no DNS record", "no answer": "no answer" }[result] ?? result;
}

/** The check as one table (consumer, target, port, family, result, healthy targets), then each failure's first blocking component. */
export function reportTable(reports: readonly ConsumerReport[]): string {
  const header = ["consumer", "target", "port", "family", "result", "healthy"];
  const rows = reports.flatMap((r) =>
    r.probes.map((p) => [r.consumer, `${p.target} (${p.kind})`, String(p.port), p.family, resultText(p.result, p.ms), p.healthy]),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  const out = rows.length ? [line(header), ...rows.map(line)] : [];
  const states = reports
    .filter((r) => r.endpointId)
    .map((r) => `${r.consumer}: endpoint ${r.endpointId} ${r.endpointState ?? "(not read)"}, client ${r.clientInstanceId ?? "(none)"}`);
  const failures = reports.flatMap((r) =>
    r.probes
      .filter((p) => p.blockedBy)
      .map((p) => `${r.consumer} ${p.target}:${p.port} ${p.family}: blocked by the ${p.blockedBy?.component} ${p.blockedBy?.id}: ${p.blockedBy?.reason}`),
  );
  const errors = reports.flatMap((r) => (r.error ? [r.error] : []));
  const unprobed = errors.length ? `${errors.length} consumer${errors.length === 1 ? "" : "s"} could not be probed` : "";
  const verdict = allPassed(reports)
    ? `All ${rows.length} probes connected.`
    : rows.length === 0
      ? `No probe ran${unprobed ? `: ${unprobed}` : ""}.`
      : `${failures.length} of ${rows.length} probes failed${unprobed ? `; ${unprobed}` : ""}.`;
  return [
    ...states,
    ...(states.length ? [""] : []),
    ...out,
    ...(failures.length ? ["", "First blocking component of each failure:", ...failures.map((f) => `  ${f}`)] : []),
    ...(errors.length ? ["", ...errors] : []),
    "",
    verdict,
  ].join("\n");
}

/** The same as JSON, for scripts. */
export function reportJson(reports: readonly ConsumerReport[]): string {
  return JSON.stringify({ ok: allPassed(reports), consumers: reports }, null, 2);
}
