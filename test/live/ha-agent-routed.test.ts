/**
 * The `ha` profile's collectors on loopback: two node agents (as on two nodes) and two gateways, all real collectors
 * (tools/otelcol) running the Kubernetes configs obskit renders for an `ha` spec with `sampling.tail`, with only
 * addresses changed — each listens on its own ports, the agents' gateway Service becomes the first gateway's address, and
 * every `loadbalancing` exporter's DNS resolver (the gateways' headless Service in a cluster) becomes a static list of
 * both gateways' routed receivers.
 *
 * Every trace is split across the agents, as pods on two nodes would split it: its child span (which carries the error,
 * if any) goes to one agent, its root span to the other. Only if the agents send each span to the gateway that owns its
 * trace does that gateway see the whole trace: then every error and every slow trace arrives whole, and about the
 * configured share of the rest. And the spans arrive on the gateways' routed port only: the agents do not go through
 * the gateway Service and a second hop.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderContext, type Ports } from '../../src/config/context';
import { collectorArgs, renderCollectorConfig } from '../../src/config/otelcol';
import { renderNodeAgentConfig } from '../../src/config/otelcol-agent';
import { toYaml } from '../../src/output/yaml';
import { COMPONENTS, resolveSpec, specForTarget, type Component } from '../../src/spec';
import { describeWithTools } from '../support/tools';
import { freePorts, Processes, waitUntilReady } from './support/processes';
import { startTempoStandIn, type TempoStandIn } from './support/sinks';
import { livePorts } from './support/stack';
import { expectTailSampled, scrapedCounter, sendSplitAfterWarmUp, SLOWER_THAN_MS, WARM_UP_TRACES } from './support/tail-traces';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const REST_PERCENT = 20;
const TRACES = 2000;

describeWithTools('live ha collectors: two node agents balancing traces by trace id over two gateways (Kubernetes configs)', ['otelcol'], (tools) => {
  const procs = new Processes();
  let dir: string;
  let tempo: TempoStandIn;
  const agentIngress: string[] = [];
  const gatewayMetrics: number[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obskit-ha-agents-'));
    const pool = await freePorts(100);
    let next = 0;
    const free = () => pool[next++]!;
    const gateways: Ports[] = [livePorts(free), livePorts(free)];
    const agents: Ports[] = [livePorts(free), livePorts(free)];
    const tempoPort = gateways[0]!.tempo.otlpGrpc;
    tempo = await startTempoStandIn(tempoPort);
    const spec = specForTarget(
      resolveSpec({
        namespace: 'observability',
        environment: 'live',
        profile: 'ha',
        services: [{ name: 'routed', ingest: 'otlp' }],
        sampling: { tail: { percent: REST_PERCENT, slowerThan: `${SLOWER_THAN_MS}ms`, decisionWait: '5s' } },
      }),
      'kubernetes',
    );
    const hosts = Object.fromEntries(COMPONENTS.map((c) => [c, '127.0.0.1'])) as Record<Component, string>;
    const context = (ports: Ports) =>
      renderContext('kubernetes', { hosts, ports: { ...ports, tempo: { ...ports.tempo, otlpGrpc: tempoPort } }, listenHost: '127.0.0.1' });
    // The headless Service's DNS answer, on loopback: every gateway's routed receiver.
    const peers = { static: { hostnames: gateways.map((g) => `127.0.0.1:${g.collector.otlpRouted}`) } };

    const start = async (name: string, config: Obj, health: number) => {
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, toYaml(config));
      await waitUntilReady(procs.start(name, tools.otelcol, collectorArgs({ configFile: file })), `http://127.0.0.1:${health}/`);
    };
    for (const [i, ports] of gateways.entries()) {
      const config = parse(toYaml(renderCollectorConfig(spec, context(ports)))) as Obj;
      config.exporters['load_balancing/traces'].resolver = peers;
      await start(`gateway-${i}`, config, ports.collector.health);
      gatewayMetrics.push(ports.collector.metrics);
    }
    for (const [i, ports] of agents.entries()) {
      const config = parse(toYaml(renderNodeAgentConfig(spec, context(ports)))) as Obj;
      expect(Object.keys(config.receivers)).toEqual(['otlp']);
      const router = config.exporters['load_balancing/traces'];
      expect(router.resolver.dns).toEqual({ hostname: '127.0.0.1-headless.observability.svc', port: String(ports.collector.otlpRouted) });
      router.resolver = peers;
      config.exporters['otlp_grpc/gateway'].endpoint = `127.0.0.1:${gateways[0]!.collector.otlpGrpc}`;
      await start(`agent-${i}`, config, ports.collector.health);
      agentIngress.push(`http://127.0.0.1:${ports.collector.otlpHttp}/v1/traces`);
    }
  }, 120_000);

  afterAll(async () => {
    await procs.stopAll();
    await tempo?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every error and every slow trace whole although each trace came through both agents, and a share of the rest', async () => {
    await sendSplitAfterWarmUp([agentIngress[0]!, agentIngress[1]!], TRACES, () => tempo.spans.length);
    expect(tempo.errors).toEqual([]);
    const { kept, sent, share } = expectTailSampled(tempo.spans, TRACES);

    // Both gateways own traces, every span reached them on the routed port, none through their OTLP Service port.
    const routed = await Promise.all(gatewayMetrics.map((p) => scrapedCounter(p, 'otelcol_receiver_accepted_spans_total', 'receiver="otlp/routed"')));
    const direct = await Promise.all(gatewayMetrics.map((p) => scrapedCounter(p, 'otelcol_receiver_accepted_spans_total', 'receiver="otlp"')));
    const exported = await Promise.all(gatewayMetrics.map((p) => scrapedCounter(p, 'otelcol_exporter_sent_spans_total', 'exporter="otlp_grpc/tempo"')));
    expect(routed.every((n) => n > 0)).toBe(true);
    expect(routed.reduce((a, b) => a + b, 0)).toBe(2 * (TRACES + WARM_UP_TRACES));
    expect(direct).toEqual([0, 0]);
    expect(exported.every((n) => n > 0)).toBe(true);
    expect(exported.reduce((a, b) => a + b, 0)).toBe(tempo.spans.length);
    console.log(
      `ha collectors: ${TRACES} traces split across 2 agents, balanced to 2 gateways (routed spans ${routed.join(', ')}); kept ` +
        `${kept('error').length}/${sent('error')} error, ${kept('slow').length}/${sent('slow')} slow, ` +
        `${kept('rest').length}/${sent('rest')} rest (${(share * 100).toFixed(1)}%); exported per gateway ${exported.join(', ')} spans`,
    );
  }, 150_000);
});
