/**
 * The review sheet of `npm run plan`: per stack, what the saved plan would
 * add, change, replace and destroy, with every replacement and deletion
 * listed by address and the attributes that force it. Built from
 * `terraform show -json` of the saved plan.
 */

/** The parts of `terraform show -json <plan>` read here. */
export interface PlanJson {
  readonly resource_changes?: readonly {
    readonly address: string;
    readonly change: { readonly actions: readonly string[]; readonly replace_paths?: readonly (readonly (string | number)[])[] };
    readonly action_reason?: string;
  }[];
  readonly output_changes?: Readonly<Record<string, { readonly actions: readonly string[] }>>;
}

export interface PlanCounts {
  readonly add: number;
  readonly change: number;
  readonly replace: number;
  readonly destroy: number;
  /** Outputs that would be added, changed or removed. */
  readonly outputs: number;
}

/** A replacement or deletion a reviewer must see. */
export interface RiskyChange {
  readonly address: string;
  readonly action: "replace" | "destroy";
  /** Attributes that force the replacement (`replace_paths`), e.g. `ami`, `tags.Name`. */
  readonly forcedBy: readonly string[];
  /** Terraform's `action_reason`, when it gives one. */
  readonly reason?: string;
}

export interface StackReview {
  readonly stack: string;
  /** `planned`, or why there is no plan: `waiting on <stack>`, `failed: …`. */
  readonly status: string;
  readonly counts?: PlanCounts;
  readonly risky: readonly RiskyChange[];
  /** The Terraform Cloud run, for remote plans. */
  readonly runUrl?: string;
  /** Why the plan could not be exported, when it could not. */
  readonly note?: string;
}

const isReplace = (actions: readonly string[]) => actions.includes("create") && actions.includes("delete");

/** `a.b[0].c` from a replace path. */
function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${key}` : key), "");
}

/** Counts and risky changes of one saved plan. */
export function reviewPlan(plan: PlanJson): { counts: PlanCounts; risky: RiskyChange[] } {
  const counts = { add: 0, change: 0, replace: 0, destroy: 0, outputs: 0 };
  const risky: RiskyChange[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const { actions } = rc.change;
    if (isReplace(actions)) {
      counts.replace++;
      risky.push({ address: rc.address, action: "replace", forcedBy: (rc.change.replace_paths ?? []).map(formatPath), reason: rc.action_reason });
    } else if (actions.includes("create")) counts.add++;
    else if (actions.includes("update")) counts.change++;
    else if (actions.includes("delete")) {
      counts.destroy++;
      risky.push({ address: rc.address, action: "destroy", forcedBy: [], reason: rc.action_reason });
    }
  }
  counts.outputs = Object.values(plan.output_changes ?? {}).filter((o) => !o.actions.every((a) => a === "no-op")).length;
  return { counts, risky };
}

/** Whether a stack's plan changes anything, outputs included. */
export function hasChanges(counts: PlanCounts): boolean {
  return counts.add + counts.change + counts.replace + counts.destroy + counts.outputs > 0;
}

/** plans/summary.md. */
export function summaryMarkdown(configFile: string, reviews: readonly StackReview[]): string {
  const cell = (n: number | undefined) => (n === undefined ? "" : String(n));
  const rows = reviews.map(
    (r) =>
      `| \`${r.stack}\` | ${r.status}${r.runUrl ? ` ([run](${r.runUrl}))` : ""} | ` +
      `${[r.counts?.add, r.counts?.change, r.counts?.replace, r.counts?.destroy].map(cell).join(" | ")} |`,
  );
  const risky = reviews.filter((r) => r.risky.length > 0);
  const notes = reviews.filter((r) => r.note);
  const lines = [
    `# Plan review: ${configFile}`,
    "",
    "Written by `npm run plan` from each stack's saved plan (`plans/<stack>.tfplan`, as JSON in `plans/<stack>.json`).",
    "",
    "| stack | status | add | change | replace | destroy |",
    "|---|---|---|---|---|---|",
    ...rows,
    "",
    "## Replacements and deletions",
    "",
    ...(risky.length === 0
      ? ["None."]
      : risky.flatMap((r) => [
          `### \`${r.stack}\``,
          "",
          ...r.risky.map((c) => {
            const forced = c.forcedBy.length > 0 ? `, forced by ${c.forcedBy.map((p) => `\`${p}\``).join(", ")}` : "";
            const reason = c.reason ? ` (${c.reason})` : "";
            return `- **${c.action}** \`${c.address}\`${forced}${reason}`;
          }),
          "",
        ])),
    ...(notes.length > 0 ? ["", "## Notes", "", ...notes.map((r) => `- \`${r.stack}\`: ${r.note}`)] : []),
  ];
  return `${lines.join("\n").trimEnd()}\n`;
}
