import { readFileSync } from "node:fs";
import * as v from "valibot";
import { ConfigError, type ConfigProblem, formatPath } from "./errors";
import { stackNames } from "../wiring/contract";
import {
  checkBackend,
  checkClientCidrs,
  checkConsumerNames,
  checkNoEffect,
  checkPartition,
  checkConsumerPlacement,
  checkService,
  resolveAccount,
  resolveNetwork,
} from "./rules";
import { AccountSchema, BackendSchema, ClientCidrsSchema, ConfigSchema, ConsumerSchema, NetworkSchema, ServiceSchema } from "./schema";
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
  // Windows editors save UTF-8 with a byte-order mark; JSON.parse refuses it.
  text = text.replace(/^\uFEFF/, "");
  if (text.trim() === "") {
    throw new ConfigError(file, [{ path: "", message: "the file is empty; expected a JSON object (start from config/example.json)" }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(file, [{ path: "", message: `malformed JSON (${(err as Error).message}); expected a JSON object` }]);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(file, [{ path: "", message: "expected a JSON object at the top level (start from config/example.json)", value: raw }]);
  }
  return validateConfig(raw, file);
}

/** Validates an already-parsed config object; throws `ConfigError` listing every problem. */
export function validateConfig(raw: unknown, file = "<inline>"): PrivateLinkConfig {
  const problems: ConfigProblem[] = [];
  const parsed = v.safeParse(ConfigSchema, raw, { abortEarly: false });
  if (!parsed.success) problems.push(...parsed.issues.flatMap(toProblems));

  // Cross-field rules run on every part that type-checked on its own, so a
  // typo in one consumer does not hide a bad subnet in another.
  const at = (value: unknown, ...keys: (string | number)[]): unknown =>
    keys.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string | number, unknown>)[k] : undefined), value);
  // valibot's record takes a list as an object with keys 0, 1, …
  if (Array.isArray(at(raw, "tags")))
    problems.push({ path: "tags", message: 'expected an object of string tags such as { "team": "network" }', value: at(raw, "tags") });
  const part = <T extends v.GenericSchema>(schema: T, value: unknown): v.InferOutput<T> | undefined => {
    const result = v.safeParse(schema, value);
    return result.success ? result.output : undefined;
  };

  const account = part(AccountSchema, at(raw, "provider", "account"));
  const network = part(NetworkSchema, at(raw, "provider", "network"));
  const service = part(ServiceSchema, at(raw, "provider", "service"));
  const resolvedAccount = account && resolveAccount(account, "provider.account", problems);
  const resolvedNetwork = account && network && resolveNetwork(network, "provider.network", account.region, problems);
  if (service) checkService(service, "provider.service", problems);
  const readRole = at(raw, "wiring", "stateReadRoleArn");
  if (account && typeof readRole === "string") checkPartition(readRole, account.region, "wiring.stateReadRoleArn", problems);

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
    const azLookup = at(c, "azLookup") === true;
    if (cAccount && cNetwork && providerFacts) checkConsumerPlacement(cAccount, cNetwork, path, providerFacts, azLookup, problems);
    if (cAllowed) checkClientCidrs(cAllowed, `${path}.allowedClientCidrs`, problems);
    const whole = part(ConsumerSchema, c);
    if (!whole || !resolved.account || !resolved.network) return undefined;
    return {
      name: whole.name,
      account: resolved.account,
      network: resolved.network,
      allowedClientCidrs: whole.allowedClientCidrs ?? [whole.network.cidr],
      clientInstanceType: whole.clientInstanceType,
      clientDetailedMonitoring: whole.clientDetailedMonitoring,
      azLookup: whole.azLookup,
    };
  });
  const consumerList: unknown[] = Array.isArray(rawConsumers) ? rawConsumers : [];
  const stringAt = (c: unknown, ...keys: string[]) => {
    const value = at(c, ...keys);
    return typeof value === "string" ? value : undefined;
  };
  checkConsumerNames(
    consumerList.map((c) => stringAt(c, "name")),
    problems,
  );

  const backend = part(BackendSchema, at(raw, "backend") ?? { type: "s3" });
  if (backend) {
    const mode = at(raw, "wiring", "mode");
    const accounts = [
      ...(account ? [["provider.account", account] as const] : []),
      ...consumerList.flatMap((c, i) => {
        const a = part(AccountSchema, at(c, "account"));
        return a ? [[`consumers[${i}].account`, a] as const] : [];
      }),
    ];
    checkBackend(backend, typeof mode === "string" ? mode : undefined, accounts, problems);
  }

  if (problems.length > 0 || !parsed.success || !resolvedAccount || !resolvedNetwork || !service) {
    throw new ConfigError(file, dedupe(problems));
  }
  const provider: ProviderConfig = { account: resolvedAccount, network: resolvedNetwork, service };
  const config: PrivateLinkConfig = {
    project: parsed.output.project,
    awsProviderVersion: parsed.output.awsProviderVersion,
    tags: parsed.output.tags,
    wiring: parsed.output.wiring,
    backend: parsed.output.backend,
    provider,
    consumers: consumers.filter((c): c is ConsumerConfig => c !== undefined),
  };
  // Needs the whole config (the stack names), so it runs once everything else holds.
  checkNoEffect(config, stackNames(config), problems);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return config;
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

function toProblems(issue: v.BaseIssue<unknown>): ConfigProblem[] {
  const keys = (issue.path ?? []).map((item) => item.key as PropertyKey);
  const last = issue.path?.at(-1);
  const isKeyIssue = (issue.type === "strict_object" || issue.type === "object") && last?.origin === "key";
  if (isKeyIssue && issue.expected === "never") {
    // valibot stops at an object's first unknown field; name them all.
    const accepted = Object.keys(schemaAt(keys.slice(0, -1)).entries ?? {});
    const parent = last.input !== null && typeof last.input === "object" ? Object.keys(last.input as object) : [String(last.key)];
    return parent
      .filter((key) => !accepted.includes(key))
      .map((key) => ({ path: formatPath(keys.slice(0, -1)), message: `unknown field ${key}; accepted fields: ${accepted.join(", ")}` }));
  }
  if (isKeyIssue && issue.received === "undefined") {
    return [{ path: formatPath(keys), message: `missing required field; ${describe(schemaAt(keys))}`, value: undefined }];
  }
  // valibot's own messages ("Invalid type: Expected Object but received 5") are shortened to ours.
  const message = issue.message.startsWith("Invalid ") ? `expected ${issue.expected}` : issue.message;
  return [{ path: formatPath(keys), message, value: issue.input }];
}

type SchemaNode = {
  entries?: Record<string, unknown>;
  item?: unknown;
  wrapped?: unknown;
  pipe?: unknown[];
  options?: SchemaNode[];
  message?: unknown;
  expects?: string;
};

/** The schema node at `path`, unwrapped from optional and pipe. */
function schemaAt(path: readonly PropertyKey[]): SchemaNode {
  const unwrap = (schema: unknown): SchemaNode => {
    let node = (schema ?? {}) as SchemaNode;
    for (;;) {
      if (node.wrapped) node = node.wrapped as SchemaNode;
      else if (node.pipe && node.pipe[0] !== node) node = node.pipe[0] as SchemaNode;
      else return node;
    }
  };
  let node = unwrap(ConfigSchema);
  for (const key of path) {
    // A variant (the backend): the first option that has the field.
    const entries = node.entries ?? node.options?.map(unwrap).find((o) => o.entries && String(key) in o.entries)?.entries;
    node = unwrap(typeof key === "number" ? node.item : entries?.[String(key)]);
  }
  return node;
}

/** What a field accepts, from its schema's own message. */
function describe(node: SchemaNode): string {
  if (typeof node.message === "string") return node.message;
  if (node.entries) return `expected an object with fields ${Object.keys(node.entries).join(", ")}`;
  return `expected ${node.expects ?? "a value"}`;
}
