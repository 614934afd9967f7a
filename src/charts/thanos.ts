import type { Construct } from 'constructs';
import { bucketCredentialsEnv, PROMETHEUS_REPLICA_ENV } from '../config/ha';
import {
  HASHRING_FILE,
  kubernetesSelf,
  OBJSTORE_FILE,
  QUERY_ENDPOINTS_FILE,
  queryArgs,
  receiveArgs,
  renderHashrings,
  renderObjstoreConfig,
  renderQueryEndpoints,
  thanosKubernetesContext,
} from '../config/thanos';
import { toYaml } from '../output/yaml';
import { StackChart, componentNetworkPolicy, type StackChartProps } from './chart';
import {
  componentConfigMap,
  componentService,
  deploymentComponent,
  disruptionBudget,
  livenessProbe,
  readinessProbe,
  statefulComponent,
  statefulServices,
} from './workload';

/** Where Thanos's generated files are mounted (a read-only ConfigMap folder, so Receive sees hashring changes). */
const CONFIG_DIR = '/etc/thanos';
const RECEIVE_DATA = '/var/thanos/receive';
/** Query replicas: two, so a rollout or a drain never stops Grafana's reads. */
const QUERY_REPLICAS = 2;
/** Receive flushes its head block on shutdown; give it time before SIGKILL. */
const RECEIVE_GRACE_SECONDS = 300;

/**
 * The `ha` profile's metrics store: Thanos Receive as a StatefulSet (one PersistentVolumeClaim per member, a hashring
 * ConfigMap naming every member, RF copies of each series), and Thanos Query as a Deployment reading every member
 * and deduplicating the Prometheus replicas and the Receive copies. Object storage credentials come from the Secret
 * keys the spec names, as environment variables; the objstore config holds none.
 */
export class ThanosReceiveChart extends StackChart {
  constructor(scope: Construct, id: string, props: StackChartProps) {
    super(scope, id);
    const { spec, ctx } = props;
    const thanos = thanosKubernetesContext(spec, ctx);
    const receive = 'thanos-receive' as const;
    const receivePorts = ctx.ports[receive];
    const objstore = renderObjstoreConfig(spec);
    const receiveData = {
      [HASHRING_FILE]: renderHashrings(thanos),
      ...(objstore ? { [OBJSTORE_FILE]: toYaml(objstore) } : {}),
    };
    const receiveConfig = componentConfigMap(this, 'config', { spec, ctx, component: receive, name: ctx.hosts[receive], data: receiveData });
    const store = spec.ha.objectStorage;
    const governingService = statefulServices(this, {
      spec,
      ctx,
      component: receive,
      ports: [
        { name: 'grpc', port: receivePorts.grpc },
        { name: 'http', port: receivePorts.http },
        { name: 'remote-write', port: receivePorts.remoteWrite },
      ],
    });
    statefulComponent(this, {
      spec,
      ctx,
      component: receive,
      governingService,
      replicas: spec.ha.thanosReceive.replicas,
      args: receiveArgs(spec, kubernetesSelf(ctx, PROMETHEUS_REPLICA_ENV), {
        hashrings: `${CONFIG_DIR}/${HASHRING_FILE}`,
        dataDir: RECEIVE_DATA,
        ...(objstore ? { objstore: `${CONFIG_DIR}/${OBJSTORE_FILE}` } : {}),
      }),
      fieldEnv: { [PROMETHEUS_REPLICA_ENV]: 'podName' },
      ...(store ? { secretEnv: bucketCredentialsEnv(store) } : {}),
      ports: [
        { name: 'grpc', number: receivePorts.grpc },
        { name: 'http', number: receivePorts.http },
        { name: 'remote-write', number: receivePorts.remoteWrite },
      ],
      readiness: readinessProbe({ path: '/-/ready' }, receivePorts.http),
      liveness: livenessProbe({ path: '/-/healthy' }, receivePorts.http),
      configMaps: [{ configMap: receiveConfig, data: receiveData, mountPath: CONFIG_DIR }],
      dataPath: RECEIVE_DATA,
      storageSize: spec.ha.thanosReceive.storageSize,
      terminationGracePeriodSeconds: RECEIVE_GRACE_SECONDS,
    });
    disruptionBudget(this, { spec, ctx, component: receive });
    componentNetworkPolicy(this, props, receive);
  }
}

/** Thanos Query: Grafana's Prometheus datasource in the `ha` profile (see ThanosReceiveChart). */
export class ThanosQueryChart extends StackChart {
  constructor(scope: Construct, id: string, props: StackChartProps) {
    super(scope, id);
    const { spec, ctx } = props;
    const thanos = thanosKubernetesContext(spec, ctx);
    const query = 'thanos-query' as const;
    const queryPorts = ctx.ports[query];
    const queryData = { [QUERY_ENDPOINTS_FILE]: toYaml(renderQueryEndpoints(thanos)) };
    const queryConfig = componentConfigMap(this, 'config', { spec, ctx, component: query, name: ctx.hosts[query], data: queryData });
    componentService(this, 'service', { spec, ctx, component: query, ports: [{ name: 'http', port: queryPorts.http }] });
    deploymentComponent(this, {
      spec,
      ctx,
      component: query,
      replicas: QUERY_REPLICAS,
      args: queryArgs(thanos, { endpoints: `${CONFIG_DIR}/${QUERY_ENDPOINTS_FILE}` }),
      ports: [
        { name: 'http', number: queryPorts.http },
        { name: 'grpc', number: queryPorts.grpc },
      ],
      readiness: readinessProbe({ path: '/-/ready' }, queryPorts.http),
      liveness: livenessProbe({ path: '/-/healthy' }, queryPorts.http),
      configMaps: [{ configMap: queryConfig, data: queryData, mountPath: CONFIG_DIR }],
    });
    disruptionBudget(this, { spec, ctx, component: query });
    componentNetworkPolicy(this, props, query);
  }
}
