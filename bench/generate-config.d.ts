/** A config with `count` consumers derived from config/example.json. */
export function generateConfig(count: number): Record<string, unknown>;
