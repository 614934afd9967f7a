import { createServer } from 'node:http';
import { createTelemetry, Health } from '../../src/sdk';
import { call, close, listen, memoryLog } from './support/net';

describe('health', () => {
  it('is live with no checks and ready when every check passes, with JSON detail', async () => {
    const h = new Health().addCheck('db', async () => 'fine').addCheck('cache', () => undefined);
    expect(h.live()).toEqual({ status: 'ok', checks: {} });
    const report = await h.ready();
    expect(report.status).toBe('ok');
    expect(Object.keys(report.checks)).toEqual(['db', 'cache']);
    expect(report.checks.db).toMatchObject({ status: 'ok', duration_seconds: expect.any(Number) });
  });

  it('is not ready when a check throws, rejects or times out', async () => {
    let aborted = false;
    const h = new Health()
      .addCheck('ok', () => 1)
      .addCheck('throws', () => {
        throw new Error('db down');
      })
      .addCheck('rejects', () => Promise.reject(new Error('no route')))
      .addCheck(
        'hangs',
        (signal) =>
          new Promise((resolve) => {
            signal.addEventListener('abort', () => {
              aborted = true;
              resolve(undefined);
            });
          }),
        { timeoutMs: 30 },
      );
    const report = await h.ready();
    expect(report.status).toBe('fail');
    expect(report.checks.ok?.status).toBe('ok');
    expect(report.checks.throws).toMatchObject({ status: 'fail', error: 'db down' });
    expect(report.checks.rejects).toMatchObject({ status: 'fail', error: 'no route' });
    expect(report.checks.hangs).toMatchObject({ status: 'fail', error: 'timed out after 30 ms' });
    expect(aborted).toBe(true);
  });

  it('answers 503 with detail over HTTP when not ready, and when draining', async () => {
    const t = createTelemetry({ serviceName: 'h', defaultMetrics: false });
    let healthy = true;
    t.health.addCheck('db', () => {
      if (!healthy) throw new Error('connection refused');
    });
    const server = createServer(t.http((_req, res) => res.end()));
    const port = await listen(server);
    expect((await call(port, '/health/ready')).status).toBe(200);
    healthy = false;
    const failing = await call(port, '/health/ready');
    expect(failing.status).toBe(503);
    expect(failing.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(failing.body)).toMatchObject({ status: 'fail', checks: { db: { status: 'fail', error: 'connection refused' } } });
    healthy = true;
    t.health.startDraining();
    const draining = await call(port, '/health/ready');
    expect(draining.status).toBe(503);
    expect(JSON.parse(draining.body)).toEqual({ status: 'draining', checks: {} });
    expect((await call(port, '/health/live')).status).toBe(200);
    await close(server);
    await t.close();
  });
});

describe('graceful shutdown', () => {
  it('drops readiness first, drains, then closes servers, runs hooks and exits 0', async () => {
    const log = memoryLog();
    const t = createTelemetry({ serviceName: 's', defaultMetrics: false, log: { destination: log.stream } });
    const server = createServer(t.http((_req, res) => res.end('ok')));
    const port = await listen(server);
    const events: string[] = [];
    const handle = t.handleShutdown({
      servers: [server],
      drainDelayMs: 150,
      signals: [],
      onDrain: [() => events.push('drain')],
      hooks: [() => events.push(`hook:listening=${server.listening}`)],
      exit: (code) => events.push(`exit:${code}`),
    });
    const done = handle.trigger('test');
    const during = await call(port, '/health/ready');
    expect(during.status).toBe(503);
    expect((await call(port, '/anything')).status).toBe(200); // still serving while draining
    await done;
    expect(events).toEqual(['drain', 'hook:listening=false', 'exit:0']);
    expect(log.lines().map((l) => l.msg)).toEqual(
      expect.arrayContaining(['shutdown: readiness failing, draining traffic', 'shutdown: done']),
    );
    expect(handle.trigger()).toBe(done);
    await t.close();
  });

  it('exits 1 when shutdown hangs past its timeout', async () => {
    const t = createTelemetry({ serviceName: 's', defaultMetrics: false, log: { destination: memoryLog().stream } });
    const codes: number[] = [];
    const handle = t.handleShutdown({
      drainDelayMs: 0,
      timeoutMs: 50,
      signals: [],
      hooks: [() => new Promise((r) => setTimeout(r, 300))],
      exit: (code) => codes.push(code),
    });
    await handle.trigger();
    expect(codes).toEqual([1]);
    await t.close();
  });
});
