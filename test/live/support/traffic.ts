import { Agent, request } from 'node:http';

/**
 * Traffic to the demo, deterministic rather than random (the demo's own DEMO_LOAD_RPS loop picks at random), so
 * the error ratio before the burst is known to be well under the alert thresholds: every cycle of 1000 requests
 * holds exactly the mix below. A burst sends every other request to /api/fail instead (50% answered 500).
 *
 * Per 1000 requests: 1 failure (500), 40 slow (600 ms, over the 500 ms latency SLO threshold: 4 × its budget, so
 * the latency SLO's ticket fires and its dashboard panels have data, under the page's 6 ×), 4 checkouts (each
 * also calls POST /api/orders on the demo, with the trace propagated), 20 orders (201, or 422 when the demo
 * declines one: a client error), 10 of /api/flaky (200 with DEMO_ERROR_RATE=0), 7 not found (404) and the rest
 * reads (200). Server errors before the burst: the failure, plus the 502 of a checkout whose order the demo
 * declines (1 in 10) — about 0.14%, under the 0.6% (6 × the 99.9% budget) at which ErrorBudgetBurnFast's 6h/30m
 * pair pages, even over the few hundred requests before the burst.
 */
const MIX: readonly { readonly kind: string; readonly count: number; readonly method: string; readonly path: (n: number) => string }[] = [
  { kind: 'fail', count: 1, method: 'GET', path: () => '/api/fail' },
  { kind: 'slow', count: 40, method: 'GET', path: () => '/api/slow?ms=600' },
  { kind: 'checkout', count: 4, method: 'POST', path: () => '/api/checkout' },
  { kind: 'order', count: 20, method: 'POST', path: () => '/api/orders' },
  { kind: 'flaky', count: 10, method: 'GET', path: () => '/api/flaky' },
  { kind: 'bad-id', count: 4, method: 'GET', path: () => '/api/orders/not-a-number' },
  { kind: 'unmatched', count: 3, method: 'GET', path: (n) => `/no/such/page/${n}` },
  { kind: 'index', count: 2, method: 'GET', path: () => '/' },
  { kind: 'read', count: 916, method: 'GET', path: (n) => `/api/orders/${n % 1000}` },
];

/** The cycle: each kind spread evenly over its slots. */
function cycle(): (typeof MIX)[number][] {
  const length = MIX.reduce((n, m) => n + m.count, 0);
  const slots = MIX.flatMap((m) => Array.from({ length: m.count }, (_, k) => ({ m, at: ((k + 0.5) * length) / m.count })));
  return slots.sort((a, b) => a.at - b.at).map((s) => s.m);
}

export class Traffic {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly plan = cycle();
  private timer: NodeJS.Timeout | undefined;
  private n = 0;
  private bursting = false;
  readonly statuses = new Map<number, number>();
  readonly sent = new Map<string, number>();
  errors = 0;

  constructor(
    private readonly port: number,
    private readonly rps: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), 1000 / this.rps);
  }

  /** While on, every other request goes to /api/fail. */
  burst(on: boolean): void {
    this.bursting = on;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.agent.destroy();
  }

  private tick(): void {
    const n = this.n++;
    const pick = this.bursting && n % 2 === 0 ? MIX[0]! : this.plan[n % this.plan.length]!;
    this.sent.set(pick.kind, (this.sent.get(pick.kind) ?? 0) + 1);
    const req = request(
      { host: '127.0.0.1', port: this.port, method: pick.method, path: pick.path(n), agent: this.agent, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on('end', () => this.statuses.set(res.statusCode ?? 0, (this.statuses.get(res.statusCode ?? 0) ?? 0) + 1));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => (this.errors += 1));
    req.end(pick.method === 'POST' ? '{}' : undefined);
  }
}

/** One request with headers (a known traceparent), answering the status. */
export function send(port: number, method: string, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.on('error', reject);
    req.end(method === 'POST' ? '{}' : undefined);
  });
}
