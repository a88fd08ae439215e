/** How the systemd unit of the default server is named and started. */
interface ServerUnit {
  /** File name under /etc/systemd/system. */
  readonly file: string;
  readonly description: string;
  /** The port as ExecStart gives it: a number, or `%i` in a templated unit. */
  readonly port: string;
  /** What `systemctl enable --now` starts. */
  readonly start: string;
}

/**
 * The default user data of a service instance: a static page served over
 * HTTP by python3's http.server, run by systemd as an unprivileged dynamic
 * user. One target port: one unit. Several: one instance of a templated unit
 * per port.
 */
function httpServerUserData(ports: readonly number[], page: string): string {
  const unit: ServerUnit =
    ports.length === 1
      ? { file: "privatelink-service.service", description: "PrivateLink demo service", port: String(ports[0]), start: "privatelink-service" }
      : {
          file: "privatelink-service@.service",
          description: "PrivateLink demo service on port %i",
          port: "%i",
          start: ports.map((port) => `privatelink-service@${port}`).join(" "),
        };
  // Base64 keeps any page text (quotes, heredoc markers) out of the shell's way.
  const encoded = Buffer.from(`${page}\n`, "utf8").toString("base64");
  return [
    "#!/bin/bash",
    "set -euo pipefail",
    "install -d -m 0755 /srv/privatelink",
    `echo '${encoded}' | base64 -d > /srv/privatelink/index.html`,
    `cat > /etc/systemd/system/${unit.file} <<'UNIT'`,
    "[Unit]",
    `Description=${unit.description}`,
    "After=network-online.target",
    "[Service]",
    `ExecStart=/usr/bin/python3 -m http.server ${unit.port} --directory /srv/privatelink`,
    "DynamicUser=yes",
    "AmbientCapabilities=CAP_NET_BIND_SERVICE",
    "Restart=always",
    "[Install]",
    "WantedBy=multi-user.target",
    "UNIT",
    "systemctl daemon-reload",
    `systemctl enable --now ${unit.start}`,
    "",
  ].join("\n");
}

/**
 * The user data a service instance runs: the config's own, or the default
 * server of its page on every target port.
 */
export function serviceUserData(service: { readonly targetPorts: readonly number[]; readonly page?: string; readonly userData?: string }): string {
  if (service.userData !== undefined) return service.userData;
  return httpServerUserData(service.targetPorts, service.page ?? DEFAULT_PAGE);
}

/** The distinct target ports of a service's listeners, in the order they first appear. */
export function targetPortsOf(service: { readonly listeners: readonly { readonly targetPort: number }[] }): number[] {
  // In ascending order, so that reordering `listeners` changes nothing.
  return [...new Set(service.listeners.map((l) => l.targetPort))].sort((a, b) => a - b);
}

/** The service's listener ports, in ascending order: what a consumer's endpoint admits. */
export function listenerPortsOf(service: { readonly listeners: readonly { readonly port: number }[] }): number[] {
  return [...new Set(service.listeners.map((l) => l.port))].sort((a, b) => a - b);
}

/** The page served when the config gives neither `page` nor `userData`. */
const DEFAULT_PAGE = "Hello over AWS PrivateLink.";
