import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithTools, runTool } from '../support/tools';
import { startCollector } from './support/collector';
import { startDemo, type RunningDemo } from './support/demo';
import { call, close, OM_ACCEPT, samples, until } from './support/net';

const TRACE_ID = '11112222333344445555666677778888';

describe('demo service (npm run demo)', () => {
  let demo: RunningDemo;

  beforeAll(async () => {
    demo = await startDemo({ SHUTDOWN_DRAIN_DELAY_MS: '1000' });
  });

  afterAll(async () => {
    await demo.stop();
  });

  it('has routes that succeed, fail and are slow, and health endpoints', async () => {
    expect((await call(demo.port, '/api/orders/12')).status).toBe(200);
    expect((await call(demo.port, '/api/fail')).status).toBe(500);
    const slow = await call(demo.port, '/api/slow?ms=60');
    expect(slow.status).toBe(200);
    expect(JSON.parse(slow.body)).toEqual({ slept_ms: 60 });
    expect([201, 422]).toContain((await call(demo.port, '/api/orders', { method: 'POST' })).status);
    expect([200, 502]).toContain((await call(demo.port, '/api/checkout', { method: 'POST' })).status);
    expect((await call(demo.port, '/no/such/page')).status).toBe(404);
    expect((await call(demo.port, '/health/live')).status).toBe(200);
    const ready = await call(demo.port, '/health/ready');
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'ok', checks: { 'orders-store': { status: 'ok' } } });
    const text = (await call(demo.port, '/metrics')).body;
    const routes = samples(text, 'http_server_request_duration_seconds_count').map((l) => /http_route="([^"]*)"/.exec(l)?.[1]);
    expect(new Set(routes)).toEqual(new Set(['/api/orders/:id', '/api/fail', '/api/slow', '/api/orders', '/api/checkout', '_unmatched']));
    expect(samples(text, 'demo_orders_total').length).toBeGreaterThan(0);
    expect(samples(text, 'demo_payment_duration_seconds_count').length).toBeGreaterThan(0);
    expect(text).toContain('service_name="demo"');
  });

  it('logs the caller trace id and exposes it as exemplar', async () => {
    await call(demo.port, '/api/orders/5', { headers: { traceparent: `00-${TRACE_ID}-1111222233334444-01` } });
    const line = await until(() => demo.logs().find((l) => l.trace_id === TRACE_ID && l.msg === 'request completed'));
    expect(line).toMatchObject({ service_name: 'demo', http_route: '/api/orders/:id' });
    const om = await call(demo.port, '/metrics', { headers: { accept: OM_ACCEPT } });
    expect(om.body).toContain(`# {trace_id="${TRACE_ID}"`);
  });

  describeWithTools('demo /metrics against promtool', ['promtool'], (tools) => {
    it('passes `promtool check metrics` with no warnings', async () => {
      const text = (await call(demo.port, '/metrics')).body;
      expect(runTool(tools.promtool, ['check', 'metrics'], { input: text })).toBe('');
    });

    it('serves OpenMetrics (with exemplars) that Prometheus\'s OpenMetrics parser accepts', async () => {
      await call(demo.port, '/api/orders/6', { headers: { traceparent: `00-${TRACE_ID}-1111222233334444-01` } });
      const om = (await call(demo.port, '/metrics', { headers: { accept: OM_ACCEPT } })).body;
      expect(om).toContain(`# {trace_id="${TRACE_ID}"`);
      // The backfill parser needs a timestamp on every sample: add one after the value, before any exemplar.
      const stamped = om
        .split('\n')
        .map((l) => (l === '' || l.startsWith('#') ? l : l.replace(/^(\S+(?:\{[^}]*\})? \S+)( # .*)?$/, '$1 1700000000$2')))
        .join('\n');
      const dir = mkdtempSync(join(tmpdir(), 'obskit-om-'));
      try {
        writeFileSync(join(dir, 'metrics.om'), stamped);
        const out = runTool(tools.promtool, ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'metrics.om'), join(dir, 'blocks')]);
        expect(out).toMatch(/BLOCK ULID/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('on SIGTERM fails readiness first, keeps serving while draining, then exits 0', async () => {
    demo.child.kill('SIGTERM');
    await until(async () => ((await call(demo.port, '/health/ready')).status === 503 ? true : undefined));
    const during = await call(demo.port, '/health/ready');
    expect(JSON.parse(during.body)).toEqual({ status: 'draining', checks: {} });
    expect((await call(demo.port, '/api/orders/1')).status).toBe(200);
    expect(await demo.exited()).toBe(0);
    expect(demo.logs().map((l) => l.msg)).toContain('shutdown: done');
  });
});

describe('demo service with an OTLP endpoint set', () => {
  it('exports its spans and its log lines (OTEL_EXPORTER_OTLP_ENDPOINT), unless OTEL_LOGS_EXPORTER=none', async () => {
    const collector = await startCollector(200);
    const demo = await startDemo({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.port}`, OTEL_BSP_SCHEDULE_DELAY: '50', OTEL_BLRP_SCHEDULE_DELAY: '50' });
    try {
      expect(demo.logs().find((l) => l.msg === 'demo listening')).toMatchObject({ tracing: true, log_export: true });
      await call(demo.port, '/api/fail', { headers: { traceparent: `00-${TRACE_ID}-1111222233334444-01` } });
      const failure = await until(() => collector.logs().find((r) => r.body === 'simulated failure'), 10_000);
      expect(failure).toMatchObject({ traceId: TRACE_ID, severityText: 'error', resource: expect.objectContaining({ 'service.name': 'demo' }) });
      await until(() => collector.spans().find((s) => s.traceId === TRACE_ID && s.name === 'GET /api/fail'), 10_000);
    } finally {
      await demo.stop();
      await close(collector.server);
    }
    const off = await startDemo({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1', OTEL_LOGS_EXPORTER: 'none' });
    try {
      expect(off.logs().find((l) => l.msg === 'demo listening')).toMatchObject({ tracing: true, log_export: false });
    } finally {
      await off.stop();
    }
  });
});
