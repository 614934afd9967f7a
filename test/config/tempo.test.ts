import { renderContext, type RenderContext } from '../../src/config/context';
import { renderGrafanaDatasources } from '../../src/config/grafana';
import { TEMPO_TARGETS, renderTempoConfig, renderTempoMicroservicesConfig, tempoMicroservicesArgs } from '../../src/config/tempo';
import { toYaml } from '../../src/output/yaml';
import { TEMPO_MICROSERVICES_COMPONENTS, resolveSpec, versions, type StackSpec } from '../../src/spec';
import { find, manifests } from '../charts/manifests';
import { haSpec, haSpecInput } from '../fixtures/ha-spec';
import { get, keyPaths, undocumentedKeys, type Obj } from '../support/reference-keys';
import reference from './reference/tempo-3.1.0.json';

const base = { namespace: 'observability', services: [{ name: 'api', port: 8080 }] };
const spec = (extra: object = {}): StackSpec => resolveSpec({ ...base, ...extra });
const ctx = renderContext('compose');


const documentedKeys = Object.keys(reference.keys);
const sourceIds = Object.keys(reference.sources);

describe('Tempo reference data', () => {
  it('is for the pinned Tempo version', () => {
    expect(reference.version).toBe(versions.tempo.tag);
    expect(versions.tempo.tag).toMatch(/^3\.\d+\.\d+$/);
  });

  it('names a source with a URL for every key', () => {
    for (const [key, source] of Object.entries(reference.keys)) {
      expect([key, sourceIds.includes(source)]).toEqual([key, true]);
    }
    for (const url of Object.values(reference.sources)) expect(url).toMatch(/^https:\/\//);
  });
});

describe('renderTempoConfig', () => {
  const config = renderTempoConfig(spec(), ctx);

  it('uses only keys documented for Tempo 3', () => {
    expect(undocumentedKeys(config, documentedKeys)).toEqual([]);
  });

  it('flags a key the reference does not document', () => {
    const withTempo2Block = { ...config, ingester: { max_block_duration: '5m' } };
    expect(undocumentedKeys(withTempo2Block, documentedKeys)).toEqual(['ingester', 'ingester.max_block_duration']);
    const typo = { ...config, server: { http_listen_prot: 3200 } };
    expect(undocumentedKeys(typo, documentedKeys)).toContain('server.http_listen_prot');
  });

  it('contains none of the blocks Tempo 3 removed', () => {
    for (const key of reference.removedIn3.keys) expect([key, get(config, key)]).toEqual([key, undefined]);
  });

  it('converts trace retention to a Go duration for the scheduler and the worker', () => {
    const retentionOf = (traces: string) => {
      const rendered = renderTempoConfig(spec({ retention: { traces } }), ctx);
      const worker = get(rendered, 'backend_worker.compaction.block_retention');
      expect(get(rendered, 'backend_scheduler.provider.compaction.compaction.block_retention')).toBe(worker);
      return worker;
    };
    expect(retentionOf('3d')).toBe('72h');
    expect(retentionOf('36h')).toBe('36h');
    expect(retentionOf('1w')).toBe('168h');
    expect(retentionOf('90m')).toBe('1h30m');
  });

  it('writes every duration with Go units only', () => {
    const goDuration = new RegExp(`^(\\d+(${reference.durations.units.join('|')}))+$`);
    const durations = keyPaths(config)
      .filter(({ path, leaf }) => leaf && /retention$/.test(path))
      .map(({ path }) => get(config, path.replaceAll('[]', '')));
    expect(durations.length).toBeGreaterThan(0);
    for (const d of durations) expect(d).toMatch(goDuration);
  });

  it('remote-writes span metrics and service graphs to Prometheus with exemplars', () => {
    const [target, ...more] = get(config, 'metrics_generator.storage.remote_write') as Obj[];
    expect(more).toEqual([]);
    expect(target).toEqual({ url: 'http://prometheus:9090/api/v1/write', send_exemplars: true });

    const processors = get(config, 'overrides.defaults.metrics_generator.processors') as string[];
    expect([...processors].sort()).toEqual(['service-graphs', 'span-metrics']);
    for (const p of processors) expect(reference.metricsProcessors.values).toContain(p);
  });

  it('follows the context for Prometheus, ports and paths', () => {
    const moved: RenderContext = {
      ...ctx,
      hosts: { ...ctx.hosts, prometheus: 'prom.observability.svc' },
      ports: { ...ctx.ports, prometheus: { http: 19090 }, tempo: { http: 13200, grpc: 19095, otlpGrpc: 14317, otlpHttp: 14318 } },
      paths: { ...ctx.paths, tempoData: '/data/tempo' },
    };
    const rendered = renderTempoConfig(spec(), moved);
    expect(get(rendered, 'metrics_generator.storage.remote_write')).toEqual([
      { url: 'http://prom.observability.svc:19090/api/v1/write', send_exemplars: true },
    ]);
    expect(get(rendered, 'server')).toEqual({ http_listen_port: 13200, grpc_listen_port: 19095 });
    expect(get(rendered, 'distributor.receivers.otlp.protocols')).toEqual({
      grpc: { endpoint: '0.0.0.0:14317' },
      http: { endpoint: '0.0.0.0:14318' },
    });
    const filesystemPaths = keyPaths(rendered)
      .filter(({ leaf }) => leaf)
      .map(({ path }) => get(rendered, path))
      .filter((v): v is string => typeof v === 'string' && v.startsWith('/'));
    expect(filesystemPaths.length).toBeGreaterThanOrEqual(6);
    for (const p of filesystemPaths) expect(p.startsWith('/data/tempo/')).toBe(true);
    expect(new Set(filesystemPaths).size).toBe(filesystemPaths.length);
  });

  it('stores blocks and WAL on local disk in the data directory the Tempo image creates for its user', () => {
    expect(get(config, 'storage.trace')).toEqual({
      backend: 'local',
      wal: { path: '/var/tempo/wal' },
      local: { path: '/var/tempo/blocks' },
    });
  });

  it('sets the ingestion limits from intake.tempo (Tempo\'s own defaults unless the spec says otherwise)', () => {
    expect(get(config, 'overrides.defaults.ingestion')).toEqual({ rate_limit_bytes: 30_000_000, burst_size_bytes: 30_000_000, max_traces_per_user: 10_000 });
    expect(get(config, 'overrides.defaults.global.max_bytes_per_trace')).toBe(5_000_000);
    const tuned = renderTempoConfig(spec({ intake: { tempo: { rateLimitBytes: 1_000_000, burstSizeBytes: 2_000_000, maxTracesPerUser: 0 } } }), ctx);
    expect(get(tuned, 'overrides.defaults.ingestion')).toEqual({ rate_limit_bytes: 1_000_000, burst_size_bytes: 2_000_000, max_traces_per_user: 0 });
  });

  it('labels exemplars trace_id, the name the Grafana Prometheus datasource links by', () => {
    const label = get(config, 'overrides.defaults.metrics_generator.trace_id_label_name');
    expect(label).toBe('trace_id');
    const prometheus = (renderGrafanaDatasources(spec(), ctx).datasources as Obj[]).find((d) => d.uid === 'prometheus');
    const destinations = get(prometheus, 'jsonData.exemplarTraceIdDestinations') as Obj[];
    expect(destinations.map((d) => d.name)).toEqual([label]);
  });

  it('adds the stack-wide service_name label to span metrics from service.name', () => {
    expect(get(config, 'metrics_generator.processor.span_metrics.dimension_mappings')).toEqual([
      { name: 'service_name', source_labels: ['service.name'] },
    ]);
  });

  it('is deterministic', () => {
    expect(toYaml(renderTempoConfig(spec(), ctx))).toBe(toYaml(renderTempoConfig(spec(), ctx)));
  });
});

describe('renderTempoMicroservicesConfig (ha with object storage)', () => {
  const k8s = renderContext('kubernetes');
  const config = renderTempoMicroservicesConfig(haSpec, k8s);

  it('uses only keys documented for Tempo 3', () => {
    expect(undocumentedKeys(config, documentedKeys)).toEqual([]);
    for (const key of reference.removedIn3.keys) expect([key, get(config, key)]).toEqual([key, undefined]);
  });

  it('runs each component with a -target Tempo knows', () => {
    for (const c of TEMPO_MICROSERVICES_COMPONENTS) {
      const target = tempoMicroservicesArgs(c, { configFile: '/etc/tempo/tempo.yaml' }).find((a) => a.startsWith('-target='))!.slice('-target='.length);
      expect(reference.microservices.targets).toContain(target);
    }
    expect(new Set(Object.values(TEMPO_TARGETS)).size).toBe(reference.microservices.targets.length);
  });

  it('holds no S3 key: the pods read them from the environment names Tempo\'s credential chain reads', () => {
    expect(get(config, 'storage.trace.s3.access_key')).toBeUndefined();
    expect(get(config, 'storage.trace.s3.secret_key')).toBeUndefined();
    const env = (find(manifests(haSpec), 'Deployment', 'tempo-querier').spec.template.spec.containers[0].env as { name: string; valueFrom?: object }[])
      .filter((e) => e.valueFrom && 'secretKeyRef' in e.valueFrom)
      .map((e) => e.name);
    expect(env.sort()).toEqual([...reference.microservices.s3CredentialEnv.names].sort());
  });

  it('places each live-store zone with the flag Tempo\'s ring reads', () => {
    const k8sObjects = manifests(haSpec);
    for (const zone of ['zone-a', 'zone-b']) {
      const args = find(k8sObjects, 'StatefulSet', `tempo-live-store-${zone}`).spec.template.spec.containers[0].args as string[];
      expect(args).toContain(`${reference.microservices.liveStoreZoneFlag.flag}=${zone}`);
    }
  });

  it('gives every block-builder the same share of the partitions, one per live-store', () => {
    const withSix = resolveSpec({ ...haSpecInput, ha: { ...haSpecInput.ha, tempo: { liveStoreReplicas: 6, blockBuilderReplicas: 3 } } });
    const rendered = renderTempoMicroservicesConfig(withSix, k8s);
    expect(get(rendered, 'block_builder.partitions_per_instance')).toBe(2);
    expect(get(rendered, 'ingest.kafka.auto_create_topic_default_partitions')).toBe(6);
  });

  it('keeps the single binary\'s limits, generator and retention', () => {
    const single = renderTempoConfig(haSpec, k8s);
    expect(config.overrides).toEqual(single.overrides);
    expect(config.metrics_generator).toEqual(single.metrics_generator);
    expect(get(config, 'backend_worker.compaction.block_retention')).toBe(get(single, 'backend_worker.compaction.block_retention'));
  });
});
