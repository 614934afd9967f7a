import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { StackChart, componentNetworkPolicy } from '../chart';
import { componentLabels } from '../meta';
import { discoveryAccess, type PrometheusChartProps } from '../prometheus';
import { componentService } from '../workload';
import { prometheusResource, prometheusRules, serviceMonitors } from './resources';

/**
 * Operator mode's `prometheus.yaml`: the Prometheus resource (the Operator makes its StatefulSet), a ServiceMonitor per
 * scrape job and a PrometheusRule per rule file, the ServiceAccount and discovery RBAC of plain mode, the `prometheus`
 * Service the other parts address, and the same NetworkPolicy (the Operator's pods carry obskit's selector labels).
 */
export class OperatorPrometheusChart extends StackChart {
  constructor(scope: Construct, id: string, props: PrometheusChartProps) {
    super(scope, id);
    const { spec, ctx } = props;
    const config = props.configs.prometheusConfig;
    const serviceAccount =
      discoveryAccess(this, props) ??
      new kplus.ServiceAccount(this, 'service-account', {
        metadata: { name: ctx.hosts.prometheus, namespace: spec.namespace, labels: componentLabels(ctx, 'prometheus') },
        automountToken: false,
      });

    prometheusResource(this, spec, ctx, config, serviceAccount.name);
    serviceMonitors(this, spec, config);
    prometheusRules(this, spec, props.ruleFiles);

    componentService(this, 'service', { spec, ctx, component: 'prometheus', ports: [{ name: 'http', port: ctx.ports.prometheus.http }] });
    componentNetworkPolicy(this, props, 'prometheus');
  }
}
