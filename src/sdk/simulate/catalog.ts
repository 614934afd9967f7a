/**
 * What the simulator plays: for each service, every metric its mixins define (name, type, unit, labels, buckets)
 * and, per label, the bounded set of values to emit. Plain JSON, written by synth (compose/simulator/catalog.json)
 * from the spec's mixins, so the simulator needs the SDK alone and never loads generator code.
 */
import type { MetricType, Unit } from '../catalog/define';

export interface SimulatedMetric {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly unit: Unit;
  readonly labelNames: readonly string[];
  readonly buckets?: readonly number[];
  readonly percentiles?: readonly number[];
  /** Per label, the values emitted (every label of `labelNames` has at least one). */
  readonly labelValues: Readonly<Record<string, readonly string[]>>;
}

export interface SimulatedService {
  readonly name: string;
  /** Where the simulator serves its `/metrics` (the port Prometheus scrapes). */
  readonly port: number;
  readonly metricsPath: string;
  readonly metrics: readonly SimulatedMetric[];
}

export interface SimulationCatalog {
  readonly services: readonly SimulatedService[];
}

const TYPES: readonly MetricType[] = ['counter', 'gauge', 'histogram', 'summary'];

/** A catalog read from JSON, checked field by field; the error names the file and the path of what is wrong. */
export function parseCatalog(text: string, source: string): SimulationCatalog {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not JSON (${(error as Error).message})`);
  }
  const fail = (path: string, problem: string): never => {
    throw new Error(`${source}: ${path} ${problem}`);
  };
  const obj = (v: unknown, path: string): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : fail(path, 'must be an object');
  const list = (v: unknown, path: string): unknown[] => (Array.isArray(v) ? v : fail(path, 'must be a list'));
  const str = (v: unknown, path: string): string => (typeof v === 'string' && v !== '' ? v : fail(path, 'must be a non-empty string'));
  const root = obj(data, 'the catalog');
  const services = list(root.services, 'services').map((s, i) => {
    const at = `services[${i}]`;
    const service = obj(s, at);
    const port = service.port;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) return fail(`${at}.port`, 'must be a port number');
    const metrics = list(service.metrics, `${at}.metrics`).map((m, j) => {
      const mat = `${at}.metrics[${j}]`;
      const metric = obj(m, mat);
      if (!TYPES.includes(metric.type as MetricType)) fail(`${mat}.type`, `must be one of ${TYPES.join(', ')}`);
      const labelNames = list(metric.labelNames, `${mat}.labelNames`).map((l, k) => str(l, `${mat}.labelNames[${k}]`));
      const values = obj(metric.labelValues, `${mat}.labelValues`);
      for (const label of labelNames) {
        const v = list(values[label], `${mat}.labelValues.${label}`);
        if (v.length === 0) fail(`${mat}.labelValues.${label}`, 'must list at least one value');
        v.forEach((x, k) => str(x, `${mat}.labelValues.${label}[${k}]`));
      }
      str(metric.name, `${mat}.name`);
      return metric as unknown as SimulatedMetric;
    });
    return { name: str(service.name, `${at}.name`), port, metricsPath: str(service.metricsPath, `${at}.metricsPath`), metrics };
  });
  return { services };
}
