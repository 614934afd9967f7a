import { posix } from 'node:path';
import type { Construct } from 'constructs';
import { CONTAINER_FILES } from '../config/files';
import { tempoArgs } from '../config/tempo';
import { StackChart, componentNetworkPolicy, type StackChartProps } from './chart';
import { componentConfigMap, livenessProbe, readinessProbe, statefulComponent, statefulServices } from './workload';

/** Tempo in monolithic mode on a PersistentVolumeClaim (WAL, blocks, metrics-generator WAL). */
export class TempoChart extends StackChart {
  constructor(scope: Construct, id: string, props: StackChartProps) {
    super(scope, id);
    const { spec, ctx } = props;
    const ports = ctx.ports.tempo;
    const component = 'tempo' as const;
    const data = { [posix.basename(CONTAINER_FILES.tempoConfig)]: props.configs.tempo };
    const configMap = componentConfigMap(this, 'config', { spec, ctx, component, name: ctx.hosts.tempo, data });
    const servicePorts = [
      { name: 'http', port: ports.http },
      { name: 'otlp-grpc', port: ports.otlpGrpc },
      { name: 'otlp-http', port: ports.otlpHttp },
    ];
    const governingService = statefulServices(this, { spec, ctx, component, ports: servicePorts });

    statefulComponent(this, {
      spec,
      ctx,
      component,
      governingService,
      args: tempoArgs({ configFile: CONTAINER_FILES.tempoConfig }),
      ports: [
        { name: 'http', number: ports.http },
        { name: 'grpc', number: ports.grpc },
        { name: 'otlp-grpc', number: ports.otlpGrpc },
        { name: 'otlp-http', number: ports.otlpHttp },
      ],
      readiness: readinessProbe({ path: '/ready' }, ports.http),
      liveness: livenessProbe({ tcp: true }, ports.http),
      configMaps: [{ configMap, data, mountPath: posix.dirname(CONTAINER_FILES.tempoConfig) }],
      dataPath: ctx.paths.tempoData,
      storageSize: spec.storage.sizes.tempo,
    });
    componentNetworkPolicy(this, props, component);
  }
}
