const cdktf = require("cdktf");
cdktf.Testing.setupJest();
// Same speed-up as main.ts: no per-token stack traces while tests build stacks.
require("./src/token-stack-traces").skipTokenStackTraces();
