import { parseAllDocuments, parse } from 'yaml';
import { buildArtifacts } from '../../src/synth/artifacts';
import { resolveSpec, specForTarget } from '../../src/spec';
import { fullSpecInput } from '../fixtures/full-spec';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** fullSpec, paging in production, but only posting to chat from a laptop: one spec, no fork. */
const spec = resolveSpec({
  ...fullSpecInput,
  environments: {
    compose: {
      environment: 'laptop',
      alerting: { routes: [{ severity: 'critical', receiver: 'chat' }, { severity: 'warning', receiver: 'chat' }] },
    },
  },
});
const artifacts = new Map(buildArtifacts(spec).map((a) => [a.path, a.content]));
const file = (path: string) => {
  const content = artifacts.get(path);
  if (content === undefined) throw new Error(`not generated: ${path}`);
  return content;
};
const configMapData = (path: string, key: string): string => {
  const docs = parseAllDocuments(file(path)).map((d) => d.toJS() as Obj);
  const found = docs.find((d) => d.kind === 'ConfigMap' && d.data?.[key] !== undefined);
  if (!found) throw new Error(`${path}: no ConfigMap with ${key}`);
  return found.data[key] as string;
};
const criticalReceivers = (config: Obj) =>
  (config.route.routes as Obj[]).filter((r) => (r.matchers as string[]).includes('severity="critical"')).map((r) => r.receiver);

describe('spec.environments: one spec, a target that differs', () => {
  it('routes critical alerts to chat in compose, and pages in Kubernetes', () => {
    expect(criticalReceivers(parse(file('compose/alertmanager/alertmanager.yml')) as Obj)).toEqual(['chat']);
    expect(criticalReceivers(parse(configMapData('dist/k8s/alertmanager.yaml', 'alertmanager.yml')) as Obj)).toEqual(['oncall']);
  });

  it('stamps each target’s environment on telemetry and on alerts', () => {
    expect((parse(file('compose/prometheus/prometheus.yml')) as Obj).global.external_labels).toEqual({ environment: 'laptop' });
    expect((parse(configMapData('dist/k8s/prometheus.yaml', 'prometheus.yml')) as Obj).global.external_labels).toEqual({
      environment: 'production',
      cluster: 'default',
    });
    expect(file('compose/otelcol/config.yaml')).toContain('value: laptop');
  });

  it('keeps rules and dashboards the same for both (Kubernetes ships the files compose mounts)', () => {
    expect(specForTarget(spec, 'kubernetes')).toBe(spec);
    expect(specForTarget(spec, 'compose').services).toEqual(spec.services);
    expect(specForTarget(spec, 'compose').alerting.overrides).toEqual(spec.alerting.overrides);
  });
});
