/**
 * The default user data of a service instance: a static page served over
 * HTTP on the service port by python3's http.server, run by systemd as an
 * unprivileged dynamic user.
 */
function httpServerUserData(port: number, page: string): string {
  // Base64 keeps any page text (quotes, heredoc markers) out of the shell's way.
  const encoded = Buffer.from(`${page}\n`, "utf8").toString("base64");
  return [
    "#!/bin/bash",
    "set -euo pipefail",
    "install -d -m 0755 /srv/privatelink",
    `echo '${encoded}' | base64 -d > /srv/privatelink/index.html`,
    "cat > /etc/systemd/system/privatelink-service.service <<'UNIT'",
    "[Unit]",
    "Description=PrivateLink demo service",
    "After=network-online.target",
    "[Service]",
    `ExecStart=/usr/bin/python3 -m http.server ${port} --directory /srv/privatelink`,
    "DynamicUser=yes",
    "AmbientCapabilities=CAP_NET_BIND_SERVICE",
    "Restart=always",
    "[Install]",
    "WantedBy=multi-user.target",
    "UNIT",
    "systemctl daemon-reload",
    "systemctl enable --now privatelink-service",
    "",
  ].join("\n");
}

/**
 * The default user data with several target ports: the same server, one
 * instance of a templated unit per port.
 */
function httpServersUserData(ports: readonly number[], page: string): string {
  const encoded = Buffer.from(`${page}\n`, "utf8").toString("base64");
  return [
    "#!/bin/bash",
    "set -euo pipefail",
    "install -d -m 0755 /srv/privatelink",
    `echo '${encoded}' | base64 -d > /srv/privatelink/index.html`,
    "cat > /etc/systemd/system/privatelink-service@.service <<'UNIT'",
    "[Unit]",
    "Description=PrivateLink demo service on port %i",
    "After=network-online.target",
    "[Service]",
    "ExecStart=/usr/bin/python3 -m http.server %i --directory /srv/privatelink",
    "DynamicUser=yes",
    "AmbientCapabilities=CAP_NET_BIND_SERVICE",
    "Restart=always",
    "[Install]",
    "WantedBy=multi-user.target",
    "UNIT",
    "systemctl daemon-reload",
    `systemctl enable --now ${ports.map((port) => `privatelink-service@${port}`).join(" ")}`,
    "",
  ].join("\n");
}

/**
 * The user data a service instance runs: the config's own, or the default
 * server of its page on every target port.
 */
export function serviceUserData(service: { readonly targetPorts: readonly number[]; readonly page?: string; readonly userData?: string }): string {
  if (service.userData !== undefined) return service.userData;
  const page = service.page ?? DEFAULT_PAGE;
  return service.targetPorts.length === 1 ? httpServerUserData(service.targetPorts[0], page) : httpServersUserData(service.targetPorts, page);
}

/** The distinct target ports of a service's listeners, in the order they first appear. */
export function targetPortsOf(service: { readonly listeners: readonly { readonly targetPort: number }[] }): number[] {
  return [...new Set(service.listeners.map((l) => l.targetPort))];
}

/** The page served when the config gives neither `page` nor `userData`. */
const DEFAULT_PAGE = "Hello over AWS PrivateLink.";
