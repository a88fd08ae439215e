import type { IpFamily, ProbeTarget } from "./path";

/**
 * The shell the check runs on a consumer's client instance through SSM Run
 * Command (`AWS-RunShellScript`): a `probe HOST PORT FAMILY` function that
 * resolves the name for the family and opens a TCP connection with a 5 s
 * timeout, printing one line: `probe HOST PORT FAMILY connected MS`,
 * `refused`, `timeout` or `unresolved`. It needs only bash, getent, timeout
 * and GNU date, which Amazon Linux 2023 has. The emulator answers the same
 * calls from its state (emulator/traffic.py).
 */
const PROBE_FUNCTION = [
  "probe() {",
  "  host=$1; port=$2; family=$3",
  '  if [ "$family" = ipv6 ]; then addr=$(getent ahostsv6 "$host" | awk \'$1 !~ /^::ffff:/ { print $1; exit }\')',
  "  else addr=$(getent ahostsv4 \"$host\" | awk '{ print $1; exit }'); fi",
  '  if [ -z "$addr" ]; then echo "probe $host $port $family unresolved"; return; fi',
  "  start=$(date +%s%N)",
  '  timeout 5 bash -c \'exec 3<>"/dev/tcp/$0/$1"\' "$addr" "$port" 2>/dev/null; code=$?',
  '  if [ "$code" -eq 0 ]; then echo "probe $host $port $family connected $(( ($(date +%s%N) - start) / 1000000 ))"',
  '  elif [ "$code" -eq 124 ]; then echo "probe $host $port $family timeout"',
  '  else echo "probe $host $port $family refused"; fi',
  "}",
];

/** The script's lines (SSM's `commands` parameter) that probe every target in turn. */
export function probeCommands(targets: readonly ProbeTarget[]): string[] {
  return [...PROBE_FUNCTION, ...targets.map((t) => `probe ${t.name} ${t.port} ${t.family}`)];
}

/** What one probe found. */
export interface ProbeResult {
  readonly name: string;
  readonly port: number;
  readonly family: IpFamily;
  /** `connected`, `refused`, `timeout`, `unresolved`, or `no answer` when the script printed no line for it. */
  readonly result: string;
  /** Milliseconds to connect, when it connected. */
  readonly ms?: number;
}

const LINE = /^probe (\S+) (\d+) (ipv4|ipv6) (connected (\d+)|refused|timeout|unresolved)$/;

/** Each target's result from the script's output, in the targets' order; a target without a line gets `no answer`. */
export function parseProbeOutput(output: string, targets: readonly ProbeTarget[]): ProbeResult[] {
  const found = new Map<string, ProbeResult>();
  for (const line of output.split("\n")) {
    const m = LINE.exec(line.trim());
    if (!m) continue;
    const [, name, port, family, result, ms] = m;
    found.set(`${name} ${port} ${family}`, {
      name,
      port: Number(port),
      family: family as IpFamily,
      result: ms ? "connected" : result,
      ...(ms ? { ms: Number(ms) } : {}),
    });
  }
  return targets.map((t) => found.get(`${t.name} ${t.port} ${t.family}`) ?? { name: t.name, port: t.port, family: t.family, result: "no answer" });
}
