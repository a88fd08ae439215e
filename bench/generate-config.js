#!/usr/bin/env node
// Writes a config with N consumers, derived from config/example.json, for
// benchmarks and scale tests: node bench/generate-config.js <N> [out.json]
const { readFileSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");

function generateConfig(count) {
  const base = JSON.parse(readFileSync(join(__dirname, "..", "config", "example.json"), "utf8"));
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

module.exports = { generateConfig };

if (require.main === module) {
  const count = Number(process.argv[2]);
  if (!Number.isInteger(count) || count < 1) {
    process.stderr.write("usage: node bench/generate-config.js <consumers> [out.json]\n");
    process.exit(2);
  }
  const text = `${JSON.stringify(generateConfig(count), null, 2)}\n`;
  if (process.argv[3]) writeFileSync(process.argv[3], text);
  else process.stdout.write(text);
}
