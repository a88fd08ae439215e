import { type Outcome, letsFollowersRun } from "./outcome";

/** A unit of work with the units it must follow. */
export interface Task {
  readonly name: string;
  /** Tasks (by name) this one runs after; names outside the run are ignored. */
  readonly after: readonly string[];
}

/** What a task's work returns; an outcome other than applied or unchanged holds back every task that follows it. */
interface TaskResult {
  readonly outcome: Outcome;
}

/**
 * Runs `work` for every task once all the tasks it follows have finished
 * (applied or unchanged), at most `parallelism` at a time, and returns every
 * result by name. A task whose predecessor did not finish does not run:
 * `blocked(task, predecessor)` gives its result instead, so one failing
 * consumer holds back only its own later stacks. With `reverse`, every
 * dependency is flipped (destroy order).
 */
export async function schedule<R extends TaskResult>(
  tasks: readonly Task[],
  parallelism: number,
  work: (name: string) => Promise<R>,
  blocked: (name: string, by: string) => R,
  reverse = false,
): Promise<Map<string, R>> {
  const names = new Set(tasks.map((t) => t.name));
  const deps = new Map<string, string[]>(tasks.map((t) => [t.name, []]));
  for (const task of tasks) {
    for (const before of task.after.filter((n) => names.has(n))) {
      if (reverse) deps.get(before)?.push(task.name);
      else deps.get(task.name)?.push(before);
    }
  }
  const results = new Map<string, R>();
  const started = new Set<string>();
  let running = 0;

  return new Promise((resolveAll, rejectAll) => {
    const pump = () => {
      let progressed = true;
      while (progressed) {
        progressed = false;
        for (const task of tasks) {
          if (started.has(task.name)) continue;
          const pending = deps.get(task.name) ?? [];
          const failed = pending.find((d) => results.has(d) && !letsFollowersRun((results.get(d) as R).outcome));
          if (failed) {
            started.add(task.name);
            results.set(task.name, blocked(task.name, failed));
            progressed = true;
            continue;
          }
          if (running >= parallelism || !pending.every((d) => results.has(d) && letsFollowersRun((results.get(d) as R).outcome))) continue;
          started.add(task.name);
          running++;
          work(task.name).then((result) => {
            results.set(task.name, result);
            running--;
            pump();
          }, rejectAll);
        }
      }
      if (results.size === tasks.length) resolveAll(new Map(tasks.map((t) => [t.name, results.get(t.name) as R])));
    };
    pump();
  });
}
