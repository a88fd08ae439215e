import { launchImage, supportsEbsOptimization } from "./images";
import type { Problems } from "./errors";
import { partitionOf } from "./regions";
import { DEFAULT_SSL_POLICY, type ServiceInput } from "./service-schema";
import type { ListenerConfig, ServiceConfig } from "./types";
import { serviceUserData, targetPortsOf } from "./user-data";

/** Rules of the service: its listeners (from `port` or `listeners`), TLS settings and user data. */

/** EC2's limit on user data, before base64 (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html). */
const USER_DATA_MAX_BYTES = 16 * 1024;

/**
 * The service's listeners, from `port` (one TCP listener) or `listeners`,
 * with TLS settings that hold together; user data that fits EC2's limit and
 * that can serve them. Undefined when the listeners cannot be resolved.
 */
export function resolveService(
  service: ServiceInput,
  path: string,
  provider: { readonly id: string; readonly region: string; readonly ipv6: boolean },
  problems: Problems,
): ServiceConfig | undefined {
  const { port, listeners: given, dualStack, ...rest } = service;
  if (dualStack && !provider.ipv6) {
    problems.push({
      code: "service.dual-stack-without-ipv6",
      path: `${path}.dualStack`,
      message: "expected provider.network.ipv6: true as well: a dual-stack NLB needs IPv6 addresses in its subnets",
      value: true,
    });
  }
  if (port !== undefined && given !== undefined) {
    problems.push({
      code: "service.port-and-listeners",
      path: `${path}.port`,
      message: "expected either port (one TCP listener) or listeners, not both; put the port into listeners",
      value: port,
    });
  }
  if (port === undefined && given === undefined) {
    problems.push({
      code: "service.port-missing",
      path: `${path}.port`,
      message: 'missing required field; expected the service port, such as 8080, or "listeners": [{ "port": 443, … }]',
      value: undefined,
    });
    return undefined;
  }
  const listeners: ListenerConfig[] = given
    ? given.map((listener, i) => resolveListener(listener, `${path}.listeners[${i}]`, provider, problems))
    : [{ port: port as number, protocol: "TCP", targetPort: port as number }];
  listeners.forEach((listener, i) => {
    const first = listeners.findIndex((l) => l.port === listener.port);
    if (first !== i) {
      problems.push({
        code: "listener.port-repeated",
        path: `${path}.listeners[${i}].port`,
        message: `expected each listener port once; ${path}.listeners[${first}] already listens on it`,
        value: listener.port,
      });
    }
  });

  const sshPorts = given
    ? given.flatMap((l, i) => [
        ...(l.port === 22 ? [`${path}.listeners[${i}].port`] : []),
        ...(l.targetPort === 22 ? [`${path}.listeners[${i}].targetPort`] : []),
      ])
    : port === 22
      ? [`${path}.port`]
      : [];
  for (const at of sshPorts) {
    problems.push({ code: "service.ssh-port", path: at, message: "expected a port other than 22: this project never exposes SSH", value: 22 });
  }

  if (service.page !== undefined && service.userData !== undefined) {
    problems.push({ code: "service.page-and-user-data", path: `${path}.userData`, message: "expected either page or userData, not both" });
  }
  if (service.proxyProtocolV2 && service.userData === undefined) {
    problems.push({
      code: "service.proxy-protocol-default-user-data",
      path: `${path}.proxyProtocolV2`,
      message:
        "expected userData with a server that reads the proxy protocol v2 header (such as nginx with proxy_protocol): " +
        "the default HTTP server would answer every proxied request with an error",
      value: true,
    });
  }
  const field = service.userData !== undefined ? "userData" : "page";
  const bytes = Buffer.byteLength(serviceUserData({ ...service, targetPorts: targetPortsOf({ listeners }) }), "utf8");
  if (bytes > USER_DATA_MAX_BYTES) {
    const what = field === "page" ? "a page whose user data (the page, base64-encoded, plus the server set-up)" : "user data that";
    problems.push({
      code: "service.user-data-too-large",
      path: `${path}.${field}`,
      message: `expected ${what} fits EC2's 16 KB user-data limit; it is ${bytes} bytes`,
      value: `${bytes} bytes`,
    });
  }
  const { imageId, ...settings } = rest;
  return {
    ...settings,
    listeners,
    dualStack: dualStack ?? provider.ipv6,
    image: launchImage(service.instanceType, imageId),
    ebsOptimized: supportsEbsOptimization(service.instanceType),
  };
}

/** One listener: TLS needs a certificate of the provider's account and region; TCP takes no TLS settings. */
function resolveListener(
  listener: NonNullable<ServiceInput["listeners"]>[number],
  path: string,
  provider: { readonly id: string; readonly region: string },
  problems: Problems,
): ListenerConfig {
  const targetPort = listener.targetPort ?? listener.port;
  if (listener.protocol === "TCP") {
    for (const field of ["certificateArn", "sslPolicy"] as const) {
      if (listener[field] === undefined) continue;
      problems.push({
        code: "listener.tls-option-on-tcp",
        path: `${path}.${field}`,
        message: `applies to TLS listeners only; set "protocol": "TLS" or remove ${field}`,
        value: listener[field],
      });
    }
    return { port: listener.port, protocol: "TCP", targetPort };
  }
  if (listener.certificateArn === undefined) {
    problems.push({
      code: "listener.tls-needs-certificate",
      path: `${path}.certificateArn`,
      message: "missing required field with TLS; expected the ACM certificate the NLB presents",
      value: undefined,
    });
  } else {
    const [, partition, , region, account] = listener.certificateArn.split(":");
    if (region !== provider.region || account !== provider.id || partition !== partitionOf(provider.region)) {
      problems.push({
        code: "listener.certificate-elsewhere",
        path: `${path}.certificateArn`,
        message: `expected a certificate in the provider's account ${provider.id} and region ${provider.region}: an NLB can only use those`,
        value: listener.certificateArn,
      });
    }
  }
  return { port: listener.port, protocol: "TLS", targetPort, certificateArn: listener.certificateArn, sslPolicy: listener.sslPolicy ?? DEFAULT_SSL_POLICY };
}
