import { Netmask } from "netmask";

/**
 * IPv4 CIDR helpers. The arithmetic is netmask's; this module only adds the
 * strict syntax check netmask leaves out (it accepts `10.0/16` and host bits).
 */

const DOTTED_QUAD_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Why a string is not a canonical IPv4 CIDR block, or undefined when it is one. */
export function cidrProblem(value: string): string | undefined {
  const m = DOTTED_QUAD_CIDR.exec(value);
  if (!m) return "is not an IPv4 CIDR block of the form a.b.c.d/n";
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return "has an octet above 255";
  if (Number(m[5]) > 32) return "has a prefix length above 32";
  const block = new Netmask(value);
  if (block.base !== m.slice(1, 5).join(".")) {
    return `has host bits set; the network address is ${block.base}/${block.bitmask}`;
  }
  return undefined;
}

/** Prefix length of a valid CIDR block. */
export function prefixLength(cidr: string): number {
  return new Netmask(cidr).bitmask;
}

/** True when `inner` lies wholly inside `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  return new Netmask(outer).contains(new Netmask(inner));
}

/** True when the two blocks share at least one address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = new Netmask(a);
  const y = new Netmask(b);
  return x.contains(y) || y.contains(x);
}

/**
 * The `index`-th block of `newBits` extra prefix bits inside `cidr`, like
 * Terraform's `cidrsubnet(cidr, newBits, index)`.
 */
export function cidrSubnet(cidr: string, newBits: number, index: number): string {
  const parent = new Netmask(cidr);
  const first = new Netmask(`${parent.base}/${parent.bitmask + newBits}`);
  return (index === 0 ? first : first.next(index)).toString();
}

/** Number of addresses in a valid CIDR block. */
export function cidrSize(cidr: string): number {
  return new Netmask(cidr).size;
}
