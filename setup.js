// cdktf's jest matchers (toHaveResource, …), installed lazily: a suite that
// never calls one never loads cdktf for it (about 0.1 s per suite, which adds
// up over the suites that only read files or check config).
const CDKTF_MATCHERS = [
  "toHaveResource",
  "toHaveResourceWithProperties",
  "toHaveDataSource",
  "toHaveDataSourceWithProperties",
  "toHaveProvider",
  "toHaveProviderWithProperties",
  "toBeValidTerraform",
  "toPlanSuccessfully",
];
let matchers;
/** cdktf's own matchers, captured from its setupJest on first use. */
function cdktfMatchers() {
  if (!matchers) {
    const captured = {};
    const jestExpect = global.expect;
    global.expect = new Proxy(jestExpect, { get: (target, key) => (key === "extend" ? (m) => Object.assign(captured, m) : target[key]) });
    try {
      require("cdktf/lib/testing/adapters/jest").setupJest();
    } finally {
      global.expect = jestExpect;
    }
    matchers = captured;
  }
  return matchers;
}
expect.extend(
  Object.fromEntries(
    CDKTF_MATCHERS.map((name) => [
      name,
      function (...args) {
        return cdktfMatchers()[name].apply(this, args);
      },
    ]),
  ),
);
// Same speed-up as main.ts: no per-token stack traces while tests build stacks.
require("./src/token-stack-traces").skipTokenStackTraces();
