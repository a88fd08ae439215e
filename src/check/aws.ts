import { readFileSync } from "node:fs";
import { Agent } from "node:https";
import { resolve } from "node:path";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { SSMClient } from "@aws-sdk/client-ssm";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { VPCLatticeClient } from "@aws-sdk/client-vpc-lattice";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { AccountConfig } from "../config/types";
import { EMULATOR_CREDENTIALS } from "../state/backend";

// The SDK warns on Node 20 that releases after January 2027 will need Node 22; the versions pinned here run on
// Node 20 (package.json engines), so the warning would only clutter the check's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** The API clients of one account, signed as the lifecycle signs: its `roleArn` when set, assumed from the caller's credentials. */
export interface AccountClients {
  readonly ec2: EC2Client;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly ssm: SSMClient;
  /** Resource gateways and configurations (PrivateLink for resources). */
  readonly lattice: VPCLatticeClient;
  /** Who the calls run as, for messages: the role, or "the caller's credentials". */
  readonly identity: string;
}

/** Static credentials; undefined leaves the SDK's default chain (environment, profile, instance role). */
interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** A failure to get credentials for an account, named for the operator. */
export class CredentialsError extends Error {}

/**
 * Clients for the account: in its region, through its emulator (endpointUrl,
 * with the emulator's CA bundle and dummy keys) when it has one, and as its
 * `roleArn` when set, as the Terraform providers of its stacks are.
 */
export async function accountClients(account: AccountConfig, sessionName = "privatelink-check"): Promise<AccountClients> {
  const common = {
    region: account.region,
    ...(account.endpointUrl ? { endpoint: account.endpointUrl, maxAttempts: 3 } : {}),
    ...(account.endpointCaBundle
      ? { requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca: readFileSync(resolve(account.endpointCaBundle)) }) }) }
      : {}),
  };
  const base: Credentials | undefined = account.endpointUrl
    ? { accessKeyId: EMULATOR_CREDENTIALS.accessKey, secretAccessKey: EMULATOR_CREDENTIALS.secretKey }
    : undefined;
  let credentials = base;
  if (account.roleArn) {
    try {
      const { Credentials: c } = await new STSClient({ ...common, credentials: base }).send(
        new AssumeRoleCommand({ RoleArn: account.roleArn, RoleSessionName: sessionName }),
      );
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error("AssumeRole returned no credentials");
      credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
    } catch (err) {
      throw new CredentialsError(
        `cannot assume ${account.roleArn} in account ${account.id}: ${(err as Error).message}. ` +
          "Give the command credentials that may assume it (AWS_PROFILE, or the environment's AWS_* keys), as npm run deploy needs.",
      );
    }
  }
  const clients = { ...common, credentials };
  return {
    ec2: new EC2Client(clients),
    elbv2: new ElasticLoadBalancingV2Client(clients),
    ssm: new SSMClient(clients),
    lattice: new VPCLatticeClient(clients),
    identity: account.roleArn ?? "the caller's credentials",
  };
}

/** An AWS error's code (`AccessDeniedException`, `InvalidInstanceId`…), or undefined for other errors. */
export function awsErrorCode(err: unknown): string | undefined {
  const e = err as { name?: string; Code?: string; $metadata?: unknown };
  return e && typeof e === "object" && "$metadata" in e ? (e.Code ?? e.name) : undefined;
}
