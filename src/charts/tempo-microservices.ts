import { posix } from 'node:path';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CONTAINER_FILES } from '../config/files';
import {
  TEMPO_LIVE_STORE_ZONES,
  TEMPO_MEMBERLIST_SERVICE,
  TEMPO_QUERY_FRONTEND_DISCOVERY_SERVICE,
  TEMPO_ZONE_LABEL,
  tempoMicroservicesArgs,
} from '../config/tempo';
import type { TempoMicroservicesComponent } from '../spec';
import { bucketCredentialsEnv } from '../config/ha';
import { StackChart, componentNetworkPolicy, type StackChartProps } from './chart';
import { memberlistService, ringMemberPorts } from './memberlist';
import { componentLabels, selectorLabels } from './meta';
import {
  componentConfigMap,
  componentService,
  deploymentComponent,
  disruptionBudget,
  livenessProbe,
  readinessProbe,
  statefulComponent,
  statefulServices,
  type ComponentPodOptions,
} from './workload';

/** Live-stores and block-builders finish their work (flush, commit offsets) on shutdown; Tempo's jsonnet gives them 60 s or more. */
const STATEFUL_GRACE_SECONDS = 300;
/** The stateless targets' scratch space under the data path (the querier's and generator's working files). */
const SCRATCH_MIB = 1024;

/**
 * Tempo in microservices mode (the `ha` profile with object storage): live-stores and block-builders as StatefulSets
 * with a PersistentVolumeClaim each (recent spans' WAL; the block being cut), the other targets as Deployments, the
 * backend-scheduler once. One config for all; their rings (live-stores, partitions, metrics-generators, backend-workers)
 * are kept by memberlist over the headless `tempo-memberlist` Service, which selects the pods of all of them. Each has a
 * PodDisruptionBudget, spreads its replicas over nodes, and reads the bucket's credentials from the Secret keys the
 * spec names. Spans travel through Kafka (src/charts/kafka.ts, or the user's).
 */
export class TempoMicroservicesChart extends StackChart {
  constructor(scope: Construct, id: string, props: StackChartProps) {
    super(scope, id);
    const { spec, ctx } = props;
    const store = spec.ha.objectStorage;
    if (!store) throw new Error('Tempo runs its microservices only with ha.objectStorage');
    const tempo = spec.ha.tempo;
    const data = { [posix.basename(CONTAINER_FILES.tempoConfig)]: props.configs.tempo };
    const configMap = componentConfigMap(this, 'config', { spec, ctx, component: 'tempo-distributor', name: 'tempo', data });
    memberlistService(this, props, { name: TEMPO_MEMBERLIST_SERVICE, component: 'tempo-distributor', port: ctx.ports['tempo-distributor'].memberlist });

    const pod = (component: TempoMicroservicesComponent): ComponentPodOptions => {
      const ports = ctx.ports[component];
      const otlp = component === 'tempo-distributor' ? ctx.ports['tempo-distributor'] : undefined;
      return {
        spec,
        ctx,
        component,
        args: tempoMicroservicesArgs(component, { configFile: CONTAINER_FILES.tempoConfig }),
        secretEnv: bucketCredentialsEnv(store),
        ports: [
          ...ringMemberPorts(ports),
          ...(otlp ? [{ name: 'otlp-grpc', number: otlp.otlpGrpc }, { name: 'otlp-http', number: otlp.otlpHttp }] : []),
        ],
        readiness: readinessProbe({ path: '/ready' }, ports.http),
        // /ready also reports a live-store catching up on its partition; a restart would not help, so liveness is the port.
        liveness: livenessProbe({ tcp: true }, ports.http),
        configMaps: [{ configMap, data, mountPath: posix.dirname(CONTAINER_FILES.tempoConfig) }],
      };
    };
    const servicePorts = (component: TempoMicroservicesComponent) => [
      { name: 'http', port: ctx.ports[component].http },
      { name: 'grpc', port: ctx.ports[component].grpc },
      ...(component === 'tempo-distributor'
        ? [
            { name: 'otlp-grpc', port: ctx.ports['tempo-distributor'].otlpGrpc },
            { name: 'otlp-http', port: ctx.ports['tempo-distributor'].otlpHttp },
          ]
        : []),
    ];

    const stateful = (part: Construct, component: 'tempo-live-store' | 'tempo-block-builder', governingService: kplus.Service, replicas: number, options: Partial<ComponentPodOptions> = {}) =>
      statefulComponent(part, {
        ...pod(component),
        ...options,
        governingService,
        replicas,
        dataPath: ctx.paths.tempoData,
        storageSize: spec.storage.sizes.tempo,
        terminationGracePeriodSeconds: STATEFUL_GRACE_SECONDS,
      });

    // Live-stores in two zones, each a StatefulSet holding every partition (live-store-zone-X-N owns partition N), so
    // recent spans stay queryable while a live-store restarts. One headless Service governs both.
    const liveStores = new Construct(this, 'tempo-live-store');
    const liveStoreService = statefulServices(liveStores, { spec, ctx, component: 'tempo-live-store', ports: servicePorts('tempo-live-store') });
    let liveStoreAccount: kplus.IServiceAccount | undefined;
    for (const zone of TEMPO_LIVE_STORE_ZONES) {
      const set = stateful(new Construct(liveStores, zone), 'tempo-live-store', liveStoreService, tempo.liveStoreReplicas, {
        args: tempoMicroservicesArgs('tempo-live-store', { configFile: CONTAINER_FILES.tempoConfig, zone }),
        instance: { suffix: `-${zone}`, labels: { [TEMPO_ZONE_LABEL]: zone }, ...(liveStoreAccount ? { serviceAccount: liveStoreAccount } : {}) },
      });
      liveStoreAccount ??= set.serviceAccount;
    }
    disruptionBudget(liveStores, { spec, ctx, component: 'tempo-live-store' });
    componentNetworkPolicy(liveStores, props, 'tempo-live-store');

    const builders = new Construct(this, 'tempo-block-builder');
    stateful(builders, 'tempo-block-builder', statefulServices(builders, { spec, ctx, component: 'tempo-block-builder', ports: servicePorts('tempo-block-builder') }), tempo.blockBuilderReplicas);
    disruptionBudget(builders, { spec, ctx, component: 'tempo-block-builder' });
    componentNetworkPolicy(builders, props, 'tempo-block-builder');

    for (const [component, replicas] of [
      ['tempo-distributor', tempo.distributorReplicas],
      ['tempo-querier', tempo.querierReplicas],
      ['tempo-query-frontend', tempo.queryFrontendReplicas],
      // The scheduler hands out compaction and retention jobs and keeps their state in the bucket: one at a time.
      ['tempo-backend-scheduler', 1],
      ['tempo-backend-worker', tempo.backendWorkerReplicas],
      ['tempo-metrics-generator', tempo.metricsGeneratorReplicas],
    ] as const) {
      const part = new Construct(this, component);
      componentService(part, 'service', { spec, ctx, component, ports: servicePorts(component) });
      deploymentComponent(part, {
        ...pod(component),
        replicas,
        scratch: [{ name: 'data', mountPath: ctx.paths.tempoData, sizeMib: SCRATCH_MIB }],
      });
      disruptionBudget(part, { spec, ctx, component });
      componentNetworkPolicy(part, props, component);
    }
    this.queryFrontendDiscovery(props);
  }


  /** Every query-frontend pod's address: a querier keeps a connection to each one and pulls work from it. */
  private queryFrontendDiscovery(props: StackChartProps): void {
    const { spec, ctx } = props;
    const port = ctx.ports['tempo-query-frontend'].grpc;
    new kplus.k8s.KubeService(this, 'query-frontend-discovery', {
      metadata: {
        name: TEMPO_QUERY_FRONTEND_DISCOVERY_SERVICE,
        namespace: spec.namespace,
        labels: { ...componentLabels(ctx, 'tempo-query-frontend'), 'app.kubernetes.io/name': TEMPO_QUERY_FRONTEND_DISCOVERY_SERVICE },
      },
      spec: {
        clusterIp: 'None',
        publishNotReadyAddresses: true,
        ipFamilyPolicy: 'PreferDualStack',
        selector: selectorLabels(ctx, 'tempo-query-frontend'),
        ports: [{ name: 'grpc', port, targetPort: kplus.k8s.IntOrString.fromNumber(port), protocol: 'TCP' }],
      },
    });
  }
}
