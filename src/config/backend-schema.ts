import * as v from "valibot";
import { derivedDefault, described, iamArnMessage, roleArn } from "./schema-fields";
import { WORKSPACE_NAME } from "./workspaces";

/** The config's `backend` (where state lives: S3 or Terraform Cloud) and `wiring` (how values cross stacks) sections. */

const workspaceName = v.pipe(
  v.string("expected a workspace name"),
  v.regex(WORKSPACE_NAME, "expected a Terraform Cloud workspace name: at most 90 letters, digits, - and _"),
);

/**
 * A branch name as git allows it (git check-ref-format): no space, control
 * character or any of ~ ^ : ? * [ \; no "..", "//" or "@{"; no component
 * starting with "."; not starting with "-" or "/"; not ending in "/", "." or
 * ".lock"; not "@" alone.
 */
const branchName = v.pipe(
  v.string("expected a branch"),
  v.regex(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: git refuses control characters in a branch name; the class excludes them.
    /^(?![-/.])(?!.*(?:\.\.|\/\/|@\{|\/\.|\.lock\/|\.lock$|[/.]$))(?!@$)[^\x00-\x20\x7f~^:?*[\\]+$/,
    'expected a branch name git allows: no spaces or ~ ^ : ? * [ \\, no "..", "//" or "@{", not starting with "-" or "." nor ending in "/", "." or ".lock"',
  ),
);

export const BackendSchema = v.variant(
  "type",
  [
    v.strictObject({
      type: described(v.literal("s3", 'expected "s3" or "cloud"'), "`s3`: each stack keeps its state in its account's S3 bucket."),
    }),
    v.strictObject({
      type: described(v.literal("cloud", 'expected "s3" or "cloud"'), "`cloud`: each stack is a Terraform Cloud workspace."),
      organization: described(
        v.pipe(v.string("expected an organization name"), v.regex(/^[A-Za-z0-9_-]{1,60}$/, "expected a Terraform Cloud organization name")),
        "Terraform Cloud organization.",
      ),
      hostname: v.optional(
        described(
          v.pipe(v.string("expected a hostname"), v.regex(/^[a-z0-9.-]+$/, "expected a hostname such as app.terraform.io")),
          "Terraform Cloud or Enterprise host.",
        ),
        "app.terraform.io",
      ),
      workspacePrefix: v.optional(
        derivedDefault(
          described(
            v.pipe(v.string("expected a prefix"), v.regex(/^[A-Za-z0-9_-]{0,60}$/, "expected letters, digits, - and _")),
            "Workspace names are this prefix plus the stack name.",
          ),
          "`<project>-`",
        ),
      ),
      workspaces: v.optional(
        described(
          v.record(v.string(), workspaceName, "expected an object of stack name to workspace name"),
          "Workspace names by stack name, overriding the prefix.",
        ),
      ),
      project: v.optional(
        described(
          v.pipe(v.string("expected a project name"), v.minLength(1, "expected a project name")),
          "Terraform Cloud project of the workspaces (an existing one; `npm run tfc` looks it up).",
        ),
      ),
      vcsRepo: v.optional(
        described(
          v.strictObject({
            identifier: described(
              v.pipe(
                v.string("expected a repository"),
                v.regex(
                  /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/,
                  "expected <organization>/<repository> (GitHub, Bitbucket), <group>/<subgroup>/<project> (GitLab) or " +
                    "<organization>/<project>/_git/<repository> (Azure DevOps)",
                ),
              ),
              "Repository whose pushes start the runs, as the VCS provider writes it: `<organization>/<repository>` (GitHub, Bitbucket), " +
                "`<group>/<subgroup>/<project>` (GitLab) or `<organization>/<project>/_git/<repository>` (Azure DevOps).",
            ),
            oauthTokenId: described(
              v.pipe(v.string("expected an OAuth token id"), v.regex(/^ot-[A-Za-z0-9]+$/, "expected a Terraform Cloud OAuth token id such as ot-AbCd1234")),
              "The organization's VCS connection (OAuth token id) that reaches the repository.",
            ),
            branch: v.optional(described(branchName, "Branch that starts runs, a name git allows (`git check-ref-format --branch`)."), "main"),
          }),
          "Connect every workspace `npm run tfc` makes to this repository: a push plans every stack whose synthesized files changed. " +
            "The synthesized stacks (`cdktf.out/stacks`) must then be in the repository.",
        ),
      ),
    }),
  ],
  'expected a backend with "type": "s3" or "cloud"',
);

export const WiringSchema = v.strictObject({
  mode: v.optional(
    described(
      v.picklist(["variables", "remote-state", "tfe-outputs"], 'expected "variables", "remote-state" or "tfe-outputs"'),
      "`variables`: outputs are copied to the next stack's variables (`npm run wire`; with the cloud backend, `npm run tfc` sets them as workspace " +
        "variables). `remote-state`: the next stack reads the producer's S3 state. `tfe-outputs` (cloud backend only): the next stack reads the " +
        "producer workspace's outputs (`tfe_outputs`), which share their state with the workspaces that read them only.",
    ),
    "variables",
  ),
  stateReadRoleArn: v.optional(
    described(
      roleArn,
      "In `remote-state` mode, a role that may read the producers' state files instead of the read-only " +
        "role each bootstrap stack then creates (`<project>-state-reader-<owner>`). Never a deployer role. It may decrypt the state of the buckets it reads.",
    ),
  ),
  stateReaders: v.optional(
    described(
      v.array(
        v.pipe(
          v.string("expected an IAM role or user ARN"),
          v.regex(
            /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/,
            iamArnMessage(
              "expected an IAM role or user ARN such as arn:aws:iam::444444444444:role/ci (an account root would let any principal of that account read state)",
            ),
          ),
        ),
        "expected a list of IAM role or user ARNs",
      ),
      "In `remote-state` mode, the identities Terraform runs as (for example a CI role in a tooling account that can assume each " +
        "`account.roleArn`): a remote-state read runs as that identity, not as the stack's deployer role, so each bootstrap stack's " +
        "read-only role trusts exactly these. Required in `remote-state` mode unless `stateReadRoleArn` is set.",
    ),
    [],
  ),
});

/** The `backend` and `wiring` sections with the schema's defaults filled in. */
export type BackendInput = v.InferOutput<typeof BackendSchema>;
export type WiringInput = v.InferOutput<typeof WiringSchema>;
