import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { SecurityGroupEgress } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Construct } from "constructs";
import { partitionOf } from "../config/regions";
import type { AwsEndpointConfig, EndpointPolicyConfig } from "../config/types";
import type { PrivateNetwork } from "./network";

export interface AwsServiceEndpointsProps {
  /** The VPC; interface endpoints go in its private subnets, gateways on its private route table. */
  readonly network: PrivateNetwork;
  /** Region of the services, as in com.amazonaws.<region>.<service>. */
  readonly region: string;
  /** The VPC's account: every endpoint policy admits only its principals. */
  readonly accountId: string;
  /** The endpoints, validated and resolved. */
  readonly endpoints: readonly AwsEndpointConfig[];
  /** Prefix of names and Name tags. */
  readonly name: string;
}

/**
 * VPC endpoints to AWS services, so private subnets reach them without
 * internet or NAT: Gateway endpoints on the private route table, Interface
 * endpoints in the private subnets behind one security group that admits
 * 443 from the VPC only. Each endpoint policy admits only principals of the
 * VPC's own account, and only the configured actions and resources (by
 * default: every action of that one service).
 */
export class AwsServiceEndpoints extends Construct {
  /** Endpoints by `<service>-<type>`, e.g. `s3-gateway`. */
  readonly endpoints = new Map<string, VpcEndpoint>();
  /** Security group of the interface endpoints; undefined when there are none. */
  readonly securityGroup?: SecurityGroup;
  /** Egress rules an instance in this VPC needs to use the endpoints (443 only). */
  readonly clientEgress: SecurityGroupEgress[] = [];

  constructor(scope: Construct, id: string, props: AwsServiceEndpointsProps) {
    super(scope, id);
    const { network, endpoints } = props;
    const interfaces = endpoints.filter((e) => e.type === "Interface");

    if (interfaces.length > 0) {
      this.securityGroup = new SecurityGroup(this, "sg", {
        name: `${props.name}-aws-endpoints`,
        description: "AWS service interface endpoints: HTTPS from the VPC only",
        vpcId: network.vpcId,
        ingress: [{ description: "HTTPS from the VPC", protocol: "tcp", fromPort: 443, toPort: 443, ...network.vpcSources() }],
        egress: [],
        tags: { Name: `${props.name}-aws-endpoints` },
      });
      this.clientEgress.push({
        description: "HTTPS to AWS service interface endpoints",
        protocol: "tcp",
        fromPort: 443,
        toPort: 443,
        ...network.vpcSources(),
      });
    }

    for (const config of endpoints) {
      const key = `${config.service}-${config.type.toLowerCase()}`;
      const policy = config.policy && this.policyDocument(key, config.service, config.policy, props.accountId, props.region).json;
      const common = {
        vpcId: network.vpcId,
        serviceName: `com.amazonaws.${props.region}.${config.service}`,
        vpcEndpointType: config.type,
        policy,
        tags: { Name: `${props.name}-${key}` },
      };
      const endpoint =
        config.type === "Gateway"
          ? new VpcEndpoint(this, key, { ...common, routeTableIds: network.privateRouteTableIds as string[] })
          : new VpcEndpoint(this, key, {
              ...common,
              subnetIds: network.privateSubnets.map((s) => s.id),
              securityGroupIds: [this.securityGroup?.id ?? ""],
              privateDnsEnabled: config.privateDns,
              dnsOptions:
                config.privateDnsOnlyForInboundResolverEndpoint === undefined
                  ? undefined
                  : { privateDnsOnlyForInboundResolverEndpoint: config.privateDnsOnlyForInboundResolverEndpoint },
            });
      this.endpoints.set(key, endpoint);
      if (config.type === "Gateway") {
        this.clientEgress.push({
          description: `HTTPS to ${config.service} through its gateway endpoint`,
          protocol: "tcp",
          fromPort: 443,
          toPort: 443,
          prefixListIds: [endpoint.prefixListId],
        });
      }
    }
  }

  private policyDocument(key: string, service: string, policy: EndpointPolicyConfig, accountId: string, region: string): DataAwsIamPolicyDocument {
    const partition = partitionOf(region);
    const statement: DataAwsIamPolicyDocumentStatement[] = [
      {
        sid: "OwnAccountOnly",
        effect: "Allow",
        principals: [{ type: "*", identifiers: ["*"] }],
        actions: [...policy.actions],
        resources: [...policy.resources],
        condition: [{ test: "StringEquals", variable: "aws:PrincipalAccount", values: [accountId] }],
      },
    ];
    if (service === "s3") {
      // dnf (Amazon Linux repositories) and the SSM agent read AWS-owned buckets, often
      // unsigned, so no principal condition: read-only, those buckets only. As in AWS's
      // data-perimeter example "AllowRequestsToAWSOwnedResources":
      // https://github.com/aws-samples/data-perimeter-policy-examples/blob/main/vpc_endpoint_policies/s3_endpoint_policy.json
      statement.push({
        sid: "AwsOwnedPackagesAndAgents",
        effect: "Allow",
        principals: [{ type: "*", identifiers: ["*"] }],
        actions: ["s3:GetObject"],
        resources: awsOwnedBuckets(region).map((bucket) => `arn:${partition}:s3:::${bucket}/*`),
      });
    }
    return new DataAwsIamPolicyDocument(this, `${key}-policy`, { statement });
  }
}

/** AWS-owned buckets that Amazon Linux package managers and the SSM agent read in a region. */
function awsOwnedBuckets(region: string): string[] {
  return [
    `al2023-repos-${region}-de612dc2`,
    `amazonlinux-2-repos-${region}`,
    `amazonlinux.${region}.amazonaws.com`,
    `repo.${region}.amazonaws.com`,
    `packages.${region}.amazonaws.com`,
    `aws-ssm-${region}`,
    `amazon-ssm-${region}`,
    `amazon-ssm-packages-${region}`,
    `${region}-birdwatcher-prod`,
    `aws-ssm-document-attachments-${region}`,
    `aws-ssm-distributor-file-${region}`,
    `patch-baseline-snapshot-${region}`,
  ];
}
