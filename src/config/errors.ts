/**
 * Config problems and how they are shown. Every problem names the field path,
 * the value given and what is accepted; `ConfigError` carries all of them so
 * one run reports everything that is wrong.
 */

/**
 * A stable name for each kind of problem, for tests and tools to match on
 * while the wording of messages stays free to improve. `field.*` codes come
 * from the schema (one field on its own); the others from the rules that
 * span fields (the `*-rules.ts` files) and from reading the file.
 */
export const PROBLEM_CODES = [
  // reading the file
  "file.unreadable",
  "file.empty",
  "file.malformed-json",
  "file.not-an-object",
  // one field, from the schema
  "field.missing",
  "field.unknown",
  "field.type",
  "field.not-one-of",
  "field.format",
  // accounts and ARNs
  "arn.partition",
  "account.role-other-account",
  "account.ca-bundle-without-https",
  // networks
  "vpc.cidr-reserved-range",
  "vpc.cidr-size",
  "az.other-region",
  "az.repeated",
  "subnet.public-without-public-subnets",
  "subnet.count",
  "subnet.vpc-too-small",
  "subnet.outside-vpc",
  "subnet.too-small",
  "subnet.overlap",
  "network.vpc-missing",
  "network.existing-vpc-mixed",
  "network.subnets-without-vpc",
  "network.vpc-without-subnets",
  "network.subnet-repeated",
  "network.provider-subnets",
  // AWS-service endpoints
  "endpoint.repeated",
  "endpoint.gateway-unsupported",
  "endpoint.private-dns-on-gateway",
  "endpoint.inbound-resolver-not-s3-interface",
  "endpoint.s3-private-dns-needs-gateway",
  "endpoint.policy-unsupported",
  "endpoint.buckets-not-s3",
  "endpoint.buckets-and-resources",
  // the service
  "service.page-and-user-data",
  "service.dual-stack-without-ipv6",
  "service.user-data-too-large",
  "service.ssh-port",
  "service.port-missing",
  "service.port-and-listeners",
  "service.proxy-protocol-default-user-data",
  "listener.port-repeated",
  "listener.tls-needs-certificate",
  "listener.tls-option-on-tcp",
  "listener.certificate-elsewhere",
  // shared resources
  "resource.name-repeated",
  "resource.address-missing",
  "resource.address-both",
  "resource.port-range",
  "resource.port-overlap",
  "resource.name-collides",
  "resource.address-unreachable",
  "resource.address-outside-vpc",
  "resource.dns-name-length",
  "resource.dns-name-private",
  "resource.rules-over-quota",
  // alarms
  "alarms.topic-other-region",
  // consumers
  "consumer.region-not-cross-region",
  "consumer.dual-stack-without-ipv6",
  "consumer.dual-stack-without-service",
  "consumer.az-lookup-cross-region",
  "consumer.alarms-cross-region",
  "consumer.resource-unknown",
  "consumer.resource-repeated",
  "consumer.resources-cross-region",
  "consumer.principal-other-account",
  "consumer.principal-with-path",
  "consumer.deployer-not-allowed",
  "consumer.deployer-role-with-path",
  "consumer.az-not-served",
  "consumer.name-repeated",
  "consumer.name-reserved",
  "client-cidr.unbounded",
  "client-cidr.repeated",
  "client-cidr.whole-space",
  // state and wiring
  "backend.state-missing",
  "backend.workspace-name",
  "backend.workspace-shared",
  "backend.run-role-missing",
  "wiring.tfe-outputs-with-s3",
  "no-effect.run-role",
  "no-effect.organization-id",
  "wiring.remote-state-with-cloud",
  "no-effect.workspace",
  "no-effect.state-read-role",
  "no-effect.state-readers",
  "wiring.state-readers-missing",
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

export interface ConfigProblem {
  /** Stable kind of the problem. */
  readonly code: ProblemCode;
  /** Dotted path of the field, e.g. `consumers[0].network.cidr`; empty for the whole file. */
  readonly path: string;
  /** What is wrong and what is accepted. */
  readonly message: string;
  /** The value given; `undefined` when the field is missing. */
  readonly value?: unknown;
}

/** Where the rules collect what they find. */
export type Problems = ConfigProblem[];

export class ConfigError extends Error {
  constructor(
    /** The config file the problems were found in. */
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(formatProblems(file, problems));
    this.name = "ConfigError";
  }
}

/** `a.b[0].c` from a list of keys. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "");
}

function showValue(value: unknown): string {
  if (value === undefined) return "nothing (the field is missing)";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function formatProblems(file: string, problems: readonly ConfigProblem[]): string {
  const lines = problems.map((p) => {
    const where = p.path || "(file)";
    const got = "value" in p ? `; got ${showValue(p.value)}` : "";
    return `  - ${where}: ${p.message}${got} [${p.code}]`;
  });
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return `Invalid config ${file}: ${count}\n${lines.join("\n")}\nNothing was synthesized. See docs/configuration.md for every field.`;
}
