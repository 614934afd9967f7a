import { posix } from 'node:path';
import type { Construct } from 'constructs';
import { CONTAINER_FILES } from '../config/files';
import { lokiArgs } from '../config/loki';
import { StackChart, componentNetworkPolicy, type StackChartProps } from './chart';
import { componentConfigMap, livenessProbe, readinessProbe, statefulComponent, statefulServices } from './workload';

/** Loki as a single binary on a PersistentVolumeClaim (filesystem chunks and TSDB index). */
export class LokiChart extends StackChart {
  constructor(scope: Construct, id: string, props: StackChartProps) {
    super(scope, id);
    const { spec, ctx } = props;
    const ports = ctx.ports.loki;
    const component = 'loki' as const;
    const data = { [posix.basename(CONTAINER_FILES.lokiConfig)]: props.configs.loki };
    const configMap = componentConfigMap(this, 'config', { spec, ctx, component, name: ctx.hosts.loki, data });
    const governingService = statefulServices(this, { spec, ctx, component, ports: [{ name: 'http', port: ports.http }] });

    statefulComponent(this, {
      spec,
      ctx,
      component,
      governingService,
      args: lokiArgs({ configFile: CONTAINER_FILES.lokiConfig }),
      ports: [
        { name: 'http', number: ports.http },
        { name: 'grpc', number: ports.grpc },
      ],
      readiness: readinessProbe({ path: '/ready' }, ports.http),
      // /ready also reports the ring warming up; a restart would not help with that, so liveness is the port.
      liveness: livenessProbe({ tcp: true }, ports.http),
      configMaps: [{ configMap, data, mountPath: posix.dirname(CONTAINER_FILES.lokiConfig) }],
      dataPath: ctx.paths.lokiData,
      storageSize: spec.storage.sizes.loki,
    });
    componentNetworkPolicy(this, props, component);
  }
}
