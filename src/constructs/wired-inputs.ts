import { DataTfeOutputs } from "@cdktf/provider-tfe/lib/data-tfe-outputs";
import { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import { DataTerraformRemoteStateS3, Fn, type IResolvable, Op, type Precondition, TerraformStack, TerraformVariable, Token } from "cdktf";
import { Construct } from "constructs";
import type { CloudBackendConfig, PrivateLinkConfig, WiringMode } from "../config/types";
import { type WiredValue, type WiringHop, hopsInto } from "../wiring/contract";
import { stateReadRoleArn } from "../wiring/state-layout";
import { workspaceName } from "../config/workspaces";
import { type StateLocation, emulatorBackendSettings } from "../state/backend";

export interface WiredInputsProps {
  /** The hops that feed this stack (see `hopsInto`). */
  readonly hops: readonly WiringHop[];
  /** `variables`: one validated input variable per hop. `remote-state`: read the producer's S3 state. */
  readonly mode: WiringMode;
  /** State location of a producing stack; used in `remote-state` mode. */
  readonly stateOf: (stack: string) => StateLocation;
  /** Role to assume to read a producer's state: never a deployer role (see `stateReadRoleArn` in the contract). */
  readonly readRoleArnOf: (hop: WiringHop) => string | undefined;
  /** The Terraform Cloud organization, host and producer workspaces; used in `tfe-outputs` mode. */
  readonly cloud?: { readonly organization: string; readonly hostname: string; readonly workspaceOf: (stack: string) => string };
}

/**
 * The values a stack receives from earlier stacks. By default each is a
 * Terraform variable with a `validation` block, fed by `npm run wire` or by
 * Terraform Cloud workspace variables. In `remote-state` mode each is read
 * from the producer's S3 state, in `tfe-outputs` mode from the producer
 * workspace's outputs (`tfe_outputs`, with the run's own token, which the
 * producer's state sharing admits), and the same checks become
 * preconditions of the resource that uses them.
 */
export class WiredInputs extends Construct {
  private readonly values = new Map<string, string | string[] | IResolvable>();
  /** Checks of the remote-state values; empty in `variables` mode, where the variables validate. */
  readonly preconditions: Precondition[] = [];

  constructor(scope: Construct, id: string, props: WiredInputsProps) {
    super(scope, id);
    // Variables and remote states sit at stack level so their names are exactly the contract's.
    const stack = TerraformStack.of(this);
    const remoteStates = new Map<string, DataTerraformRemoteStateS3>();
    const workspaceOutputs = new Map<string, DataTfeOutputs>();
    let tfe: TfeProvider | undefined;

    for (const hop of props.hops) {
      const { fromStack, value } = hop;
      if (props.mode === "variables") {
        const variable = new TerraformVariable(stack, value.name, {
          type: TERRAFORM_TYPES[value.type],
          description: `${value.description} From the ${fromStack} stack's output ${value.name}.`,
          nullable: false,
        });
        const ref = value.type === "list" ? variable.listValue : value.type === "map" ? (variable.value as IResolvable) : variable.stringValue;
        variable.addValidation({ condition: validCondition(value, ref), errorMessage: value.errorMessage });
        this.values.set(value.name, ref);
      } else if (props.mode === "tfe-outputs") {
        const cloud = props.cloud;
        if (!cloud) throw new Error("tfe-outputs wiring needs the cloud backend; the config rules refuse it with s3.");
        if (!tfe) tfe = new TfeProvider(stack, "tfe", { hostname: cloud.hostname, organization: cloud.organization });
        let outputs = workspaceOutputs.get(fromStack);
        if (!outputs) {
          outputs = new DataTfeOutputs(stack, `tfe-outputs-${fromStack}`, { organization: cloud.organization, workspace: cloud.workspaceOf(fromStack) });
          workspaceOutputs.set(fromStack, outputs);
        }
        const found = Fn.lookup(outputs.nonsensitiveValues, value.name);
        const ref = value.type === "list" ? Token.asList(found) : value.type === "map" ? (found as IResolvable) : Token.asString(found);
        this.preconditions.push({ condition: validCondition(value, ref), errorMessage: value.errorMessage });
        this.values.set(value.name, ref);
      } else {
        let state = remoteStates.get(fromStack);
        if (!state) {
          const location = props.stateOf(fromStack);
          const roleArn = props.readRoleArnOf(hop);
          state = new DataTerraformRemoteStateS3(stack, `remote-state-${fromStack}`, {
            bucket: location.bucket,
            key: location.key,
            region: location.region,
            kmsKeyId: location.kmsKeyArn,
            assumeRole: roleArn ? { roleArn } : undefined,
            ...emulatorBackendSettings(location),
          });
          remoteStates.set(fromStack, state);
        }
        const ref = value.type === "list" ? state.getList(value.name) : value.type === "map" ? state.get(value.name) : state.getString(value.name);
        this.preconditions.push({ condition: validCondition(value, ref), errorMessage: value.errorMessage });
        this.values.set(value.name, ref);
      }
    }
  }

  /** A string input by contract name. */
  string(value: WiredValue): string {
    return this.get(value, "string") as string;
  }

  /** A list input by contract name. */
  list(value: WiredValue): string[] {
    return this.get(value, "list") as string[];
  }

  /** The value under `key` of a map input by contract name; the plan fails if the map lacks the key. */
  entry(value: WiredValue, key: string): string {
    return Fn.lookup(this.get(value, "map"), key) as string;
  }

  private get(value: WiredValue, type: WiredValue["type"]): string | string[] | IResolvable {
    const found = this.values.get(value.name);
    if (found === undefined || value.type !== type) {
      throw new Error(`Stack ${TerraformStack.of(this).node.id} has no ${type} input ${value.name}; add the hop to wiringPlan() in src/wiring/contract.ts.`);
    }
    return found;
  }
}

const TERRAFORM_TYPES: Record<WiredValue["type"], string> = { string: "string", list: "list(string)", map: "map(string)" };

/** `can(regex("^p$", x))`; a list or map must be non-empty and every element (every value) must match. */
function validCondition(value: WiredValue, ref: string | string[] | IResolvable): unknown {
  if (value.type === "string") return Fn.can(Fn.regex(`^${value.pattern}$`, ref as string));
  const joined = Fn.join(",", value.type === "map" ? Fn.values(ref) : (ref as string[]));
  return Op.and(Op.gte(Fn.lengthOf(ref), 1), Fn.can(Fn.regex(`^${value.pattern}(,${value.pattern})*$`, joined)));
}

/** The wired inputs of a stack of this config: its hops, in the config's wiring mode, read with the read-only role. */
export function wiredInputsOf(stack: Construct, config: PrivateLinkConfig, name: string, stateOf: (stack: string) => StateLocation): WiredInputs {
  return new WiredInputs(stack, "inputs", {
    hops: hopsInto(config, name),
    mode: config.wiring.mode,
    stateOf,
    readRoleArnOf: (hop) => stateReadRoleArn(config, hop.fromAccount),
    cloud:
      config.backend.type === "cloud"
        ? {
            organization: config.backend.organization,
            hostname: config.backend.hostname,
            workspaceOf: (s) => workspaceName(config.backend as CloudBackendConfig, s),
          }
        : undefined,
  });
}
