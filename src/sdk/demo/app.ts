import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { demoOrders, demoPaymentDuration, type Telemetry } from '..';

/** The demo's routes: ones that succeed, fail, are slow, and one that calls the demo itself (trace propagation). */
export const DEMO_ROUTES = [
  '/',
  '/api/orders/:id',
  '/api/orders',
  '/api/checkout',
  '/api/fail',
  '/api/flaky',
  '/api/slow',
] as const;

export interface DemoAppOptions {
  readonly errorRate: number;
  /** Base URL the demo calls for `/api/checkout` (itself). */
  readonly selfUrl: () => string;
  readonly random?: () => number;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    req.on('data', () => {});
    req.on('end', resolve);
    req.on('error', () => resolve());
  });
}

/** The demo's request listener, instrumented with the SDK. */
export function createDemoApp(telemetry: Telemetry, options: DemoAppOptions): RequestListener {
  const random = options.random ?? Math.random;
  const orders = telemetry.counter(demoOrders);
  const payment = telemetry.histogram(demoPaymentDuration);
  const log = telemetry.logger;

  const placeOrder = async (res: ServerResponse) => {
    const done = payment.startTimer({ payment_provider: random() < 0.5 ? 'card' : 'wallet' });
    await sleep(10 + random() * 190);
    done();
    if (random() < 0.1) {
      orders.inc({ order_outcome: 'rejected' });
      log.warn({ order_outcome: 'rejected' }, 'order rejected: payment declined');
      return send(res, 422, { error: 'payment declined' });
    }
    orders.inc({ order_outcome: 'placed' });
    log.info({ order_outcome: 'placed' }, 'order placed');
    return send(res, 201, { status: 'placed' });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://demo.local');
    const path = url.pathname;
    if (path === '/' && req.method === 'GET') return send(res, 200, { service: telemetry.serviceName, routes: DEMO_ROUTES });
    if (path === '/api/orders' && req.method === 'POST') {
      await drain(req);
      return placeOrder(res);
    }
    const order = /^\/api\/orders\/([^/]+)$/.exec(path);
    if (order && req.method === 'GET') {
      const id = order[1] ?? '';
      if (!/^\d+$/.test(id)) return send(res, 404, { error: 'no such order' });
      await sleep(random() * 20);
      return send(res, 200, { id: Number(id), status: 'placed' });
    }
    if (path === '/api/checkout' && req.method === 'POST') {
      await drain(req);
      const upstream = await fetch(`${options.selfUrl()}/api/orders`, {
        method: 'POST',
        headers: telemetry.injectHeaders({ 'content-type': 'application/json' }) as Record<string, string>,
        body: '{}',
      });
      await upstream.arrayBuffer();
      return send(res, upstream.status === 201 ? 200 : 502, { upstream: upstream.status });
    }
    if (path === '/api/fail') {
      log.error('simulated failure');
      return send(res, 500, { error: 'simulated failure' });
    }
    if (path === '/api/flaky') {
      if (random() < options.errorRate) {
        log.error('flaky dependency failed');
        return send(res, 503, { error: 'flaky dependency failed' });
      }
      return send(res, 200, { status: 'ok' });
    }
    if (path === '/api/slow') {
      const requested = Number(url.searchParams.get('ms'));
      const ms = Number.isFinite(requested) && requested > 0 ? Math.min(requested, 10_000) : 200 + random() * 1300;
      await sleep(ms);
      return send(res, 200, { slept_ms: Math.round(ms) });
    }
    return send(res, 404, { error: 'not found' });
  };

  return telemetry.http(
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        log.error({ err: error }, 'request failed');
        if (!res.headersSent) send(res, 500, { error: 'internal error' });
        else res.destroy();
      });
    },
    { routes: DEMO_ROUTES },
  );
}
