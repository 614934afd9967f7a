import { parser } from '@prometheus-io/lezer-promql';
import { checkQueries, panelsOf, promqlOf, substituteVariables } from '../../src/dashboards/check';
import { buildDashboard, buildDashboards, dashboardProblems, place, prom, timeseriesPanel, RATE_INTERVAL, VAR } from '../../src/dashboards';
import { datasourceVariable, serviceVariable } from '../../src/dashboards/variables';
import { knownSeries } from '../../src/promql/known';
import { countSeries, rate, series, sumBy } from '../../src/promql/expr';
import { HTTP_RECORDED as RECORDED } from '../../src/mixins/http';
import { defineCatalog, defineMetric, demoOrders, httpServerRequestDuration } from '../../src/sdk/catalog';
import { dashboard, FILES, spec, type Json } from './support';
import { demoSpec } from '../fixtures/demo-spec';
import * as units from '@grafana/grafana-foundation-sdk/units';

const known = knownSeries(spec);

function hasParseError(expr: string): boolean {
  let error = false;
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) error = true;
    },
  });
  return error;
}

describe('every PromQL query of every dashboard', () => {
  it.each(FILES)('%s: parses with lezer-promql and names only catalog metrics or recorded series', (file) => {
    const model = dashboard(file);
    const exprs = promqlOf(model);
    expect(exprs.length).toBeGreaterThan(0);
    for (const { where, expr } of exprs) {
      expect({ where, empty: expr.trim() === '' }).toEqual({ where, empty: false });
      expect({ where, parseError: hasParseError(substituteVariables(expr)) }).toEqual({ where, parseError: false });
    }
    expect(checkQueries(model, known, file)).toEqual([]);
  });

  it('covers every Prometheus target, the alert annotations and the label_values selectors of variables', () => {
    const model = dashboard('service-overview.json');
    const targets = panelsOf(model).flatMap((p) => ((p.targets as Json[] | undefined) ?? []).filter((t) => (t.datasource as Json).type === 'prometheus'));
    const exprs = promqlOf(model);
    expect(exprs.filter((e) => e.where.startsWith('panel'))).toHaveLength(targets.length);
    expect(exprs.map((e) => e.where)).toEqual(
      // $service_name lists the spec's services (a custom variable): no query.
      expect.arrayContaining(['annotation "Firing alerts"', 'variable $instance', 'variable $route']),
    );
    expect(exprs.find((e) => e.where === 'variable $route')?.expr).toBe('http_server_request_duration_seconds_count{service_name="$service_name"}');
  });

  it('passes the checks synth runs before writing', () => {
    expect(dashboardProblems(buildDashboards(spec), known)).toEqual([]);
  });

  it('substitutes Grafana variables with sample values before parsing', () => {
    expect(substituteVariables('sum(rate(x{service_name="$service_name", instance=~"${instance:regex}"}[$__rate_interval]))')).toBe(
      'sum(rate(x{service_name="x", instance=~"x"}[5m]))',
    );
    expect(substituteVariables('rate(x[$__range])')).toBe('rate(x[1h])');
    expect(() => substituteVariables('rate(x[$__unknown_builtin])')).toThrow('no sample value');
  });

  it('substitutes the values it is given instead, as Grafana would (the live test runs every query so)', () => {
    const expr = 'sum(rate(x{service_name="$service_name", instance=~"${instance:regex}", slo="$slo"}[$__rate_interval]))';
    expect(substituteVariables(expr, { service_name: 'demo', instance: '.+', __rate_interval: '1m' })).toBe(
      'sum(rate(x{service_name="demo", instance=~".+", slo="x"}[1m]))',
    );
    expect(substituteVariables('x{a="$constructor"}', {})).toBe('x{a="x"}');
  });
});

describe('the query check fails when', () => {
  /** The overview with one string replaced in the first Prometheus query that contains it. */
  function overviewWith(from: string, to: string): Json {
    const model = dashboard('service-overview.json');
    for (const p of panelsOf(model)) {
      for (const t of (p.targets as Json[] | undefined) ?? []) {
        if (typeof t.expr === 'string' && t.expr.includes(from)) {
          t.expr = t.expr.replace(from, to);
          return model;
        }
      }
    }
    throw new Error(`no query contains ${from}`);
  }

  it('a catalog metric name is broken', () => {
    const model = overviewWith('http_server_request_duration_seconds_count', 'http_server_request_duraton_seconds_count');
    const problems = checkQueries(model, known, 'service-overview.json');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.where).toMatch(/^service-overview\.json: panel \d+ "Responses by status code" target A$/);
    expect(problems[0]!.message).toBe(
      '"http_server_request_duraton_seconds_count" is neither in a metric catalog nor written by a recording rule; did you mean "http_server_request_duration_seconds_count"?',
    );
  });

  it('a recorded series name is broken', () => {
    const model = overviewWith(RECORDED.serviceErrorRatio.name, 'service_name:http_server_request_errors:ratio');
    expect(checkQueries(model, known, 'service-overview.json').map((p) => p.message)).toEqual([
      expect.stringContaining('"service_name:http_server_request_errors:ratio" is neither in a metric catalog nor written by a recording rule'),
    ]);
  });

  it('a query selects names by a regex on __name__', () => {
    const model = overviewWith('http_server_request_duration_seconds_count{', '{__name__=~"http_.*_count", ');
    expect(checkQueries(model, known, 'x').map((p) => p.message)).toEqual([expect.stringContaining('selects metric names with =~ on __name__')]);
  });

  it('a query matches on a label the series does not have', () => {
    const model = overviewWith('service_name="$service_name", instance=~', 'service="$service_name", instance=~');
    expect(checkQueries(model, known, 'x').map((p) => p.message)).toEqual([expect.stringContaining('has no label "service"')]);
  });

  it('a query does not parse', () => {
    const model = overviewWith('sum by (http_response_status_code) (', 'sum by (http_response_status_code) ((');
    expect(checkQueries(model, known, 'x').map((p) => p.message)).toEqual([expect.stringContaining('does not parse')]);
  });

  it('a variable query names an unknown metric', () => {
    const model = dashboard('service-overview.json');
    const route = (model.templating as { list: Json[] }).list.find((v) => v.name === 'route')!;
    route.query = 'label_values(http_requests_total{service_name="$service_name"}, http_route)';
    expect(checkQueries(model, known, 'x').map((p) => `${p.where}: ${p.message}`)).toEqual([
      expect.stringMatching(/^x: variable \$route: "http_requests_total" is neither/),
    ]);
  });

  it('an alert annotation is broken', () => {
    const model = dashboard('service-overview.json');
    const annotation = (model.annotations as { list: Json[] }).list[0]!;
    annotation.expr = 'ALERT{alertstate="firing"}';
    expect(checkQueries(model, known, 'x').map((p) => p.where)).toEqual(['x: annotation "Firing alerts"']);
  });
});

describe('adding a metric and a panel for it (the README example)', () => {
  // A new metric, as you would add it to src/sdk/catalog/domain.ts.
  const refunds = defineMetric({ name: 'shop_refunds_total', help: 'Refunds issued.', type: 'counter', unit: '', labelNames: ['refund_reason'] });
  const refundsPanel = () =>
    timeseriesPanel({ title: 'Refunds', description: 'Refunds per second by reason.', unit: units.CountsPerSecond }).withTarget(
      prom(sumBy(['refund_reason'], rate(series(refunds, { service_name: VAR.service }), RATE_INTERVAL)), '{{refund_reason}}'),
    );
  const board = () =>
    buildDashboard({
      file: 'shop',
      uid: 'shop',
      title: 'Shop',
      description: 'Example.',
      variables: [datasourceVariable(), serviceVariable(['demo'], 'demo')],
      rows: [{ title: 'Shop', panels: [place(refundsPanel(), 12, 8)] }],
    });

  it('is rejected until the metric is in a catalog the checker knows', () => {
    expect(dashboardProblems([board()], known)).toEqual([expect.stringContaining('"shop_refunds_total" is neither in a metric catalog')]);
    const withIt = knownSeries(spec).addCatalog(defineCatalog([refunds]), 'test catalog');
    expect(dashboardProblems([board()], withIt)).toEqual([]);
  });

  it('works as is for a metric a mixin of the spec defines (demo_orders_total, the demo mixin)', () => {
    const orders = timeseriesPanel({ title: 'Orders', description: 'Orders per second by outcome.', unit: units.CountsPerSecond }).withTarget(
      prom(sumBy(['order_outcome'], rate(series(demoOrders, { service_name: VAR.service }), RATE_INTERVAL)), '{{order_outcome}}'),
    );
    const built = buildDashboard({
      file: 'orders',
      uid: 'orders',
      title: 'Orders',
      description: 'Example.',
      variables: [datasourceVariable(), serviceVariable(['demo'], 'demo')],
      rows: [{ title: 'Orders', panels: [place(orders, 24, 8)] }],
    });
    expect(dashboardProblems([built], knownSeries(demoSpec))).toEqual([]);
  });

  it('keeps the typed builder honest: a label the metric lacks does not compile', () => {
    // @ts-expect-error `http_route` is not a label of demo_orders_total.
    series(demoOrders, { http_route: '/x' });
    // @ts-expect-error the request count takes no `le` matcher.
    countSeries(httpServerRequestDuration, { le: '0.5' });
  });
});
