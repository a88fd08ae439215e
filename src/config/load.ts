import { readFileSync } from "node:fs";
import type { z } from "zod";
import { ConfigError, type ConfigProblem, formatPath } from "./errors";
import { checkClientCidrs, checkConsumerNames, checkConsumerPlacement, checkService, resolveAccount, resolveNetwork } from "./rules";
import { AccountSchema, ClientCidrsSchema, ConfigSchema, ConsumerSchema, NetworkSchema, ServiceSchema } from "./schema";
import type { ConsumerConfig, PrivateLinkConfig, ProviderConfig } from "./types";

/** The config used when `PRIVATELINK_CONFIG` is not set. */
export const DEFAULT_CONFIG_PATH = "config/example.json";

/** Path of the config selected by the environment. */
export function configPathFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.PRIVATELINK_CONFIG || DEFAULT_CONFIG_PATH;
}

/** Reads, parses and validates a config file; throws `ConfigError` listing every problem. */
export function loadConfig(file: string): PrivateLinkConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : (err as Error).message;
    throw new ConfigError(file, [{ path: "", message: `${reason}; expected a JSON config file (set PRIVATELINK_CONFIG=<path>)`, value: file }]);
  }
  if (text.trim() === "") {
    throw new ConfigError(file, [{ path: "", message: "the file is empty; expected a JSON object (start from config/example.json)" }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(file, [{ path: "", message: `malformed JSON (${(err as Error).message}); expected a JSON object` }]);
  }
  return validateConfig(raw, file);
}

/** Validates an already-parsed config object; throws `ConfigError` listing every problem. */
export function validateConfig(raw: unknown, file = "<inline>"): PrivateLinkConfig {
  const problems: ConfigProblem[] = [];
  const parsed = ConfigSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) problems.push(...parsed.error.issues.map(toProblem));

  // Cross-field rules run on every part that type-checked on its own, so a
  // typo in one consumer does not hide a bad subnet in another.
  const at = (value: unknown, ...keys: (string | number)[]): unknown =>
    keys.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string | number, unknown>)[k] : undefined), value);
  const part = <T extends z.ZodType>(schema: T, value: unknown): z.infer<T> | undefined => {
    const result = schema.safeParse(value);
    return result.success ? result.data : undefined;
  };

  const account = part(AccountSchema, at(raw, "provider", "account"));
  const network = part(NetworkSchema, at(raw, "provider", "network"));
  const service = part(ServiceSchema, at(raw, "provider", "service"));
  const resolvedAccount = account && resolveAccount(account, "provider.account", problems);
  const resolvedNetwork = account && network && resolveNetwork(network, "provider.network", account.region, problems);
  if (service) checkService(service, "provider.service", problems);

  const providerFacts = account && network ? { region: account.region, azIds: network.azIds } : undefined;
  const rawConsumers = at(raw, "consumers");
  const consumers = (Array.isArray(rawConsumers) ? rawConsumers : []).map((c: unknown, i): ConsumerConfig | undefined => {
    const path = `consumers[${i}]`;
    const cAccount = part(AccountSchema, at(c, "account"));
    const cNetwork = part(NetworkSchema, at(c, "network"));
    const cAllowed = part(ClientCidrsSchema, at(c, "allowedClientCidrs"));
    const resolved = {
      account: cAccount && resolveAccount(cAccount, `${path}.account`, problems),
      network: cAccount && cNetwork && resolveNetwork(cNetwork, `${path}.network`, cAccount.region, problems),
    };
    if (cAccount && cNetwork && providerFacts) checkConsumerPlacement(cAccount, cNetwork, path, providerFacts, problems);
    if (cAllowed) checkClientCidrs(cAllowed, `${path}.allowedClientCidrs`, problems);
    const whole = part(ConsumerSchema, c);
    if (!whole || !resolved.account || !resolved.network) return undefined;
    return {
      name: whole.name,
      account: resolved.account,
      network: resolved.network,
      allowedClientCidrs: whole.allowedClientCidrs ?? [whole.network.cidr],
      clientInstanceType: whole.clientInstanceType,
    };
  });
  checkConsumerNames(
    (Array.isArray(rawConsumers) ? rawConsumers : []).map((c: unknown) => {
      const name = at(c, "name");
      return typeof name === "string" ? name : undefined;
    }),
    problems,
  );

  if (problems.length > 0 || !parsed.success || !resolvedAccount || !resolvedNetwork || !service) {
    throw new ConfigError(file, dedupe(problems));
  }
  const provider: ProviderConfig = { account: resolvedAccount, network: resolvedNetwork, service };
  return {
    project: parsed.data.project,
    tags: parsed.data.tags,
    wiring: parsed.data.wiring,
    provider,
    consumers: consumers.filter((c): c is ConsumerConfig => c !== undefined),
  };
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

function toProblem(issue: z.core.$ZodIssue): ConfigProblem {
  const path = formatPath(issue.path);
  switch (issue.code) {
    case "unrecognized_keys":
      return {
        path,
        message: `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}; accepted fields: ${acceptedKeys(issue.path).join(", ")}`,
      };
    case "invalid_type":
      if (issue.input === undefined) return { path, message: `missing required field; expected ${issue.expected}`, value: undefined };
      return { path, message: issue.message.replace(/^Invalid input: /, ""), value: issue.input };
    default:
      return { path, message: issue.message.replace(/^Invalid input: /, ""), value: issue.input };
  }
}

/** The field names the schema accepts at `path`, for unknown-field messages. */
function acceptedKeys(path: readonly PropertyKey[]): string[] {
  // zod keeps the schema tree in `_zod.def`; walk it along the issue's path.
  type Def = { type: string; shape?: Record<string, unknown>; element?: unknown; innerType?: unknown };
  const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;
  const unwrap = (schema: unknown): unknown => {
    let s = schema;
    while (defOf(s).innerType) s = defOf(s).innerType;
    return s;
  };
  let schema: unknown = unwrap(ConfigSchema);
  for (const key of path) {
    const def = defOf(schema);
    schema = unwrap(def.type === "array" ? def.element : def.shape?.[String(key)]);
  }
  return Object.keys(defOf(schema).shape ?? {});
}
