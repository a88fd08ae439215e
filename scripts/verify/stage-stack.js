#!/usr/bin/env node
// node scripts/verify/stage-stack.js <synthesized stack dir> <work dir> <provider version> [local state dir]
// Copies a stack's cdk.tf.json into a work dir for terraform. When the
// provider Terraform can get here is not the 6.25.0 cdktf pins, the copy's
// version constraint names the one it can get (the caller says so in its
// output); a local backend path is moved into the work area.
const { mkdirSync, readFileSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");

const [stackDir, workDir, version, stateDir] = process.argv.slice(2);
const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
json.terraform.required_providers.aws.version = version;
// checkov and some tools choke on it; cdktf does not set it, so this only guards.
delete json.terraform.required_version;
if (json.terraform.backend?.local && stateDir) json.terraform.backend.local.path = join(stateDir, `${json["//"].metadata.stackName}.tfstate`);
mkdirSync(workDir, { recursive: true });
writeFileSync(join(workDir, "cdk.tf.json"), JSON.stringify(json, null, 2));
