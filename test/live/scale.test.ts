/**
 * The live test of the `ha` profile's scale path (issue 14), on 127.0.0.1 and free ports: two Prometheus replicas
 * (the pinned Prometheus) scrape the same target and remote-write into two Thanos Receive members (the pinned
 * Thanos, built from its Go module by tools/install.sh) forming one hashring with replication factor 2; Thanos Query
 * reads both and deduplicates; two Alertmanager replicas (the pinned Alertmanager) form a gossip cluster, and both
 * Prometheus replicas send their alerts to both.
 *
 * Every config and flag is what obskit renders for a fixture spec with `profile: 'ha'`, through the same renderers
 * Kubernetes uses; the context gives loopback addresses (each replica its own ports and folders) where Kubernetes
 * names pods through headless Services, and compose's static scrape jobs stand in for Kubernetes discovery.
 * Prometheus's `replica` external label is expanded from POD_NAME, set per process as the pod's env would be.
 * Every process runs in its own process group, stopped in afterAll.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { renderedRuleFiles } from '../../src/alerts';
import { alertmanagerArgs, renderAlertmanagerConfig } from '../../src/config/alertmanager';
import { renderContext, type RenderContext } from '../../src/config/context';
import { PROMETHEUS_REPLICA_ENV, type HaAddresses } from '../../src/config/ha';
import { prometheusArgs, renderPrometheusConfig } from '../../src/config/prometheus';
import {
  queryArgs,
  receiveArgs,
  renderHashrings,
  renderQueryEndpoints,
  RECEIVE_REPLICA_LABEL,
  PROMETHEUS_REPLICA_LABEL,
  type ReceiveMember,
} from '../../src/config/thanos';
import { buildDashboards } from '../../src/dashboards';
import { panelsOf, substituteVariables } from '../../src/dashboards/check';
import { http as httpMixin, logsTraces, stackHealth } from '../../src/mixins';
import { toYaml } from '../../src/output/yaml';
import type { StackSpec } from '../../src/spec';
import { describeWithTools } from '../support/tools';
import { waitFor } from './support/api';
import { freePorts, Processes, waitUntilReady, type Managed } from './support/processes';
import { liveContext, livePorts, resolve } from './support/stack';

const SERVICE = 'shop';
/** The counter the target serves: it grows by TICK every second, so its true rate is TICK per second. */
const COUNTER = 'scale_test_ticks_total';
const TICK = 10;
const WEBHOOK_SECRET = { name: 'live-webhooks', key: 'watchdog-url' } as const;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

interface QueryResult {
  readonly status: string;
  readonly warnings?: string[];
  readonly data: { resultType: string; result: { metric: Record<string, string>; value?: [number, string]; values?: [number, string][] }[] };
}

/** Thanos Query's Prometheus API; `dedup` as Grafana would send it (on, the default) or off. */
async function thanosQuery(base: string, path: 'query' | 'query_range', params: Record<string, string>): Promise<QueryResult> {
  const res = await fetch(`${base}/api/v1/${path}?${new URLSearchParams(params)}`, { signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${path} ${JSON.stringify(params)}: ${res.status} ${text}`);
  return JSON.parse(text) as QueryResult;
}

/** The scrape target: COUNTER grows by TICK per second since the server started. */
async function startTarget(): Promise<{ port: number; server: Server }> {
  const started = Date.now();
  const server = createServer((_req, res) => {
    const value = Math.floor((Date.now() - started) / 1000) * TICK;
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`# TYPE ${COUNTER} counter\n${COUNTER} ${value}\n`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, server };
}

/** The webhook receiver: every notification Alertmanager posts, in order, with when it came. */
async function startWebhook(): Promise<{ port: number; server: Server; calls: (Json & { receivedAt: number })[] }> {
  const calls: (Json & { receivedAt: number })[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      calls.push({ ...(JSON.parse(body) as Json), receivedAt: Date.now() });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, server, calls };
}

const close = (server: Server | undefined) => new Promise<void>((r) => (server ? server.close(() => r()) : r()));

describeWithTools('live scale path: Prometheus pair → Thanos Receive hashring → Thanos Query; Alertmanager cluster', ['prometheus', 'alertmanager', 'thanos'], (tools) => {
  const procs = new Processes();
  let dir: string;
  let spec: StackSpec;
  let target: Awaited<ReturnType<typeof startTarget>>;
  let webhook: Awaited<ReturnType<typeof startWebhook>>;
  let queryBase: string;
  const receives: Managed[] = [];
  /** What the run saw, printed after it (docs/scaling.md quotes it). */
  const summary: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obskit-scale-'));
    target = await startTarget();
    webhook = await startWebhook();
    const pool = await freePorts(40);
    let next = 0;
    const free = () => pool[next++]!;
    const base = liveContext(livePorts(free), dir);

    const member = (i: number): ReceiveMember => {
      const grpc = `127.0.0.1:${free()}`;
      return {
        name: `thanos-receive-${i}`,
        endpoint: grpc,
        listen: { grpc, http: `127.0.0.1:${free()}`, remoteWrite: `127.0.0.1:${free()}`, capnproto: `127.0.0.1:${free()}` },
      };
    };
    const members = [member(0), member(1)];
    const query = { grpc: `127.0.0.1:${free()}`, http: `127.0.0.1:${free()}` };
    const alertmanagerPorts = [0, 1].map(() => ({ http: free(), cluster: free() }));
    const ha: HaAddresses = {
      thanos: {
        members,
        // Kubernetes writes through the Receive Service; here straight to member 0, the one that stays up.
        remoteWriteUrl: `http://${members[0]!.listen.remoteWrite}/api/v1/receive`,
        queryListen: query,
        queryUrl: `http://${query.http}`,
      },
      alertmanagers: alertmanagerPorts.map((p) => `127.0.0.1:${p.http}`),
      alertmanagerPeers: alertmanagerPorts.map((p) => `127.0.0.1:${p.cluster}`),
      alertmanagerAdvertiseHost: '127.0.0.1',
    };
    // Prometheus scrapes Receive and Query through their Services in Kubernetes; here member 0 and Query themselves.
    const portOf = (address: string) => Number(address.split(':')[1]);
    const ctx: RenderContext = {
      ...base,
      ha,
      ports: {
        ...base.ports,
        'thanos-receive': { ...base.ports['thanos-receive'], http: portOf(members[0]!.listen.http) },
        'thanos-query': { grpc: portOf(query.grpc), http: portOf(query.http) },
      },
    };
    queryBase = ha.thanos.queryUrl;

    spec = resolve({
      namespace: 'observability',
      environment: 'live',
      profile: 'ha',
      ha: { thanosReceive: { replicas: 2, replicationFactor: 2 }, alertmanagerReplicas: 2 },
      scrapeInterval: '1s',
      evaluationInterval: '1s',
      services: [{ name: SERVICE, host: '127.0.0.1', port: target.port, mixins: [httpMixin()] }],
      mixins: [stackHealth(), logsTraces()],
      alerting: {
        receivers: [{ name: 'watchdog', type: 'webhook', url: WEBHOOK_SECRET }],
        watchdogReceiver: 'watchdog',
        groupWait: '1s',
        groupInterval: '2s',
        repeatInterval: '1h',
      },
    });

    // Thanos: the hashring and Query's endpoints, both naming the members.
    writeFileSync(join(dir, 'hashrings.json'), renderHashrings(ha.thanos));
    writeFileSync(join(dir, 'endpoints.yaml'), toYaml(renderQueryEndpoints(ha.thanos)));
    members.forEach((m, i) => {
      const p = procs.start(m.name, tools.thanos, receiveArgs(spec, m, { hashrings: join(dir, 'hashrings.json'), dataDir: join(dir, `receive-${i}`) }));
      receives.push(p);
    });
    const queryProc = procs.start('thanos-query', tools.thanos, queryArgs(ha.thanos, { endpoints: join(dir, 'endpoints.yaml') }));
    for (const [i, p] of receives.entries()) await waitUntilReady(p, `http://${members[i]!.listen.http}/-/ready`);
    await waitUntilReady(queryProc, `${queryBase}/-/ready`);

    // The Alertmanager pair, reading the webhook URL from the secret file as in Kubernetes.
    mkdirSync(join(ctx.paths.alertmanagerSecrets, WEBHOOK_SECRET.name), { recursive: true });
    writeFileSync(join(ctx.paths.alertmanagerSecrets, WEBHOOK_SECRET.name, WEBHOOK_SECRET.key), `http://127.0.0.1:${webhook.port}/`);
    for (const [i, ports] of alertmanagerPorts.entries()) {
      const amCtx: RenderContext = { ...ctx, ports: { ...ctx.ports, alertmanager: ports } };
      writeFileSync(join(dir, `alertmanager-${i}.yml`), toYaml(renderAlertmanagerConfig(spec, amCtx)));
      const am = procs.start(`alertmanager-${i}`, tools.alertmanager, alertmanagerArgs(spec, amCtx, { configFile: join(dir, `alertmanager-${i}.yml`), dataDir: join(dir, `am-${i}`) }));
      await waitUntilReady(am, `http://127.0.0.1:${ports.http}/-/ready`);
    }

    // The Prometheus pair: the same config, the replica named by POD_NAME.
    mkdirSync(ctx.paths.prometheusRules, { recursive: true });
    for (const [file, content] of Object.entries(renderedRuleFiles(spec))) writeFileSync(join(ctx.paths.prometheusRules, file), content);
    for (const i of [0, 1]) {
      const promCtx: RenderContext = { ...ctx, ports: { ...ctx.ports, prometheus: { http: free() } } };
      writeFileSync(join(dir, `prometheus-${i}.yml`), toYaml(renderPrometheusConfig(spec, promCtx)));
      const prom = procs.start(`prometheus-${i}`, tools.prometheus, prometheusArgs(spec, promCtx, { configFile: join(dir, `prometheus-${i}.yml`), dataDir: join(dir, `prom-${i}`) }), {
        env: { ...process.env, [PROMETHEUS_REPLICA_ENV]: `prometheus-${i}` },
      });
      await waitUntilReady(prom, `http://127.0.0.1:${promCtx.ports.prometheus.http}/-/ready`);
    }
  }, 120_000);

  afterAll(async () => {
    await procs.stopAll();
    process.stderr.write(`live scale test:\n${summary.map((l) => `  ${l}`).join('\n')}\nstopped: ${procs.stops.map((s) => `${s.name} ${s.ms} ms${s.killed ? ' (SIGKILL)' : ''}`).join(', ')}\n`);
    await close(target?.server);
    await close(webhook?.server);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const instant = (expr: string, extra: Record<string, string> = {}) => thanosQuery(queryBase, 'query', { query: expr, ...extra });

  it('runs the ha parts of the Prometheus config Kubernetes gets, with only the addresses changed', () => {
    const k8s = renderPrometheusConfig(spec, renderContext('kubernetes')) as Json;
    const live = parseYaml(readFileSync(join(dir, 'prometheus-0.yml'), 'utf8')) as Json;
    const replicaLabel = { [PROMETHEUS_REPLICA_LABEL]: `\${${PROMETHEUS_REPLICA_ENV}}` };
    expect((k8s.global as Json).external_labels).toMatchObject(replicaLabel);
    expect((live.global as Json).external_labels).toMatchObject(replicaLabel);
    const path = (config: Json) => (config.remote_write as { url: string }[]).map((w) => new URL(w.url).pathname);
    expect(path(live)).toEqual(path(k8s));
    expect((live.alerting as Json).alert_relabel_configs).toEqual((k8s.alerting as Json).alert_relabel_configs);
    const targets = (config: Json) => ((config.alerting as Json).alertmanagers as { static_configs: { targets: string[] }[] }[])[0]!.static_configs[0]!.targets;
    expect(targets(live)).toHaveLength(2);
    expect(targets(k8s)).toEqual(['alertmanager-0.alertmanager-headless:9093', 'alertmanager-1.alertmanager-headless:9093']);
  });

  it('the Alertmanager pair notifies once for an alert both Prometheus replicas send to both', async () => {
    const first = await waitFor('the Watchdog notification', () => (webhook.calls.length > 0 ? webhook.calls[0] : undefined), 90_000);
    expect(((first.alerts as Json[])[0]!.labels as Json).alertname).toBe('Watchdog');
    expect(first.alerts as Json[]).toHaveLength(1);
    // The second replica in the cluster waits its peer timeout (15s), then finds the notification in the shared log;
    // without the cluster it would notify then. (The Watchdog's own repeat comes after 1m, outside this window.)
    await new Promise((r) => setTimeout(r, 25_000));
    const window = webhook.calls.filter((c) => c.receivedAt - first.receivedAt < 25_000);
    summary.push(`webhook calls within 25 s of the first Watchdog notification: ${window.length}`);
    expect(window.map((c) => (c.alerts as Json[]).map((a) => (a.labels as Json).alertname))).toEqual([['Watchdog']]);
  }, 150_000);
  it('Thanos Query deduplicates the replicas: one series, and the rate is not doubled', async () => {
    // Both Prometheus replicas' samples, each on both Receive members: four copies without deduplication.
    const copies = await waitFor('four copies of the counter in Thanos', async () => {
      const r = await instant(COUNTER, { dedup: 'false' });
      return r.data.result.length === 4 ? r.data.result : undefined;
    }, 60_000);
    const pairs = copies.map((s) => `${s.metric[PROMETHEUS_REPLICA_LABEL]}/${s.metric[RECEIVE_REPLICA_LABEL]}`).sort();
    expect(pairs).toEqual(['prometheus-0/thanos-receive-0', 'prometheus-0/thanos-receive-1', 'prometheus-1/thanos-receive-0', 'prometheus-1/thanos-receive-1']);

    // Enough samples for a 10s rate window.
    await waitFor('a rate over the counter', async () => ((await instant(`rate(${COUNTER}[10s])`)).data.result.length > 0 ? true : undefined), 30_000);
    const dedup = await instant(`sum(rate(${COUNTER}[10s]))`);
    const raw = await instant(`sum(rate(${COUNTER}[10s]))`, { dedup: 'false' });
    const deduplicated = Number(dedup.data.result[0]!.value![1]);
    const undeduplicated = Number(raw.data.result[0]!.value![1]);
    // The target grows by TICK per second: deduplicated, the rate is TICK (scrape jitter aside), not 2 or 4 times it.
    summary.push(`sum(rate(${COUNTER}[10s])): ${deduplicated.toFixed(2)}/s deduplicated, ${undeduplicated.toFixed(2)}/s without (true rate ${TICK}/s)`);
    expect(deduplicated).toBeGreaterThan(TICK * 0.7);
    expect(deduplicated).toBeLessThan(TICK * 1.3);
    expect(undeduplicated).toBeGreaterThan(TICK * 3);
    // The stack's own scrape of Thanos works too.
    await waitFor('Thanos scraped by Prometheus', async () => ((await instant('up{job=~"thanos-.*"} == 1')).data.result.length === 2 ? true : undefined), 30_000);
    const series = (await instant(COUNTER)).data.result;
    expect(series).toHaveLength(1);
    expect(Object.keys(series[0]!.metric)).not.toContain(PROMETHEUS_REPLICA_LABEL);
    expect(Object.keys(series[0]!.metric)).not.toContain(RECEIVE_REPLICA_LABEL);
  }, 120_000);

  it('Thanos Query answers every Prometheus query of every generated dashboard without error', async () => {
    const end = Date.now() / 1000;
    const failures: string[] = [];
    let queries = 0;
    const run = async (where: string, expr: string) => {
      const q = substituteVariables(expr, { service_name: SERVICE, instance: '.+', route: '.+', slo: 'x', __rate_interval: '10s' });
      queries += 1;
      try {
        const r = await thanosQuery(queryBase, 'query_range', { query: q, start: String(end - 60), end: String(end), step: '5' });
        if (r.status !== 'success') failures.push(`${where}: ${q}: ${r.status}`);
      } catch (error) {
        failures.push(`${where}: ${q}: ${String(error)}`);
      }
    };
    for (const { file, model } of buildDashboards(spec)) {
      const m = model as unknown as Json;
      for (const panel of panelsOf(m)) {
        for (const [i, t] of ((panel.targets as Json[] | undefined) ?? []).entries()) {
          if (isObject(t.datasource) && t.datasource.type === 'prometheus') await run(`${file} "${String(panel.title)}" target ${i}`, String(t.expr));
        }
      }
    }
    summary.push(`dashboard queries answered by Thanos Query: ${queries - failures.length} of ${queries}`);
    expect(failures).toEqual([]);
    expect(queries).toBeGreaterThan(20);
  }, 180_000);

  it('stopping one Receive member loses no sample it had acknowledged, and writes go on', async () => {
    // Samples per Prometheus replica in a window that ended a few seconds ago, counted on each Receive member.
    const at = String(Math.floor(Date.now() / 1000) - 5);
    const counts = async (): Promise<Map<string, number[]>> => {
      const r = await instant(`count_over_time(${COUNTER}[30s])`, { dedup: 'false', time: at });
      const byReplica = new Map<string, number[]>();
      for (const s of r.data.result) {
        const replica = s.metric[PROMETHEUS_REPLICA_LABEL]!;
        byReplica.set(replica, [...(byReplica.get(replica) ?? []), Number(s.value![1])]);
      }
      return byReplica;
    };
    const before = await counts();
    expect([...before.keys()].sort()).toEqual(['prometheus-0', 'prometheus-1']);
    for (const values of before.values()) expect(values).toHaveLength(2);

    const stopped = receives[1]!;
    process.kill(-stopped.pid, 'SIGTERM');
    await waitFor('thanos-receive-1 to exit', () => (stopped.exited() ? true : undefined), 30_000);

    const after = await counts();
    summary.push(`samples in the 30s before the stop, per Prometheus replica, on each member: ${JSON.stringify(Object.fromEntries(before))}; on the member left after: ${JSON.stringify(Object.fromEntries(after))}`);
    for (const [replica, values] of before) {
      // Every sample any member held before is on the member left.
      expect({ replica, samples: after.get(replica) }).toEqual({ replica, samples: [Math.max(...values)] });
    }
    // With one of two members down, RF 2 still reaches its quorum (Thanos acknowledges RF 2 after one copy).
    const since = Date.now() / 1000;
    await waitFor('new samples after the stop', async () => {
      const r = await instant(`timestamp(${COUNTER})`);
      return r.data.result.some((s) => Number(s.value![1]) > since + 2) ? true : undefined;
    }, 30_000);
  }, 90_000);

});
