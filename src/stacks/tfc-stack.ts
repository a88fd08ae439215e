import { DataTfeOutputs } from "@cdktf/provider-tfe/lib/data-tfe-outputs";
import { DataTfeProject } from "@cdktf/provider-tfe/lib/data-tfe-project";
import { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import { RunTrigger } from "@cdktf/provider-tfe/lib/run-trigger";
import { Variable } from "@cdktf/provider-tfe/lib/variable";
import { Workspace } from "@cdktf/provider-tfe/lib/workspace";
import { WorkspaceSettings } from "@cdktf/provider-tfe/lib/workspace-settings";
import { CloudBackend, Fn, NamedCloudWorkspace, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { CloudBackendConfig, PrivateLinkConfig } from "../config/types";
import { workspaceName } from "../config/workspaces";
import { wiringPlan } from "../wiring/contract";
import { stackGraph } from "../wiring/stack-graph";

/** The stack `npm run tfc` manages the workspaces with, and the workspace its own state lives in (after the prefix). */
export const TFC_STACK = "tfc";

/** Where the stacks' synthesized files sit in the repository: each workspace's working directory. */
const STACKS_DIR = "cdktf.out/stacks";

export interface TfcStackProps {
  /** A config with the cloud backend. */
  readonly config: PrivateLinkConfig;
}

/**
 * Terraform Cloud as code: a workspace per stack of the stack graph (in
 * `backend.project` when given), running remotely in the stack's own
 * directory of the synthesized output, connected to `backend.vcsRepo` when
 * given; each with dynamic AWS credentials for its account (OIDC:
 * `TFC_AWS_PROVIDER_AUTH` and `TFC_AWS_RUN_ROLE_ARN`, the account's
 * `runRoleArn`; no static keys); the wired values (variables wiring: as
 * Terraform variables read from the producers' outputs; tfe-outputs wiring:
 * each producer shares its state with exactly the workspaces that read it);
 * and a run trigger along every edge of the stack graph, so an apply upstream
 * queues the plans downstream for review.
 */
export class TfcStack extends TerraformStack {
  /** By stack name. */
  readonly workspaces = new Map<string, Workspace>();

  constructor(scope: Construct, name: string, { config }: TfcStackProps) {
    super(scope, name);
    const backend = config.backend as CloudBackendConfig;
    const workspaceOf = (stack: string) => workspaceName(backend, stack);
    new CloudBackend(this, {
      organization: backend.organization,
      hostname: backend.hostname,
      workspaces: new NamedCloudWorkspace(workspaceOf(TFC_STACK), backend.project),
    });
    new TfeProvider(this, "tfe", { hostname: backend.hostname, organization: backend.organization });
    const project = backend.project ? new DataTfeProject(this, "project", { name: backend.project, organization: backend.organization }) : undefined;

    const graph = stackGraph(config);
    const hops = wiringPlan(config);
    const readers = (producer: string) => [...new Set(hops.filter((h) => h.fromStack === producer).map((h) => h.stack))];
    for (const node of graph) {
      const workspace = new Workspace(this, `workspace-${node.name}`, {
        name: workspaceOf(node.name),
        organization: backend.organization,
        projectId: project?.id,
        description: `privatelink-cdktf ${config.project}: the ${node.name} stack (account ${node.account.id}, ${node.account.region})`,
        workingDirectory: `${STACKS_DIR}/${node.name}`,
        // A push plans a stack when its own synthesized files change.
        triggerPatterns: backend.vcsRepo ? [`${STACKS_DIR}/${node.name}/**/*`] : undefined,
        vcsRepo: backend.vcsRepo && {
          identifier: backend.vcsRepo.identifier,
          oauthTokenId: backend.vcsRepo.oauthTokenId,
          branch: backend.vcsRepo.branch,
        },
        // Plans are reviewed in Terraform Cloud before anyone applies them.
        autoApply: false,
        queueAllRuns: false,
      });
      this.workspaces.set(node.name, workspace);
    }
    for (const node of graph) {
      const workspace = this.workspaces.get(node.name) as Workspace;
      const readBy = config.wiring.mode === "tfe-outputs" ? readers(node.name) : [];
      new WorkspaceSettings(this, `settings-${node.name}`, {
        workspaceId: workspace.id,
        executionMode: "remote",
        // Outputs are shared with the workspaces that read them (tfe-outputs wiring), never with the whole organization.
        globalRemoteState: false,
        remoteStateConsumerIds: readBy.map((reader) => (this.workspaces.get(reader) as Workspace).id),
      });
      const env = (key: string, value: string) =>
        new Variable(this, `${node.name}-${key}`, { workspaceId: workspace.id, category: "env", key, value, sensitive: false });
      env("TFC_AWS_PROVIDER_AUTH", "true");
      env("TFC_AWS_RUN_ROLE_ARN", node.account.runRoleArn as string);
      for (const before of node.after) {
        new RunTrigger(this, `trigger-${before}-${node.name}`, { workspaceId: workspace.id, sourceableId: (this.workspaces.get(before) as Workspace).id });
      }
    }

    // Variables wiring: each wired value as a Terraform variable of the workspace that takes it, read from its producer's outputs
    // (empty until the producer has applied; run `npm run tfc` again then).
    if (config.wiring.mode === "variables") {
      const outputs = new Map<string, DataTfeOutputs>();
      for (const hop of hops) {
        let producer = outputs.get(hop.fromStack);
        if (!producer) {
          producer = new DataTfeOutputs(this, `outputs-${hop.fromStack}`, { organization: backend.organization, workspace: workspaceOf(hop.fromStack) });
          outputs.set(hop.fromStack, producer);
        }
        const found = Fn.lookup(producer.nonsensitiveValues, hop.value.name, null);
        const hcl = hop.value.type !== "string";
        new Variable(this, `${hop.stack}-${hop.value.name}`, {
          workspaceId: (this.workspaces.get(hop.stack) as Workspace).id,
          category: "terraform",
          key: hop.value.name,
          value: Fn.try([hcl ? Fn.jsonencode(found) : found, ""]) as string,
          hcl,
          sensitive: false,
          description: `${hop.value.description} From the ${workspaceOf(hop.fromStack)} workspace's output.`,
        });
      }
    }
    new TerraformOutput(this, "workspaces", {
      value: Object.fromEntries([...this.workspaces].map(([stack, w]) => [stack, w.name])),
      description: "The workspace of each stack.",
    });
  }
}
