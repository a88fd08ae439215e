/**
 * The hashicorp/aws version the installed provider bindings were generated
 * from, as their package.json records it: 6.25.0 for @cdktf/provider-aws
 * 21.22.1. Read rather than copied, so it follows the bindings when they
 * change, the fork's (@cdktn/provider-aws) included.
 */
export const BINDINGS_AWS_PROVIDER_VERSION: string = (require("@cdktf/provider-aws/package.json") as { cdktf: { provider: { version: string } } }).cdktf
  .provider.version;
