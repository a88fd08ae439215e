import { isIPv4, isIPv6 } from "node:net";
import type { SecurityGroup, SecurityGroupRule } from "./path";

// How the VPC evaluates security groups (VPC user guide, "Security group
// rules"): groups are stateful, so a TCP connection needs a rule in the
// sender's egress and one in the receiver's ingress; a rule admits a protocol
// and port range to or from a CIDR, or the network interfaces that carry a
// referenced group. https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html

/** The peer of a connection, as a rule sees it: its address and the groups on its interface. */
export interface Peer {
  readonly address?: string;
  readonly groups: readonly string[];
}

/** The address as a number and its bit width, or undefined when it is not an IP address. */
function bitsOf(address: string): { value: bigint; width: number } | undefined {
  if (isIPv4(address)) return { value: address.split(".").reduce((n, part) => (n << 8n) + BigInt(Number(part)), 0n), width: 32 };
  if (!isIPv6(address)) return undefined;
  const [head, tail = ""] = address.split("::");
  const parts = (text: string) => (text ? text.split(":") : []);
  const groups = address.includes("::") ? [...parts(head), ...Array(8 - parts(head).length - parts(tail).length).fill("0"), ...parts(tail)] : parts(head);
  return { value: groups.reduce((n, part) => (n << 16n) + BigInt(Number.parseInt(part, 16)), 0n), width: 128 };
}

/** Whether the CIDR holds the address (of the same family). */
export function cidrContains(cidr: string, address: string): boolean {
  const [network, length] = cidr.split("/");
  const net = bitsOf(network);
  const host = bitsOf(address);
  if (!net || !host || net.width !== host.width) return false;
  const shift = BigInt(net.width - Number(length ?? net.width));
  return net.value >> shift === host.value >> shift;
}

/**
 * The first address of an IPv4 CIDR that EC2 hands out: the subnet's fifth,
 * after the four it reserves (VPC user guide, "Subnet CIDR blocks"). A load
 * balancer node's address stands for the node here.
 */
export function firstUsableAddress(cidr: string): string {
  const net = bitsOf(cidr.split("/")[0]);
  if (net?.width !== 32) return cidr.split("/")[0];
  const value = net.value + 4n;
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join(".");
}

/** Whether the rule admits TCP on the port with the peer. */
export function ruleAdmits(rule: SecurityGroupRule, port: number, peer: Peer): boolean {
  if (rule.protocol !== "-1" && rule.protocol !== "tcp" && rule.protocol !== "6") return false;
  if (rule.protocol !== "-1" && rule.fromPort !== undefined && rule.toPort !== undefined && (port < rule.fromPort || port > rule.toPort)) return false;
  if (rule.groups.some((g) => peer.groups.includes(g))) return true;
  const address = peer.address;
  return address !== undefined && rule.cidrs.some((cidr) => cidrContains(cidr, address));
}

/** Whether any of the groups admits a TCP connection on the port, in that direction, with the peer. */
export function groupsAdmit(groups: readonly SecurityGroup[], direction: "ingress" | "egress", port: number, peer: Peer): boolean {
  return groups.some((g) => g[direction].some((rule) => ruleAdmits(rule, port, peer)));
}

/** The ids of the groups, for a message. */
export function idsOf(groups: readonly SecurityGroup[]): string {
  return groups.map((g) => g.id).join(", ") || "(none)";
}
