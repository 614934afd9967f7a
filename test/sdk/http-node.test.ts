import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { createTelemetry, type Telemetry } from '../../src/sdk';
import { call, close, listen, memoryLog, OM_ACCEPT, samples, until } from './support/net';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const PARENT_ID = 'b7ad6b7169203331';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_ID}-01`;

describe('node:http instrumentation', () => {
  let t: Telemetry;
  let server: Server;
  let port: number;
  let log: ReturnType<typeof memoryLog>;

  beforeEach(async () => {
    log = memoryLog();
    t = createTelemetry({ serviceName: 'checkout', defaultMetrics: false, log: { destination: log.stream }, http: { accessLog: 'all' } });
    const handler = t.http(
      (req, res) => {
        if (req.url === '/boom') throw new Error('kaboom');
        t.logger.info({ in_handler: true }, 'handling');
        res.statusCode = req.url?.startsWith('/fail') ? 503 : 200;
        res.end('ok');
      },
      { routes: ['/users/:id', '/files/*'] },
    );
    server = createServer(handler);
    port = await listen(server);
  });

  afterEach(async () => {
    await close(server);
    await t.close();
  });

  const count = async (labels: string) =>
    samples(await t.metrics(), 'http_server_request_duration_seconds_count').find((l) => l.includes(labels));

  it('labels duration by method, route template and status code', async () => {
    await call(port, '/users/1');
    await call(port, '/users/2?x=1');
    await call(port, '/files/a/b/c.txt');
    await call(port, '/fail/now');
    await call(port, '/users/1', { method: 'DELETE' });
    const text = await t.metrics();
    const lines = samples(text, 'http_server_request_duration_seconds_count');
    expect(lines).toEqual(
      expect.arrayContaining([
        'http_server_request_duration_seconds_count{http_request_method="GET",http_route="/users/:id",http_response_status_code="200",service_name="checkout"} 2',
        'http_server_request_duration_seconds_count{http_request_method="GET",http_route="/files/*",http_response_status_code="200",service_name="checkout"} 1',
        'http_server_request_duration_seconds_count{http_request_method="GET",http_route="_unmatched",http_response_status_code="503",service_name="checkout"} 1',
        'http_server_request_duration_seconds_count{http_request_method="DELETE",http_route="/users/:id",http_response_status_code="200",service_name="checkout"} 1',
      ]),
    );
    expect(lines).toHaveLength(4);
    expect(samples(text, 'http_server_active_requests')).toEqual([
      'http_server_active_requests{http_request_method="GET",url_scheme="http",service_name="checkout"} 0',
      'http_server_active_requests{http_request_method="DELETE",url_scheme="http",service_name="checkout"} 0',
    ]);
  });

  it('records methods outside the well-known set as _OTHER', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.end('PROPFIND /users/9 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1.1 200/);
    expect(await count('http_request_method="_OTHER",http_route="/users/:id"')).toBeDefined();
  });

  it('counts in-flight requests while they run', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = createServer(t.http((_req, res) => void gate.then(() => res.end('late')), { routes: ['/slow'] }));
    const slowPort = await listen(slow);
    const pending = call(slowPort, '/slow');
    await until(async () => (samples(await t.metrics(), 'http_server_active_requests')[0]?.endsWith(' 1') ? true : undefined));
    release();
    await pending;
    expect(samples(await t.metrics(), 'http_server_active_requests')[0]).toMatch(/ 0$/);
    await close(slow);
  });

  it('continues the caller trace: log lines and the exemplar carry its trace id', async () => {
    const reply = await call(port, '/users/7', { headers: { traceparent: TRACEPARENT } });
    expect(reply.status).toBe(200);
    const lines = log.lines();
    const inHandler = lines.find((l) => l.in_handler === true);
    expect(inHandler).toMatchObject({ trace_id: TRACE_ID, span_id: PARENT_ID, service_name: 'checkout', level: 'info' });
    expect(lines.find((l) => l.msg === 'request completed')).toMatchObject({
      trace_id: TRACE_ID,
      http_route: '/users/:id',
      http_response_status_code: 200,
      url_path: '/users/7',
    });
    const om = await call(port, '/metrics', { headers: { accept: OM_ACCEPT } });
    expect(om.headers['content-type']).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    const exemplar = samples(om.body, 'http_server_request_duration_seconds_bucket').find((l) => l.includes(' # {'));
    expect(exemplar).toContain(`# {trace_id="${TRACE_ID}",span_id="${PARENT_ID}"}`);
    expect(exemplar).toContain('http_route="/users/:id"');
  });

  it.each([
    ['garbage', 'not-a-traceparent'],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${PARENT_ID}-01`],
    ['all-zero span id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-${PARENT_ID}-01`],
    ['version ff', `ff-${TRACE_ID}-${PARENT_ID}-01`],
    ['version 00 with extra field', `00-${TRACE_ID}-${PARENT_ID}-01-extra`],
    ['short trace id', `00-${TRACE_ID.slice(1)}-${PARENT_ID}-01`],
    ['huge', `00-${'a'.repeat(5000)}`],
  ])('ignores a malformed traceparent safely (%s)', async (_name, traceparent) => {
    const reply = await call(port, '/users/8', { headers: { traceparent, tracestate: 'x=1' } });
    expect(reply.status).toBe(200);
    const line = log.lines().find((l) => l.msg === 'request completed');
    expect(line).toBeDefined();
    expect(line).not.toHaveProperty('trace_id');
    expect((await t.metrics('openmetrics')).includes('trace_id')).toBe(false);
  });

  it('accepts a future traceparent version with extra fields', async () => {
    await call(port, '/users/8', { headers: { traceparent: `01-${TRACE_ID}-${PARENT_ID}-01-what-ever` } });
    expect(log.lines().find((l) => l.msg === 'request completed')).toMatchObject({ trace_id: TRACE_ID });
  });

  it('takes the correlation id from the request, or makes one, for log lines', async () => {
    const given = await call(port, '/users/1', { headers: { 'x-request-id': 'req-123' } });
    expect(given.headers['x-request-id']).toBeUndefined(); // not echoed unless asked (correlationResponseHeader)
    await call(port, '/users/1');
    await call(port, '/users/1', { headers: { 'x-request-id': 'evil\tid with spaces' } });
    const completed = log.lines().filter((l) => l.msg === 'request completed');
    const ids = completed.map((l) => l.correlation_id as string);
    expect(ids[0]).toBe('req-123');
    expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[2]).toMatch(/^[0-9a-f-]{36}$/);
    // the handler's own log line carries the same id as the access log line
    const handled = log.lines().filter((l) => l.msg === 'handling').map((l) => l.correlation_id);
    expect(handled).toEqual(ids);
  });

  it('sets the correlation id on responses when asked', async () => {
    const t2 = createTelemetry({
      serviceName: 'x',
      defaultMetrics: false,
      log: { destination: memoryLog().stream },
      http: { correlationResponseHeader: true, correlationHeader: 'X-Correlation-ID' },
    });
    const s2 = createServer(t2.http((_req, res) => res.end()));
    const p2 = await listen(s2);
    expect((await call(p2, '/', { headers: { 'x-correlation-id': 'abc.123' } })).headers['x-correlation-id']).toBe('abc.123');
    expect((await call(p2, '/')).headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    await close(s2);
    await t2.close();
  });

  it('without asyncContext, the access log still carries the trace (handler logs do not)', async () => {
    const log2 = memoryLog();
    const t2 = createTelemetry({ serviceName: 'x', defaultMetrics: false, log: { destination: log2.stream }, http: { asyncContext: false, accessLog: 'all' } });
    const s2 = createServer(t2.http((_req, res) => {
      t2.logger.info('inside');
      res.end();
    }));
    const p2 = await listen(s2);
    await call(p2, '/', { headers: { traceparent: TRACEPARENT } });
    expect(log2.lines().find((l) => l.msg === 'inside')).not.toHaveProperty('trace_id');
    expect(log2.lines().find((l) => l.msg === 'request completed')).toMatchObject({ trace_id: TRACE_ID });
    await close(s2);
    await t2.close();
  });

  it('turns a throwing handler into a 500 and keeps serving', async () => {
    expect((await call(port, '/boom')).status).toBe(500);
    expect(log.lines().find((l) => l.msg === 'request handler threw')).toMatchObject({ level: 'error' });
    expect(await count('http_route="_unmatched",http_response_status_code="500"')).toBeDefined();
    expect((await call(port, '/users/1')).status).toBe(200);
  });

  it('serves /metrics (negotiated) and health endpoints without recording them', async () => {
    const text = await call(port, '/metrics');
    expect(text.status).toBe(200);
    expect(text.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(text.body).not.toContain('# EOF');
    expect((await call(port, '/health/live')).body).toBe('{"status":"ok","checks":{}}');
    expect((await call(port, '/health/ready')).status).toBe(200);
    expect(samples(await t.metrics(), 'http_server_request_duration_seconds_count')).toEqual([]);
  });

  it('injects the active trace into outgoing headers', async () => {
    let seen: Record<string, string | string[] | undefined> = {};
    const downstream = createServer((req, res) => {
      seen = req.headers;
      res.end();
    });
    const downstreamPort = await listen(downstream);
    const upstream = createServer(
      t.http((_req, res) => {
        const out = request({ host: '127.0.0.1', port: downstreamPort, agent: false, headers: t.injectHeaders() }, (r) => {
          r.resume();
          r.on('end', () => res.end('done'));
        });
        out.end();
      }),
    );
    const upstreamPort = await listen(upstream);
    await call(upstreamPort, '/', { headers: { traceparent: TRACEPARENT, 'x-request-id': 'corr-1' } });
    expect(seen.traceparent).toBe(TRACEPARENT);
    expect(seen['x-request-id']).toBe('corr-1');
    await close(upstream);
    await close(downstream);
  });

  it('serves metrics on a port of their own', async () => {
    const metricsServer = await t.startMetricsServer({ port: 0, host: '127.0.0.1' });
    const metricsPort = (metricsServer.address() as { port: number }).port;
    expect((await call(metricsPort, '/metrics')).body).toContain('# TYPE http_server_request_duration_seconds histogram');
    expect((await call(metricsPort, '/other')).status).toBe(404);
  });
});
