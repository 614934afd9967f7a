import Fastify, { type FastifyInstance } from 'fastify';
import { createTelemetry, type Telemetry } from '../../src/sdk';
import { call, memoryLog, OM_ACCEPT, samples } from './support/net';

const TRACE_ID = '5bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

describe('Fastify instrumentation', () => {
  let t: Telemetry;
  let app: FastifyInstance;
  let port: number;
  let log: ReturnType<typeof memoryLog>;

  beforeAll(async () => {
    log = memoryLog();
    t = createTelemetry({ serviceName: 'api', defaultMetrics: false, log: { destination: log.stream } });
    app = Fastify();
    await app.register(t.fastify);
    await app.register(
      async (scoped) => {
        scoped.get('/items/:id', async (request) => {
          await new Promise((r) => setTimeout(r, 2));
          t.logger.info('loading item');
          return { id: (request.params as { id: string }).id };
        });
        scoped.get('/broken', async () => {
          throw new Error('broken');
        });
      },
      { prefix: '/v1' },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await app.close();
    await t.close();
  });

  it('labels by the Fastify route template (prefix included); 404s as _unmatched', async () => {
    await call(port, '/v1/items/1');
    await call(port, '/v1/items/2');
    await call(port, '/v1/broken');
    await call(port, '/missing/thing');
    const lines = samples(await t.metrics(), 'http_server_request_duration_seconds_count');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringContaining('http_request_method="GET",http_route="/v1/items/:id",http_response_status_code="200",service_name="api"} 2'),
        expect.stringContaining('http_route="/v1/broken",http_response_status_code="500"'),
        expect.stringContaining('http_route="_unmatched",http_response_status_code="404"'),
      ]),
    );
    expect(lines).toHaveLength(3);
  });

  it('carries the trace id into handler logs and exemplars', async () => {
    await call(port, '/v1/items/3', { headers: { traceparent: TRACEPARENT } });
    expect(log.lines().find((l) => l.msg === 'loading item' && l.trace_id)).toMatchObject({ trace_id: TRACE_ID });
    const om = await call(port, '/metrics', { headers: { accept: OM_ACCEPT } });
    expect(om.headers['content-type']).toContain('application/openmetrics-text');
    expect(om.body).toContain(`trace_id="${TRACE_ID}"`);
  });

  it('serves the health endpoints as routes', async () => {
    const ready = await call(port, '/health/ready');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ status: 'ok', checks: {} });
  });
});
