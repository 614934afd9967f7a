import { App } from 'cdk8s';
import { renderKubernetesConfigs } from '../../src/charts/configs';
import { discoveryResources, discoveryScope, namespacedDiscovery } from '../../src/charts/discovery';
import { componentRules, DEFAULT_INGRESS_NAMESPACE } from '../../src/charts/network';
import { PrometheusChart } from '../../src/charts/prometheus';
import { renderContext } from '../../src/config/context';
import { renderPrometheusConfig } from '../../src/config/prometheus';
import { resolveSpec } from '../../src/spec';
import { demoSpecInput as stack } from '../fixtures/demo-spec';
import { fullSpec } from '../fixtures/full-spec';
import { find, manifests, type Obj } from './manifests';

const ctx = renderContext('kubernetes');
const spec = resolveSpec(stack);

/** The Prometheus chart built from a prometheus.yml other than the renderer's, to show RBAC follows the config. */
function prometheusObjects(config: Obj): Obj[] {
  const configs = { ...renderKubernetesConfigs(spec, ctx), prometheusConfig: config };
  const rules = componentRules(spec, ctx, discoveryScope(config), { ingressNamespace: DEFAULT_INGRESS_NAMESPACE });
  const chart = new PrometheusChart(new App(), 'prometheus', { spec, ctx, configs, rules, ruleFiles: {} });
  return chart.toJson() as Obj[];
}

const rbacRules = (role: Obj) =>
  (role.rules as Obj[]).flatMap((r) => (r.resources as string[]).map((res) => `${r.apiGroups[0]}/${res}:${r.verbs.join(',')}`)).sort();

describe('Prometheus service discovery RBAC', () => {
  it('reads the discovery the renderer configures: endpointslices in the stack namespace', () => {
    const scope = discoveryScope(renderPrometheusConfig(fullSpec, ctx));
    // `node`: the kubernetes mixin's kubelet jobs (cluster-scoped, a ClusterRole of their own).
    expect(scope).toEqual({ roles: ['endpointslice', 'node'], namespaces: [fullSpec.namespace] });
    expect(namespacedDiscovery(scope, fullSpec.namespace)).toBe(true);
    expect(discoveryScope(renderPrometheusConfig(fullSpec, renderContext('compose')))).toEqual({ roles: [], namespaces: [] });
  });

  it('follows a service into its own namespace: discovery, cluster-scoped read access, scrape egress there', () => {
    const spread = resolveSpec({ ...stack, services: [...stack.services, { name: 'billing', port: 8080, namespace: 'payments' }] });
    const scope = discoveryScope(renderPrometheusConfig(spread, ctx));
    expect(scope.namespaces).toEqual(['observability', 'payments']);
    const all = manifests(spread);
    expect(all.filter((m) => m.object.kind === 'ClusterRole').map((m) => m.object.metadata.name)).toEqual([
      'observability-prometheus',
      'observability-prometheus-nodes',
      'observability-kube-state-metrics',
    ]);
    const egress = find(all, 'NetworkPolicy', 'prometheus').spec.egress as Obj[];
    const namespaces = egress.flatMap((rule) =>
      ((rule.to as Obj[] | undefined) ?? []).map((peer) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']),
    );
    expect(namespaces).toContain('payments');
  });

  it.each([
    ['demo spec', spec],
    ['full spec', fullSpec],
  ] as const)('grants get/list/watch on exactly what discovery reads, in a namespaced Role (%s)', (_, s) => {
    const all = manifests(s);
    // Cluster-wide only what is cluster-scoped: nodes (and their metrics) for Prometheus, and kube-state-metrics's reads.
    expect(all.filter((m) => m.object.kind === 'ClusterRole').map((m) => m.object.metadata.name)).toEqual([
      `${s.namespace}-prometheus-nodes`,
      `${s.namespace}-kube-state-metrics`,
    ]);
    expect(rbacRules(find(all, 'ClusterRole', `${s.namespace}-prometheus-nodes`))).toEqual(['/nodes/metrics:get', '/nodes:get,list,watch']);
    const role = find(all, 'Role', ctx.hosts.prometheus);
    expect(rbacRules(role)).toEqual(['/pods:get,list,watch', '/services:get,list,watch', 'discovery.k8s.io/endpointslices:get,list,watch']);
    const binding = find(all, 'RoleBinding', ctx.hosts.prometheus);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
    expect(binding.subjects).toEqual([{ apiGroup: '', kind: 'ServiceAccount', name: ctx.hosts.prometheus, namespace: s.namespace }]);
    const set = find(all, 'StatefulSet', ctx.hosts.prometheus);
    expect(set.spec.template.spec.serviceAccountName).toBe(ctx.hosts.prometheus);
    expect(set.spec.template.spec.automountServiceAccountToken).toBe(true);
    expect(find(all, 'ServiceAccount', ctx.hosts.prometheus).automountServiceAccountToken).toBe(false);
  });

  it('switches to a ClusterRole, and egress to the whole cluster, when discovery is not limited to the namespace', () => {
    const config = structuredClone(renderPrometheusConfig(spec, ctx)) as Obj;
    for (const job of config.scrape_configs as Obj[]) for (const sd of job.kubernetes_sd_configs ?? []) delete sd.namespaces;
    const objects = prometheusObjects(config);
    expect(objects.filter((o) => o.kind === 'Role' || o.kind === 'RoleBinding')).toEqual([]);
    const role = objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name === `${spec.namespace}-${ctx.hosts.prometheus}`)!;
    expect(rbacRules(role)).toEqual(['/pods:get,list,watch', '/services:get,list,watch', 'discovery.k8s.io/endpointslices:get,list,watch']);
    const binding = objects.find((o) => o.kind === 'ClusterRoleBinding' && o.metadata.name === role.metadata.name)!;
    expect(binding.subjects[0]).toMatchObject({ kind: 'ServiceAccount', name: ctx.hosts.prometheus, namespace: spec.namespace });
    const policy = objects.find((o) => o.kind === 'NetworkPolicy')!;
    const scrape = (policy.spec.egress as Obj[]).find((r) => r.ports.some((p: Obj) => p.port === spec.services[0]!.port) && r.to.some((t: Obj) => t.namespaceSelector))!;
    expect(scrape.to).toEqual([{ namespaceSelector: {}, podSelector: {} }]);
  });

  it('gives no RBAC and no token when the config uses no Kubernetes discovery', () => {
    const objects = prometheusObjects(renderPrometheusConfig(spec, renderContext('compose')));
    expect(objects.filter((o) => ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind))).toEqual([]);
    // Its own ServiceAccount still, never `default`, and without a token.
    expect(objects.filter((o) => o.kind === 'ServiceAccount').map((o) => [o.metadata.name, o.automountServiceAccountToken])).toEqual([[ctx.hosts.prometheus, false]]);
    const set = objects.find((o) => o.kind === 'StatefulSet')!;
    expect(set.spec.template.spec.automountServiceAccountToken).toBe(false);
    // Static targets name no namespace: the services may be anywhere, never "no peer" (which would mean all).
    const policy = objects.find((o) => o.kind === 'NetworkPolicy')!;
    for (const rule of policy.spec.egress as Obj[]) expect(rule.to.length).toBeGreaterThan(0);
  });

  it('knows the resources of every SD role it accepts, and refuses one it does not', () => {
    const scope = discoveryScope({ scrape_configs: [{ kubernetes_sd_configs: [{ role: 'node' }, { role: 'pod', namespaces: { names: ['a'] } }] }] });
    expect(scope).toEqual({ roles: ['node', 'pod'], namespaces: ['a'] });
    expect(namespacedDiscovery(scope, 'a')).toBe(true); // nodes get a ClusterRole of their own, pods a Role
    expect(discoveryResources(scope).map((r) => r.resource)).toEqual(['nodes', 'pods']);
    expect(() => discoveryScope({ scrape_configs: [{ kubernetes_sd_configs: [{ role: 'widgets' }] }] })).toThrow(/role widgets/);
  });
});
