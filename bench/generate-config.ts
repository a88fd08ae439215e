/**
 * A config with N consumers, derived from config/example.json, for
 * benchmarks and scale tests: node dist/bench/generate-config.js <N> [out.json]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../scripts/project-root";

interface ExampleAccount {
  readonly id: string;
  readonly state: Record<string, unknown>;
  readonly [key: string]: unknown;
}
interface ExampleConsumer {
  readonly account: ExampleAccount;
  readonly network: Record<string, unknown>;
  readonly [key: string]: unknown;
}
interface ExampleConfig {
  consumers: ExampleConsumer[];
  readonly [key: string]: unknown;
}

/** The example with `count` consumers like its first, each in an account and VPC range of its own. */
export function generateConfig(count: number): ExampleConfig {
  const base = JSON.parse(readFileSync(join(projectRoot(), "config", "example.json"), "utf8")) as ExampleConfig;
  const template = base.consumers[0];
  base.consumers = Array.from({ length: count }, (_, i) => {
    const id = String(300000000000 + i);
    const cidr = `10.${(i % 200) + 20}.0.0/16`;
    return {
      ...template,
      name: `consumer-${String(i + 1).padStart(3, "0")}`,
      account: {
        ...template.account,
        id,
        roleArn: `arn:aws:iam::${id}:role/privatelink-deployer`,
        state: { ...template.account.state, bucket: `privatelink-demo-state-${id}` },
      },
      network: { ...template.network, cidr },
      allowedClientCidrs: [cidr],
    };
  });
  return base;
}

if (require.main === module) {
  const count = Number(process.argv[2]);
  if (!Number.isInteger(count) || count < 1) {
    process.stderr.write("usage: node dist/bench/generate-config.js <consumers> [out.json]\n");
    process.exit(2);
  }
  const text = `${JSON.stringify(generateConfig(count), null, 2)}\n`;
  if (process.argv[3]) writeFileSync(process.argv[3], text);
  else process.stdout.write(text);
}
