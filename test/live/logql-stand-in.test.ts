/**
 * The live test's LogQL evaluator (support/logql.ts), on records shaped like the demo's: it must agree with Loki's
 * OTLP mapping and LogQL's semantics for every query shape the dashboards use, and refuse what it does not know.
 */
import { buildDashboards } from '../../src/dashboards';
import { logqlOf, substituteVariables } from '../../src/dashboards/check';
import { resolveSpec } from '../../src/spec';
import { detectedLevel, evaluateLogQL, lokiRecord, type LokiRecord } from './support/logql';
import type { DecodedLogRecord } from './support/otlp-proto';

const record = (body: string, severityNumber: number, extra: Partial<DecodedLogRecord> = {}): DecodedLogRecord => ({
  timeUnixNano: 1n,
  observedTimeUnixNano: 2n,
  severityNumber,
  severityText: detectedLevel(severityNumber),
  body,
  attributes: { 'http.route': '/api/orders/:id' },
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: '00f067aa0ba902b7',
  scope: 'obskit-sdk',
  resource: { 'service.name': 'demo', 'service.namespace': 'obskit', 'service.version': '1.0', 'process.pid': 42 },
  ...extra,
});

const records: LokiRecord[] = [
  record('request completed', 9),
  record('simulated failure', 17, { traceId: 'a3ce929d0e0e47364bf92f3577b34da6' }),
  record('other service', 9, { resource: { 'service.name': 'checkout' } }),
].map(lokiRecord);

const logs = (expr: string) => {
  const { result } = evaluateLogQL(expr, records);
  if (result.kind !== 'logs') throw new Error('not a log query');
  return result.records.map((r) => r.line);
};

describe('the Loki view of an OTLP record', () => {
  it('indexes the default resource attributes and keeps the rest as structured metadata', () => {
    expect(records[0]).toEqual({
      stream: { service_name: 'demo', service_namespace: 'obskit' },
      metadata: {
        service_version: '1.0',
        process_pid: '42',
        scope_name: 'obskit-sdk',
        http_route: '/api/orders/:id',
        severity_number: '9',
        severity_text: 'info',
        trace_id: '0af7651916cd43dd8448eb211c80319c',
        span_id: '00f067aa0ba902b7',
        detected_level: 'info',
      },
      line: 'request completed',
    });
    expect([1, 5, 9, 13, 17, 21, 24].map(detectedLevel)).toEqual(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'fatal']);
  });
});

describe('evaluateLogQL', () => {
  it('selects streams, filters lines and structured metadata', () => {
    expect(logs('{service_name="demo"}')).toEqual(['request completed', 'simulated failure']);
    expect(logs('{service_name=~"demo|checkout"} |= "completed"')).toEqual(['request completed']);
    expect(logs('{service_name="demo"} != "completed"')).toEqual(['simulated failure']);
    expect(logs('{service_name="demo"} |~ "fail.*"')).toEqual(['simulated failure']);
    expect(logs('{service_name="demo"} | trace_id="a3ce929d0e0e47364bf92f3577b34da6"')).toEqual(['simulated failure']);
    expect(logs('{service="demo"}')).toEqual([]);
  });

  it('counts lines by a label, and says which labels a query uses', () => {
    const { result, uses } = evaluateLogQL('sum by (detected_level) (count_over_time({service_name="demo"} |= "" [1m]))', records);
    expect(result).toEqual({ kind: 'counts', groups: new Map([['{"detected_level":"info"}', 1], ['{"detected_level":"error"}', 1]]) });
    expect(uses).toEqual({ streamLabels: ['service_name'], filterLabels: [], groupBy: ['detected_level'] });
  });

  it('evaluates every LogQL query of the dashboards', () => {
    const dashboards = buildDashboards(resolveSpec({ namespace: 'o', services: [{ name: 'demo', port: 8080 }] }));
    const queries = dashboards.flatMap((d) => logqlOf(d.model));
    expect(queries.length).toBeGreaterThan(0);
    for (const { expr } of queries) {
      const q = substituteVariables(expr, { service_name: 'demo', search: '', __auto: '1m' });
      expect(() => evaluateLogQL(q, records)).not.toThrow();
    }
  });

  it('refuses what it was not taught, and what does not parse', () => {
    expect(() => evaluateLogQL('{service_name="demo"} | json', records)).toThrow(/does not know .*teach it/);
    expect(() => evaluateLogQL('rate({service_name="demo"} [1m])', records)).toThrow(/does not know/);
    expect(() => evaluateLogQL('{service_name="demo"} |= ', records)).toThrow(/LogQL does not parse at offset/);
  });
});
