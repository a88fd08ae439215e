import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { Testing } from "cdktf";
import { AlarmTopic } from "../src/constructs/alarm-topic";
import { EndpointAlarms, ServiceAlarms, dashboardBody } from "../src/constructs/metric-alarms";
import { blocks, synthOf } from "./constructs/scope";
import { type Block, buildExample, exampleConfig, parsed, problemsOf, type RawConfig } from "./helpers";

const TOPIC = "arn:aws:sns:us-east-1:111111111111:pager";

/** Alarms by name. */
function alarmsOf(json: ReturnType<typeof parsed>): Map<string, Block> {
  return new Map(Object.values(json.resource.aws_cloudwatch_metric_alarm ?? {}).map((a) => [a.alarm_name as string, a]));
}

describe("AlarmTopic", () => {
  const created = synthOf((scope) => new AlarmTopic(scope, "topic", { accountId: "123456789012", region: "eu-west-1", partition: "aws", name: "p-alarms" }));

  test("creates a topic encrypted with its own rotated key that CloudWatch may use", () => {
    expect(created.synth).toHaveResourceWithProperties(SnsTopic, { name: "p-alarms", kms_master_key_id: expect.stringMatching(/aws_kms_key\..+\.arn/) });
    expect(created.synth).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true });
    const key = Object.entries(created.json.data.aws_iam_policy_document).find(([id]) => id.includes("encryption"))?.[1] as Block;
    expect(key.statement[1]).toMatchObject({
      principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
      actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
    });
  });

  test("only this account's alarms in this region may publish to it", () => {
    const policy = Object.entries(created.json.data.aws_iam_policy_document).find(([id]) => id.includes("topic-policy"))?.[1] as Block;
    expect(policy.statement).toEqual([
      expect.objectContaining({
        principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
        actions: ["sns:Publish"],
        condition: [
          { test: "ArnLike", variable: "aws:SourceArn", values: ["arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*"] },
          { test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] },
        ],
      }),
    ]);
  });

  test("a given topic is used as it is: nothing is created", () => {
    let arn = "";
    const { json } = synthOf((scope) => {
      arn = new AlarmTopic(scope, "topic", { topicArn: TOPIC, accountId: "123456789012", region: "us-east-1", partition: "aws", name: "p" }).arn;
    });
    expect(arn).toBe(TOPIC);
    expect(json.resource).toEqual({});
  });
});

describe("ServiceAlarms", () => {
  const { json } = synthOf(
    (scope) =>
      new ServiceAlarms(scope, "alarms", {
        loadBalancerArnSuffix: "net/p-nlb/50dc6c495c0c9188",
        targetGroups: [
          { port: 8080, arnSuffix: "targetgroup/a/1" },
          { port: 9090, arnSuffix: "targetgroup/b/2" },
        ],
        instanceCount: 3,
        serviceId: "vpce-svc-0123",
        topicArn: TOPIC,
        region: "us-east-1",
        name: "p",
      }),
  );
  const alarms = alarmsOf(json);

  test("per target group: an unhealthy target, and fewer healthy targets than instances (AWS/NetworkELB)", () => {
    expect([...alarms.keys()].sort()).toEqual([
      "p-reset-packets",
      "p-tg-8080-healthy-hosts",
      "p-tg-8080-unhealthy-hosts",
      "p-tg-9090-healthy-hosts",
      "p-tg-9090-unhealthy-hosts",
    ]);
    expect(alarms.get("p-tg-9090-unhealthy-hosts")).toMatchObject({
      namespace: "AWS/NetworkELB",
      metric_name: "UnHealthyHostCount",
      dimensions: { TargetGroup: "targetgroup/b/2", LoadBalancer: "net/p-nlb/50dc6c495c0c9188" },
      statistic: "Maximum",
      comparison_operator: "GreaterThanThreshold",
      threshold: 0,
    });
    expect(alarms.get("p-tg-8080-healthy-hosts")).toMatchObject({
      metric_name: "HealthyHostCount",
      dimensions: { TargetGroup: "targetgroup/a/1", LoadBalancer: "net/p-nlb/50dc6c495c0c9188" },
      statistic: "Minimum",
      comparison_operator: "LessThanThreshold",
      threshold: 3,
      // Health is published every minute: no data means no healthy target known.
      treat_missing_data: "breaching",
    });
  });

  test("reset packets the endpoint service sends (AWS/PrivateLinkServices, by Service Id)", () => {
    expect(alarms.get("p-reset-packets")).toMatchObject({
      namespace: "AWS/PrivateLinkServices",
      metric_name: "RstPacketsSent",
      dimensions: { "Service Id": "vpce-svc-0123" },
      statistic: "Sum",
      // Published only for minutes with traffic.
      treat_missing_data: "notBreaching",
    });
  });

  test("every alarm notifies the topic when it fires and when it clears", () => {
    for (const alarm of alarms.values()) {
      expect(alarm.alarm_actions).toEqual([TOPIC]);
      expect(alarm.ok_actions).toEqual([TOPIC]);
    }
  });

  test("one dashboard of target health and the endpoint service, in the metrics' region", () => {
    const [dashboard] = blocks(json, "aws_cloudwatch_dashboard");
    expect(dashboard.dashboard_name).toBe("p");
    expect(dashboard.dashboard_body).toMatch(/^\$\{jsonencode\(\{"widgets" = \[/);
    expect(dashboard.dashboard_body).toContain('"AWS/PrivateLinkServices", "RstPacketsSent", "Service Id", "vpce-svc-0123"');
    const body = dashboardBody("us-east-1", "vpce-svc-0123", [["AWS/NetworkELB", "HealthyHostCount"]]);
    expect(body.widgets.map((w) => (w.properties as { region: string }).region)).toEqual(["us-east-1", "us-east-1", "us-east-1"]);
    const metrics = body.widgets.flatMap((w) => (w.properties as { metrics: unknown[][] }).metrics.map((m) => `${m[0]} ${m[1]}`));
    expect(metrics).toEqual([
      "AWS/NetworkELB HealthyHostCount",
      ...["ActiveConnections", "NewConnections", "RstPacketsSent", "EndpointsCount", "BytesProcessed"].map((m) => `AWS/PrivateLinkServices ${m}`),
    ]);
  });
});

describe("EndpointAlarms", () => {
  test("packets the interface endpoint drops, by AWS's four dimensions (AWS/PrivateLinkEndpoints)", () => {
    const { json } = synthOf(
      (scope) =>
        new EndpointAlarms(scope, "alarms", {
          endpointId: "vpce-1",
          serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-1",
          vpcId: "vpc-1",
          topicArn: TOPIC,
          name: "c",
        }),
    );
    expect([...alarmsOf(json).values()]).toEqual([
      expect.objectContaining({
        alarm_name: "c-endpoint-dropped-packets",
        namespace: "AWS/PrivateLinkEndpoints",
        metric_name: "PacketsDropped",
        dimensions: { "Endpoint Type": "Interface", "Service Name": "com.amazonaws.vpce.us-east-1.vpce-svc-1", "VPC Endpoint Id": "vpce-1", "VPC Id": "vpc-1" },
        alarm_actions: [TOPIC],
        ok_actions: [TOPIC],
      }),
    ]);
  });
});

describe("alarms in the stacks", () => {
  const withAlarms = (raw: RawConfig) => {
    raw.provider.service.alarms = {};
    raw.consumers[0].alarms = { topicArn: "arn:aws:sns:us-east-1:222222222222:oncall" };
  };
  const stacks = buildExample(exampleConfig(withAlarms));
  const provider = parsed(Testing.synth(stacks.provider));
  const consumer = parsed(Testing.synth(stacks.consumers[0]));

  test("the provider alarms on its NLB's target groups and its endpoint service, into a topic it creates", () => {
    const alarms = alarmsOf(provider);
    expect(alarms.get("privatelink-demo-provider-tg-8080-healthy-hosts")).toMatchObject({
      dimensions: { TargetGroup: expect.stringMatching(/aws_lb_target_group\..+\.arn_suffix/), LoadBalancer: expect.stringMatching(/aws_lb\..+\.arn_suffix/) },
      threshold: 2,
      alarm_actions: [expect.stringMatching(/aws_sns_topic\.alarm-topic.+\.arn/)],
    });
    expect(alarms.get("privatelink-demo-provider-reset-packets")?.dimensions["Service Id"]).toMatch(/aws_vpc_endpoint_service\..+\.id/);
    expect(Object.keys(provider.resource.aws_cloudwatch_dashboard)).toHaveLength(1);
    expect(provider.output.alarm_topic_arn.value).toMatch(/aws_sns_topic\.alarm-topic.+\.arn/);
  });

  test("the consumer alarms on its endpoint, by the wired service name, into the topic it was given", () => {
    expect([...alarmsOf(consumer).values()]).toEqual([
      expect.objectContaining({
        dimensions: {
          "Endpoint Type": "Interface",
          "Service Name": "${var.service_name}",
          "VPC Endpoint Id": expect.stringMatching(/aws_vpc_endpoint\..+\.id/),
          "VPC Id": expect.stringMatching(/aws_vpc\..+\.id/),
        },
        alarm_actions: ["arn:aws:sns:us-east-1:222222222222:oncall"],
      }),
    ]);
    expect(consumer.resource.aws_sns_topic).toBeUndefined();
    expect(consumer.output.alarm_topic_arn.value).toBe("arn:aws:sns:us-east-1:222222222222:oncall");
  });

  test("one alarm pair per target group with listeners on two target ports", () => {
    const config = exampleConfig((raw) => {
      withAlarms(raw);
      delete raw.provider.service.port;
      raw.provider.service.listeners = [{ port: 443, targetPort: 8443 }, { port: 80 }];
    });
    const names = [...alarmsOf(parsed(Testing.synth(buildExample(config).provider))).keys()].filter((n) => n.includes("-tg-")).sort();
    expect(names).toEqual([
      "privatelink-demo-provider-tg-80-healthy-hosts",
      "privatelink-demo-provider-tg-80-unhealthy-hosts",
      "privatelink-demo-provider-tg-8443-healthy-hosts",
      "privatelink-demo-provider-tg-8443-unhealthy-hosts",
    ]);
  });

  test("are off unless configured: no alarm, dashboard, topic or output", () => {
    const example = buildExample();
    for (const stack of [example.provider, ...example.consumers]) {
      const json = parsed(Testing.synth(stack));
      expect(json.resource.aws_cloudwatch_metric_alarm).toBeUndefined();
      expect(json.resource.aws_cloudwatch_dashboard).toBeUndefined();
      expect(json.output.alarm_topic_arn).toBeUndefined();
    }
  });

  test("a topic in another region is refused, naming the field and value", () => {
    expect(problemsOf((raw) => (raw.provider.service.alarms = { topicArn: "arn:aws:sns:eu-west-1:111111111111:pager" }))).toContain(
      "provider.service.alarms.topicArn: expected an SNS topic in us-east-1, the region of the alarms",
    );
    expect(problemsOf((raw) => (raw.consumers[0].alarms = { topicArn: "not-an-arn" }))).toContain("consumers[0].alarms.topicArn");
    expect(problemsOf((raw) => (raw.consumers[0].alarms = { email: "a@b.c" }))).toContain(
      "consumers[0].alarms: unknown field email; accepted fields: topicArn",
    );
  });
});
