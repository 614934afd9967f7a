import { parse as parseYaml } from 'yaml';
import { renderPrometheusConfig } from '../../src/config/prometheus';
import { renderContext } from '../../src/config/context';
import { specCatalog } from '../../src/mixin/compose';
import { kubernetes, logsTraces, stackHealth } from '../../src/mixins';
import { kubernetesMetrics, kubeStateMetricsMetrics, cadvisorMetrics, kubeletMetrics } from '../../src/mixins/kubernetes/metrics';
import { ownClaims } from '../../src/mixins/kubernetes/alerts';
import { resolveSpec, type StackSpecInput } from '../../src/spec';
import { buildArtifacts } from '../../src/synth/artifacts';
import { find, manifests, manifestsOf, type Obj } from '../charts/manifests';
import { haSpec } from '../fixtures/ha-spec';
import { alertsWithoutRunbookPage, dashboardQueries, mixinAlerts, panelTitles, promtoolSuite } from './support';

const input: StackSpecInput = { namespace: 'obs', services: [{ name: 'api', port: 8080 }] };
const spec = resolveSpec(input);
const artifacts = buildArtifacts(spec);
const k8s = manifestsOf(artifacts.filter((a) => a.path.startsWith('dist/k8s/')));
const promConfig = (content = find(k8s, 'ConfigMap', 'prometheus').data['prometheus.yml'] as string) => parseYaml(content) as Obj;
const jobs = (config: Obj) => (config.scrape_configs as Obj[]).map((j) => j.job_name as string);

describe('the kubernetes mixin', () => {
  it('is a default stack mixin, and defines the documented names of kube-state-metrics, cAdvisor and the kubelet', () => {
    expect(spec.mixins.map((u) => u.mixin.name)).toEqual(['stack-health', 'logs-traces', 'kubernetes']);
    const defs = [...specCatalog(spec).values()].filter((e) => e.mixin === 'kubernetes').map((e) => e.def);
    expect(defs.map((d) => d.name).sort()).toEqual(kubernetesMetrics.map((d) => d.name).sort());
    expect(defs.every((d) => d.documentedName === true)).toBe(true);
    const byName = Object.fromEntries(defs.map((d) => [d.name, d]));
    expect(byName.kube_pod_container_status_restarts_total?.labelNames).toEqual(['namespace', 'pod', 'container', 'uid']);
    expect(byName.kubelet_volume_stats_available_bytes?.labelNames).toEqual(['node', 'namespace', 'persistentvolumeclaim']);
    expect(byName.container_cpu_usage_seconds_total?.labelNames).toContain('cpu');
  });

  it('alerts on crash loops, OOM kills, throttling, nodes not ready and claims filling up, each with a runbook', () => {
    const alerts = mixinAlerts(spec, 'kubernetes');
    expect(alerts.map((a) => [a.alert, a.severity, a.for ?? '0m'])).toEqual([
      ['KubePodCrashLooping', 'warning', '5m'],
      ['KubeContainerOOMKilled', 'warning', '0m'],
      ['KubeContainerCPUThrottlingHigh', 'info', '15m'],
      ['KubeNodeNotReady', 'warning', '15m'],
      ['KubePersistentVolumeFillingUp', 'warning', '1h'],
    ]);
    expect(alertsWithoutRunbookPage(alerts)).toEqual([]);
    const filling = alerts.find((a) => a.alert === 'KubePersistentVolumeFillingUp')!;
    expect(filling.expr.replace(/\s+/g, ' ')).toContain('predict_linear(kubelet_volume_stats_available_bytes[6h], 86400)');
  });

  it('fills the PVC alert’s firing example with obskit’s own Prometheus, Loki and Tempo claims, which the manifests create', () => {
    const filling = mixinAlerts(spec, 'kubernetes').find((a) => a.alert === 'KubePersistentVolumeFillingUp')!;
    const claims = ownClaims(spec);
    expect(claims.map((c) => c.persistentvolumeclaim)).toEqual(['data-prometheus-0', 'data-loki-0', 'data-tempo-0']);
    expect(filling.examples.fires.alerts.map((a) => a.labels)).toEqual(claims);
    // A StatefulSet's claim for pod 0 is <template>-<statefulset>-0; the alert selects no namespace, so it sees them.
    const made = k8s
      .filter((m) => m.object.kind === 'StatefulSet')
      .flatMap((m) => (m.object.spec.volumeClaimTemplates as Obj[]).map((t) => `${t.metadata.name}-${m.object.metadata.name}-0`));
    for (const c of claims) expect(made).toContain(c.persistentvolumeclaim);
    expect(filling.expr).not.toMatch(/namespace=/);
  });

  it('names, in the ha profile with object storage, every claim the StatefulSets create: each replica of Prometheus, Loki\'s write and backend targets, Tempo\'s live-stores (both zones) and block-builders, and Kafka', () => {
    const claims = ownClaims(haSpec).map((c) => c.persistentvolumeclaim);
    const made = manifests(haSpec)
      .filter((m) => m.object.kind === 'StatefulSet' && m.object.spec.volumeClaimTemplates && m.object.metadata.name !== 'thanos-receive' && m.object.metadata.name !== 'alertmanager' && m.object.metadata.name !== 'grafana')
      .flatMap((m) => (m.object.spec.volumeClaimTemplates as Obj[]).flatMap((t) => Array.from({ length: m.object.spec.replicas as number }, (_, i) => `${t.metadata.name}-${m.object.metadata.name}-${i}`)));
    expect(claims.sort()).toEqual(made.sort());
    expect(claims).toEqual(expect.arrayContaining(['data-loki-write-2', 'data-loki-backend-0', 'data-tempo-live-store-zone-a-3', 'data-tempo-live-store-zone-b-0', 'data-tempo-block-builder-1', 'data-kafka-2', 'data-prometheus-1']));
    expect(claims).not.toContain('data-loki-0');
  });

  it('takes its thresholds from the config', () => {
    const tuned = resolveSpec({ ...input, mixins: [stackHealth(), kubernetes({ volumeFullWithin: '48h', volumeTrendWindow: '12h', crashLoopRestarts: 5, throttlingRatio: 0.5 })] });
    const exprs = Object.fromEntries(mixinAlerts(tuned, 'kubernetes').map((a) => [a.alert, a.expr.replace(/\s+/g, ' ')]));
    expect(exprs.KubePersistentVolumeFillingUp).toContain('predict_linear(kubelet_volume_stats_available_bytes[12h], 172800)');
    expect(exprs.KubePodCrashLooping).toMatch(/>= 5$/);
    expect(exprs.KubeContainerCPUThrottlingHigh).toMatch(/> 0\.5$/);
  });

  it('has a Kubernetes dashboard with a namespace picker: nodes, pods and claims', () => {
    expect(panelTitles(spec, 'kubernetes')).toEqual({
      'kubernetes.json': [
        'Nodes ready',
        'Node CPU',
        'Node memory',
        'Pod CPU',
        'Pod memory',
        'Memory against limit',
        'CPU throttling',
        'Container restarts',
        'Out-of-memory kills',
        'Last terminated: OOMKilled',
        'PersistentVolumeClaims used',
        'PersistentVolumeClaims: bytes used',
      ],
    });
    const dashboard = JSON.parse(artifacts.find((a) => a.path === 'dist/kubernetes/dashboards/kubernetes.json')!.content) as Obj;
    expect((dashboard.templating.list as Obj[]).map((v) => v.name)).toEqual(['datasource', 'namespace']);
    expect(dashboardQueries(spec, 'kubernetes').filter((q) => q.includes('namespace=~"$namespace"')).length).toBeGreaterThanOrEqual(8);
  });
});

describe('the kubernetes mixin runs in Kubernetes only', () => {
  it('keeps its rules and dashboard out of the folders compose mounts, and ships them in the Kubernetes ConfigMaps', () => {
    const paths = artifacts.map((a) => a.path);
    expect(paths.filter((p) => p.startsWith('dist/kubernetes/'))).toEqual(['dist/kubernetes/dashboards/kubernetes.json', 'dist/kubernetes/rules/kubernetes.yaml']);
    expect(paths).not.toContain('dist/rules/kubernetes.yaml');
    expect(paths).not.toContain('dist/dashboards/kubernetes.json');
    const compose = artifacts.find((a) => a.path === 'compose/docker-compose.yaml')!.content;
    expect(compose).not.toContain('dist/kubernetes');
    expect(Object.keys(find(k8s, 'ConfigMap', 'prometheus-rules').data)).toContain('kubernetes.yaml');
    expect(k8s.some((m) => m.object.kind === 'ConfigMap' && Object.keys(m.object.data ?? {}).includes('kubernetes.json'))).toBe(true);
  });

  it('adds no cluster scrape job to compose', () => {
    expect(jobs(renderPrometheusConfig(spec, renderContext('compose')))).not.toEqual(expect.arrayContaining(['kube-state-metrics']));
    expect(jobs(promConfig(artifacts.find((a) => a.path === 'compose/prometheus/prometheus.yml')!.content))).toEqual(['prometheus', 'otel-collector', 'alertmanager', 'loki', 'tempo', 'grafana', 'api']);
  });

  it('deploys kube-state-metrics exposing exactly the metrics the mixin reads, from the objects behind them', () => {
    const deployment = find(k8s, 'Deployment', 'kube-state-metrics');
    const container = deployment.spec.template.spec.containers[0] as Obj;
    expect(container.image).toBe('registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.20.0');
    expect(container.args).toEqual([
      '--port=8080',
      '--telemetry-port=8081',
      '--resources=nodes,pods',
      `--metric-allowlist=${kubeStateMetricsMetrics.map((d) => d.name).sort().join(',')}`,
    ]);
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(true);
    const role = find(k8s, 'ClusterRole', 'obs-kube-state-metrics');
    expect((role.rules as Obj[]).map((r) => [r.resources, r.verbs])).toEqual([
      [['nodes'], ['list', 'watch']],
      [['pods'], ['list', 'watch']],
    ]);
  });

  it('scrapes the kubelets directly with nodes/metrics (never nodes/proxy), keeping only the series the mixin reads', () => {
    const config = promConfig();
    expect(jobs(config)).toEqual(expect.arrayContaining(['kube-state-metrics', 'kubelet', 'kubelet-cadvisor']));
    const byJob = Object.fromEntries((config.scrape_configs as Obj[]).map((j) => [j.job_name, j]));
    expect(byJob['kube-state-metrics'].honor_labels).toBe(true);
    expect(byJob['kubelet-cadvisor'].metric_relabel_configs[0].regex).toBe(cadvisorMetrics.map((d) => d.name).sort().join('|'));
    expect(byJob.kubelet.metric_relabel_configs[0].regex).toBe(kubeletMetrics.map((d) => d.name).sort().join('|'));
    expect(byJob.kubelet.tls_config).toEqual({ ca_file: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt' });
    const nodes = find(k8s, 'ClusterRole', 'obs-prometheus-nodes');
    expect((nodes.rules as Obj[]).map((r) => [r.resources, r.verbs])).toEqual([
      [['nodes'], ['get', 'list', 'watch']],
      [['nodes/metrics'], ['get']],
    ]);
    expect(JSON.stringify(k8s.map((m) => m.object))).not.toContain('nodes/proxy');
    // The observed services' discovery stays a namespaced Role.
    expect(find(k8s, 'Role', 'prometheus').metadata.namespace).toBe('obs');
  });

  it('opens Prometheus’s egress to the kubelet port of the node CIDRs only, and kube-state-metrics’s to the API server only', () => {
    const narrowed = resolveSpec({ ...input, kubernetes: { nodeCidrs: ['10.20.0.0/16', 'fd00:20::/64'], kubeletInsecureSkipVerify: true } });
    const all = manifestsOf(buildArtifacts(narrowed).filter((a) => a.path.startsWith('dist/k8s/')));
    const egress = find(all, 'NetworkPolicy', 'prometheus').spec.egress as Obj[];
    const kubelet = egress.filter((r) => (r.ports as Obj[]).some((p) => p.port === 10250));
    expect(kubelet.flatMap((r) => r.to)).toEqual([{ ipBlock: { cidr: '10.20.0.0/16' } }, { ipBlock: { cidr: 'fd00:20::/64' } }]);
    for (const r of kubelet) expect(r.ports).toEqual([{ port: 10250, protocol: 'TCP' }]);
    const ksm = find(all, 'NetworkPolicy', 'kube-state-metrics').spec as Obj;
    expect((ksm.ingress as Obj[]).map((r) => r.ports)).toEqual([[{ port: 8080, protocol: 'TCP' }]]);
    // DNS is the namespace-wide policy's; its own egress is the API server only.
    for (const r of ksm.egress as Obj[]) expect((r.ports as Obj[]).map((p) => p.port)).toEqual([443, 6443]);
    expect((ksm.egress as Obj[]).flatMap((r) => r.to).map((t) => t.ipBlock.cidr)).toEqual(narrowed.kubernetes.apiServerCidrs);
    const kubeletJob = (promConfig(find(all, 'ConfigMap', 'prometheus').data['prometheus.yml']).scrape_configs as Obj[]).find((j) => j.job_name === 'kubelet')!;
    expect(kubeletJob.tls_config.insecure_skip_verify).toBe(true);
  });

  it('deploys and scrapes nothing of the cluster when the spec lists no mixin reading it, or in operator mode', () => {
    for (const other of [
      resolveSpec({ ...input, mixins: [stackHealth(), logsTraces()] }),
      resolveSpec({ ...input, kubernetes: { mode: 'operator' } }),
    ]) {
      const all = manifestsOf(buildArtifacts(other).filter((a) => a.path.startsWith('dist/k8s/')));
      expect(all.filter((m) => m.object.metadata?.name === 'kube-state-metrics')).toEqual([]);
      const granted = all.filter((m) => m.object.kind.endsWith('Role')).flatMap((m) => (m.object.rules as Obj[]).flatMap((r) => r.resources as string[]));
      expect(granted).not.toContain('nodes/metrics');
      expect(granted).not.toContain('nodes');
      const config = all.find((m) => m.object.kind === 'ConfigMap' && m.object.metadata.name === 'prometheus');
      if (config) expect(jobs(promConfig(config.object.data['prometheus.yml']))).not.toContain('kubelet-cadvisor');
    }
  });
});

promtoolSuite('the kubernetes mixin’s alerts against the pinned promtool', spec, ['kubernetes.yaml']);
