import { mkdirSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parse } from 'yaml';
import { kubernetesArtifacts } from '../../src/charts';
import { CHECKSUM_PREFIX, checksumOf } from '../../src/charts/workload';
import { renderCompose } from '../../src/compose/compose';
import { COMPOSE_FILES } from '../../src/compose/layout';
import { DEFAULT_PATHS, renderContext } from '../../src/config/context';
import { buildArtifacts } from '../../src/synth/artifacts';
import { resolveSpec, type StackSpec } from '../../src/spec';
import { demoSpecInput as stack } from '../fixtures/demo-spec';
import { fullSpec, fullSpecInput } from '../fixtures/full-spec';
import { tempDir } from '../support/synth';
import { describeWithTools, runTool } from '../support/tools';
import { find, manifests, manifestsOf, podMetadataOf, podSpecOf, WORKLOAD_KINDS, type Manifest, type Obj } from './manifests';

const spec = resolveSpec(stack);
const SPECS: readonly [string, StackSpec][] = [
  ['demo spec', spec],
  ['full spec', fullSpec],
];

/**
 * Each ConfigMap key and the synth output it must equal byte for byte: the compose copy (written by synth for
 * compose) or the shared dist/ file. Prometheus's config is the one whose content legitimately differs.
 */
const SAME_BYTES: readonly { configMap: string; key: string; path: string }[] = [
  { configMap: 'otel-collector', key: 'config.yaml', path: posix.join('compose', COMPOSE_FILES.collector) },
  { configMap: 'alertmanager', key: 'alertmanager.yml', path: posix.join('compose', COMPOSE_FILES.alertmanager) },
  { configMap: 'loki', key: 'loki.yaml', path: posix.join('compose', COMPOSE_FILES.loki) },
  { configMap: 'tempo', key: 'tempo.yaml', path: posix.join('compose', COMPOSE_FILES.tempo) },
  { configMap: 'grafana-datasources', key: 'obskit.yaml', path: posix.join('compose', COMPOSE_FILES.grafanaDatasources) },
  { configMap: 'grafana-dashboard-provider', key: 'obskit.yaml', path: posix.join('compose', COMPOSE_FILES.grafanaDashboardProvider) },
  { configMap: 'prometheus-rules', key: 'stack-health.yaml', path: 'dist/rules/stack-health.yaml' },
];

/** Where a ConfigMap key appears inside a workload's container, or undefined when it is not mounted. */
function mountedAt(all: readonly Manifest[], configMap: string, key: string): string | undefined {
  for (const { object } of all.filter((m) => WORKLOAD_KINDS.includes(m.object.kind))) {
    const pod = podSpecOf(object);
    // A ConfigMap of its own, or one of the sources of a projected folder (Prometheus's rules).
    const volume = ((pod.volumes ?? []) as Obj[]).find(
      (v) => v.configMap?.name === configMap || ((v.projected?.sources ?? []) as Obj[]).some((src) => src.configMap?.name === configMap),
    );
    if (!volume) continue;
    const mount = (pod.containers[0].volumeMounts as Obj[]).find((m) => m.name === volume.name)!;
    if (mount.subPath) return mount.subPath === key ? mount.mountPath : undefined;
    return `${mount.mountPath}/${key}`;
  }
  return undefined;
}

describe.each(SPECS)('configs in the ConfigMaps (%s)', (_, s) => {
  const all = manifests(s);
  const synth = new Map(buildArtifacts(s).map((a) => [a.path, a.content]));
  const compose = renderCompose(s, renderContext('compose')) as { services: Record<string, { volumes?: string[] }> };
  const composeTargets = new Map(
    Object.values(compose.services).flatMap((svc) =>
      (svc.volumes ?? []).map((v) => v.split(':')).map(([source, target]) => [posix.join('compose', source!), target!] as const),
    ),
  );

  it.each(SAME_BYTES)('$configMap $key is byte-identical to $path (the collector: but for the files compose tails)', ({ configMap, key, path }) => {
    const content = synth.get(path);
    expect(content).toBeDefined();
    const data = find(all, 'ConfigMap', configMap).data[key] as string;
    if (configMap !== 'otel-collector' || s.intake.logFiles.hostPath === undefined) {
      expect(data).toBe(content);
      return;
    }
    // intake.logFiles.hostPath is a compose folder; in Kubernetes the node agent tails the pods' logs instead.
    const composeConfig = parse(content!) as Obj;
    expect(composeConfig.receivers['filelog/files']).toBeDefined();
    delete composeConfig.receivers['filelog/files'];
    composeConfig.service.pipelines.logs.receivers = ['otlp'];
    expect(parse(data)).toEqual(composeConfig);
  });

  it.each(SAME_BYTES)('$configMap $key is mounted at the path compose mounts $path at', ({ configMap, key, path }) => {
    const where = mountedAt(all, configMap, key);
    const composeTarget =
      composeTargets.get(path) ?? // a file mounted by itself
      [...composeTargets.entries()].map(([src, target]) => (path.startsWith(`${src}/`) ? `${target}/${posix.basename(path)}` : undefined)).find(Boolean);
    expect(where).toBeDefined();
    expect(where).toBe(composeTarget);
  });

  it('prometheus.yml differs from the compose copy only in how scrape targets are found, the cluster label, and the cluster jobs', () => {
    const k8s = parse(find(all, 'ConfigMap', 'prometheus').data['prometheus.yml']) as Obj;
    const composed = parse(synth.get(posix.join('compose', COMPOSE_FILES.prometheus))!) as Obj;
    const { scrape_configs: allK8sJobs, ...k8sRest } = k8s;
    // The cluster's own sources (the kubernetes mixin) come last, in Kubernetes only: compose has no cluster.
    const clusterJobs = ['kube-state-metrics', 'kubelet', 'kubelet-cadvisor'];
    expect((allK8sJobs as Obj[]).slice(-clusterJobs.length).map((j) => j.job_name)).toEqual(clusterJobs);
    const k8sJobs = (allK8sJobs as Obj[]).slice(0, -clusterJobs.length);
    const { scrape_configs: composeJobs, ...composeRest } = composed;
    // Alerts from a cluster say which one (external_labels); compose has no cluster.
    expect(k8sRest.global.external_labels.cluster).toBe(s.cluster);
    delete k8sRest.global.external_labels.cluster;
    // Everything else, the Alertmanager address included, is the same.
    expect(k8sRest).toEqual(composeRest);
    expect((k8sJobs as Obj[]).length).toBe((composeJobs as Obj[]).length);
    (k8sJobs as Obj[]).forEach((job, i) => {
      const { kubernetes_sd_configs: sd, relabel_configs: relabel, ...jobRest } = job;
      const { static_configs: targets, ...composeJobRest } = (composeJobs as Obj[])[i]!;
      // Same job, path and interval; compose lists a host:port, Kubernetes discovers the Service's endpoints.
      expect(jobRest).toEqual(composeJobRest);
      expect(targets).toHaveLength(1);
      expect(sd).toEqual([{ role: 'endpointslice', namespaces: { names: [s.namespace] } }]);
      const serviceName = (relabel as Obj[]).find((r) => r.target_label === 'service_name')?.replacement;
      expect(serviceName).toBe(targets[0].labels.service_name);
    });
  });

  it('annotates every pod template with the checksum of each ConfigMap it mounts (dashboards excepted: Grafana reloads them)', () => {
    for (const { object } of all.filter((m) => WORKLOAD_KINDS.includes(m.object.kind))) {
      const annotations = podMetadataOf(object).annotations ?? {};
      const volumes = (podSpecOf(object).volumes ?? []) as Obj[];
      // Projected folders of ConfigMaps (Prometheus's rules) too; Grafana's dashboards folder excepted.
      const projected = volumes.filter((v) => v.projected && v.name !== 'dashboards').flatMap((v) => (v.projected.sources as Obj[]).map((src) => src.configMap.name as string));
      const mounted = [...volumes.filter((v) => v.configMap).map((v) => v.configMap.name as string), ...projected];
      // kube-state-metrics is configured by its arguments alone.
      if (object.metadata.name !== 'kube-state-metrics') expect(mounted.length).toBeGreaterThan(0);
      for (const name of mounted) {
        expect([object.metadata.name, name, annotations[`${CHECKSUM_PREFIX}${name}`]]).toEqual([
          object.metadata.name,
          name,
          checksumOf(find(all, 'ConfigMap', name).data),
        ]);
      }
      const checksums = Object.keys(annotations).filter((k) => k.startsWith(CHECKSUM_PREFIX));
      expect(checksums.sort()).toEqual(mounted.map((n) => `${CHECKSUM_PREFIX}${n}`).sort());
    }
  });
});

describe('config changes roll the pods', () => {
  const checksums = (s: StackSpec) =>
    Object.fromEntries(
      manifests(s)
        .filter((m) => WORKLOAD_KINDS.includes(m.object.kind))
        .map((m) => [m.object.metadata.name, podMetadataOf(m.object).annotations]),
    );

  it('changes only the checksums of the workloads whose config changed', () => {
    const before = checksums(fullSpec);
    const after = checksums(resolveSpec({ ...fullSpecInput, environment: 'staging' }));
    // The environment is stamped by the collector on telemetry, and by Prometheus on the alerts it sends.
    expect(after['otel-collector']).not.toEqual(before['otel-collector']);
    expect(after.prometheus!['checksum/prometheus']).not.toEqual(before.prometheus!['checksum/prometheus']);
    expect(after.prometheus!['checksum/prometheus-rules']).toEqual(before.prometheus!['checksum/prometheus-rules']);
    for (const name of ['alertmanager', 'grafana', 'loki', 'tempo']) expect(after[name]).toEqual(before[name]);

    const retention = checksums(resolveSpec({ ...fullSpecInput, retention: { ...fullSpecInput.retention, logs: '30d' } }));
    expect(retention.loki).not.toEqual(before.loki);
    expect(retention.prometheus).toEqual(before.prometheus);
  });

  it('rolls Prometheus when a rule file changes', () => {
    const a = manifestsOf(kubernetesArtifacts(spec, { ruleFiles: { 'a.yaml': 'groups: []\n' } }));
    const b = manifestsOf(kubernetesArtifacts(spec, { ruleFiles: { 'a.yaml': 'groups: [] # changed\n' } }));
    const annotation = (all: Manifest[]) => podMetadataOf(find(all, 'StatefulSet', 'prometheus')).annotations['checksum/prometheus-rules'];
    expect(annotation(a)).not.toEqual(annotation(b));
  });
});

describeWithTools('the Prometheus ConfigMap against the pinned promtool', ['promtool'], ({ promtool }) => {
  it.each(SPECS)('passes promtool check config with its rule files mounted as in the pod (%s)', (_, s) => {
    // describeWithTools has checked promtool is the pinned release. The chart rendered with the rules folder in a temp dir, laid out as the pod mounts the two ConfigMaps.
    const dir = tempDir('k8s-promtool');
    const rulesDir = join(dir, 'rules');
    mkdirSync(rulesDir);
    // The ServiceAccount's token and CA, as Kubernetes mounts them, which the kubelet jobs read.
    const serviceAccount = join(dir, 'serviceaccount');
    mkdirSync(serviceAccount);
    writeFileSync(join(serviceAccount, 'token'), 'not-a-token');
    writeFileSync(join(serviceAccount, 'ca.crt'), '');
    const ctx = renderContext('kubernetes', { paths: { ...DEFAULT_PATHS, prometheusRules: rulesDir, serviceAccount } });
    const all = manifestsOf(kubernetesArtifacts(s, { ctx }));
    const ruleFiles = Object.entries(find(all, 'ConfigMap', 'prometheus-rules').data as Record<string, string>);
    for (const [file, content] of ruleFiles) writeFileSync(join(rulesDir, file), content);
    const configFile = join(dir, 'prometheus.yml');
    writeFileSync(configFile, find(all, 'ConfigMap', 'prometheus').data['prometheus.yml']);
    const out = runTool(promtool, ['check', 'config', configFile]);
    expect(ruleFiles.length).toBeGreaterThanOrEqual(2);
    expect(out).toContain(`SUCCESS: ${ruleFiles.length} rule files found`);
    for (const [file] of ruleFiles) expect(out).toMatch(new RegExp(`rules/${file}\\s+SUCCESS: \\d+ rules found`));
  });

  it.each(SPECS)('passes promtool check config and check rules as synthesized (%s)', (_, s) => {
    const all = manifests(s);
    const dir = tempDir('k8s-promtool');
    const configFile = join(dir, 'prometheus.yml');
    writeFileSync(configFile, find(all, 'ConfigMap', 'prometheus').data['prometheus.yml']);
    // Syntax only: the files it names (rules, the ServiceAccount token) exist only in the pod; the test above lays them out.
    expect(runTool(promtool, ['check', 'config', '--syntax-only', configFile])).toMatch(/SUCCESS/);
    for (const [file, content] of Object.entries(find(all, 'ConfigMap', 'prometheus-rules').data as Record<string, string>)) {
      writeFileSync(join(dir, file), content);
      expect(runTool(promtool, ['check', 'rules', join(dir, file)])).toMatch(/SUCCESS: \d+ rules found/);
    }
  });
});
