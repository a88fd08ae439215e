import type * as Framework from "cdktf";

// setup.js already turned the traces off for this file's modules, so each
// test runs in an isolated registry with a fresh copy of the framework and
// of the module under test, and with the fork's switch unset. The tests look
// at what a token records, not at how it was turned off, so they hold for
// cdktf and for CDK Terrain alike (`npm run test:fork`).
function withFreshFramework(body: (framework: typeof Framework, skip: (env: NodeJS.ProcessEnv) => boolean) => void): void {
  const saved = process.env.CDKTN_DISABLE_CREATION_STACK;
  delete process.env.CDKTN_DISABLE_CREATION_STACK;
  try {
    jest.isolateModules(() => body(require("cdktf"), require("../src/token-stack-traces").skipTokenStackTraces));
  } finally {
    if (saved === undefined) delete process.env.CDKTN_DISABLE_CREATION_STACK;
    else process.env.CDKTN_DISABLE_CREATION_STACK = saved;
  }
}

/** The frames a new token records for its error messages. */
function framesOfNewToken(framework: typeof Framework): string[] {
  return (framework.Lazy.anyValue({ produce: () => 1 }) as unknown as { creationStack: string[] }).creationStack;
}

describe("skipTokenStackTraces", () => {
  test("without it, a token records the frames of its creation (the cost it removes)", () => {
    withFreshFramework((framework) => {
      expect(framesOfNewToken(framework).length).toBeGreaterThan(0);
    });
  });

  test("leaves the framework alone when PRIVATELINK_TOKEN_STACK_TRACES=1", () => {
    withFreshFramework((framework, skip) => {
      expect(skip({ ...process.env, PRIVATELINK_TOKEN_STACK_TRACES: "1" })).toBe(false);
      expect(framesOfNewToken(framework).length).toBeGreaterThan(0);
    });
  });

  test("otherwise no frame is recorded on a new token", () => {
    withFreshFramework((framework, skip) => {
      expect(skip(process.env)).toBe(true);
      expect(framesOfNewToken(framework)).toEqual([]);
    });
  });
});
