import * as v from "valibot";
import { described, port } from "./schema-fields";

/** Resources the provider shares over PrivateLink without a load balancer (VPC resource endpoints). */

export const resourceName = v.pipe(
  v.string("expected a resource name"),
  v.regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, "expected 2-32 lowercase letters, digits or hyphens, starting with a letter"),
);

/** A TCP port, or a range of them as "from-to". */
const portOrRange = v.union(
  [port, v.pipe(v.string(), v.regex(/^\d{1,5}-\d{1,5}$/, 'expected a port range such as "8000-8100"'))],
  'expected a TCP port 1-65535 or a "from-to" range such as "8000-8100"',
);

export const ResourceSchema = v.strictObject({
  name: described(resourceName, "Unique name of the resource; consumers list it in their `resources`."),
  dnsName: v.optional(
    described(
      v.pipe(
        v.string("expected a DNS name"),
        v.regex(
          /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/,
          "expected a lowercase DNS name such as db.internal.example.com (an internationalised one in punycode, xn--…)",
        ),
      ),
      "DNS name of the resource (e.g. a database endpoint), at most 253 characters, which VPC Lattice resolves in public DNS: a name under a " +
        "private-only suffix (`.internal`, `.local`, `.test`, `home.arpa`, …) is refused. Exactly one of `dnsName` and `ipAddress`.",
    ),
  ),
  ipAddress: v.optional(
    described(
      v.pipe(v.string("expected an IPv4 address"), v.ipv4("expected an IPv4 address such as 10.10.5.20")),
      "IPv4 address of the resource, in the provider VPC (checked when the stacks create it); not loopback, link-local, multicast or " +
        "reserved. Exactly one of `dnsName` and `ipAddress`.",
    ),
  ),
  ports: described(
    v.pipe(v.array(portOrRange, "expected a list of ports"), v.minLength(1, "expected at least one port")),
    'TCP ports of the resource: numbers, or "from-to" ranges such as "8000-8100"; none overlapping.',
  ),
});

export type ResourceInput = v.InferOutput<typeof ResourceSchema>;
