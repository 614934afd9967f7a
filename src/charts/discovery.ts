/**
 * What Prometheus's Kubernetes service discovery reads, taken from the rendered prometheus.yml itself, so its
 * RBAC and its egress follow the config instead of a second opinion kept here: the roles used (endpointslice,
 * pod, ...) decide the resources it may get/list/watch, and the namespaces they look in decide between a
 * namespaced Role and a ClusterRole.
 */

export interface DiscoveryScope {
  /** Kubernetes SD roles in use, sorted. Empty when the config uses no Kubernetes discovery. */
  readonly roles: readonly string[];
  /** Namespaces discovery looks in, sorted; `all` when some SD config is not limited to named namespaces. */
  readonly namespaces: readonly string[] | 'all';
}

export interface ApiResourceRef {
  readonly apiGroup: string;
  readonly resource: string;
}

/** The objects each SD role lists and watches (Prometheus docs, kubernetes_sd_config). */
const ROLE_RESOURCES: Readonly<Record<string, readonly ApiResourceRef[]>> = {
  endpointslice: [
    { apiGroup: 'discovery.k8s.io', resource: 'endpointslices' },
    { apiGroup: '', resource: 'services' },
    { apiGroup: '', resource: 'pods' },
  ],
  endpoints: [
    { apiGroup: '', resource: 'endpoints' },
    { apiGroup: '', resource: 'services' },
    { apiGroup: '', resource: 'pods' },
  ],
  service: [{ apiGroup: '', resource: 'services' }],
  pod: [{ apiGroup: '', resource: 'pods' }],
  ingress: [{ apiGroup: 'networking.k8s.io', resource: 'ingresses' }],
  node: [{ apiGroup: '', resource: 'nodes' }],
};

/** Roles whose objects are cluster-scoped: only a ClusterRole can grant them. */
const CLUSTER_SCOPED_ROLES = new Set(['node']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function sdConfigs(config: Obj): Obj[] {
  const scrape = list(config.scrape_configs).filter(isObj);
  const alerting = isObj(config.alerting) ? list(config.alerting.alertmanagers).filter(isObj) : [];
  return [...scrape, ...alerting].flatMap((c) => list(c.kubernetes_sd_configs).filter(isObj));
}

export function discoveryScope(config: Obj): DiscoveryScope {
  const configs = sdConfigs(config);
  const roles = new Set<string>();
  const namespaces = new Set<string>();
  let all = false;
  for (const sd of configs) {
    const role = sd.role;
    if (typeof role !== 'string' || !(role in ROLE_RESOURCES)) {
      throw new Error(`prometheus.yml: kubernetes_sd_configs role ${String(role)} is not one the chart knows the RBAC for`);
    }
    roles.add(role);
    if (CLUSTER_SCOPED_ROLES.has(role)) continue;
    const names = isObj(sd.namespaces) ? list(sd.namespaces.names).filter((n): n is string => typeof n === 'string') : [];
    const own = isObj(sd.namespaces) && sd.namespaces.own_namespace === true;
    if (names.length === 0 && !own) all = true;
    for (const n of names) namespaces.add(n);
    if (own) throw new Error('prometheus.yml: namespaces.own_namespace is not supported by the chart; name the namespace');
  }
  return { roles: [...roles].sort(), namespaces: all ? 'all' : [...namespaces].sort() };
}

/** The resources discovery needs get/list/watch on, deduplicated and sorted. */
export function discoveryResources(scope: DiscoveryScope): ApiResourceRef[] {
  const seen = new Map<string, ApiResourceRef>();
  for (const role of scope.roles) {
    for (const r of ROLE_RESOURCES[role] ?? []) seen.set(`${r.apiGroup}/${r.resource}`, r);
  }
  return [...seen.values()].sort((a, b) => `${a.apiGroup}/${a.resource}`.localeCompare(`${b.apiGroup}/${b.resource}`));
}

/** The resources of the roles whose objects live in namespaces (endpointslice, pod, …). */
export function namespacedResources(scope: DiscoveryScope): ApiResourceRef[] {
  return discoveryResources({ ...scope, roles: scope.roles.filter((r) => !CLUSTER_SCOPED_ROLES.has(r)) });
}

/** The resources of the cluster-scoped roles (node): only a ClusterRole can grant them. */
export function clusterScopedResources(scope: DiscoveryScope): ApiResourceRef[] {
  return discoveryResources({ ...scope, roles: scope.roles.filter((r) => CLUSTER_SCOPED_ROLES.has(r)) });
}

/**
 * Whether the namespaced part of discovery can live with a Role in the stack's namespace (else it needs a
 * ClusterRole). Cluster-scoped roles (nodes) get a ClusterRole of their own either way, so pods and services
 * elsewhere stay out of reach.
 */
export function namespacedDiscovery(scope: DiscoveryScope, namespace: string): boolean {
  return scope.namespaces !== 'all' && scope.namespaces.every((n) => n === namespace);
}

/**
 * Whether some scrape job reads the kubelets with Prometheus's token (role `node` over HTTPS): the kubelet then
 * asks the API server whether Prometheus may `get nodes/metrics`.
 */
export function scrapesKubeletsWithToken(config: Obj): boolean {
  return list(config.scrape_configs)
    .filter(isObj)
    .some((c) => c.scheme === 'https' && list(c.kubernetes_sd_configs).filter(isObj).some((sd) => sd.role === 'node'));
}
