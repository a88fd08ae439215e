import { App } from "cdktf";
import { ConfigError } from "./src/config/errors";
import { configPathFromEnv, loadConfig } from "./src/config/read";
import { buildStacks } from "./src/app";
import { fixHclOutput } from "./src/hcl/fix-output";
import { SynthOutputError, synthInto } from "./src/synth-output";
import { skipTokenStackTraces } from "./src/token-stack-traces";

// Config problems are the user's to fix: print them all, no stack trace, and
// exit before the App exists so no stack output is written.
let config;
try {
  config = loadConfig(configPathFromEnv());
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}

skipTokenStackTraces();
try {
  synthInto(process.env.CDKTF_OUTDIR || "cdktf.out", (outdir) => {
    const app = new App({ outdir });
    buildStacks(app, config);
    app.synth();
    // `cdktf synth --hcl` and `npm run synth:hcl` set this; see src/hcl/fix-hcl.ts.
    if (app.hclOutput) fixHclOutput(app);
  });
} catch (err) {
  if (!(err instanceof SynthOutputError) || process.env.DEBUG) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}
