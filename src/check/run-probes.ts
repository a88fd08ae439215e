import { DescribeInstanceInformationCommand, GetCommandInvocationCommand, SendCommandCommand } from "@aws-sdk/client-ssm";
import { type AccountClients, awsErrorCode } from "./aws";
import type { ProbeTarget } from "./path";
import { type ProbeResult, parseProbeOutput, probeCommands } from "./probe-script";

/** A consumer whose client cannot be probed: the message names the consumer, the instance and what to do. */
export class ProbeError extends Error {}

/** How long one probe may take on the instance (its connect timeout is 5 s), and the command's floor (SSM's minimum TimeoutSeconds is 30). */
const SECONDS_PER_PROBE = 6;
const MIN_COMMAND_SECONDS = 30;

/** What Run Command needs on AWS, for the message when an instance is not managed. */
const SESSION_MANAGER_NEEDS =
  "Systems Manager must manage it: the SSM Agent running (Amazon Linux 2023 ships it), an instance profile with AmazonSSMManagedInstanceCore, " +
  "and a path to the ssm, ssmmessages and ec2messages endpoints (network.sessionManager: true gives the consumer all of these; deploy it, " +
  "then allow a few minutes for the agent to register)";

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Runs every probe from the client instance through SSM Run Command
 * (`AWS-RunShellScript`) and waits for the answer: SendCommand is
 * asynchronous, so GetCommandInvocation is polled until the invocation ends
 * (Systems Manager API reference, SendCommand and GetCommandInvocation).
 */
export async function runProbes(clients: AccountClients, consumer: string, instanceId: string, targets: readonly ProbeTarget[]): Promise<ProbeResult[]> {
  const where = `consumer ${consumer}: client instance ${instanceId}`;
  const denied = (action: string, err: unknown) =>
    new ProbeError(
      `${where}: ${action} was denied to ${clients.identity} (${(err as Error).message}); ` +
        `grant it ${action} on the instance and on document AWS-RunShellScript.`,
    );
  let managed: boolean;
  try {
    const { InstanceInformationList } = await clients.ssm.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: "InstanceIds", Values: [instanceId] }] }),
    );
    managed = (InstanceInformationList ?? []).some((i) => i.InstanceId === instanceId && i.PingStatus === "Online");
  } catch (err) {
    if (/AccessDenied/.test(awsErrorCode(err) ?? "")) throw denied("ssm:DescribeInstanceInformation", err);
    throw new ProbeError(`${where}: ssm:DescribeInstanceInformation failed: ${(err as Error).message}`);
  }
  if (!managed) throw new ProbeError(`${where} is not registered with Session Manager, so nothing can be run on it. ${SESSION_MANAGER_NEEDS}.`);

  const seconds = Math.max(MIN_COMMAND_SECONDS, targets.length * SECONDS_PER_PROBE);
  let commandId: string | undefined;
  try {
    const sent = await clients.ssm.send(
      new SendCommandCommand({
        InstanceIds: [instanceId],
        DocumentName: "AWS-RunShellScript",
        Comment: "npm run check: TCP probes through the PrivateLink endpoint",
        TimeoutSeconds: seconds,
        Parameters: { commands: probeCommands(targets), executionTimeout: [String(seconds)] },
      }),
    );
    commandId = sent.Command?.CommandId;
  } catch (err) {
    const code = awsErrorCode(err) ?? "";
    if (/AccessDenied/.test(code)) throw denied("ssm:SendCommand", err);
    if (code === "InvalidInstanceId") throw new ProbeError(`${where}: Run Command refused it (InvalidInstanceId). ${SESSION_MANAGER_NEEDS}.`);
    throw new ProbeError(`${where}: ssm:SendCommand failed: ${(err as Error).message}`);
  }
  if (!commandId) throw new ProbeError(`${where}: ssm:SendCommand returned no command id`);
  return parseProbeOutput(await invocationOutput(clients, where, commandId, instanceId, seconds), targets);
}

/** The invocation's standard output once it succeeded; a ProbeError when it failed or did not end in time. */
async function invocationOutput(clients: AccountClients, where: string, commandId: string, instanceId: string, seconds: number): Promise<string> {
  const deadline = Date.now() + (seconds + 30) * 1000;
  for (let wait = 250; Date.now() < deadline; wait = Math.min(wait * 2, 2000)) {
    try {
      const invocation = await clients.ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }));
      const status = invocation.Status ?? "Pending";
      if (status === "Success") return invocation.StandardOutputContent ?? "";
      if (["Failed", "TimedOut", "Cancelled"].includes(status)) {
        const detail = (invocation.StandardErrorContent || invocation.StandardOutputContent || invocation.StatusDetails || "").trim().slice(0, 500);
        throw new ProbeError(`${where}: the probe command ${commandId} ended ${status}${detail ? `: ${detail}` : ""}`);
      }
    } catch (err) {
      if (err instanceof ProbeError) throw err;
      // Right after SendCommand the invocation may not exist yet.
      if (awsErrorCode(err) !== "InvocationDoesNotExist") {
        if (/AccessDenied/.test(awsErrorCode(err) ?? "")) {
          throw new ProbeError(`${where}: ssm:GetCommandInvocation was denied to ${clients.identity}; grant it ssm:GetCommandInvocation.`);
        }
        throw new ProbeError(`${where}: ssm:GetCommandInvocation failed: ${(err as Error).message}`);
      }
    }
    await sleep(wait);
  }
  throw new ProbeError(`${where}: the probe command ${commandId} did not finish within ${seconds + 30} s`);
}
