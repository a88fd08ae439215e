import { App } from "cdktf";
import { buildStacks } from "./src/app";
import { runCli } from "./src/cli/run";
import { configPathFromEnv } from "./src/config/read";
import { loadConfig } from "./src/wiring/load";
import { fixHclOutput } from "./src/hcl/fix-output";
import { synthInto } from "./src/synth-output";
import { skipTokenStackTraces } from "./src/token-stack-traces";

// Config problems are the user's to fix: loadConfig lists them all, and
// throws before the App exists, so no stack output is written. synthInto
// writes into a fresh directory and swaps it in only when synth succeeds.
runCli(() => {
  const config = loadConfig(configPathFromEnv());
  skipTokenStackTraces();
  synthInto(process.env.CDKTF_OUTDIR || "cdktf.out", (outdir) => {
    const app = new App({ outdir });
    buildStacks(app, config);
    app.synth();
    // `cdktf synth --hcl` and `npm run synth:hcl` set this; see src/hcl/fix-hcl.ts.
    if (app.hclOutput) fixHclOutput(app);
  });
  return 0;
});
