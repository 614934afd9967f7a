import { posix } from 'node:path';
import type { Construct } from 'constructs';
import { blackboxArgs } from '../config/blackbox';
import { CONTAINER_FILES } from '../config/files';
import { StackChart, componentNetworkPolicy, type StackChartProps } from './chart';
import { componentConfigMap, componentService, deploymentComponent, disruptionBudget, livenessProbe, readinessProbe } from './workload';

/** Two stateless replicas, so a rollout or a node drain does not turn every health check into a failed probe. */
export const BLACKBOX_REPLICAS = 2;

/** The blackbox exporter that probes the services' health endpoints for Prometheus (it keeps no state). */
export class BlackboxChart extends StackChart {
  constructor(scope: Construct, id: string, props: StackChartProps) {
    super(scope, id);
    const { spec, ctx } = props;
    const component = 'blackbox' as const;
    const port = ctx.ports.blackbox.http;
    const configFile = posix.basename(CONTAINER_FILES.blackboxConfig);
    const data = { [configFile]: props.configs.blackbox };
    const configMap = componentConfigMap(this, 'config', { spec, ctx, component, name: ctx.hosts.blackbox, data });
    deploymentComponent(this, {
      spec,
      ctx,
      component,
      replicas: BLACKBOX_REPLICAS,
      args: blackboxArgs(ctx, { configFile: CONTAINER_FILES.blackboxConfig }),
      ports: [{ name: 'http', number: port }],
      readiness: readinessProbe({ path: '/-/healthy' }, port),
      liveness: livenessProbe({ tcp: true }, port),
      configMaps: [{ configMap, data, mountPath: CONTAINER_FILES.blackboxConfig, subPath: configFile }],
    });
    componentService(this, 'service', { spec, ctx, component, ports: [{ name: 'http', port }] });
    disruptionBudget(this, { spec, ctx, component });
    componentNetworkPolicy(this, props, component);
  }
}
