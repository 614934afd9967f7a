/**
 * Tail sampling with several collector replicas (issue 13 §4, Kubernetes): two real collectors (tools/otelcol) run the
 * Kubernetes config synth renders for a spec with `sampling.tail`, with only addresses changed for loopback — each
 * listens on its own ports, and the `loadbalancing` exporter's DNS resolver (the headless Service in a cluster)
 * becomes a static list of both replicas' routed receivers.
 *
 * Every trace is split across the replicas as a load balancer would split it: its child span (which carries the
 * error, if any) goes to one collector, its root span to the other. Only if the replicas route spans by trace id
 * to one owner does the owner see the whole trace: then every error and every slow trace arrives whole, and about
 * the configured share of the rest. Without routing, each replica would decide on half a trace.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderContext, type Ports } from '../../src/config/context';
import { collectorArgs, renderCollectorConfig } from '../../src/config/otelcol';
import { toYaml } from '../../src/output/yaml';
import { COMPONENTS, resolveSpec, specForTarget, type Component } from '../../src/spec';
import { describeWithTools } from '../support/tools';
import { freePorts, Processes, waitUntilReady } from './support/processes';
import { startTempoStandIn, type TempoStandIn } from './support/sinks';
import { livePorts } from './support/stack';
import { expectTailSampled, scrapedCounter, sendSplitAfterWarmUp, SLOWER_THAN_MS } from './support/tail-traces';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const REST_PERCENT = 20;
const TRACES = 2000;
const REPLICAS = 2;

describeWithTools('live tail sampling across two collector replicas, routed by trace id (Kubernetes config)', ['otelcol'], (tools) => {
  const procs = new Processes();
  let dir: string;
  let tempo: TempoStandIn;
  let ingress: string[];
  const exported: number[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obskit-tail-routed-'));
    const pool = await freePorts(40);
    let next = 0;
    const free = () => pool[next++]!;
    const replicas: Ports[] = Array.from({ length: REPLICAS }, () => livePorts(free));
    const tempoPort = replicas[0]!.tempo.otlpGrpc;
    tempo = await startTempoStandIn(tempoPort);
    const spec = specForTarget(
      resolveSpec({
        namespace: 'observability',
        environment: 'live',
        services: [{ name: 'routed', ingest: 'otlp' }],
        sampling: { tail: { percent: REST_PERCENT, slowerThan: `${SLOWER_THAN_MS}ms`, decisionWait: '5s' } },
      }),
      'kubernetes',
    );
    const hosts = Object.fromEntries(COMPONENTS.map((c) => [c, '127.0.0.1'])) as Record<Component, string>;
    ingress = [];
    for (const [i, ports] of replicas.entries()) {
      const ctx = renderContext('kubernetes', { hosts, ports: { ...ports, tempo: { ...ports.tempo, otlpGrpc: tempoPort } }, listenHost: '127.0.0.1' });
      const config = parse(toYaml(renderCollectorConfig(spec, ctx))) as Obj;
      const router = config.exporters['load_balancing/traces'];
      expect(router.resolver.dns).toEqual({ hostname: '127.0.0.1-headless', port: String(ports.collector.otlpRouted) });
      // The headless Service's DNS answer, on loopback: every replica's routed receiver.
      router.resolver = { static: { hostnames: replicas.map((r) => `127.0.0.1:${r.collector.otlpRouted}`) } };
      const file = join(dir, `otelcol-${i}.yaml`);
      writeFileSync(file, toYaml(config));
      const collector = procs.start(`otelcol-${i}`, tools.otelcol, collectorArgs({ configFile: file }));
      await waitUntilReady(collector, `http://127.0.0.1:${ports.collector.health}/`);
      ingress.push(`http://127.0.0.1:${ports.collector.otlpHttp}/v1/traces`);
      exported.push(ports.collector.metrics);
    }
  }, 90_000);

  afterAll(async () => {
    await procs.stopAll();
    await tempo?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every error and every slow trace whole although each trace reached both replicas, and a share of the rest', async () => {
    await sendSplitAfterWarmUp([ingress[0]!, ingress[1]!], TRACES, () => tempo.spans.length);
    expect(tempo.errors).toEqual([]);
    const { kept, sent, share } = expectTailSampled(tempo.spans, TRACES);

    // Both replicas own traces: each exported some of them to the Tempo stand-in (its own counter, scraped).
    const sentSpans = await Promise.all(exported.map((port) => scrapedCounter(port, 'otelcol_exporter_sent_spans_total', 'exporter="otlp_grpc/tempo"')));
    expect(sentSpans.every((n) => n > 0)).toBe(true);
    expect(sentSpans.reduce((a, b) => a + b, 0)).toBe(tempo.spans.length);
    console.log(
      `routed tail sampling: ${TRACES} traces split across ${REPLICAS} replicas; kept ${kept('error').length}/${sent('error')} error, ` +
        `${kept('slow').length}/${sent('slow')} slow, ${kept('rest').length}/${sent('rest')} rest (${(share * 100).toFixed(1)}%); exported per replica ${sentSpans.join(', ')} spans`,
    );
  }, 120_000);
});
