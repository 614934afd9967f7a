import { TraceFlags } from '@opentelemetry/api';
import { Counter as PCounter } from 'prom-client';
import { createTelemetry, defineMetric, LabelError, runtimeMetrics } from '../../src/sdk';
import { RequestScope, scopeStorage } from '../../src/sdk/tracing/context';
import { samples } from './support/net';

const jobs = defineMetric({ name: 'jobs_total', help: 'Jobs run.', type: 'counter', unit: '', labelNames: ['queue', 'job_outcome'] });
const depth = defineMetric({ name: 'queue_depth', help: 'Items waiting.', type: 'gauge', unit: '', labelNames: ['queue'] });
const ticks = defineMetric({ name: 'ticks_total', help: 'Ticks.', type: 'counter', unit: '' });
const latency = defineMetric({
  name: 'job_duration_seconds',
  help: 'Job duration.',
  type: 'histogram',
  unit: 'seconds',
  labelNames: ['queue'],
  buckets: [0.1, 1],
});
const size = defineMetric({ name: 'payload_size_bytes', help: 'Payload size.', type: 'summary', unit: 'bytes', percentiles: [0.5] });

const quiet = () => createTelemetry({ serviceName: 'svc', defaultMetrics: false });

describe('typed instruments', () => {
  it('records counters, gauges, histograms and summaries with service_name on every series', async () => {
    const t = quiet();
    t.counter(jobs).inc({ queue: 'mail', job_outcome: 'ok' });
    t.counter(jobs).inc({ queue: 'mail', job_outcome: 'ok' }, 2);
    t.counter(ticks).inc();
    t.gauge(depth).set({ queue: 'mail' }, 7);
    t.gauge(depth).dec({ queue: 'mail' });
    t.histogram(latency).observe({ queue: 'mail' }, 0.5);
    t.summary(size).observe(100);
    const text = await t.metrics();
    expect(samples(text, 'jobs_total')).toEqual(['jobs_total{queue="mail",job_outcome="ok",service_name="svc"} 3']);
    expect(samples(text, 'ticks_total')).toEqual(['ticks_total{service_name="svc"} 1']);
    expect(samples(text, 'queue_depth')).toEqual(['queue_depth{queue="mail",service_name="svc"} 6']);
    expect(samples(text, 'job_duration_seconds_bucket')).toEqual([
      'job_duration_seconds_bucket{queue="mail",service_name="svc",le="0.1"} 0',
      'job_duration_seconds_bucket{queue="mail",service_name="svc",le="1"} 1',
      'job_duration_seconds_bucket{queue="mail",service_name="svc",le="+Inf"} 1',
    ]);
    expect(samples(text, 'payload_size_bytes_count')).toEqual(['payload_size_bytes_count{service_name="svc"} 1']);
    expect(samples(text, 'service_build_info')[0]).toMatch(/service_name="svc"/);
    await t.close();
  });

  it('returns the same instrument for the same definition and refuses a conflicting one', () => {
    const t = quiet();
    expect(t.counter(jobs)).toBe(t.counter(jobs));
    const other = defineMetric({ name: 'jobs_total', help: 'Other.', type: 'counter', unit: '' });
    expect(() => t.counter(other)).toThrow('metric "jobs_total" is already defined differently');
  });

  it('refuses to instrument a metric that prom-client default metrics emit', () => {
    const lag = runtimeMetrics.find((d) => d.name === 'nodejs_eventloop_lag_seconds');
    expect(() => quiet().instrument(lag as NonNullable<typeof lag>)).toThrow("emitted by prom-client's default metrics");
  });

  it('fails at run time with a clear error for missing, unknown or ill-typed labels', () => {
    const c = quiet().counter(jobs);
    const untyped = c.inc.bind(c) as (...args: unknown[]) => void;
    expect(() => untyped({ queue: 'mail' })).toThrow(
      new LabelError(jobs, 'missing label "job_outcome"'),
    );
    expect(() => untyped({ queue: 'mail', job_outcome: 'ok', path: '/x' })).toThrow(
      'metric "jobs_total": unknown label "path" (declared labels: queue, job_outcome)',
    );
    expect(() => untyped({ queue: 'mail', job_outcome: {} })).toThrow('label "job_outcome" must be a string or a finite number');
    expect(() => untyped(undefined)).toThrow('labels must be an object');
    expect(() => untyped({ queue: 'mail', job_outcome: 'ok' }, -1)).toThrow('a counter cannot decrease');
    expect(() => untyped({ queue: 'mail', job_outcome: 'ok' }, Number.NaN)).toThrow('value must be a finite number');
    const g = quiet().gauge(depth);
    expect(() => (g.set.bind(g) as (...args: unknown[]) => void)({ queue: 'q' })).toThrow('value must be a finite number');
  });

  it('fails at compile time for wrong or missing labels', () => {
    const t = quiet();
    const wrong = () => {
      // @ts-expect-error missing label job_outcome
      t.counter(jobs).inc({ queue: 'mail' });
      // @ts-expect-error unknown label path
      t.counter(jobs).inc({ queue: 'mail', job_outcome: 'ok', path: '/' });
      // @ts-expect-error a labelled metric needs its labels
      t.counter(jobs).inc();
      // @ts-expect-error a histogram is not a counter
      t.counter(latency);
    };
    expect(typeof wrong).toBe('function');
  });

  it('attaches the active sampled trace as exemplar, in OpenMetrics only', async () => {
    const t = quiet();
    const spanContext = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.SAMPLED };
    scopeStorage.run(new RequestScope(spanContext, 'c1'), () => {
      t.histogram(latency).observe({ queue: 'q' }, 0.05);
      t.counter(ticks).inc();
    });
    scopeStorage.run(new RequestScope({ ...spanContext, traceId: 'c'.repeat(32), traceFlags: TraceFlags.NONE }, 'c2'), () =>
      t.histogram(latency).observe({ queue: 'q' }, 0.5),
    );
    const om = await t.metrics('openmetrics');
    expect(samples(om, 'job_duration_seconds_bucket')[0]).toMatch(
      new RegExp(`le="0.1"} 1 # \\{trace_id="${'a'.repeat(32)}",span_id="${'b'.repeat(16)}"\\} 0.05 \\d+`),
    );
    expect(om).not.toContain('c'.repeat(32));
    expect(samples(om, 'ticks_total')[0]).toContain(`# {trace_id="${'a'.repeat(32)}"`);
    expect(await t.metrics('prometheus')).not.toContain('trace_id');
  });

  it('times with startTimer', async () => {
    const t = quiet();
    const end = t.histogram(latency).startTimer({ queue: 'q' });
    const seconds = end();
    expect(seconds).toBeGreaterThanOrEqual(0);
    expect(samples(await t.metrics(), 'job_duration_seconds_count')).toEqual([
      'job_duration_seconds_count{queue="q",service_name="svc"} 1',
    ]);
  });

  it('renders foreign prom-client metrics registered into its registry', async () => {
    const t = quiet();
    const c = new PCounter({ name: 'legacy_events', help: 'Legacy.', labelNames: ['kind'], registers: [t.registry] });
    c.inc({ kind: 'x' });
    expect(samples(await t.metrics(), 'legacy_events_total')).toEqual(['legacy_events_total{kind="x",service_name="svc"} 1']);
  });
});
