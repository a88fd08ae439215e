import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DIAGRAM_END, DIAGRAM_START, architectureDiagram, withDiagram, withEveryOption } from "../src/docgen/diagram";
import { resolveConfig } from "../src/wiring/load";
import { exampleConfig, exampleRaw, useCloud } from "./config-helpers";
import { ROOT } from "./root";

describe("architecture diagram", () => {
  const config = exampleConfig();
  const diagram = architectureDiagram(config);
  const { instanceCount, instanceType } = config.provider.service;
  const { port } = config.provider.service.listeners[0];

  test("shows accounts, VPCs, subnets per AZ, NLB, endpoint service, endpoints and the wiring", () => {
    expect(diagram).toMatch(/^flowchart LR\n/);
    expect(diagram).toContain('subgraph provider_account["Provider account 111111111111 (us-east-1)"]');
    expect(diagram).toContain('provider_use1_az1["use1-az1<br/>private 10.10.0.0/20"]');
    expect(diagram).toContain(`nlb["internal NLB, TCP ${port}<br/>${instanceCount} x ${instanceType}"]`);
    expect(diagram).toContain("c_analytics_endpoint -. PrivateLink .-> endpoint_service");
    expect(diagram).toContain('endpoint_service == "service_name, service_availability_zone_ids" ==> c_analytics_endpoint');
    expect(diagram).toContain('c_reporting_endpoint == "endpoint_id" ==> accept_reporting');
  });

  test("changes when the config does", () => {
    const changed = architectureDiagram(
      exampleConfig((raw) => {
        raw.provider.network.cidr = "10.99.0.0/16";
        raw.provider.service.port = 9443;
        raw.consumers.pop();
      }),
    );
    expect(changed).not.toBe(diagram);
    expect(changed).toContain('provider_use1_az1["use1-az1<br/>private 10.99.0.0/20"]');
    expect(changed).toContain("TCP 9443");
    expect(changed).not.toContain("reporting");
  });

  test("shows the alarms of the provider and of each consumer that has them, and where they notify", () => {
    const withAlarms = architectureDiagram(
      exampleConfig((raw) => {
        raw.provider.service.alarms = {};
        raw.consumers[1].alarms = { topicArn: "arn:aws:sns:us-east-1:333333333333:pager" };
      }),
    );
    expect(withAlarms).toContain("CloudWatch alarms: target health per target group, reset packets<br/>dashboard; notify its own SNS topic");
    expect(withAlarms).toContain('c_reporting_alarms["CloudWatch alarm: dropped packets<br/>notifies the given topic"]');
    expect(withAlarms).toContain("c_reporting_endpoint -.-> c_reporting_alarms");
    expect(withAlarms).not.toContain("c_analytics_alarms");
    expect(diagram).not.toContain("alarm");
  });

  test("shows the shared resources, each consumer's resource endpoints, and whether it accepts the share", () => {
    const withResources = architectureDiagram(
      exampleConfig((raw) => {
        raw.provider.resources = [
          { name: "orders-db", dnsName: "orders.internal.example.com", ports: [5432] },
          { name: "cache", ipAddress: "10.10.40.10", ports: [6379, "7000-7005"] },
        ];
        raw.consumers[0].resources = ["cache"];
      }),
    );
    expect(withResources).toContain("orders-db: orders.internal.example.com TCP 5432<br/>cache: 10.10.40.10 TCP 6379, 7000-7005");
    expect(withResources).toContain('c_analytics_resources["Resource endpoints: cache<br/>accepts the RAM share"]');
    expect(withResources).toContain("c_analytics_resources -. PrivateLink .-> resource_gateway");
    expect(withResources).toContain('"service_name, service_availability_zone_ids, resource_configuration_arns, resource_share_arns" ==> c_analytics_endpoint');
    expect(withResources).not.toContain("c_reporting_resources");
    expect(diagram).not.toContain("resource_gateway");
  });

  test("with the cloud backend, says where the workspaces are, that runs trigger along the arrows, and how values cross", () => {
    const cloud = architectureDiagram(
      exampleConfig((raw) => {
        useCloud(raw, { type: "cloud", organization: "acme", project: "networking" });
        raw.wiring = { mode: "tfe-outputs" };
      }),
    );
    expect(cloud).toContain("Terraform Cloud acme / networking: a workspace per stack (npm run tfc), OIDC run roles");
    expect(cloud).toContain("run triggers along the ==> arrows; each reads its producers' outputs (tfe_outputs)");
    expect(diagram).not.toContain("Terraform Cloud");
  });

  test("shows the options: regions, dual stack, existing VPCs, listeners, principals, and what a cross-region consumer is wired", () => {
    const options = architectureDiagram(
      exampleConfig((raw) => {
        raw.provider.network.ipv6 = true;
        delete raw.provider.service.port;
        raw.provider.service.listeners = [
          {
            port: 443,
            protocol: "TLS",
            certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/0123abcd-0123-4567-89ab-0123456789ab",
            targetPort: 8443,
          },
          { port: 8080 },
        ];
        Object.assign(raw.consumers[0].account, { region: "us-west-2" });
        raw.consumers[0].network.azIds = ["usw2-az1", "usw2-az2"];
        raw.consumers[0].principals = ["arn:aws:iam::222222222222:role/app"];
        const network = raw.consumers[1].network;
        for (const field of ["cidr", "azIds"]) delete network[field];
        Object.assign(network, { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0"] });
      }),
    );
    expect(options).toContain('subgraph provider_vpc["VPC 10.10.0.0/16, dual stack"]');
    expect(options).toContain("internal NLB, TLS 443 → 8443, TCP 8080");
    expect(options).toContain("Consumer analytics: account 222222222222 (us-west-2)");
    expect(options).toContain("to us-east-1 (cross-region)");
    expect(options).toContain("allowed: arn:aws:iam::222222222222:role/app");
    expect(options).toContain('c_reporting_vpc["existing VPC vpc-0123456789abcdef0"]');
    expect(options).toContain('endpoint_service == "service_name" ==> c_analytics_endpoint');
  });

  test("README.md and docs/architecture.md show the example's current diagram (run npm run diagram)", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(withDiagram(readme, diagram)).toBe(readme);
    const page = readFileSync(join(ROOT, "docs/architecture.md"), "utf8");
    expect(page).toContain(`\`\`\`mermaid\n${diagram}\`\`\``);
    // And the example with every option, so the alarms, shared resources and Terraform Cloud are drawn too.
    const everyOption = architectureDiagram(resolveConfig(withEveryOption(exampleRaw())));
    expect(page).toContain(`\`\`\`mermaid\n${everyOption}\`\`\``);
    for (const part of ["CloudWatch alarms", "resource gateway", "Terraform Cloud acme / networking"]) expect(everyOption).toContain(part);
  });

  test("refuses a document without the markers", () => {
    expect(() => withDiagram("# no markers", diagram)).toThrow(`Markers ${DIAGRAM_START} and ${DIAGRAM_END} not found.`);
  });
});
