import { parseCatalog, type SimulatedMetric, type SimulatedService } from '../../src/sdk/simulate/catalog';
import { labelSets, MAX_LABEL_SETS, simulateService } from '../../src/sdk/simulate/simulator';
import { isBadValue, observation, phaseAt, seeded, weightOf } from '../../src/sdk/simulate/values';

const metric = (over: Partial<SimulatedMetric>): SimulatedMetric => ({
  name: 'shop_orders_total',
  help: 'Orders.',
  type: 'counter',
  unit: '',
  labelNames: [],
  labelValues: {},
  ...over,
});

describe('simulator: label sets', () => {
  it('emits every combination when there are few', () => {
    const sets = labelSets(metric({ labelNames: ['status', 'region'], labelValues: { status: ['ok', 'error'], region: ['eu', 'us', 'ap'] } }));
    expect(sets).toHaveLength(6);
    expect(new Set(sets.map((s) => JSON.stringify(s))).size).toBe(6);
  });

  it('bounds them when the product is large, still using every value of every label', () => {
    const values = (p: string) => Array.from({ length: 8 }, (_, i) => `${p}${i}`);
    const m = metric({ labelNames: ['a', 'b', 'c'], labelValues: { a: values('a'), b: values('b'), c: values('c') } });
    const sets = labelSets(m);
    expect(sets.length).toBeLessThanOrEqual(MAX_LABEL_SETS);
    for (const label of ['a', 'b', 'c']) expect(new Set(sets.map((s) => s[label])).size).toBe(8);
  });

  it('a metric without labels is one series', () => {
    expect(labelSets(metric({}))).toEqual([{}]);
  });
});

describe('simulator: values', () => {
  it('cycles calm, errors, slow', () => {
    expect([0, 0.59, 0.6, 0.79, 0.8, 0.99].map((f) => phaseAt(f * 100_000, 100_000))).toEqual(['calm', 'calm', 'errors', 'errors', 'slow', 'slow']);
  });

  it('error-like values are rare, except in an error period', () => {
    expect(['500', 'error', 'failure', 'timeout', 'false'].every(isBadValue)).toBe(true);
    expect(['200', 'ok', 'success', 'GET'].some(isBadValue)).toBe(false);
    expect(weightOf({ status: '500' }, 'calm')).toBeLessThan(0.1);
    expect(weightOf({ status: '500' }, 'errors')).toBeGreaterThan(weightOf({ status: '500' }, 'calm') * 5);
    expect(weightOf({ status: '200' }, 'errors')).toBe(1);
  });

  it('observations stay near the buckets, and reach past the top bucket only when slow', () => {
    const h = metric({ name: 'op_duration_seconds', type: 'histogram', unit: 'seconds', buckets: [0.01, 0.1, 1, 10] });
    const random = seeded(1);
    const calm = Array.from({ length: 500 }, () => observation(h, 'calm', random));
    const slow = Array.from({ length: 500 }, () => observation(h, 'slow', random));
    expect(Math.min(...calm)).toBeGreaterThanOrEqual(0.005);
    expect(Math.max(...calm)).toBeLessThanOrEqual(1);
    expect(Math.max(...slow)).toBeGreaterThan(10);
  });
});

describe('simulator: catalog file', () => {
  it('refuses a bad catalog, naming the file and the path', () => {
    expect(() => parseCatalog('{', 'cat.json')).toThrow(/^cat\.json: not JSON/);
    expect(() => parseCatalog('{"services":[{"name":"a","port":1,"metricsPath":"/metrics","metrics":[{"name":"x_total","type":"counter","labelNames":["s"],"labelValues":{}}]}]}', 'cat.json')).toThrow(
      'cat.json: services[0].metrics[0].labelValues.s must be a list',
    );
    expect(() => parseCatalog('{"services":[{"name":"a","port":-1,"metricsPath":"/metrics","metrics":[]}]}', 'cat.json')).toThrow('cat.json: services[0].port must be a port number');
  });
});

describe('simulator: one service', () => {
  it('serves every metric of its catalog with its service_name, within the label values given', async () => {
    const service: SimulatedService = {
      name: 'shop',
      port: 0,
      metricsPath: '/metrics',
      metrics: [
        metric({ labelNames: ['status'], labelValues: { status: ['placed', 'failed'] } }),
        metric({ name: 'shop_queue_depth', type: 'gauge', labelNames: [] }),
        metric({ name: 'shop_checkout_duration_seconds', type: 'histogram', unit: 'seconds', buckets: [0.1, 1], labelNames: [] }),
        metric({ name: 'shop_payload_bytes', type: 'summary', unit: 'bytes', percentiles: [0.5, 0.9], labelNames: [] }),
      ],
    };
    const running = await simulateService(service, { host: '127.0.0.1', port: 0, tickMs: 50 });
    try {
      const port = (running.server.address() as { port: number }).port;
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(text).toMatch(/^shop_orders_total\{status="placed",service_name="shop"\} [\d.e+-]+$/m);
      expect(text).toMatch(/^shop_orders_total\{status="failed",service_name="shop"\} /m);
      expect(text).toMatch(/^shop_queue_depth\{service_name="shop"\} /m);
      expect(text).toMatch(/^shop_checkout_duration_seconds_count\{service_name="shop"\} [1-9]/m);
      expect(text).toMatch(/^shop_payload_bytes\{quantile="0.9",service_name="shop"\} /m);
      expect(text).not.toMatch(/^nodejs_/m); // only what the catalog names (and the SDK's own build info)
      expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
    } finally {
      await running.stop();
    }
  });
});
