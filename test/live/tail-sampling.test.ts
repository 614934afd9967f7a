/**
 * The live tail-sampling test (issue 13): the real collector (tools/otelcol) running the config synth renders for a
 * spec with `sampling.tail` (compose; Kubernetes refuses it) and `intake.dropAttributes`, exporting traces to an
 * in-test Tempo stand-in (support/sinks.ts).
 *
 * Thousands of two-span traces go in, the child spans in one export and their roots in the next, so the sampler
 * has to assemble each trace before it decides. A tenth of them has an error span, a tenth lasts longer than the
 * threshold, the rest are fast and clean: every error and every slow trace must come out whole, and about the
 * configured share of the rest. The dropped attribute is gone from spans and resources, and the attribute caps hold.
 *
 * Prometheus, Loki and Tempo do not run here: the collector's metric and log exporters retry into nothing.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RenderContext } from '../../src/config/context';
import { collectorArgs } from '../../src/config/otelcol';
import { renderConfigFiles } from '../../src/config/render-all';
import { resolveSpec, specForTarget, type StackSpec } from '../../src/spec';
import { describeWithTools } from '../support/tools';
import { waitFor } from './support/api';
import { freePorts, Processes, waitUntilReady } from './support/processes';
import { startTempoStandIn, type TempoStandIn } from './support/sinks';
import { liveContext, livePorts } from './support/stack';

type Json = Record<string, unknown>;

/** The rest of the traces (neither error nor slow) are kept at this share. */
const REST_PERCENT = 20;
const TRACES = 3000;
const PER_EXPORT = 500;
/** Traces at least this long are kept; the slow ones last 3 s, the others 5 ms. */
const SLOWER_THAN_MS = 2000;
const DROPPED = 'url.full';
/** intake.attributeLimits of the spec: values cut to this many characters, at most this many attributes per item. */
const VALUE_LENGTH = 64;
const COUNT = 16;
/** Extra attributes on every child span and on the resource: more than COUNT, so the cap has work to do. */
const extras = (prefix: string) => Array.from({ length: 3 * COUNT }, (_, k) => attribute(`${prefix}.${k}`, `v${k}`));

type Kind = 'error' | 'slow' | 'rest';
const kindOf = (i: number): Kind => (i % 10 === 0 ? 'error' : i % 10 === 1 ? 'slow' : 'rest');

/** A trace id that looks random but is the same on every run, so the probabilistic share is reproducible. */
const traceIdOf = (i: number) => createHash('sha256').update(`tail-trace-${i}`).digest('hex').slice(0, 32);
const rootIdOf = (i: number) => traceIdOf(i).slice(0, 16);
const childIdOf = (i: number) => traceIdOf(i).slice(16, 32);

const nanos = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
const attribute = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** One OTLP/JSON export: of traces `from` to `to` - 1, either their root spans or their child spans. */
function exportOf(from: number, to: number, part: 'root' | 'child', now: number): Json {
  const span = (i: number) => {
    const kind = kindOf(i);
    const length = kind === 'slow' ? 3000 : 5;
    return part === 'root'
      ? {
          traceId: traceIdOf(i),
          spanId: rootIdOf(i),
          name: `GET /${kind}`,
          kind: 2,
          startTimeUnixNano: nanos(now - length),
          endTimeUnixNano: nanos(now),
          attributes: [
            attribute(DROPPED, `https://example.test/${kind}?i=${i}`),
            attribute('http.route', `/${kind}`),
            attribute('db.statement', `SELECT ${'x'.repeat(10 * VALUE_LENGTH)}`),
          ],
        }
      : {
          traceId: traceIdOf(i),
          spanId: childIdOf(i),
          parentSpanId: rootIdOf(i),
          name: 'SELECT',
          kind: 3,
          startTimeUnixNano: nanos(now - 4),
          endTimeUnixNano: nanos(now - 1),
          attributes: extras('child'),
          ...(kind === 'error' && { status: { code: 2, message: 'boom' } }),
        };
  };
  return {
    resourceSpans: [
      {
        resource: { attributes: [...extras('resource'), attribute('service.name', 'tailed'), attribute(DROPPED, 'https://example.test/resource')] },
        scopeSpans: [{ scope: { name: 'obskit-tail-test' }, spans: Array.from({ length: to - from }, (_, k) => span(from + k)) }],
      },
    ],
  };
}

async function postOtlp(url: string, body: Json): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  await res.arrayBuffer();
  return res.status;
}

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
      expect(await postOtlp(`${otlpHttp}/v1/traces`, exportOf(from, from + PER_EXPORT, 'child', now))).toBe(200);
      expect(await postOtlp(`${otlpHttp}/v1/traces`, exportOf(from, from + PER_EXPORT, 'root', now))).toBe(200);
    }
    // Wait until every decision is made and flushed: the count stops changing for a few polls.
    let last = -1;
    let still = 0;
    await waitFor('the tail-sampled traces at the Tempo stand-in', () => {
      const n = tempo.spans.length;
      still = n === last && n > 0 ? still + 1 : 0;
      last = n;
      return still >= 8 ? true : undefined;
    }, 60_000);
    expect(tempo.errors).toEqual([]);

    const spansOf = new Map<string, number>();
    for (const s of tempo.spans) spansOf.set(s.traceId, (spansOf.get(s.traceId) ?? 0) + 1);
    const kept = (kind: Kind) => [...Array(TRACES).keys()].filter((i) => kindOf(i) === kind && spansOf.has(traceIdOf(i)));
    const sent = (kind: Kind) => [...Array(TRACES).keys()].filter((i) => kindOf(i) === kind).length;

    expect(kept('error')).toHaveLength(sent('error'));
    expect(kept('slow')).toHaveLength(sent('slow'));
    // Binomial(2400, 0.2): sd ≈ 20 traces; the ids are fixed, so the count is the same on every run.
    const share = kept('rest').length / sent('rest');
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
    // Whole traces: both spans of every kept trace, each exactly once.
    expect([...spansOf.values()].every((n) => n === 2)).toBe(true);
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
