import { guardedPhrase, neverAppliesPhrase } from "./traffic-roles";

/** The three lifecycle commands. */
export type LifecycleCommand = "deploy" | "plan" | "destroy";

export interface LifecycleArgs {
  readonly autoApprove: boolean;
  readonly detailedExitcode: boolean;
  /** Consumers named with --consumer; empty means every stack. */
  readonly consumers: readonly string[];
  readonly parallelism: number;
  /** Traffic-bearing changes deploy may apply, as `STACK:ADDRESS` or `ADDRESS` (--allow-replace). */
  readonly allowReplace: readonly string[];
  /** Deploy applies every traffic-bearing change that can apply (--allow-outage). */
  readonly allowOutage: boolean;
  /** Deploy applies the saved plans of `npm run plan` instead of planning (--plans). */
  readonly plans: boolean;
  /** How long Terraform waits for a state lock another run holds (-lock-timeout). */
  readonly lockTimeout: string;
  readonly help: boolean;
}

/** How many stacks run at once unless --parallelism says otherwise. */
export const DEFAULT_PARALLELISM = 4;

/** How long Terraform waits for another run's state lock unless --lock-timeout says otherwise. */
const DEFAULT_LOCK_TIMEOUT = "5m";

/** Wrong use of a lifecycle command; the message says what to do. */
export class LifecycleUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LifecycleUsageError";
  }
}

/** One flag of the lifecycle commands. */
export interface LifecycleFlag {
  /** The flag and its argument, as typed. */
  readonly flag: string;
  readonly commands: readonly LifecycleCommand[];
  readonly what: string;
}

/**
 * Every flag of the lifecycle commands, in usage order: the one source of
 * each command's usage line, the README's flags table (npm run docs) and
 * the check that `help` lists them all.
 */
export const LIFECYCLE_FLAGS: readonly LifecycleFlag[] = [
  { flag: "--auto-approve", commands: ["deploy", "destroy"], what: "apply without asking (needed without a terminal)" },
  { flag: "--plans", commands: ["deploy"], what: "apply exactly the saved plans of `npm run plan` (`plans/`), refusing stale ones" },
  {
    flag: "--allow-replace STACK:ADDRESS ...",
    commands: ["deploy"],
    what: "apply this deletion or replacement of a traffic-bearing resource, which the guard refuses otherwise (a bare ADDRESS matches in any stack)",
  },
  { flag: "--allow-outage", commands: ["deploy"], what: "apply every such change (a replaced NLB, VPC or subnet, or a removed IPv6 block, never applies)" },
  { flag: "--detailed-exitcode", commands: ["plan"], what: "exit 0 if no stack would change, 2 if any would (a waiting stack counts), 1 on error" },
  {
    flag: "--consumer NAME ...",
    commands: ["deploy", "plan", "destroy"],
    what: "only these consumers' stacks (deploy and plan: with the shared stacks they need)",
  },
  { flag: "--parallelism N", commands: ["deploy", "plan", "destroy"], what: `stacks at once (default ${DEFAULT_PARALLELISM})` },
  {
    flag: "--lock-timeout D",
    commands: ["deploy", "plan", "destroy"],
    what: `wait this long for a state lock another run holds (default ${DEFAULT_LOCK_TIMEOUT})`,
  },
];

const flagsOf = (command: LifecycleCommand) =>
  LIFECYCLE_FLAGS.filter((f) => f.commands.includes(command))
    .map((f) => `[${f.flag}]`)
    .join(" ");

/** The README's flags table, generated from `LIFECYCLE_FLAGS`. */
export function flagsTable(): string {
  const commands: LifecycleCommand[] = ["deploy", "plan", "destroy"];
  const rows = LIFECYCLE_FLAGS.map((f) => `| \`${f.flag}\` | ${commands.map((c) => (f.commands.includes(c) ? "✓" : "")).join(" | ")} | ${f.what} |`);
  return ["| flag | deploy | plan | destroy | what it does |", "|---|---|---|---|---|", ...rows].join("\n");
}

/** `text` in lines of at most `width` characters after `first`, the next lines indented as far. */
function wrapped(text: string, width: number, first = ""): string {
  const lines: string[] = [];
  for (const word of text.split(" ")) {
    const line = lines[lines.length - 1];
    if (line !== undefined && line.length + word.length + 1 <= width) lines[lines.length - 1] = `${line} ${word}`;
    else lines.push(word);
  }
  return lines.map((line, i) => (i === 0 ? first : " ".repeat(first.length)) + line).join("\n");
}

const WHAT: Record<LifecycleCommand, string> = {
  deploy: `Synthesizes, plans every stack, then applies them in dependency order
(bootstrap, provider, consumers, acceptance, private DNS), wiring each
producer's outputs into the next stack's variables. Shows each plan and asks
before applying, unless --auto-approve. Stacks with nothing to change are left
alone, so a second run changes nothing.
${wrapped(
  `Before anything is applied, every plan is checked: deleting or replacing ${guardedPhrase()} interrupts the consumers' traffic, ` +
    "and deploy refuses it, naming each, unless allowed:",
  78,
)}
  --allow-replace STACK:ADDRESS   apply this one (repeatable; a bare ADDRESS
                                  matches it in any stack)
${wrapped(`apply all of them (${neverAppliesPhrase()} never applies: AWS refuses to delete what is in use)`, 44, "  --allow-outage                  ")}
  --plans                         apply exactly the saved plans npm run plan
                                  wrote (plans/), refusing any that is stale`,
  plan: `Synthesizes, then saves a plan of every stack with its wired variables and
writes the review sheet: plans/<stack>.tfplan, plans/<stack>.json (terraform
show -json) and plans/summary.md. A stack whose producer is not deployed yet
is reported as "waiting on <stack>".
  --detailed-exitcode   exit 0 if no stack would change, 2 if any would, 1 on error`,
  destroy: `Destroys in reverse order (private DNS, acceptance, consumers, provider),
each stack with its wired variables. The state buckets are kept. With
--consumer, only that consumer's stacks: its connection is rejected and its
endpoint deleted; the other consumers are untouched.`,
};

export function usage(command: LifecycleCommand): string {
  return `Usage: npm run ${command} -- ${flagsOf(command)}

${WHAT[command]}

  --consumer NAME ...   only these consumers' stacks${command === "destroy" ? "" : " (and the shared stacks they need)"}
  --parallelism N       stacks run at once (default ${DEFAULT_PARALLELISM})
  --lock-timeout D      wait this long for a state lock another run holds
                        (Terraform duration, default ${DEFAULT_LOCK_TIMEOUT})
${command === "plan" ? "" : "  --auto-approve        apply without asking (needed without a terminal)\n"}
The config is PRIVATELINK_CONFIG (default config/example.json).`;
}

export function parseLifecycleArgs(command: LifecycleCommand, argv: readonly string[]): LifecycleArgs {
  if (!["deploy", "plan", "destroy"].includes(command)) throw new LifecycleUsageError(`Unknown command ${command}; expected deploy, plan or destroy.`);
  const consumers: string[] = [];
  let autoApprove = false;
  let detailedExitcode = false;
  let parallelism = DEFAULT_PARALLELISM;
  let lockTimeout = DEFAULT_LOCK_TIMEOUT;
  let allowOutage = false;
  let plans = false;
  const allowReplace: string[] = [];
  let help = false;
  const fail = (message: string) => {
    throw new LifecycleUsageError(`${message}\n\n${usage(command)}`);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") help = true;
    else if (arg === "--auto-approve" && command !== "plan") autoApprove = true;
    else if (arg === "--detailed-exitcode" && command === "plan") detailedExitcode = true;
    else if (arg === "--allow-outage" && command === "deploy") allowOutage = true;
    else if (arg === "--plans" && command === "deploy") plans = true;
    else if (arg === "--allow-replace" && command === "deploy") {
      const address = argv[++i];
      if (!address || address.startsWith("-") || !/^([a-z0-9-]+:)?[A-Za-z0-9_.\-[\]"]+$/.test(address))
        fail(
          `--allow-replace needs a resource address as the review sheet prints it (STACK:ADDRESS); ` +
            `got ${address === undefined ? "nothing" : JSON.stringify(address)}.`,
        );
      allowReplace.push(address);
    } else if (arg === "--lock-timeout") {
      const value = argv[++i];
      if (!value || !/^[0-9]+(ms|s|m|h)$/.test(value))
        fail(`--lock-timeout needs a duration such as 30s, 5m or 1h; got ${value === undefined ? "nothing" : JSON.stringify(value)}.`);
      lockTimeout = value;
    } else if (arg === "--consumer") {
      const names: string[] = [];
      while (i + 1 < argv.length && !argv[i + 1].startsWith("-")) names.push(argv[++i]);
      if (names.length === 0) fail("--consumer needs a consumer name.");
      consumers.push(...names);
    } else if (arg === "--parallelism") {
      const value = argv[++i];
      if (!value || !/^[1-9][0-9]*$/.test(value))
        fail(`--parallelism needs a whole number of at least 1; got ${value === undefined ? "nothing" : JSON.stringify(value)}.`);
      parallelism = Number(value);
    } else fail(`Unknown option ${arg} for npm run ${command}.`);
  }
  return {
    autoApprove,
    detailedExitcode,
    consumers: [...new Set(consumers)],
    parallelism,
    allowReplace: [...new Set(allowReplace)],
    allowOutage,
    plans,
    lockTimeout,
    help,
  };
}

/** The command that picks up where a failed run stopped. */
export function resumeHint(command: LifecycleCommand, failedConsumers: readonly (string | undefined)[]): string {
  const flag = command === "plan" ? "" : " --auto-approve";
  const consumers = [...new Set(failedConsumers)];
  // A shared stack (bootstrap or provider) failed: everything after it must run again.
  if (consumers.includes(undefined) || consumers.length === 0)
    return `Fix the cause, then run npm run ${command} --${flag} again; stacks already done show no changes.`;
  return `Fix the cause, then resume with: npm run ${command} --${flag} --consumer ${consumers.join(" ")}`;
}
