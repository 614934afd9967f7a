import { request } from 'node:http';

/**
 * The optional built-in load loop: sends a weighted mix of requests to the demo itself, on loopback, so every
 * dashboard panel has data without an external load generator. At most `maxInFlight` requests at a time.
 */

const MIX: readonly { readonly method: string; readonly path: () => string; readonly weight: number }[] = [
  { method: 'GET', path: () => `/api/orders/${Math.floor(Math.random() * 1000)}`, weight: 40 },
  { method: 'POST', path: () => '/api/orders', weight: 15 },
  { method: 'POST', path: () => '/api/checkout', weight: 10 },
  { method: 'GET', path: () => '/api/flaky', weight: 20 },
  { method: 'GET', path: () => '/api/slow', weight: 5 },
  { method: 'GET', path: () => '/api/fail', weight: 3 },
  { method: 'GET', path: () => '/api/orders/not-a-number', weight: 4 },
  { method: 'GET', path: () => `/no/such/page/${Math.floor(Math.random() * 1e6)}`, weight: 3 },
];
const TOTAL = MIX.reduce((sum, m) => sum + m.weight, 0);

function pick(): (typeof MIX)[number] {
  let r = Math.random() * TOTAL;
  for (const m of MIX) {
    r -= m.weight;
    if (r < 0) return m;
  }
  return MIX[0] as (typeof MIX)[number];
}

export interface LoadLoop {
  readonly sent: () => number;
  stop(): void;
}

export function startLoadLoop(port: number, rps: number, maxInFlight = 50): LoadLoop {
  let inFlight = 0;
  let sent = 0;
  const timer = setInterval(() => {
    if (inFlight >= maxInFlight) return;
    const m = pick();
    inFlight += 1;
    sent += 1;
    const req = request({ host: '127.0.0.1', port, method: m.method, path: m.path(), timeout: 15_000 }, (res) => {
      res.resume();
      res.on('end', () => (inFlight -= 1));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => (inFlight -= 1));
    req.end(m.method === 'POST' ? '{}' : undefined);
  }, 1000 / rps);
  timer.unref();
  return { sent: () => sent, stop: () => clearInterval(timer) };
}
