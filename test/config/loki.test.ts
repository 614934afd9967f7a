/**
 * Loki's config, checked against the pinned release's documented configuration (Loki is AGPL: it is never built or
 * run here, only its published image deployed). test/config/reference/loki-3.7.8.json holds every documented key of
 * the blocks obskit renders, with type and default, and the validation rules Loki applies at start-up, each with the
 * document or source file it was read from.
 */
import { renderCollectorConfig } from '../../src/config/otelcol';
import { address, renderContext, type RenderContext } from '../../src/config/context';
import { LOKI_SCHEMA_FROM, lokiScalable, lokiScalableArgs, renderLokiConfig, renderLokiScalableConfig } from '../../src/config/loki';
import { haExternalStoreSpec, haSpec } from '../fixtures/ha-spec';
import { OTLP_DEFAULT_INDEX_ATTRIBUTES } from '../../src/logql/stream-labels';
import { toYaml } from '../../src/output/yaml';
import { resolveSpec, versions, type StackSpec } from '../../src/spec';
import { get, keyPaths, undocumentedKeys, valuesAt, type Obj } from '../support/reference-keys';
import { blocksOf, keysOf } from './reference/extract-loki-config';
import reference from './reference/loki-3.7.8.json';

const base = { namespace: 'observability', services: [{ name: 'api', port: 8080 }] };
const spec = (extra: object = {}): StackSpec => resolveSpec({ ...base, ...extra });
const ctx = renderContext('compose');

const documented: Record<string, { type: string; default?: string }> = reference.documented;
const documentedKeys = Object.keys(documented);

/** Every config obskit renders for Loki: both targets, on loopback, with other retentions. */
const variants = (): [string, Obj][] => [
  ['compose', renderLokiConfig(spec(), renderContext('compose'))],
  ['compose on loopback', renderLokiConfig(spec(), renderContext('compose', { listenHost: '127.0.0.1' }))],
  ['kubernetes, 30d', renderLokiConfig(spec({ retention: { logs: '30d' } }), renderContext('kubernetes'))],
  ['1d', renderLokiConfig(spec({ retention: { logs: '1d' } }), ctx)],
  ['ha, simple scalable on S3', renderLokiScalableConfig(haSpec, renderContext('kubernetes'))],
];

/** A string of a `<list of strings>` key (memberlist.join_members) is its list, documented as the whole. */
const listOfStrings = (path: string): string | undefined =>
  path.endsWith('[]') && documented[path.slice(0, -2)]?.type === '<list of strings>' ? path.slice(0, -2) : undefined;
const undocumented = (config: Obj): string[] => undocumentedKeys(config, documentedKeys).filter((p) => !listOfStrings(p));
/** The paths whose values get a type check: the leaves, a list of strings as a whole. */
const typedPaths = (config: Obj): string[] => [...new Set(keyPaths(config).filter(({ leaf }) => leaf).map(({ path }) => listOfStrings(path) ?? path))];

/** A documented default list (`[a b c]`) as its items. */
const listDefault = (path: string): string[] => {
  const value = documented[path]?.default;
  if (!value?.startsWith('[')) throw new Error(`${path} has no documented list default`);
  return value.slice(1, -1).split(' ').filter(Boolean);
};

/** Prometheus durations (model.Duration: what limits_config uses), and plain days for a schema period's `from`. */
const PROM_DURATION = /^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/;
const DAYTIME = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a value is of a documented placeholder type (configuration.md, "Generic placeholders"). */
function fitsType(value: unknown, type: string): boolean {
  switch (type) {
    case '<boolean>':
      return typeof value === 'boolean';
    case '<int>':
      return Number.isInteger(value);
    case '<float>':
      return typeof value === 'number' && Number.isFinite(value);
    case '<string>':
      return typeof value === 'string';
    case '<duration>':
      return value === 0 || (typeof value === 'string' && value !== '' && PROM_DURATION.test(value));
    case '<daytime>':
      return typeof value === 'string' && DAYTIME.test(value) && !Number.isNaN(Date.parse(value));
    case '<list of strings>':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    default:
      return false;
  }
}

/** Start-up validation Loki 3.7 applies to what obskit sets (reference.requirements): the problems, by rule. */
function requirementProblems(config: Obj): string[] {
  const problems: string[] = [];
  const periods = (get(config, 'schema_config.configs') as Obj[] | undefined) ?? [];
  const active = periods.filter((p) => Date.parse(String(p.from)) <= Date.now()).at(-1) ?? periods[0];
  if (!active) return ['no schema period'];
  if (get(config, 'limits_config.allow_structured_metadata') !== false) {
    // allow_structured_metadata defaults to true, so the rule applies unless it is switched off.
    const version = Number(/^v(\d+)$/.exec(String(active.schema))?.[1] ?? NaN);
    if (!(version >= 13)) problems.push('structuredMetadataNeedsV13');
    if (active.store !== 'tsdb') problems.push('structuredMetadataNeedsTsdb');
  }
  for (const p of periods) if (p.store === 'tsdb' && get(p, 'index.period') !== '24h') problems.push('tsdbIndexPeriod24h');
  if (get(config, 'compactor.retention_enabled') === true && !get(config, 'compactor.delete_request_store')) {
    problems.push('retentionNeedsDeleteRequestStore');
  }
  return problems;
}

describe('Loki reference data', () => {
  it('is for the pinned Loki version and names a source for everything it states', () => {
    expect(reference.version).toBe(versions.loki.tag);
    expect(reference.documentation.commit).toMatch(/^[0-9a-f]{40}$/);
    const ids = Object.keys(reference.sources);
    for (const url of Object.values(reference.sources)) expect(url).toMatch(/^https:\/\/github\.com\/grafana\/loki\/blob\//);
    const cited = [
      ...Object.values(reference.enums).map((e) => e.source),
      ...Object.values(reference.requirements).flatMap((r) => [r.source, ...('docSource' in r ? [r.docSource] : [])]),
      reference.otlp.source,
      reference.otlp.collectorEndpointSource,
      reference.otlpStructuredMetadata.source,
      reference.scalable.targetsSource,
      reference.scalable.s3CredentialsSource,
      reference.scalable.schedulerRingSource,
    ];
    for (const id of cited) expect([id, ids.includes(id)]).toEqual([id, true]);
  });

  it('documents every block obskit renders, with types', () => {
    for (const block of ['auth_enabled', 'server', 'common', 'schema_config', 'limits_config', 'compactor', 'analytics', 'memberlist']) {
      expect([block, documentedKeys.includes(block)]).toEqual([block, true]);
    }
    expect(documentedKeys.length).toBeGreaterThan(500);
    expect(documented['limits_config.retention_period']).toEqual({ type: '<duration>', default: '0s' });
    expect(documented['schema_config.configs[].from']).toEqual({ type: '<daytime>' });
  });

  it('is what the extractor makes of the documentation format', () => {
    const markdown = [
      '### Supported contents and default values of `loki.yaml`',
      '```yaml',
      '# A comment.',
      '[auth_enabled: <boolean> | default = true]',
      '[server: <server>]',
      'inline:',
      '  # CLI flag: -inline.size',
      '  [size: <int> | default = 5]',
      '[periods: <list of period_configs>]',
      '```',
      '### server',
      '```yaml',
      '[http_listen_port: <int> | default = 3100]',
      '```',
      '### period_config',
      '```yaml',
      '[from: <daytime>]',
      'index:',
      '  [period: <duration>]',
      '```',
    ].join('\n');
    expect(Object.fromEntries(keysOf(blocksOf(markdown), ''))).toEqual({
      auth_enabled: { type: '<boolean>', default: 'true' },
      server: { type: 'server' },
      'server.http_listen_port': { type: '<int>', default: '3100' },
      inline: { type: 'block' },
      'inline.size': { type: '<int>', default: '5' },
      periods: { type: 'list of period_config' },
      'periods[].from': { type: '<daytime>' },
      'periods[].index': { type: 'block' },
      'periods[].index.period': { type: '<duration>' },
    });
  });
});

describe('renderLokiConfig against the documentation', () => {
  it.each(variants())('%s: uses only documented keys', (_name, config) => {
    expect(undocumented(config)).toEqual([]);
  });

  it('flags a key the documentation does not have (a typo, or a block from another version)', () => {
    const config = renderLokiConfig(spec(), ctx);
    const typo = { ...config, limits_config: { ...(config.limits_config as Obj), retention_perod: '7d' } };
    expect(undocumentedKeys(typo, documentedKeys)).toEqual(['limits_config.retention_perod']);
    expect(undocumentedKeys({ ...config, ingester: { max_transfer_retries: 0 } }, documentedKeys)).toEqual(['ingester', 'ingester.max_transfer_retries']);
    // A list of strings is documented as a whole; a list of something else under that name is not.
    expect(undocumented({ ...config, memberlist: { join_members: ['a:7946'] } })).toEqual([]);
    expect(undocumented({ ...config, memberlist: { join_member: ['a:7946'] } })).toEqual(['memberlist.join_member', 'memberlist.join_member[]']);
    expect(fitsType([7946], '<list of strings>')).toBe(false);
  });

  it.each(variants())('%s: gives every key a value of its documented type', (_name, config) => {
    const leaves = typedPaths(config);
    expect(leaves.length).toBeGreaterThan(20);
    for (const path of leaves) {
      const type = documented[path]!.type;
      for (const value of valuesAt(config, path)) expect({ path, type, value, fits: fitsType(value, type) }).toEqual({ path, type, value, fits: true });
    }
  });

  it('notices a value of the wrong type', () => {
    expect(fitsType('3100', '<int>')).toBe(false);
    expect(fitsType('7 days', '<duration>')).toBe(false);
    expect(fitsType('true', '<boolean>')).toBe(false);
    expect(fitsType('2026-1-1', '<daytime>')).toBe(false);
  });

  it.each([['single', renderLokiConfig(spec(), ctx)] as const, ['scalable', renderLokiScalableConfig(haSpec, renderContext('kubernetes'))] as const])('%s: uses documented values for enumerated keys', (_name, config) => {
    for (const [path, { values: allowed }] of Object.entries(reference.enums)) {
      const values = valuesAt(config, path);
      expect(values.length).toBeGreaterThan(0);
      for (const v of values) expect([path, allowed.includes(v as string)]).toEqual([path, true]);
    }
  });

  it.each(variants())('%s: passes the validation Loki runs at start-up', (_name, config) => {
    expect(requirementProblems(config)).toEqual([]);
  });

  it('would fail that validation where Loki fails (so the check above means something)', () => {
    const config = renderLokiConfig(spec(), ctx);
    const [period] = get(config, 'schema_config.configs') as Obj[];
    const withPeriod = (change: Obj) => ({ ...config, schema_config: { configs: [{ ...period, ...change }] } });
    expect(requirementProblems(withPeriod({ schema: 'v12' }))).toEqual(['structuredMetadataNeedsV13']);
    expect(requirementProblems(withPeriod({ store: 'boltdb-shipper' }))).toEqual(['structuredMetadataNeedsTsdb']);
    expect(requirementProblems(withPeriod({ index: { prefix: 'index_', period: '168h' } }))).toEqual(['tsdbIndexPeriod24h']);
    const compactor = { ...(config.compactor as Obj) };
    delete compactor.delete_request_store;
    expect(requirementProblems({ ...config, compactor })).toEqual(['retentionNeedsDeleteRequestStore']);
    expect(Object.keys(reference.requirements).sort()).toEqual(
      ['retentionNeedsDeleteRequestStore', 'structuredMetadataNeedsTsdb', 'structuredMetadataNeedsV13', 'tsdbIndexPeriod24h'],
    );
  });
});

describe('renderLokiConfig behaviour', () => {
  const config = renderLokiConfig(spec(), ctx);

  it('runs as a single binary without auth on the context ports and listen address', () => {
    expect(config.auth_enabled).toBe(false);
    expect(documented.auth_enabled!.default).toBe('true'); // so it must be set
    expect(config.server).toEqual({ http_listen_address: '0.0.0.0', http_listen_port: 3100, grpc_listen_address: '0.0.0.0', grpc_listen_port: 9095 });
    expect(get(config, 'common.replication_factor')).toBe(1);
    expect(get(config, 'common.ring.kvstore.store')).toBe('inmemory');
    expect(get(config, 'common.instance_addr')).toBe('127.0.0.1');
    const moved: RenderContext = { ...ctx, listenHost: '127.0.0.1', ports: { ...ctx.ports, loki: { http: 13100, grpc: 19096 } } };
    expect(renderLokiConfig(spec(), moved).server).toEqual({
      http_listen_address: '127.0.0.1',
      http_listen_port: 13100,
      grpc_listen_address: '127.0.0.1',
      grpc_listen_port: 19096,
    });
  });

  it('keeps every file under the data path', () => {
    const moved: RenderContext = { ...ctx, paths: { ...ctx.paths, lokiData: '/data/loki' } };
    const rendered = renderLokiConfig(spec(), moved);
    expect(get(rendered, 'common.path_prefix')).toBe('/data/loki');
    const files = keyPaths(rendered)
      .filter(({ leaf }) => leaf)
      .map(({ path }) => get(rendered, path))
      .filter((v): v is string => typeof v === 'string' && v.startsWith('/'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) expect(f === '/data/loki' || f.startsWith('/data/loki/')).toBe(true);
    // The documented default working directory is outside it: it must be set.
    expect(documented['compactor.working_directory']!.default).toBe('"/var/loki/compactor"');
  });

  it('stores a tsdb v13 index on the filesystem with 24h periods from a fixed date', () => {
    expect(get(config, 'schema_config.configs')).toEqual([
      { from: LOKI_SCHEMA_FROM, store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } },
    ]);
    expect(LOKI_SCHEMA_FROM).toMatch(DAYTIME);
    expect(Date.parse(LOKI_SCHEMA_FROM)).toBeLessThanOrEqual(Date.parse(versions.loki.checked));
  });

  it('applies the spec log retention through the compactor, in whole days', () => {
    for (const logs of ['1d', '7d', '30d', '400d']) {
      const rendered = renderLokiConfig(spec({ retention: { logs } }), ctx);
      expect(get(rendered, 'limits_config.retention_period')).toBe(logs);
    }
    expect(get(config, 'limits_config.retention_period')).toBe(spec().retention.logs);
    // Retention only applies with the compactor's retention on (limits_config.retention_period's documentation).
    expect(get(config, 'compactor.retention_enabled')).toBe(true);
    expect(documented['compactor.retention_enabled']!.default).toBe('false');
    const [period] = get(config, 'schema_config.configs') as Obj[];
    expect(get(config, 'compactor.delete_request_store')).toBe(period?.object_store);
  });

  it('accepts OTLP logs with service.name as the service_name index label and trace ids as structured metadata', () => {
    expect(get(config, 'limits_config.allow_structured_metadata')).toBe(true);
    // service.name stays an index label only while the per-tenant otlp_config leaves the defaults alone.
    expect(get(config, 'limits_config.otlp_config')).toBeUndefined();
    expect(get(config, 'distributor')).toBeUndefined();
    expect(documented['limits_config.otlp_config.resource_attributes.ignore_defaults']!.default).toBe('false');
    // The stream labels the LogQL checker allows are the documented default index labels.
    expect(listDefault('distributor.otlp_config.default_resource_attributes_as_index_labels')).toEqual([...OTLP_DEFAULT_INDEX_ATTRIBUTES]);
    expect(reference.otlpStructuredMetadata.names).toEqual(['trace_id', 'span_id']);
    expect(get(config, 'limits_config.volume_enabled')).toBe(true);
  });

  it('limits ingestion as intake.loki says (Loki’s own defaults unless the spec changes them)', () => {
    const limits = (s: StackSpec) => (renderLokiConfig(s, ctx) as Obj).limits_config as Obj;
    expect(limits(spec())).toMatchObject({
      ingestion_rate_mb: 4,
      ingestion_burst_size_mb: 6,
      max_line_size: 262_144,
      max_label_names_per_series: 15,
      max_global_streams_per_user: 5000,
    });
    const tuned = spec({ intake: { loki: { ingestionRateMb: 16, ingestionBurstSizeMb: 32, maxStreams: 20_000 } } });
    expect(limits(tuned)).toMatchObject({ ingestion_rate_mb: 16, ingestion_burst_size_mb: 32, max_global_streams_per_user: 20_000 });
  });

  it('keeps the defaults the Logs dashboard relies on: detected log levels, and enough structured metadata per line', () => {
    expect(get(config, 'limits_config.discover_log_levels')).toBeUndefined();
    expect(documented['limits_config.discover_log_levels']!.default).toBe('true');
    // A demo log record: its attributes, trace_id, span_id, severity and observed time as structured metadata.
    expect(get(config, 'limits_config.max_structured_metadata_entries_count')).toBeUndefined();
    expect(Number(documented['limits_config.max_structured_metadata_entries_count']!.default)).toBeGreaterThanOrEqual(32);
  });

  it('is where the collector sends logs: Loki’s native OTLP endpoint', () => {
    for (const target of ['compose', 'kubernetes'] as const) {
      const c = renderContext(target);
      const exporter = get(renderCollectorConfig(spec(), c), 'exporters') as Obj;
      const endpoint = get(exporter['otlp_http/loki'], 'endpoint');
      expect(endpoint).toBe(`http://${address(c, 'loki', 'http')}${reference.otlp.collectorEndpointSuffix}`);
      // The otlphttp exporter appends /v1/logs: the path Loki serves.
      expect(`${String(endpoint)}/v1/logs`).toBe(`http://${address(c, 'loki', 'http')}${reference.otlp.pushPath}`);
    }
  });

  it('does not phone home and is deterministic', () => {
    expect(get(config, 'analytics.reporting_enabled')).toBe(false);
    expect(documented['analytics.reporting_enabled']!.default).toBe('true');
    expect(toYaml(renderLokiConfig(spec(), ctx))).toBe(toYaml(renderLokiConfig(spec(), ctx)));
  });
});

describe('renderLokiScalableConfig (the ha profile with object storage)', () => {
  const k8s = renderContext('kubernetes');
  const config = renderLokiScalableConfig(haSpec, k8s);

  it('is used only in the ha profile with object storage', () => {
    expect(lokiScalable(haSpec)).toBe(true);
    expect(lokiScalable(haExternalStoreSpec)).toBe(false);
    expect(lokiScalable(spec())).toBe(false);
    expect(() => renderLokiScalableConfig(spec(), k8s)).toThrow(/ha\.objectStorage/);
  });

  it('runs the documented targets, one config for all three', () => {
    expect(Object.keys(reference.scalable.targets).sort()).toEqual(['backend', 'read', 'write']);
    for (const [component, target] of [['loki-write', 'write'], ['loki-read', 'read'], ['loki-backend', 'backend']] as const) {
      expect(lokiScalableArgs(component, { configFile: '/etc/loki/loki.yaml' })).toEqual(['-config.file=/etc/loki/loki.yaml', `-target=${target}`]);
    }
    // The write target holds the ingesters that the replication factor copies streams to; backend the compactor.
    expect(reference.scalable.targets.write).toContain('ingester');
    expect(reference.scalable.targets.backend).toEqual(expect.arrayContaining(['compactor', 'index-gateway', 'query-scheduler']));
  });

  it('keeps chunks and index in the spec’s bucket, with no credentials in the file', () => {
    expect(get(config, 'common.storage')).toEqual({
      s3: { bucketnames: 'obskit-metrics', endpoint: 's3.eu-west-1.amazonaws.com', region: 'eu-west-1', insecure: false, s3forcepathstyle: false },
    });
    expect(get(config, 'schema_config.configs[0]')).toBeUndefined();
    expect((get(config, 'schema_config.configs') as Obj[])[0]).toMatchObject({ from: LOKI_SCHEMA_FROM, object_store: 's3', store: 'tsdb', schema: 'v13' });
    expect(get(config, 'compactor.delete_request_store')).toBe('s3');
    expect(toYaml(config)).not.toMatch(/access_key|secret|session_token/);
    // Loki then takes them from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (the pods read them from the Secret).
    expect(reference.scalable.s3Credentials).toMatch(/AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    const minio = resolveSpec({ ...base, profile: 'ha', ha: { objectStorage: { ...haSpec.ha.objectStorage!, endpoint: 'minio.storage.svc:9000', insecure: true } } });
    expect(get(renderLokiScalableConfig(minio, k8s), 'common.storage.s3')).toMatchObject({ endpoint: 'minio.storage.svc:9000', insecure: true, s3forcepathstyle: true });
  });

  it('keeps its rings on memberlist through the headless Service, with the spec’s replication factor', () => {
    expect(get(config, 'common.ring.kvstore.store')).toBe('memberlist');
    expect(get(config, 'memberlist.join_members')).toEqual(['dns+loki-memberlist:7946']);
    expect(documented['memberlist.bind_port']!.default).toBe(String(get(config, 'memberlist.bind_port')));
    expect(get(config, 'common.replication_factor')).toBe(3);
    const two = resolveSpec({ ...base, profile: 'ha', ha: { objectStorage: haSpec.ha.objectStorage, loki: { writeReplicas: 2, replicationFactor: 2 } } });
    expect(get(renderLokiScalableConfig(two, k8s), 'common.replication_factor')).toBe(2);
    // Ring members advertise their pod address (eth0), not the single binary's 127.0.0.1.
    expect(get(config, 'common.instance_addr')).toBeUndefined();
    expect(get(config, 'common.compactor_address')).toBe('http://loki-backend:3100');
  });

  it('keeps the single binary’s limits and retention', () => {
    expect(config.limits_config).toEqual(renderLokiConfig(haSpec, k8s).limits_config);
    expect(get(config, 'compactor.retention_enabled')).toBe(true);
  });
});
