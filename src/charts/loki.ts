import type { Construct } from 'constructs';
import { StackChart, componentNetworkPolicy, type StackChartProps } from './chart';
import { componentConfigMap, componentService, livenessProbe, readinessProbe, statefulComponent } from './workload';

/** Where Loki reads its config (the same path compose mounts it at). */
export const LOKI_CONFIG_DIR = '/etc/loki';
export const LOKI_CONFIG_FILE = 'loki.yaml';

/** Loki as a single binary on a PersistentVolumeClaim (filesystem chunks and TSDB index). */
export class LokiChart extends StackChart {
  constructor(scope: Construct, id: string, props: StackChartProps) {
    super(scope, id);
    const { spec, ctx } = props;
    const ports = ctx.ports.loki;
    const component = 'loki' as const;
    const data = { [LOKI_CONFIG_FILE]: props.configs.loki };
    const configMap = componentConfigMap(this, 'config', { spec, ctx, component, name: ctx.hosts.loki, data });
    const httpPorts = [{ name: 'http', port: ports.http }];
    const governingService = componentService(this, 'headless', { spec, ctx, component, ports: httpPorts, headless: true });
    componentService(this, 'service', { spec, ctx, component, ports: httpPorts });

    statefulComponent(this, {
      spec,
      ctx,
      component,
      governingService,
      args: [`-config.file=${LOKI_CONFIG_DIR}/${LOKI_CONFIG_FILE}`],
      ports: [
        { name: 'http', number: ports.http },
        { name: 'grpc', number: ports.grpc },
      ],
      readiness: readinessProbe({ path: '/ready' }, ports.http),
      // /ready also reports the ring warming up; a restart would not help with that, so liveness is the port.
      liveness: livenessProbe({ tcp: true }, ports.http),
      configMaps: [{ configMap, data, mountPath: LOKI_CONFIG_DIR }],
      dataPath: ctx.paths.lokiData,
      storageSize: spec.storage.sizes.loki,
    });
    componentNetworkPolicy(this, props, component);
  }
}
