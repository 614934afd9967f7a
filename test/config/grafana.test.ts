import { renderContext, type RenderContext } from '../../src/config/context';
import {
  DATASOURCE_UIDS,
  GRAFANA_ADMIN_PASSWORD_FILE,
  grafanaEnvironment,
  renderGrafanaDashboardProvider,
  renderGrafanaDatasources,
} from '../../src/config/grafana';
import { renderTempoConfig } from '../../src/config/tempo';
import { toYaml } from '../../src/output/yaml';
import { resolveSpec, versions, type StackSpec } from '../../src/spec';
import { get, keyPaths, undocumentedKeys, valuesAt, type Obj } from '../support/reference-keys';
import reference from './reference/grafana-13.2.3.json';

const base = { namespace: 'observability', services: [{ name: 'api', port: 8080 }] };
const spec = (extra: object = {}): StackSpec => resolveSpec({ ...base, ...extra });
const ctx = renderContext('compose');

/** Keys under `section` the reference does not document. */
const undocumented = (value: unknown, section: string) => undocumentedKeys(value, Object.keys(reference.keys), section);

/** Undocumented keys anywhere in a datasource provisioning file (jsonData checked per datasource type). */
function undocumentedInDatasourceFile(file: Obj): string[] {
  const { datasources, ...rest } = file;
  const problems = undocumented(rest, 'file');
  if (!Array.isArray(datasources)) return [...problems, 'file.datasources'];
  for (const ds of datasources as Obj[]) {
    const { jsonData, ...fields } = ds;
    problems.push(...undocumented(fields, 'datasource'), ...undocumented(jsonData, `jsonData.${String(ds.type)}`));
  }
  return problems;
}

/** Every datasource uid a datasource points at (…Uid keys at any depth of its jsonData). */
function linkedUids(ds: Obj): Array<{ at: string; uid: unknown }> {
  const uidPaths = new Set(keyPaths(ds.jsonData).filter(({ path, leaf }) => leaf && /Uid$/.test(path)).map(({ path }) => path));
  return [...uidPaths].flatMap((path) => valuesAt(ds.jsonData, path).map((uid) => ({ at: `${String(ds.uid)}.jsonData.${path}`, uid })));
}


/** Links from one datasource to a uid no datasource in the file has. */
function danglingLinks(file: Obj): string[] {
  const datasources = file.datasources as Obj[];
  const uids = new Set(datasources.map((d) => d.uid));
  return datasources.flatMap((ds) => linkedUids(ds).filter(({ uid }) => !uids.has(uid)).map(({ at, uid }) => `${at} -> ${String(uid)}`));
}

const datasourcesOf = (file: Obj) => file.datasources as Obj[];
const byUid = (file: Obj, uid: string) => datasourcesOf(file).find((d) => d.uid === uid) as Obj;
/** What Grafana reads after expanding `$$` in provisioning values. */
const unescape = (text: string) => text.replaceAll('$$', '$');

describe('Grafana reference data', () => {
  it('is for the pinned Grafana version and names a source URL for every key', () => {
    expect(reference.version).toBe(versions.grafana.tag);
    const ids = Object.keys(reference.sources);
    for (const [key, source] of Object.entries(reference.keys)) expect([key, ids.includes(source)]).toEqual([key, true]);
    for (const url of Object.values(reference.sources)) expect(url).toMatch(/^https:\/\//);
  });
});

describe('renderGrafanaDatasources', () => {
  const file = renderGrafanaDatasources(spec(), ctx);
  const datasources = datasourcesOf(file);

  it('is a provisioning file with the four datasources under their fixed, unique uids', () => {
    expect(file.apiVersion).toBe(1);
    expect(datasources.map((d) => [d.uid, d.type])).toEqual([
      ['prometheus', 'prometheus'],
      ['loki', 'loki'],
      ['tempo', 'tempo'],
      ['alertmanager', 'alertmanager'],
    ]);
    expect(new Set(datasources.map((d) => d.uid)).size).toBe(datasources.length);
    expect(new Set(datasources.map((d) => d.name)).size).toBe(datasources.length);
    expect(Object.values(DATASOURCE_UIDS).sort()).toEqual(datasources.map((d) => d.uid).sort());
    expect(datasources.filter((d) => d.isDefault === true).map((d) => d.uid)).toEqual(['prometheus']);
  });

  it('uses only keys documented for Grafana 13 provisioning, per datasource type', () => {
    expect(undocumentedInDatasourceFile(file)).toEqual([]);
  });

  it('flags a key the reference does not document', () => {
    const tempo = byUid(file, 'tempo');
    const withOldKey = {
      ...file,
      datasources: [...datasources.filter((d) => d !== tempo), { ...tempo, jsonData: { ...(tempo.jsonData as Obj), lokiSearch: { datasourceUid: 'loki' } } }],
    };
    expect(undocumentedInDatasourceFile(withOldKey)).toEqual(['jsonData.tempo.lokiSearch', 'jsonData.tempo.lokiSearch.datasourceUid']);
  });

  it('uses documented values for enumerated settings', () => {
    for (const [path, allowed] of Object.entries(reference.enums)) {
      const [section, type, ...rest] = path.split('.');
      if (section !== 'jsonData') continue;
      const values = valuesAt(byUid(file, type as string).jsonData, rest.join('.'));
      expect(values.length).toBeGreaterThan(0);
      for (const v of values) expect([path, allowed.includes(v as string)]).toEqual([path, true]);
    }
  });

  it('links only to datasources that exist', () => {
    const links = datasources.flatMap(linkedUids);
    expect(links.map(({ at, uid }) => `${at} -> ${String(uid)}`).sort()).toEqual([
      'loki.jsonData.derivedFields[].datasourceUid -> tempo',
      'loki.jsonData.derivedFields[].datasourceUid -> tempo',
      'prometheus.jsonData.alertmanagerUid -> alertmanager',
      'prometheus.jsonData.exemplarTraceIdDestinations[].datasourceUid -> tempo',
      'tempo.jsonData.serviceMap.datasourceUid -> prometheus',
      'tempo.jsonData.tracesToLogsV2.datasourceUid -> loki',
      'tempo.jsonData.tracesToMetrics.datasourceUid -> prometheus',
    ]);
    expect(danglingLinks(file)).toEqual([]);
  });

  it('reports a link to an undefined uid', () => {
    const loki = byUid(file, 'loki');
    const broken = {
      ...file,
      datasources: datasources.map((d) =>
        d === loki ? { ...loki, jsonData: { ...(loki.jsonData as Obj), derivedFields: [{ name: 'TraceID', matcherRegex: 'x', datasourceUid: 'jaeger' }] } } : d,
      ),
    };
    expect(danglingLinks(broken)).toEqual(['loki.jsonData.derivedFields[].datasourceUid -> jaeger']);
    const noTempo = { ...file, datasources: datasources.filter((d) => d.uid !== 'tempo') };
    expect(danglingLinks(noTempo)).toEqual([
      'prometheus.jsonData.exemplarTraceIdDestinations[].datasourceUid -> tempo',
      'loki.jsonData.derivedFields[].datasourceUid -> tempo',
      'loki.jsonData.derivedFields[].datasourceUid -> tempo',
    ]);
  });

  it('points every datasource at its component from the context', () => {
    expect(datasources.map((d) => d.url)).toEqual([
      'http://prometheus:9090',
      'http://loki:3100',
      'http://tempo:3200',
      'http://alertmanager:9093',
    ]);
    const moved: RenderContext = {
      ...ctx,
      hosts: { ...ctx.hosts, tempo: 'tempo.observability.svc', loki: '127.0.0.1' },
      ports: { ...ctx.ports, tempo: { ...ctx.ports.tempo, http: 13200 }, loki: { http: 13100, grpc: 19095 } },
    };
    const urls = datasourcesOf(renderGrafanaDatasources(spec(), moved)).map((d) => d.url);
    expect(urls).toEqual(['http://prometheus:9090', 'http://127.0.0.1:13100', 'http://tempo.observability.svc:13200', 'http://alertmanager:9093']);
  });

  it('links Prometheus exemplars to Tempo by the trace_id label Tempo writes', () => {
    const prometheus = byUid(file, 'prometheus');
    expect(get(prometheus, 'jsonData.exemplarTraceIdDestinations')).toEqual([{ name: 'trace_id', datasourceUid: 'tempo' }]);
    const tempoConfig = renderTempoConfig(spec(), ctx);
    expect(get(tempoConfig, 'overrides.defaults.metrics_generator.trace_id_label_name')).toBe('trace_id');
    expect(get(prometheus, 'jsonData.timeInterval')).toBe('15s');
    expect(get(byUid(renderGrafanaDatasources(spec({ scrapeInterval: '30s' }), ctx), 'prometheus'), 'jsonData.timeInterval')).toBe('30s');
    expect(get(prometheus, 'jsonData.prometheusVersion')).toBe(versions.prometheus.tag.replace(/^v/, ''));
  });

  it('links Loki log lines to Tempo from structured metadata and from the line', () => {
    const fields = get(byUid(file, 'loki'), 'jsonData.derivedFields') as Obj[];
    const label = fields.find((f) => f.matcherType === 'label') as Obj;
    const line = fields.find((f) => f.matcherType === 'regex') as Obj;
    for (const f of fields) {
      expect(f.datasourceUid).toBe('tempo');
      expect(unescape(f.url as string)).toBe('${__value.raw}');
    }
    const labelRegex = new RegExp(unescape(label.matcherRegex as string));
    expect(labelRegex.test('trace_id')).toBe(true);
    expect(labelRegex.test('parent_trace_id')).toBe(false);
    expect(labelRegex.test('span_id')).toBe(false);

    const lineRegex = new RegExp(unescape(line.matcherRegex as string));
    const id = '4bf92f3577b34da6a3ce929d0e0e4736';
    expect(lineRegex.exec(`level=info trace_id=${id} msg="GET /"`)?.[1]).toBe(id);
    expect(lineRegex.exec(`{"level":"info","trace_id":"${id}","msg":"GET /"}`)?.[1]).toBe(id);
    expect(lineRegex.exec(`{"level":"info","trace_id": "${id}"}`)?.[1]).toBe(id);
    expect(lineRegex.exec('level=info span_id=00f067aa0ba902b7')).toBeNull();
  });

  it('links Tempo spans to logs, metrics and the service map by service_name', () => {
    const tempo = byUid(file, 'tempo');
    expect(get(tempo, 'jsonData.tracesToLogsV2')).toMatchObject({
      datasourceUid: 'loki',
      filterByTraceID: true,
      tags: [{ key: 'service.name', value: 'service_name' }],
    });
    expect(get(tempo, 'jsonData.tracesToMetrics.tags')).toEqual([{ key: 'service.name', value: 'service_name' }]);
    expect(get(tempo, 'jsonData.serviceMap')).toEqual({ datasourceUid: 'prometheus' });
    expect(get(tempo, 'jsonData.nodeGraph')).toEqual({ enabled: true });
  });

  it('queries only labels Tempo span metrics carry', () => {
    const tempoConfig = renderTempoConfig(spec(), ctx);
    const mapped = (get(tempoConfig, 'metrics_generator.processor.span_metrics.dimension_mappings') as Obj[]).map((m) => m.name);
    const spanMetricLabels = new Set(['service', 'span_name', 'span_kind', 'status_code', ...mapped]);
    const tags = get(byUid(file, 'tempo'), 'jsonData.tracesToMetrics.tags') as Obj[];
    for (const t of tags) expect(spanMetricLabels.has(t.value ?? t.key)).toBe(true);
    const queries = (get(byUid(file, 'tempo'), 'jsonData.tracesToMetrics.queries') as Obj[]).map((q) => unescape(q.query as string));
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries) {
      expect(q).toContain('{$__tags');
      for (const [, label] of q.matchAll(/[{,]\s*([a-z_]+)=/g)) expect(spanMetricLabels.has(label as string)).toBe(true);
    }
  });

  it('escapes every literal $ for provisioning env expansion', () => {
    const yaml = toYaml(file, { header: false });
    expect(yaml).toContain('$$');
    expect(yaml.replaceAll('$$', '')).not.toContain('$');
  });

  it('adds Alertmanager as a read-only Prometheus implementation that gets no Grafana alerts', () => {
    expect(byUid(file, 'alertmanager').jsonData).toEqual({ implementation: 'prometheus', handleGrafanaManagedAlerts: false });
  });

  it('holds no secret and is deterministic', () => {
    expect(keyPaths(file).filter(({ path }) => /secure|password|basicAuth/i.test(path))).toEqual([]);
    expect(toYaml(renderGrafanaDatasources(spec(), ctx))).toBe(toYaml(renderGrafanaDatasources(spec(), ctx)));
  });
});

describe('renderGrafanaDashboardProvider', () => {
  const file = renderGrafanaDashboardProvider(spec(), ctx);

  it('uses only documented keys', () => {
    expect(undocumented(file, 'dashboards')).toEqual([]);
    expect(undocumented({ ...file, refresh: 10 }, 'dashboards')).toEqual(['dashboards.refresh']);
  });

  it('reads the generated dashboards read-only into the obskit folder', () => {
    const [provider, ...more] = file.providers as Obj[];
    expect(more).toEqual([]);
    expect(provider).toMatchObject({ type: 'file', folder: 'obskit', folderUid: 'obskit', allowUiUpdates: false });
    expect(get(provider, 'options.path')).toBe('/etc/grafana/dashboards');
    // Grafana ignores foldersFromFilesStructure unless folder and folderUid are empty.
    expect(get(provider, 'options.foldersFromFilesStructure')).toBe(false);
    const moved: RenderContext = { ...ctx, paths: { ...ctx.paths, grafanaDashboards: '/etc/dashboards' } };
    expect(get((renderGrafanaDashboardProvider(spec(), moved).providers as Obj[])[0], 'options.path')).toBe('/etc/dashboards');
  });
});

describe('grafanaEnvironment', () => {
  const env = grafanaEnvironment(spec(), ctx);

  it('uses only documented settings, all as strings', () => {
    expect(undocumented(env, 'env')).toEqual([]);
    for (const value of Object.values(env)) expect(typeof value).toBe('string');
  });

  it('reads the admin password from a file and never carries one', () => {
    expect(env.GF_SECURITY_ADMIN_PASSWORD__FILE).toBe(GRAFANA_ADMIN_PASSWORD_FILE);
    expect(GRAFANA_ADMIN_PASSWORD_FILE).toBe('/run/secrets/grafana-admin/admin-password');
    expect(Object.keys(env).filter((k) => /PASSWORD|SECRET|TOKEN/.test(k) && !k.endsWith('__FILE'))).toEqual([]);
  });

  it('gives anonymous visitors Viewer access only where the spec asks for it (by default: locally)', () => {
    expect(env.GF_AUTH_ANONYMOUS_ENABLED).toBe('true');
    expect(env.GF_AUTH_ANONYMOUS_ORG_ROLE).toBe('Viewer');
    expect(reference.enums['env.GF_AUTH_ANONYMOUS_ORG_ROLE']).toContain(env.GF_AUTH_ANONYMOUS_ORG_ROLE);
    const k8s = renderContext('kubernetes');
    const anonymous = (mode: 'compose' | 'always' | 'never', target: typeof ctx) =>
      grafanaEnvironment(spec({ grafana: { anonymousViewer: mode } }), target).GF_AUTH_ANONYMOUS_ENABLED;
    expect([anonymous('compose', ctx), anonymous('compose', k8s)]).toEqual(['true', 'false']);
    expect([anonymous('always', ctx), anonymous('always', k8s)]).toEqual(['true', 'true']);
    expect([anonymous('never', ctx), anonymous('never', k8s)]).toEqual(['false', 'false']);
    const closed = grafanaEnvironment(spec({ grafana: { anonymousViewer: 'never' } }), ctx);
    expect(closed.GF_AUTH_ANONYMOUS_ORG_ROLE).toBeUndefined();
  });

  it('turns analytics, update checks and the news feed off', () => {
    expect(env).toMatchObject({
      GF_ANALYTICS_REPORTING_ENABLED: 'false',
      GF_ANALYTICS_CHECK_FOR_UPDATES: 'false',
      GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES: 'false',
      GF_NEWS_NEWS_FEED_ENABLED: 'false',
      GF_PLUGINS_PREINSTALL_AUTO_UPDATE: 'false',
    });
  });

  it('listens on the context port', () => {
    expect(env.GF_SERVER_HTTP_PORT).toBe('3000');
    const moved: RenderContext = { ...ctx, ports: { ...ctx.ports, grafana: { http: 13000 } } };
    expect(grafanaEnvironment(spec(), moved).GF_SERVER_HTTP_PORT).toBe('13000');
  });
});
