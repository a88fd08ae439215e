import * as v from "valibot";
import { type ConfigProblem, ConfigError, type Problems } from "./errors";
import { dedupe, issueProblems } from "./issues";
import { checkConsumerNames } from "./consumer-rules";
import { at, part } from "./parts";
import { resolveConsumer } from "./resolve-consumer";
import { checkRuleQuota } from "./resource-rules";
import { resolveProvider } from "./resolve-provider";
import { checkNoEffect, checkPartition, resolveBackend } from "./rules";
import { AccountSchema } from "./account-schema";
import { BackendSchema } from "./backend-schema";
import { ConfigSchema } from "./schema";
import { acceptedBy, listsForObjects } from "./schema-walk";
import type { ConsumerConfig, PrivateLinkConfig } from "./types";

/**
 * A rule on the whole, resolved config that a layer above this one knows
 * (the stacks it makes, for one), so that its problems are listed with
 * every other.
 */
export type WholeConfigCheck = (config: PrivateLinkConfig) => readonly ConfigProblem[];

/**
 * Validates an already-parsed config object: the schema on the whole, then
 * the cross-field rules on every part that type-checked on its own, so a
 * typo in one consumer does not hide a bad subnet in another. Throws
 * `ConfigError` listing every problem; returns the resolved config.
 */
export function validateConfig(raw: unknown, file = "<inline>", wholeConfigChecks: readonly WholeConfigCheck[] = []): PrivateLinkConfig {
  const problems: Problems = [];
  const parsed = v.safeParse(ConfigSchema, raw, { abortEarly: false });
  if (!parsed.success) problems.push(...parsed.issues.flatMap(issueProblems));

  // valibot takes a list as an object with keys 0, 1, … (`alarms: []` as alarms with every default): a list is refused wherever an object is expected.
  for (const given of listsForObjects(raw)) {
    const message = given.path === "tags" ? 'expected an object of string tags such as { "team": "network" }' : `${acceptedBy(given.node)}, not a list`;
    problems.push({ code: "field.type", path: given.path, message, value: given.value });
  }

  const provider = resolveProvider(at(raw, "provider"), problems);
  const { accountInput } = provider;
  if (accountInput) checkWiringPartitions(at(raw, "wiring"), accountInput.region, problems);
  const rawConsumers: unknown[] = Array.isArray(at(raw, "consumers")) ? (at(raw, "consumers") as unknown[]) : [];
  const context = { provider: provider.facts, providerOrganizationId: accountInput?.organizationId, sharedNames: provider.sharedNames };
  const consumers = rawConsumers.map((c, i) => resolveConsumer(c, i, context, problems));
  checkConsumerNames(
    rawConsumers.map((c) => (typeof at(c, "name") === "string" ? (at(c, "name") as string) : undefined)),
    problems,
  );

  const backendInput = part(BackendSchema, at(raw, "backend") ?? v.getDefault(ConfigSchema.entries.backend));
  const project = typeof at(raw, "project") === "string" ? (at(raw, "project") as string) : "";
  const accounts = [
    ...(accountInput ? [["provider.account", accountInput] as const] : []),
    ...rawConsumers.flatMap((c, i) => {
      const account = part(AccountSchema, at(c, "account"));
      return account ? [[`consumers[${i}].account`, account] as const] : [];
    }),
  ];
  const mode = at(raw, "wiring", "mode");
  const backend = backendInput && resolveBackend(backendInput, project, typeof mode === "string" ? mode : undefined, accounts, problems);

  if (problems.length > 0 || !parsed.success || !provider.config || !backend) {
    throw new ConfigError(file, dedupe(problems));
  }
  const config: PrivateLinkConfig = {
    project: parsed.output.project,
    awsProviderVersion: parsed.output.awsProviderVersion,
    tags: parsed.output.tags,
    wiring: parsed.output.wiring,
    backend,
    provider: provider.config,
    consumers: consumers.filter((c): c is ConsumerConfig => c !== undefined),
  };
  // These need the whole config, so they run once everything else holds.
  checkNoEffect(config, problems);
  checkRuleQuota(config, problems);
  for (const check of wholeConfigChecks) problems.push(...check(config));
  if (problems.length > 0) throw new ConfigError(file, problems);
  return config;
}

/** The state-reading roles of `wiring` are of the provider's partition. */
function checkWiringPartitions(wiring: unknown, region: string, problems: Problems): void {
  const readRole = at(wiring, "stateReadRoleArn");
  if (typeof readRole === "string") checkPartition(readRole, region, "wiring.stateReadRoleArn", problems);
  const readers = at(wiring, "stateReaders");
  if (Array.isArray(readers)) {
    readers.forEach((arn, i) => {
      if (typeof arn === "string") checkPartition(arn, region, `wiring.stateReaders[${i}]`, problems);
    });
  }
}
