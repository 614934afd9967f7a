import { posix } from 'node:path';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { isHa } from '../config/ha';
import { CONTAINER_FILES } from '../config/files';
import { collectorArgs, collectorSecrets, routesTraces } from '../config/otelcol';
import { StackChart, componentNetworkPolicy, type StackChartProps } from './chart';
import { componentLabels, componentName } from './meta';
import {
  componentConfigMap,
  componentService,
  deploymentComponent,
  disruptionBudget,
  livenessProbe,
  readinessProbe,
  type SecretMount,
} from './workload';

export { COLLECTOR_REPLICAS } from '../spec/types';
import { COLLECTOR_REPLICAS } from '../spec/types';

/**
 * The OpenTelemetry Collector as a gateway Deployment behind the `otel-collector` Service (OTLP gRPC 4317 and
 * HTTP 4318 for the cluster, its own metrics for Prometheus). Stateless: its queues are in memory. With tail
 * sampling, a headless `otel-collector-headless` Service lists the replicas, which route spans among themselves
 * by trace id on 4319.
 *
 * In the `ha` profile it is the gateway behind the node agents (src/charts/node-agent.ts), scaled between
 * `ha.collectorGateway.minReplicas` and `maxReplicas` by a HorizontalPodAutoscaler on CPU and memory utilization.
 */

/**
 * Average utilization of the pods' requests the autoscaler keeps them under. Memory: 80% of the 256Mi request is well
 * under the memory limiter's 80% of the 512Mi limit, so replicas are added before any starts refusing data.
 */
export const GATEWAY_UTILIZATION = { cpu: 70, memory: 80 } as const;

export class CollectorChart extends StackChart {
  constructor(scope: Construct, id: string, props: StackChartProps) {
    super(scope, id);
    const { spec, ctx } = props;
    const ports = ctx.ports.collector;
    const component = 'collector' as const;
    const data = { [posix.basename(CONTAINER_FILES.collectorConfig)]: props.configs.collector };
    const configMap = componentConfigMap(this, 'config', { spec, ctx, component, name: ctx.hosts.collector, data });
    const routed = routesTraces(spec, ctx) ? [{ name: 'otlp-routed', number: ports.otlpRouted }] : [];

    const ha = isHa(spec);
    const deployment = deploymentComponent(this, {
      spec,
      ctx,
      component,
      replicas: ha ? spec.ha.collectorGateway.minReplicas : COLLECTOR_REPLICAS,
      autoscaled: ha,
      args: collectorArgs({ configFile: CONTAINER_FILES.collectorConfig }),
      ports: [
        { name: 'otlp-grpc', number: ports.otlpGrpc },
        { name: 'otlp-http', number: ports.otlpHttp },
        ...routed,
        { name: 'health', number: ports.health },
        { name: 'metrics', number: ports.metrics },
      ],
      // The health_check extension answers 200 once the pipelines run; liveness only needs the port open, so a
      // collector that is merely back-pressured is taken out of the Service instead of restarted.
      readiness: readinessProbe({ path: '/' }, ports.health),
      liveness: livenessProbe({ tcp: true }, ports.health),
      configMaps: [{ configMap, data, mountPath: posix.dirname(CONTAINER_FILES.collectorConfig) }],
      // The OTLP token (intake.otlpToken): key `key` of the Secret you create, where the config reads it.
      secrets: collectorSecrets(spec).map((ref): SecretMount => ({
        secretName: ref.name,
        keys: [ref.key],
        mountPath: `${ctx.paths.collectorSecrets}/${ref.name}`,
      })),
    });
    // The autoscaler owns the replica count: the Deployment then names none (cdk8s-plus leaves it out), so an apply
    // does not reset what the autoscaler chose.
    if (ha) {
      new kplus.HorizontalPodAutoscaler(this, 'autoscaler', {
        metadata: { name: componentName(ctx, component), namespace: spec.namespace, labels: componentLabels(ctx, component) },
        target: deployment,
        minReplicas: spec.ha.collectorGateway.minReplicas,
        maxReplicas: spec.ha.collectorGateway.maxReplicas,
        metrics: [
          kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(GATEWAY_UTILIZATION.cpu)),
          kplus.Metric.resourceMemory(kplus.MetricTarget.averageUtilization(GATEWAY_UTILIZATION.memory)),
        ],
      });
    }
    componentService(this, 'service', {
      spec,
      ctx,
      component,
      ports: [
        { name: 'otlp-grpc', port: ports.otlpGrpc },
        { name: 'otlp-http', port: ports.otlpHttp },
        { name: 'metrics', port: ports.metrics },
      ],
    });
    // Tail sampling: each replica finds its peers by this Service's DNS name and routes spans by trace id to them.
    if (routed.length > 0) {
      // Ready pods only: a span routed to a replica still starting would wait out gRPC's reconnect backoff.
      const ports = routed.map((p) => ({ name: p.name, port: p.number }));
      componentService(this, 'peers', { spec, ctx, component, headless: true, publishNotReady: false, ports });
    }
    disruptionBudget(this, { spec, ctx, component });
    componentNetworkPolicy(this, props, component);
  }
}
