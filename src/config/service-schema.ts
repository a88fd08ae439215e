import * as v from "valibot";
import { AlarmsSchema, bool, derivedDefault, described, imageId, instanceType, port } from "./schema-fields";

/** The service the provider offers: its port, instances, acceptance, private DNS name and notifications. */

const INSTANCES = "expected 1-20 instances";

const CONNECTION_EVENTS = ["Accept", "Connect", "Delete", "Reject"] as const;

const PrivateDnsSchema = v.strictObject({
  name: described(
    v.pipe(
      v.string("expected a DNS name"),
      v.regex(/^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "expected a lowercase DNS name such as api.internal.example.com"),
    ),
    "Friendly name consumers resolve to their endpoint, e.g. api.internal.example.com.",
  ),
  hostedZoneId: described(
    v.pipe(v.string("expected a Route 53 hosted zone id"), v.regex(/^Z[A-Z0-9]{1,32}$/, "expected a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ")),
    "Public Route 53 hosted zone (in the provider account) that holds the domain-verification TXT record.",
  ),
});

const NotificationsSchema = v.strictObject({
  events: v.optional(
    described(
      v.pipe(
        v.array(v.picklist(CONNECTION_EVENTS, `expected one of ${CONNECTION_EVENTS.join(", ")}`), "expected a list of events"),
        v.minLength(1, "expected at least one event"),
      ),
      "Connection events that publish to the topic.",
    ),
    [...CONNECTION_EVENTS],
  ),
});

/**
 * TLS 1.3 and 1.2, restricted to forward-secret AEAD ciphers, with hybrid
 * post-quantum key exchange for clients that offer it: the console's default
 * for NLB TLS listeners, AWS's current recommendation ("Security policies for
 * your Network Load Balancer",
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/describe-ssl-policies.html).
 * The API's own default, ELBSecurityPolicy-2016-08, still admits TLS 1.0.
 */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";

/**
 * The ELB policies whose lowest TLS version is 1.2 or 1.3 (the same page's
 * table): TLS13-1-2-*, TLS13-1-3-*, TLS-1-2-* and FS-1-2-*. Every other
 * policy (2016-08, TLS-1-0/1-1, FS-2018-06, FS-1-1, TLS13-1-0/1-1, …) admits
 * TLS 1.0 or 1.1.
 */
const TLS12_OR_LATER_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-[A-Za-z0-9-]+$/;

const ListenerSchema = v.strictObject({
  port: described(port, "Port of the NLB listener, which consumers connect to."),
  protocol: v.optional(
    described(v.picklist(["TCP", "TLS"], 'expected "TCP" or "TLS"'), "`TCP` passes connections through; `TLS` ends TLS at the NLB with `certificateArn`."),
    "TCP",
  ),
  certificateArn: v.optional(
    described(
      v.pipe(
        v.string("expected an ACM certificate ARN"),
        v.regex(
          /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/,
          "expected an ACM certificate ARN such as arn:aws:acm:us-east-1:111111111111:certificate/0123abcd-…",
        ),
      ),
      "TLS only: the ACM certificate the NLB presents; in the provider's account and region.",
    ),
  ),
  targetPort: v.optional(derivedDefault(described(port, "Port the service instances listen on for this listener."), "the listener's `port`")),
  sslPolicy: v.optional(
    derivedDefault(
      described(
        v.pipe(
          v.string("expected an ELB security policy name"),
          v.regex(
            TLS12_OR_LATER_POLICY,
            "expected an ELB security policy that admits TLS 1.2 or later only (ELBSecurityPolicy-TLS13-1-2-…, -TLS13-1-3-…, -TLS-1-2-… or " +
              "-FS-1-2-…), such as ELBSecurityPolicy-TLS13-1-2-2021-06; policies that admit TLS 1.0 or 1.1 are refused",
          ),
        ),
        "TLS only: the NLB's security policy (TLS versions and ciphers); only policies whose lowest version is TLS 1.2 or 1.3. " +
          "TLS clients must connect by a name the certificate covers: the service's private DNS name (`privateDns`), not the endpoint's own DNS names.",
      ),
      `\`${DEFAULT_SSL_POLICY}\` for TLS listeners`,
    ),
  ),
});

export const ServiceSchema = v.strictObject({
  port: v.optional(
    described(
      port,
      "TCP port the service listens on, behind the NLB and the endpoint: shorthand for one TCP listener on that port. Required unless `listeners` is given.",
    ),
  ),
  listeners: v.optional(
    described(
      v.pipe(v.array(ListenerSchema, "expected a list of listeners"), v.minLength(1, "expected at least one listener")),
      "NLB listeners, instead of `port`: one listener per port, and one target group per distinct target port.",
    ),
  ),
  proxyProtocolV2: v.optional(
    described(
      bool,
      "Proxy protocol v2 on the target groups, so the service sees each client's address and endpoint id. " +
        "Needs `userData` with a server that reads the header; the default HTTP server does not.",
    ),
    false,
  ),
  instanceType: v.optional(
    described(instanceType, "EC2 instance type of the service instances. Graviton types (`t4g`, `m7g`, …) get the arm64 image."),
    "t3.micro",
  ),
  imageId: v.optional(
    derivedDefault(
      described(
        imageId,
        "AMI of the service instances, pinned: a new id rolls the instances (instance refresh), a change the review shows. It must suit the " +
          "instance type's architecture.",
      ),
      "the latest Amazon Linux 2023 for the instance type's architecture, resolved by EC2 at each launch (`resolve:ssm:`), " +
        "so a new AWS release changes no plan",
    ),
  ),
  instanceCount: v.optional(
    described(
      v.pipe(v.number(INSTANCES), v.integer(INSTANCES), v.minValue(1, INSTANCES), v.maxValue(20, INSTANCES)),
      "Number of service instances, spread over the AZs.",
    ),
    2,
  ),
  page: v.optional(
    described(
      v.pipe(v.string("expected the page text"), v.minLength(1, "expected a non-empty page")),
      "Text of the page the default user data serves over HTTP. The resulting user data must fit EC2's 16 KB.",
    ),
  ),
  userData: v.optional(
    described(
      v.pipe(v.string("expected a user data script"), v.minLength(1, "expected non-empty user data")),
      "Complete user data to run instead of the default HTTP server, at most 16 KB (EC2's limit). Excludes `page`.",
    ),
  ),
  acceptanceRequired: v.optional(described(bool, "Whether the provider must accept each consumer connection."), true),
  dualStack: v.optional(
    derivedDefault(
      described(
        bool,
        "Serve over IPv6 too: a dual-stack NLB and endpoint service. Needs `network.ipv6`. To stop serving over IPv6, set it to false " +
          "and keep `network.ipv6`: AWS does not remove a VPC's IPv6 block while the NLB and instances hold addresses from it.",
      ),
      "provider.network.ipv6",
    ),
  ),
  detailedMonitoring: v.optional(described(bool, "CloudWatch detailed (1-minute) monitoring of the service instances."), true),
  deletionProtection: v.optional(described(bool, "Deletion protection on the NLB. Turn it off to let `cdktf destroy` remove the service."), true),
  privateDns: v.optional(described(PrivateDnsSchema, "A private DNS name for the service, verified through a TXT record in Route 53.")),
  notifications: v.optional(described(NotificationsSchema, "An encrypted SNS topic told of consumer connections.")),
  alarms: v.optional(
    described(
      AlarmsSchema,
      "CloudWatch alarms on the service: per target group, unhealthy targets (more than 0) and healthy ones (fewer than `instanceCount`); " +
        "on the endpoint service, reset packets sent to consumers; and one dashboard of the NLB and the endpoint service.",
    ),
  ),
});

export type ServiceInput = v.InferOutput<typeof ServiceSchema>;
