import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { PrivateLinkConfig } from "../config/types";
import { PROVIDER_STACK, SERVED_STACKS, acceptanceStackName, consumerStackName, privateDnsStackName } from "../wiring/contract";
import { bootstrapStacks, stateKey } from "../wiring/state-layout";
import { completeLineOf, errorLineOf, initArgs, outputArgs, stateBucketMissing, stateListArgs, terraform } from "./terraform";

/** A stack whose state still holds resources though the config no longer has it. */
export interface OrphanState {
  readonly stack: string;
  /** The consumer it belonged to, as the provider recorded it; unknown when found by listing a bucket. */
  readonly consumer?: string;
  readonly bucket: string;
  readonly key: string;
  readonly resources: number;
}

/** Stacks the config no longer has but whose state holds resources; the message says how to remove them. */
export class OrphanStateError extends Error {
  constructor(readonly orphans: readonly OrphanState[]) {
    super(orphanMessage(orphans));
    this.name = "OrphanStateError";
  }
}

function orphanMessage(orphans: readonly OrphanState[]): string {
  const consumers = [...new Set(orphans.flatMap((o) => (o.consumer ? [o.consumer] : [])))];
  const unknown = [...new Set(orphans.filter((o) => !o.consumer).map((o) => o.stack))];
  const lines = orphans.map((o) => `  - ${o.stack}: ${o.resources} resources in s3://${o.bucket}/${o.key}`);
  const fixes = [
    ...(consumers.length
      ? [
          "Removing a consumer from the config does not remove its stacks (and AWS keeps an accepted connection). " +
            `Put ${consumers.join(", ")} back into the config, run\n  npm run destroy -- --consumer ${consumers.join(" ")}\n` +
            `then remove ${consumers.length > 1 ? "them" : "it"} from the config again (README: "Removing a consumer").`,
        ]
      : []),
    ...(unknown.length ? [`Destroy ${unknown.join(", ")} with the config that still has ${unknown.length > 1 ? "them" : "it"}, then change the config.`] : []),
  ];
  return `The config no longer has these stacks, but their state still holds resources:\n${lines.join("\n")}\n${fixes.join("\n")}\nNothing was changed.`;
}

/**
 * The throwaway Terraform configuration that lists the keys of one bucket's
 * state files of this project: keys only, so no state body is copied into
 * its own scratch state. It reads with the same provider settings as the
 * bucket's bootstrap stack (account lock, role, emulator), copied from its
 * synthesized JSON, so it must run at the same depth as the stack
 * directories.
 */
export function orphanProbe(stackJson: { terraform: { required_providers: unknown }; provider: unknown }, bucket: string, prefix: string): object {
  return {
    terraform: { required_providers: stackJson.terraform.required_providers },
    provider: stackJson.provider,
    data: { aws_s3_objects: { states: { bucket, prefix } } },
    output: { keys: { value: '${[for k in data.aws_s3_objects.states.keys : k if endswith(k, ".tfstate")]}' } },
  };
}

/**
 * The stacks the provider recorded (`served_stacks`) with their consumers:
 * a map since stacks carry their consumer, a list (consumers unknown) as the
 * release before recorded it; undefined when the provider recorded nothing.
 */
function recordedStacks(served: unknown): Map<string, string | undefined> | undefined {
  if (Array.isArray(served)) return new Map(served.filter((s): s is string => typeof s === "string").map((s) => [s, undefined]));
  if (served && typeof served === "object") {
    return new Map(Object.entries(served as Record<string, unknown>).map(([stack, consumer]) => [stack, typeof consumer === "string" ? consumer : undefined]));
  }
  return undefined;
}

/**
 * A stack the config no longer has because a feature was turned off, whose
 * state still holds resources, and how deploy retires it: an acceptance
 * stack is forgotten (its accepter leaves the state; destroying it would
 * reject the connection), a private-DNS stack is destroyed (the endpoint's
 * private DNS turns off; the endpoint stays).
 */
export interface Retirement extends OrphanState {
  readonly how: "forget" | "destroy";
  /** Its scratch directory: the bucket's backend, and for destroy the account's provider settings. */
  readonly dir: string;
  /** What its state holds. */
  readonly addresses: readonly string[];
}

/**
 * Looks for state of this project's stacks that the config no longer has
 * and that still holds resources. A removed consumer's stacks are refused
 * (`OrphanStateError`, with the way to remove them); the acceptance and
 * private-DNS stacks of a consumer still in the config, when acceptance or
 * private DNS was turned off, are returned for deploy to retire.
 *
 * The provider stack records the consumers' stacks it was deployed with
 * (`served_stacks`); those the config no longer has are read with
 * `terraform state list`, which reads state only. Nothing deployed yet: nothing to find. A provider
 * deployed before it recorded its consumers: every bucket is listed instead
 * (`probeBuckets`), once, until the next deploy records them.
 */
export async function checkOrphanStates(
  config: PrivateLinkConfig,
  outdir: string,
  workDir: string,
  known: readonly string[],
  providerOutputs: () => Promise<Record<string, unknown>>,
): Promise<Retirement[]> {
  if (config.backend.type !== "s3") return [];
  let outputs: Record<string, unknown>;
  try {
    outputs = await providerOutputs();
  } catch (err) {
    // The provider's state bucket does not exist yet: nothing is deployed, so nothing is left behind.
    if (stateBucketMissing((err as Error).message)) return [];
    throw new Error(`Cannot look for state of removed stacks: the provider's outputs could not be read: ${(err as Error).message}`);
  }
  if (Object.keys(outputs).length === 0) return [];
  const served = recordedStacks(outputs[SERVED_STACKS.name]);
  if (!served) {
    await probeBuckets(config, outdir, workDir, known);
    return [];
  }
  const gone = [...served.keys()].filter((stack) => !known.includes(stack));
  // A consumer's own stacks, when the config still has it: a feature was turned off.
  const retiring = config.consumers.flatMap((consumer) => [
    ...(gone.includes(acceptanceStackName(consumer.name))
      ? [{ stack: acceptanceStackName(consumer.name), how: "forget" as const, account: config.provider.account, like: PROVIDER_STACK }]
      : []),
    ...(gone.includes(privateDnsStackName(consumer.name))
      ? [{ stack: privateDnsStackName(consumer.name), how: "destroy" as const, account: consumer.account, like: consumerStackName(consumer.name) }]
      : []),
  ]);
  // Any other: a removed consumer's, which is looked for in every bucket of the config.
  const candidates = gone.filter((stack) => !retiring.some((r) => r.stack === stack));
  const found = await Promise.all(
    bootstrapStacks(config).flatMap(({ account }) =>
      account.state ? candidates.map((stack) => stateResources(config, outdir, workDir, account.state as NonNullable<typeof account.state>, stack)) : [],
    ),
  );
  const orphans = found.flatMap((o) =>
    o && o.resources > 0 ? [{ stack: o.stack, consumer: served.get(o.stack), bucket: o.bucket, key: o.key, resources: o.resources }] : [],
  );
  if (orphans.length > 0) throw new OrphanStateError(orphans);

  const retirements = await Promise.all(
    retiring.map(async ({ stack, how, account, like }) => {
      if (!account.state) return [];
      const found = await stateResources(config, outdir, workDir, account.state, stack, how === "destroy" ? like : undefined);
      return found && found.resources > 0 ? [{ ...found, how }] : [];
    }),
  );
  return retirements.flat();
}

/**
 * Retires a stack (deploy only): forgets what its state holds, or destroys
 * it with the account's provider settings. Returns Terraform's summary.
 */
export async function retire(retirement: Retirement, lockTimeout: string): Promise<string> {
  const log = join(retirement.dir, "terraform.log");
  const run =
    retirement.how === "forget"
      ? await terraform(["state", "rm", "-no-color", `-lock-timeout=${lockTimeout}`, ...retirement.addresses], retirement.dir, log)
      : await terraform(["apply", "-auto-approve", "-input=false", "-no-color", `-lock-timeout=${lockTimeout}`], retirement.dir, log);
  if (run.code !== 0) throw new Error(`Cannot retire ${retirement.stack}: ${errorLineOf(run.output)} (log: ${log})`);
  return retirement.how === "forget"
    ? `forgot ${retirement.addresses.join(", ")}: the connection stays accepted`
    : `${completeLineOf(run.output) ?? "destroyed"}: the endpoint's private DNS is off, the endpoint stays`;
}

/** What a retirement will do, for the plan's review and deploy's output. */
export function retirementLine(r: Retirement): string {
  return r.how === "forget"
    ? `${r.stack}: acceptance is off; deploy forgets ${r.addresses.join(", ")} instead of destroying it, so the connection stays accepted`
    : `${r.stack}: private DNS is off; deploy destroys it (${r.addresses.join(", ")}), turning the endpoint's private DNS off; the endpoint stays`;
}

/** The S3 backend of the synthesized stacks that keep their state in `bucket`. */
function backendOf(outdir: string, bucket: string): Record<string, unknown> | undefined {
  for (const stack of readdirSync(join(outdir, "stacks"))) {
    const file = join(outdir, "stacks", stack, "cdk.tf.json");
    if (!existsSync(file)) continue;
    const backend = JSON.parse(readFileSync(file, "utf8")).terraform?.backend?.s3;
    if (backend?.bucket === bucket) return backend;
  }
  return undefined;
}

/**
 * What the state of `stack` in this bucket holds, read with `terraform
 * state list` in a scratch directory that has the bucket's backend (at the
 * depth of the stack directories, so relative paths hold) and, with
 * `providersOf`, that synthesized stack's provider settings.
 */
async function stateResources(
  config: PrivateLinkConfig,
  outdir: string,
  workDir: string,
  state: { readonly bucket: string; readonly keyPrefix: string },
  stack: string,
  providersOf?: string,
): Promise<(OrphanState & { dir: string; addresses: string[] }) | undefined> {
  const backend = backendOf(outdir, state.bucket);
  if (!backend) return undefined;
  const key = stateKey(state.keyPrefix, config.project, stack);
  const dir = resolve(workDir, `${state.bucket}-${stack}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const like = JSON.parse(readFileSync(join(outdir, "stacks", providersOf ?? PROVIDER_STACK, "cdk.tf.json"), "utf8"));
  const scratch = {
    terraform: { required_providers: like.terraform?.required_providers, backend: { s3: { ...backend, key } } },
    ...(providersOf ? { provider: like.provider } : {}),
  };
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify(scratch, null, 2));
  const log = join(dir, "terraform.log");
  const init = await terraform(initArgs(), dir, log);
  if (init.code !== 0)
    throw new Error(`Cannot read the state of ${stack} in ${state.bucket}: terraform init failed: ${errorLineOf(init.output)} (log: ${log})`);
  const list = await terraform(stateListArgs(), dir, log);
  // No state file at that key: the stack never kept state in this bucket.
  const none = list.code !== 0 && /No state file was found/.test(list.output);
  if (list.code !== 0 && !none) throw new Error(`Cannot read the state of ${stack} in ${state.bucket}: ${errorLineOf(list.output)} (log: ${log})`);
  const addresses = none ? [] : list.stdout.split("\n").filter((line) => line.trim());
  return { stack, bucket: state.bucket, key, resources: addresses.length, dir, addresses };
}

/**
 * Looks in every state bucket for state files of this project's stacks that
 * the config no longer has and that still hold resources: lists the keys,
 * then reads each unknown one with `terraform state list`. A bucket that
 * does not exist yet holds none; any other failure is an error. Runs
 * Terraform in scratch directories under `workDir`; throws
 * `OrphanStateError` listing what it found.
 */
async function probeBuckets(config: PrivateLinkConfig, outdir: string, workDir: string, known: readonly string[]): Promise<void> {
  const found = await Promise.all(
    bootstrapStacks(config).map(async ({ name, account }) => {
      const state = account.state;
      if (!state) return [];
      const prefix = stateKey(state.keyPrefix, config.project, "").replace(/\.tfstate$/, "");
      const dir = resolve(workDir, name);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const stackJson = JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
      writeFileSync(join(dir, "main.tf.json"), JSON.stringify(orphanProbe(stackJson, state.bucket, prefix), null, 2));
      const log = join(dir, "terraform.log");
      const init = await terraform(initArgs(), dir, log);
      if (init.code !== 0) throw new Error(`Cannot look for state of removed stacks in ${state.bucket}: terraform init failed: ${errorLineOf(init.output)}`);
      // A data source only: one apply reads the keys and records them, in this scratch directory's state.
      const read = await terraform(["apply", "-auto-approve", "-input=false", "-no-color"], dir, log);
      if (read.code !== 0) {
        if (stateBucketMissing(read.output)) return [];
        throw new Error(`Cannot look for state of removed stacks in ${state.bucket}: ${errorLineOf(read.output)} (log: ${log})`);
      }
      const outputs = await terraform(outputArgs(), dir, log);
      const keys = (JSON.parse(outputs.stdout || "{}").keys?.value ?? []) as string[];
      // The bootstrap stacks' own state lives in the bucket too once moved there.
      const knownKeys = [...known, ...bootstrapStacks(config).map((b) => b.name)].map((stack) => stateKey(state.keyPrefix, config.project, stack));
      const unknown = keys.filter((key) => !knownKeys.includes(key)).map((key) => key.slice(prefix.length, -".tfstate".length));
      return Promise.all(unknown.map((stack) => stateResources(config, outdir, workDir, state, stack)));
    }),
  );
  const orphans = found.flat().flatMap((o) => (o && o.resources > 0 ? [{ stack: o.stack, bucket: o.bucket, key: o.key, resources: o.resources }] : []));
  if (orphans.length > 0) throw new OrphanStateError(orphans);
}
