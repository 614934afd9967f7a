import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderContext, type RenderContext } from '../../src/config/context';
import { LOKI_SCHEMA_FROM, renderLokiConfig } from '../../src/config/loki';
import { toYaml } from '../../src/output/yaml';
import { resolveSpec, versions, type StackSpec } from '../../src/spec';
import { describeWithTools, runTool } from '../support/tools';
import { get, keyPaths, undocumentedKeys, valuesAt, type Obj } from '../support/reference-keys';
import reference from './reference/loki-3.7.8.json';

const base = { namespace: 'observability', services: [{ name: 'api', port: 8080 }] };
const spec = (extra: object = {}): StackSpec => resolveSpec({ ...base, ...extra });
const ctx = renderContext('compose');



const documentedKeys = Object.keys(reference.keys);

describe('Loki reference data', () => {
  it('is for the pinned Loki version and names a source URL for every key', () => {
    expect(reference.version).toBe(versions.loki.tag);
    const ids = Object.keys(reference.sources);
    for (const [key, source] of Object.entries(reference.keys)) expect([key, ids.includes(source)]).toEqual([key, true]);
    for (const url of Object.values(reference.sources)) expect(url).toMatch(/^https:\/\//);
  });
});

describe('renderLokiConfig', () => {
  const config = renderLokiConfig(spec(), ctx);

  it('uses only keys documented for Loki 3.7.8', () => {
    expect(undocumentedKeys(config, documentedKeys)).toEqual([]);
  });

  it('flags a key the reference does not document', () => {
    const withOldKey = { ...config, table_manager: { retention_deletes_enabled: true } };
    expect(undocumentedKeys(withOldKey, documentedKeys)).toEqual(['table_manager', 'table_manager.retention_deletes_enabled']);
  });

  it('uses documented values for enumerated keys', () => {
    for (const [path, allowed] of Object.entries(reference.enums)) {
      const values = valuesAt(config, path);
      expect(values.length).toBeGreaterThan(0);
      for (const v of values) expect([path, allowed.includes(v as string)]).toEqual([path, true]);
    }
  });

  it('runs as a single binary without auth on the context ports and listen address', () => {
    expect(config.auth_enabled).toBe(false);
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
  });

  it('stores a tsdb v13 index on the filesystem with 24h periods from a fixed date', () => {
    expect(get(config, 'schema_config.configs')).toEqual([
      { from: LOKI_SCHEMA_FROM, store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } },
    ]);
    expect(LOKI_SCHEMA_FROM).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Date.parse(LOKI_SCHEMA_FROM)).toBeLessThanOrEqual(Date.parse(versions.loki.checked));
  });

  it('applies the spec log retention through the compactor', () => {
    expect(get(config, 'limits_config.retention_period')).toBe('7d');
    expect(get(renderLokiConfig(spec({ retention: { logs: '30d' } }), ctx), 'limits_config.retention_period')).toBe('30d');
    expect(get(config, 'compactor.retention_enabled')).toBe(true);
    // Loki 3 refuses retention without a store for delete requests.
    const [period] = get(config, 'schema_config.configs') as Obj[];
    expect(get(config, 'compactor.delete_request_store')).toBe(period?.object_store);
  });

  it('accepts OTLP logs with service.name as the service_name index label and trace ids as structured metadata', () => {
    expect(get(config, 'limits_config.allow_structured_metadata')).toBe(true);
    // service.name stays an index label only while the per-tenant otlp_config leaves the defaults alone.
    expect(get(config, 'limits_config.otlp_config')).toBeUndefined();
    expect(reference.reliedOnDefaults['limits_config.otlp_config.resource_attributes.ignore_defaults']).toBe(false);
    expect(reference.reliedOnDefaults['distributor.otlp_config.default_resource_attributes_as_index_labels']).toContain('service.name');
    expect(reference.reliedOnDefaults.otlpStructuredMetadata.names).toContain('trace_id');
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
      max_structured_metadata_entries_count: 128,
    });
    const tuned = spec({ intake: { loki: { ingestionRateMb: 16, ingestionBurstSizeMb: 32, maxStreams: 20_000 } } });
    expect(limits(tuned)).toMatchObject({ ingestion_rate_mb: 16, ingestion_burst_size_mb: 32, max_global_streams_per_user: 20_000 });
  });

  it('does not phone home and is deterministic', () => {
    expect(get(config, 'analytics.reporting_enabled')).toBe(false);
    expect(toYaml(renderLokiConfig(spec(), ctx))).toBe(toYaml(renderLokiConfig(spec(), ctx)));
  });
});

/**
 * The real check: Loki built from its Go module (github.com/grafana/loki/v3 at the pinned version by
 * `npm run tools`) parses and validates the rendered file.
 */
describeWithTools('loki -verify-config', ['loki'], ({ loki: lokiBinary }) => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'obskit-loki-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const verify = (config: unknown): string => {
    const file = join(dir, 'loki.yaml');
    writeFileSync(file, toYaml(config));
    return runTool(lokiBinary, [`-config.file=${file}`, '-verify-config']);
  };

  it('accepts the rendered config for both targets, and on loopback', () => {
    expect(() => verify(renderLokiConfig(spec(), renderContext('compose')))).not.toThrow();
    expect(() => verify(renderLokiConfig(spec(), renderContext('compose', { listenHost: '127.0.0.1' })))).not.toThrow();
    expect(() => verify(renderLokiConfig(spec({ retention: { logs: '30d' } }), renderContext('kubernetes')))).not.toThrow();
  });

  it('rejects an unknown key (so the check above means something)', () => {
    const config = renderLokiConfig(spec(), ctx);
    expect(() => verify({ ...config, limits_config: { ...(config.limits_config as Obj), retention_perod: '7d' } })).toThrow(
      /retention_perod/,
    );
  });

  it('rejects retention without a delete request store (Loki validates, not only parses)', () => {
    const config = renderLokiConfig(spec(), ctx);
    const compactor = { ...(config.compactor as Obj) };
    delete compactor.delete_request_store;
    expect(() => verify({ ...config, compactor })).toThrow(/delete-request-store/);
  });
});
