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

/** The user data a service instance runs: the config's own, or the default server of its page. */
export function serviceUserData(service: { readonly port: number; readonly page?: string; readonly userData?: string }): string {
  return service.userData ?? httpServerUserData(service.port, service.page ?? DEFAULT_PAGE);
}

/** The page served when the config gives neither `page` nor `userData`. */
const DEFAULT_PAGE = "Hello over AWS PrivateLink.";
