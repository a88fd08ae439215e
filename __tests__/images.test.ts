import { architectureOf, latestImageParameter, launchImage, supportsEbsOptimization } from "../src/config/images";

// Instance type names as the EC2 instance type guide spells them.
describe("architectureOf", () => {
  test.each([
    ["t4g.micro", "arm64"],
    ["m6gd.large", "arm64"],
    ["c7gn.xlarge", "arm64"],
    ["g5g.xlarge", "arm64"],
    ["is4gen.large", "arm64"],
    ["a1.medium", "arm64"],
    ["t3.micro", "x86_64"],
    ["t2.micro", "x86_64"],
    ["g4dn.xlarge", "x86_64"],
    ["g6.xlarge", "x86_64"],
    ["m7i-flex.large", "x86_64"],
    ["u-6tb1.metal", "x86_64"],
  ])("%s is %s", (type, arch) => {
    expect(architectureOf(type)).toBe(arch);
  });
});

describe("supportsEbsOptimization", () => {
  test.each([
    ["t2.micro", false],
    ["m3.medium", false],
    ["t3.micro", true],
    ["t4g.small", true],
    ["m5.large", true],
  ])("%s: %s", (type, supported) => {
    expect(supportsEbsOptimization(type)).toBe(supported);
  });
});

describe("latestImageParameter", () => {
  test("the Amazon Linux 2023 parameter of the type's architecture", () => {
    expect(latestImageParameter("t4g.small")).toBe("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
    expect(latestImageParameter("t3.micro")).toBe("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
  });
});

describe("launchImage", () => {
  test("a pinned id wins; otherwise the SSM parameter of the type's architecture, for EC2 to resolve", () => {
    expect(launchImage("t4g.small", "ami-0123456789abcdef0")).toBe("ami-0123456789abcdef0");
    expect(launchImage("t4g.small")).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
  });
});
