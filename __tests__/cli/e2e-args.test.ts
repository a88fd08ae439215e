import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../root";

// npm run test:e2e's command line: --list and --only are read before anything starts (no emulator, no scratch project).
const e2e = (...args: string[]) => spawnSync("python3", ["-B", join(ROOT, "scripts/verify/e2e.py"), ...args], { cwd: ROOT, encoding: "utf8" });
const selection = (only: string) =>
  spawnSync("python3", ["-B", "-c", `import sys; sys.path.insert(0, "scripts/verify"); import e2e; print(",".join(e2e.selection(${JSON.stringify(only)})))`], {
    cwd: ROOT,
    encoding: "utf8",
  });

describe("npm run test:e2e -- --list / --only", () => {
  test("--list names every transition with its day-2 number and what it starts from, and runs nothing", () => {
    const result = e2e("--list");
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toHaveLength(12);
    expect(lines[0]).toMatch(/^listener-added\s+1 {2}a third listener added \(TCP 9090\)$/);
    expect(lines).toContainEqual(expect.stringMatching(/^dual-stack-on\s+6c {2}.+ \(after dual-stack-off\)$/));
  });

  test("--only runs the named transitions and those they need, in the order of a full run", () => {
    expect(selection("listener-removed,dual-stack-on").stdout.trim()).toBe("listener-added,listener-removed,dual-stack-off,dual-stack-on");
    expect(selection("consumer-added").stdout.trim()).toBe("consumer-added");
  });

  test("an unknown or empty --only is refused, naming the transitions, before anything starts", () => {
    const unknown = e2e("--only", "listener-added,nope");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.trim()).toMatch(/^test:e2e: unknown transition nope; --list names them: listener-added, listeners-reordered, .+, consumer-added$/);
    expect(unknown.stdout).not.toContain("test:e2e: transitions:");
    expect(e2e("--only", ",").stderr.trim()).toMatch(/^test:e2e: unknown transition \(none given\);/);
  });
});
