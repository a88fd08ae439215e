/**
 * `npm run test:fork`: does the app run on CDK Terrain (cdktn), the
 * maintained fork of the archived cdktf? In a temporary copy of the project
 * it swaps the packages for the fork's (pinned below), rewrites the imports,
 * builds, synthesizes the example and runs the jest suite; then it
 * compares the fork's synthesized JSON with cdktf's. It fails when the
 * build, the synth or a test fails, and on any difference in the
 * synthesized stacks other than the named allowlist (`comparable`: the
 * provider pin and cdktf's metadata).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { runCli } from "../../src/cli/run";
import { projectRoot } from "../project-root";

/** The fork's packages, pinned. cdktn 0.24 needs constructs below 10.8; its CLI (not used here) needs Node 22. */
export const FORK_PACKAGES = { cdktn: "0.24.0", "@cdktn/provider-aws": "25.7.0", constructs: "10.7.0" } as const;
/**
 * The fork publishes no Terraform Cloud (tfe) bindings: the copy keeps
 * @cdktf/provider-tfe, whose generated code requires `cdktf`, and `cdktf`
 * there names the fork's package (API-compatible; its token and construct
 * markers are global symbols, so both names share them).
 */
const FORK_ALIASES = { cdktf: `npm:cdktn@${FORK_PACKAGES.cdktn}` } as const;
/** cdktf packages the fork replaces; cdktf-cli has no place in the copy, the lifecycle scripts drive Terraform. */
const CDKTF_PACKAGES = ["cdktf", "@cdktf/provider-aws", "cdktf-cli", "constructs"];

/** Imports of cdktf's packages, rewritten to the fork's. */
export function rewriteImports(source: string): string {
  return source
    .replace(/(["'])@cdktf\/provider-aws(\/|["'])/g, "$1@cdktn/provider-aws$2")
    .replace(/(["'])cdktf(\/[^"']*)?(["'])/g, (_m, q: string, rest: string | undefined, q2: string) => `${q}cdktn${rest ?? ""}${q2}`);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Paths at which two JSON values differ, with both values. */
export function jsonDifferences(a: Json | undefined, b: Json | undefined, path = ""): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const isObject = (x: Json | undefined): x is { [key: string]: Json } => x !== null && typeof x === "object" && !Array.isArray(x);
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => jsonDifferences(a[k], b[k], `${path}.${k}`));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.flatMap((x, i) => jsonDifferences(x, b[i], `${path}[${i}]`));
  const show = (x: Json | undefined) => (x === undefined ? "(absent)" : JSON.stringify(x).slice(0, 120));
  return [`${path || "."}: cdktf ${show(a)} | cdktn ${show(b)}`];
}

/** A stack's JSON without what is expected to differ: cdktf's metadata and the provider pin. */
export function comparable(stack: Json): Json {
  const copy = JSON.parse(JSON.stringify(stack)) as { [key: string]: Json };
  delete copy["//"];
  const providers = (copy.terraform as { required_providers?: { aws?: { [key: string]: Json } } } | undefined)?.required_providers;
  if (providers?.aws) {
    delete providers.aws.version;
    delete providers.aws.source;
  }
  return copy;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): void {
  console.log(`$ ${cmd} ${args.join(" ")}`);
  const result = spawnSync(cmd, args, { cwd, env, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd} (exit ${result.status ?? result.signal})`);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function stacksOf(outdir: string): Map<string, Json> {
  const stacks = new Map<string, Json>();
  for (const name of readdirSync(join(outdir, "stacks"))) {
    stacks.set(name, JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8")) as Json);
  }
  return stacks;
}

function main(): number {
  const root = projectRoot();
  const work = mkdtempSync(join(tmpdir(), "privatelink-fork-"));
  const copy = join(work, "app");
  const keep = process.env.KEEP_FORK_COPY === "1";
  try {
    // The tracked files only: no node_modules, dist or synth output.
    const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" }).split("\0").filter(Boolean);
    for (const file of tracked) cpSync(join(root, file), join(copy, file), { recursive: true });
    // A repository of its own, so the copy lists the same tracked files a checkout does (the README layout test reads them).
    run("git", ["init", "--quiet"], copy);
    run("git", ["add", "--all"], copy);

    const pkgPath = join(copy, "package.json");
    const pkg = JSON.parse(readFileSync(pkgPath, "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    for (const name of CDKTF_PACKAGES) {
      delete pkg.dependencies[name];
      delete pkg.devDependencies[name];
    }
    Object.assign(pkg.dependencies, FORK_PACKAGES, FORK_ALIASES);
    writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
    rmSync(join(copy, "package-lock.json"));

    let rewritten = 0;
    for (const file of filesUnder(copy).filter((f) => /\.(ts|js)$/.test(f))) {
      const source = readFileSync(file, "utf8");
      const next = rewriteImports(source);
      if (next !== source) {
        writeFileSync(file, next);
        rewritten++;
      }
    }
    console.log(`Rewrote the imports of ${rewritten} files to ${Object.keys(FORK_PACKAGES).join(", ")}.`);

    // --legacy-peer-deps: @cdktf/provider-tfe declares cdktf ^0.21 as its peer, which the alias (cdktn 0.24) does not satisfy by number.
    run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--legacy-peer-deps"], copy);
    run("npx", ["tsc", "-p", "tsconfig.json"], copy);
    // Inside each project, so that paths relative to the project (the bootstrap stacks' local state) compare equal.
    const forkOut = join(copy, "cdktf.out.fork");
    // The cdktf baseline synthesizes in a scratch directory laid out as the copy is (its state paths are relative to it), never in the checkout.
    const baseline = join(work, "baseline");
    cpSync(join(root, "config"), join(baseline, "config"), { recursive: true });
    const baseOut = join(baseline, "cdktf.out.fork");
    run("node", ["dist/main.js"], copy, { ...process.env, CDKTF_OUTDIR: forkOut, PRIVATELINK_CONFIG: "config/example.json" });
    run("node", [join(root, "dist/main.js")], baseline, { ...process.env, CDKTF_OUTDIR: baseOut, PRIVATELINK_CONFIG: "config/example.json" });

    const base = stacksOf(baseOut);
    const fork = stacksOf(forkOut);
    const differences = [...new Set([...base.keys(), ...fork.keys()])].sort().flatMap((name) => {
      const a = base.get(name);
      const b = fork.get(name);
      if (!a || !b) return [`stack ${name}: only in ${a ? "cdktf" : "cdktn"}`];
      return jsonDifferences(comparable(a), comparable(b)).map((d) => `${name}${d}`);
    });
    console.log(`\nSynthesized ${fork.size} stacks on cdktn; ${differences.length} differences from cdktf besides the provider pin and metadata.`);
    if (differences.length > 0) {
      throw new Error(`the fork synthesizes other Terraform than cdktf (the allowlist is the provider pin and metadata):\n  ${differences.join("\n  ")}`);
    }

    // The generated docs carry the bindings' provider version, which is the fork's there.
    run("node", ["dist/src/cli/docs.js"], copy);
    run("npm", ["test", "--silent"], copy);
    console.log(
      `\ntest:fork passed: the app builds, synthesizes and passes its tests on ${Object.entries(FORK_PACKAGES)
        .map(([n, v]) => `${n}@${v}`)
        .join(", ")}.`,
    );
    if (keep) console.log(`The copy is kept in ${relative(process.cwd(), copy) || copy}.`);
    return 0;
  } finally {
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) runCli(main);
