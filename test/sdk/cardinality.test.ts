import { createTelemetry, defineMetric, OVERFLOW_LABEL_VALUE, UNMATCHED_ROUTE } from '../../src/sdk';
import { SeriesTable } from '../../src/sdk/runtime/cardinality';
import { drive } from './support/drive';
import { samples } from './support/net';

const tenants = defineMetric({ name: 'tenant_requests_total', help: 'Requests by tenant.', type: 'counter', unit: '', labelNames: ['tenant'] });

function value(text: string, line: string): number {
  const found = text.split('\n').find((l) => l.startsWith(line));
  return found ? Number(found.slice(found.lastIndexOf(' ') + 1)) : Number.NaN;
}

describe('cardinality guard', () => {
  it('admits at most max label sets and folds the rest into one overflow set', () => {
    let folded = 0;
    const table = new SeriesTable(['a', 'b'], 3, (labels) => ({ labels }), () => (folded += 1));
    const sets = Array.from({ length: 10 }, (_, i) => table.get([`a${i}`, 'b']));
    expect(new Set(sets).size).toBe(4);
    expect(sets[9]?.labels).toEqual({ a: OVERFLOW_LABEL_VALUE, b: OVERFLOW_LABEL_VALUE });
    expect(table.get(['a1', 'b'])).toBe(sets[1]); // admitted sets keep recording
    expect(table.size).toBe(3);
    expect(table.all()).toHaveLength(4);
    expect(folded).toBe(7);
  });

  it('keys label values without separator collisions', () => {
    const table = new SeriesTable(['a', 'b'], 10, (labels) => ({ labels }), () => {});
    expect(table.get(['x:', 'y'])).not.toBe(table.get(['x', ':y']));
    expect(table.get(['x\u0000', 'y'])).not.toBe(table.get(['x', '\u0000y']));
    expect(table.size).toBe(4);
  });

  it('does not grow past the cap when new values appear in the first label (no empty branches)', () => {
    const table = new SeriesTable(['a', 'b'], 2, (labels) => ({ labels }), () => {});
    for (let i = 0; i < 1000; i += 1) table.get([`a${i}`, 'b']);
    const root = (table as unknown as { root: Map<string, unknown> }).root;
    expect(root.size).toBe(2);
  });

  it('100,000 distinct label values stay at the cap (default 2000) plus one overflow series', async () => {
    const t = createTelemetry({ serviceName: 'svc', defaultMetrics: false });
    const c = t.counter(tenants);
    for (let i = 0; i < 100_000; i += 1) c.inc({ tenant: `tenant-${i}` });
    const text = await t.metrics();
    const series = samples(text, 'tenant_requests_total');
    expect(series).toHaveLength(2001);
    expect(value(text, `tenant_requests_total{tenant="${OVERFLOW_LABEL_VALUE}"`)).toBe(98_000);
    expect(value(text, 'obskit_sdk_series_overflow_total{metric_name="tenant_requests_total"')).toBe(98_000);
    expect(c.seriesCount).toBe(2000);
  });

  it('honours a per-metric cap from the definition', async () => {
    const capped = defineMetric({ name: 'capped_total', help: 'Capped.', type: 'counter', unit: '', labelNames: ['k'], maxSeries: 5 });
    const t = createTelemetry({ serviceName: 'svc', defaultMetrics: false, maxSeries: 1000 });
    for (let i = 0; i < 50; i += 1) t.counter(capped).inc({ k: String(i) });
    expect(samples(await t.metrics(), 'capped_total')).toHaveLength(6);
  });

  it('1,000,000 distinct raw paths give one series per route template, never per URL', async () => {
    const t = createTelemetry({ serviceName: 'svc', defaultMetrics: false, http: { accessLog: 'none' } });
    const listener = t.http((_req, res) => res.statusCode, { routes: ['/users/:id'] });
    for (let i = 0; i < 1_000_000; i += 1) {
      drive(listener, i % 7 === 0 ? 'BREW' : 'GET', i % 2 === 0 ? `/users/${i}?q=${i}` : `/x/${i}/y`, i % 3 === 0 ? 500 : 200);
    }
    const text = await t.metrics();
    const counts = samples(text, 'http_server_request_duration_seconds_count');
    // methods {GET, _OTHER} × routes {/users/:id, _unmatched} × status {200, 500}
    expect(counts).toHaveLength(8);
    expect(counts.every((l) => /http_route="(\/users\/:id|_unmatched)"/.test(l))).toBe(true);
    expect(counts.some((l) => l.includes('http_request_method="_OTHER"'))).toBe(true);
    expect(counts.reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0)).toBe(1_000_000);
    expect(text).not.toContain(UNMATCHED_ROUTE + '/');
    expect(samples(text, 'http_server_active_requests').every((l) => l.endsWith(' 0'))).toBe(true);
  });

  it('caps series even when a route resolver leaks raw paths', async () => {
    const t = createTelemetry({ serviceName: 'svc', defaultMetrics: false, http: { accessLog: 'none' } });
    const listener = t.http((_req, res) => res.statusCode, { route: (_req, path) => path });
    for (let i = 0; i < 100_000; i += 1) drive(listener, 'GET', `/raw/${i}`);
    const text = await t.metrics();
    expect(samples(text, 'http_server_request_duration_seconds_count')).toHaveLength(2001);
    expect(text).toContain(`http_route="${OVERFLOW_LABEL_VALUE}"`);
    expect(value(text, 'obskit_sdk_series_overflow_total{metric_name="http_server_request_duration_seconds"')).toBe(98_000);
  });
});
