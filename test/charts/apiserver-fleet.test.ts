/**
 * A spec of 1,000 services with two SLOs each, synthesized and passed through the real Kubernetes API server
 * (kube-apiserver and etcd at the pinned release, on 127.0.0.1) with the README's deploy command, as a server-side
 * dry run. The rules, which used to grow by about 29 KB a service into one ConfigMap, are cut into rule files and
 * ConfigMaps of at most 128 KiB; prometheus.yml's scrape jobs (one per service, ~1.2 KB each, 1.2 MB in all) go to
 * `scrape_config_files` packed the same way. Every object is accepted.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RULE_FILE_MAX_BYTES } from '../../src/alerts';
import type { Artifact } from '../../src/synth/artifacts';
import { buildArtifacts } from '../../src/synth/artifacts';
import { fleetSpec } from '../fixtures/fleet-spec';
import { apiServerForSuite } from '../support/kube-apiserver';
import { describeWithTools } from '../support/tools';
import { manifestsOf, writeArtifacts, type Manifest, type Obj } from './manifests';

const SERVICES = 1000;
const spec = fleetSpec(SERVICES);
/** Client-side apply stores the object again, as JSON, in this annotation; the API server caps annotations at this. */
const ANNOTATIONS_LIMIT = 262_144;

describeWithTools(`a ${SERVICES}-service spec against the Kubernetes API server`, ['etcd', 'kube-apiserver', 'kubectl'], (tools) => {
  const server = apiServerForSuite(tools);
  let artifacts: Artifact[] = [];
  let all: Manifest[] = [];
  let dir = '';

  beforeAll(() => {
    artifacts = buildArtifacts(spec);
    all = manifestsOf(artifacts.filter((a) => a.path.startsWith('dist/k8s/')));
    dir = writeArtifacts('apiserver-fleet', artifacts.filter((a) => a.path.startsWith('dist/k8s/')));
  }, 600_000);
  afterAll(() => dir && rmSync(dirname(dirname(dir)), { recursive: true, force: true }));

  const ruleConfigMaps = () => all.filter((m) => m.object.kind === 'ConfigMap' && /^prometheus-rules(-\d+)?$/.test(m.object.metadata.name as string));

  it('cuts the rules into files and ConfigMaps well under the limits of either apply', () => {
    // Kubernetes gets the rule files compose mounts and those of Kubernetes-only mixins (the cluster's).
    const rules = artifacts.filter((a) => a.path.startsWith('dist/rules/') || a.path.startsWith('dist/kubernetes/rules/'));
    for (const r of rules) expect([r.path, Buffer.byteLength(r.content) <= RULE_FILE_MAX_BYTES]).toEqual([r.path, true]);
    const maps = ruleConfigMaps();
    expect(maps.length).toBeGreaterThan(10);
    for (const { object } of maps) {
      const data = Object.values(object.data as Record<string, string>).reduce((n, text) => n + Buffer.byteLength(text), 0);
      expect([object.metadata.name, data <= RULE_FILE_MAX_BYTES, JSON.stringify(object).length < ANNOTATIONS_LIMIT / 1.5]).toEqual([object.metadata.name, true, true]);
    }
    // Every rule file is in exactly one ConfigMap, and the StatefulSet mounts them all as one folder.
    const keys = maps.flatMap((m) => Object.keys(m.object.data as Record<string, string>)).sort();
    expect(keys).toEqual(rules.map((r) => r.path.replace(/^dist\/(kubernetes\/)?rules\//, '')).sort());
    const prometheus = all.find((m) => m.object.kind === 'StatefulSet' && m.object.metadata.name === 'prometheus')!.object;
    const projected = (prometheus.spec.template.spec.volumes as Obj[]).find((v) => v.name === 'rules')!;
    expect((projected.projected.sources as { configMap: { name: string } }[]).map((s) => s.configMap.name).sort()).toEqual(maps.map((m) => m.object.metadata.name as string).sort());
  });

  it('moves the scrape jobs out of prometheus.yml into files and ConfigMaps of the same bound, mounted as one folder', () => {
    const config = all.find((m) => m.object.kind === 'ConfigMap' && m.object.metadata.name === 'prometheus')!.object;
    const main = (config.data as Record<string, string>)['prometheus.yml']!;
    expect(main).toContain('scrape_config_files:');
    expect(main).not.toContain('scrape_configs:');
    const maps = all.filter((m) => m.object.kind === 'ConfigMap' && /^prometheus-scrape(-\d+)?$/.test(m.object.metadata.name as string));
    expect(maps.length).toBeGreaterThan(5);
    const jobs = maps.flatMap((m) => Object.values(m.object.data as Record<string, string>)).join('\n').match(/job_name: /g) ?? [];
    expect(jobs.length).toBeGreaterThan(SERVICES);
    for (const { object } of maps) {
      const data = Object.values(object.data as Record<string, string>).reduce((n, text) => n + Buffer.byteLength(text), 0);
      expect([object.metadata.name, data <= RULE_FILE_MAX_BYTES]).toEqual([object.metadata.name, true]);
    }
    const prometheus = all.find((m) => m.object.kind === 'StatefulSet' && m.object.metadata.name === 'prometheus')!.object;
    const projected = (prometheus.spec.template.spec.volumes as Obj[]).find((v) => v.name === 'scrape')!;
    expect((projected.projected.sources as { configMap: { name: string } }[]).map((s) => s.configMap.name).sort()).toEqual(maps.map((m) => m.object.metadata.name as string).sort());
  });

  it('takes the README command (`kubectl apply -k dist/k8s`, dry run, strict): every object', () => {
    const namespace = server().kubectl(['apply', '-f', join(dir, 'namespace.yaml')]);
    expect(namespace.status).toBe(0);
    const run = server().kubectl(['apply', '-k', dir, '--dry-run=server', '--validate=strict']);
    const accepted = run.stdout.trim().split('\n');
    expect(run.stderr.trim()).toBe('');
    expect(run.status).toBe(0);
    for (const { object } of ruleConfigMaps()) expect(accepted).toContain(`configmap/${object.metadata.name as string} created (server dry run)`);
    expect(accepted).toHaveLength(all.length);
  });
});
