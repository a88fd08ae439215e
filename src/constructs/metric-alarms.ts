import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Fn } from "cdktf";
import { Construct } from "constructs";

/**
 * CloudWatch alarms on PrivateLink's own metrics. Names and dimensions are
 * AWS's:
 * - AWS/NetworkELB `HealthyHostCount` and `UnHealthyHostCount` by
 *   `TargetGroup` and `LoadBalancer` (their ARN suffixes), published every
 *   minute whatever the traffic ("CloudWatch metrics for your Network Load
 *   Balancer",
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html);
 * - AWS/PrivateLinkServices `RstPacketsSent` (and the dashboard's
 *   `ActiveConnections`, `NewConnections`, `BytesProcessed`,
 *   `EndpointsCount`) by `Service Id`, and AWS/PrivateLinkEndpoints
 *   `PacketsDropped` by `Endpoint Type`, `Service Name`, `VPC Endpoint Id` and
 *   `VPC Id`, published only for minutes with traffic ("CloudWatch metrics
 *   for AWS PrivateLink",
 *   https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-cloudwatch-metrics.html).
 * A minute without traffic has no data point, so those alarms treat missing
 * data as fine; a target group without health data is treated as unhealthy.
 */

/** Seconds per data point: the one-minute period the metrics are published at. */
const PERIOD = 60;

type AlarmShape = Pick<
  CloudwatchMetricAlarmConfig,
  "namespace" | "metricName" | "dimensions" | "statistic" | "comparisonOperator" | "threshold" | "treatMissingData" | "alarmDescription"
> & { readonly evaluationPeriods: number; readonly datapointsToAlarm: number };

/**
 * Traffic counters (resets, drops): any in 3 of 5 minutes alarms; a minute
 * without traffic publishes no data point, which is fine.
 */
const ANY_IN_3_OF_5_MINUTES = {
  statistic: "Sum",
  comparisonOperator: "GreaterThanThreshold",
  threshold: 0,
  evaluationPeriods: 5,
  datapointsToAlarm: 3,
  treatMissingData: "notBreaching",
} as const;

/** One alarm that notifies the topic when it fires and when it clears. */
function alarm(scope: Construct, id: string, name: string, topicArn: string, shape: AlarmShape): CloudwatchMetricAlarm {
  return new CloudwatchMetricAlarm(scope, id, { alarmName: name, period: PERIOD, alarmActions: [topicArn], okActions: [topicArn], ...shape });
}

export interface ServiceAlarmsProps {
  /** The NLB's ARN suffix (`net/<name>/<id>`), its metrics' `LoadBalancer` dimension. */
  readonly loadBalancerArnSuffix: string;
  /** Each target group's port and ARN suffix (`targetgroup/<name>/<id>`). */
  readonly targetGroups: readonly { readonly port: number; readonly arnSuffix: string }[];
  /** Instances the fleet keeps: fewer healthy targets than this alarms. */
  readonly instanceCount: number;
  /** The endpoint service's id (`vpce-svc-…`), its metrics' `Service Id`. */
  readonly serviceId: string;
  /** SNS topic the alarms notify. */
  readonly topicArn: string;
  /** Region of the metrics, for the dashboard's widgets. */
  readonly region: string;
  /** Prefix of the alarms' names, and the dashboard's name. */
  readonly name: string;
}

/**
 * The provider's alarms: per target group, any unhealthy target and fewer
 * healthy targets than instances (the fleet replaces instances
 * launch-first, so a rollout never drops below); on the endpoint service,
 * reset packets sent to consumers; and one dashboard of both.
 */
export class ServiceAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    const { name, topicArn } = props;
    const health: unknown[][] = [];
    for (const { port, arnSuffix } of props.targetGroups) {
      const dimensions = { TargetGroup: arnSuffix, LoadBalancer: props.loadBalancerArnSuffix };
      this.alarms.push(
        alarm(this, `unhealthy-${port}`, `${name}-tg-${port}-unhealthy-hosts`, topicArn, {
          alarmDescription: `Targets of port ${port} fail their NLB health check`,
          namespace: "AWS/NetworkELB",
          metricName: "UnHealthyHostCount",
          dimensions,
          statistic: "Maximum",
          comparisonOperator: "GreaterThanThreshold",
          threshold: 0,
          evaluationPeriods: 3,
          datapointsToAlarm: 3,
          treatMissingData: "notBreaching",
        }),
        alarm(this, `healthy-${port}`, `${name}-tg-${port}-healthy-hosts`, topicArn, {
          alarmDescription: `Fewer healthy targets of port ${port} than the ${props.instanceCount} instances`,
          namespace: "AWS/NetworkELB",
          metricName: "HealthyHostCount",
          dimensions,
          statistic: "Minimum",
          comparisonOperator: "LessThanThreshold",
          threshold: props.instanceCount,
          evaluationPeriods: 3,
          datapointsToAlarm: 3,
          treatMissingData: "breaching",
        }),
      );
      health.push(
        [
          "AWS/NetworkELB",
          "HealthyHostCount",
          "TargetGroup",
          arnSuffix,
          "LoadBalancer",
          props.loadBalancerArnSuffix,
          { stat: "Minimum", label: `healthy (${port})` },
        ],
        [
          "AWS/NetworkELB",
          "UnHealthyHostCount",
          "TargetGroup",
          arnSuffix,
          "LoadBalancer",
          props.loadBalancerArnSuffix,
          { stat: "Maximum", label: `unhealthy (${port})` },
        ],
      );
    }
    this.alarms.push(
      alarm(this, "reset-packets", `${name}-reset-packets`, topicArn, {
        alarmDescription: "The endpoint service sends reset packets to consumers' endpoints (a target refused or dropped their connections)",
        namespace: "AWS/PrivateLinkServices",
        metricName: "RstPacketsSent",
        dimensions: { "Service Id": props.serviceId },
        ...ANY_IN_3_OF_5_MINUTES,
      }),
    );

    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: name,
      // jsonencode(), not a JSON string: the ids and ARN suffixes stay references, and the HCL output
      // (which cdktf renders without escaping a string's quotes) stays valid. AWS compares bodies as JSON.
      dashboardBody: Fn.jsonencode(dashboardBody(props.region, props.serviceId, health)),
    });
  }
}

/**
 * The provider's dashboard: target health (the rows given), then the
 * endpoint service's connections, resets and endpoints, then its bytes.
 */
export function dashboardBody(region: string, serviceId: string, health: readonly unknown[][]): { widgets: Record<string, unknown>[] } {
  const widget = (title: string, metrics: readonly unknown[][], y: number) => ({
    type: "metric",
    x: 0,
    y,
    width: 24,
    height: 6,
    properties: { title, region, period: PERIOD, view: "timeSeries", metrics },
  });
  const perService = (metric: string, stat: string) => ["AWS/PrivateLinkServices", metric, "Service Id", serviceId, { stat }];
  return {
    widgets: [
      widget("NLB target health", health, 0),
      widget(
        "Endpoint service",
        [
          perService("ActiveConnections", "Average"),
          perService("NewConnections", "Sum"),
          perService("RstPacketsSent", "Sum"),
          perService("EndpointsCount", "Maximum"),
        ],
        6,
      ),
      widget("Endpoint service bytes", [perService("BytesProcessed", "Sum")], 12),
    ],
  };
}

export interface EndpointAlarmsProps {
  /** The interface endpoint's id. */
  readonly endpointId: string;
  /** The service name it connects to. */
  readonly serviceName: string;
  /** Its VPC's id. */
  readonly vpcId: string;
  /** SNS topic the alarm notifies. */
  readonly topicArn: string;
  /** Prefix of the alarm's name. */
  readonly name: string;
}

/** The consumer's alarm: packets its interface endpoint dropped. */
export class EndpointAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: EndpointAlarmsProps) {
    super(scope, id);
    this.alarms = [
      alarm(this, "dropped-packets", `${props.name}-endpoint-dropped-packets`, props.topicArn, {
        alarmDescription: "The interface endpoint drops packets on their way to the service",
        namespace: "AWS/PrivateLinkEndpoints",
        metricName: "PacketsDropped",
        dimensions: { "Endpoint Type": "Interface", "Service Name": props.serviceName, "VPC Endpoint Id": props.endpointId, "VPC Id": props.vpcId },
        ...ANY_IN_3_OF_5_MINUTES,
      }),
    ];
  }
}
