import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { BINDINGS_AWS_PROVIDER_VERSION } from "../config/bindings";
import { EMULATOR_CREDENTIALS } from "../state/backend";
import type { AccountConfig, PrivateLinkConfig } from "../config/types";

export interface AwsAccountProviderProps {
  /** The account every resource of the stack lives in. */
  readonly account: AccountConfig;
  /** Tags applied to every taggable resource. */
  readonly tags: Readonly<Record<string, string>>;
  /** Version constraint on hashicorp/aws for the stack (config `awsProviderVersion`). */
  readonly version: string;
  /** With an emulator: its CA bundle, as Terraform sees the path. @default none */
  readonly caBundle?: string;
  /** Session name used when assuming `account.roleArn`. @default "privatelink-cdktf" */
  readonly sessionName?: string;
  /** Services beyond the ones every config calls that this config's options call too (`optionalServices`), also sent to an emulator. @default none */
  readonly optionalServices?: readonly OptionalService[];
}

/**
 * The AWS provider of one stack, locked to one account: `allowed_account_ids`
 * makes a wrong credential fail before any change, and `assume_role` is used
 * when the config names a role.
 */
export class AwsAccountProvider extends Construct {
  readonly provider: AwsProvider;

  constructor(scope: Construct, id: string, props: AwsAccountProviderProps) {
    super(scope, id);
    const { account } = props;
    this.provider = new AwsProvider(this, "aws", {
      region: account.region,
      allowedAccountIds: [account.id],
      assumeRole: account.roleArn ? [{ roleArn: account.roleArn, sessionName: props.sessionName ?? "privatelink-cdktf" }] : undefined,
      defaultTags: [{ tags: { ...props.tags } }],
      ...(account.endpointUrl ? emulatorSettings(account.endpointUrl, props.caBundle, props.optionalServices ?? []) : {}),
    });
    // The bindings pin the version they were generated from; a team's mirror may serve another.
    if (props.version !== BINDINGS_AWS_PROVIDER_VERSION) TerraformStack.of(this).addOverride("terraform.required_providers.aws.version", props.version);
  }
}

/** The AWS services every config calls, all sent to an emulator when `endpointUrl` is set. */
const SERVICES = ["autoscaling", "ec2", "elbv2", "iam", "kms", "logs", "route53", "s3", "sns", "ssm", "sts"] as const;

/** Services only some options call: CloudWatch for alarms, RAM and VPC Lattice for shared resources. */
export type OptionalService = "cloudwatch" | "ram" | "vpclattice";

/** The optional services a config's options call, so a config without them names exactly the services it always did. */
export function optionalServices(config: PrivateLinkConfig): OptionalService[] {
  const alarms = config.provider.service.alarms !== undefined || config.consumers.some((c) => c.alarms !== undefined);
  const resources = config.provider.resources.length > 0;
  return [...(alarms ? (["cloudwatch"] as const) : []), ...(resources ? (["ram", "vpclattice"] as const) : [])];
}

/** Provider settings that point every call at an emulator (moto, LocalStack). */
function emulatorSettings(url: string, caBundle: string | undefined, optional: readonly OptionalService[]) {
  return {
    ...EMULATOR_CREDENTIALS,
    customCaBundle: caBundle,
    endpoints: [Object.fromEntries([...SERVICES, ...optional].sort().map((service) => [service, url]))],
    s3UsePathStyle: true,
    skipCredentialsValidation: true,
    skipMetadataApiCheck: "true",
    skipRegionValidation: true,
    // An emulator answers at once: a few attempts ride out a dropped connection,
    // while the default 25 would hide its "not implemented" errors for minutes.
    maxRetries: 5,
  };
}
