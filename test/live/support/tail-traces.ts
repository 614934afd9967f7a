/**
 * Generated traces for the live tail-sampling tests: two-span traces whose ids look random but are the same on every
 * run (so a probabilistic share is reproducible). A tenth has an error span, a tenth lasts longer than the
 * threshold, the rest are fast and clean; roots and children can be exported apart, so a sampler has to assemble
 * each trace before it decides.
 */
import { createHash } from 'node:crypto';
import { waitFor } from './api';
import type { DecodedSpan } from './otlp-proto';

type Json = Record<string, unknown>;

/** Traces at least this long are kept; the slow ones last 3 s, the others 5 ms. */
export const SLOWER_THAN_MS = 2000;
/** An attribute with an unbounded value, for drop lists. */
export const DROPPED = 'url.full';
/** Attribute caps the tests set (intake.attributeLimits): values cut to this many characters, this many per item. */
export const VALUE_LENGTH = 64;
export const COUNT = 16;

export type Kind = 'error' | 'slow' | 'rest';
export const kindOf = (i: number): Kind => (i % 10 === 0 ? 'error' : i % 10 === 1 ? 'slow' : 'rest');

export const traceIdOf = (i: number) => createHash('sha256').update(`tail-trace-${i}`).digest('hex').slice(0, 32);
const rootIdOf = (i: number) => traceIdOf(i).slice(0, 16);
const childIdOf = (i: number) => traceIdOf(i).slice(16, 32);

const nanos = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
const attribute = (key: string, value: string) => ({ key, value: { stringValue: value } });
/** Extra attributes on every child span and on the resource: more than COUNT, so a cap has work to do. */
const extras = (prefix: string) => Array.from({ length: 3 * COUNT }, (_, k) => attribute(`${prefix}.${k}`, `v${k}`));

/** One OTLP/JSON export of traces `from` to `to` - 1: either their root spans or their child spans. */
export function exportOf(from: number, to: number, part: 'root' | 'child', now: number, service: string): Json {
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
        resource: { attributes: [...extras('resource'), attribute('service.name', service), attribute(DROPPED, 'https://example.test/resource')] },
        scopeSpans: [{ scope: { name: 'obskit-tail-test' }, spans: Array.from({ length: to - from }, (_, k) => span(from + k)) }],
      },
    ],
  };
}

export async function postOtlp(url: string, body: Json): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Waits until the stand-in's span count stops changing for a few polls: every decision made and flushed. */
export async function settled(count: () => number, quietPolls = 8): Promise<void> {
  let last = -1;
  let still = 0;
  await waitFor('the tail-sampled traces at the Tempo stand-in', () => {
    const n = count();
    still = n === last && n > 0 ? still + 1 : 0;
    last = n;
    return still >= quietPolls ? true : undefined;
  }, 90_000);
}

/** What arrived of `traces` generated traces: per kind, which were kept and how many were sent; spans per trace. */
function sampled(spans: readonly DecodedSpan[], traces: number) {
  const spansOf = new Map<string, number>();
  for (const s of spans) spansOf.set(s.traceId, (spansOf.get(s.traceId) ?? 0) + 1);
  const all = [...Array(traces).keys()];
  return {
    spansOf,
    kept: (kind: Kind) => all.filter((i) => kindOf(i) === kind && spansOf.has(traceIdOf(i))),
    sent: (kind: Kind) => all.filter((i) => kindOf(i) === kind).length,
  };
}

/** Traces per OTLP export when traces are split over two collectors, and the warm-up traces sent before them. */
const PER_SPLIT_EXPORT = 500;
export const WARM_UP_TRACES = 20;

/**
 * Each trace's child span to one collector, its root span to another (as a load balancer might split them), after a
 * warm-up of 20 traces beyond the measured ids: the first connections between peers back off while they start (in a
 * cluster, a headless Service lists only ready pods). Quiet for longer than an export retry (5 s and jitter) after
 * each, so a retried warm-up span is not counted late. Returns how many spans the warm-up delivered.
 */
export async function sendSplitAfterWarmUp(ingress: readonly [string, string], traces: number, delivered: () => number): Promise<number> {
  const sendSplit = async (from: number, to: number, now: number) => {
    for (let at = from; at < to; at += PER_SPLIT_EXPORT) {
      const end = Math.min(at + PER_SPLIT_EXPORT, to);
      expect(await postOtlp(ingress[0], exportOf(at, end, 'child', now, 'routed'))).toBe(200);
      expect(await postOtlp(ingress[1], exportOf(at, end, 'root', now, 'routed'))).toBe(200);
    }
  };
  await sendSplit(traces, traces + WARM_UP_TRACES, Date.now());
  await settled(delivered, 40);
  const warmUp = delivered();
  await sendSplit(0, traces, Date.now());
  await settled(() => delivered() - warmUp, 40);
  return warmUp;
}

/**
 * The tail sampler's verdict on `traces` generated traces: every error and every slow trace kept, 15–25% of the rest
 * (the policy's 20%; Binomial, and the ids are fixed, so the count is the same on every run), and every kept trace
 * whole (both spans, each once). Returns what was kept, for the test's report.
 */
export function expectTailSampled(spans: readonly DecodedSpan[], traces: number) {
  const result = sampled(spans, traces);
  const { spansOf, kept, sent } = result;
  expect(kept('error')).toHaveLength(sent('error'));
  expect(kept('slow')).toHaveLength(sent('slow'));
  const share = kept('rest').length / sent('rest');
  expect(share).toBeGreaterThan(0.15);
  expect(share).toBeLessThan(0.25);
  expect([...spansOf.values()].every((n) => n === 2)).toBe(true);
  return { ...result, share };
}

/** A collector's own counter, scraped from its metrics port: the sum over the series of `metric` whose labels include `label`. */
export async function scrapedCounter(port: number, metric: string, label: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${metric}{`) && l.includes(label))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}
