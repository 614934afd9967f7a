import express from 'express';
import type { Server } from 'node:http';
import { createTelemetry, type Telemetry } from '../../src/sdk';
import { call, close, memoryLog, OM_ACCEPT, samples } from './support/net';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

describe('Express instrumentation', () => {
  let t: Telemetry;
  let server: Server;
  let port: number;
  let log: ReturnType<typeof memoryLog>;

  beforeAll(async () => {
    log = memoryLog();
    t = createTelemetry({ serviceName: 'shop', defaultMetrics: false, log: { destination: log.stream } });
    const app = express();
    app.use(t.express());
    const api = express.Router();
    api.get('/orders/:id', (req, res) => {
      t.logger.info({ order: req.params.id }, 'fetching order');
      res.json({ id: req.params.id });
    });
    api.post('/orders', (_req, res) => {
      res.status(201).end();
    });
    app.use('/api', api);
    app.get('/async', async (_req, res) => {
      await new Promise((r) => setTimeout(r, 5));
      t.logger.info('after await');
      res.status(502).end();
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await close(server);
    await t.close();
  });

  it('labels by the matched route template, mount path included; 404s as _unmatched', async () => {
    await call(port, '/api/orders/42');
    await call(port, '/api/orders/43?expand=1');
    await call(port, '/api/orders', { method: 'POST' });
    await call(port, '/nothing/here/123');
    await call(port, '/async');
    const lines = samples(await t.metrics(), 'http_server_request_duration_seconds_count');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringContaining('http_request_method="GET",http_route="/api/orders/:id",http_response_status_code="200",service_name="shop"} 2'),
        expect.stringContaining('http_request_method="POST",http_route="/api/orders",http_response_status_code="201"'),
        expect.stringContaining('http_request_method="GET",http_route="_unmatched",http_response_status_code="404"'),
        expect.stringContaining('http_request_method="GET",http_route="/async",http_response_status_code="502"'),
      ]),
    );
    expect(lines).toHaveLength(4);
  });

  it('carries the trace id into handler logs (across awaits) and exemplars', async () => {
    await call(port, '/api/orders/7', { headers: { traceparent: TRACEPARENT } });
    await call(port, '/async', { headers: { traceparent: TRACEPARENT } });
    expect(log.lines().find((l) => l.msg === 'fetching order' && l.order === '7')).toMatchObject({ trace_id: TRACE_ID, order: '7' });
    expect(log.lines().filter((l) => l.msg === 'after await').pop()).toMatchObject({ trace_id: TRACE_ID });
    expect(log.lines().filter((l) => l.msg === 'request completed' && l.http_route === '/async').pop()).toMatchObject({
      level: 'error',
      trace_id: TRACE_ID,
    });
    const om = await call(port, '/metrics', { headers: { accept: OM_ACCEPT } });
    expect(om.body).toContain(`trace_id="${TRACE_ID}"`);
  });

  it('serves the endpoints from the middleware', async () => {
    expect((await call(port, '/health/ready')).status).toBe(200);
    expect((await call(port, '/metrics')).body).toContain('# TYPE http_server_active_requests gauge');
  });
});
