import * as v from "valibot";
import { bool, described, instanceType, port } from "./schema-fields";

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

export const ServiceSchema = v.strictObject({
  port: described(port, "TCP port the service listens on, behind the NLB and the endpoint."),
  instanceType: v.optional(described(instanceType, "EC2 instance type of the service instances."), "t3.micro"),
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
  detailedMonitoring: v.optional(described(bool, "CloudWatch detailed (1-minute) monitoring of the service instances."), true),
  deletionProtection: v.optional(described(bool, "Deletion protection on the NLB. Turn it off to let `cdktf destroy` remove the service."), true),
  privateDns: v.optional(described(PrivateDnsSchema, "A private DNS name for the service, verified through a TXT record in Route 53.")),
  notifications: v.optional(described(NotificationsSchema, "An encrypted SNS topic told of consumer connections.")),
});

export type ServiceInput = v.InferOutput<typeof ServiceSchema>;
