import { createTelemetry, defineMetric, negotiateFormat } from '../../src/sdk';
import { samples } from './support/net';

const hits = defineMetric({ name: 'hits_total', help: 'Hits "quoted" \\ and\nnewline.', type: 'counter', unit: '', labelNames: ['page'] });

describe('negotiateFormat', () => {
  it.each([
    [undefined, 'prometheus'],
    ['', 'prometheus'],
    ['text/plain;version=0.0.4', 'prometheus'],
    ['*/*', 'prometheus'],
    // Prometheus 2.x scrape header
    ['application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1', 'openmetrics'],
    // Prometheus 3.x scrape header
    ['application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,text/plain;version=0.0.4;q=0.3,*/*;q=0.1', 'openmetrics'],
    ['application/openmetrics-text;q=0.2,text/plain;q=0.9', 'prometheus'],
    ['application/openmetrics-text;q=0', 'prometheus'],
    ['application/openmetrics-text', 'openmetrics'],
  ])('%s → %s', (accept, format) => {
    expect(negotiateFormat(accept)).toBe(format);
  });
});

describe('exposition', () => {
  it('names counter samples _total in both formats, even after an OpenMetrics render', async () => {
    const t = createTelemetry({ serviceName: 'svc', defaultMetrics: false });
    t.counter(hits).inc({ page: 'a' });
    const om = await t.metrics('openmetrics');
    expect(om).toContain('# TYPE hits counter');
    expect(samples(om, 'hits_total')).toHaveLength(1);
    expect(om.endsWith('# EOF\n')).toBe(true);
    await t.registry.metrics(); // prom-client's own OpenMetrics render renames counters in place...
    const text = await t.metrics('prometheus');
    expect(text).toContain('# TYPE hits_total counter'); // ...which must not leak into ours
    expect(samples(text, 'hits_total')).toHaveLength(1);
    expect(text).not.toContain('# EOF');
  });

  it('escapes label values and help text per format', async () => {
    const t = createTelemetry({ serviceName: 'svc', defaultMetrics: false });
    t.counter(hits).inc({ page: 'a"b\\c\nd' });
    const text = await t.metrics('prometheus');
    expect(text).toContain('hits_total{page="a\\"b\\\\c\\nd",service_name="svc"} 1');
    expect(text).toContain('# HELP hits_total Hits "quoted" \\\\ and\\nnewline.');
    expect(await t.metrics('openmetrics')).toContain('# HELP hits Hits \\"quoted\\" \\\\ and\\nnewline.');
  });

  it('serves the same series on repeated renders (label cache)', async () => {
    const t = createTelemetry({ serviceName: 'svc', defaultMetrics: false });
    t.counter(hits).inc({ page: 'x' });
    const first = await t.metrics();
    t.counter(hits).inc({ page: 'x' });
    const second = await t.metrics();
    expect(samples(first, 'hits_total')).toEqual(['hits_total{page="x",service_name="svc"} 1']);
    expect(samples(second, 'hits_total')).toEqual(['hits_total{page="x",service_name="svc"} 2']);
  });
});
