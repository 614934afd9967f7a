/**
 * Prometheus Operator mode (kubernetes.mode: 'operator'): the resources carry the same scrape jobs, rules and settings
 * as plain mode's prometheus.yml and rule files. Their validity against the Operator's CRDs is checked in the real
 * API server (operator-apiserver.test.ts).
 */
import { parse } from 'yaml';
import { renderContext } from '../../src/config/context';
import { renderPrometheusConfig } from '../../src/config/prometheus';
import { renderedRuleFiles } from '../../src/alerts';
import { OPERATOR_INSTANCE } from '../../src/charts/operator/resources';
import { resolveSpec, type StackSpec } from '../../src/spec';
import { fullSpecInput } from '../fixtures/full-spec';
import { manifests, type Manifest, type Obj } from './manifests';

const ctx = renderContext('kubernetes');
const spec: StackSpec = resolveSpec({ ...fullSpecInput, kubernetes: { ...fullSpecInput.kubernetes, mode: 'operator' } });
const plainSpec: StackSpec = resolveSpec(fullSpecInput);

const ofKind = (all: readonly Manifest[], kind: string) => all.filter((m) => m.object.kind === kind).map((m) => m.object);

describe('Prometheus Operator mode', () => {
  const all = manifests(spec);
  const config = renderPrometheusConfig(spec, ctx) as Obj;

  it('replaces the Prometheus StatefulSet and its ConfigMaps by Operator resources, and leaves the rest as in plain mode', () => {
    const kinds = (ms: readonly Manifest[]) => ms.filter((m) => !m.file.endsWith('/prometheus.yaml')).map((m) => `${m.object.kind}/${m.object.metadata.name}`);
    // But kube-state-metrics: with the Operator, the cluster's own kube-prometheus reports the cluster.
    expect(kinds(all)).toEqual(kinds(manifests(plainSpec).filter((m) => !m.file.endsWith('/kube-state-metrics.yaml'))));
    const prometheus = all.filter((m) => m.file.endsWith('/prometheus.yaml')).map((m) => m.object.kind);
    expect(prometheus).not.toContain('StatefulSet');
    expect(prometheus).not.toContain('ConfigMap');
    expect(ofKind(all, 'Prometheus').map((p) => p.metadata.name)).toEqual([OPERATOR_INSTANCE]);
  });

  it('makes a ServiceMonitor of every scrape job, with its relabelling, limits and path, and the plain-mode job label', () => {
    const jobs = config.scrape_configs as Obj[];
    const monitors = ofKind(all, 'ServiceMonitor');
    expect(monitors.map((m) => m.metadata.name)).toEqual(jobs.map((j) => j.job_name));
    for (const job of jobs) {
      const monitor = monitors.find((m) => m.metadata.name === job.job_name)!;
      const [endpoint] = monitor.spec.endpoints as Obj[];
      expect(monitor.spec.namespaceSelector).toEqual({ matchNames: job.kubernetes_sd_configs[0].namespaces.names });
      expect([monitor.spec.sampleLimit, monitor.spec.labelLimit, monitor.spec.labelValueLengthLimit]).toEqual([
        job.sample_limit,
        job.label_limit,
        job.label_value_length_limit,
      ]);
      expect(endpoint!.path).toBe(job.metrics_path);
      expect(endpoint!.interval).toBe(job.scrape_interval);
      const relabelings = endpoint!.relabelings as Obj[];
      expect(relabelings).toHaveLength((job.relabel_configs as Obj[]).length + 1);
      expect(relabelings[0]).toEqual({
        sourceLabels: job.relabel_configs[0].source_labels,
        regex: job.relabel_configs[0].regex,
        action: job.relabel_configs[0].action,
      });
      expect(relabelings.at(-1)).toEqual({ targetLabel: 'job', replacement: job.job_name, action: 'replace' });
    }
  });

  it('makes a PrometheusRule of every rule file, holding its groups unchanged', () => {
    const files = renderedRuleFiles(spec);
    const rules = ofKind(all, 'PrometheusRule');
    expect(rules.map((r) => r.metadata.name)).toEqual(Object.keys(files).sort().map((f) => `obskit-${f.replace(/\.yaml$/, '')}`));
    for (const [file, content] of Object.entries(files)) {
      const rule = rules.find((r) => r.metadata.name === `obskit-${file.replace(/\.yaml$/, '')}`)!;
      expect(rule.spec.groups).toEqual((parse(content) as Obj).groups);
      expect(rule.metadata.labels['app.kubernetes.io/part-of']).toBe('obskit');
    }
  });

  it('gives the Prometheus resource plain mode\'s settings, and selects what obskit generates', () => {
    const [p] = ofKind(all, 'Prometheus');
    const s = p!.spec as Obj;
    expect(s.externalLabels).toEqual(config.global.external_labels);
    expect([s.scrapeInterval, s.evaluationInterval]).toEqual([config.global.scrape_interval, config.global.evaluation_interval]);
    expect([s.retention, s.retentionSize]).toEqual([config.storage.tsdb.retention.time, config.storage.tsdb.retention.size]);
    expect(s.tsdb).toEqual({ outOfOrderTimeWindow: config.storage.tsdb.out_of_order_time_window });
    expect(s.otlp.promoteResourceAttributes).toEqual(config.otlp.promote_resource_attributes);
    expect([s.enableOTLPReceiver, s.enableRemoteWriteReceiver]).toEqual([true, true]);
    expect([s.prometheusExternalLabelName, s.replicaExternalLabelName]).toEqual(['', '']);
    expect(s.serviceMonitorSelector).toEqual({ matchLabels: { 'app.kubernetes.io/part-of': 'obskit' } });
    expect(s.ruleSelector).toEqual(s.serviceMonitorSelector);
    expect(s.alerting.alertmanagers).toEqual([{ namespace: spec.namespace, name: ctx.hosts.alertmanager, port: 'http', apiVersion: 'v2' }]);
    expect(s.resources.requests.memory).toBe(s.resources.limits.memory);
    expect(s.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(s.priorityClassName).toBe(spec.kubernetes.priorityClass?.name);
    // The Operator labels its pods app.kubernetes.io/name=prometheus and app.kubernetes.io/instance=<resource name>:
    // obskit's selector labels, so the Service and the NetworkPolicy select them.
    const service = ofKind(all, 'Service').find((x) => x.metadata.name === ctx.hosts.prometheus)!;
    expect(service.spec.selector).toEqual({ 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': p!.metadata.name });
    const policy = ofKind(all, 'NetworkPolicy').find((x) => x.metadata.name === ctx.hosts.prometheus)!;
    expect(policy.spec.podSelector.matchLabels).toEqual(service.spec.selector);
    const account = ofKind(all, 'ServiceAccount').find((x) => x.metadata.name === s.serviceAccountName);
    expect(account).toBeDefined();
    expect(ofKind(all, 'RoleBinding').flatMap((b) => b.subjects.map((x: Obj) => x.name))).toContain(s.serviceAccountName);
  });
});
