import {
  builtinCatalog,
  catalog,
  catalogMetricNames,
  catalogSeriesNames,
  defineCatalog,
  defineMetric,
  metricOfSeries,
  seriesLabelNamesOf,
  validateMetricDef,
  httpServerRequestDuration,
  type AnyMetricDef,
  type CatalogLabelName,
  type CatalogMetricName,
  type CatalogSeriesName,
} from '../../src/sdk/catalog';

describe('catalog', () => {
  it('ships the HTTP RED set in semantic-convention form', () => {
    expect(catalog.http_server_request_duration_seconds).toMatchObject({
      type: 'histogram',
      unit: 'seconds',
      labelNames: ['http_request_method', 'http_route', 'http_response_status_code'],
    });
    expect(catalog.http_server_active_requests.type).toBe('gauge');
    expect(catalog.service_build_info.type).toBe('gauge');
    expect(catalog.nodejs_eventloop_lag_seconds.type).toBe('gauge');
  });

  it('follows the naming rules for every metric', () => {
    for (const def of Object.values<AnyMetricDef>(catalog)) {
      expect(() => validateMetricDef(def)).not.toThrow();
      if (def.type === 'counter') expect(def.name).toMatch(/_total$/);
      else expect(def.name).not.toMatch(/_total$/);
      if (def.unit) expect(def.name).toMatch(new RegExp(`_${def.unit}(_total)?$`));
    }
  });

  it('lists metric names and every series name, histograms with _bucket/_sum/_count', () => {
    expect(catalogMetricNames).toContain('http_server_request_duration_seconds');
    expect(catalogSeriesNames).toEqual(
      expect.arrayContaining([
        'http_server_request_duration_seconds_bucket',
        'http_server_request_duration_seconds_sum',
        'http_server_request_duration_seconds_count',
        'process_cpu_seconds_total',
        'demo_orders_total',
      ]),
    );
    expect(catalogSeriesNames).not.toContain('http_server_request_duration_seconds');
    expect([...catalogSeriesNames]).toEqual([...catalogSeriesNames].sort());
    expect(metricOfSeries(catalog, 'nodejs_gc_duration_seconds_bucket')?.name).toBe('nodejs_gc_duration_seconds');
    expect(metricOfSeries(catalog, 'http_requests_total')).toBeUndefined();
  });

  it('names the labels a query may use on a metric', () => {
    expect(seriesLabelNamesOf(httpServerRequestDuration)).toEqual([
      'http_request_method',
      'http_route',
      'http_response_status_code',
      'service_name',
      'job',
      'instance',
      'le',
    ]);
  });

  it('includes domain metrics next to the built-in ones', () => {
    expect(Object.keys(builtinCatalog)).not.toContain('demo_orders_total');
    expect(catalogMetricNames).toContain('demo_orders_total');
  });

  it('rejects a second definition under a taken name', () => {
    const again = defineMetric({ name: 'demo_orders_total', help: 'x', type: 'counter', unit: '' });
    expect(() => defineCatalog(Object.values<AnyMetricDef>(catalog), [again])).toThrow(
      'catalog: metric "demo_orders_total" is defined twice',
    );
  });

  it.each([
    [{ name: 'jobs_count', type: 'counter', unit: '' }, 'a counter\'s name must end in "_total"'],
    [{ name: 'jobs_seconds_total', type: 'counter', unit: 'bytes' }, 'must end in "_bytes_total"'],
    [{ name: 'queue_depth_total', type: 'gauge', unit: '' }, 'only counters end in "_total"'],
    [{ name: 'latency_ms', type: 'histogram', unit: 'seconds' }, 'unit "seconds" must be the name\'s suffix'],
    [{ name: 'bad-name', type: 'gauge', unit: '' }, 'name must match'],
    [{ name: 'x_seconds', type: 'histogram', unit: 'seconds', labelNames: ['le'] }, 'label "le" is reserved'],
    [{ name: 'x_seconds', type: 'histogram', unit: 'seconds', labelNames: ['service_name'] }, 'reserved'],
    [{ name: 'x_seconds', type: 'histogram', unit: 'seconds', labelNames: ['a', 'a'] }, 'declared twice'],
    [{ name: 'x_seconds', type: 'histogram', unit: 'seconds', buckets: [1, 0.5] }, 'strictly ascending'],
    [{ name: 'x', type: 'gauge', unit: '', buckets: [1] }, 'only histograms have buckets'],
    [{ name: 'x', type: 'gauge', unit: '', maxSeries: 0 }, 'maxSeries must be a positive integer'],
    [{ name: 'x', type: 'gauge', unit: '', labelNames: ['a'], maxLabelValues: { b: 3 } }, '"b", which is not one of its labels'],
    [{ name: 'x', type: 'gauge', unit: '', labelNames: ['a'], maxLabelValues: { a: 0 } }, 'maxLabelValues.a must be a positive'],
  ])('rejects %j at run time', (input, message) => {
    expect(() => defineMetric({ help: 'help', ...input } as never)).toThrow(message);
  });

  it('checks names, units and labels at compile time', () => {
    // Each @ts-expect-error below fails `tsc --noEmit` if the types stop catching the mistake.
    // @ts-expect-error a counter must end in _total
    const a = () => defineMetric({ name: 'jobs_count', help: 'h', type: 'counter', unit: '' });
    // @ts-expect-error the unit must be the suffix
    const b = () => defineMetric({ name: 'latency_ms', help: 'h', type: 'histogram', unit: 'seconds' });
    // @ts-expect-error `le` is reserved
    const c = () => defineMetric({ name: 'x_seconds', help: 'h', type: 'histogram', unit: 'seconds', labelNames: ['le'] });
    // @ts-expect-error not a catalog metric
    const d: CatalogMetricName<typeof catalog> = 'http_requests_total';
    // @ts-expect-error histograms have no bare series
    const e: CatalogSeriesName<typeof catalog> = 'http_server_request_duration_seconds';
    // @ts-expect-error not a label of this metric
    const f: CatalogLabelName<typeof catalog, 'http_server_request_duration_seconds'> = 'path';
    const g: CatalogLabelName<typeof catalog, 'http_server_request_duration_seconds'> = 'le';
    expect([a, b, c, d, e, f, g]).toHaveLength(7);
  });
});
