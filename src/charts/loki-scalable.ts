import { posix } from 'node:path';
import { Construct } from 'constructs';
import { CONTAINER_FILES } from '../config/files';
import { LOKI_MEMBERLIST_SERVICE, lokiScalableArgs } from '../config/loki';
import type { LokiScalableComponent } from '../spec';
import { bucketCredentialsEnv } from '../config/ha';
import { StackChart, componentNetworkPolicy, type StackChartProps } from './chart';
import { memberlistService, ringMemberPorts } from './memberlist';
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

/** Ingesters flush their streams to the bucket on shutdown (Loki's Helm chart gives its write pods 300 s too). */
const WRITE_GRACE_SECONDS = 300;
/** The read target's index and chunk caches: an emptyDir, refilled from the bucket after a restart. */
const READ_CACHE_MIB = 512;

/**
 * Loki in its simple scalable mode (the `ha` profile with object storage): `-target=write` and `-target=backend` as
 * StatefulSets with a PersistentVolumeClaim each (the ingesters' write-ahead log; the compactor's and index
 * gateway's working files), `-target=read` as a Deployment. One config for all three; their rings (ingesters, query
 * schedulers, index gateways, compactor) are kept by memberlist over the headless `loki-memberlist` Service, which
 * selects the pods of all three. Each has a PodDisruptionBudget, spreads its replicas over nodes, and reads the
 * bucket's credentials from the Secret keys the spec names.
 */
export class LokiScalableChart extends StackChart {
  constructor(scope: Construct, id: string, props: StackChartProps) {
    super(scope, id);
    const { spec, ctx } = props;
    const store = spec.ha.objectStorage;
    if (!store) throw new Error('Loki runs its scalable targets only with ha.objectStorage');
    const data = { [posix.basename(CONTAINER_FILES.lokiConfig)]: props.configs.loki };
    const configMap = componentConfigMap(this, 'config', { spec, ctx, component: 'loki-backend', name: 'loki', data });
    const memberlistPort = ctx.ports['loki-backend'].memberlist;
    memberlistService(this, props, { name: LOKI_MEMBERLIST_SERVICE, component: 'loki-backend', port: memberlistPort });

    const pod = (component: LokiScalableComponent): ComponentPodOptions => {
      const ports = ctx.ports[component];
      return {
        spec,
        ctx,
        component,
        args: lokiScalableArgs(component, { configFile: CONTAINER_FILES.lokiConfig }),
        secretEnv: bucketCredentialsEnv(store),
        ports: [
          ...ringMemberPorts(ports),
        ],
        readiness: readinessProbe({ path: '/ready' }, ports.http),
        // /ready also reports the ring warming up; a restart would not help with that, so liveness is the port.
        liveness: livenessProbe({ tcp: true }, ports.http),
        configMaps: [{ configMap, data, mountPath: posix.dirname(CONTAINER_FILES.lokiConfig) }],
      };
    };
    const servicePorts = (component: LokiScalableComponent) => [
      { name: 'http', port: ctx.ports[component].http },
      { name: 'grpc', port: ctx.ports[component].grpc },
    ];

    for (const [component, replicas] of [
      ['loki-write', spec.ha.loki.writeReplicas],
      ['loki-backend', spec.ha.loki.backendReplicas],
    ] as const) {
      const part = new Construct(this, component);
      const governingService = statefulServices(part, { spec, ctx, component, ports: servicePorts(component) });
      statefulComponent(part, {
        ...pod(component),
        governingService,
        replicas,
        dataPath: ctx.paths.lokiData,
        storageSize: spec.storage.sizes.loki,
        ...(component === 'loki-write' ? { terminationGracePeriodSeconds: WRITE_GRACE_SECONDS } : {}),
      });
      disruptionBudget(part, { spec, ctx, component });
      componentNetworkPolicy(part, props, component);
    }

    const read = new Construct(this, 'loki-read');
    componentService(read, 'service', { spec, ctx, component: 'loki-read', ports: servicePorts('loki-read') });
    deploymentComponent(read, {
      ...pod('loki-read'),
      replicas: spec.ha.loki.readReplicas,
      scratch: [{ name: 'data', mountPath: ctx.paths.lokiData, sizeMib: READ_CACHE_MIB }],
    });
    disruptionBudget(read, { spec, ctx, component: 'loki-read' });
    componentNetworkPolicy(read, props, 'loki-read');
  }

}
