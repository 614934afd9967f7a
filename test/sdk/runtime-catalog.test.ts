import type { Histogram } from 'prom-client';
import { runtimeMetrics, DROPPED_DEFAULT_METRICS } from '../../src/sdk/catalog';
import { createRegistry } from '../../src/sdk/runtime/registry';

interface MetricShape {
  name: string;
  help: string;
  type: string;
  labelNames?: string[];
  upperBounds?: number[];
}

describe('runtime metrics in the catalog', () => {
  it('match what prom-client default metrics really register (name, type, help, labels, buckets)', () => {
    const registry = createRegistry({ serviceName: 'cat' });
    const real = (registry.getMetricsAsArray() as unknown as MetricShape[]).map((m) => ({
      name: m.name,
      type: m.type,
      help: m.help,
      labelNames: [...(m.labelNames ?? [])],
      ...(m.type === 'histogram' ? { buckets: [...((m as unknown as Histogram & MetricShape).upperBounds ?? [])] } : {}),
    }));
    const listed = runtimeMetrics.map((d) => ({
      name: d.name,
      type: d.type,
      help: d.help,
      labelNames: [...d.labelNames],
      ...(d.type === 'histogram' ? { buckets: [...(d.buckets ?? [])] } : {}),
    }));
    expect(real.sort((a, b) => a.name.localeCompare(b.name))).toEqual(listed.sort((a, b) => a.name.localeCompare(b.name)));
  });

  it('drops the gauges prom-client names *_total', () => {
    const registry = createRegistry({ serviceName: 'cat' });
    for (const name of DROPPED_DEFAULT_METRICS) expect(registry.getSingleMetric(name)).toBeUndefined();
  });
});
