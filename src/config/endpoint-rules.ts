import { GATEWAY_SERVICES, IAM_PREFIX, NO_POLICY_SERVICES, SESSION_MANAGER_SERVICES } from "./aws-services";
import type { Problems } from "./errors";
import type { AwsEndpointInput, EndpointPolicyInput } from "./network-schema";
import { partitionOf } from "./regions";
import type { AwsEndpointConfig, EndpointPolicyConfig } from "./types";

/** Rules of a network's AWS-service endpoints: which types and settings each service takes, and the policies' defaults. */

/**
 * Checks the AWS-service endpoint entries of one network and adds the
 * Session Manager endpoints when asked for (an explicit entry wins).
 */
export function resolveAwsEndpoints(
  entries: readonly AwsEndpointInput[],
  sessionManager: boolean,
  region: string,
  path: string,
  problems: Problems,
): AwsEndpointConfig[] {
  const hasGateway = (service: string) => entries.some((e) => e.service === service && e.type === "Gateway");
  const resolved = entries.map((entry, i): AwsEndpointConfig => {
    const at = `${path}[${i}]`;
    const first = entries.findIndex((e) => e.service === entry.service && e.type === entry.type);
    if (first !== i) {
      problems.push({
        code: "endpoint.repeated",
        path: `${at}.service`,
        message: `expected each service and type once; ${path}[${first}] is already a ${entry.type} endpoint for it`,
        value: entry.service,
      });
    }
    if (entry.type === "Gateway" && !GATEWAY_SERVICES.includes(entry.service)) {
      problems.push({
        code: "endpoint.gateway-unsupported",
        path: `${at}.type`,
        message: `Gateway endpoints exist only for ${GATEWAY_SERVICES.join(" and ")}; use "Interface" for ${entry.service}`,
        value: entry.type,
      });
    }
    if (entry.type === "Gateway" && entry.privateDns !== undefined) {
      problems.push({
        code: "endpoint.private-dns-on-gateway",
        path: `${at}.privateDns`,
        message: "private DNS applies to Interface endpoints only",
        value: entry.privateDns,
      });
    }
    if (entry.privateDnsOnlyForInboundResolverEndpoint !== undefined && !(entry.service === "s3" && entry.type === "Interface")) {
      problems.push({
        code: "endpoint.inbound-resolver-not-s3-interface",
        path: `${at}.privateDnsOnlyForInboundResolverEndpoint`,
        message: "applies to s3 Interface endpoints only",
        value: entry.privateDnsOnlyForInboundResolverEndpoint,
      });
    }
    // The schema documents this default ("true for Interface endpoints"); it depends on the type, so it is filled in here.
    const privateDns = entry.type === "Interface" && (entry.privateDns ?? true);
    if (entry.service === "s3" && privateDns && !hasGateway("s3") && entry.privateDnsOnlyForInboundResolverEndpoint !== false) {
      problems.push({
        code: "endpoint.s3-private-dns-needs-gateway",
        path: `${at}.privateDns`,
        message:
          'private DNS for an s3 Interface endpoint needs an s3 Gateway endpoint in the same network, or "privateDnsOnlyForInboundResolverEndpoint": false',
        value: privateDns,
      });
    }
    if (entry.policy && NO_POLICY_SERVICES.includes(entry.service)) {
      problems.push({
        code: "endpoint.policy-unsupported",
        path: `${at}.policy`,
        message: `${entry.service} endpoints take no endpoint policy; remove it`,
        value: entry.policy,
      });
    }
    if (entry.policy?.buckets && entry.service !== "s3") {
      problems.push({
        code: "endpoint.buckets-not-s3",
        path: `${at}.policy.buckets`,
        message: "buckets apply to s3 endpoints only",
        value: entry.policy.buckets,
      });
    }
    if (entry.policy?.buckets && entry.policy.resources) {
      problems.push({
        code: "endpoint.buckets-and-resources",
        path: `${at}.policy.resources`,
        message: "expected either buckets or resources, not both",
        value: entry.policy.resources,
      });
    }
    return {
      service: entry.service,
      type: entry.type,
      privateDns,
      privateDnsOnlyForInboundResolverEndpoint: entry.privateDnsOnlyForInboundResolverEndpoint,
      policy: NO_POLICY_SERVICES.includes(entry.service) ? undefined : resolvePolicy(entry.service, entry.policy ?? {}, region),
    };
  });
  if (sessionManager) {
    for (const service of SESSION_MANAGER_SERVICES) {
      if (!resolved.some((e) => e.service === service && e.type === "Interface")) {
        resolved.push({
          service,
          type: "Interface",
          privateDns: true,
          policy: NO_POLICY_SERVICES.includes(service) ? undefined : resolvePolicy(service, {}, region),
        });
      }
    }
  }
  return resolved;
}

/** An endpoint policy's defaults: every action of that one service, on every resource (or on the listed buckets and their objects). */
function resolvePolicy(service: AwsEndpointInput["service"], policy: EndpointPolicyInput, region: string): EndpointPolicyConfig {
  const partition = partitionOf(region);
  return {
    actions: policy.actions ?? [`${IAM_PREFIX[service]}:*`],
    resources: policy.buckets ? policy.buckets.flatMap((b) => [`arn:${partition}:s3:::${b}`, `arn:${partition}:s3:::${b}/*`]) : (policy.resources ?? ["*"]),
  };
}
