import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { RenderContext } from '../config/context';
import type { Component, StackSpec } from '../spec';
import type { KubernetesConfigs } from './configs';
import { componentLabels, componentName } from './meta';
import type { ComponentRules } from './network';
import { networkPolicy } from './policy';
import { kubeScoreAnnotations } from './policy-exceptions';

/** What every component chart is built from. */
export interface StackChartProps {
  readonly spec: StackSpec;
  readonly ctx: RenderContext;
  readonly configs: KubernetesConfigs;
  readonly rules: Readonly<Record<Component, ComponentRules>>;
}

/**
 * A chart for one part of the stack, written to `dist/k8s/<id>.yaml`. Every object in it is named explicitly;
 * `disableResourceNameHashes` only guards against one that is not (it would get its construct path, never a hash).
 */
export class StackChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { disableResourceNameHashes: true });
  }
}

/** The component's NetworkPolicy: its pods isolated both ways, then the flows of network.ts allowed. */
export function componentNetworkPolicy(scope: Construct, props: StackChartProps, component: Component): void {
  networkPolicy(scope, 'network-policy', {
    name: componentName(props.ctx, component),
    namespace: props.spec.namespace,
    labels: componentLabels(props.ctx, component),
    annotations: kubeScoreAnnotations('NetworkPolicy', { component }, props.spec.kubernetes.mode),
    ctx: props.ctx,
    selector: { kind: 'component', component },
    rules: props.rules[component],
  });
}
