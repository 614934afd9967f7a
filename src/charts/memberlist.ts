import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { Component } from '../spec';
import type { StackChartProps } from './chart';
import { COMPONENT_META, PART_OF, componentLabels } from './meta';

/** The ports of a Grafana ring member (Loki's and Tempo's targets): HTTP, gRPC, and memberlist gossip over TCP and UDP. */
export function ringMemberPorts(ports: { readonly http: number; readonly grpc: number; readonly memberlist: number }) {
  return [
    { name: 'http', number: ports.http },
    { name: 'grpc', number: ports.grpc },
    { name: 'memberlist', number: ports.memberlist },
    { name: 'memberlist-udp', number: ports.memberlist, protocol: 'UDP' as const },
  ];
}

/**
 * The headless Service a program's targets join their memberlist rings through: it selects the pods of every target
 * (all share `component`'s role) and lists them before they are ready, since a target joins the ring before it can
 * report ready.
 */
export function memberlistService(scope: Construct, props: StackChartProps, o: { name: string; component: Component; port: number }): void {
  const { spec, ctx } = props;
  new kplus.k8s.KubeService(scope, 'memberlist', {
    metadata: { name: o.name, namespace: spec.namespace, labels: { ...componentLabels(ctx, o.component), 'app.kubernetes.io/name': o.name } },
    spec: {
      clusterIp: 'None',
      publishNotReadyAddresses: true,
      ipFamilyPolicy: 'PreferDualStack',
      selector: { 'app.kubernetes.io/instance': PART_OF, 'app.kubernetes.io/component': COMPONENT_META[o.component].role },
      ports: [
        { name: 'memberlist', port: o.port, targetPort: kplus.k8s.IntOrString.fromNumber(o.port), protocol: 'TCP' },
        { name: 'memberlist-udp', port: o.port, targetPort: kplus.k8s.IntOrString.fromNumber(o.port), protocol: 'UDP' },
      ],
    },
  });
}
