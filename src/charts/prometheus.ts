import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { posix } from 'node:path';
import { CONTAINER_FILES } from '../config/files';
import { prometheusArgs } from '../config/prometheus';
import { StackChart, componentNetworkPolicy, type StackChartProps } from './chart';
import { clusterScopedResources, discoveryScope, namespacedDiscovery, namespacedResources, scrapesKubeletsWithToken } from './discovery';
import { componentLabels } from './meta';
import { RULE_FILE_MAX_BYTES } from '../alerts/split';
import { packRuleFiles, ruleConfigMapName } from './rule-config-maps';
import { splitScrapeConfigs } from './scrape-config-files';
import { isHa, PROMETHEUS_REPLICA_ENV } from '../config/ha';
import {
  componentConfigMap,
  disruptionBudget,
  statefulServices,
  livenessProbe,
  readinessProbe,
  statefulComponent,
} from './workload';

/**
 * The RBAC Prometheus's Kubernetes service discovery needs, derived from the rendered config: get, list and watch on
 * exactly the resources of the SD roles it uses, in a namespaced Role when discovery is limited to the stack's
 * namespace, a ClusterRole otherwise. Returns the ServiceAccount bound to it, or undefined when the config uses no
 * Kubernetes discovery.
 */
export function discoveryAccess(scope: Construct, props: StackChartProps): kplus.ServiceAccount | undefined {
  const { spec, ctx } = props;
  const name = ctx.hosts.prometheus;
  const labels = componentLabels(ctx, 'prometheus');
  const scope_ = discoveryScope(props.configs.prometheusConfig);
  const namespaced = namespacedResources(scope_);
  const clusterScoped = clusterScopedResources(scope_);
  const kubelets = scrapesKubeletsWithToken(props.configs.prometheusConfig);
  if (namespaced.length === 0 && clusterScoped.length === 0 && !kubelets) return undefined;
  const serviceAccount = new kplus.ServiceAccount(scope, 'service-account', {
    metadata: { name, namespace: spec.namespace, labels },
    // The token is mounted by the pod that needs it (automountServiceAccountToken on the pod), not by default.
    automountToken: false,
  });
  const apiResources = (resources: readonly { apiGroup: string; resource: string }[]) =>
    resources.map((r) => kplus.ApiResource.custom({ apiGroup: r.apiGroup, resourceType: r.resource }));
  const verbs = ['get', 'list', 'watch'];
  // Cluster-wide names carry the namespace so two stacks in one cluster do not collide.
  const clusterName = `${spec.namespace}-${name}`;
  if (namespaced.length > 0 && namespacedDiscovery(scope_, spec.namespace)) {
    const role = new kplus.Role(scope, 'role', { metadata: { name, namespace: spec.namespace, labels } });
    role.allow(verbs, ...apiResources(namespaced));
    const binding = new kplus.RoleBinding(scope, 'role-binding', { metadata: { name, namespace: spec.namespace, labels }, role });
    binding.addSubjects(serviceAccount);
  } else if (namespaced.length > 0) {
    const role = new kplus.ClusterRole(scope, 'cluster-role', { metadata: { name: clusterName, labels } });
    role.allow(verbs, ...apiResources(namespaced));
    const binding = new kplus.ClusterRoleBinding(scope, 'cluster-role-binding', { metadata: { name: clusterName, labels }, role });
    binding.addSubjects(serviceAccount);
  }
  if (clusterScoped.length > 0 || kubelets) {
    // Nodes are cluster-scoped: a ClusterRole of their own, reading nodes (discovery) and, to scrape the kubelets,
    // `get nodes/metrics` — the kubelet's metrics endpoints only, not `nodes/proxy` (its whole API).
    const nodesName = `${clusterName}-nodes`;
    const role = new kplus.ClusterRole(scope, 'nodes-cluster-role', { metadata: { name: nodesName, labels } });
    if (clusterScoped.length > 0) role.allow(verbs, ...apiResources(clusterScoped));
    if (kubelets) role.allow(['get'], ...apiResources([{ apiGroup: '', resource: 'nodes/metrics' }]));
    const binding = new kplus.ClusterRoleBinding(scope, 'nodes-cluster-role-binding', { metadata: { name: nodesName, labels }, role });
    binding.addSubjects(serviceAccount);
  }
  return serviceAccount;
}

/** Prometheus writes its head block out on shutdown; give it time before SIGKILL. */
const PROMETHEUS_GRACE_SECONDS = 300;

export interface PrometheusChartProps extends StackChartProps {
  /** dist/rules/*.yaml, by file name. */
  readonly ruleFiles: Readonly<Record<string, string>>;
}

/**
 * Prometheus on a PersistentVolumeClaim, with its rule files mounted where prometheus.yml's `rule_files`
 * points, and the RBAC its Kubernetes service discovery needs, derived from the rendered config: get, list
 * and watch on exactly the resources of the SD roles it uses, in a namespaced Role when discovery is limited
 * to the stack's namespace (as the renderer does today), a ClusterRole otherwise.
 */
export class PrometheusChart extends StackChart {
  constructor(scope: Construct, id: string, props: PrometheusChartProps) {
    super(scope, id);
    const { spec, ctx } = props;
    const component = 'prometheus' as const;
    const name = ctx.hosts.prometheus;
    const port = ctx.ports.prometheus.http;

    const configFile = posix.basename(CONTAINER_FILES.prometheusConfig);
    const split = splitScrapeConfigs(props.configs.prometheusConfig, ctx.paths.prometheusScrape);
    const configData = { [configFile]: split.main };
    const config = componentConfigMap(this, 'config', { spec, ctx, component, name, data: configData });
    // A fleet's scrape jobs, when prometheus.yml would not fit one ConfigMap: packed like the rule files.
    const scrape = packRuleFiles(split.files, RULE_FILE_MAX_BYTES, 'scrape config file')
      .filter((data) => Object.keys(data).length > 0)
      .map((data, i) => ({
        configMap: componentConfigMap(this, i === 0 ? 'scrape' : `scrape-${i + 1}`, { spec, ctx, component, name: ruleConfigMapName(name, i, 'scrape'), data }),
        data,
      }));
    // As many ConfigMaps as the rule files need, each well under the API server's limits, mounted as one folder.
    const rules = packRuleFiles(props.ruleFiles).map((data, i) => ({
      configMap: componentConfigMap(this, i === 0 ? 'rules' : `rules-${i + 1}`, { spec, ctx, component, name: ruleConfigMapName(name, i), data }),
      data,
    }));

    const serviceAccount = discoveryAccess(this, props);
    const governingService = statefulServices(this, { spec, ctx, component, ports: [{ name: 'http', port }] });

    statefulComponent(this, {
      spec,
      ctx,
      component,
      governingService,
      ...(serviceAccount ? { serviceAccount } : {}),
      args: prometheusArgs(spec, ctx, { configFile: CONTAINER_FILES.prometheusConfig, dataDir: CONTAINER_FILES.prometheusData }),
      ports: [{ name: 'http', number: port }],
      readiness: readinessProbe({ path: '/-/ready' }, port),
      liveness: livenessProbe({ path: '/-/healthy' }, port),
      configMaps: [
        { configMap: config, data: configData, mountPath: CONTAINER_FILES.prometheusConfig, subPath: configFile },
      ],
      projectedConfigMaps: [
        { volume: 'rules', configMaps: rules, mountPath: ctx.paths.prometheusRules },
        ...(scrape.length > 0 ? [{ volume: 'scrape', configMaps: scrape, mountPath: ctx.paths.prometheusScrape }] : []),
      ],
      dataPath: CONTAINER_FILES.prometheusData,
      storageSize: spec.storage.sizes.prometheus,
      terminationGracePeriodSeconds: PROMETHEUS_GRACE_SECONDS,
      // `ha`: a pair that both scrape everything; each names itself (the `replica` external label) by its pod name.
      ...(isHa(spec) ? { replicas: spec.ha.prometheusReplicas, fieldEnv: { [PROMETHEUS_REPLICA_ENV]: 'podName' as const } } : {}),
    });
    if (isHa(spec)) disruptionBudget(this, { spec, ctx, component });
    componentNetworkPolicy(this, props, component);
  }
}
