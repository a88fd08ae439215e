import { wireVariables } from "../src/wiring/wire";
import { type RawConfig, exampleConfig, problemsOf, useCloud } from "./config-helpers";

// Inputs AWS or Terraform Cloud would refuse at apply time, hours into a
// rollout, are refused by synth; each refusal is paired with the legal input
// it must keep accepting.

describe("a list where an object is expected is refused, never taken as an empty object", () => {
  test.each([
    [
      "the service's alarms",
      (raw: RawConfig) => (raw.provider.service.alarms = []),
      /provider\.service\.alarms: expected an object with fields topicArn, not a list; got \[\]/,
    ],
    [
      "a consumer's alarms",
      (raw: RawConfig) => (raw.consumers[1].alarms = []),
      /consumers\[1\]\.alarms: expected an object with fields topicArn, not a list; got \[\]/,
    ],
    [
      "the cloud backend's workspaces",
      (raw: RawConfig) => useCloud(raw, { type: "cloud", organization: "acme", workspaces: [] }),
      /backend\.workspaces: expected an object of stack name to workspace name, not a list; got \[\]/,
    ],
    [
      "a consumer's network",
      (raw: RawConfig) => (raw.consumers[0].network = []),
      /consumers\[0\]\.network: expected an object with fields .*, not a list; got \[\]/,
    ],
  ])("refuses %s given as []", (_name, mutate, message) => {
    expect(problemsOf(mutate)).toMatch(message);
  });

  test("the same fields as objects are accepted: {} turns alarms on with their defaults", () => {
    const config = exampleConfig((raw) => {
      raw.provider.service.alarms = {};
      raw.consumers[1].alarms = {};
    });
    expect(config.provider.service.alarms).toEqual({});
    expect(config.consumers[1].alarms).toEqual({});
    const cloud = exampleConfig((raw) => useCloud(raw, { type: "cloud", organization: "acme", workspaces: {} }));
    expect(cloud.backend.type).toBe("cloud");
  });
});

describe("shared resources: addresses AWS can reach, names that stay distinct", () => {
  const withResources =
    (...resources: Record<string, unknown>[]) =>
    (raw: RawConfig) =>
      (raw.provider.resources = resources);
  const at = (ipAddress: string) => withResources({ name: "orders-db", ipAddress, ports: [5432] });
  const named = (dnsName: string) => withResources({ name: "orders-db", dnsName, ports: [5432] });

  test.each([
    ["0.0.0.0", "an unspecified address"],
    ["127.0.0.1", "a loopback address"],
    ["169.254.169.254", "a link-local address \\(the instance metadata service's among them\\)"],
    ["224.0.0.5", "a multicast address"],
    ["255.255.255.255", "a reserved or the broadcast address"],
  ])("refuses %s as a resource's IP address", (ip, kind) => {
    expect(problemsOf(at(ip))).toMatch(
      new RegExp(`provider\\.resources\\[0\\]\\.ipAddress: expected a private address of the provider VPC, not ${kind}; got "${ip}"`),
    );
  });

  test("refuses an address outside the provider VPC it creates; takes one inside", () => {
    expect(problemsOf(at("10.99.0.10"))).toMatch(
      /provider\.resources\[0\]\.ipAddress: expected an address in the provider VPC \(10\.10\.0\.0\/16\): a resource configuration targets IP addresses of its resource gateway's VPC only; got "10\.99\.0\.10"/,
    );
    expect(exampleConfig(at("10.10.5.20")).provider.resources[0].ipAddress).toBe("10.10.5.20");
  });

  test.each([["db.corp.internal"], ["printer.local"], ["db.test"], ["db.home.arpa"], ["db.corp"]])("refuses %s, which public DNS never answers", (name) => {
    const suffix = name.endsWith("home.arpa") ? "home\\.arpa" : name.split(".").at(-1);
    expect(problemsOf(named(name))).toMatch(
      new RegExp(`provider\\.resources\\[0\\]\\.dnsName: expected a name public DNS resolves, not one under \\.${suffix}: VPC Lattice resolves`),
    );
  });

  test("refuses a name longer than 253 characters, with its length; takes 253", () => {
    const labels = (first: number) => `${"c".repeat(first)}.${["a", "a", "a"].map((x) => x.repeat(61)).join(".")}.example.com`;
    expect(labels(61)).toHaveLength(259);
    expect(problemsOf(named(labels(61)))).toMatch(/provider\.resources\[0\]\.dnsName: expected a DNS name of at most 253 characters; it is 259/);
    expect(labels(55)).toHaveLength(253);
    expect(exampleConfig(named(labels(55))).provider.resources[0].dnsName).toBe(labels(55));
  });

  test("takes internationalised names in punycode, the top-level domain too", () => {
    for (const name of ["db.xn--bcher-kva.com", "orders.xn--80akhbyknj4f.xn--p1ai"]) {
      expect(exampleConfig(named(name)).provider.resources[0].dnsName).toBe(name);
    }
  });

  test("refuses two names that become one once runs of hyphens collapse; takes distinct ones", () => {
    const twins = withResources(
      { name: "orders-db", dnsName: "a.example.com", ports: [5432] },
      { name: "orders--db", dnsName: "b.example.com", ports: [5433] },
    );
    expect(problemsOf(twins)).toMatch(
      /provider\.resources\[1\]\.name: expected a name distinct from provider\.resources\[0\]\.name once runs of hyphens are collapsed \(both become orders-db in the resource configuration's name\); got "orders--db"/,
    );
    const distinct = withResources(
      { name: "orders-db", dnsName: "a.example.com", ports: [5432] },
      { name: "orders-db2", dnsName: "b.example.com", ports: [5433] },
    );
    expect(exampleConfig(distinct).provider.resources.map((r) => r.name)).toEqual(["orders-db", "orders-db2"]);
  });
});

describe("generated names AWS forbids", () => {
  test("a project starting with sg- is refused, since security group names start with it; sgx- is taken", () => {
    expect(problemsOf((raw) => (raw.project = "sg-payments"))).toMatch(
      /project: expected 2-31 lowercase letters, digits or hyphens, starting with a letter and not with sg-; got "sg-payments"/,
    );
    expect(exampleConfig((raw) => (raw.project = "sgx-payments")).project).toBe("sgx-payments");
  });
});

describe("Terraform Cloud names as Terraform Cloud and git take them", () => {
  const vcs =
    (identifier: string, branch = "main") =>
    (raw: RawConfig) =>
      useCloud(raw, { type: "cloud", organization: "acme", vcsRepo: { identifier, oauthTokenId: "ot-AbCd1234", branch } });

  test.each([["acme/privatelink"], ["acme/platform/network/privatelink"], ["acme-team/privatelink.infra"], ["acme/network/_git/privatelink"]])(
    "takes the repository %s (GitHub or Bitbucket, GitLab with subgroups, Azure DevOps)",
    (identifier) => {
      const config = exampleConfig(vcs(identifier));
      expect(config.backend.type === "cloud" && config.backend.vcsRepo?.identifier).toBe(identifier);
    },
  );

  test.each([["privatelink"], ["acme/"], ["acme/privatelink app"]])("refuses the repository %s", (identifier) => {
    expect(problemsOf(vcs(identifier))).toMatch(
      /backend\.vcsRepo\.identifier: expected <organization>\/<repository> \(GitHub, Bitbucket\), <group>\/<subgroup>\/<project> \(GitLab\) or <organization>\/<project>\/_git\/<repository> \(Azure DevOps\)/,
    );
  });

  test.each([["main"], ["release/1.2"], ["deploy/2026-12"], ["user@host"]])("takes the branch %s", (branch) => {
    const config = exampleConfig(vcs("acme/privatelink", branch));
    expect(config.backend.type === "cloud" && config.backend.vcsRepo?.branch).toBe(branch);
  });

  test.each([["feature/a..b"], ["-main"], ["release/"], ["main.lock"], ["has space"], ["a~1"], ["x@{1}"], [".hidden"], ["a//b"]])(
    "refuses the branch %s",
    (branch) => {
      expect(problemsOf(vcs("acme/privatelink", branch))).toMatch(/backend\.vcsRepo\.branch: expected a branch name git allows/);
    },
  );

  test("a workspace name over 90 characters names the stack, the limit and its length", () => {
    const problems = problemsOf((raw) => {
      useCloud(raw, { type: "cloud", organization: "acme", workspacePrefix: `${"p".repeat(59)}-` });
      raw.consumers[1].name = "r".repeat(32);
    });
    expect(problems).toMatch(
      /backend\.workspacePrefix: expected stack acceptance-r{32}'s workspace name p{59}-acceptance-r{32} to be at most 90 letters, digits, - and _ \(Terraform Cloud's rule\); it is 103 characters/,
    );
  });

  test("two stacks never share a workspace, whether named or made of the prefix", () => {
    const problems = problemsOf((raw) =>
      useCloud(raw, { type: "cloud", organization: "acme", workspaces: { provider: "shared", "consumer-analytics": "shared" } }),
    );
    expect(problems).toMatch(
      /backend\.workspaces\.consumer-analytics: expected a workspace of its own for stack consumer-analytics; shared is stack provider's too, and two stacks in one workspace overwrite each other's state/,
    );
    // A prefix that makes one stack's name another's given workspace.
    expect(
      problemsOf((raw) => useCloud(raw, { type: "cloud", organization: "acme", workspaces: { "consumer-reporting": "privatelink-demo-provider" } })),
    ).toMatch(
      /backend\.workspaces\.consumer-reporting: expected a workspace of its own for stack consumer-reporting; privatelink-demo-provider is stack provider's too/,
    );
  });
});

describe("npm run wire outside variables wiring", () => {
  test("refuses to write variables no stack declares, in tfe-outputs and remote-state wiring", () => {
    const outputs = { service_name: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", service_availability_zone_ids: ["use1-az1", "use1-az2"] };
    const tfe = exampleConfig((raw) => {
      useCloud(raw);
      raw.wiring = { mode: "tfe-outputs" };
    });
    expect(() => wireVariables(tfe, "provider", "consumer-analytics", outputs)).toThrow(
      "In tfe-outputs wiring, consumer-analytics reads provider's workspace's outputs (tfe_outputs) itself and declares no variables: " +
        "there is nothing to wire, and a variable set anyway would do nothing.",
    );
    const remote = exampleConfig((raw) => (raw.wiring = { mode: "remote-state", stateReaders: ["arn:aws:iam::444444444444:role/ci"] }));
    expect(() => wireVariables(remote, "provider", "consumer-analytics", outputs)).toThrow(
      /^In remote-state wiring, consumer-analytics reads provider's state/,
    );
    // In variables wiring (the example's) the same outputs wire.
    expect(wireVariables(exampleConfig(), "provider", "consumer-analytics", outputs)).toEqual(outputs);
  });
});

describe("shared resources' ports within the security-group rule quota (60 per group and direction)", () => {
  const ports = (n: number) => Array.from({ length: n }, (_, i) => 6000 + 2 * i);

  test("the resource gateway's egress: a rule per port range of every resource", () => {
    const problems = problemsOf((raw) => {
      raw.provider.resources = [
        { name: "orders-db", dnsName: "orders.example.com", ports: ports(40) },
        { name: "cache", ipAddress: "10.10.5.20", ports: ports(21) },
      ];
    });
    expect(problems).toMatch(
      /provider\.resources: expected at most 60 port ranges in all, AWS's default quota of outbound rules of the resource gateway's security group; they are 61/,
    );
  });

  test("a consumer's Resource endpoints: a rule per port range and allowed client CIDR; within the quota it is taken", () => {
    const reach = (n: number, cidrs: string[]) => (raw: RawConfig) => {
      raw.provider.resources = [{ name: "orders-db", dnsName: "orders.example.com", ports: ports(n) }];
      raw.consumers[1].resources = ["orders-db"];
      raw.consumers[1].allowedClientCidrs = cidrs;
    };
    const three = ["10.30.0.0/20", "10.30.16.0/20", "10.30.32.0/20"];
    expect(problemsOf(reach(21, three))).toMatch(
      /consumers\[1\]\.resources: expected at most 60 inbound rules in its Resource endpoints' security group \(AWS's default quota\): 21 port ranges from 3 client CIDRs make 63/,
    );
    expect(exampleConfig(reach(20, three)).consumers[1].resources).toEqual(["orders-db"]);
  });
});

describe("IAM names inside ARNs within IAM's 64 characters", () => {
  const role = (name: string) => `arn:aws:iam::111111111111:role/${name}`;

  test("a deployer role whose name is 65 characters is refused with the limit and its length; 64, and a path, are taken", () => {
    expect(problemsOf((raw) => (raw.provider.account.roleArn = role("r".repeat(65))))).toMatch(
      /provider\.account\.roleArn: expected a name of at most 64 characters \(IAM's limit\); r{65} is 65/,
    );
    expect(exampleConfig((raw) => (raw.provider.account.roleArn = role("r".repeat(64)))).provider.account.roleArn).toBe(role("r".repeat(64)));
    expect(exampleConfig((raw) => (raw.provider.account.roleArn = role("teams/net/deployer"))).provider.account.roleArn).toBe(role("teams/net/deployer"));
  });

  test("a principal and a state reader likewise", () => {
    const long = `arn:aws:iam::222222222222:role/${"p".repeat(70)}`;
    expect(problemsOf((raw) => (raw.consumers[0].principals = [long]))).toMatch(
      /consumers\[0\]\.principals\[0\]: expected a name of at most 64 characters \(IAM's limit\); p{70} is 70/,
    );
    expect(problemsOf((raw) => (raw.wiring = { mode: "remote-state", stateReaders: [`arn:aws:iam::444444444444:user/${"u".repeat(65)}`] }))).toMatch(
      /wiring\.stateReaders\[0\]: expected a name of at most 64 characters \(IAM's limit\); u{65} is 65/,
    );
  });
});
