import { ExpositionError, formatOf, parseExposition } from '../../src/check/exposition';

describe('parseExposition', () => {
  it('reads the Prometheus text format: families, types, help, labels with escapes, histograms', () => {
    const text = [
      '# HELP demo_orders_total Orders, by "outcome".\\nSecond line.',
      '# TYPE demo_orders_total counter',
      'demo_orders_total{order_outcome="pla\\"ced\\\\",service_name="demo"} 3 1700000000000',
      '# a free comment',
      '',
      '# TYPE lat_seconds histogram',
      'lat_seconds_bucket{le="0.1"} 1',
      'lat_seconds_bucket{le="+Inf",} 2',
      'lat_seconds_sum 0.3',
      'lat_seconds_count 2',
      'untyped_thing NaN',
      'neg -Inf',
    ].join('\n');
    const e = parseExposition(text);
    expect(e.format).toBe('prometheus');
    expect([...e.families.keys()]).toEqual(['demo_orders_total', 'lat_seconds', 'untyped_thing', 'neg']);
    const orders = e.families.get('demo_orders_total')!;
    expect(orders).toMatchObject({ type: 'counter', help: 'Orders, by "outcome".\nSecond line.' });
    expect(orders.samples[0]!.labels).toEqual({ order_outcome: 'pla"ced\\', service_name: 'demo' });
    expect(e.families.get('lat_seconds')!.samples.map((s) => [s.name, s.labels.le, s.value])).toEqual([
      ['lat_seconds_bucket', '0.1', 1],
      ['lat_seconds_bucket', '+Inf', 2],
      ['lat_seconds_sum', undefined, 0.3],
      ['lat_seconds_count', undefined, 2],
    ]);
    expect(e.families.get('untyped_thing')!.type).toBeUndefined();
    expect(e.families.get('neg')!.samples[0]!.value).toBe(-Infinity);
  });

  it('reads OpenMetrics: counter families without _total, # UNIT, exemplars, _created, # EOF', () => {
    const text = [
      '# TYPE demo_orders counter',
      '# HELP demo_orders Orders.',
      'demo_orders_total{order_outcome="placed"} 1 # {trace_id="abc"} 1 1700000000.5',
      'demo_orders_created{order_outcome="placed"} 1700000000',
      '# TYPE d_seconds histogram',
      '# UNIT d_seconds seconds',
      'd_seconds_bucket{le="1.0"} 0',
      'd_seconds_bucket{le="+Inf"} 0',
      'd_seconds_count 0',
      'd_seconds_sum 0',
      '# EOF',
      '',
    ].join('\n');
    const e = parseExposition(text);
    expect(e.format).toBe('openmetrics');
    expect(e.families.get('demo_orders')!.samples.map((s) => s.name)).toEqual(['demo_orders_total', 'demo_orders_created']);
    expect(e.families.get('d_seconds')).toMatchObject({ type: 'histogram', unit: 'seconds' });
    expect(formatOf('application/openmetrics-text; version=1.0.0; charset=utf-8')).toBe('openmetrics');
    expect(formatOf('text/plain; version=0.0.4')).toBe('prometheus');
  });

  it.each([
    ['an unclosed label value', 'a{x="1} 2', 1, 'not closed'],
    ['a label without quotes', 'a{x=1} 2', 1, 'double quotes'],
    ['a repeated label', 'a{x="1",x="2"} 2', 1, 'appears twice'],
    ['a value that is no number', 'a 1,5', 1, 'is not a number'],
    ['no value', 'a{x="1"}', 1, 'expected a space before the value'],
    ['# TYPE after the samples', 'a 1\n# TYPE a gauge', 2, 'after its samples'],
    ['an unknown type', '# TYPE a gauges', 1, 'unknown type'],
    ['a second # TYPE', '# TYPE a gauge\n# TYPE a gauge', 2, 'second # TYPE'],
    ['an exemplar in the Prometheus text format', 'a 1 # {t="x"} 1', 1, 'OpenMetrics only'],
  ])('refuses %s, naming the line', (_, text, line, problem) => {
    let error: unknown;
    try {
      parseExposition(text, 'prometheus');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExpositionError);
    expect((error as ExpositionError).line).toBe(line);
    expect((error as Error).message).toContain(problem);
  });

  it('holds OpenMetrics to its rules: # EOF last, nothing after it, no empty lines', () => {
    expect(() => parseExposition('a 1\n', 'openmetrics')).toThrow('must end with "# EOF"');
    expect(() => parseExposition('a 1\n# EOF\nb 2\n', 'openmetrics')).toThrow('line 3: content after "# EOF"');
    expect(() => parseExposition('a 1\n\n# EOF\n', 'openmetrics')).toThrow('line 2: empty line');
  });
});
