/**
 * The live tail-sampling test (issue 13): the real collector (tools/otelcol) running the config synth renders for a
 * spec with `sampling.tail` (compose: one collector) and `intake.dropAttributes`, exporting traces to an
 * in-test Tempo stand-in (support/sinks.ts).
 *
 * Thousands of two-span traces go in, the child spans in one export and their roots in the next, so the sampler
 * has to assemble each trace before it decides. A tenth of them has an error span, a tenth lasts longer than the
 * threshold, the rest are fast and clean: every error and every slow trace must come out whole, and about the
 * configured share of the rest. The dropped attribute is gone from spans and resources, and the attribute caps hold.
 *
 * Prometheus, Loki and Tempo do not run here: the collector's metric and log exporters retry into nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RenderContext } from '../../src/config/context';
import { collectorArgs } from '../../src/config/otelcol';
import { renderConfigFiles } from '../../src/config/render-all';
import { resolveSpec, specForTarget, type StackSpec } from '../../src/spec';
import { describeWithTools } from '../support/tools';
import { freePorts, Processes, waitUntilReady } from './support/processes';
import { startTempoStandIn, type TempoStandIn } from './support/sinks';
import { liveContext, livePorts } from './support/stack';
import { COUNT, DROPPED, expectTailSampled, exportOf, postOtlp, settled, SLOWER_THAN_MS, VALUE_LENGTH } from './support/tail-traces';

/** The rest of the traces (neither error nor slow) are kept at this share. */
const REST_PERCENT = 20;
const TRACES = 3000;
const PER_EXPORT = 500;

describeWithTools('live tail sampling: every error and slow trace kept, a share of the rest, with the real collector', ['otelcol'], (tools) => {
  const procs = new Processes();
  let dir: string;
  let ctx: RenderContext;
  let spec: StackSpec;
  let tempo: TempoStandIn;
  let otlpHttp: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obskit-tail-'));
    const pool = await freePorts(20);
    let next = 0;
    const ports = livePorts(() => pool[next++]!);
    ctx = liveContext(ports, dir);
    tempo = await startTempoStandIn(ports.tempo.otlpGrpc);
    spec = specForTarget(
      resolveSpec({
        namespace: 'observability',
        environment: 'live',
        services: [{ name: 'tailed', ingest: 'otlp' }],
        intake: { dropAttributes: [DROPPED], attributeLimits: { valueLength: VALUE_LENGTH, count: COUNT } },
        environments: { compose: { sampling: { tail: { percent: REST_PERCENT, slowerThan: `${SLOWER_THAN_MS}ms`, decisionWait: '5s' } } } },
      }),
      'compose',
    );
    const file = join(dir, 'otelcol.yaml');
    writeFileSync(file, renderConfigFiles(spec, ctx).collector);
    otlpHttp = `http://127.0.0.1:${ports.collector.otlpHttp}`;
    const collector = procs.start('otelcol', tools.otelcol, collectorArgs({ configFile: file }));
    await waitUntilReady(collector, `http://127.0.0.1:${ports.collector.health}/`);
  }, 60_000);

  afterAll(async () => {
    await procs.stopAll();
    await tempo?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every error trace and every slow trace whole, and about the configured share of the rest', async () => {
    const now = Date.now();
    for (let from = 0; from < TRACES; from += PER_EXPORT) {
      expect(await postOtlp(`${otlpHttp}/v1/traces`, exportOf(from, from + PER_EXPORT, 'child', now, 'tailed'))).toBe(200);
      expect(await postOtlp(`${otlpHttp}/v1/traces`, exportOf(from, from + PER_EXPORT, 'root', now, 'tailed'))).toBe(200);
    }
    await settled(() => tempo.spans.length);
    expect(tempo.errors).toEqual([]);
    // Binomial(2400, 0.2) for the rest: sd ≈ 20 traces.
    const { spansOf, kept, sent, share } = expectTailSampled(tempo.spans, TRACES);
    expect(spansOf.size).toBe(sent('error') + sent('slow') + kept('rest').length);

    // intake.dropAttributes: gone from span attributes (attributes processor) and resources (resource processor).
    expect(tempo.spans.filter((s) => DROPPED in s.attributes || DROPPED in s.resource)).toEqual([]);
    expect(tempo.spans.find((s) => s.parentSpanId === undefined)?.attributes['http.route']).toBeDefined();

    // intake.attributeLimits: long values cut to VALUE_LENGTH, at most COUNT attributes per span and resource, and
    // the resource keeps service.name (what the trace is found by) although it came after the extras.
    const values = tempo.spans.flatMap((s) => [...Object.values(s.attributes), ...Object.values(s.resource)]);
    expect(values.filter((v) => typeof v === 'string' && v.length > VALUE_LENGTH)).toEqual([]);
    const statement = tempo.spans.find((s) => s.parentSpanId === undefined)?.attributes['db.statement'];
    expect(statement).toBe(`SELECT ${'x'.repeat(VALUE_LENGTH - 'SELECT '.length)}`);
    expect(Math.max(...tempo.spans.map((s) => Object.keys(s.attributes).length))).toBe(COUNT);
    expect(tempo.spans.every((s) => Object.keys(s.resource).length <= COUNT && s.resource['service.name'] === 'tailed')).toBe(true);
    console.log(`tail sampling: sent ${TRACES} traces; kept ${kept('error').length}/${sent('error')} error, ${kept('slow').length}/${sent('slow')} slow, ${kept('rest').length}/${sent('rest')} rest (${(share * 100).toFixed(1)}%)`);
  }, 120_000);
});
