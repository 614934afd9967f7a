/**
 * A spec of 1,000 services with two SLOs each, synthesized and passed through the real Kubernetes API server
 * (kube-apiserver and etcd at the pinned release, on 127.0.0.1) with the README's deploy command, as a server-side
 * dry run. The rules, which used to grow by about 29 KB a service into one ConfigMap, are cut into rule files and
 * ConfigMaps of at most 128 KiB: every one is accepted. Known gap, asserted so it cannot go unnoticed when fixed:
 * Prometheus's own config (prometheus.yml, one scrape job per service, ~1.2 KB each) is one ConfigMap over the
 * 1 MiB a ConfigMap may hold at this size, and is the only object refused.
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
const CONFIG_MAP_LIMIT = 1_048_576;

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

  it('takes the README command (`kubectl apply -k dist/k8s`, dry run, strict): every object but Prometheus’s scrape config', () => {
    const namespace = server().kubectl(['apply', '-f', join(dir, 'namespace.yaml')]);
    expect(namespace.status).toBe(0);
    const run = server().kubectl(['apply', '-k', dir, '--dry-run=server', '--validate=strict']);
    const accepted = run.stdout.trim().split('\n');
    const refused = run.stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    // Every rules ConfigMap, and everything else but the one config ConfigMap.
    for (const { object } of ruleConfigMaps()) expect(accepted).toContain(`configmap/${object.metadata.name as string} created (server dry run)`);
    expect(accepted).toHaveLength(all.length - 1);
    expect(refused).toEqual([
      'The ConfigMap "prometheus" is invalid:',
      '* metadata.annotations: Too long: may not be more than 262144 bytes',
      '* []: Too long: may not be more than 1048576 bytes',
    ]);
    const config = all.find((m) => m.object.kind === 'ConfigMap' && m.object.metadata.name === 'prometheus')!.object;
    expect(Buffer.byteLength((config.data as Record<string, string>)['prometheus.yml']!)).toBeGreaterThan(CONFIG_MAP_LIMIT);
  });
});
