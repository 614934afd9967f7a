import { renderContext } from '../../src/config/context';
import { renderGrafanaDatasources } from '../../src/config/grafana';
import { buildDashboards, type BuiltDashboard } from '../../src/dashboards';
import { http, nodejs, pythonRuntime } from '../../src/mixins';
import { resolveSpec, type StackSpec } from '../../src/spec';

/** A Node service, a second one on the same port elsewhere, and a Python service: every built-in dashboard. */
export const spec: StackSpec = resolveSpec({
  namespace: 'observability',
  services: [
    { name: 'checkout', port: 8080, mixins: [http(), nodejs()] },
    { name: 'demo', port: 8080, host: 'demo', mixins: [http(), nodejs()] },
    { name: 'ingest', port: 8000, mixins: [http(), pythonRuntime()] },
  ],
});

export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A fresh copy of every dashboard, as plain JSON (what Grafana reads), safe to mutate. */
export function dashboards(s: StackSpec = spec): { file: string; model: Json }[] {
  return buildDashboards(s).map(({ file, model }: BuiltDashboard) => ({ file, model: JSON.parse(JSON.stringify(model)) as Json }));
}

export function dashboard(file: string): Json {
  const found = dashboards().find((d) => d.file === file);
  if (!found) throw new Error(`no dashboard ${file}`);
  return found.model;
}

/** The datasource uids the Grafana provisioning renders (compose and Kubernetes render the same). */
export function provisionedUids(s: StackSpec = spec): Set<string> {
  const file = renderGrafanaDatasources(s, renderContext('compose'));
  return new Set((file.datasources as Json[]).map((ds) => String(ds.uid)));
}

export function provisionedDatasource(type: string, s: StackSpec = spec): Json {
  const file = renderGrafanaDatasources(s, renderContext('compose'));
  const ds = (file.datasources as Json[]).find((d) => d.type === type);
  if (!ds) throw new Error(`no ${type} datasource`);
  return ds;
}

export const FILES = ['fleet.json', 'kubernetes.json', 'logs-traces.json', 'python-runtime.json', 'runtime.json', 'service-overview.json', 'slo.json', 'stack-health.json'];
