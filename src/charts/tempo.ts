import type { Construct } from 'constructs';
import { StackChart, componentNetworkPolicy, type StackChartProps } from './chart';
import { componentConfigMap, componentService, livenessProbe, readinessProbe, statefulComponent } from './workload';

/** Where Tempo reads its config (the same path compose mounts it at). */
export const TEMPO_CONFIG_DIR = '/etc/tempo';
export const TEMPO_CONFIG_FILE = 'tempo.yaml';

/** Tempo in monolithic mode on a PersistentVolumeClaim (WAL, blocks, metrics-generator WAL). */
export class TempoChart extends StackChart {
  constructor(scope: Construct, id: string, props: StackChartProps) {
    super(scope, id);
    const { spec, ctx } = props;
    const ports = ctx.ports.tempo;
    const component = 'tempo' as const;
    const data = { [TEMPO_CONFIG_FILE]: props.configs.tempo };
    const configMap = componentConfigMap(this, 'config', { spec, ctx, component, name: ctx.hosts.tempo, data });
    const servicePorts = [
      { name: 'http', port: ports.http },
      { name: 'otlp-grpc', port: ports.otlpGrpc },
      { name: 'otlp-http', port: ports.otlpHttp },
    ];
    const governingService = componentService(this, 'headless', { spec, ctx, component, ports: servicePorts, headless: true });
    componentService(this, 'service', { spec, ctx, component, ports: servicePorts });

    statefulComponent(this, {
      spec,
      ctx,
      component,
      governingService,
      args: [`-config.file=${TEMPO_CONFIG_DIR}/${TEMPO_CONFIG_FILE}`],
      ports: [
        { name: 'http', number: ports.http },
        { name: 'grpc', number: ports.grpc },
        { name: 'otlp-grpc', number: ports.otlpGrpc },
        { name: 'otlp-http', number: ports.otlpHttp },
      ],
      readiness: readinessProbe({ path: '/ready' }, ports.http),
      liveness: livenessProbe({ tcp: true }, ports.http),
      configMaps: [{ configMap, data, mountPath: TEMPO_CONFIG_DIR }],
      dataPath: ctx.paths.tempoData,
      storageSize: spec.storage.sizes.tempo,
    });
    componentNetworkPolicy(this, props, component);
  }
}
