import { serviceMetrics } from '../../src/mixin/compose';
import { defineStack, resolveSpec } from '../../src/spec';
import { simulationCatalog } from '../../src/simulate/catalog';
import { labelValues, MAX_VALUES, selectedValues } from '../../src/simulate/label-values';
import { defineMixin } from '../../src/mixin';
import { http, pythonRuntime } from '../../src/mixins';
import { defineMetric } from '../../src/sdk/catalog/define';
import { hooks } from '../fixtures/hooks-mixin';
import { systemsSpecInput } from '../fixtures/systems-spec';

const spec = resolveSpec(systemsSpecInput((s) => 9000 + s.length));

describe('simulation catalog', () => {
  const catalog = simulationCatalog(spec);

  it('has every simulated service, with every metric of its mixins (and their buckets)', () => {
    expect(catalog.services.map((s) => s.name)).toEqual(spec.services.map((s) => s.name));
    for (const service of spec.services) {
      const defs = serviceMetrics(spec, service);
      const simulated = catalog.services.find((s) => s.name === service.name)!;
      expect(simulated.metrics.map((m) => m.name).sort()).toEqual([...defs.keys()].sort());
      for (const m of simulated.metrics) expect({ m: m.name, buckets: m.buckets }).toEqual({ m: m.name, buckets: defs.get(m.name)!.buckets });
    }
  });

  it('gives every label a small bounded set of values', () => {
    for (const m of catalog.services.flatMap((s) => s.metrics)) {
      expect(Object.keys(m.labelValues).sort()).toEqual([...m.labelNames].sort());
      for (const values of Object.values(m.labelValues)) {
        expect(values.length).toBeGreaterThan(0);
        expect(values.length).toBeLessThanOrEqual(MAX_VALUES);
      }
    }
  });

  it('never gives a label more values than its definition promises (maxLabelValues), so `obskit check` passes', () => {
    const web = resolveSpec(defineStack({ namespace: 'o', environment: 'local', mixins: [], services: [{ name: 'web', port: 9100, simulated: true, mixins: [http(), pythonRuntime()] }] }));
    const [service] = simulationCatalog(web).services;
    const defs = serviceMetrics(web, web.services[0]!);
    let bounded = 0;
    for (const m of service!.metrics) {
      for (const [label, bound] of Object.entries(defs.get(m.name)!.maxLabelValues ?? {})) {
        bounded += 1;
        expect({ metric: m.name, label, values: m.labelValues[label]!.length <= (bound as number) }).toEqual({ metric: m.name, label, values: true });
      }
    }
    expect(bounded).toBeGreaterThanOrEqual(5);
    expect(service!.metrics.find((m) => m.name === 'http_server_active_requests')!.labelValues.url_scheme).toEqual(['http', 'https']);

    const tiny = defineMixin({
      name: 'tiny', version: '1.0.0', scope: 'service', description: 'One bounded label.', params: {}, labelExamples: { tier: ['gold', 'silver', 'bronze'] },
      metrics: () => [defineMetric({ name: 'tiny_total', help: 'Tiny.', type: 'counter', unit: '', labelNames: ['tier'], maxLabelValues: { tier: 2 } })],
    });
    const own = resolveSpec(defineStack({ namespace: 'o', environment: 'local', mixins: [], services: [{ name: 't', port: 9100, simulated: true, mixins: [tiny()] }] }));
    expect(simulationCatalog(own).services[0]!.metrics[0]!.labelValues.tier).toEqual(['gold', 'silver']);
  });

  it('uses a mixin\'s label examples, and the values the spec\'s queries select (so filtered panels have data)', () => {
    const gnm = catalog.services.find((s) => s.name === 'git-notes-memory')!;
    const hookDuration = gnm.metrics.find((m) => m.name === 'hook_execution_duration_ms')!;
    expect(hookDuration.labelValues.hook).toContain('user_prompt'); // the SLO's matcher
    expect(hookDuration.labelValues.session_id).toEqual(['3f9c2e1a', '5b7d0e44', 'c81f6a90']); // the mixin's examples
  });

  it('a user\'s own mixin gets generated values for labels it gives no examples for', () => {
    const own = resolveSpec(defineStack({ namespace: 'o', environment: 'local', mixins: [], services: [{ name: 'runner', port: 9100, simulated: true, mixins: [hooks()] }] }));
    const [service] = simulationCatalog(own).services;
    expect(service!.metrics.map((m) => m.name).sort()).toEqual([...serviceMetrics(own, own.services[0]!).keys()].sort());
    for (const m of service!.metrics) for (const l of m.labelNames) expect(m.labelValues[l]!.length).toBeGreaterThan(1);
  });

  it('refuses `simulated` on a push-only service, naming it', () => {
    expect(() =>
      resolveSpec(defineStack({ namespace: 'o', environment: 'local', mixins: [], services: [{ name: 'job', ingest: 'otlp', simulated: true, mixins: [hooks()] }] })),
    ).toThrow(/services\[0\]\.simulated: applies to scraped services only/);
  });

  it('only for services marked simulated', () => {
    const none = resolveSpec({ ...systemsSpecInput((s) => 9000 + s.length), services: systemsSpecInput((s) => 9000 + s.length).services.map((s) => ({ ...s, simulated: false })) });
    expect(simulationCatalog(none).services).toEqual([]);
  });
});

describe('label values', () => {
  it('reads what a matcher selects: literals, alternations, simple regexes; nothing for negations and wildcards', () => {
    expect(selectedValues('=', 'error')).toEqual(['error']);
    expect(selectedValues('=~', 'success|failure')).toEqual(['success', 'failure']);
    expect(selectedValues('=~', '5..')).toEqual(['500']);
    expect(selectedValues('=~', '.*deploy.*')).toEqual(['deploy']);
    expect(selectedValues('!=', 'error')).toEqual([]);
    expect(selectedValues('=~', '.+')).toEqual([]);
    expect(selectedValues('=', '$service_name')).toEqual([]);
  });

  it('adds a good value when the queries select only error-like ones, and never exceeds the bound', () => {
    expect(labelValues('status', [], ['error'])).toEqual(['error', '200', '201', '404', '500']);
    expect(labelValues('outcome', [], ['failure', 'timeout'])).toContain('outcome-a');
    const many = Array.from({ length: 20 }, (_, i) => `v${i}`);
    expect(labelValues('x', many, many)).toHaveLength(MAX_VALUES);
  });
});
