import { posix } from 'node:path';
import type { Construct } from 'constructs';
import { blackboxArgs } from '../config/blackbox';
import { CONTAINER_FILES } from '../config/files';
import { StackChart, componentNetworkPolicy, type StackChartProps } from './chart';
import { componentConfigMap, componentService, deploymentComponent, livenessProbe, readinessProbe } from './workload';

/**
 * The blackbox exporter that probes the services' health endpoints for Prometheus: one stateless replica (a
 * restart loses nothing; Prometheus's probes fail meanwhile, and TargetDown names the exporter, not a service).
 */
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
      replicas: 1,
      args: blackboxArgs(ctx, { configFile: CONTAINER_FILES.blackboxConfig }),
      ports: [{ name: 'http', number: port }],
      readiness: readinessProbe({ path: '/-/healthy' }, port),
      liveness: livenessProbe({ path: '/-/healthy' }, port),
      configMaps: [{ configMap, data, mountPath: CONTAINER_FILES.blackboxConfig, subPath: configFile }],
    });
    componentService(this, 'service', { spec, ctx, component, ports: [{ name: 'http', port }] });
    componentNetworkPolicy(this, props, component);
  }
}
