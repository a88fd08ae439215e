import { join } from "node:path";
import type { PrivateLinkConfig } from "../config/types";
import { wiringPlan } from "../wiring/contract";
import type { StackNode } from "../wiring/stack-graph";
import { mergeVarFile, varFileOf } from "../wiring/var-file";
import { WireError, outputsOf, wireVariables } from "../wiring/wire";
import type { StackInits } from "./stack-init";
import { errorLineOf, stackOutputs, stateBucketMissing } from "./terraform";

/** What wiring one stack found: its values, or the producer it waits on (`waiting` as a status), or an error. */
export interface WiringResult {
  readonly vars: Record<string, unknown>;
  readonly waitingOn?: string;
  readonly waiting?: string;
  readonly error?: string;
}

/** Reads stacks' outputs from their state and wires them into the next stacks' variables, as `npm run wire` does. */
export class StackWiring {
  constructor(
    private readonly config: PrivateLinkConfig,
    private readonly inits: StackInits,
    private readonly dirOf: (stack: string) => string,
    private readonly logDir: string,
  ) {}

  /** A stack's outputs from its state; empty when it has none (not deployed). Throws `WireError`. */
  async outputs(stack: string): Promise<Record<string, unknown>> {
    const init = await this.inits.init(stack);
    if (init.code !== 0) throw new WireError(`cannot read ${stack}'s outputs: terraform init failed: ${errorLineOf(init.output)}`);
    try {
      return outputsOf(stack, await stackOutputs(this.dirOf(stack), join(this.logDir, `${stack}.log`), false));
    } catch (err) {
      throw new WireError(`cannot read ${stack}'s outputs: ${(err as Error).message}`);
    }
  }

  /**
   * The stack's wired variables, read from its producers' outputs with the
   * wiring contract (as `npm run wire` does) and written to its var file.
   * `waitingOn` names a producer that has not deployed (all) the outputs
   * this stack takes yet: not deployed at all, or deployed before the
   * config gave it a new output (`waiting` says which, as a status).
   * `fallbackToVarFile` (destroy) skips producers that are gone.
   */
  async wire(node: StackNode, fallbackToVarFile = false): Promise<WiringResult> {
    const vars: Record<string, unknown> = {};
    const hops = wiringPlan(this.config).filter((h) => h.stack === node.name);
    for (const producer of node.inputsFrom) {
      try {
        const outputs = await this.outputs(producer);
        // An output deployed before the config gave it a key this stack reads (a new shared resource) is not deployed yet either.
        const holds = (v: unknown, keys: readonly string[] = []) => v !== undefined && keys.every((k) => v !== null && typeof v === "object" && k in v);
        const missing = hops.filter((h) => h.fromStack === producer && !holds(outputs[h.value.name], h.keys)).map((h) => h.value.name);
        if (missing.length > 0 && !fallbackToVarFile) {
          const which = Object.keys(outputs).length === 0 ? "" : ` (its output${missing.length > 1 ? "s" : ""} ${missing.join(", ")} not deployed yet)`;
          return { vars, waitingOn: producer, waiting: `waiting on ${producer}${which}` };
        }
        if (missing.length > 0) continue;
        Object.assign(vars, wireVariables(this.config, producer, node.name, outputs));
      } catch (err) {
        // The producer's state bucket is not made yet: it is not deployed.
        if (err instanceof WireError && stateBucketMissing(err.message) && !fallbackToVarFile)
          return { vars, waitingOn: producer, waiting: `waiting on ${producer}` };
        if (err instanceof WireError) return { vars, error: err.message.replace(/\n\s*/g, " ") };
        throw err;
      }
    }
    if (node.inputsFrom.length > 0 && Object.keys(vars).length > 0) mergeVarFile(varFileOf(node.name), vars);
    return { vars };
  }
}
