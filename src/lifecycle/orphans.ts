import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { PrivateLinkConfig } from "../config/types";
import { bootstrapStacks, stateKey } from "../wiring/contract";
import { errorLineOf, initArgs, outputArgs, terraform } from "./terraform";

/** A stack whose state still holds resources though the config no longer has it. */
export interface OrphanState {
  readonly stack: string;
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

/** The consumer a stack name belongs to, if it is a consumer's stack. */
export function consumerOfStack(stack: string): string | undefined {
  return /^(?:consumer|acceptance|private-dns)-(.+)$/.exec(stack)?.[1];
}

function orphanMessage(orphans: readonly OrphanState[]): string {
  const consumers = [...new Set(orphans.map((o) => consumerOfStack(o.stack)).filter((c): c is string => c !== undefined))];
  const lines = orphans.map((o) => `  - ${o.stack}: ${o.resources} resources in s3://${o.bucket}/${o.key}`);
  const fix = consumers.length
    ? "Removing a consumer from the config does not remove its stacks (and AWS keeps an accepted connection). " +
      `Put ${consumers.join(", ")} back into the config, run\n  npm run destroy -- --consumer ${consumers.join(" ")}\n` +
      `then remove ${consumers.length > 1 ? "them" : "it"} from the config again (README: "Removing a consumer").`
    : "Destroy these stacks with the config that still has them, then change the config.";
  return `The config no longer has these stacks, but their state still holds resources:\n${lines.join("\n")}\n${fix}\nNothing was changed.`;
}

/**
 * The throwaway Terraform configuration that lists one bucket's state files
 * of this project and counts the resources in those the config no longer
 * has. It reads with the same provider settings as the bucket's bootstrap
 * stack (account lock, role, emulator), copied from its synthesized JSON, so
 * it must run at the same depth as the stack directories.
 */
export function orphanProbe(
  stackJson: { terraform: { required_providers: unknown }; provider: unknown },
  bucket: string,
  prefix: string,
  knownKeys: readonly string[],
): object {
  return {
    terraform: { required_providers: stackJson.terraform.required_providers },
    provider: stackJson.provider,
    data: {
      aws_s3_objects: { states: { bucket, prefix } },
      aws_s3_object: {
        state: {
          for_each: `\${toset([for k in data.aws_s3_objects.states.keys : k if endswith(k, ".tfstate") && !contains(${JSON.stringify(knownKeys)}, k)])}`,
          bucket,
          key: "${each.value}",
        },
      },
    },
    output: { resources: { value: "${{ for k, o in data.aws_s3_object.state : k => length(try(jsondecode(o.body).resources, [])) }}" } },
  };
}

/**
 * Looks in every state bucket for state files of this project's stacks that
 * the config no longer has and that still hold resources. A bucket that does
 * not exist yet holds none. Runs Terraform in a scratch directory under
 * `workDir`; throws `OrphanStateError` listing what it found.
 */
export async function checkOrphanStates(config: PrivateLinkConfig, outdir: string, workDir: string, known: readonly string[]): Promise<void> {
  if (config.backend.type !== "s3") return;
  const found = await Promise.all(
    bootstrapStacks(config).map(async ({ name, account }) => {
      const state = account.state;
      if (!state) return [];
      const prefix = stateKey(state.keyPrefix, config.project, "").replace(/\.tfstate$/, "");
      const dir = resolve(workDir, name);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const stackJson = JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
      // The bootstrap stacks' own state lives in the bucket too once moved there.
      const knownKeys = [...known, ...bootstrapStacks(config).map((b) => b.name)].map((stack) => stateKey(state.keyPrefix, config.project, stack));
      writeFileSync(join(dir, "main.tf.json"), JSON.stringify(orphanProbe(stackJson, state.bucket, prefix, knownKeys), null, 2));
      const log = join(dir, "terraform.log");
      const init = await terraform(initArgs(), dir, log);
      if (init.code !== 0) throw new Error(`Cannot look for state of removed stacks in ${state.bucket}: terraform init failed: ${errorLineOf(init.output)}`);
      // Data sources only: one apply reads them and records the output, in this scratch directory's state.
      const read = await terraform(["apply", "-auto-approve", "-input=false", "-no-color"], dir, log);
      if (read.code !== 0) {
        if (/NoSuchBucket|does not exist|status code: 404/.test(read.output)) return [];
        throw new Error(`Cannot look for state of removed stacks in ${state.bucket}: ${errorLineOf(read.output)} (log: ${log})`);
      }
      const outputs = await terraform(outputArgs(), dir, log);
      const counts = (JSON.parse(outputs.stdout || "{}").resources?.value ?? {}) as Record<string, number>;
      return Object.entries(counts)
        .filter(([, n]) => n > 0)
        .map(([key, resources]) => ({ stack: key.slice(prefix.length, -".tfstate".length), bucket: state.bucket, key, resources }));
    }),
  );
  const orphans = found.flat();
  if (orphans.length > 0) throw new OrphanStateError(orphans);
}
